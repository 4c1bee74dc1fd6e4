"""Rules 8, 8b, 11 and 12: refractory leg pain, the epidural limit, pain after spine surgery,
and spinal cord stimulation."""

from __future__ import annotations

from calculators.next_step.case import (
    MAX_EPIDURALS_12_MONTHS,
    PAIN_GATE_NRS,
    PERSISTENT_WEEKS,
    SCS_SUCCESS_PCT,
)
from calculators.next_step.rules.base import Clause, Condition, Move, avoid, clause, later, step
from calculators.next_step.rules.facts import (
    AT_LIMIT,
    BACK_PAIN_ONLY,
    DISABLING,
    INSTABILITY,
    LEG_PAIN,
    MATCHING_SCAN,
    MATCHING_SCAN_OR_INSTABILITY,
    NO_SCAN,
    NO_SURGICAL_TARGET,
    NO_TRIAL_RESULT,
    NOT_PERSISTENT,
    NOT_REFRACTORY,
    PAIN_MISSING,
    PERSISTENT,
    PRIOR_SURGERY,
    RECORD_PAIN,
    REFRACTORY,
    SCARRING_AFTER_CARE,
    SCS_CRITERIA,
    SCS_CRITERIA_NOT_MET,
    SCS_NOT_YET,
    SCS_NOW,
    SURGICAL_TARGET,
    TRIAL_FAILURE,
    TRIAL_SUCCESS,
)

PERSISTS_TO_12_WEEKS = f"if the pain persists to {PERSISTENT_WEEKS} weeks after onset"
SURGERY_NOT_CHOSEN = "if surgery is not chosen or has not helped"
TA159_WAIT = (
    f"when the pain is still at least {PAIN_GATE_NRS}/10 after 6 months of conventional care, "
    "surgery is not chosen or has not helped, and multidisciplinary and psychological "
    "assessment supports it"
)
TA159_IMPLANT_WAIT = (
    f"when the NICE TA159 criteria are met: at least {PAIN_GATE_NRS}/10 after 6 months of "
    "conventional care"
)
SURGERY_SOON = Condition(
    f"{PERSISTENT_WEEKS} weeks or more since onset, or disabling pain",
    lambda c: c.persistent or c.disabling,
)
SURGERY_LATER = Condition(
    f"under {PERSISTENT_WEEKS} weeks since onset and pain not disabling",
    lambda c: not (c.persistent or c.disabling),
)
DISABLING_EARLY = DISABLING & NOT_PERSISTENT
SCS_QUESTION_ARISES = Condition(
    f"{PERSISTENT_WEEKS} weeks or more since onset, previous spine surgery, or a stimulator "
    "trial result",
    lambda c: c.persistent or c.prior_spine_surgery or c.scs_trial_relief_pct is not None,
)
TRIAL_WHY = (
    "Spinal cord stimulation is for neuropathic leg pain that conventional care has not "
    "controlled (NICE TA159), tried first in a specialist centre after multidisciplinary and "
    "psychological assessment."
)
IMPLANT_WHY = (
    f"The stimulation trial gave {SCS_SUCCESS_PCT} % relief or more, which supports a permanent "
    "implant."
)
# The surgical opinion's reason, for refractory pain and at the limit, by what the target is.
SURGICAL_MATCH = MATCHING_SCAN & SURGICAL_TARGET
SURGICAL_INSTABILITY = INSTABILITY & SURGICAL_TARGET

RULES: tuple[Clause, ...] = (
    clause(
        id="refractory-surgical-target",
        number="8",
        applies=REFRACTORY & SURGICAL_TARGET,
        why="With a surgical target, a surgeon's opinion comes before other escalation.",
        adds=(
            step(
                "surgical-referral",
                "Leg pain that epidurals no longer control, with a scan that matches it, is a "
                "reason for a surgeon's opinion.",
                ("nice-ng59", "lee2013"),
                MATCHING_SCAN,
            ),
            step(
                "surgical-referral",
                "Instability on imaging, with leg pain that epidurals no longer control, is a "
                "reason for a surgeon's opinion.",
                ("nice-ng59", "summary-postsurgical"),
                INSTABILITY,
            ),
            later(
                "pulsed-rf-drg",
                SURGERY_NOT_CHOSEN,
                "Pulsed radiofrequency next to the dorsal root ganglion is the less invasive "
                "option for chronic radicular pain that surgery does not resolve.",
                ("vanboxem2010",),
                PERSISTENT,
            ),
            # A surgical target can come before 12 weeks (disabling pain); pulsed RF's own
            # condition, chronic pain, still holds then.
            later(
                "pulsed-rf-drg",
                f"{SURGERY_NOT_CHOSEN}, and {PERSISTS_TO_12_WEEKS}",
                "If surgery is not chosen, pulsed radiofrequency at the dorsal root ganglion "
                "still waits for chronic pain: its evidence is in radicular pain of "
                f"{PERSISTENT_WEEKS} weeks or more.",
                ("vanboxem2010",),
                NOT_PERSISTENT,
            ),
        ),
    ),
    clause(
        id="refractory-no-surgical-target",
        number="8",
        applies=REFRACTORY & NO_SURGICAL_TARGET,
        why=(
            "Without a surgical target, pulsed radiofrequency is next for chronic leg pain "
            "(rule 15 keeps it for a recorded pain of 5/10 or more)."
        ),
        adds=(
            step(
                "pulsed-rf-drg",
                "Pulsed radiofrequency next to the dorsal root ganglion is an option for chronic "
                "radicular pain when epidurals have nothing more to offer and there is no "
                "surgical target.",
                ("vanboxem2010",),
                PERSISTENT,
            ),
            later(
                "pulsed-rf-drg",
                PERSISTS_TO_12_WEEKS,
                "The evidence for pulsed radiofrequency at the dorsal root ganglion is in chronic "
                f"radicular pain, so it waits until the pain has lasted {PERSISTENT_WEEKS} weeks.",
                ("vanboxem2010",),
                NOT_PERSISTENT,
            ),
        ),
    ),
    clause(
        id="refractory-psychology",
        number="8",
        applies=REFRACTORY & PERSISTENT,
        why="Persistent refractory pain is treated with psychological support alongside.",
        adds=(
            step(
                "psychological-support",
                f"Leg pain that has lasted {PERSISTENT_WEEKS} weeks or more despite injections is "
                "helped by CBT or a combined physical and psychological programme alongside the "
                "rest of the plan.",
                ("nice-ng59",),
            ),
        ),
    ),
    clause(
        id="refractory-scs",
        number="8",
        applies=REFRACTORY & NO_TRIAL_RESULT,
        why=(
            "Stimulation follows NICE TA159: after 6 months of conventional care, with pain of "
            "5/10 or more; without prior surgery, only when there is no surgical target."
        ),
        adds=(
            step(
                "scs-trial",
                "The leg pain is at least "
                f"{PAIN_GATE_NRS}/10 after 6 months or more of conservative care, which meets "
                "NICE TA159's thresholds. A stimulation trial in a specialist centre follows "
                "multidisciplinary and psychological assessment.",
                ("nice-ta159", "baber2016"),
                SCS_NOW,
            ),
            later("scs-trial", TA159_WAIT, TRIAL_WHY, ("nice-ta159",), SCS_NOT_YET),
            later(
                "scs-trial",
                f"{TA159_WAIT}; {RECORD_PAIN}",
                TRIAL_WHY,
                ("nice-ta159",),
                PAIN_MISSING,
            ),
        ),
    ),
    clause(
        id="at-the-limit",
        number="8b",
        applies=AT_LIMIT,
        why=(
            f"Epidurals that help but are held back by the limit of {MAX_EPIDURALS_12_MONTHS} in "
            "12 months do not make the pain refractory: a surgical opinion when there is a "
            "target, psychological support for persistent pain, and no pulsed radiofrequency or "
            "stimulator, which are for pain that injections do not help."
        ),
        adds=(
            step(
                "surgical-referral",
                "Leg pain with a scan that matches it, and no further epidural allowed within "
                "the 12-month limit, is a reason for a surgeon's opinion: relief that needs four "
                "injections a year may be better served by surgery.",
                ("nice-ng59", "lee2013"),
                SURGICAL_MATCH,
            ),
            step(
                "surgical-referral",
                "Instability on imaging, with leg pain and no further epidural allowed within the "
                "12-month limit, is a reason for a surgeon's opinion.",
                ("nice-ng59", "summary-postsurgical"),
                SURGICAL_INSTABILITY,
            ),
            step(
                "psychological-support",
                f"Leg pain that has lasted {PERSISTENT_WEEKS} weeks or more, with no further "
                "epidural allowed within the 12-month limit, is helped by CBT or a combined "
                "physical and psychological programme alongside the rest of the plan.",
                ("nice-ng59",),
                PERSISTENT,
            ),
        ),
    ),
    clause(
        id="post-surgery-imaging",
        number="11",
        applies=PRIOR_SURGERY & NO_SCAN,
        why="After spine surgery the anatomy has changed, and imaging looks for a cause.",
        adds=(
            step(
                "mri",
                "Pain after spine surgery has causes an MRI with contrast can show: recurrent "
                "herniation, scarring, incomplete decompression, instability or adjacent segment "
                "disease.",
                ("baber2016", "nice-ng59"),
            ),
        ),
    ),
    clause(
        id="post-surgery-psychology",
        number="11",
        applies=PRIOR_SURGERY & PERSISTENT,
        why="Persistent pain after surgery is treated with psychological support alongside.",
        adds=(
            step(
                "psychological-support",
                "Persistent pain after spine surgery often comes with distress and fear of "
                "movement; a psychologically informed programme helps the rest of the plan work.",
                ("baber2016", "nice-ng59"),
            ),
        ),
    ),
    clause(
        id="post-surgery-adhesiolysis",
        number="11",
        applies=PRIOR_SURGERY & LEG_PAIN & SCARRING_AFTER_CARE,
        why="Epidural scarring after surgery may need adhesiolysis once targeted epidurals fail.",
        adds=(
            step(
                "adhesiolysis",
                "Epidural scarring after surgery can keep injected steroid from the nerve root; "
                "with leg pain that epidurals no longer control, adhesiolysis may free it.",
                ("baber2016",),
                REFRACTORY,
            ),
            later(
                "adhesiolysis",
                "if targeted epidurals fail",
                "Adhesiolysis is kept for scarring that targeted epidurals cannot get past.",
                ("baber2016",),
                NOT_REFRACTORY,
            ),
        ),
    ),
    clause(
        id="post-surgery-surgical-opinion",
        number="11",
        applies=PRIOR_SURGERY & MATCHING_SCAN_OR_INSTABILITY,
        why="A correctable cause on imaging after surgery is reviewed by a surgeon.",
        adds=(
            step(
                "surgical-referral",
                "After surgery, a correctable cause on imaging with pain for "
                f"{PERSISTENT_WEEKS} weeks or more needs the surgeon's view.",
                ("baber2016", "nice-ng59"),
                PERSISTENT,
            ),
            step(
                "surgical-referral",
                "Disabling pain after surgery with a correctable cause on imaging needs the "
                f"surgeon's view without waiting for {PERSISTENT_WEEKS} weeks.",
                ("baber2016", "nice-ng59"),
                DISABLING_EARLY,
            ),
            later(
                "surgical-referral",
                PERSISTS_TO_12_WEEKS,
                "A correctable cause on imaging after surgery gives the surgeon something to "
                "review if the pain does not settle.",
                ("baber2016",),
                SURGERY_LATER,
            ),
        ),
    ),
    clause(
        id="scs-axial",
        number="12",
        applies=BACK_PAIN_ONLY & SCS_QUESTION_ARISES,
        why=(
            "NICE TA159 covers neuropathic pain; back pain without leg pain is not shown to be "
            "neuropathic, so no stimulator, with or without prior surgery. In the first weeks "
            "of back pain the question does not arise and neither code appears."
        ),
        adds=(
            avoid(
                "scs-trial",
                "Back pain without leg pain is not shown to be neuropathic, and NICE TA159 "
                "recommends stimulation for chronic neuropathic pain: no trial.",
                ("nice-ta159",),
                NO_TRIAL_RESULT,
            ),
            avoid(
                "scs-implant",
                "A permanent stimulator is outside NICE TA159 for back pain without leg pain, "
                "whatever a trial showed.",
                ("nice-ta159",),
            ),
        ),
    ),
    clause(
        id="scs-trial-success",
        number="12",
        applies=LEG_PAIN & TRIAL_SUCCESS,
        why=(
            "A successful stimulator trial leads to an implant once TA159's criteria hold; "
            "the trial is done, so it is not suggested again."
        ),
        adds=(
            step("scs-implant", IMPLANT_WHY, ("nice-ta159",), SCS_CRITERIA),
            later(
                "scs-implant",
                TA159_IMPLANT_WAIT,
                IMPLANT_WHY,
                ("nice-ta159",),
                SCS_CRITERIA_NOT_MET,
            ),
            later(
                "scs-implant",
                f"{TA159_IMPLANT_WAIT}; {RECORD_PAIN}",
                IMPLANT_WHY,
                ("nice-ta159",),
                PAIN_MISSING,
            ),
        ),
    ),
    clause(
        id="surgery-before-stimulator",
        number="12",
        applies=LEG_PAIN,
        why=(
            "A compression that surgery may correct comes before a stimulator: when a surgical "
            "opinion is a step, the stimulator trial or implant waits for it (NICE NG59 considers "
            "decompression when non-surgical care fails and the imaging matches; TA159 places "
            "stimulation after conventional management)."
        ),
        refs=("nice-ng59", "nice-ta159"),
        needs_step="surgical-referral",
        moves=Move(frozenset({"scs-trial", "scs-implant"}), SURGERY_NOT_CHOSEN),
    ),
    clause(
        id="epidurals-before-implant",
        number="12",
        applies=LEG_PAIN,
        why=(
            "Epidurals that still give lasting relief come before a permanent stimulator, "
            "which is for pain that injections do not help (as rule 8b says of the trial): "
            "the implant waits until they stop working."
        ),
        refs=("nice-ta159",),
        needs_step="repeat-epidural",
        moves=Move(frozenset({"scs-implant"}), "if epidurals stop giving lasting relief"),
    ),
    clause(
        id="scs-trial-failure",
        number="12",
        applies=LEG_PAIN & TRIAL_FAILURE,
        why="A failed stimulator trial rules out an implant.",
        adds=(
            avoid(
                "scs-implant",
                f"The stimulation trial gave under {SCS_SUCCESS_PCT} % relief, which predicts that "
                "an implant would not help either.",
                ("nice-ta159",),
            ),
        ),
    ),
)

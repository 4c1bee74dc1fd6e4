"""Rules 8, 11 and 12: refractory leg pain, pain after spine surgery, and stimulator trials."""

from __future__ import annotations

from calculators.next_step.case import PERSISTENT_WEEKS, SCS_PAIN_NRS, SCS_SUCCESS_PCT
from calculators.next_step.rules.base import Clause, Condition, Move, avoid, clause, later, step
from calculators.next_step.rules.facts import (
    DISABLING,
    EPIDURALS_FAILED,
    INSTABILITY,
    LIMIT_ALONE,
    MATCHING_SCAN,
    MATCHING_SCAN_OR_INSTABILITY,
    NO_SCAN,
    NO_SURGICAL_TARGET,
    NO_TRIAL_RESULT,
    NOT_PERSISTENT,
    NOT_REFRACTORY,
    PERSISTENT,
    PRIOR_SURGERY,
    REFRACTORY,
    SCARRING_AFTER_CARE,
    SCS_NOT_YET,
    SCS_NOW,
    SURGICAL_TARGET,
    TRIAL_FAILURE,
    TRIAL_SUCCESS,
)

PERSISTS_TO_12_WEEKS = f"If the pain persists to {PERSISTENT_WEEKS} weeks after onset."
SURGERY_SOON = Condition(
    f"{PERSISTENT_WEEKS} weeks or more since onset, or disabling pain",
    lambda c: c.persistent or c.disabling,
)
SURGERY_LATER = Condition(
    f"under {PERSISTENT_WEEKS} weeks since onset and pain not disabling",
    lambda c: not (c.persistent or c.disabling),
)
DISABLING_EARLY = DISABLING & NOT_PERSISTENT

RULES: tuple[Clause, ...] = (
    clause(
        id="refractory-surgical-target",
        number=8,
        applies=REFRACTORY & SURGICAL_TARGET,
        why="With a surgical target, a surgeon's opinion comes before other escalation.",
        adds=(
            step(
                "surgical-referral",
                f"Leg pain for {PERSISTENT_WEEKS} weeks or more that epidurals no longer control, "
                "with a scan that matches it, is a reason for a surgeon's opinion.",
                ("nice-ng59", "lee2013"),
                MATCHING_SCAN & EPIDURALS_FAILED,
            ),
            step(
                "surgical-referral",
                f"Leg pain for {PERSISTENT_WEEKS} weeks or more with a scan that matches it, and "
                "no further epidural allowed within the 12-month limit, is a reason for a "
                "surgeon's opinion.",
                ("nice-ng59", "lee2013"),
                MATCHING_SCAN & LIMIT_ALONE,
            ),
            step(
                "surgical-referral",
                "Instability on imaging, with leg pain that epidurals no longer control, is a "
                "reason for a surgeon's opinion.",
                ("nice-ng59", "summary-postsurgical"),
                INSTABILITY & EPIDURALS_FAILED,
            ),
            step(
                "surgical-referral",
                "Instability on imaging, with leg pain and no further epidural allowed within the "
                "12-month limit, is a reason for a surgeon's opinion.",
                ("nice-ng59", "summary-postsurgical"),
                INSTABILITY & LIMIT_ALONE,
            ),
            later(
                "pulsed-rf-drg",
                "If surgery is not chosen or does not help.",
                "Pulsed radiofrequency next to the dorsal root ganglion is the less invasive "
                "option for chronic radicular pain that surgery does not resolve.",
                ("vanboxem2010",),
            ),
        ),
    ),
    clause(
        id="refractory-no-surgical-target",
        number=8,
        applies=REFRACTORY & NO_SURGICAL_TARGET,
        why="Without a surgical target, pulsed radiofrequency is next for chronic leg pain.",
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
        number=8,
        applies=REFRACTORY & PERSISTENT,
        why="Persistent refractory pain is treated with psychological support alongside.",
        adds=(
            step(
                "psychological-support",
                f"Leg pain that has lasted {PERSISTENT_WEEKS} weeks or more despite injections is "
                "helped by CBT or a combined physical and psychological programme alongside the "
                "rest of the plan.",
                ("nice-ng59",),
                EPIDURALS_FAILED,
            ),
            step(
                "psychological-support",
                f"Leg pain that has lasted {PERSISTENT_WEEKS} weeks or more, with no further "
                "epidural allowed within the 12-month limit, is helped by CBT or a combined "
                "physical and psychological programme alongside the rest of the plan.",
                ("nice-ng59",),
                LIMIT_ALONE,
            ),
        ),
    ),
    clause(
        id="refractory-scs",
        number=8,
        applies=REFRACTORY & NO_TRIAL_RESULT,
        why="Stimulation follows NICE TA159: after 6 months, with pain of 5/10 or more.",
        adds=(
            step(
                "scs-trial",
                "The leg pain has lasted 6 months or more and is at least "
                f"{SCS_PAIN_NRS}/10 now, which meets the duration and pain thresholds of NICE "
                "TA159. TA159 also asks that appropriate conventional medical management has "
                "been tried: confirm it before referral. A stimulation trial in a specialist "
                "centre follows multidisciplinary and psychological assessment.",
                ("nice-ta159", "baber2016"),
                SCS_NOW,
            ),
            later(
                "scs-trial",
                f"If the pain is still at least {SCS_PAIN_NRS}/10 after 6 months of conventional "
                "care, surgery was not chosen or did not help, and multidisciplinary and "
                "psychological assessment supports it.",
                "Spinal cord stimulation is for neuropathic leg pain that conventional care has "
                "not controlled (NICE TA159), tried first in a specialist centre.",
                ("nice-ta159",),
                SCS_NOT_YET,
            ),
        ),
    ),
    clause(
        id="post-surgery-imaging",
        number=11,
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
        number=11,
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
        number=11,
        applies=PRIOR_SURGERY & SCARRING_AFTER_CARE,
        why="Epidural scarring after surgery may need adhesiolysis once targeted epidurals fail.",
        adds=(
            step(
                "adhesiolysis",
                "Epidural scarring after surgery can keep injected steroid from the nerve root; "
                "with leg pain that epidurals no longer control, adhesiolysis may free it.",
                ("baber2016",),
                REFRACTORY & EPIDURALS_FAILED,
            ),
            step(
                "adhesiolysis",
                "Epidural scarring after surgery can keep injected steroid from the nerve root; "
                "no further epidural is allowed within the 12-month limit, and adhesiolysis may "
                "free the root instead.",
                ("baber2016",),
                REFRACTORY & LIMIT_ALONE,
            ),
            later(
                "adhesiolysis",
                "If targeted epidurals fail.",
                "Adhesiolysis is kept for scarring that targeted epidurals cannot get past.",
                ("baber2016",),
                NOT_REFRACTORY,
            ),
        ),
    ),
    clause(
        id="post-surgery-surgical-opinion",
        number=11,
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
        id="scs-trial-success",
        number=12,
        applies=TRIAL_SUCCESS,
        why=(
            "A successful stimulator trial leads to an implant; pulsed radiofrequency waits, "
            "since the trial answered the question it would have asked."
        ),
        adds=(
            step(
                "scs-implant",
                f"The stimulation trial gave {SCS_SUCCESS_PCT} % relief or more, which supports a "
                "permanent implant.",
                ("nice-ta159",),
            ),
        ),
        moves=Move(frozenset({"pulsed-rf-drg"}), "If the stimulator does not control the pain."),
    ),
    clause(
        id="scs-trial-failure",
        number=12,
        applies=TRIAL_FAILURE,
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

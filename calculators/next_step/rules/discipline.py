"""Rules 13-15: investigate before intervening, imaging discipline, and the merge.

The clauses with a `stage` look at the plan the earlier rules built; `plan.py` performs
each stage at the clause's place in the rule order and traces the clause when it changes
the plan.
"""

from __future__ import annotations

from calculators.next_step.case import PAIN_GATE_NRS
from calculators.next_step.rules.base import Clause, Condition, Move, avoid, clause, step
from calculators.next_step.rules.facts import (
    ALWAYS,
    MATCHING_SCAN,
    NEW_DEFICIT,
    NO_INSTABILITY,
    NO_SCAN,
)

NO_NEW_DEFICIT = Condition("no new deficit", lambda c: not c.new_neuro_deficit)
# Rule 13's conditions for procedures that wait for the scan or the review.
AFTER_REVIEW = "after the urgent specialist review, if it finds no reason not to"
AFTER_MRI = "once the MRI has been reviewed"
MRI_FIRST = "an MRI comes first"
# Rule 15's condition for a procedure for chronic pain with a pain score below the gate.
PAIN_AT_GATE = f"when the pain is at least {PAIN_GATE_NRS}/10"
MILD_NOT_DISABLING = Condition(
    f"a recorded pain below {PAIN_GATE_NRS}/10 that is not disabling",
    lambda c: c.pain_mild and not c.disabling,
)

RULES: tuple[Clause, ...] = (
    clause(
        id="new-deficit",
        number="13",
        applies=NEW_DEFICIT,
        why=(
            "A new deficit is reviewed urgently with fresh imaging, and nothing elective is done "
            "before that review: every procedure the other rules would do now waits for it."
        ),
        adds=(
            step(
                "urgent-specialist-referral",
                "A new sensory or motor change since the last assessment is reviewed urgently by "
                "a spinal specialist before anything elective is done.",
                ("lee2013", "nice-ng59"),
            ),
            step(
                "mri",
                "New neurological findings justify a new MRI even when a scan already exists.",
                ("nice-ng59", "lee2013"),
            ),
        ),
    ),
    clause(
        id="scan-before-procedures",
        number="13",
        applies=NO_SCAN,
        why=(
            "No procedure that needs a scan (an epidural, pulsed radiofrequency, adhesiolysis, a "
            "stimulator) is done without one: when one would be a step and there is no scan, the "
            "MRI is the step. A diagnostic block and medial branch denervation for back pain do "
            "not need a scan and never add one on their own."
        ),
        adds=(
            step(
                "mri",
                "A procedure that needs a scan is next and no scan has been done: the MRI picks "
                "the level and the target and rules out another cause before anything invasive "
                "(NICE NG59 considers imaging in a specialist setting when it changes management, "
                "as it does here).",
                ("nice-ng59", "lee2013", "summary-unresponsive"),
            ),
        ),
        stage="scan-first",
    ),
    clause(
        id="procedures-wait-for-the-scan",
        number="13",
        applies=ALWAYS,
        why=(
            "Whenever the MRI is a step, every procedure other rules put in steps waits in later: "
            "after the urgent specialist review for a new deficit, otherwise until the MRI has "
            "been reviewed, since the scan decides the target. A procedure that needs a scan and "
            "waits for another reason while there is none says that an MRI comes first."
        ),
        refs=("nice-ng59", "lee2013"),
        stage="wait-for-scan",
    ),
    clause(
        id="no-repeat-imaging",
        number="14",
        applies=MATCHING_SCAN & NO_NEW_DEFICIT,
        why="A scan that already explains the symptoms is not repeated without new findings.",
        adds=(
            avoid(
                "routine-repeat-imaging",
                "The existing scan already matches the symptoms; repeating it without new "
                "findings adds nothing.",
                ("nice-ng59",),
            ),
        ),
    ),
    clause(
        id="no-fusion",
        number="14",
        applies=NO_INSTABILITY,
        why="When a surgical opinion is planned and there is no instability, fusion is avoided.",
        adds=(
            avoid(
                "fusion",
                "Without instability, an isolated herniation is treated by decompression or "
                "discectomy without fusion; NICE offers no fusion for low back pain outside a "
                "randomised trial.",
                ("nice-ng59", "summary-postsurgical"),
            ),
        ),
        needs_planned="surgical-referral",
    ),
    clause(
        id="one-place-per-code",
        number="15",
        applies=ALWAYS,
        why=(
            "Each code stands once: avoid wins over steps and later, and steps over later, "
            "except that a planned MRI removes the cautions against early or repeat imaging. "
            "Only the most urgent specialist referral is kept. Items follow one list: referrals, "
            "the MRI, re-examination, the procedures in the order they are tried, then the rest."
        ),
        refs=("nice-ng59",),
        stage="merge",
    ),
    clause(
        id="pain-score-first",
        number="15",
        applies=ALWAYS,
        why=(
            "A diagnostic block, denervation, pulsed radiofrequency, adhesiolysis and a "
            f"stimulator stand in steps only with a recorded pain of at least {PAIN_GATE_NRS}/10; "
            "otherwise they wait, and the item asks for the score when it is missing. NICE's "
            "gates for denervation and stimulation ask for that score; the same gate for the "
            "others keeps the order of procedures from depending on a missing score."
        ),
        refs=("nice-ng59", "nice-ta159"),
        stage="pain-gate",
    ),
    # Not in the rules' text: they refer for a surgical target whatever the pain now, so a
    # leg pain of 0/10 was still "pain that epidurals no longer control".
    clause(
        id="surgery-for-pain-that-persists",
        number="15",
        applies=MILD_NOT_DISABLING,
        why=(
            "A surgical opinion is for pain or loss of function that non-surgical care has not "
            f"improved: with a recorded pain below {PAIN_GATE_NRS}/10 that is not disabling, "
            f"it waits until the leg pain reaches {PAIN_GATE_NRS}/10."
        ),
        refs=("nice-ng59",),
        needs_step="surgical-referral",
        moves=Move(
            frozenset({"surgical-referral"}), f"if the leg pain reaches {PAIN_GATE_NRS}/10 or more"
        ),
    ),
    clause(
        id="one-procedure-at-a-time",
        number="15",
        applies=ALWAYS,
        why=(
            "At most one procedure stands in steps (a permanent stimulator after a successful "
            "trial first, otherwise the first in the list's order); the others wait until it "
            "has not helped, because the response to one decides the next and two at once hide "
            "which one helped. Follow-up stays in steps only beside an epidural."
        ),
        refs=("summary-injections-fail", "cohen2020"),
        stage="one-at-a-time",
    ),
)

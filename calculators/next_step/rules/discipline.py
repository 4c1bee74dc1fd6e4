"""Rules 13-15: a new deficit holds every procedure, imaging discipline, and the merge."""

from __future__ import annotations

from calculators.next_step.codes import PROCEDURES
from calculators.next_step.rules.base import Clause, Condition, Move, avoid, clause, step
from calculators.next_step.rules.facts import (
    ALWAYS,
    MATCHING_SCAN,
    NEW_DEFICIT,
    NO_INSTABILITY,
)

NO_NEW_DEFICIT = Condition("no new deficit", lambda c: not c.new_neuro_deficit)

RULES: tuple[Clause, ...] = (
    clause(
        id="new-deficit",
        number=13,
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
        moves=Move(PROCEDURES, "After the urgent specialist review, if it finds no reason not to."),
    ),
    clause(
        id="no-repeat-imaging",
        number=14,
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
        number=14,
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
        number=15,
        applies=ALWAYS,
        why=(
            "Each code stands once: avoid wins over steps and later, and steps over later, "
            "except that a planned MRI removes the cautions against early or repeat imaging. "
            "Only the most urgent specialist referral is kept. Items are ordered emergency and "
            "referrals first, then imaging, then procedures, then the rest."
        ),
        refs=("nice-ng59",),
    ),
)

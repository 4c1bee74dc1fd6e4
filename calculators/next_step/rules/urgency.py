"""Rules 1-3: red flags, which stop the planner, and the urgency of everything else."""

from __future__ import annotations

from calculators.next_step.rules.base import Clause, Condition, clause, step
from calculators.next_step.rules.facts import (
    DISABLING_ONLY,
    EMERGENCY,
    NEW_DEFICIT,
    SERIOUS_PATHOLOGY,
    flag,
)

SERIOUS_WITH_DEFICIT = Condition(
    "suspected cancer or fracture with a new neurological deficit",
    lambda c: c.serious_pathology and c.new_neuro_deficit,
)
MALIGNANCY = flag("suspected_malignancy", "suspected cancer")
FRACTURE = flag("suspected_fracture", "suspected fracture")

RULES: tuple[Clause, ...] = (
    clause(
        id="emergency-red-flag",
        number=1,
        applies=EMERGENCY,
        why=(
            "Possible compression of the cord or cauda equina, or infection, needs the spinal "
            "team today; the plan is exactly emergency assessment, then MRI, and nothing else."
        ),
        adds=(
            step(
                "emergency-assessment",
                "The on-call spinal team assesses the patient today, because nerve damage from "
                "compression can become permanent within hours or days.",
                ("nice-ng59", "lee2013"),
            ),
            step(
                "emergency-assessment",
                "Suspected cauda equina syndrome is a surgical emergency until an MRI excludes it.",
                ("nice-ng59", "lee2013"),
                flag("cauda_equina", "suspected cauda equina syndrome"),
            ),
            step(
                "emergency-assessment",
                "A new severe weakness such as a foot drop (MRC grade 3 or less) recovers best "
                "when a compressed root is relieved early.",
                ("lee2013",),
                flag("severe_motor_deficit", "new severe motor deficit"),
            ),
            step(
                "emergency-assessment",
                "Weakness that is getting worse means the compression is progressing.",
                ("lee2013",),
                flag("progressive_motor_deficit", "progressive motor deficit"),
            ),
            step(
                "emergency-assessment",
                "Suspected spinal infection (discitis or epidural abscess) needs blood tests and "
                "cultures as well as imaging, the same day.",
                ("nice-ng59",),
                flag("suspected_infection", "suspected infection"),
            ),
            step(
                "emergency-assessment",
                "Suspected cancer or fracture together with a new neurological deficit can mean "
                "that the cord or cauda equina is being compressed.",
                ("nice-ng59", "lee2013"),
                SERIOUS_WITH_DEFICIT,
            ),
            step(
                "mri",
                "An emergency MRI shows whether, and where, the nerves are compressed; CT is used "
                "when MRI is contraindicated.",
                ("nice-ng59", "lee2013"),
            ),
        ),
        urgency="emergency",
        final=True,
    ),
    clause(
        id="urgent-red-flag",
        number=2,
        applies=SERIOUS_PATHOLOGY,
        why=(
            "Suspected cancer or fracture without neurological signs leaves the back pain "
            "pathway: urgent specialist referral, then MRI, and nothing else until it is excluded."
        ),
        adds=(
            step(
                "urgent-specialist-referral",
                "Suspected cancer in the spine is assessed urgently by a spinal specialist, "
                "outside the routine back pain pathway.",
                ("nice-ng59", "lee2013"),
                MALIGNANCY,
            ),
            step(
                "urgent-specialist-referral",
                "A suspected vertebral fracture is assessed urgently by a spinal specialist, who "
                "judges its stability.",
                ("nice-ng59", "lee2013"),
                FRACTURE,
            ),
            step(
                "mri",
                "MRI shows whether metastases or a fracture are present and whether they threaten "
                "the cord or nerve roots. NICE guidance on spinal metastases (NG234) asks for it "
                "within a week when cancer is suspected without neurological symptoms.",
                ("nice-ng234", "lee2013"),
            ),
        ),
        urgency="urgent",
        lead="Urgent, because cancer or a fracture is suspected",
        final=True,
    ),
    clause(
        id="urgency-new-deficit",
        number=3,
        applies=NEW_DEFICIT,
        why="A new neurological deficit makes the plan urgent (rule 13 says what changes).",
        refs=("lee2013", "nice-ng59"),
        urgency="urgent",
        lead="Urgent, because of a new neurological deficit",
    ),
    clause(
        id="urgency-disabling",
        number=3,
        applies=DISABLING_ONLY,
        why="Disabling pain should not wait in a routine queue: the plan is marked soon.",
        refs=("lee2013",),
        urgency="soon",
        lead="Soon, because the pain is disabling",
    ),
)

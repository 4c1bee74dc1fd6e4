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

FRACTURE = flag("suspected_fracture", "suspected fracture")
MALIGNANCY = flag("suspected_malignancy", "suspected cancer")
FRACTURE_WITH_DEFICIT = Condition(
    "suspected fracture with a new neurological deficit",
    lambda c: "suspected_fracture" in c.red_flags and c.new_neuro_deficit,
)
# Rule 1 with suspected metastases takes the MSCC route whichever flag made it an
# emergency (the rules say so "for suspected metastases"): NICE NG234 counts radicular
# pain, limb weakness, bladder or bowel dysfunction and signs of cord or cauda equina
# compression in someone with suspected spinal metastases as symptoms of metastatic spinal
# cord compression, so cauda equina or a motor deficit with back pain alone is one too.
NOT_MALIGNANCY = Condition("no suspected cancer", lambda c: not MALIGNANCY(c))

RULES: tuple[Clause, ...] = (
    clause(
        id="emergency-red-flag",
        number="1",
        applies=EMERGENCY,
        why=(
            "Possible compression of the cord or cauda equina, suspected metastases with leg "
            "pain, or infection, needs the spinal team today; the plan is exactly emergency "
            "assessment, then MRI, and nothing else."
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
                "A suspected vertebral fracture together with a new neurological deficit can mean "
                "that bone is compressing the cord or cauda equina.",
                ("nice-ng59", "lee2013"),
                FRACTURE_WITH_DEFICIT,
            ),
            step(
                "emergency-assessment",
                "With suspected spinal metastases this emergency is treated as metastatic spinal "
                "cord compression (NICE NG234): contact the MSCC coordinator immediately, "
                "before any other arrangement.",
                ("nice-ng234",),
                MALIGNANCY,
            ),
            step(
                "mri",
                "An emergency MRI shows whether, and where, the nerves are compressed; CT is used "
                "when MRI is contraindicated.",
                ("nice-ng59", "lee2013"),
                NOT_MALIGNANCY,
            ),
            step(
                "mri",
                "For suspected metastatic spinal cord compression NICE NG234 asks for an MRI of "
                "the whole spine as soon as possible and within 24 hours.",
                ("nice-ng234",),
                MALIGNANCY,
            ),
        ),
        urgency="emergency",
        final=True,
    ),
    clause(
        id="urgent-red-flag",
        number="2",
        applies=SERIOUS_PATHOLOGY,
        why=(
            "Suspected cancer with back pain alone, or a suspected fracture, without "
            "neurological signs leaves the back pain pathway: urgent specialist referral, then "
            "MRI, and nothing else until it is excluded."
        ),
        adds=(
            step(
                "urgent-specialist-referral",
                "Suspected cancer in the spine with back pain alone is assessed urgently by a "
                "spinal specialist, outside the routine back pain pathway.",
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
                "the cord or nerve roots.",
                ("nice-ng59", "lee2013"),
            ),
            step(
                "mri",
                "NICE guidance on spinal metastases (NG234) asks for it within a week when "
                "cancer is suspected without neurological symptoms; leg pain or a new deficit "
                "would make it an emergency.",
                ("nice-ng234",),
                MALIGNANCY,
            ),
        ),
        urgency="urgent",
        lead="Urgent, because cancer or a fracture is suspected",
        final=True,
    ),
    clause(
        id="urgency-new-deficit",
        number="3",
        applies=NEW_DEFICIT,
        why="A new neurological deficit makes the plan urgent (rule 13 says what changes).",
        refs=("lee2013", "nice-ng59"),
        urgency="urgent",
        lead="Urgent, because of a new neurological deficit",
    ),
    clause(
        id="urgency-disabling",
        number="3",
        applies=DISABLING_ONLY,
        why="Disabling pain should not wait in a routine queue: the plan is marked soon.",
        refs=("lee2013",),
        urgency="soon",
        lead="Soon, because the pain is disabling",
    ),
)

"""Rule 6: no spinal injection yet."""

from __future__ import annotations

from calculators.next_step.case import CONSERVATIVE_WEEKS, PAIN_GATE_NRS, PERSISTENT_WEEKS
from calculators.next_step.rules.base import Clause, avoid, clause, later, step
from calculators.next_step.rules.facts import (
    BACK_PAIN_ONLY,
    CARE_NOT_TRIED,
    CARE_TRIED,
    DISABLING,
    EPIDURAL_DUE,
    IMAGING_NOT_DUE,
    LEG_PAIN,
    MATCHING_SCAN,
    NO_BLOCK_RESULT,
    NO_INJECTION,
    NO_PRIOR_SURGERY,
    NO_SCAN,
    NO_SURGERY_NO_SCAN,
    NON_MATCHING_SCAN,
    NOT_DISABLING,
    NOT_PERSISTENT,
    PERSISTENT,
    PRIOR_SURGERY,
)

LEG_PAIN_FIRST = NO_INJECTION & LEG_PAIN

RULES: tuple[Clause, ...] = (
    clause(
        id="first-referral",
        number="6",
        applies=LEG_PAIN_FIRST,
        why="Leg pain that has not settled is seen by a specialist; how soon depends on it.",
        adds=(
            step(
                "specialist-referral-2-weeks",
                "Radicular pain that stops everyday tasks is assessed by a specialist within 2 "
                "weeks rather than waiting for a routine list.",
                ("lee2013",),
                DISABLING,
            ),
            step(
                "specialist-referral",
                "Radicular pain that has not settled is seen by a specialist within 3 months of "
                "onset, while treatment can still change its course.",
                ("lee2013",),
                NOT_DISABLING & NOT_PERSISTENT,
            ),
            step(
                "specialist-referral",
                f"The leg pain has lasted {PERSISTENT_WEEKS} weeks or more, so the specialist "
                "assessment is due now: 3 months have passed.",
                ("lee2013",),
                NOT_DISABLING & PERSISTENT,
            ),
        ),
    ),
    clause(
        id="first-imaging",
        number="6",
        applies=LEG_PAIN_FIRST & NO_SCAN,
        why=(
            "A first scan for leg pain waits for conservative care to have had its time, unless "
            f"something makes it more urgent or the pain has lasted {PERSISTENT_WEEKS} weeks (a "
            "conservative-care count that is not given reads as 0, so the weeks since onset "
            "decide)."
        ),
        adds=(
            step(
                "mri",
                f"{CONSERVATIVE_WEEKS} weeks or more of conservative care have not settled the "
                "leg pain, so an MRI can now guide the next step.",
                ("nice-ng59", "lee2013"),
                CARE_TRIED,
            ),
            step(
                "mri",
                "Disabling leg pain justifies an MRI without waiting for conservative care to "
                "run its course.",
                ("nice-ng59", "lee2013"),
                DISABLING & CARE_NOT_TRIED,
            ),
            step(
                "mri",
                "Because of the previous spine surgery, the first scan does not wait for "
                "conservative care.",
                ("baber2016",),
                PRIOR_SURGERY & CARE_NOT_TRIED,
            ),
            step(
                "mri",
                f"After {PERSISTENT_WEEKS} weeks of leg pain a scan is no longer early: the "
                "specialist seen now needs it to choose between an epidural and surgery, and "
                "NICE NG59 considers imaging in a specialist setting when it changes management.",
                ("nice-ng59", "lee2013"),
                PERSISTENT & CARE_NOT_TRIED & NOT_DISABLING & NO_PRIOR_SURGERY,
            ),
            avoid(
                "early-imaging",
                f"Most radicular pain settles within {CONSERVATIVE_WEEKS} weeks; a scan before "
                "then rarely changes treatment and can show incidental findings that worry "
                "without explaining.",
                ("nice-ng59",),
                IMAGING_NOT_DUE,
            ),
        ),
    ),
    clause(
        id="first-epidural",
        number="6",
        applies=LEG_PAIN_FIRST & MATCHING_SCAN,
        why=(
            "A scan that matches leg pain that has not settled gives an epidural a target "
            "(rule 5 decides whether it is done now); after 3 months a surgical opinion is the "
            "alternative."
        ),
        adds=(
            step(
                "image-guided-epidural",
                "The scan matches the leg pain, so an epidural under fluoroscopic or CT guidance "
                "with contrast (non-particulate steroid for a transforaminal approach) can ease "
                "it while the nerve root settles.",
                ("nice-ng59", "vanboxem2010", "pinto2012"),
            ),
            step(
                "surgical-referral",
                f"With a matching scan and leg pain for {PERSISTENT_WEEKS} weeks or more, "
                "decompression is an alternative the patient may choose instead of the epidural.",
                ("nice-ng59",),
                EPIDURAL_DUE & PERSISTENT,
            ),
        ),
    ),
    clause(
        id="first-reassess",
        number="6",
        applies=LEG_PAIN_FIRST & NON_MATCHING_SCAN,
        why="A scan that does not explain the leg pain leaves no target for an injection yet.",
        adds=(
            step(
                "reassess-pain-source",
                "The scan does not explain the leg pain, so there is no target for an injection "
                "yet: re-examine and look for another cause.",
                ("lee2013", "nice-ng59"),
            ),
        ),
    ),
    clause(
        id="first-axial",
        number="6",
        applies=NO_INJECTION & BACK_PAIN_ONLY,
        why=(
            "Axial pain without leg pain gets no epidural; disabling pain is seen within 2 "
            "weeks, and a facet source is tested by a block once denervation could follow."
        ),
        adds=(
            step(
                "specialist-referral-2-weeks",
                "Back pain that stops everyday tasks is assessed by a specialist within 2 weeks, "
                "as the plan's urgency promises.",
                ("lee2013",),
                DISABLING,
            ),
            step(
                "specialist-referral",
                f"Back pain that has lasted {PERSISTENT_WEEKS} weeks or more without settling "
                "warrants a specialist assessment.",
                ("lee2013",),
                PERSISTENT & NOT_DISABLING,
            ),
            avoid(
                "early-imaging",
                "Imaging rarely changes the care of back pain without leg pain or red flags, and "
                "incidental findings can mislead.",
                ("nice-ng59",),
                NO_SURGERY_NO_SCAN,
            ),
            later(
                "diagnostic-block",
                f"when the pain has lasted {PERSISTENT_WEEKS} weeks or more, is at least "
                f"{PAIN_GATE_NRS}/10 and a facet joint source is suspected",
                "A medial branch block with local anaesthetic tests whether the facet joints "
                "cause the back pain, and is the gate to radiofrequency denervation.",
                ("nice-ng59", "cohen2020"),
                NO_BLOCK_RESULT,
            ),
        ),
    ),
)

"""next_step: what to consider next for back and leg pain, especially after an injection.

The decision logic is data: `rules.RULES`, applied in order, then merged by `plan`.
"""

from __future__ import annotations

from calculators.next_step.case import INPUTS, Case, check_case, emergency_while_incomplete
from calculators.next_step.codes import VOCABULARY
from calculators.next_step.plan import make_plan
from calculators.next_step.rules import RULES
from guidesite.kit.fields import Json
from guidesite.kit.model import Calculator, Example, InputGroup, Output, Scope, Values

SCOPE = Scope(
    for_=(
        "Adults with low back pain, with or without radicular leg pain, deciding what comes "
        "next, especially after an injection. It supports a clinician's decision and never "
        "replaces examination."
    ),
    not_for=(
        "Children",
        "Pregnancy",
        "Neurogenic claudication from central spinal stenosis",
        "Pain from a known tumour, infection or fracture under treatment",
        "The first days of an acute episode without red flags",
    ),
)

# The answers that change the plan most (red flags, pain pattern and how disabling it is,
# weeks since onset and of care, the pain now, the last injection and its relief) come
# first; these follow, folded, with a count of those filled in.
MORE_ABOUT_THE_PATIENT = InputGroup(
    "More about the patient",
    (
        "prior_spine_surgery",
        "imaging",
        "instability",
        "epidural_scarring",
        "epidurals_last_12_months",
        "diagnostic_block_relief_pct",
        "scs_trial_relief_pct",
        "opioid_risk",
        "myofascial_trigger_points",
    ),
)

# Everything the rules cite, in the order first cited.
REFERENCES = tuple(dict.fromkeys(ref for rule in RULES for ref in rule.refs))


def vocabulary() -> list[dict[str, str | None]]:
    """Every code a plan may contain, with its title and kind, in plan order."""
    return [entry.to_json() for entry in VOCABULARY]


def compute(values: Values) -> dict[str, Json]:
    return make_plan(Case.from_values(values))


CALCULATOR = Calculator(
    name="next_step",
    title="Next step after an injection for back and leg pain",
    summary=(
        "Suggests what to do now, what comes next if that does not work, and what to avoid, "
        "for back and leg pain, especially after an epidural or joint injection."
    ),
    inputs=INPUTS,
    outputs=(
        Output("urgency", "Urgency", "emergency, urgent, soon or routine."),
        Output("headline", "In one line", "The urgency and the first step."),
        Output(
            "steps", "Do now", "Most urgent first, each with its strength, reasons and sources."
        ),
        Output(
            "later",
            "If this does not work",
            "The next moves, each with the condition that brings it in (and, when a missing "
            "pain score holds it back, the field to record), its reasons and sources.",
        ),
        Output("avoid", "Avoid for now", "Things not to do now, each with reasons and references."),
        Output("trace", "Rules applied", "The ids of the rules that fired, in order."),
    ),
    references=REFERENCES,
    rules=RULES,
    examples=(
        Example(
            "Leg pain returns after an epidural that helped",
            {
                "pain_pattern": "radicular",
                "weeks_since_onset": 60,
                "weeks_conservative_care": 40,
                "imaging": "concordant",
                "last_injection": "epidural",
                "relief_pct": 60,
                "relief_weeks": 16,
                "current_pain_nrs": 6,
                "epidurals_last_12_months": 2,
            },
            {
                "urgency": "routine",
                "steps": [
                    "repeat-epidural",
                    "follow-up",
                    "active-physiotherapy",
                    "non-opioid-medication",
                ],
                "later": ["surgical-referral"],
                "avoid": [
                    "blind-injection",
                    "long-term-opioids",
                    "bed-rest",
                    "routine-repeat-imaging",
                    "fusion",
                ],
            },
        ),
        Example(
            "Radicular pain not settling after 8 weeks, no scan yet",
            {
                "pain_pattern": "radicular",
                "weeks_since_onset": 8,
                "weeks_conservative_care": 7,
                "last_injection": "none",
            },
            {
                "urgency": "routine",
                "steps": [
                    "specialist-referral",
                    "mri",
                    "active-physiotherapy",
                    "non-opioid-medication",
                ],
                "later": [],
                "avoid": ["blind-injection", "long-term-opioids", "bed-rest"],
            },
        ),
        Example(
            "Guided epidural failed for mixed back and leg pain",
            {
                "pain_pattern": "mixed",
                "weeks_since_onset": 20,
                "weeks_conservative_care": 16,
                "imaging": "non_concordant",
                "last_injection": "epidural",
                "relief_pct": 10,
                "current_pain_nrs": 7,
                "epidurals_last_12_months": 1,
            },
            {
                "urgency": "routine",
                "steps": [
                    "reassess-pain-source",
                    "diagnostic-block",
                    "active-physiotherapy",
                    "non-opioid-medication",
                    "psychological-support",
                ],
                "later": ["pulsed-rf-drg", "scs-trial"],
                "avoid": ["repeat-epidural", "blind-injection", "long-term-opioids", "bed-rest"],
            },
        ),
        Example(
            "Epidurals help, but four fall within 12 months",
            {
                "pain_pattern": "radicular",
                "weeks_since_onset": 70,
                "weeks_conservative_care": 50,
                "imaging": "concordant",
                "last_injection": "epidural",
                "relief_pct": 70,
                "relief_weeks": 10,
                "current_pain_nrs": 6,
                "epidurals_last_12_months": 4,
            },
            {
                "urgency": "routine",
                "steps": [
                    "surgical-referral",
                    "active-physiotherapy",
                    "non-opioid-medication",
                    "psychological-support",
                ],
                "later": ["repeat-epidural"],
                "avoid": [
                    "blind-injection",
                    "long-term-opioids",
                    "bed-rest",
                    "routine-repeat-imaging",
                    "fusion",
                ],
            },
        ),
        Example(
            "Sciatica in a patient with suspected spinal metastases",
            {
                "red_flags": ["suspected_malignancy"],
                "pain_pattern": "radicular",
                "weeks_since_onset": 4,
            },
            {
                "urgency": "emergency",
                "steps": ["emergency-assessment", "mri"],
                "later": [],
                "avoid": [],
            },
        ),
        Example(
            "Worsening foot drop after an injection",
            {
                "red_flags": ["progressive_motor_deficit"],
                "pain_pattern": "radicular",
                "weeks_since_onset": 10,
                "last_injection": "epidural",
                "relief_pct": 20,
            },
            {
                "urgency": "emergency",
                "steps": ["emergency-assessment", "mri"],
                "later": [],
                "avoid": [],
            },
        ),
    ),
    compute=compute,
    cross_check=check_case,
    alert_while_incomplete=emergency_while_incomplete,
    scope=SCOPE,
    groups=(MORE_ABOUT_THE_PATIENT,),
)

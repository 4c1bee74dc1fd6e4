"""next_step inputs: their declarations, the cross-field checks, and the typed case.

The thresholds live here as named constants; the rules' plain-language conditions are
written from the same constants so the page and the logic cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import cast

from calculators.fields import Boolean, Choice, Integer, MultiChoice, Option, Problem
from calculators.model import Values

RESPONDER_PCT = 50  # epidural relief that justifies a repeat
BLOCK_POSITIVE_PCT = 80  # joint or medial branch block relief that justifies ablation
SCS_SUCCESS_PCT = 50  # relief during a stimulator trial that justifies an implant
MAX_EPIDURALS_12_MONTHS = 4  # per region in a rolling 12 months
CONSERVATIVE_WEEKS = 6  # failed conservative care before imaging or an epidural
PERSISTENT_WEEKS = 12  # pain this long is persistent
ADHESIOLYSIS_CONSERVATIVE_WEEKS = 12

YEARS_100 = 5200  # weeks: an upper bound that catches typing slips, not a clinical limit


def _relief(name: str, label: str, help: str) -> Integer:
    """A percentage relief that may be unknown (empty)."""
    return Integer(name=name, label=label, help=help, unit="%", nullable=True, min=0, max=100)


INPUTS = (
    MultiChoice(
        name="red_flags",
        label="Red flags present now",
        help="Any one of these stops the planner and asks for same-day emergency assessment.",
        default=(),
        choices=(
            Option(
                "cauda_equina", "Suspected cauda equina syndrome (bladder, bowel, saddle numbness)"
            ),
            Option(
                "progressive_motor_deficit", "Progressive motor weakness (e.g. worsening foot drop)"
            ),
            Option("suspected_infection", "Suspected spinal infection"),
            Option("suspected_malignancy", "Suspected cancer in the spine"),
            Option("suspected_fracture", "Suspected vertebral fracture"),
        ),
    ),
    Boolean(
        name="new_neuro_deficit",
        label="New neurological deficit",
        help="New (not progressive) numbness or weakness in the affected area since last seen.",
        default=False,
    ),
    Choice(
        name="pain_pattern",
        label="Main pain pattern",
        required=True,
        choices=(
            Option("radicular", "Radicular (leg pain below the knee in a nerve-root pattern)"),
            Option("axial", "Axial (mainly back pain)"),
            Option("mixed", "Mixed (back and radicular leg pain)"),
        ),
    ),
    Boolean(
        name="disabling",
        label="Pain is disabling",
        help="The pain stops the patient doing normal everyday tasks.",
        default=False,
    ),
    Integer(
        name="weeks_since_onset",
        label="Weeks since this episode began",
        unit="weeks",
        required=True,
        min=0,
        max=YEARS_100,
    ),
    Integer(
        name="weeks_conservative_care",
        label="Weeks of conservative care so far",
        help="Physiotherapy and medicines tried in this episode; at most the weeks since onset.",
        unit="weeks",
        default=0,
        min=0,
        max=YEARS_100,
    ),
    Boolean(name="prior_spine_surgery", label="Previous lumbar spine surgery", default=False),
    Choice(
        name="imaging",
        label="Latest MRI or CT",
        help="The most recent scan (since any surgery) and whether it explains the symptoms.",
        default="none",
        choices=(
            Option("none", "None done (or none since surgery)"),
            Option("concordant", "Shows compression or stenosis that matches the symptoms"),
            Option("non_concordant", "Does not explain the symptoms"),
        ),
    ),
    Boolean(
        name="instability",
        label="Instability on imaging",
        help="Spondylolisthesis or segmental instability.",
        default=False,
    ),
    Boolean(
        name="epidural_scarring",
        label="Epidural scarring",
        help="Epidural fibrosis on post-operative imaging.",
        default=False,
    ),
    Choice(
        name="last_injection",
        label="Most recent spinal injection",
        default="none",
        choices=(
            Option("none", "None"),
            Option("epidural", "Epidural steroid injection"),
            Option("facet", "Facet joint injection or medial branch block"),
            Option("sacroiliac", "Sacroiliac joint injection"),
        ),
    ),
    Boolean(
        name="last_injection_image_guided",
        label="That injection was image-guided",
        help="Given under fluoroscopy, CT or ultrasound.",
        default=True,
    ),
    _relief(
        "relief_pct",
        "Peak relief after that injection",
        "Best pain relief the patient had; leave empty when there has been no injection.",
    ),
    Integer(
        name="relief_weeks",
        label="Weeks the relief lasted",
        help="Recorded with the plan; the rules do not depend on it.",
        unit="weeks",
        nullable=True,
        min=0,
        max=520,
    ),
    Integer(
        name="epidurals_last_12_months",
        label="Epidurals in this region in the last 12 months",
        help="Count the most recent one too.",
        default=0,
        min=0,
        max=52,
    ),
    _relief(
        "diagnostic_block_relief_pct",
        "Relief after a diagnostic block",
        "Medial branch or SI joint block with local anaesthetic; empty if none done.",
    ),
    _relief(
        "scs_trial_relief_pct",
        "Relief during a spinal cord stimulator trial",
        "Empty if no trial has been done.",
    ),
    Boolean(
        name="opioid_risk",
        label="Raised risk of opioid misuse",
        help="For example a history of substance misuse or of escalating opioid doses.",
        default=False,
    ),
    Boolean(
        name="myofascial_trigger_points",
        label="Myofascial trigger points",
        help="Documented trigger points, for example gluteal or paravertebral.",
        default=False,
    ),
)


@dataclass(frozen=True)
class Case:
    """The checked inputs with the questions the rules ask of them."""

    red_flags: tuple[str, ...]
    new_neuro_deficit: bool
    pain_pattern: str
    disabling: bool
    weeks_since_onset: int
    weeks_conservative_care: int
    prior_spine_surgery: bool
    imaging: str
    instability: bool
    epidural_scarring: bool
    last_injection: str
    last_injection_image_guided: bool
    relief_pct: int | None
    relief_weeks: int | None
    epidurals_last_12_months: int
    diagnostic_block_relief_pct: int | None
    scs_trial_relief_pct: int | None
    opioid_risk: bool
    myofascial_trigger_points: bool

    @classmethod
    def from_values(cls, values: Values) -> Case:
        # Every value was checked against its declaration, so the casts are safe.
        return cls(**{f.name: values[f.name] for f in fields(cls)})  # type: ignore[arg-type]

    @property
    def radicular(self) -> bool:
        """Radicular or mixed: there is leg pain in a nerve-root pattern."""
        return self.pain_pattern != "axial"

    @property
    def conservative_care_tried(self) -> bool:
        return self.weeks_conservative_care >= CONSERVATIVE_WEEKS

    @property
    def persistent(self) -> bool:
        return self.weeks_since_onset >= PERSISTENT_WEEKS

    @property
    def relief(self) -> int:
        """Relief after the last injection (0 when there was none, never read then)."""
        return self.relief_pct or 0

    @property
    def after_epidural(self) -> bool:
        return self.last_injection == "epidural"

    @property
    def after_joint_injection(self) -> bool:
        return self.last_injection in ("facet", "sacroiliac")

    @property
    def epidural_limit_reached(self) -> bool:
        return self.epidurals_last_12_months >= MAX_EPIDURALS_12_MONTHS

    @property
    def epidural_failed(self) -> bool:
        """Under the responder threshold after an image-guided epidural."""
        return (
            self.after_epidural and self.last_injection_image_guided and self.relief < RESPONDER_PCT
        )

    @property
    def refractory_radicular(self) -> bool:
        """Leg pain with no further epidural to offer: a failed guided one, or the limit reached."""
        capped = (
            self.after_epidural and self.relief >= RESPONDER_PCT and self.epidural_limit_reached
        )
        return self.radicular and (self.epidural_failed or capped)


def check_case(values: Values) -> tuple[Problem, ...]:
    """Problems between fields, each reported on the field to change."""
    problems = []
    if cast(int, values["weeks_conservative_care"]) > cast(int, values["weeks_since_onset"]):
        problems.append(
            Problem(
                "weeks_conservative_care",
                "Weeks of conservative care cannot be more than the weeks since onset.",
            )
        )
    injected = values["last_injection"] != "none"
    if injected and values["relief_pct"] is None:
        problems.append(
            Problem(
                "relief_pct", "Enter the peak relief (0-100 %) after the most recent injection."
            )
        )
    if not injected and values["relief_pct"] is not None:
        problems.append(
            Problem(
                "relief_pct",
                "Leave the relief empty when there has been no injection, "
                "or choose the injection it followed.",
            )
        )
    return tuple(problems)

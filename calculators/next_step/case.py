"""next_step inputs: their declarations, the cross-field checks, and the typed case.

The thresholds live here as named constants; the rules' plain-language conditions are
written from the same constants so the page and the logic cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import cast

from guidesite.kit.fields import Boolean, Choice, Integer, MultiChoice, Number, Option, Problem
from guidesite.kit.model import Values

RESPONDER_PCT = 50  # epidural relief that justifies a repeat...
SUSTAINED_WEEKS = 2  # ...when it lasted at least this long (or its duration is unknown)
BLOCK_POSITIVE_PCT = 80  # joint or medial branch block relief that justifies ablation
SCS_SUCCESS_PCT = 50  # relief during a stimulator trial that justifies an implant
MAX_EPIDURALS_12_MONTHS = 4  # per region in a rolling 12 months, the last one included
CONSERVATIVE_WEEKS = 6  # failed conservative care before imaging or an epidural
PERSISTENT_WEEKS = 12  # pain this long is persistent
ADHESIOLYSIS_CONSERVATIVE_WEEKS = 12
SCS_CONSERVATIVE_WEEKS = 26  # NICE TA159: 6 months of pain despite conventional care...
# ...and at least 50 mm on a 100 mm VAS (5 on a 0-10 scale). The same line decides whether
# pain is severe enough for an epidural (NG59: severe sciatica), a diagnostic block,
# denervation (NG59) and the other procedures for chronic pain (rule 15).
PAIN_GATE_NRS = 5

YEARS_100 = 5200  # weeks: an upper bound that catches typing slips, not a clinical limit


def _relief(name: str, label: str, help: str) -> Integer:
    """A percentage relief that may be unknown (empty)."""
    return Integer(name=name, label=label, help=help, unit="%", nullable=True, min=0, max=100)


INPUTS = (
    MultiChoice(
        name="red_flags",
        label="Red flags present now",
        help=(
            "The first four ask for same-day emergency assessment, as do suspected cancer "
            "with leg pain and suspected cancer or fracture with a new deficit. Otherwise "
            "either asks for an urgent specialist referral and MRI."
        ),
        default=(),
        choices=(
            Option(
                "cauda_equina", "Suspected cauda equina syndrome (bladder, bowel, saddle numbness)"
            ),
            Option(
                "severe_motor_deficit",
                "New severe weakness, such as a foot drop (MRC grade 3 or less)",
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
    Number(
        name="current_pain_nrs",
        label="Pain now (0-10)",
        help=(
            "On a 0-10 scale (VAS in mm divided by 10); empty if not recorded. An epidural, a "
            f"diagnostic block, denervation and a stimulator need at least {PAIN_GATE_NRS} out "
            "of 10, and without a score they wait."
        ),
        nullable=True,
        min=0,
        max=10,
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
        help="Placed under fluoroscopic or CT guidance with contrast.",
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
        help=(
            "How long at least half the pain stayed away; empty if not recorded. A repeat "
            f"epidural needs relief that lasted {SUSTAINED_WEEKS} weeks or more."
        ),
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


EMERGENCY_FLAGS = (
    "cauda_equina",
    "severe_motor_deficit",
    "progressive_motor_deficit",
    "suspected_infection",
)
# Urgent on their own; an emergency with a new deficit (possible cord or cauda equina compression).
SERIOUS_PATHOLOGY_FLAGS = ("suspected_malignancy", "suspected_fracture")


def is_emergency(
    red_flags: tuple[str, ...], new_neuro_deficit: bool, pain_pattern: str | None
) -> bool:
    """Rule 1: a flag that needs same-day assessment. Suspected metastases with leg pain
    count too: NICE NG234 reads radicular pain there as a symptom of MSCC. Without a pain
    pattern (not given yet) only the other flags can say so."""
    serious = any(flag in SERIOUS_PATHOLOGY_FLAGS for flag in red_flags)
    return (
        any(flag in EMERGENCY_FLAGS for flag in red_flags)
        or (serious and new_neuro_deficit)
        or ("suspected_malignancy" in red_flags and pain_pattern in ("radicular", "mixed"))
    )


def emergency_while_incomplete(values: Values) -> str | None:
    """Rule 1 stops before any other answer is read, so an emergency flag is said at once,
    not after "Fill in: weeks since this episode began"."""
    red_flags = cast(tuple[str, ...], values.get("red_flags", ()))
    new_deficit = cast(bool, values.get("new_neuro_deficit", False))
    pattern = cast("str | None", values.get("pain_pattern"))
    if not is_emergency(red_flags, new_deficit, pattern):
        return None
    # Rule 1's MSCC wording: any emergency with suspected cancer.
    return (
        "Emergency: arrange a same-day emergency spinal assessment and an emergency MRI now"
        + (", and call the MSCC coordinator at once" if "suspected_malignancy" in red_flags else "")
        + "; no other answer changes this."
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
    current_pain_nrs: int | float | None
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
    def emergency(self) -> bool:
        return is_emergency(self.red_flags, self.new_neuro_deficit, self.pain_pattern)

    @property
    def serious_pathology(self) -> bool:
        """Rule 2: suspected cancer or fracture (urgent when rule 1 does not apply)."""
        return any(flag in SERIOUS_PATHOLOGY_FLAGS for flag in self.red_flags)

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
    def pain_missing(self) -> bool:
        return self.current_pain_nrs is None

    @property
    def pain_severe(self) -> bool:
        """A known pain score of at least 5/10 (rule 15: unknown is not severe)."""
        return self.current_pain_nrs is not None and self.current_pain_nrs >= PAIN_GATE_NRS

    @property
    def pain_mild(self) -> bool:
        """A known pain score below 5/10 (rule 5: unknown changes nothing)."""
        return self.current_pain_nrs is not None and self.current_pain_nrs < PAIN_GATE_NRS

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
    def relief_short_lived(self) -> bool:
        """Relief of at least half that is known to have lasted under 2 weeks."""
        return self.relief_weeks is not None and self.relief_weeks < SUSTAINED_WEEKS

    @property
    def sustained_responder(self) -> bool:
        return self.after_epidural and self.relief >= RESPONDER_PCT and not self.relief_short_lived

    @property
    def joint_injection_positive(self) -> bool:
        return self.after_joint_injection and self.relief >= BLOCK_POSITIVE_PCT

    @property
    def surgical_target(self) -> bool:
        """Thresholds: a matching scan or instability, and pain for 12 weeks or disabling."""
        return (self.imaging == "concordant" or self.instability) and (
            self.persistent or self.disabling
        )

    @property
    def scs_criteria(self) -> bool:
        """NICE TA159: 6 months of conventional care and at least 5/10 now (unknown is not met)."""
        return self.weeks_conservative_care >= SCS_CONSERVATIVE_WEEKS and self.pain_severe

    @property
    def block_gate(self) -> bool:
        """A diagnostic block only selects for denervation, so it waits for denervation's gate."""
        return self.persistent and self.pain_severe

    @property
    def denervation_criteria(self) -> bool:
        """NICE NG59: back pain for 12 weeks, at least 5/10, after non-surgical treatment."""
        return self.block_gate and self.conservative_care_tried and self.pain_pattern != "radicular"

    @property
    def epidural_failed(self) -> bool:
        """The last epidural failed: relief that did not last, or too little after an
        image-guided one (a blind one that failed proves nothing)."""
        if not self.after_epidural:
            return False
        if self.relief >= RESPONDER_PCT:
            return self.relief_short_lived
        return self.last_injection_image_guided

    @property
    def refractory(self) -> bool:
        """Rules 7 and 8: leg pain after an epidural that failed; the yearly limit alone
        never makes it refractory (rule 8b)."""
        return self.radicular and self.epidural_failed

    @property
    def epidural_next(self) -> bool:
        """Rules 6, 7 and 9 would add an epidural: after one that helped and lasted, after a
        blind one that failed (unless the scan shows no target), or after a joint injection
        that failed with a matching scan."""
        if not self.radicular:
            return False
        if self.after_epidural:
            blind_failure = self.relief < RESPONDER_PCT and not self.last_injection_image_guided
            return self.sustained_responder or (blind_failure and self.imaging != "non_concordant")
        return (
            self.after_joint_injection
            and not self.joint_injection_positive
            and self.imaging == "concordant"
        )

    @property
    def at_limit(self) -> bool:
        """Rule 8b: the next epidural is held back by the yearly limit; not refractory."""
        return self.epidural_next and self.epidural_limit_reached


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
    if not injected:
        problems.extend(
            Problem(name, message)
            for name, message, given in (
                (
                    "relief_pct",
                    "Leave the relief empty when there has been no injection, "
                    "or choose the injection it followed.",
                    values["relief_pct"] is not None,
                ),
                (
                    "relief_weeks",
                    "Leave the weeks of relief empty when there has been no injection, "
                    "or choose the injection it followed.",
                    values["relief_weeks"] is not None,
                ),
                (
                    "epidurals_last_12_months",
                    "Epidurals in the last 12 months must be 0 when there has been no "
                    "injection; choose the epidural as the most recent injection.",
                    cast(int, values["epidurals_last_12_months"]) > 0,
                ),
            )
            if given
        )
    return tuple(problems)

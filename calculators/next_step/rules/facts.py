"""The questions the next_step rules ask, each in words and in code (one place for both)."""

from __future__ import annotations

from calculators.next_step.case import (
    ADHESIOLYSIS_CONSERVATIVE_WEEKS,
    BLOCK_POSITIVE_PCT,
    CONSERVATIVE_WEEKS,
    MAX_EPIDURALS_12_MONTHS,
    PERSISTENT_WEEKS,
    RESPONDER_PCT,
    SCS_PAIN_NRS,
    SCS_SUCCESS_PCT,
    SCS_WEEKS,
    SUSTAINED_WEEKS,
)
from calculators.next_step.rules.base import Condition

ALWAYS = Condition("every plan without a red flag", lambda c: True)
EMERGENCY = Condition(
    "suspected cauda equina syndrome, a new severe or a progressive motor deficit, or suspected "
    "infection; or suspected cancer or fracture together with a new neurological deficit",
    lambda c: c.emergency,
)
SERIOUS_PATHOLOGY = Condition(
    "suspected cancer or fracture, with no emergency flag and no new neurological deficit",
    lambda c: c.serious_pathology,
)
NEW_DEFICIT = Condition("a new neurological deficit", lambda c: c.new_neuro_deficit)
DISABLING = Condition("the pain is disabling", lambda c: c.disabling)
DISABLING_ONLY = Condition(
    "the pain is disabling and there is no new deficit",
    lambda c: c.disabling and not c.new_neuro_deficit,
)
NOT_DISABLING = Condition("the pain is not disabling", lambda c: not c.disabling)
OPIOID_RISK = Condition("a raised risk of opioid misuse", lambda c: c.opioid_risk)
TRIGGER_POINTS = Condition(
    "documented myofascial trigger points", lambda c: c.myofascial_trigger_points
)

LEG_PAIN = Condition("radicular or mixed pain", lambda c: c.radicular)
BACK_PAIN_ONLY = Condition("axial pain", lambda c: not c.radicular)
MIXED_PAIN = Condition("mixed pain", lambda c: c.pain_pattern == "mixed")

PERSISTENT = Condition(f"{PERSISTENT_WEEKS} weeks or more since onset", lambda c: c.persistent)
NOT_PERSISTENT = Condition(
    f"under {PERSISTENT_WEEKS} weeks since onset", lambda c: not c.persistent
)
CARE_TRIED = Condition(
    f"{CONSERVATIVE_WEEKS} weeks or more of conservative care", lambda c: c.conservative_care_tried
)
CARE_NOT_TRIED = Condition(
    f"under {CONSERVATIVE_WEEKS} weeks of conservative care",
    lambda c: not c.conservative_care_tried,
)
EPIDURAL_DUE = Condition(
    f"{CONSERVATIVE_WEEKS} weeks or more of conservative care, or disabling pain",
    lambda c: c.conservative_care_tried or c.disabling,
)
IMAGING_NOT_DUE = Condition(
    f"under {CONSERVATIVE_WEEKS} weeks of conservative care, pain not disabling, and no "
    "previous spine surgery",
    lambda c: not (c.conservative_care_tried or c.disabling or c.prior_spine_surgery),
)

NO_SCAN = Condition("no scan", lambda c: c.imaging == "none")
HAS_SCAN = Condition("a scan", lambda c: c.imaging != "none")
MATCHING_SCAN = Condition("a scan that matches the symptoms", lambda c: c.imaging == "concordant")
NON_MATCHING_SCAN = Condition(
    "a scan that does not explain the symptoms", lambda c: c.imaging == "non_concordant"
)
INSTABILITY = Condition("instability on imaging", lambda c: c.instability)
NO_INSTABILITY = Condition("no instability", lambda c: not c.instability)
MATCHING_SCAN_OR_INSTABILITY = Condition(
    "a scan that matches the symptoms or instability",
    lambda c: c.imaging == "concordant" or c.instability,
)

PRIOR_SURGERY = Condition("previous spine surgery", lambda c: c.prior_spine_surgery)
NO_SURGERY_NO_SCAN = Condition(
    "no scan and no previous spine surgery",
    lambda c: c.imaging == "none" and not c.prior_spine_surgery,
)
SCARRING_AFTER_CARE = Condition(
    f"epidural scarring and {ADHESIOLYSIS_CONSERVATIVE_WEEKS} weeks or more of conservative care",
    lambda c: c.epidural_scarring and c.weeks_conservative_care >= ADHESIOLYSIS_CONSERVATIVE_WEEKS,
)

NO_INJECTION = Condition("no injection yet", lambda c: c.last_injection == "none")
AFTER_EPIDURAL = Condition("the last injection was an epidural", lambda c: c.after_epidural)
AFTER_JOINT_INJECTION = Condition(
    "the last injection was into a facet or sacroiliac joint", lambda c: c.after_joint_injection
)
NOT_IMAGE_GUIDED = Condition("it was not image-guided", lambda c: not c.last_injection_image_guided)
IMAGE_GUIDED = Condition("it was image-guided", lambda c: c.last_injection_image_guided)
RESPONDED = Condition(f"relief of {RESPONDER_PCT} % or more", lambda c: c.relief >= RESPONDER_PCT)
NO_RESPONSE = Condition(f"relief under {RESPONDER_PCT} %", lambda c: c.relief < RESPONDER_PCT)
SUSTAINED = Condition(
    f"relief lasted {SUSTAINED_WEEKS} weeks or more, or its duration is not recorded",
    lambda c: not c.relief_short_lived,
)
SUSTAINED_KNOWN = Condition(
    f"relief lasted {SUSTAINED_WEEKS} weeks or more",
    lambda c: c.relief_weeks is not None and not c.relief_short_lived,
)
DURATION_UNKNOWN = Condition(
    "how long the relief lasted is not recorded", lambda c: c.relief_weeks is None
)
SHORT_LIVED = Condition(
    f"relief lasted under {SUSTAINED_WEEKS} weeks", lambda c: c.relief_short_lived
)
LIMIT_REACHED = Condition(
    f"{MAX_EPIDURALS_12_MONTHS} or more epidurals in this region in the last 12 months",
    lambda c: c.epidural_limit_reached,
)
LIMIT_NOT_REACHED = Condition(
    f"fewer than {MAX_EPIDURALS_12_MONTHS} epidurals in this region in the last 12 months",
    lambda c: not c.epidural_limit_reached,
)
JOINT_POSITIVE = Condition(
    f"relief of {BLOCK_POSITIVE_PCT} % or more", lambda c: c.relief >= BLOCK_POSITIVE_PCT
)
JOINT_NEGATIVE = Condition(
    f"relief under {BLOCK_POSITIVE_PCT} %", lambda c: c.relief < BLOCK_POSITIVE_PCT
)

NO_BLOCK_RESULT = Condition(
    "no diagnostic block result", lambda c: c.diagnostic_block_relief_pct is None
)
BLOCK_POSITIVE = Condition(
    f"a diagnostic block gave {BLOCK_POSITIVE_PCT} % relief or more",
    lambda c: (c.diagnostic_block_relief_pct or 0) >= BLOCK_POSITIVE_PCT,
)
BLOCK_NEGATIVE = Condition(
    f"a diagnostic block gave under {BLOCK_POSITIVE_PCT} % relief",
    lambda c: (
        c.diagnostic_block_relief_pct is not None
        and c.diagnostic_block_relief_pct < BLOCK_POSITIVE_PCT
    ),
)

REFRACTORY = Condition(
    "refractory leg pain: after an epidural, relief that did not last, or no response to an "
    "image-guided one; or no further epidural allowed because the 12-month limit is reached",
    lambda c: c.refractory,
)
EPIDURALS_FAILED = Condition(
    "the last epidural failed: relief that did not last, or under "
    f"{RESPONDER_PCT} % after an image-guided one",
    lambda c: c.epidural_failed,
)
LIMIT_ALONE = Condition(
    "no failed epidural: only the 12-month limit stops another one",
    lambda c: not c.epidural_failed,
)
NOT_REFRACTORY = Condition("the leg pain is not refractory", lambda c: not c.refractory)
SURGICAL_TARGET = Condition(
    f"a surgical target: a matching scan or instability, and {PERSISTENT_WEEKS} weeks or more "
    "since onset",
    lambda c: c.surgical_target,
)
NO_SURGICAL_TARGET = Condition("no surgical target", lambda c: not c.surgical_target)
SCS_NOW = Condition(
    f"NICE TA159 criteria met ({SCS_WEEKS} weeks or more since onset and pain now at least "
    f"{SCS_PAIN_NRS}/10) and either previous spine surgery or no surgical target",
    lambda c: c.scs_criteria and (c.prior_spine_surgery or not c.surgical_target),
)
SCS_NOT_YET = Condition(
    "otherwise", lambda c: not (c.scs_criteria and (c.prior_spine_surgery or not c.surgical_target))
)
NO_TRIAL_RESULT = Condition("no stimulator trial result", lambda c: c.scs_trial_relief_pct is None)
TRIAL_SUCCESS = Condition(
    f"a stimulator trial gave {SCS_SUCCESS_PCT} % relief or more",
    lambda c: (c.scs_trial_relief_pct or 0) >= SCS_SUCCESS_PCT,
)
TRIAL_FAILURE = Condition(
    f"a stimulator trial gave under {SCS_SUCCESS_PCT} % relief",
    lambda c: c.scs_trial_relief_pct is not None and c.scs_trial_relief_pct < SCS_SUCCESS_PCT,
)


def flag(name: str, text: str) -> Condition:
    """One red flag ticked."""
    return Condition(text, lambda c: name in c.red_flags)

"""The questions the next_step rules ask, each in words and in code (one place for both)."""

from __future__ import annotations

from calculators.next_step.case import (
    ADHESIOLYSIS_CONSERVATIVE_WEEKS,
    BLOCK_POSITIVE_PCT,
    CONSERVATIVE_WEEKS,
    INPUTS,
    MAX_EPIDURALS_12_MONTHS,
    PAIN_GATE_NRS,
    PERSISTENT_WEEKS,
    RESPONDER_PCT,
    SCS_CONSERVATIVE_WEEKS,
    SCS_SUCCESS_PCT,
    SUSTAINED_WEEKS,
)
from calculators.next_step.rules.base import Condition

# The words of a `later` item that waits only for a pain score, naming the form's field.
PAIN_FIELD = "current_pain_nrs"
_PAIN_LABEL = next(field.label for field in INPUTS if field.name == PAIN_FIELD)
RECORD_PAIN = f"record the pain score ({_PAIN_LABEL}): at least {PAIN_GATE_NRS}/10 is needed"

ALWAYS = Condition("every plan without a red flag", lambda c: True)
EMERGENCY = Condition(
    "suspected cauda equina syndrome, a new severe or a progressive motor deficit, or suspected "
    "infection; or suspected cancer or fracture together with a new neurological deficit; or "
    "suspected cancer with radicular or mixed pain",
    lambda c: c.emergency,
)
SERIOUS_PATHOLOGY = Condition(
    "suspected cancer with axial pain, or suspected fracture, with no emergency flag and no new "
    "neurological deficit",
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
EPIDURAL_NOT_DUE = Condition(
    f"under {CONSERVATIVE_WEEKS} weeks of conservative care and pain not disabling",
    lambda c: not (c.conservative_care_tried or c.disabling),
)
IMAGING_NOT_DUE = Condition(
    f"under {CONSERVATIVE_WEEKS} weeks of conservative care, under {PERSISTENT_WEEKS} weeks "
    "since onset, pain not disabling, and no previous spine surgery",
    lambda c: (
        not (c.conservative_care_tried or c.persistent or c.disabling or c.prior_spine_surgery)
    ),
)

PAIN_MISSING = Condition("no pain score recorded", lambda c: c.pain_missing)
PAIN_GIVEN = Condition("a pain score recorded", lambda c: not c.pain_missing)
PAIN_SEVERE = Condition(f"pain now at least {PAIN_GATE_NRS}/10", lambda c: c.pain_severe)
PAIN_MILD = Condition(f"pain now recorded below {PAIN_GATE_NRS}/10", lambda c: c.pain_mild)
NOT_PAIN_MILD = Condition(
    f"pain now not recorded below {PAIN_GATE_NRS}/10", lambda c: not c.pain_mild
)
BLOCK_GATE = Condition(
    f"back pain for {PERSISTENT_WEEKS} weeks or more and at least {PAIN_GATE_NRS}/10 now",
    lambda c: c.block_gate,
)
BLOCK_GATE_NOT_MET = Condition(
    f"under {PERSISTENT_WEEKS} weeks since onset or pain now recorded below {PAIN_GATE_NRS}/10",
    lambda c: not c.block_gate and not c.pain_missing,
)

NO_SCAN = Condition("no scan", lambda c: c.imaging == "none")
HAS_SCAN = Condition("a scan", lambda c: c.imaging != "none")
MATCHING_SCAN = Condition("a scan that matches the symptoms", lambda c: c.imaging == "concordant")
NON_MATCHING_SCAN = Condition(
    "a scan that does not explain the symptoms", lambda c: c.imaging == "non_concordant"
)
NO_SCAN_OR_MATCHING = Condition(
    "no scan, or a scan that matches the symptoms", lambda c: c.imaging != "non_concordant"
)
INSTABILITY = Condition("instability on imaging", lambda c: c.instability)
NO_INSTABILITY = Condition("no instability", lambda c: not c.instability)
MATCHING_SCAN_OR_INSTABILITY = Condition(
    "a scan that matches the symptoms or instability",
    lambda c: c.imaging == "concordant" or c.instability,
)

PRIOR_SURGERY = Condition("previous spine surgery", lambda c: c.prior_spine_surgery)
NO_PRIOR_SURGERY = Condition("no previous spine surgery", lambda c: not c.prior_spine_surgery)
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
SUSTAINED_RESPONSE = Condition(
    f"relief of {RESPONDER_PCT} % or more that lasted {SUSTAINED_WEEKS} weeks or more, or for "
    "a time not recorded",
    lambda c: c.sustained_responder,
)
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
    "image-guided one",
    lambda c: c.refractory,
)
NOT_REFRACTORY = Condition("the leg pain is not refractory", lambda c: not c.refractory)
AT_LIMIT = Condition(
    "leg pain for which an epidural would be next, held back by the limit of "
    f"{MAX_EPIDURALS_12_MONTHS} epidurals in this region in 12 months",
    lambda c: c.at_limit,
)
SURGICAL_TARGET = Condition(
    "a surgical target: a matching scan or instability, and "
    f"{PERSISTENT_WEEKS} weeks or more since onset or disabling pain",
    lambda c: c.surgical_target,
)
NO_SURGICAL_TARGET = Condition("no surgical target", lambda c: not c.surgical_target)
_TA159 = (
    f"NICE TA159 criteria met ({SCS_CONSERVATIVE_WEEKS} weeks or more of conservative care and "
    f"pain now at least {PAIN_GATE_NRS}/10)"
)
SCS_CRITERIA = Condition(_TA159, lambda c: c.scs_criteria)
SCS_CRITERIA_NOT_MET = Condition(
    "NICE TA159 criteria not met, with a pain score recorded",
    lambda c: not c.scs_criteria and not c.pain_missing,
)
SCS_NOW = Condition(
    f"{_TA159} and either previous spine surgery or no surgical target",
    lambda c: c.scs_criteria and (c.prior_spine_surgery or not c.surgical_target),
)
SCS_NOT_YET = Condition(
    "otherwise, with a pain score recorded",
    lambda c: (
        not c.pain_missing
        and not (c.scs_criteria and (c.prior_spine_surgery or not c.surgical_target))
    ),
)
DENERVATION_CRITERIA = Condition(
    f"back pain for {PERSISTENT_WEEKS} weeks or more, at least {PAIN_GATE_NRS}/10 now, and "
    f"{CONSERVATIVE_WEEKS} weeks or more of conservative care",
    lambda c: c.denervation_criteria,
)
DENERVATION_NOT_YET = Condition(
    "otherwise, with a pain score recorded",
    lambda c: not c.denervation_criteria and not c.pain_missing,
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

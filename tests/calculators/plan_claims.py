"""Facts a next_step `why` may state, and the inputs that must hold when it does.

Written independently of the rules: each pattern is a phrase a reason could use to state
a fact about this patient, and the check reads the raw inputs (with the contract's defaults).
A reason that uses the phrase when the check fails states something the inputs contradict.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

DEFAULTS: dict[str, Any] = {
    "red_flags": [],
    "new_neuro_deficit": False,
    "disabling": False,
    "weeks_conservative_care": 0,
    "prior_spine_surgery": False,
    "imaging": "none",
    "instability": False,
    "epidural_scarring": False,
    "last_injection": "none",
    "last_injection_image_guided": True,
    "relief_pct": None,
    "relief_weeks": None,
    "current_pain_nrs": None,
    "epidurals_last_12_months": 0,
    "diagnostic_block_relief_pct": None,
    "scs_trial_relief_pct": None,
    "opioid_risk": False,
    "myofascial_trigger_points": False,
}

Check = Callable[[dict[str, Any]], bool]


def _relief(i: dict[str, Any]) -> int:
    return i["relief_pct"] or 0


def _epidural_failed(i: dict[str, Any]) -> bool:
    """The last epidural gave too little relief, or relief known to have lasted under 2 weeks."""
    lasted = i["relief_weeks"] if i["relief_weeks"] is not None else 99
    return i["last_injection"] == "epidural" and (_relief(i) < 50 or lasted < 2)


CLAIMS: list[tuple[str, Check]] = [
    (r"disabling|stops everyday tasks", lambda i: i["disabling"]),
    (r"within 3 months of onset", lambda i: i["weeks_since_onset"] < 12),
    (r"3 months have passed", lambda i: i["weeks_since_onset"] >= 12),
    (r"(lasted|for) 12 weeks or more", lambda i: i["weeks_since_onset"] >= 12),
    (r"lasted 6 months or more", lambda i: i["weeks_since_onset"] >= 26),
    (r"at least 5/10 despite", lambda i: (i["current_pain_nrs"] or 0) >= 5),
    (
        r"despite (conventional|conservative) care",
        lambda i: i["weeks_conservative_care"] >= 26,
    ),
    (
        r"(not|without) wait(ing)? for conservative care",
        lambda i: i["weeks_conservative_care"] < 6,
    ),
    (r"conservative care have not settled", lambda i: i["weeks_conservative_care"] >= 6),
    (r"epidurals no longer control|despite injections", _epidural_failed),
    (r"did not touch", lambda i: _relief(i) < 50),
    (r"previous spine surgery|after (spine )?surgery", lambda i: i["prior_spine_surgery"]),
    (
        r"placed without image guidance",
        lambda i: i["last_injection"] == "epidural" and not i["last_injection_image_guided"],
    ),
    (
        r"well-placed epidural fails|image-guided epidural that gave under",
        lambda i: i["last_injection"] == "epidural" and i["last_injection_image_guided"],
    ),
    (
        r"scan (already )?matches|matching scan|scan that matches",
        lambda i: i["imaging"] == "concordant",
    ),
    (r"scan does not explain", lambda i: i["imaging"] == "non_concordant"),
    (r"no scan has been done", lambda i: i["imaging"] == "none"),
    (r"^instability on imaging|with instability", lambda i: i["instability"]),
    (r"without instability", lambda i: not i["instability"]),
    (r"epidural scarring", lambda i: i["epidural_scarring"]),
    (
        r"last epidural gave 50 % relief or more",
        lambda i: i["last_injection"] == "epidural" and _relief(i) >= 50,
    ),
    (
        r"relief lasted under 2 weeks",
        lambda i: (i["relief_weeks"] if i["relief_weeks"] is not None else 99) < 2,
    ),
    (r"for 2 weeks or more, which", lambda i: (i["relief_weeks"] or 0) >= 2),
    (r"how long it lasted is not recorded", lambda i: i["relief_weeks"] is None),
    (
        r"joint injection gave under 80 %",
        lambda i: i["last_injection"] in ("facet", "sacroiliac") and _relief(i) < 80,
    ),
    (
        r"80 % relief or more after a joint injection",
        lambda i: i["last_injection"] in ("facet", "sacroiliac") and _relief(i) >= 80,
    ),
    (
        r"diagnostic block gave 80 % relief or more",
        lambda i: (i["diagnostic_block_relief_pct"] or 0) >= 80,
    ),
    (
        r"diagnostic block with under 80 %|negative diagnostic block",
        lambda i: (
            i["diagnostic_block_relief_pct"] is not None and i["diagnostic_block_relief_pct"] < 80
        ),
    ),
    (r"trial gave 50 % relief or more", lambda i: (i["scs_trial_relief_pct"] or 0) >= 50),
    (
        r"trial gave under 50 %",
        lambda i: i["scs_trial_relief_pct"] is not None and i["scs_trial_relief_pct"] < 50,
    ),
    (
        r"at least 4 epidurals|would exceed 4 injections",
        lambda i: i["epidurals_last_12_months"] >= 4,
    ),
    (r"documented trigger points", lambda i: i["myofascial_trigger_points"]),
    (r"raises the risk of opioid misuse", lambda i: i["opioid_risk"]),
    (r"new sensory or motor change|new neurological findings", lambda i: i["new_neuro_deficit"]),
    (r"back pain without leg pain", lambda i: i["pain_pattern"] == "axial"),
    (r"back pain alongside the leg pain", lambda i: i["pain_pattern"] == "mixed"),
    (r"suspected cauda equina", lambda i: "cauda_equina" in i["red_flags"]),
    (r"new severe weakness", lambda i: "severe_motor_deficit" in i["red_flags"]),
    (r"weakness that is getting worse", lambda i: "progressive_motor_deficit" in i["red_flags"]),
    (r"suspected spinal infection", lambda i: "suspected_infection" in i["red_flags"]),
    (r"suspected cancer in the spine", lambda i: "suspected_malignancy" in i["red_flags"]),
    (r"suspected vertebral fracture", lambda i: "suspected_fracture" in i["red_flags"]),
    (
        r"together with a new neurological deficit",
        lambda i: (
            i["new_neuro_deficit"]
            and bool({"suspected_malignancy", "suspected_fracture"} & set(i["red_flags"]))
        ),
    ),
]


def contradicted(inputs: dict[str, Any], why: str) -> list[str]:
    """The claim patterns `why` uses that the inputs contradict."""
    full = DEFAULTS | inputs
    return [
        pattern
        for pattern, holds in CLAIMS
        for sentence in sentences(why)
        if re.search(pattern, sentence, flags=re.IGNORECASE) and not holds(full)
    ]


def sentences(text: str) -> list[str]:
    """A reason split into sentences (a full stop followed by a space ends one)."""
    return [part.strip() for part in re.split(r"(?<=\.)\s+", text) if part.strip()]

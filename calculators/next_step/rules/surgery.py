"""Rules after spine surgery, for stimulator trials, and for imaging and fusion discipline."""

from __future__ import annotations

from calculators.next_step.case import (
    ADHESIOLYSIS_CONSERVATIVE_WEEKS,
    MAX_EPIDURALS_12_MONTHS,
    RESPONDER_PCT,
    SCS_SUCCESS_PCT,
)
from calculators.next_step.rules.base import Rule

RULES: tuple[Rule, ...] = (
    # After spine surgery
    Rule(
        id="post-surgery-imaging",
        when="previous spine surgery and no scan since",
        steps=("mri",),
        why=(
            "Pain after surgery has causes that imaging shows: recurrent disc herniation, "
            "incomplete decompression, instability, adjacent segment disease or scarring."
        ),
        refs=("baber2016", "nice-ng59"),
        applies=lambda c: c.prior_spine_surgery and c.imaging == "none",
    ),
    Rule(
        id="post-surgery-psychology",
        when="previous spine surgery",
        steps=("psychological-support",),
        why=(
            "Persistent pain after surgery often comes with distress and fear of movement; a "
            "psychologically informed programme helps the rest of the plan work."
        ),
        refs=("baber2016", "nice-ng59"),
        applies=lambda c: c.prior_spine_surgery,
    ),
    Rule(
        id="post-surgery-adhesiolysis",
        when=(
            "previous spine surgery, epidural scarring, and "
            f"{ADHESIOLYSIS_CONSERVATIVE_WEEKS} or more weeks of conservative care"
        ),
        steps=("adhesiolysis",),
        why=(
            "Scar tissue around the nerve roots that conservative care has not helped may be "
            "freed by adhesiolysis."
        ),
        refs=("baber2016",),
        applies=lambda c: (
            c.prior_spine_surgery
            and c.epidural_scarring
            and c.weeks_conservative_care >= ADHESIOLYSIS_CONSERVATIVE_WEEKS
        ),
    ),
    Rule(
        id="post-surgery-scs-trial",
        when=(
            f"previous spine surgery, leg pain, no stimulator trial yet, and an epidural with "
            f"under {RESPONDER_PCT} % relief or {MAX_EPIDURALS_12_MONTHS} or more epidurals "
            "in 12 months"
        ),
        steps=("scs-trial",),
        why=(
            "Neuropathic leg pain that persists after surgery and epidurals is what spinal cord "
            "stimulation is for; a trial in a specialist centre comes first."
        ),
        refs=("nice-ta159", "baber2016"),
        applies=lambda c: (
            c.prior_spine_surgery
            and c.radicular
            and c.scs_trial_relief_pct is None
            and ((c.after_epidural and c.relief < RESPONDER_PCT) or c.epidural_limit_reached)
        ),
    ),
    Rule(
        id="post-surgery-surgical-opinion",
        when="previous spine surgery with instability or a scan that matches the symptoms",
        steps=("surgical-referral",),
        why=(
            "A correctable cause after surgery, such as instability or recurrent compression, "
            "needs a surgeon's view."
        ),
        refs=("baber2016", "nice-ng59"),
        applies=lambda c: c.prior_spine_surgery and (c.instability or c.imaging == "concordant"),
    ),
    # Spinal cord stimulator trial result
    Rule(
        id="scs-trial-success",
        when=f"a stimulator trial gave {SCS_SUCCESS_PCT} % relief or more",
        steps=("scs-implant",),
        why=f"A trial with {SCS_SUCCESS_PCT} % relief or more supports a permanent implant.",
        refs=("nice-ta159",),
        applies=lambda c: (c.scs_trial_relief_pct or 0) >= SCS_SUCCESS_PCT,
    ),
    Rule(
        id="scs-trial-failure",
        when=f"a stimulator trial gave under {SCS_SUCCESS_PCT} % relief",
        avoid=("scs-implant",),
        why="A trial that did not give enough relief predicts that an implant will not either.",
        refs=("nice-ta159",),
        applies=lambda c: (
            c.scs_trial_relief_pct is not None and c.scs_trial_relief_pct < SCS_SUCCESS_PCT
        ),
    ),
    # Imaging and surgical discipline
    Rule(
        id="no-repeat-imaging",
        when="a scan that matches the symptoms and no new deficit",
        avoid=("routine-repeat-imaging",),
        why=(
            "The existing scan already explains the symptoms; repeating it adds nothing "
            "without new findings."
        ),
        refs=("nice-ng59",),
        applies=lambda c: c.imaging == "concordant" and not c.new_neuro_deficit,
    ),
    Rule(
        id="no-fusion",
        when="a surgical referral is planned and there is no instability",
        avoid=("fusion",),
        why=(
            "For an isolated disc herniation, decompression or discectomy is done without "
            "fusion. NICE offers fusion for back pain only within a trial; clinical summaries "
            "keep it for instability."
        ),
        refs=("nice-ng59", "summary-postsurgical"),
        applies=lambda c: not c.instability,
        needs_step="surgical-referral",
    ),
)

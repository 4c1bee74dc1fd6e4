"""Rules that read the result of the last injection or of a diagnostic block."""

from __future__ import annotations

from calculators.next_step.case import (
    BLOCK_POSITIVE_PCT,
    MAX_EPIDURALS_12_MONTHS,
    PERSISTENT_WEEKS,
    RESPONDER_PCT,
)
from calculators.next_step.rules.base import Rule

RULES: tuple[Rule, ...] = (
    # After an epidural: radicular or mixed pain
    Rule(
        id="epidural-responder",
        when=(
            f"leg pain, last injection an epidural with {RESPONDER_PCT} % relief or more, "
            f"fewer than {MAX_EPIDURALS_12_MONTHS} epidurals in 12 months"
        ),
        steps=("repeat-epidural", "follow-up"),
        why=(
            f"At least {RESPONDER_PCT} % relief justifies repeating the epidural at the same "
            "level. Time physiotherapy for the window of relief, and review with pain and ODI "
            "scores at 2 weeks, 1 month and 2 months."
        ),
        refs=("cms-lcd-esi", "vanboxem2010"),
        applies=lambda c: (
            c.radicular
            and c.after_epidural
            and c.relief >= RESPONDER_PCT
            and not c.epidural_limit_reached
        ),
    ),
    Rule(
        id="epidural-limit",
        when=(
            f"leg pain, last epidural gave {RESPONDER_PCT} % relief or more, but "
            f"{MAX_EPIDURALS_12_MONTHS} or more epidurals in 12 months"
        ),
        avoid=("repeat-epidural",),
        why=(
            f"No more than {MAX_EPIDURALS_12_MONTHS} epidurals per region in a rolling 12 months, "
            "however well they work; other options are looked at instead."
        ),
        refs=("cms-lcd-esi",),
        applies=lambda c: (
            c.radicular
            and c.after_epidural
            and c.relief >= RESPONDER_PCT
            and c.epidural_limit_reached
        ),
    ),
    Rule(
        id="blind-epidural-failed",
        when=f"leg pain, last epidural not image-guided, under {RESPONDER_PCT} % relief",
        steps=("image-guided-epidural",),
        why=(
            "An injection placed without image guidance may never have reached the nerve root, "
            "so its failure does not show that epidurals fail; try one under guidance."
        ),
        refs=("vanboxem2010", "cms-lcd-esi"),
        applies=lambda c: (
            c.radicular
            and c.after_epidural
            and not c.last_injection_image_guided
            and c.relief < RESPONDER_PCT
        ),
    ),
    Rule(
        id="guided-epidural-failed",
        when=f"leg pain, last epidural image-guided, under {RESPONDER_PCT} % relief",
        steps=("reassess-pain-source",),
        avoid=("repeat-epidural",),
        why=(
            "A well-placed epidural that did not help will not help on repeat. Re-examine, check "
            "that the scan explains the symptoms, and look for another pain source such as a "
            "facet or sacroiliac joint."
        ),
        refs=("cms-lcd-esi", "pinto2012", "lee2013"),
        applies=lambda c: c.radicular and c.epidural_failed,
    ),
    Rule(
        id="guided-epidural-failed-no-scan",
        when="as for guided-epidural-failed, and no scan yet",
        steps=("mri",),
        why="Before going further the anatomy has to be known: arrange an MRI.",
        refs=("nice-ng59", "lee2013"),
        applies=lambda c: c.radicular and c.epidural_failed and c.imaging == "none",
    ),
    Rule(
        id="refractory-leg-pain",
        when=(
            "leg pain with no further epidural to offer (a guided one failed, or the "
            "12-month limit is reached)"
        ),
        steps=("pulsed-rf-drg",),
        why=(
            "Pulsed radiofrequency next to the dorsal root ganglion is an option for radicular "
            "pain that epidurals no longer control."
        ),
        refs=("vanboxem2010",),
        applies=lambda c: c.refractory_radicular,
    ),
    Rule(
        id="refractory-surgical-option",
        when=(
            "as for refractory-leg-pain, and either a matching scan with "
            f"{PERSISTENT_WEEKS} or more weeks since onset, or instability"
        ),
        steps=("surgical-referral",),
        why=(
            "Persistent leg pain with a matching scan, or an unstable segment, deserves a "
            "surgeon's opinion once injections have run their course."
        ),
        refs=("nice-ng59", "lee2013"),
        applies=lambda c: (
            c.refractory_radicular
            and ((c.imaging == "concordant" and c.persistent) or c.instability)
        ),
    ),
    # After an epidural: axial pain
    Rule(
        id="axial-epidural-failed",
        when=f"back pain only, last injection an epidural with under {RESPONDER_PCT} % relief",
        steps=("reassess-pain-source",),
        avoid=("repeat-epidural",),
        why=(
            "Epidurals target nerve-root pain; back pain that did not respond more likely comes "
            "from elsewhere, such as a facet or sacroiliac joint."
        ),
        refs=("nice-ng59", "cohen2020"),
        applies=lambda c: not c.radicular and c.after_epidural and c.relief < RESPONDER_PCT,
    ),
    Rule(
        id="test-joint-source",
        when=(
            "an epidural did not help back pain (back pain only, or mixed pain after an "
            "image-guided epidural) and no diagnostic block has been done"
        ),
        steps=("diagnostic-block",),
        why=(
            "A facet or sacroiliac joint may be causing the back pain; a local anaesthetic "
            "block tests that before any ablation is considered."
        ),
        refs=("cohen2020", "cms-lcd-facet"),
        applies=lambda c: (
            c.diagnostic_block_relief_pct is None
            and c.after_epidural
            and c.relief < RESPONDER_PCT
            and (c.pain_pattern == "axial" or (c.pain_pattern == "mixed" and c.epidural_failed))
        ),
    ),
    # After a facet or sacroiliac joint injection
    Rule(
        id="joint-injection-positive",
        when=f"last injection into a facet or SI joint, {BLOCK_POSITIVE_PCT} % relief or more",
        steps=("radiofrequency-ablation",),
        why=(
            f"{BLOCK_POSITIVE_PCT} % relief points to the joint as the pain source, so "
            "radiofrequency denervation can give longer relief. The calculator uses the "
            f"{BLOCK_POSITIVE_PCT} % threshold of US payer criteria; some NHS policies accept "
            "50 %, which finds more candidates but more false positives."
        ),
        refs=("cms-lcd-facet", "cohen2020", "nice-ng59"),
        applies=lambda c: c.after_joint_injection and c.relief >= BLOCK_POSITIVE_PCT,
    ),
    Rule(
        id="joint-injection-negative",
        when=f"last injection into a facet or SI joint, under {BLOCK_POSITIVE_PCT} % relief",
        steps=("reassess-pain-source",),
        avoid=("repeat-joint-injection",),
        why=(
            "The joint injected is probably not the main source; repeating the same injection "
            "will not change that, so look again at where the pain comes from."
        ),
        refs=("cms-lcd-facet", "nice-ng59"),
        applies=lambda c: c.after_joint_injection and c.relief < BLOCK_POSITIVE_PCT,
    ),
    Rule(
        id="joint-injection-negative-matching-scan",
        when="as for joint-injection-negative, with leg pain and a matching scan",
        steps=("image-guided-epidural",),
        why="Leg pain and scan both point to the nerve root, which a guided epidural targets.",
        refs=("nice-ng59", "vanboxem2010"),
        applies=lambda c: (
            c.after_joint_injection
            and c.relief < BLOCK_POSITIVE_PCT
            and c.radicular
            and c.imaging == "concordant"
        ),
    ),
    Rule(
        id="joint-injection-negative-no-scan",
        when="as for joint-injection-negative, with leg pain and no scan yet",
        steps=("mri",),
        why="Leg pain that a joint injection did not touch needs imaging of the nerve roots.",
        refs=("nice-ng59", "lee2013"),
        applies=lambda c: (
            c.after_joint_injection
            and c.relief < BLOCK_POSITIVE_PCT
            and c.radicular
            and c.imaging == "none"
        ),
    ),
    # Diagnostic block result
    Rule(
        id="diagnostic-block-positive",
        when=f"a diagnostic block gave {BLOCK_POSITIVE_PCT} % relief or more",
        steps=("radiofrequency-ablation",),
        why=(
            f"A block with {BLOCK_POSITIVE_PCT} % relief or more confirms the joint as the pain "
            f"source. The {BLOCK_POSITIVE_PCT} % bar follows US payer criteria; some NHS "
            "policies accept 50 %, but a lower bar lets more false-positive blocks through."
        ),
        refs=("cms-lcd-facet", "nice-ng59", "cohen2020"),
        applies=lambda c: (c.diagnostic_block_relief_pct or 0) >= BLOCK_POSITIVE_PCT,
    ),
    Rule(
        id="diagnostic-block-negative",
        when=f"a diagnostic block gave under {BLOCK_POSITIVE_PCT} % relief",
        avoid=("radiofrequency-ablation", "repeat-joint-injection"),
        why=(
            f"Under {BLOCK_POSITIVE_PCT} % relief does not confirm the joint as the source, so "
            "neither denervation nor another joint injection is likely to help."
        ),
        refs=("cms-lcd-facet", "cohen2020"),
        applies=lambda c: (
            c.diagnostic_block_relief_pct is not None
            and c.diagnostic_block_relief_pct < BLOCK_POSITIVE_PCT
        ),
    ),
)

"""The next_step rules, in the order they are applied; the site prints them as written.

Each rule says when it applies, which codes it adds to `steps` or `avoid`, why, and which
references it rests on. Rule 13 of clinical-rules.md (precedence and ordering) is applied
once afterwards, in `plan.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from calculators import model
from calculators.next_step.case import (
    ADHESIOLYSIS_CONSERVATIVE_WEEKS,
    BLOCK_POSITIVE_PCT,
    CONSERVATIVE_WEEKS,
    MAX_EPIDURALS_12_MONTHS,
    PERSISTENT_WEEKS,
    RESPONDER_PCT,
    SCS_SUCCESS_PCT,
    Case,
)

URGENCIES = ("routine", "soon", "urgent", "emergency")  # least to most urgent


@dataclass(frozen=True, kw_only=True)
class Rule(model.Rule):
    """A readable rule plus the predicate that decides whether it fires."""

    applies: Callable[[Case], bool]
    urgency: str = "routine"  # the least urgency the plan has once this rule fires
    final: bool = False  # no later rule is considered once this one fires
    needs_step: str | None = None  # fires only if an earlier rule made this code a step


def _untreated_leg_pain(c: Case) -> bool:
    return c.last_injection == "none" and c.radicular


def _first_imaging_due(c: Case) -> bool:
    return c.conservative_care_tried or c.disabling or c.prior_spine_surgery


def _first_epidural_due(c: Case) -> bool:
    return (
        _untreated_leg_pain(c)
        and c.imaging == "concordant"
        and (c.conservative_care_tried or c.disabling)
    )


RULES: tuple[Rule, ...] = (
    Rule(
        id="red-flag",
        when="any red flag is present",
        steps=("emergency-assessment", "mri"),
        why=(
            "A red flag can mean cauda equina compression, infection, cancer or fracture. "
            "These need the same day's specialist assessment and emergency MRI; nothing "
            "elective is planned until they are ruled out."
        ),
        refs=("nice-ng59", "lee2013"),
        applies=lambda c: bool(c.red_flags),
        urgency="emergency",
        final=True,
    ),
    Rule(
        id="new-deficit",
        when="a new (not progressive) neurological deficit since the last assessment",
        steps=("urgent-specialist-referral", "mri"),
        why=(
            "New weakness or numbness changes the picture: a specialist should see the "
            "patient promptly, and fresh imaging is justified even if a scan exists."
        ),
        refs=("lee2013", "nice-ng59"),
        applies=lambda c: c.new_neuro_deficit,
        urgency="urgent",
    ),
    Rule(
        id="disabling-pain",
        when="pain stops normal everyday tasks",
        why="Disabling pain should not wait in a routine queue: the plan is marked 'soon'.",
        refs=("lee2013",),
        applies=lambda c: c.disabling,
        urgency="soon",
    ),
    Rule(
        id="stay-active",
        when="always, outside an emergency",
        steps=("active-physiotherapy",),
        avoid=("bed-rest",),
        why=(
            "Exercise-based physiotherapy (core stability, posture, graded activity) helps "
            "and supports every other treatment; resting in bed slows recovery."
        ),
        refs=("nice-ng59", "lee2013"),
        applies=lambda c: True,
    ),
    Rule(
        id="medicines-review",
        when="always, outside an emergency",
        steps=("non-opioid-medication",),
        avoid=("long-term-opioids",),
        why=(
            "Try an NSAID first, at the lowest dose that works for the shortest time. Sources "
            "disagree on gabapentinoids: some summaries list gabapentin or pregabalin for "
            "nerve pain, but NICE NG59 (2020) advises against gabapentinoids, other "
            "antiepileptics, oral corticosteroids and benzodiazepines for sciatica, so none is "
            "recommended here. Opioids are not for long-term use in chronic back pain or sciatica."
        ),
        refs=("nice-ng59", "cdc2022"),
        applies=lambda c: True,
    ),
    Rule(
        id="image-guidance",
        when="always, outside an emergency",
        avoid=("blind-injection",),
        why=(
            "Spinal injections should be placed under fluoroscopy or ultrasound with contrast; "
            "without guidance the needle often misses the target and the result proves nothing."
        ),
        refs=("vanboxem2010", "cms-lcd-esi"),
        applies=lambda c: True,
    ),
    Rule(
        id="opioid-risk",
        when="history that raises the risk of opioid misuse",
        steps=("opioid-risk-assessment",),
        why="Screen for misuse and agree a written plan before any opioid is continued or started.",
        refs=("cdc2022",),
        applies=lambda c: c.opioid_risk,
    ),
    Rule(
        id="trigger-points",
        when="documented myofascial trigger points",
        steps=("trigger-point-injections",),
        why=(
            "Trigger points can add a muscular source of pain: up to 4 sets of injections, at "
            "least 7 days apart, stopping if there is no response."
        ),
        refs=("summary-recurrence",),
        applies=lambda c: c.myofascial_trigger_points,
    ),
    # No injection yet: radicular or mixed pain
    Rule(
        id="first-referral-disabling",
        when="no injection yet, leg pain, disabling",
        steps=("specialist-referral-2-weeks",),
        why="Disabling radicular pain warrants a specialist assessment within 2 weeks.",
        refs=("lee2013",),
        applies=lambda c: _untreated_leg_pain(c) and c.disabling,
    ),
    Rule(
        id="first-referral",
        when="no injection yet, leg pain, not disabling",
        steps=("specialist-referral",),
        why="Radicular pain that is not settling should be seen by a specialist by 3 months.",
        refs=("lee2013",),
        applies=lambda c: _untreated_leg_pain(c) and not c.disabling,
    ),
    Rule(
        id="first-imaging",
        when=(
            f"no injection yet, leg pain, no scan, and {CONSERVATIVE_WEEKS} or more weeks of "
            "conservative care, disabling pain or previous spine surgery"
        ),
        steps=("mri",),
        why=(
            "An MRI now can change management: conservative care has had its time, the pain is "
            "disabling, or surgery has changed the anatomy."
        ),
        refs=("nice-ng59", "lee2013"),
        applies=lambda c: _untreated_leg_pain(c) and c.imaging == "none" and _first_imaging_due(c),
    ),
    Rule(
        id="no-early-imaging",
        when=(
            f"no injection yet, leg pain, no scan, under {CONSERVATIVE_WEEKS} weeks of "
            "conservative care, not disabling, no previous surgery"
        ),
        avoid=("early-imaging",),
        why=(
            f"Most radicular pain settles; a scan before {CONSERVATIVE_WEEKS} weeks of "
            "conservative care rarely changes what is done and may find incidental changes."
        ),
        refs=("nice-ng59",),
        applies=lambda c: (
            _untreated_leg_pain(c) and c.imaging == "none" and not _first_imaging_due(c)
        ),
    ),
    Rule(
        id="first-epidural",
        when=(
            f"no injection yet, leg pain, a scan that matches, and {CONSERVATIVE_WEEKS} or "
            "more weeks of conservative care or disabling pain"
        ),
        steps=("image-guided-epidural",),
        why=(
            "An image-guided epidural of local anaesthetic and steroid can ease severe "
            "radicular pain in the short term while rehabilitation continues."
        ),
        refs=("nice-ng59", "pinto2012", "vanboxem2010"),
        applies=_first_epidural_due,
    ),
    Rule(
        id="first-surgical-option",
        when=f"as for first-epidural, and {PERSISTENT_WEEKS} or more weeks since onset",
        steps=("surgical-referral",),
        why=(
            "With persistent pain and a matching scan, decompression is a reasonable "
            "alternative to an epidural; the patient may choose either."
        ),
        refs=("nice-ng59",),
        applies=lambda c: _first_epidural_due(c) and c.persistent,
    ),
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
            "psychologically informed programme improves the outcome of the rest of the plan."
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
            "fusion. NICE offers fusion for back pain only in a trial; the seed summaries "
            "reserve it for instability."
        ),
        refs=("nice-ng59", "summary-postsurgical"),
        applies=lambda c: not c.instability,
        needs_step="surgical-referral",
    ),
)

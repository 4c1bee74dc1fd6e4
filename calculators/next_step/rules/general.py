"""Rules for everyone: red flags, urgency, conservative care, and care before any injection."""

from __future__ import annotations

from calculators.next_step.case import (
    CONSERVATIVE_WEEKS,
    PERSISTENT_WEEKS,
    Case,
)
from calculators.next_step.rules.base import Rule


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
            "These need specialist assessment and an emergency MRI the same day; nothing "
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
            "Spinal injections belong under fluoroscopy (with contrast) or ultrasound; without "
            "guidance the needle often misses the target and the result proves nothing."
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
        why="Radicular pain that is not settling needs a specialist by 3 months after onset.",
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
)

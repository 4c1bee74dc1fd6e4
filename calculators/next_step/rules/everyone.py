"""Rules 4 and 5: what every plan without a red flag contains, and when an epidural waits."""

from __future__ import annotations

from calculators.next_step.case import CONSERVATIVE_WEEKS, MAX_EPIDURALS_12_MONTHS, PAIN_GATE_NRS
from calculators.next_step.codes import EPIDURALS
from calculators.next_step.rules.base import Clause, Condition, avoid, clause, later, step
from calculators.next_step.rules.facts import (
    ALWAYS,
    EPIDURAL_NOT_DUE,
    LIMIT_REACHED,
    OPIOID_RISK,
    PAIN_MILD,
    TRIGGER_POINTS,
)

# Rule 5 is asked of every epidural another rule adds (plan.py), so its condition is that.
ANY_EPIDURAL = Condition("a rule adds an epidural", lambda c: True)

RULES: tuple[Clause, ...] = (
    clause(
        id="everyone",
        number="4",
        applies=ALWAYS,
        why="Active care and a medicines review come first for everyone; some things never help.",
        adds=(
            step(
                "active-physiotherapy",
                "Structured exercise (core stability, posture, graded activity) is the treatment "
                "every other option builds on.",
                ("nice-ng59", "lee2013"),
            ),
            step(
                "non-opioid-medication",
                "NICE NG59 suggests considering an NSAID for low back pain, at the lowest dose "
                "that works for the shortest time; for sciatica it makes no recommendation either "
                "way. Gabapentinoids are disputed: secondary summaries list gabapentin or "
                "pregabalin for nerve pain, but NICE NG59 advises against gabapentinoids, other "
                "antiepileptics, oral corticosteroids and benzodiazepines for sciatica. A medicine "
                "the patient already takes is tapered with a plan, never stopped abruptly.",
                ("nice-ng59", "cdc2022"),
            ),
            avoid(
                "long-term-opioids",
                "Opioids do not help chronic back pain or sciatica in the long term and bring "
                "dependence and overdose risks; NICE NG59 advises against them for chronic "
                "sciatica.",
                ("nice-ng59", "cdc2022"),
            ),
            avoid(
                "bed-rest",
                "Bed rest delays recovery; staying as active as the pain allows speeds it.",
                ("nice-ng59", "lee2013"),
            ),
            avoid(
                "blind-injection",
                "An injection placed without fluoroscopic or CT guidance often misses its target, "
                "so neither its benefit nor its failure can be trusted.",
                ("vanboxem2010", "cms-lcd-esi"),
            ),
        ),
    ),
    clause(
        id="opioid-risk",
        number="4",
        applies=OPIOID_RISK,
        why="A raised risk of misuse needs its own assessment before any opioid decision.",
        adds=(
            step(
                "opioid-risk-assessment",
                "A history that raises the risk of opioid misuse calls for a structured screen and "
                "a written agreement before any opioid is continued or started.",
                ("cdc2022",),
            ),
        ),
    ),
    clause(
        id="trigger-points",
        number="4",
        applies=TRIGGER_POINTS,
        why="Trigger point injections are an option on which the sources disagree.",
        adds=(
            step(
                "trigger-point-injections",
                "Documented trigger points may add a muscular source of pain. The sources "
                "disagree: US payer criteria allow up to 4 sets of injections at least 7 days "
                "apart, stopped when there is no response, while the NHS evidence-based "
                "interventions guidance drawn from NICE NG59 does not offer trigger point "
                "injections for low back pain.",
                ("summary-recurrence", "aomrc-ebi", "nice-ng59"),
            ),
        ),
    ),
    clause(
        id="epidural-eligibility",
        number="5",
        applies=ANY_EPIDURAL,
        why=(
            "Epidurals are for radicular or mixed pain only: no rule adds one for axial pain, "
            "and rule 7 avoids a repeat for it; a scan that does not explain the leg pain gives "
            "a targeted epidural no target, so rules 6, 7 and 9 put re-examination in its place. "
            "An epidural any rule adds waits in later, with each reason that holds: a first "
            f"one before {CONSERVATIVE_WEEKS} weeks of conservative care unless the pain stops "
            f"everyday tasks, any one while a recorded pain is below {PAIN_GATE_NRS}/10, and "
            f"any one once {MAX_EPIDURALS_12_MONTHS} fall within 12 months. The limit makes the "
            "case one at the limit (rule 8b), never refractory."
        ),
        adds=(
            later(
                "image-guided-epidural",
                f"once {CONSERVATIVE_WEEKS} weeks of conservative care have not helped",
                f"Most radicular pain eases within {CONSERVATIVE_WEEKS} weeks of physiotherapy "
                "and medicines, so a first targeted epidural is kept for pain that this has not "
                "eased.",
                ("nice-ng59", "lee2013"),
                EPIDURAL_NOT_DUE,
            ),
            later(
                "image-guided-epidural",
                # No earlier score to return to: a first epidural waits for the pain to reach it.
                f"when the leg pain reaches {PAIN_GATE_NRS}/10 or more",
                f"The pain recorded now is below {PAIN_GATE_NRS}/10; NICE NG59 considers an "
                "epidural for severe sciatica, and pain this mild needs no steroid injection now.",
                ("nice-ng59",),
                PAIN_MILD,
            ),
            later(
                "repeat-epidural",
                f"when the leg pain is {PAIN_GATE_NRS}/10 or more again",
                f"With the pain recorded now below {PAIN_GATE_NRS}/10 the repeat can wait: NICE "
                "NG59 considers epidurals for severe sciatica only.",
                ("nice-ng59",),
                PAIN_MILD,
            ),
            later(
                "image-guided-epidural",
                f"when fewer than {MAX_EPIDURALS_12_MONTHS} epidurals fall within the last 12 "
                "months",
                f"At least {MAX_EPIDURALS_12_MONTHS} epidurals in this region in the last 12 "
                "months reach the limit that guards against cumulative steroid exposure, so the "
                "targeted one waits, however the earlier ones went.",
                ("cms-lcd-esi",),
                LIMIT_REACHED,
            ),
            later(
                "repeat-epidural",
                f"when fewer than {MAX_EPIDURALS_12_MONTHS} epidurals fall within the last 12 "
                "months",
                f"Repeating the epidural now would exceed {MAX_EPIDURALS_12_MONTHS} injections in "
                "this region in a rolling 12 months; the count falls as the oldest one passes 12 "
                "months.",
                ("cms-lcd-esi",),
                LIMIT_REACHED,
            ),
        ),
        gates=EPIDURALS,
    ),
)

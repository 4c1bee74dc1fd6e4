"""Rules 4 and 5: what every plan without a red flag contains, and when an epidural is allowed."""

from __future__ import annotations

from calculators.next_step.case import MAX_EPIDURALS_12_MONTHS
from calculators.next_step.codes import EPIDURALS
from calculators.next_step.rules.base import Clause, avoid, clause, step
from calculators.next_step.rules.facts import ALWAYS, LIMIT_REACHED, OPIOID_RISK, TRIGGER_POINTS

RULES: tuple[Clause, ...] = (
    clause(
        id="everyone",
        number=4,
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
        number=4,
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
        number=4,
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
                ("summary-recurrence", "nice-ng59"),
            ),
        ),
    ),
    clause(
        id="epidural-limit",
        number=5,
        applies=LIMIT_REACHED,
        why=(
            "Epidurals are for radicular or mixed pain only: no rule adds one for axial pain, and "
            "rule 7 avoids a repeat for it. Whenever a rule would add an epidural and the limit "
            f"of {MAX_EPIDURALS_12_MONTHS} per region in a rolling 12 months is reached, the "
            "epidural is avoided instead and the leg pain counts as refractory (rule 8)."
        ),
        adds=(
            avoid(
                "image-guided-epidural",
                f"At least {MAX_EPIDURALS_12_MONTHS} epidurals in this region in the last 12 "
                "months reach the limit, so no further epidural is planned now, however well "
                "they worked.",
                ("cms-lcd-esi",),
            ),
            avoid(
                "repeat-epidural",
                f"Repeating the epidural now would exceed {MAX_EPIDURALS_12_MONTHS} injections in "
                "this region in a rolling 12 months; the count falls as the oldest one passes 12 "
                "months.",
                ("cms-lcd-esi",),
            ),
        ),
        gates=EPIDURALS,
    ),
)

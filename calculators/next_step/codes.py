"""The next_step vocabulary: every code a plan can contain, in the order plans list them.

Rule 15 orders steps and later items by one explicit list, which is the order below:
referrals, the MRI, re-examination, the procedures one after another, then the rest. A plan
code may also appear under `avoid` ("not now, and why"); avoid-only codes never appear as
steps or later items.
`strength` is NICE's wording: "offer" (a firm recommendation) or "consider" (a judgement
made with the patient).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    group: str  # "referral", "imaging", "procedure", "other" or "avoid" (avoid-only)
    strength: str | None  # "offer" or "consider"; None for avoid-only codes

    @property
    def kind(self) -> str:
        """ "step" (may stand in steps, later or avoid) or "avoid" (only ever avoided)."""
        return "avoid" if self.group == "avoid" else "step"

    def to_json(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "title": self.title,
            "kind": self.kind,
            "group": self.group,
            "strength": self.strength,
        }


def _offer(code: str, title: str, group: str) -> Code:
    return Code(code, title, group, "offer")


def _consider(code: str, title: str, group: str) -> Code:
    return Code(code, title, group, "consider")


def _avoid(code: str, title: str) -> Code:
    return Code(code, title, "avoid", None)


VOCABULARY = (
    _offer(
        "emergency-assessment",
        "Same-day emergency spinal assessment with emergency MRI",
        "referral",
    ),
    _offer("urgent-specialist-referral", "Urgent referral to a spinal specialist", "referral"),
    _offer("specialist-referral-2-weeks", "Specialist assessment within 2 weeks", "referral"),
    _offer("specialist-referral", "Routine specialist assessment", "referral"),
    _offer(
        "mri",
        "MRI of the lumbar spine, or of the whole spine when metastases are suspected (CT if MRI "
        "is not possible)",
        "imaging",
    ),
    _offer("reassess-pain-source", "Re-examine and look again for the pain source", "other"),
    _consider(
        "image-guided-epidural",
        "Epidural steroid injection under fluoroscopic or CT guidance with contrast",
        "procedure",
    ),
    _consider("repeat-epidural", "Repeat image-guided epidural at the same level", "procedure"),
    _offer("follow-up", "Follow-up at 2 weeks, 1 month and 2 months with NRS and ODI", "procedure"),
    _consider(
        "diagnostic-block",
        "Diagnostic medial branch or SI joint block (local anaesthetic only)",
        "procedure",
    ),
    _consider(
        "radiofrequency-ablation",
        "Radiofrequency denervation (medial branch for facet, lateral branch for SI joint)",
        "procedure",
    ),
    _consider("pulsed-rf-drg", "Pulsed radiofrequency at the dorsal root ganglion", "procedure"),
    _consider("adhesiolysis", "Percutaneous epidural adhesiolysis", "procedure"),
    _consider("scs-trial", "Spinal cord stimulation trial in a specialist centre", "procedure"),
    _consider("scs-implant", "Permanent spinal cord stimulator", "procedure"),
    _consider("surgical-referral", "Referral for a surgical opinion", "procedure"),
    _consider("trigger-point-injections", "Trigger point injections", "procedure"),
    _offer("active-physiotherapy", "Active physiotherapy and graded activity", "other"),
    _consider(
        "non-opioid-medication",
        "Pain medicine review: NSAID at the lowest dose, no long-term opioid",
        "other",
    ),
    _consider(
        "psychological-support",
        "CBT or a combined physical and psychological programme",
        "other",
    ),
    _offer("opioid-risk-assessment", "Opioid risk screen and written opioid plan", "other"),
    _avoid("blind-injection", "Spinal injections without image guidance"),
    _avoid("long-term-opioids", "Long-term opioids"),
    _avoid("bed-rest", "Bed rest"),
    _avoid("repeat-joint-injection", "Repeating a therapeutic joint injection"),
    _avoid("routine-repeat-imaging", "Repeat imaging without new findings"),
    _avoid("early-imaging", "Imaging before 6 weeks of conservative care"),
    _avoid("fusion", "Spinal fusion"),
)
BY_CODE = {entry.code: entry for entry in VOCABULARY}
RANK = {entry.code: rank for rank, entry in enumerate(VOCABULARY)}
PROCEDURES = frozenset(entry.code for entry in VOCABULARY if entry.group == "procedure")
EPIDURALS = ("image-guided-epidural", "repeat-epidural")
# Rule 13: procedures that need a scan to choose their level and target.
NEED_A_SCAN = frozenset({*EPIDURALS, "pulsed-rf-drg", "adhesiolysis", "scs-trial", "scs-implant"})
# Rule 15: procedures for chronic pain, which stand in steps only with a known pain of 5/10.
NEED_A_PAIN_SCORE = frozenset(
    {
        "diagnostic-block",
        "radiofrequency-ablation",
        "pulsed-rf-drg",
        "adhesiolysis",
        "scs-trial",
        "scs-implant",
    }
)
# Rule 15: at most one of these stands in steps; each named as "if <it> does not help" says it.
COUNTED = {
    "image-guided-epidural": "the epidural",
    "repeat-epidural": "the repeat epidural",
    "diagnostic-block": "the diagnostic block",
    "radiofrequency-ablation": "denervation",
    "pulsed-rf-drg": "pulsed radiofrequency",
    "adhesiolysis": "adhesiolysis",
    "scs-trial": "the stimulator trial",
    "scs-implant": "the permanent stimulator",
}

# Only the most urgent of these is kept, first one wins.
REFERRALS_BY_URGENCY = (
    "urgent-specialist-referral",
    "specialist-referral-2-weeks",
    "specialist-referral",
)
# A planned scan makes these avoid items moot (rule 15's one exception to "avoid wins").
MOOT_WHEN_SCANNING = ("early-imaging", "routine-repeat-imaging")

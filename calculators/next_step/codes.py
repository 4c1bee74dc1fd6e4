"""The next_step vocabulary: every code a plan can contain, in the order plans list them.

Steps are ordered by how soon they must happen: emergency and referrals first, then
imaging and re-assessment, then procedures, then everything else. A step code may also
appear under `avoid` ("not now, and why"); avoid-only codes never appear as steps.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    kind: str  # "step" (may also be avoided) or "avoid" (only ever avoided)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title, "kind": self.kind}


def _step(code: str, title: str) -> Code:
    return Code(code, title, "step")


def _avoid(code: str, title: str) -> Code:
    return Code(code, title, "avoid")


VOCABULARY = (
    # Emergency and referrals
    _step("emergency-assessment", "Same-day emergency spinal assessment with emergency MRI"),
    _step("urgent-specialist-referral", "Immediate referral to a spinal specialist"),
    _step("specialist-referral-2-weeks", "Specialist assessment within 2 weeks"),
    _step("specialist-referral", "Specialist assessment within 3 months of onset"),
    _step("surgical-referral", "Referral for a surgical opinion"),
    # Imaging and re-assessment
    _step("mri", "MRI of the lumbar spine (CT if MRI is not possible)"),
    _step("reassess-pain-source", "Re-examine and look again for the pain source"),
    # Procedures
    _step("image-guided-epidural", "Epidural steroid injection under image guidance"),
    _step("repeat-epidural", "Repeat image-guided epidural at the same level"),
    _step("diagnostic-block", "Diagnostic medial branch or SI joint block"),
    _step("radiofrequency-ablation", "Radiofrequency denervation of the facet or SI joint"),
    _step("pulsed-rf-drg", "Pulsed radiofrequency at the dorsal root ganglion"),
    _step("adhesiolysis", "Percutaneous epidural adhesiolysis"),
    _step("scs-trial", "Spinal cord stimulation trial in a specialist centre"),
    _step("scs-implant", "Permanent spinal cord stimulator"),
    _step("trigger-point-injections", "Trigger point injections"),
    # Everything else
    _step("active-physiotherapy", "Active physiotherapy and graded activity"),
    _step("non-opioid-medication", "Pain medicine review: NSAID first, no long-term opioid"),
    _step("psychological-support", "Psychologically informed support, such as CBT"),
    _step("opioid-risk-assessment", "Opioid risk screen and written opioid plan"),
    _step("follow-up", "Follow-up at 2 weeks, 1 month and 2 months with NRS and ODI"),
    # Avoid-only
    _avoid("blind-injection", "Spinal injections without image guidance"),
    _avoid("long-term-opioids", "Long-term opioids"),
    _avoid("bed-rest", "Bed rest"),
    _avoid("repeat-joint-injection", "Repeating the same joint injection"),
    _avoid("routine-repeat-imaging", "Repeat imaging without new findings"),
    _avoid("early-imaging", "Imaging before 6 weeks of conservative care"),
    _avoid("fusion", "Spinal fusion"),
)
BY_CODE = {entry.code: entry for entry in VOCABULARY}
RANK = {entry.code: rank for rank, entry in enumerate(VOCABULARY)}

# Only the most urgent of these is kept, first one wins.
REFERRALS_BY_URGENCY = (
    "urgent-specialist-referral",
    "specialist-referral-2-weeks",
    "specialist-referral",
)
# A planned scan makes these avoid items moot (rule 13's one exception to "avoid wins").
MOOT_WHEN_SCANNING = ("early-imaging", "routine-repeat-imaging")

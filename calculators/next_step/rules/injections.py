"""Rules 7, 9 and 10: after an epidural, after a joint injection, and a diagnostic block result."""

from __future__ import annotations

from calculators.next_step.case import (
    BLOCK_POSITIVE_PCT,
    CONSERVATIVE_WEEKS,
    PAIN_GATE_NRS,
    PERSISTENT_WEEKS,
    RESPONDER_PCT,
    SUSTAINED_WEEKS,
)
from calculators.next_step.rules.base import Add, Clause, Condition, avoid, clause, later, step
from calculators.next_step.rules.facts import (
    AFTER_EPIDURAL,
    AFTER_JOINT_INJECTION,
    ALWAYS,
    BACK_PAIN_ONLY,
    BLOCK_GATE,
    BLOCK_GATE_NOT_MET,
    BLOCK_NEGATIVE,
    BLOCK_POSITIVE,
    DENERVATION_CRITERIA,
    DENERVATION_NOT_YET,
    DURATION_UNKNOWN,
    HAS_SCAN,
    IMAGE_GUIDED,
    INSTABILITY,
    JOINT_NEGATIVE,
    JOINT_POSITIVE,
    LEG_PAIN,
    LIMIT_NOT_REACHED,
    MATCHING_SCAN,
    MIXED_PAIN,
    NO_BLOCK_RESULT,
    NO_RESPONSE,
    NO_SCAN,
    NO_SCAN_OR_MATCHING,
    NON_MATCHING_SCAN,
    NOT_IMAGE_GUIDED,
    NOT_PAIN_MILD,
    PAIN_MISSING,
    PERSISTENT,
    RECORD_PAIN,
    RESPONDED,
    SHORT_LIVED,
    SUSTAINED,
    SUSTAINED_KNOWN,
)

LEG_PAIN_EPIDURAL = AFTER_EPIDURAL & LEG_PAIN
# Rule 7: the repeat stands in steps once rule 5 has let it through.
REPEAT_IS_A_STEP = LIMIT_NOT_REACHED & NOT_PAIN_MILD
RELIEF_FADES = f"if relief falls below {RESPONDER_PCT} % or stops lasting {SUSTAINED_WEEKS} weeks"
NOT_SACROILIAC = Condition(
    "the last injection was not into the sacroiliac joint",
    lambda c: c.last_injection != "sacroiliac",
)
AFTER_SACROILIAC = Condition(
    "the last injection was into the sacroiliac joint", lambda c: c.last_injection == "sacroiliac"
)
NOT_RADICULAR_ONLY = Condition("axial or mixed pain", lambda c: c.pain_pattern != "radicular")
RADICULAR_ONLY = Condition("radicular pain alone", lambda c: c.pain_pattern == "radicular")
BLOCK_WAIT = (
    f"when the back pain has lasted {PERSISTENT_WEEKS} weeks or more and is at least "
    f"{PAIN_GATE_NRS}/10"
)
LATERAL_BRANCH = (
    "when a specialist centre offers lateral branch denervation of the sacroiliac joint"
)
DENERVATION_WAIT = (
    f"when the back pain has lasted {PERSISTENT_WEEKS} weeks or more, is at least "
    f"{PAIN_GATE_NRS}/10, and {CONSERVATIVE_WEEKS} weeks of non-surgical treatment have not "
    "helped (NICE NG59 refers for denervation when non-surgical treatment has not worked)"
)
DENERVATION_WHY = (
    f"The diagnostic block gave {BLOCK_POSITIVE_PCT} % relief or more. NICE NG59 asks for one "
    "positive medial branch block and recommends medial branch (facet) denervation only; US "
    f"payer criteria ask for two blocks of {BLOCK_POSITIVE_PCT} %; some NHS policies accept "
    f"50 %. The planner uses {BLOCK_POSITIVE_PCT} %."
)
DENERVATION_REFS = ("nice-ng59", "cms-lcd-facet", "hull-rfd")


def gated_block(why: str, refs: tuple[str, ...], only_if: Condition = ALWAYS) -> tuple[Add, ...]:
    """A diagnostic block under the block gate (Thresholds): a step once back pain has lasted
    12 weeks and is at least 5/10, otherwise waiting for that, or for a pain score."""
    return (
        step("diagnostic-block", why, refs, only_if & BLOCK_GATE),
        later("diagnostic-block", BLOCK_WAIT, why, refs, only_if & BLOCK_GATE_NOT_MET),
        later(
            "diagnostic-block", f"{BLOCK_WAIT}; {RECORD_PAIN}", why, refs, only_if & PAIN_MISSING
        ),
    )


RULES: tuple[Clause, ...] = (
    clause(
        id="epidural-axial",
        number="7",
        applies=AFTER_EPIDURAL & BACK_PAIN_ONLY,
        why="Epidurals are for nerve-root pain, so axial pain gets none, whatever the relief.",
        adds=(
            avoid(
                "repeat-epidural",
                "Epidurals treat nerve-root pain; NICE NG59 advises against spinal injections for "
                "low back pain without sciatica, whatever relief the last one gave.",
                ("nice-ng59",),
            ),
            step(
                "reassess-pain-source",
                "Back pain without leg pain more likely comes from a facet joint, the sacroiliac "
                "joint or the disc than from a nerve root: re-examine with that in mind.",
                ("nice-ng59", "cohen2020"),
            ),
            *gated_block(
                "A diagnostic medial branch block (or SI joint block) with local anaesthetic only "
                "tests whether a joint is the source of the back pain, and selects people for "
                "denervation.",
                ("cohen2020", "cms-lcd-facet", "nice-ng59"),
                NO_BLOCK_RESULT,
            ),
        ),
    ),
    clause(
        id="epidural-sustained-response",
        number="7",
        applies=LEG_PAIN_EPIDURAL & RESPONDED & SUSTAINED,
        why=(
            "Relief of at least half that lasted justifies a repeat (rule 5 decides whether now), "
            "with follow-up, and a surgical opinion in reserve."
        ),
        adds=(
            step(
                "repeat-epidural",
                f"The last epidural gave {RESPONDER_PCT} % relief or more for {SUSTAINED_WEEKS} "
                "weeks or more, which justifies repeating it at the same level.",
                ("cms-lcd-esi", "vanboxem2010"),
                SUSTAINED_KNOWN,
            ),
            step(
                "repeat-epidural",
                f"The last epidural gave {RESPONDER_PCT} % relief or more, but how long it lasted "
                f"is not recorded: record it, because a repeat is justified only by relief that "
                f"lasted {SUSTAINED_WEEKS} weeks or more.",
                ("cms-lcd-esi",),
                DURATION_UNKNOWN,
            ),
            step(
                "repeat-epidural",
                "The last one was placed without image guidance; the repeat is given under "
                "fluoroscopic or CT guidance with contrast.",
                ("vanboxem2010", "cms-lcd-esi"),
                NOT_IMAGE_GUIDED,
            ),
            step(
                "follow-up",
                "Pain (NRS) and function (ODI) recorded 2 weeks, 1 month and 2 months after the "
                "injection show whether it worked and for how long, which the next decision needs.",
                ("cms-lcd-esi", "fairbank2000"),
                REPEAT_IS_A_STEP,
            ),
            later(
                "surgical-referral",
                RELIEF_FADES,
                "The scan matches the leg pain, so a surgeon has a target if epidurals stop "
                "working.",
                ("nice-ng59", "lee2013"),
                REPEAT_IS_A_STEP & MATCHING_SCAN & PERSISTENT,
            ),
            later(
                "surgical-referral",
                RELIEF_FADES,
                "Instability on imaging gives a surgeon a target if epidurals stop working.",
                ("nice-ng59", "summary-postsurgical"),
                REPEAT_IS_A_STEP & INSTABILITY & PERSISTENT,
            ),
        ),
    ),
    clause(
        id="epidural-short-lived",
        number="7",
        applies=LEG_PAIN_EPIDURAL & RESPONDED & SHORT_LIVED,
        why="Relief that did not last does not justify a repeat; the leg pain is refractory.",
        adds=(
            avoid(
                "repeat-epidural",
                f"The relief lasted under {SUSTAINED_WEEKS} weeks, and a repeat needs relief that "
                "is sustained.",
                ("cms-lcd-esi",),
            ),
            step(
                "reassess-pain-source",
                "Relief that faded so quickly calls for a fresh look at the examination and the "
                "imaging for what keeps the pain going.",
                ("lee2013", "cohen2020"),
            ),
            # Not in the rules' text for this branch (only for non-response): without it
            # the plan's later items said "an MRI comes first" with no MRI in the plan.
            step(
                "mri",
                "No scan has been done, and the leg pain is now refractory: an MRI shows what "
                "keeps it going before any further procedure.",
                ("nice-ng59", "lee2013"),
                NO_SCAN,
            ),
        ),
    ),
    clause(
        id="epidural-blind-no-response",
        number="7",
        applies=LEG_PAIN_EPIDURAL & NO_RESPONSE & NOT_IMAGE_GUIDED,
        why=(
            "A blind epidural that failed proves nothing; the real test is a guided one, unless "
            "the scan shows no target. Not refractory: a targeted injection has not been tried."
        ),
        adds=(
            step(
                "image-guided-epidural",
                "The last epidural was placed without image guidance and may have missed the "
                "nerve root, so its failure proves nothing; an image-guided one is the real test.",
                ("vanboxem2010", "cms-lcd-esi"),
                NO_SCAN_OR_MATCHING,
            ),
            step(
                "reassess-pain-source",
                "The scan does not explain the leg pain, and a failed blind injection does not "
                "make a target appear: re-examine before any targeted injection.",
                ("lee2013", "nice-ng59"),
                NON_MATCHING_SCAN,
            ),
        ),
    ),
    clause(
        id="epidural-guided-no-response",
        number="7",
        applies=LEG_PAIN_EPIDURAL & NO_RESPONSE & IMAGE_GUIDED,
        why="A well-placed epidural that failed is not repeated; the leg pain is refractory.",
        adds=(
            avoid(
                "repeat-epidural",
                f"An image-guided epidural that gave under {RESPONDER_PCT} % relief is unlikely "
                "to do better on repeat.",
                ("cms-lcd-esi", "pinto2012"),
            ),
            step(
                "reassess-pain-source",
                "When a well-placed epidural fails, re-examine and look for another pain generator "
                "such as a facet or the sacroiliac joint.",
                ("lee2013", "cohen2020"),
            ),
            step(
                "reassess-pain-source",
                "Read the existing scan again to check that it explains these symptoms.",
                ("lee2013",),
                HAS_SCAN,
            ),
            step(
                "mri",
                "No scan has been done, so the anatomy behind the failed epidural is unknown; an "
                "MRI comes before any further procedure.",
                ("nice-ng59", "lee2013"),
                NO_SCAN,
            ),
            *gated_block(
                "With back pain alongside the leg pain, a diagnostic medial branch or SI joint "
                "block tests whether a joint adds to it.",
                ("cohen2020", "cms-lcd-facet"),
                MIXED_PAIN & NO_BLOCK_RESULT,
            ),
        ),
    ),
    clause(
        id="joint-injection-positive-leg-pain",
        number="9",
        applies=AFTER_JOINT_INJECTION & JOINT_POSITIVE & RADICULAR_ONLY,
        why="Relief from a joint injection does not fit pure radicular leg pain: re-examine first.",
        adds=(
            step(
                "reassess-pain-source",
                f"{BLOCK_POSITIVE_PCT} % relief or more from a joint injection does not fit leg "
                "pain in a nerve-root pattern alone: re-examine before anything else, and plan "
                "no block or denervation on it.",
                ("cohen2020", "lee2013"),
            ),
        ),
    ),
    clause(
        id="joint-injection-positive",
        number="9",
        applies=AFTER_JOINT_INJECTION & JOINT_POSITIVE & NOT_RADICULAR_ONLY & NO_BLOCK_RESULT,
        why=(
            "A joint injection that helped back pain is confirmed by a diagnostic block, under "
            "the block gate, before any denervation."
        ),
        adds=(
            *gated_block(
                f"{BLOCK_POSITIVE_PCT} % relief or more after a joint injection points to the "
                "joint, but an intra-articular injection is not a diagnostic block: confirm with a "
                "medial branch (or SI joint) block of local anaesthetic only before any "
                "denervation.",
                ("cohen2020", "cms-lcd-facet", "nice-ng59"),
            ),
            later(
                "radiofrequency-ablation",
                f"if a diagnostic block gives at least {BLOCK_POSITIVE_PCT} % relief and the "
                "denervation criteria hold (US payers require two such blocks)",
                "Radiofrequency denervation can give months of relief once a block has confirmed "
                "the joint as the source.",
                ("nice-ng59", "cms-lcd-facet", "cohen2020"),
                NOT_SACROILIAC,
            ),
            later(
                "radiofrequency-ablation",
                f"if a diagnostic block gives at least {BLOCK_POSITIVE_PCT} % relief, "
                f"{LATERAL_BRANCH}",
                "Lateral branch denervation of the sacroiliac joint is outside NICE NG59, which "
                "recommends medial branch (facet) denervation only; it needs a specialist centre "
                "that offers it.",
                ("nice-ng59", "cohen2020"),
                AFTER_SACROILIAC,
            ),
        ),
    ),
    clause(
        id="joint-injection-negative",
        number="9",
        applies=AFTER_JOINT_INJECTION & JOINT_NEGATIVE,
        why="A joint injection that did not help is not repeated; look elsewhere for the source.",
        adds=(
            avoid(
                "repeat-joint-injection",
                f"The joint injection gave under {BLOCK_POSITIVE_PCT} % relief, and therapeutic "
                "joint injections are not recommended for back pain.",
                ("nice-ng59", "cohen2020"),
            ),
            step(
                "reassess-pain-source",
                "The injected joint is probably not the main source of pain: re-examine and look "
                "again at where it comes from.",
                ("lee2013", "cms-lcd-facet"),
            ),
            step(
                "image-guided-epidural",
                "The leg pain and the matching scan both point to the nerve root, which an "
                "image-guided epidural targets.",
                ("nice-ng59", "vanboxem2010"),
                LEG_PAIN & MATCHING_SCAN,
            ),
            step(
                "mri",
                f"The leg pain is still unexplained after a joint injection that gave under "
                f"{BLOCK_POSITIVE_PCT} % relief, so the nerve roots are imaged before anything "
                "else.",
                ("nice-ng59", "lee2013"),
                LEG_PAIN & NO_SCAN,
            ),
        ),
    ),
    clause(
        id="diagnostic-block-leg-pain",
        number="10",
        applies=BLOCK_POSITIVE & RADICULAR_ONLY,
        why="Denervation treats back pain from the joints, not radicular leg pain.",
        adds=(
            avoid(
                "radiofrequency-ablation",
                "Facet denervation treats back pain from the joints; it does not treat leg pain "
                "in a nerve-root pattern, whatever a block showed.",
                ("nice-ng59", "cohen2020"),
            ),
            step(
                "reassess-pain-source",
                "A positive joint block does not fit leg pain in a nerve-root pattern alone: "
                "re-examine for what the block relieved.",
                ("cohen2020", "lee2013"),
            ),
        ),
    ),
    clause(
        id="diagnostic-block-sacroiliac",
        number="10",
        applies=BLOCK_POSITIVE & NOT_RADICULAR_ONLY & AFTER_SACROILIAC,
        why=(
            "After a sacroiliac joint injection, denervation is lateral branch denervation, "
            "which NICE NG59 does not cover: never a step here."
        ),
        adds=(
            later(
                "radiofrequency-ablation",
                LATERAL_BRANCH,
                f"The diagnostic block gave {BLOCK_POSITIVE_PCT} % relief or more after a "
                "sacroiliac joint injection; NICE NG59 recommends medial branch (facet) "
                "denervation only, so lateral branch denervation is for a specialist centre "
                "that offers it.",
                ("nice-ng59", "cohen2020"),
            ),
        ),
    ),
    clause(
        id="diagnostic-block-positive",
        number="10",
        applies=BLOCK_POSITIVE & NOT_RADICULAR_ONLY & NOT_SACROILIAC,
        why=(
            "A positive block leads to medial branch denervation once NICE NG59's criteria hold; "
            "once there is a block result, no further diagnostic block is suggested."
        ),
        adds=(
            step(
                "radiofrequency-ablation", DENERVATION_WHY, DENERVATION_REFS, DENERVATION_CRITERIA
            ),
            later(
                "radiofrequency-ablation",
                DENERVATION_WAIT,
                DENERVATION_WHY,
                DENERVATION_REFS,
                DENERVATION_NOT_YET,
            ),
            later(
                "radiofrequency-ablation",
                f"{DENERVATION_WAIT}; {RECORD_PAIN}",
                DENERVATION_WHY,
                DENERVATION_REFS,
                PAIN_MISSING,
            ),
        ),
    ),
    clause(
        id="diagnostic-block-negative",
        number="10",
        applies=BLOCK_NEGATIVE,
        why="A negative diagnostic block rules out denervation and another joint injection.",
        adds=(
            avoid(
                "radiofrequency-ablation",
                f"A diagnostic block with under {BLOCK_POSITIVE_PCT} % relief does not confirm the "
                "joint as the source, so denervation is unlikely to help.",
                ("cms-lcd-facet", "cohen2020"),
            ),
            avoid(
                "repeat-joint-injection",
                "A negative diagnostic block also argues against injecting the joint again.",
                ("cohen2020",),
            ),
        ),
    ),
    # Not in the rules' text, which offer psychological support for persistent leg pain and
    # after surgery only: NICE NG59's combined physical and psychological programme is for
    # persistent low back pain when earlier treatment has not worked, back pain alone included.
    clause(
        id="back-pain-psychology",
        number="10",
        applies=BACK_PAIN_ONLY
        & PERSISTENT
        & Condition(
            f"an injection that gave under {RESPONDER_PCT} % relief, or a negative diagnostic "
            "block",
            lambda c: (
                (c.relief_pct is not None and c.relief_pct < RESPONDER_PCT) or BLOCK_NEGATIVE(c)
            ),
        ),
        why="Persistent back pain that injections have not helped is treated with psychological "
        "support alongside.",
        adds=(
            step(
                "psychological-support",
                f"Back pain that has lasted {PERSISTENT_WEEKS} weeks or more and that an injection "
                "did not help is helped by CBT or a combined physical and psychological programme "
                "alongside the rest of the plan.",
                ("nice-ng59",),
            ),
        ),
    ),
)

"""Rules 7, 9 and 10: after an epidural, after a joint injection, and a diagnostic block result."""

from __future__ import annotations

from calculators.next_step.case import (
    BLOCK_POSITIVE_PCT,
    RESPONDER_PCT,
    SUSTAINED_WEEKS,
)
from calculators.next_step.rules.base import Clause, avoid, clause, later, step
from calculators.next_step.rules.facts import (
    AFTER_EPIDURAL,
    AFTER_JOINT_INJECTION,
    BACK_PAIN_ONLY,
    BLOCK_NEGATIVE,
    BLOCK_POSITIVE,
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
    NOT_IMAGE_GUIDED,
    PERSISTENT,
    RESPONDED,
    SHORT_LIVED,
    SUSTAINED,
    SUSTAINED_KNOWN,
)

LEG_PAIN_EPIDURAL = AFTER_EPIDURAL & LEG_PAIN
RELIEF_FADES = f"If relief falls below {RESPONDER_PCT} % or stops lasting {SUSTAINED_WEEKS} weeks."

RULES: tuple[Clause, ...] = (
    clause(
        id="epidural-axial",
        number=7,
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
            step(
                "diagnostic-block",
                "A diagnostic medial branch block (or SI joint block) with local anaesthetic only "
                "tests whether a joint is the source of the back pain.",
                ("cohen2020", "cms-lcd-facet"),
                NO_BLOCK_RESULT,
            ),
        ),
    ),
    clause(
        id="epidural-sustained-response",
        number=7,
        applies=LEG_PAIN_EPIDURAL & RESPONDED & SUSTAINED,
        why="Relief of at least half that lasted justifies a repeat within the yearly limit.",
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
                LIMIT_NOT_REACHED,
            ),
            later(
                "surgical-referral",
                RELIEF_FADES,
                "The scan matches the leg pain, so a surgeon has a target if epidurals stop "
                "working.",
                ("nice-ng59", "lee2013"),
                MATCHING_SCAN & PERSISTENT,
            ),
            later(
                "surgical-referral",
                RELIEF_FADES,
                "Instability on imaging gives a surgeon a target if epidurals stop working.",
                ("nice-ng59", "summary-postsurgical"),
                INSTABILITY & PERSISTENT,
            ),
        ),
    ),
    clause(
        id="epidural-short-lived",
        number=7,
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
        ),
    ),
    clause(
        id="epidural-blind-no-response",
        number=7,
        applies=LEG_PAIN_EPIDURAL & NO_RESPONSE & NOT_IMAGE_GUIDED,
        why="A blind epidural that failed proves nothing; the real test is a guided one.",
        adds=(
            step(
                "image-guided-epidural",
                "The last epidural was placed without image guidance and may have missed the "
                "nerve root, so its failure proves nothing; an image-guided one is the real test.",
                ("vanboxem2010", "cms-lcd-esi"),
            ),
        ),
    ),
    clause(
        id="epidural-guided-no-response",
        number=7,
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
            step(
                "diagnostic-block",
                "With back pain alongside the leg pain, a diagnostic medial branch or SI joint "
                "block tests whether a joint adds to it.",
                ("cohen2020", "cms-lcd-facet"),
                MIXED_PAIN & NO_BLOCK_RESULT,
            ),
        ),
    ),
    clause(
        id="joint-injection-positive",
        number=9,
        applies=AFTER_JOINT_INJECTION & JOINT_POSITIVE & NO_BLOCK_RESULT,
        why="A joint injection that helped is confirmed by a diagnostic block before denervation.",
        adds=(
            step(
                "diagnostic-block",
                f"{BLOCK_POSITIVE_PCT} % relief or more after a joint injection points to the "
                "joint, but an intra-articular injection is not a diagnostic block: confirm with a "
                "medial branch (or SI joint) block of local anaesthetic only before any "
                "denervation.",
                ("cohen2020", "cms-lcd-facet", "nice-ng59"),
            ),
            later(
                "radiofrequency-ablation",
                f"If a diagnostic block gives at least {BLOCK_POSITIVE_PCT} % relief (US payers "
                "require two such blocks).",
                "Radiofrequency denervation can give months of relief once a block has confirmed "
                "the joint as the source.",
                ("nice-ng59", "cms-lcd-facet", "cohen2020"),
            ),
        ),
    ),
    clause(
        id="joint-injection-negative",
        number=9,
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
        id="diagnostic-block-positive",
        number=10,
        applies=BLOCK_POSITIVE,
        why=(
            "A diagnostic block result decides denervation; once there is one, no further "
            "diagnostic block is suggested."
        ),
        adds=(
            step(
                "radiofrequency-ablation",
                f"The diagnostic block gave {BLOCK_POSITIVE_PCT} % relief or more. NICE NG59 asks "
                "for one positive medial branch block and recommends medial branch (facet) "
                "denervation only; US payer criteria ask for two blocks of "
                f"{BLOCK_POSITIVE_PCT} %; "
                f"some NHS policies accept 50 %. The planner uses {BLOCK_POSITIVE_PCT} %.",
                ("nice-ng59", "cms-lcd-facet", "hull-rfd"),
            ),
        ),
    ),
    clause(
        id="diagnostic-block-negative",
        number=10,
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
)

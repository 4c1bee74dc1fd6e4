"""A recommendation's words against its declared strength, and its length.

NICE words each strength by the verb of its instruction: "Offer ...", "Consider ...",
"Do not offer ...". A reader acts on the words and on the strength's mark; when they say
opposite things ("● Offer" over "Do not offer ..."), the page is refused. The verb is
the first `offer`, `consider` or negation that opens a clause ("When ..., consider ...");
a firm recommendation may use another imperative ("Refer ...", "Book ..."), the others
must say their verb. `only-in-research` is not checked: its wording varies ("Do not offer
... except in a trial").
"""

from __future__ import annotations

import re

from guidesite.content.prose import sentences

# The strength each opening verb says.
VERB_RE = re.compile(r"(?:^|[,;:]\s+)(?P<verb>do not|don't|never|consider|offer)\b", re.IGNORECASE)
SAYS = {
    "do not": "do-not-offer",
    "don't": "do-not-offer",
    "never": "do-not-offer",
    "consider": "consider",
    "offer": "offer",
}
# How each checked strength is worded (recommendations.STRENGTHS has the same words).
WORDS = {"offer": "Offer", "consider": "Consider", "do-not-offer": "Do not offer"}
MAX_SENTENCES = 2


def problems(number: int, strength: str, statement: str) -> list[str]:
    """What is wrong with recommendation `number`'s statement (its Markdown) for `strength`."""
    found = []
    plain = " ".join(re.sub(r"[*_]", "", statement).split())
    verb = VERB_RE.search(plain)
    says = SAYS[verb.group("verb").lower()] if verb else None
    if strength in WORDS and says not in (strength, None):
        assert verb is not None  # `says` came from it
        found.append(
            f"recommendation {number} says {verb.group('verb').capitalize()!r} but its "
            f"strength is {strength} ({WORDS[strength]!r}); if the statement is right, write "
            f"'    strength: {says}', else reword it to start with {WORDS[strength]!r}"
        )
    elif strength in ("consider", "do-not-offer") and says is None:
        found.append(
            f"recommendation {number} has strength {strength} but its statement does not say "
            f"{WORDS[strength]!r}; start it with {WORDS[strength]!r}, or correct the strength"
        )
    count = len(sentences(plain))
    if count > MAX_SENTENCES:
        found.append(
            f"recommendation {number} has {count} sentences; a recommendation is one or two "
            "sentences, so move the reasons to the rationale (a new paragraph below it)"
        )
    return found

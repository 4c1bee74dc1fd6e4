"""The generator knows nothing of the site it builds: no page id, calculator, topic or
clinical term of Back Pain Pathways appears anywhere in generator/ (code, templates,
scripts, styles). A site's identity comes from its own configuration and content."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import calculators
from guidesite.content.schema import FRONT_MATTER_RE
from tests.conftest import ROOT

GENERATOR = ROOT / "generator"
CONTENT = ROOT / "content"
# Words of this site's subject that no other site's generator would contain.
CLINICAL_TERMS = (
    "back pain",
    "leg pain",
    "radicul",
    "sciatica",
    "epidural",
    "lumbar",
    "spine",
    "spinal",
    "oswestry",
    "opioid",
    "morphine",
    "vertebra",
    "injection",
    "physiotherap",
)


def site_words() -> set[str]:
    """Every page id, calculator id and topic (tag) of this site, and its clinical terms."""
    words = set(CLINICAL_TERMS)
    for name in calculators.names():
        words |= {name, name.replace("_", "-")}
    for page in CONTENT.rglob("*.md"):
        match = FRONT_MATTER_RE.match(page.read_text(encoding="utf-8"))
        front = yaml.safe_load(match.group(1)) if match else {}
        # Ordinary pages (an editorial policy, an accessibility statement) are every
        # site's; `guidesite init` writes them too.
        if front.get("kind") != "page":
            words.add(page.stem)
        words |= set(front.get("tags") or [])
    return words


def generator_files() -> list[Path]:
    return [
        path
        for path in sorted(GENERATOR.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and not any(part.endswith(".egg-info") for part in path.parts)
    ]


def test_the_generator_names_nothing_of_this_site() -> None:
    words = site_words()
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")",
        re.IGNORECASE,
    )
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(1)!r}"
        for path in generator_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in pattern.finditer(line)
    ]
    assert found == [], "\n".join(found)


def test_the_check_would_find_a_site_word() -> None:
    # Guards the test above against passing by construction (no words, or none matching).
    words = site_words()
    assert {"next_step", "odi", "epidural", "recurrence-after-epidural", "red-flags"} <= words


def test_the_generator_styles_with_one_class_prefix() -> None:
    # `gs-` for every class the generator adds; the old site-named `bpp-` prefix is gone.
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in generator_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"(?<![\w-])bpp-", line)
    ]
    assert found == [], "\n".join(found)

"""Patient pages a clinician can hand over: reading level, risks, red flags, questions."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from content_pages import built_page, page_ids
from content_reading import prose_blocks

with warnings.catch_warnings():
    # textstat 0.7.4 imports pkg_resources, which warns that it is deprecated.
    warnings.simplefilter("ignore", UserWarning)
    import textstat

PATIENT_PAGES = page_ids("patient")
MAX_GRADE = 8


def test_there_are_patient_pages() -> None:
    assert len(PATIENT_PAGES) >= 2


@pytest.mark.parametrize("page_id", PATIENT_PAGES)
def test_patient_page_reads_at_grade_8_or_below(built_site: Path, page_id: str) -> None:
    blocks = prose_blocks(built_page(built_site, page_id))
    text = " ".join(blocks)
    assert len(text.split()) > 400, "too little prose found: is the extraction still right?"
    grade = textstat.flesch_kincaid_grade(text)
    hardest = sorted(blocks, key=textstat.flesch_kincaid_grade)[-3:]
    assert grade <= MAX_GRADE, f"{page_id}: Flesch-Kincaid grade {grade}; hardest: {hardest}"


def test_the_reading_level_measure_tells_plain_from_dense_text() -> None:
    # The pinned textstat (syllables from pyphen, no download) scores as expected offline.
    plain = "Keep moving. Walk a little each day. Ask your nurse if the pain gets worse."
    dense = (
        "Interventional radiofrequency denervation necessitates confirmation by "
        "diagnostic anaesthetic blockade of the medial branch innervating the "
        "zygapophysial articulation, considering multidisciplinary assessment."
    )
    assert textstat.flesch_kincaid_grade(plain) < 4
    assert textstat.flesch_kincaid_grade(dense) > MAX_GRADE


def page_text(site: Path, page_id: str) -> str:
    return " ".join(prose_blocks(built_page(site, page_id))).lower()


@pytest.mark.parametrize("page_id", PATIENT_PAGES)
@pytest.mark.parametrize(
    "must_say",
    [
        # The risks of the injections the page describes.
        "infection",
        "bleeding",
        "dural puncture headache",
        "nerve injury",
        "numbness or weakness in the legs for a few hours",
        "rise in blood sugar",
        # Painkillers, opioids above all, are not stopped suddenly.
        "do not stop any painkiller suddenly without talking to the person who prescribes it",
        "opioids",
        # Red flags as on the clinician pages.
        "sciatica in both legs",
        "new problems with sex",
        "between your legs",
        "bladder or bowel",
        "leg weakness that is severe or getting worse",
        "fever",
        "cancer",
        # Jargon explained where it first appears.
        "a nerve root is",
        "sciatica is pain",
        "national institute for health and care excellence",
    ],
)
def test_patient_page_tells_the_patient(built_site: Path, page_id: str, must_say: str) -> None:
    assert must_say in page_text(built_site, page_id)


@pytest.mark.parametrize("page_id", PATIENT_PAGES)
def test_patient_page_ends_with_questions_for_the_next_appointment(
    built_site: Path, page_id: str
) -> None:
    html = built_page(built_site, page_id).read_text(encoding="utf-8")
    assert 'id="questions-to-ask-at-your-next-appointment"' in html


def test_patient_pages_give_one_rfa_duration() -> None:
    durations = set()
    for page_id in PATIENT_PAGES:
        text = (Path(__file__).resolve().parents[2] / "content" / f"{page_id}.md").read_text()
        if "Radiofrequency ablation" in text:
            durations.add("6 to 12 months" in text and "2 years" not in text)
    assert durations == {True}

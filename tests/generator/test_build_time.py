"""SOURCE_DATE_EPOCH is read in one place; each caller keeps its own fallback."""

from __future__ import annotations

import datetime

import pytest

from guidesite.build_time import build_date, source_date_epoch


def test_set_epoch_wins_over_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert source_date_epoch(default=0) == 1767225600
    assert build_date() == datetime.date(2026, 1, 1)


@pytest.mark.parametrize("value", [None, ""])
def test_unset_or_empty_epoch_gives_the_fallback(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert source_date_epoch(default=315532800) == 315532800
    before = datetime.datetime.now(datetime.UTC).date()
    built = build_date()
    assert built in (before, datetime.datetime.now(datetime.UTC).date())


def test_an_epoch_that_is_not_a_number_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2026-01-01")
    with pytest.raises(ValueError, match=r"SOURCE_DATE_EPOCH='2026-01-01' is not a whole number"):
        source_date_epoch(default=0)

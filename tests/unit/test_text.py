"""caseflow.domain.text: which characters and dates may be recorded (issue 12, findings
1, 3 and 9), checked without a store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from caseflow.domain.errors import InvalidInput
from caseflow.domain.text import (
    DATE_REFUSED,
    TEXT_REFUSED,
    check_values,
    in_date_range,
    is_plain_text,
    problem,
)


def test_exactly_the_refused_code_points() -> None:
    refused = {c for c in range(0x110000) if not is_plain_text(chr(c))}
    c0 = set(range(0x20)) - {0x09, 0x0A, 0x0D}
    surrogates = set(range(0xD800, 0xE000))
    nonchars = set(range(0xFDD0, 0xFDF0)) | {
        (plane << 16) | low for plane in range(17) for low in (0xFFFE, 0xFFFF)
    }
    assert refused == c0 | surrogates | nonchars
    assert len(nonchars) == 66


@pytest.mark.parametrize(
    "text",
    ["", "Oslo rådhus", "tab\tnewline\ncr\r", "«sitat» — 😀", "\x7f DEL", "\u202e", "\ufeff"],
)
def test_ordinary_text_is_plain(text: str) -> None:
    assert is_plain_text(text)


def test_dates_between_1900_and_2200() -> None:
    assert in_date_range(date(1900, 1, 1))
    assert in_date_range(date(2200, 12, 31))
    assert not in_date_range(date(1899, 12, 31))
    assert not in_date_range(date(2201, 1, 1))
    assert not in_date_range(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))
    # a date-time's own (local) date counts: 2200-12-31 at UTC-12 is fine
    west = timezone(timedelta(hours=-12))
    assert in_date_range(datetime(2200, 12, 31, 23, 0, tzinfo=west))


@dataclass(frozen=True)
class Doc:
    background: str
    assessment: str


def test_problems_are_found_inside_values() -> None:
    assert problem(Doc("ok", "a\x00")) == TEXT_REFUSED
    assert problem({"name": "ok", "owner": "x\ufffe"}) == TEXT_REFUSED
    assert problem({"bad\x00key": 1}) == TEXT_REFUSED
    assert problem([date(1, 1, 1)]) == DATE_REFUSED
    assert problem(("ok", 1, None, 2.5)) is None


def test_check_values_names_every_bad_field_and_the_first_in_its_message() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_values({"title": "a\x00", "summary": "ok", "deadline": date(9999, 1, 1)})
    assert caught.value.status == 422
    assert caught.value.fields == {"title": [TEXT_REFUSED], "deadline": [DATE_REFUSED]}
    assert str(caught.value) == f"title: {TEXT_REFUSED}"
    check_values({"title": "ok", "at": date(2026, 12, 1)})  # nothing to refuse

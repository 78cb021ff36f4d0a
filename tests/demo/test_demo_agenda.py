"""The demo prepares its year as a secretariat would (issue 14): every board agenda reads
consecutively in printed order, continuing the year's sequence meeting by meeting; one
supplementary item (tilleggssak) goes out in a supplementary invitation; a postponed case
keeps its number, marked, on the first meeting and is numbered again at a later one."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner

from caseflow.application.views import MeetingView
from caseflow.cli import main
from caseflow.persistence import open_application

PRESENT = "2026-11-28T12:00:00+00:00"


@pytest.fixture(scope="module")
def boards(tmp_path_factory: pytest.TempPathFactory) -> list[MeetingView]:
    tmp: Path = tmp_path_factory.mktemp("demo-agenda")
    url = f"sqlite:///{tmp}/demo.sqlite3"
    result = CliRunner().invoke(
        main,
        ["--database-url", url, "demo", "--present", PRESENT],
        catch_exceptions=False,
        env={"CASEFLOW_ATTACHMENTS_DIR": str(tmp / "attachments")},
    )
    assert result.exit_code == 0, result.output
    app, _ = open_application(url)
    try:
        return app.list_meetings(body="board")
    finally:
        app.close()


def _numbers(m: MeetingView) -> list[int]:
    return [i.number for i in m.agenda if i.number is not None]


def test_every_board_agenda_reads_consecutively_in_printed_order(
    boards: list[MeetingView],
) -> None:
    numbered = [m for m in boards if m.status != "planned"]
    assert len(numbered) >= 10
    last: dict[int, int] = defaultdict(int)
    for m in numbered:
        numbers = _numbers(m)
        assert len(numbers) == len(m.agenda), m.title  # all numbered once invited
        first = last[m.starts_at.year] + 1
        assert numbers == list(range(first, first + len(numbers))), (m.title, numbers)
        assert all(i.label == f"Sak {i.number}/{m.starts_at.year % 100:02d}" for i in m.agenda)
        last[m.starts_at.year] = numbers[-1]
    for m in boards:
        if m.status == "planned":
            assert _numbers(m) == []  # cases wait, unnumbered


def test_one_supplementary_item_goes_out_in_a_supplementary_invitation(
    boards: list[MeetingView],
) -> None:
    late = [(m, i) for m in boards for i in m.agenda if i.supplementary]
    assert len(late) == 1
    meeting, item = late[0]
    assert item.case_id is not None
    assert item is meeting.agenda[-1]
    assert [s.item_keys for s in meeting.supplements] == [[item.key]]
    assert set(meeting.supplements[0].recipients) == set(meeting.recipients)
    assert meeting.supplements[0].sent_at > (meeting.invitation_sent_at or meeting.starts_at)


def test_a_postponed_case_keeps_its_number_and_is_numbered_again_later(
    boards: list[MeetingView],
) -> None:
    where: dict[UUID, list[tuple[MeetingView, int, bool]]] = defaultdict(list)
    for m in boards:
        for i in m.agenda:
            if i.case_id is not None and i.number is not None:
                where[i.case_id].append((m, i.number, i.postponed))
    again = [
        places for places in where.values() if any(p for _, _, p in places) and len(places) > 1
    ]
    assert again
    for places in again:
        (first, number, postponed), (later, new_number, _) = places[0], places[-1]
        assert postponed
        assert later.starts_at > first.starts_at
        assert new_number != number or later.starts_at.year != first.starts_at.year

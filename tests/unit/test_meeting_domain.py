"""The meeting aggregate and the pure planning rules, without a store."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from caseflow.application.files import sniff_media_type
from caseflow.domain import clock
from caseflow.domain.agenda import AgendaItem, AgendaSequence, standard_items
from caseflow.domain.agenda_steps import number_agenda
from caseflow.domain.errors import InvalidInput, InvalidTransition, NotPermitted
from caseflow.domain.meeting import AttachmentKind, Meeting, MeetingStatus
from caseflow.domain.permissions import SYSTEM_ACTOR, Actor, Grant, may_manage_meetings
from caseflow.domain.planning import PlanningRules, is_best_year, kg_gap_warning, parse_years
from caseflow.domain.values import MeetingBody, SystemRole

BY = Grant("system", "system", None)
SHA = "a" * 64


def meeting(body: MeetingBody = MeetingBody.KG, when: datetime | None = None) -> Meeting:
    return Meeting._create(
        Meeting.Scheduled,
        body=body.value,
        title="Møte",
        starts_at=when or datetime(2025, 3, 4, 12, tzinfo=UTC),
        place="Oslo rådhus",
        group_id=None,
        ends_at=None,
        digital=False,
        group_ids=[],
        actor="system",
        role="system",
        on_behalf_of=None,
    )


def sequence(body: MeetingBody, year: int) -> AgendaSequence:
    return AgendaSequence._create(
        AgendaSequence.Started,
        body=body.value,
        year=year,
        actor="system",
        role="system",
        on_behalf_of=None,
    )


def test_labels() -> None:
    assert AgendaItem(38, 2025, "Godkjenning av innkalling", None, True).label == "Sak 38/25"
    assert AgendaItem(2, None, "Referat", None, True).label == "Sak 2"


def test_per_year_body_needs_its_own_sequence() -> None:
    """Issue 14: items wait unnumbered; the invitation numbers them from the body's
    sequence of the meeting's year (and nothing else)."""
    board = meeting(MeetingBody.BOARD)
    assert [board.add_item(t, BY).label for t in "ab"] == ["", ""]
    with pytest.raises(ValueError, match="needs its sequence"):
        number_agenda(board, None, BY)
    with pytest.raises(ValueError, match="needs its sequence"):
        number_agenda(board, sequence(MeetingBody.IPU, 2025), BY)
    with pytest.raises(ValueError, match="needs its sequence"):
        number_agenda(board, sequence(MeetingBody.BOARD, 2024), BY)
    seq = sequence(MeetingBody.BOARD, 2025)
    number_agenda(board, seq, BY)
    assert [i.label for i in board.items] == ["Sak 1/25", "Sak 2/25"]


def test_status_flow_and_guards() -> None:
    m = meeting()
    with pytest.raises(InvalidTransition):
        m.send_invitation([], BY)
    m.add_item("Eventuelt", BY, standing=True)
    with pytest.raises(ValueError, match="number the agenda"):
        m.send_invitation([uuid4()], BY)  # not numbered yet
    number_agenda(m, None, BY)
    m.send_invitation([uuid4()], BY)
    assert m.status is MeetingStatus.INVITATION_SENT
    with pytest.raises(InvalidTransition):
        m.send_invitation([], BY)
    with (
        clock.frozen_at(lambda: datetime(2025, 3, 4, 11, tzinfo=UTC)),
        pytest.raises(InvalidTransition),
    ):
        m.mark_held(BY)
    with clock.frozen_at(lambda: datetime(2025, 3, 4, 15, tzinfo=UTC)):
        m.mark_held(BY)
    assert m.held
    with pytest.raises(InvalidTransition):
        m.add_item("For sent", BY)
    with pytest.raises(InvalidTransition):
        m.approve_minutes(BY)
    m.attach(
        sha256=SHA,
        filename="r.txt",
        size=3,
        media_type="text/plain",
        kind=AttachmentKind.MINUTES,
        by=BY,
    )
    m.approve_minutes(BY)
    assert (m.status, m.approved_minutes) == (MeetingStatus.MINUTES_APPROVED, SHA)
    with pytest.raises(InvalidTransition):
        m.attach(
            sha256="b" * 64,
            filename="x.pdf",
            size=3,
            media_type="application/pdf",
            kind=AttachmentKind.DOCUMENT,
            by=BY,
        )


@pytest.mark.parametrize(
    ("sha", "media_type", "size", "field"),
    [
        ("x" * 64, "application/pdf", 3, "sha256"),
        (SHA, "application/x-msdownload", 3, "file"),
        (SHA, "application/pdf", 0, "file"),
    ],
)
def test_attach_validates_metadata(sha: str, media_type: str, size: int, field: str) -> None:
    with pytest.raises(InvalidInput) as e:
        meeting().attach(
            sha256=sha,
            filename="a.pdf",
            size=size,
            media_type=media_type,
            kind=AttachmentKind.DOCUMENT,
            by=BY,
        )
    assert e.value.fields
    assert field in e.value.fields


def test_standard_items_follow_real_agendas() -> None:
    opening, closing = standard_items(MeetingBody.BOARD, datetime(2025, 10, 29, tzinfo=UTC))
    assert opening == (
        "Godkjenning av innkalling",
        "Godkjenning av referat fra styremøte 29.10.2025",
    )
    assert closing[-2:] == ("Orientering fra sekretariatet", "Eventuelt")
    assert standard_items(MeetingBody.KG, None)[1] == ("Eventuelt",)


def test_kg_gap_window() -> None:
    rules = PlanningRules()
    board = datetime(2025, 12, 8, 12, tzinfo=UTC)
    assert kg_gap_warning(datetime(2025, 11, 12, tzinfo=UTC), board, rules) is None  # 26 days
    assert kg_gap_warning(datetime(2025, 11, 24, tzinfo=UTC), board, rules) is None  # 14 days
    assert "R16" in (kg_gap_warning(datetime(2025, 12, 1, tzinfo=UTC), board, rules) or "")
    assert "R16" in (kg_gap_warning(None, board, rules) or "")
    assert kg_gap_warning(datetime(2025, 12, 1, tzinfo=UTC), board, PlanningRules(7, 7)) is None
    with pytest.raises(ValueError, match="0 <= min <= max"):
        PlanningRules.parse("30-10")


def test_best_years() -> None:
    assert is_best_year(2025)
    assert not is_best_year(2026)
    assert is_best_year(2026, parse_years("2026, 2028"))
    assert parse_years("") is None
    with pytest.raises(ValueError, match="years must look like"):
        parse_years("next year")


def test_only_the_secretariat_manages_meetings() -> None:
    assert may_manage_meetings(SYSTEM_ACTOR).role == "system"
    staff = Actor(uuid4().hex, "S", None, None, frozenset({SystemRole.SECRETARIAT}))
    assert may_manage_meetings(staff).role == "secretariat"
    with pytest.raises(NotPermitted):
        may_manage_meetings(Actor(uuid4().hex, "B", None, None, frozenset({SystemRole.BOARD})))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff\xdb", "image/jpeg"),
        ("Hei på deg\n".encode(), "text/plain"),
        (b"\x00\x01binary", None),
        (b"\xff\xfe\x00", None),
        (b"PK\x03\x04broken", None),
    ],
)
def test_sniffing(data: bytes, expected: str | None) -> None:
    assert sniff_media_type(data) == expected

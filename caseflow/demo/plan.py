"""A year of meetings for the demo (and for anyone planning a real year): board
meetings about six times a year, KG about two weeks before each (R16), the
interest-policy committee, the council twice, the groups, and the two-day joint
gathering in years without the BEST conference (R20).

Meetings that have already started are invited to, held and given approved minutes, in
date order, so each board and committee invitation carries the newest approved KG
minutes (R15) and each expert-group invitation the cross-cutting groups' minutes (R14).
The meetings of the coming two weeks get their invitations; later ones stay planned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from caseflow.application.views import MeetingView
from caseflow.domain import clock
from caseflow.domain.planning import is_best_year
from caseflow.domain.values import GroupKind, MeetingBody

OSLO = ZoneInfo("Europe/Oslo")

#: (month, day) of the board meetings; each moves to the nearest earlier weekday.
BOARD_DATES = ((2, 10), (4, 21), (6, 16), (9, 15), (10, 27), (12, 8))
IPU_DATES = ((3, 4), (6, 18), (11, 4))
COUNCIL_DATES = ((6, 5), (11, 20))
#: KG meets this many days before each board meeting (R16: about two weeks).
KG_DAYS_BEFORE = 14

#: Called for each board meeting after its opening items, before its invitation: the
#: demo submits its cases there so they are numbered between the standing items.
BoardHook = Callable[[MeetingView], None]


def _weekday(d: date) -> date:
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def _at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(_weekday(d), time(hour, minute), OSLO).astimezone(UTC)


def year_schedule(app: Any, year: int) -> list[dict[str, Any]]:
    """What :func:`build_demo_year` schedules, as keyword arguments of
    ``schedule_meeting`` (without the actor), in date order."""
    plan: list[dict[str, Any]] = []
    for month, day in BOARD_DATES:
        board = _at(date(year, month, day), 12)
        plan.append({"body": MeetingBody.BOARD, "starts_at": board, "place": "Oslo rådhus"})
        kg_day = date(year, month, day) - timedelta(days=KG_DAYS_BEFORE)
        plan.append(
            {
                "body": MeetingBody.KG,
                "starts_at": _at(kg_day, 12),
                "ends_at": _at(kg_day, 15),
                "place": "Oslo rådhus, inngang Borggården",
            }
        )
    for month, day in IPU_DATES:
        plan.append(
            {"body": MeetingBody.IPU, "starts_at": _at(date(year, month, day), 10), "place": ""}
        )
        plan[-1].update(digital=True)
    for month, day in COUNCIL_DATES:
        plan.append(
            {
                "body": MeetingBody.COUNCIL,
                "starts_at": _at(date(year, month, day), 16, 30),
                "place": "Oslo rådhus",
            }
        )
    groups = app.groups()
    cross = [g for g in groups if g.kind is GroupKind.CROSS_CUTTING]
    expert = [g for g in groups if g.kind is GroupKind.EXPERT]
    for g in cross:
        plan.append(
            {
                "body": MeetingBody.GROUP,
                "group_id": g.id,
                "starts_at": _at(date(year, 2, 25), 10),
                "place": "",
                "digital": True,
                "title": f"Møte i {g.name}",
            }
        )
    physical = date(year, 3, 12)
    for g in expert:
        plan.append(
            {
                "body": MeetingBody.GROUP,
                "group_id": g.id,
                "starts_at": _at(physical, 9),
                "place": "Oslo rådhus",
                "title": f"Møte i {g.name}",
            }
        )
        plan.append(
            {
                "body": MeetingBody.GROUP,
                "group_id": g.id,
                "starts_at": _at(date(year, 10, 8), 10),
                "place": "",
                "digital": True,
                "title": f"Møte i {g.name}",
            }
        )
    if len(expert) > 1:
        plan.append(
            {
                "body": MeetingBody.JOINT,
                "starts_at": _at(physical, 13),
                "place": "Oslo rådhus",
                "group_ids": [g.id for g in expert],
                "title": "Felles faggruppedel",
            }
        )
    if not is_best_year(year, app.best_years):
        start = _at(date(year, 9, 3), 10)
        plan.append(
            {
                "body": MeetingBody.JOINT,
                "starts_at": start,
                "ends_at": start + timedelta(hours=30),
                "place": "Thon Hotel Oslofjord, Sandvika",
                "title": "Felles fagsamling for de administrative gruppene",
            }
        )
    return sorted(plan, key=lambda kw: kw["starts_at"])


def build_demo_year(
    app: Any, secretariat_id: UUID, year: int, on_board_agenda: BoardHook | None = None
) -> list[UUID]:
    """Schedule a year of meetings with their standing items; invite to, hold and
    approve the minutes of those already started; invite to those of the coming two
    weeks. Returns the meeting ids in date order."""
    now = clock.now()
    ids = []
    for kw in year_schedule(app, year):
        meeting = app.schedule_meeting(secretariat_id, **kw)
        ids.append(meeting.id)
        meeting = app.add_standard_items(secretariat_id, meeting.id)
        if meeting.body == MeetingBody.BOARD.value and on_board_agenda is not None:
            on_board_agenda(meeting)
        if meeting.starts_at <= now + timedelta(days=14):
            app.send_invitation(secretariat_id, meeting.id)
        if meeting.starts_at <= now:
            held = app.mark_held(secretariat_id, meeting.id)
            app.record_minutes(secretariat_id, meeting.id, "referat.txt", _minutes(held))
            app.approve_minutes(secretariat_id, meeting.id)
    return ids


def _minutes(m: MeetingView) -> bytes:
    lines = [f"Referat fra {m.title}", f"Sted: {m.place}", ""]
    lines += [f"{i.label} {i.title}\nTatt til orientering.\n" for i in m.agenda]
    return "\n".join(lines).encode("utf-8")

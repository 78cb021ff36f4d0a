"""Read-only questions the pages ask that the application does not answer directly.

Visibility of read-model rows mirrors ``Caseflow.may_see`` so that a list never shows a
case whose page would answer 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.domain.permissions import Actor, may_read_everything
from caseflow.domain.values import CaseStatus, GroupRole, SystemRole
from caseflow.readmodels.api import CaseFilter, CaseRow, MeetingRow, Page, ReadModels

BOARD_VISIBLE = {CaseStatus.SUBMITTED.value, CaseStatus.POSTPONED.value, CaseStatus.DECIDED.value}
FINAL = {s.value for s in CaseStatus if s.is_final}
SCAN = 500


def case_filter(q: dict[str, Any]) -> CaseFilter:
    """A read-model filter from a loaded ``CaseQuerySchema``."""
    return CaseFilter(
        status=q["status"],
        group=q["group"],
        focus_area=q["focus_area"],
        meeting=str(q["meeting"]) if q["meeting"] else None,
        q=q["q"],
        page=q["page"],
        per_page=q["per_page"],
    )


def may_see_row(actor: Actor, row: CaseRow, kg_id: UUID) -> bool:
    """The same answer as ``Caseflow.may_see``, from a read-model row."""
    if may_read_everything(actor):
        return True
    if actor.seat(row.group_id) is not None:
        return True
    if actor.seat(kg_id) is not None and row.status != CaseStatus.PROPOSED.value:
        return True
    return SystemRole.BOARD in actor.system_roles and row.status in BOARD_VISIBLE


def all_rows(read: ReadModels, f: CaseFilter) -> Iterator[CaseRow]:
    """Every row matching ``f`` (page by page)."""
    page = 1
    while True:
        found = read.cases(replace(f, page=page, per_page=SCAN))
        yield from found.items
        if page >= found.pages:
            return
        page += 1


def visible_cases(app: Caseflow, read: ReadModels, actor: Actor, f: CaseFilter) -> Page[CaseRow]:
    """A page of the cases the actor may see. Everyone-readers page in the read model;
    others are filtered row by row (their share of the cases is small)."""
    if may_read_everything(actor):
        return read.cases(f)
    kg = app.kg_id()
    rows = [r for r in all_rows(read, f) if may_see_row(actor, r, kg)]
    start = (f.page - 1) * f.per_page
    return Page(rows[start : start + f.per_page], len(rows), f.page, f.per_page)


def advice_requested_from(app: Caseflow, read: ReadModels, actor: Actor) -> list[CaseRow]:
    """Cases in an open advice round where the actor advises: KG's non-observer members,
    and (R13) the leader of the proposing group, who is invited to give input."""
    kg_seat = actor.seat(app.kg_id())
    kg_acts = kg_seat is not None and kg_seat.role is not GroupRole.OBSERVER
    rows = []
    for row in all_rows(read, CaseFilter(status=CaseStatus.ADVICE_REQUESTED.value)):
        seat = actor.seat(row.group_id)
        if kg_acts or (seat is not None and seat.role is GroupRole.LEADER):
            rows.append(row)
    return sorted(rows, key=lambda r: (r.advice_deadline or date.max, r.reference))


def overdue(read: ReadModels, today: date, idle_days: int) -> dict[str, list[CaseRow]]:
    """Advice rounds past their deadline, and open cases idle for ``idle_days`` or more."""
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    late = [
        r
        for r in all_rows(read, CaseFilter(status=CaseStatus.ADVICE_REQUESTED.value))
        if r.advice_deadline is not None and r.advice_deadline < today
    ]
    idle: list[CaseRow] = []
    for status in CaseStatus:
        if status.is_final or status is CaseStatus.SUBMITTED:
            continue
        idle.extend(
            r
            for r in all_rows(read, CaseFilter(status=status.value))
            if r.days_in_status(now) >= idle_days
        )
    late.sort(key=lambda r: r.advice_deadline or today)
    idle.sort(key=lambda r: r.status_since)
    return {"advice_late": late, "idle": idle}


def next_board_meeting(read: ReadModels, now: datetime) -> MeetingRow | None:
    upcoming = [m for m in read.meetings("board") if m.starts_at >= now]
    return min(upcoming, key=lambda m: m.starts_at) if upcoming else None


def readiness(read: ReadModels, meeting: MeetingRow | None) -> dict[str, Any]:
    """How ready the next board meeting's cases are: what is on its agenda, and what is
    in the pipeline towards it (ready to submit, advice closed, advice still open)."""
    counts = read.status_counts()
    pipeline = {
        s: counts.get(s, 0)
        for s in (
            CaseStatus.UNDER_PREPARATION.value,
            CaseStatus.ADVICE_REQUESTED.value,
            CaseStatus.ADVICE_CLOSED.value,
            CaseStatus.READY.value,
            CaseStatus.POSTPONED.value,
        )
    }
    on_agenda: list[CaseRow] = []
    if meeting is not None:
        on_agenda = list(all_rows(read, CaseFilter(meeting=str(meeting.id))))
    waiting = list(all_rows(read, CaseFilter(status=CaseStatus.ADVICE_REQUESTED.value)))
    received = sum(r.advice_received for r in waiting)
    expected = sum(r.advice_expected for r in waiting)
    return {
        "on_agenda": on_agenda,
        "pipeline": pipeline,
        "advice_received": received,
        "advice_expected": expected,
    }


def region_names(app: Caseflow) -> dict[str, str]:
    register = app.register()
    return {slug: r["name"] for slug, r in register.regions.items()} if register else {}


def board_regions(app: Caseflow) -> list[str]:
    register = app.register()
    return register.board_regions() if register else []


def organisations(app: Caseflow) -> dict[str, Any]:
    """Members by region, the secretariat, and external organisations people come from."""
    from caseflow.data import load_municipalities

    register = app.register()
    known = load_municipalities()
    regions: list[dict[str, Any]] = []
    if register is not None:
        for slug, region in register.regions.items():
            members = []
            for number, where in sorted(register.members.items()):
                if where != slug:
                    continue
                found = known.lookup(number)
                members.append({"number": number, "name": found.name if found else number})
            regions.append({**region, "members": members})
    externals = sorted(
        {
            p.organisation["name"]
            for p in app.list_people()
            if p.organisation.get("kind") == "external"
        }
    )
    return {
        "regions": regions,
        "secretariat": {"name": "Sekretariatet"},
        "external": [{"name": n} for n in externals],
    }

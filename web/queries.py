"""Read-only questions the pages ask that the application does not answer directly.

Visibility of read-model rows is the one case visibility rule
(``caseflow.domain.permissions.visibility``), so a list never shows a case whose page would
answer 404. Every question is one or a few bounded, indexed SQL
queries of the read models: no page reads all cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.domain import clock, localtime
from caseflow.domain.permissions import Actor
from caseflow.domain.permissions.visibility import case_visibility, may_see_case
from caseflow.domain.values import CaseStatus, GroupRole
from caseflow.readmodels.api import (
    CaseFilter,
    CaseRow,
    CaseVisibility,
    MeetingRow,
    Page,
    ReadModels,
    SearchHit,
)

SCAN = 500
#: How many cases each list of the overview shows before "and N more".
OVERVIEW_LIMIT = 15
#: The next board meeting's first cases on the overview, then "and N more" linking to
#: the case list of that meeting (issue 19: it showed up to 100, each a full row).
AGENDA_LIMIT = OVERVIEW_LIMIT


def case_filter(q: dict[str, Any]) -> CaseFilter:
    """A read-model filter from a loaded ``CaseQuerySchema``."""
    today = localtime.local_date(clock.now())  # the day people read (CASEFLOW_TIMEZONE)
    idle = q.get("idle")
    return CaseFilter(
        status=q["status"],
        group=q["group"],
        focus_area=q["focus_area"],
        meeting=str(q["meeting"]) if q["meeting"] else None,
        q=q["q"],
        advice_overdue_on=today if q.get("overdue") else None,
        idle_before=idle_cutoff(today, idle) if idle else None,
        page=q["page"],
        per_page=q["per_page"],
    )


def idle_cutoff(today: date, idle_days: int) -> datetime:
    """Cases in their status since this moment or earlier have been idle ``idle_days``
    days or more (counted from the start of ``today``, UTC)."""
    return datetime.combine(today, datetime.min.time(), tzinfo=UTC) - timedelta(days=idle_days)


def may_see_row(actor: Actor, row: CaseRow, kg_id: UUID) -> bool:
    """The case visibility rule (``caseflow.domain.permissions.visibility``) applied to a
    read-model row: the same answer as the case page's; the lists filter with the same
    rule in SQL (:func:`visibility`)."""
    return may_see_case(case_visibility(actor, kg_id), row.group_id, row.status, row.invited)


def visibility(actor: Actor, kg_id: UUID) -> CaseVisibility | None:
    """The case visibility rule as the filter the read model applies in SQL (None:
    everything)."""
    return case_visibility(actor, kg_id)


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
    """A page of the cases the actor may see, filtered and paged in SQL."""
    return read.cases(replace(f, visible=visibility(actor, app.kg_id())))


def search_cases(app: Caseflow, read: ReadModels, actor: Actor, f: CaseFilter) -> Page[SearchHit]:
    """Full-text search (``f.q``) of the cases the actor may see, ranked, with snippets:
    the same visibility as the list (:func:`visibility`), in SQL."""
    return read.search(replace(f, visible=visibility(actor, app.kg_id())))


def advice_requested_from(app: Caseflow, read: ReadModels, actor: Actor) -> list[CaseRow]:
    """Cases in an open advice round where the actor advises: KG's non-observer members,
    and (R13) the leader of the proposing group, who is invited to give input."""
    kg_seat = actor.seat(app.kg_id())
    kg_acts = kg_seat is not None and kg_seat.role is not GroupRole.OBSERVER
    f = CaseFilter(status=CaseStatus.ADVICE_REQUESTED.value, sort="advice_deadline")
    if not kg_acts:
        leads = frozenset(g for g, s in actor.seats.items() if s.role is GroupRole.LEADER)
        if not leads:
            return []
        f = replace(f, visible=CaseVisibility(group_ids=leads))
    return list(all_rows(read, f))


@dataclass(frozen=True)
class Listed:
    """The first cases of a list, how many there are, and the case list showing all."""

    items: list[CaseRow]
    total: int
    more_url_args: dict[str, Any]

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


def _listed(read: ReadModels, f: CaseFilter, args: dict[str, Any]) -> Listed:
    found = read.cases(f)
    return Listed(found.items, found.total, args)


def overdue(
    read: ReadModels, today: date, idle_days: int, limit: int | None = None
) -> dict[str, Listed]:
    """Advice rounds past their deadline (earliest deadline first), and open cases idle
    for ``idle_days`` or more (longest idle first): the first ``limit`` (default
    ``OVERVIEW_LIMIT``) of each and how many there are."""
    limit = limit or OVERVIEW_LIMIT
    late = CaseFilter(advice_overdue_on=today, sort="advice_deadline", per_page=limit)
    idle = CaseFilter(
        idle_before=idle_cutoff(today, idle_days), sort="status_since", per_page=limit
    )
    return {
        "advice_late": _listed(read, late, {"overdue": 1}),
        "idle": _listed(read, idle, {"idle": idle_days}),
    }


def next_board_meeting(read: ReadModels, now: datetime) -> MeetingRow | None:
    return read.next_meeting("board", now)


def readiness(
    read: ReadModels, meeting: MeetingRow | None, counts: dict[str, int] | None = None
) -> dict[str, Any]:
    """How ready the next board meeting's cases are: what is on its agenda, and what is
    in the pipeline towards it (ready to submit, advice closed, advice still open)."""
    counts = read.status_counts() if counts is None else counts
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
    on_agenda = Listed([], 0, {})
    if meeting is not None:
        on_agenda = _listed(
            read,
            CaseFilter(meeting=str(meeting.id), sort="board_number", per_page=AGENDA_LIMIT),
            {"meeting": str(meeting.id)},
        )
    received, expected = read.advice_totals(CaseFilter(status=CaseStatus.ADVICE_REQUESTED.value))
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

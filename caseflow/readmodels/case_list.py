"""The case list's queries (issue 19 split them from :mod:`caseflow.readmodels.cases`,
the projection): the page of rows for a filter and the person's visibility, the status
counts and the advice totals — one SQL shape shared with the search
(:mod:`caseflow.readmodels.search` builds on ``_where``, ``_FROM`` and ``_row``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from caseflow.domain.permissions.visibility import CaseVisibility
from caseflow.domain.values import CaseStatus
from caseflow.readmodels.api import CaseFilter, CaseRow, Page
from caseflow.readmodels.base import (
    as_uuid,
    day,
    from_day,
    from_iso,
    iso,
    like,
)
from caseflow.readmodels.sql import Tx

_COLUMNS = (
    "c.id, c.reference, c.title, c.kind, c.group_id, g.name, c.focus_area, c.status, "
    "c.status_since, c.case_officer, o.name, c.board_meeting_id, c.board_number, "
    "c.advice_received, c.advice_expected, c.advice_deadline, c.last_change, c.version, "
    "sc.legal_basis, sc.public_title"
)
_FROM = (
    "FROM {t} c LEFT JOIN {t_names} g ON g.id = c.group_id "
    "LEFT JOIN {t_names} o ON o.id = c.case_officer "
    "LEFT JOIN {t_screening} sc ON sc.case_id = c.id"
)


def _from_for(f: CaseFilter | None) -> str:
    """What counts and sums need: the cases alone (so an index on the filtered columns
    covers them), joined to the group names only when filtering by a group's slug."""
    if f is not None and f.group and _group_id(f.group) is None:
        return "FROM {t} c LEFT JOIN {t_names} g ON g.id = c.group_id"
    return "FROM {t} c"


def _group_id(group: str) -> str | None:
    try:
        return UUID(group).hex
    except ValueError:
        return None  # a slug


#: Sortable columns (``CaseFilter.sort``; '-' in front for descending).
SORTS: dict[str, tuple[str, ...]] = {
    "last_change": ("c.last_change",),
    "reference": ("c.reference",),
    "title": ("c.title",),
    "kind": ("c.kind",),
    "status": ("c.status",),
    "status_since": ("c.status_since",),
    "days_in_status": ("c.status_since",),
    "group": ("g.name",),
    "group_name": ("g.name",),
    "focus_area": ("c.focus_area",),
    "case_officer": ("o.name",),
    "case_officer_name": ("o.name",),
    "board_number": ("c.board_year", "c.board_no"),
    "advice": ("c.advice_received",),
    "advice_received": ("c.advice_received",),
    "advice_expected": ("c.advice_expected",),
    "advice_deadline": ("c.advice_deadline",),
    "proposed": ("c.proposed_at",),
}


#: Statuses in which a case waits for someone (not final, not yet with the board).
OPEN = tuple(s.value for s in CaseStatus if not s.is_final and s is not CaseStatus.SUBMITTED)


def _in(column: str, values: list[str]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _visible(visible: CaseVisibility, params: list[Any]) -> str:
    """The clause of what a reader may see (its parameters appended to ``params``)."""
    groups = sorted(g.hex for g in visible.group_ids)
    statuses = sorted(visible.statuses)
    either = [_in("c.group_id", groups)] if groups else []
    either += [_in("c.status", statuses)] if statuses else []
    params += [*groups, *statuses]
    if visible.person_id is not None:
        either.append("c.id IN (SELECT case_id FROM {t_invited} WHERE person_id = ?)")
        params.append(visible.person_id.hex)
    return "(" + " OR ".join(either) + ")" if either else "1 = 0"


def _where(f: CaseFilter, *, with_status: bool = True) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if with_status and f.status:
        clauses.append("c.status = ?")
        params.append(f.status)
    if f.advice_overdue_on is not None:
        clauses.append("c.status = ? AND c.advice_deadline < ?")
        params += [CaseStatus.ADVICE_REQUESTED.value, day(f.advice_overdue_on)]
    if f.idle_before is not None:
        clauses.append(f"{_in('c.status', list(OPEN))} AND c.status_since <= ?")
        params += [*OPEN, iso(f.idle_before)]
    if f.visible is not None:
        clauses.append(_visible(f.visible, params))
    if f.group:
        group_id = _group_id(f.group)
        if group_id is not None:
            params.append(group_id)
            clauses.append("c.group_id = ?")
        else:
            params.append(f.group)
            clauses.append("g.slug = ?")
    if f.focus_area:
        clauses.append("c.focus_area = ?")
        params.append(f.focus_area)
    if f.meeting:
        try:
            params.append(UUID(str(f.meeting)).hex)
            clauses.append("c.board_meeting_id = ?")
        except ValueError:
            clauses.append("1 = 0")
    if f.screened is not None:
        inside = "IN" if f.screened else "NOT IN"
        clauses.append(f"c.id {inside} (SELECT case_id FROM {{t_screening}})")
    if f.q and f.q.strip():
        clauses.append("c.search LIKE ? ESCAPE '\\'")
        params.append(like(f.q.strip()))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _order(sort: str) -> str:
    descending = sort.startswith("-")
    key = sort.lstrip("-+") or "last_change"
    if key not in SORTS:
        raise ValueError(f"cannot sort cases by {key!r}; use one of {', '.join(SORTS)}")
    direction = "DESC" if descending else "ASC"
    parts = [f"({col} IS NULL), {col} {direction}" for col in SORTS[key]]
    return " ORDER BY " + ", ".join(parts) + f", c.reference {direction}"


def query_cases(tx: Tx, f: CaseFilter) -> Page[CaseRow]:
    where, params = _where(f)
    per_page = max(1, min(int(f.per_page), 1000))
    page = max(1, int(f.page))
    if tx.dialect == "postgres":
        return _cases_in_one(tx, f, where, params, page, per_page)
    total = int(tx.scalar(f"SELECT COUNT(*) {_from_for(f)}{where}", params) or 0)
    rows = tx.all(
        f"SELECT {_COLUMNS} {_FROM}{where}{_order(f.sort)} LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    invited = _invited(tx, [r[0] for r in rows])
    return Page([_row(r, invited.get(r[0], frozenset())) for r in rows], total, page, per_page)


def _cases_in_one(
    tx: Tx, f: CaseFilter, where: str, params: list[Any], page: int, per_page: int
) -> Page[CaseRow]:
    """:func:`query_cases` in one statement (PostgreSQL, where each statement is a round
    trip; issue 19): the count as an uncorrelated subquery (computed once) and each row's
    invitations as a correlated one, which the planner evaluates above the sort and the
    limit — for the rows of the page only. An empty page past the first counts apart."""
    rows = tx.all(
        f"SELECT {_COLUMNS}, (SELECT COUNT(*) {_from_for(f)}{where}), "
        "(SELECT string_agg(i.person_id, ',') FROM {t_invited} i WHERE i.case_id = c.id) "
        f"{_FROM}{where}{_order(f.sort)} LIMIT ? OFFSET ?",
        [*params, *params, per_page, (page - 1) * per_page],
    )
    if rows:
        total = int(rows[0][-2] or 0)
    elif page == 1:
        total = 0
    else:
        total = int(tx.scalar(f"SELECT COUNT(*) {_from_for(f)}{where}", params) or 0)
    items = [
        _row(r[:-2], frozenset(UUID(p) for p in r[-1].split(",")) if r[-1] else frozenset())
        for r in rows
    ]
    return Page(items, total, page, per_page)


def _invited(tx: Tx, case_ids: list[str]) -> dict[str, frozenset[UUID]]:
    """The R13 invitations of these cases (one query)."""
    if not case_ids:
        return {}
    found: dict[str, set[UUID]] = {}
    for case_id, person_id in tx.all(
        f"SELECT case_id, person_id FROM {{t_invited}} WHERE {_in('case_id', case_ids)}", case_ids
    ):
        found.setdefault(case_id, set()).add(UUID(person_id))
    return {c: frozenset(p) for c, p in found.items()}


def query_status_counts(tx: Tx, f: CaseFilter | None) -> dict[str, int]:
    where, params = _where(f or CaseFilter(), with_status=False)
    rows = tx.all(f"SELECT c.status, COUNT(*) {_from_for(f)}{where} GROUP BY c.status", params)
    return {str(status): int(n) for status, n in rows}


def query_advice_totals(tx: Tx, f: CaseFilter | None) -> tuple[int, int]:
    """(advice received, advice expected) summed over the matching cases, in SQL."""
    where, params = _where(f or CaseFilter())
    row = tx.one(
        f"SELECT SUM(c.advice_received), SUM(c.advice_expected) {_from_for(f)}{where}",
        params,
    )
    return (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)


def _row(r: tuple[Any, ...], invited: frozenset[UUID] = frozenset()) -> CaseRow:
    status_since = from_iso(r[8])
    last_change = from_iso(r[16])
    assert status_since is not None
    assert last_change is not None
    return CaseRow(
        id=UUID(r[0]),
        reference=r[1],
        title=r[2],
        kind=r[3],
        group_id=UUID(r[4]),
        group_name=r[5] or "",
        focus_area=r[6],
        status=r[7],
        status_since=status_since,
        case_officer=as_uuid(r[9]),
        case_officer_name=r[10],
        board_meeting_id=as_uuid(r[11]),
        board_number=r[12],
        advice_received=int(r[13]),
        advice_expected=int(r[14]),
        advice_deadline=from_day(r[15]),
        last_change=last_change,
        version=int(r[17]),
        invited=invited,
        screened=r[18] is not None,
        legal_basis=r[18],
        public_title=r[19] if r[19] is not None else r[2],
    )

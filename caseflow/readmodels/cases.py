"""The case status list: one row per case, with what the overview pages show.

Advice expected is fixed when advice is requested: KG's acting (non-observer) members at
that moment plus the invited expert-group leaders (R13) who are not already among them.
Advice received counts distinct advisers (revisions of one adviser's advice count once).
"""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from caseflow.domain.case import Case, Submission
from caseflow.domain.organisation import Group
from caseflow.domain.permissions.visibility import CaseVisibility
from caseflow.domain.values import CaseStatus, GroupRole, stable_id
from caseflow.readmodels.api import CaseFilter, CaseRow, Page
from caseflow.readmodels.base import (
    NAMES_TABLE,
    NamesMixin,
    ReadModelProjection,
    as_uuid,
    day,
    from_day,
    from_iso,
    hexid,
    iso,
    like,
    on,
)
from caseflow.readmodels.sql import TableSchema, Tx

KG_ID = stable_id("group", "kg").hex

SCHEMA = TableSchema(
    tables=(
        (
            "",
            "id TEXT PRIMARY KEY, reference TEXT NOT NULL, title TEXT NOT NULL, "
            "kind TEXT NOT NULL, group_id TEXT NOT NULL, focus_area TEXT, "
            "status TEXT NOT NULL, status_since TEXT NOT NULL, case_officer TEXT, "
            "board_meeting_id TEXT, board_number TEXT, board_year INTEGER, board_no INTEGER, "
            "advice_received INTEGER NOT NULL DEFAULT 0, "
            "advice_expected INTEGER NOT NULL DEFAULT 0, advice_deadline TEXT, "
            "kg_meeting_id TEXT, proposed_at TEXT NOT NULL, last_change TEXT NOT NULL, "
            "version INTEGER NOT NULL, changes INTEGER NOT NULL, search TEXT NOT NULL",
        ),
        (
            "advisers",
            "case_id TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (case_id, person_id)",
        ),
        ("kg", "person_id TEXT PRIMARY KEY, role TEXT NOT NULL"),
        # R13: the expert-group leaders invited to give input on a case (they see it).
        (
            "invited",
            "case_id TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (case_id, person_id)",
        ),
        # Issue 18: the screened cases (a table of its own, so a store projected before
        # gets it by CREATE TABLE IF NOT EXISTS and every case there is public).
        (
            "screening",
            "case_id TEXT PRIMARY KEY, legal_basis TEXT NOT NULL, public_title TEXT NOT NULL",
        ),
        NAMES_TABLE,
    ),
    indexes=(
        ("status", "", "status, last_change"),
        ("status_since", "", "status, status_since"),
        ("deadline", "", "status, advice_deadline"),
        ("group", "", "group_id"),
        ("meeting", "", "board_meeting_id"),
        ("last_change", "", "last_change"),
        ("invited_person", "invited", "person_id"),
    ),
)


class CaseStatusProjection(NamesMixin, ReadModelProjection):
    """Case status list (``rm_cases``). Within a batch, the frequent per-event updates
    (last change, version, change count, advisers) are gathered and written once per case
    in :meth:`finish`, before the batch's tracking position, in the same transaction."""

    name = "rm_cases"
    short = "cases"
    schema = SCHEMA

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        #: KG's acting members (advice expected), kept from batch to batch while each
        #: starts where the last ended; None: read them from ``{t_kg}``.
        self._acting: frozenset[str] | None = None
        self._upto: int | None = None
        self.begin(None)

    def begin(self, tx: Tx | None) -> None:
        if tx is None or tx.position is None or tx.position != self._upto:
            self._acting = None  # an earlier batch may have been rolled back
        #: case id -> [changes, version, last change (the event's timestamp), columns set]
        self._touched: dict[str, list[Any]] = {}
        self._advisers: set[tuple[str | None, str | None]] = set()

    def finish(self, tx: Tx) -> None:
        if self._advisers:
            tx.executemany(
                "INSERT INTO {t_advisers} (case_id, person_id) VALUES (?, ?) "
                "ON CONFLICT (case_id, person_id) DO NOTHING",
                sorted(self._advisers, key=str),
            )
            tx.executemany(
                "UPDATE {t} SET advice_received = "
                "(SELECT COUNT(*) FROM {t_advisers} WHERE case_id = ?) WHERE id = ?",
                [(c, c) for c in sorted({c for c, _ in self._advisers if c})],
            )
        by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for cid, (n, version, at, values) in sorted(self._touched.items()):
            rows = by_columns.setdefault(tuple(values), [])
            rows.append((n, version, iso(at), *values.values(), cid))
        for columns, rows in by_columns.items():
            sets = "".join(f", {c} = ?" for c in columns)
            tx.executemany(
                f"UPDATE {{t}} SET changes = changes + ?, version = ?, last_change = ?{sets} "
                "WHERE id = ?",
                rows,
            )
        self._upto = tx.end
        self._touched, self._advisers = {}, set()

    # -- KG membership, for advice expected ------------------------------------------

    @on(Group.MemberAdded)
    def _member_added(self, tx: Tx, e: Any, position: int) -> None:
        if hexid(e.originator_id) == KG_ID:
            self._acting = None
            tx.execute(
                "INSERT INTO {t_kg} (person_id, role) VALUES (?, ?) "
                "ON CONFLICT (person_id) DO UPDATE SET role = excluded.role",
                (hexid(e.person_id), e.member_role),
            )

    @on(Group.MemberRemoved)
    def _member_removed(self, tx: Tx, e: Any, position: int) -> None:
        if hexid(e.originator_id) == KG_ID:
            self._acting = None
            tx.execute("DELETE FROM {t_kg} WHERE person_id = ?", (hexid(e.person_id),))

    @on(Group.Appointed)
    def _appointed(self, tx: Tx, e: Any, position: int) -> None:
        if hexid(e.originator_id) == KG_ID:
            self._acting = None
            tx.execute(
                "UPDATE {t_kg} SET role = ? WHERE role = ?", (GroupRole.MEMBER.value, e.position)
            )
            tx.execute(
                "UPDATE {t_kg} SET role = ? WHERE person_id = ?", (e.position, hexid(e.person_id))
            )

    # -- the case's own events -------------------------------------------------------------

    @on(Case.Proposed)
    def _proposed(self, tx: Tx, e: Any, position: int) -> None:
        at = iso(e.timestamp)
        tx.execute(
            "INSERT INTO {t} (id, reference, title, kind, group_id, focus_area, status, "
            "status_since, proposed_at, last_change, version, changes, search) "
            "VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?, ?, 0, ?)",
            (
                hexid(e.originator_id),
                e.reference,
                e.title,
                e.kind,
                hexid(e.group_id),
                e.focus_area,
                at,
                at,
                at,
                e.originator_version,
                " ".join((e.reference, e.title, e.summary)).lower(),
            ),
        )
        self._touch(tx, e)

    def _touch(self, tx: Tx, e: Any, sets: str = "", params: tuple[Any, ...] = ()) -> None:
        """Update the case's row at the end of the batch, once (the handlers of a batch
        never read it): ``sets`` (``column = ?`` with ``params``, or ``column = NULL``),
        the last change, the version and the change count."""
        case_id = hexid(e.originator_id) or ""
        entry = self._touched.get(case_id)
        if entry is None:
            entry = self._touched[case_id] = [0, 0, None, {}]
        entry[0] += 1
        if e.originator_version > entry[1]:
            entry[1], entry[2] = e.originator_version, e.timestamp
        if sets:
            values, given = entry[3], iter(params)
            for column, bound in _assignments(sets):
                values[column] = next(given) if bound else None

    def _move(
        self, tx: Tx, e: Any, status: str, sets: str = "", params: tuple[Any, ...] = ()
    ) -> None:
        both = f"status = ?, status_since = ?{', ' + sets if sets else ''}"
        self._touch(tx, e, both, (status, iso(e.timestamp), *params))

    @on(Case.Accepted)
    def _accepted(self, tx: Tx, e: Any, position: int) -> None:
        self._move(tx, e, "under_preparation", "case_officer = ?", (hexid(e.case_officer),))

    @on(Case.Declined)
    def _declined(self, tx: Tx, e: Any, position: int) -> None:
        self._move(tx, e, "declined")

    @on(Case.Drafted, Case.DocumentAdded, Case.DocumentVersionAdded)
    def _changed(self, tx: Tx, e: Any, position: int) -> None:
        self._touch(tx, e)

    @on(Case.AdviceGiven)
    def _advice_given(self, tx: Tx, e: Any, position: int) -> None:
        self._advisers.add((hexid(e.originator_id), hexid(e.actor)))
        self._touch(tx, e)

    @on(Case.AdviceRequested)
    def _advice_requested(self, tx: Tx, e: Any, position: int) -> None:
        acting = self._acting
        if acting is None:
            rows = tx.all("SELECT person_id FROM {t_kg} WHERE role <> 'observer'")
            acting = self._acting = frozenset(row[0] for row in rows)
        expected = len(acting | {hexid(p) for p in e.invited})
        case_id = hexid(e.originator_id)
        tx.execute("DELETE FROM {t_invited} WHERE case_id = ?", (case_id,))
        tx.executemany(
            "INSERT INTO {t_invited} (case_id, person_id) VALUES (?, ?)",
            sorted({(case_id, hexid(p)) for p in e.invited}, key=str),
        )
        self._move(
            tx,
            e,
            "advice_requested",
            "advice_deadline = ?, kg_meeting_id = ?, advice_expected = ?",
            (day(e.deadline), hexid(e.kg_meeting_id), expected),
        )

    @on(Case.LeaderInvited)
    def _leader_invited(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_invited} (case_id, person_id) VALUES (?, ?) "
            "ON CONFLICT (case_id, person_id) DO NOTHING",
            (hexid(e.originator_id), hexid(e.person_id)),
        )
        self._touch(tx, e)

    @on(Case.AdviceClosed, Case.AdviceWaived)
    def _advice_closed(self, tx: Tx, e: Any, position: int) -> None:
        self._move(tx, e, "advice_closed")

    @on(Case.MarkedReady)
    def _ready(self, tx: Tx, e: Any, position: int) -> None:
        self._move(tx, e, "ready")

    @on(Case.SubmittedToBoard)
    def _submitted(self, tx: Tx, e: Any, position: int) -> None:
        label = Submission(e.meeting_id, e.number, e.year).label
        self._move(
            tx,
            e,
            "submitted",
            "board_meeting_id = ?, board_number = ?, board_year = ?, board_no = ?",
            (hexid(e.meeting_id), label, e.year, e.number),
        )

    @on(Case.SubmittedToMeeting)
    def _waiting(self, tx: Tx, e: Any, position: int) -> None:
        """Issue 14: submitted, waiting unnumbered on the meeting's list."""
        self._move(
            tx,
            e,
            "submitted",
            "board_meeting_id = ?, board_number = NULL, board_year = NULL, board_no = NULL",
            (hexid(e.meeting_id),),
        )

    @on(Case.NumberGiven)
    def _numbered(self, tx: Tx, e: Any, position: int) -> None:
        label = Submission(e.meeting_id, e.number, e.year).label
        self._touch(
            tx,
            e,
            "board_meeting_id = ?, board_number = ?, board_year = ?, board_no = ?",
            (hexid(e.meeting_id), label, e.year, e.number),
        )

    @on(Case.ReturnedToWait)
    def _returned(self, tx: Tx, e: Any, position: int) -> None:
        self._move(
            tx,
            e,
            "ready",
            "board_meeting_id = NULL, board_number = NULL, board_year = NULL, board_no = NULL",
        )

    @on(Case.Decided)
    def _decided(self, tx: Tx, e: Any, position: int) -> None:
        self._move(tx, e, "decided")

    @on(Case.Postponed)
    def _postponed(self, tx: Tx, e: Any, position: int) -> None:
        self._move(tx, e, "postponed")

    @on(Case.Withdrawn)
    def _withdrawn(self, tx: Tx, e: Any, position: int) -> None:
        self._move(tx, e, "withdrawn")

    @on(Case.Screened)
    def _screened(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_screening} (case_id, legal_basis, public_title) VALUES (?, ?, ?) "
            "ON CONFLICT (case_id) DO UPDATE SET legal_basis = excluded.legal_basis, "
            "public_title = excluded.public_title",
            (hexid(e.originator_id), e.legal_basis, e.public_title),
        )
        self._touch(tx, e)

    @on(Case.ScreeningLifted)
    def _screening_lifted(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute("DELETE FROM {t_screening} WHERE case_id = ?", (hexid(e.originator_id),))
        self._touch(tx, e)

    @on(Case.DocumentScreened, Case.DocumentScreeningLifted)
    def _document_screening(self, tx: Tx, e: Any, position: int) -> None:
        self._touch(tx, e)


@cache
def _assignments(sets: str) -> tuple[tuple[str, bool], ...]:
    """``"a = ?, b = NULL"`` as ``(("a", True), ("b", False))`` (True: a parameter)."""
    pairs = (part.split(" = ") for part in sets.split(", "))
    return tuple((column.strip(), value.strip() == "?") for column, value in pairs)


# -- queries ---------------------------------------------------------------------------------

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
    total = int(tx.scalar(f"SELECT COUNT(*) {_from_for(f)}{where}", params) or 0)
    rows = tx.all(
        f"SELECT {_COLUMNS} {_FROM}{where}{_order(f.sort)} LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    invited = _invited(tx, [r[0] for r in rows])
    return Page([_row(r, invited.get(r[0], frozenset())) for r in rows], total, page, per_page)


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

"""The case status list: one row per case, with what the overview pages show.

Advice expected is fixed when advice is requested: KG's acting (non-observer) members at
that moment plus the invited expert-group leaders (R13) who are not already among them.
Advice received counts distinct advisers (revisions of one adviser's advice count once).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from caseflow.domain.case import Case, Submission
from caseflow.domain.organisation import Group
from caseflow.domain.values import GroupRole, stable_id
from caseflow.readmodels.base import (
    NAMES_TABLE,
    NamesMixin,
    ReadModelProjection,
    day,
    hexid,
    iso,
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
        #: Each case's advisers as ``{t_advisers}`` holds them, for the cases seen lately
        #: (read once per case, then kept like ``_acting``): a batch inserts only the new
        #: ones and writes the new counts with the rest of the case's row (issue 19).
        self._known: dict[str, set[str]] = {}
        self._upto: int | None = None
        self.begin(None)

    def begin(self, tx: Tx | None) -> None:
        if tx is None or tx.position is None or tx.position != self._upto:
            self._acting = None  # an earlier batch may have been rolled back
            self._known = {}
        self._upto = None  # until this batch is written (finish)
        #: case id -> [changes, version, last change (the event's timestamp), columns set]
        self._touched: dict[str, list[Any]] = {}
        self._advisers: set[tuple[str, str]] = set()

    def finish(self, tx: Tx) -> None:
        if self._advisers:
            self._write_advisers(tx)
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

    def _write_advisers(self, tx: Tx) -> None:
        """The batch's new advisers inserted, their cases' counts set with the rows."""
        known = self._known
        if len(known) > _KNOWN_MAX:
            known.clear()
        unknown = sorted({c for c, _ in self._advisers if c not in known})
        for i in range(0, len(unknown), 500):
            chunk = unknown[i : i + 500]
            for c in chunk:
                known[c] = set()
            marks = ", ".join("?" for _ in chunk)
            for c, p in tx.all(
                f"SELECT case_id, person_id FROM {{t_advisers}} WHERE case_id IN ({marks})", chunk
            ):
                known[c].add(p)
        new = sorted(pair for pair in self._advisers if pair[1] not in known[pair[0]])
        if not new:
            return
        tx.executemany("INSERT INTO {t_advisers} (case_id, person_id) VALUES (?, ?)", new)
        for c, p in new:
            known[c].add(p)
        for c in {c for c, _ in new}:
            self._touched[c][3]["advice_received"] = len(known[c])

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
        # most of a log: _touch's work without its columns, written out here
        case_id = hexid(e.originator_id) or ""
        self._advisers.add((case_id, hexid(e.actor) or ""))
        entry = self._touched.get(case_id)
        if entry is None:
            entry = self._touched[case_id] = [0, 0, None, {}]
        entry[0] += 1
        if e.originator_version > entry[1]:
            entry[1], entry[2] = e.originator_version, e.timestamp

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


#: How many cases' advisers are kept at most (then read again as their cases come).
_KNOWN_MAX = 2_000


@cache
def _assignments(sets: str) -> tuple[tuple[str, bool], ...]:
    """``"a = ?, b = NULL"`` as ``(("a", True), ("b", False))`` (True: a parameter)."""
    pairs = (part.split(" = ") for part in sets.split(", "))
    return tuple((column.strip(), value.strip() == "?") for column, value in pairs)

"""The audit trail: one row per event of every aggregate, in log order, with who did it,
in which role, on whose behalf, and a short summary (:mod:`.audit_summary`): in bokmål
in ``rm_audit.summary`` (what search and filters read) and in English in
``rm_audit_en``, written in the same transaction. A row projected before the English
table existed has none there until ``caseflow rebuild audit``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from caseflow.domain.case import Case
from caseflow.readmodels.api import AuditFilter, AuditRow, Page, PersonName
from caseflow.readmodels.audit_summary import (
    SUMMARIES,
    Both,
    check_catalogs,
    prepared,
    summarise,
)
from caseflow.readmodels.base import (
    NAMES_TABLE,
    NamesMixin,
    ReadModelProjection,
    from_iso,
    hexid,
    iso,
)
from caseflow.readmodels.sql import Batch, TableSchema, Tx

SCHEMA = TableSchema(
    tables=(
        (
            "",
            "position INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL, "
            "actor_name TEXT NOT NULL, role TEXT NOT NULL, on_behalf_of TEXT, "
            "type TEXT NOT NULL, aggregate_type TEXT NOT NULL, aggregate_id TEXT NOT NULL, "
            "version INTEGER NOT NULL, summary TEXT NOT NULL, case_id TEXT",
        ),
        NAMES_TABLE,
        # the English summary (issue 15); a new table reaches an existing store by itself
        ("en", "position INTEGER PRIMARY KEY, summary TEXT"),
    ),
    indexes=(
        ("actor", "", "actor, position"),
        ("time", "", "time"),
        ("type", "", "type, position"),
        ("case", "", "case_id, position"),
    ),
)


class AuditTrailProjection(NamesMixin, ReadModelProjection):
    """Audit trail (``rm_audit``); rows are written once per batch."""

    name = "rm_audit"
    short = "audit"
    schema = SCHEMA

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self._rows: list[tuple[Any, ...]] = []
        self._english: list[tuple[int, str]] = []
        #: Names from the name book by id (and by the value asked for), kept from batch to
        #: batch while each starts where the last ended (:meth:`begin`).
        self._names: dict[Any, str] = {}
        self._upto: int | None = None
        self._tx: Tx | None = None

    def apply(self, tx: Tx, event: Any, position: int) -> None:
        self.apply_batch(tx, ((event, Tracking("", position)),))

    def apply_batch(self, tx: Tx, batch: Batch) -> None:
        """Every event of ``batch`` (the view calls this instead of :meth:`apply` once per
        event): a row and its English summary each, written at :meth:`finish`."""
        self._tx = tx
        names = self._names
        kinds = _KINDS
        lookup = self.lookup_name
        add_row = self._rows.append
        add_english = self._english.append
        for event, tracking in batch:
            position = tracking.notification_id
            cls = event.__class__
            kind = kinds.get(cls)
            if kind is None:
                kind = kinds[cls] = _kind(cls, self._handlers.get(cls))
            if kind[3] is not None:  # the name book: a name may be new or changed
                kind[3](self, tx, event, position)
                names.clear()
            aggregate_id = hexid(event.originator_id)
            actor = str(getattr(event, "actor", "") or "system")
            actor_name = names.get(actor)
            if actor_name is None:
                actor_name = self._name(tx, actor)
            nb, en = kind[4](event, lookup)
            add_english((position, en))
            add_row(
                (
                    position,
                    iso(event.timestamp),
                    actor,
                    actor_name,
                    str(getattr(event, "role", "") or ""),
                    getattr(event, "on_behalf_of", None),
                    kind[0],
                    kind[1],
                    aggregate_id,
                    event.originator_version,
                    nb,
                    aggregate_id if kind[2] else None,
                )
            )

    def lookup_name(self, value: Any) -> str:
        """A person's (or group's) name from the name book, for summaries."""
        return self._name(self._tx, value)

    def _name(self, tx: Tx | None, value: Any) -> str:
        if value is None or tx is None:
            return ""
        names = self._names
        found = names.get(value)
        if found is not None:
            return found
        key = hexid(value) or ""
        if key == "system":
            return "Caseflow"
        found = names.get(key)
        if found is None:
            row = tx.scalar("SELECT name FROM {t_names} WHERE id = ?", (key,))
            if row is None:
                return key
            found = names[key] = str(row)
        names[value] = found
        return found

    def begin(self, tx: Tx) -> None:
        check_catalogs()
        self._tx = tx
        self._rows = []
        self._english = []
        if tx.position is None or tx.position != self._upto:
            self._names.clear()  # an earlier batch may have been rolled back

    def finish(self, tx: Tx) -> None:
        rows, self._rows = self._rows, []
        english, self._english = self._english, []
        self._upto = rows[-1][0] if rows else None
        tx.insert_rows("{t}", _COLUMNS.split(", "), rows)
        tx.insert_rows("{t_en}", ("position", "summary"), english)


#: Per event class: its name, its aggregate's name, whether it is a case's event, the
#: name book's handler (or None), its summary in both languages (``prepared``).
_KINDS: dict[type, tuple[str, str, bool, Callable[..., None] | None, Both]] = {}


def _kind(
    cls: type, handler: Callable[..., None] | None
) -> tuple[str, str, bool, Callable[..., None] | None, Both]:
    return (
        cls.__name__,
        cls.__qualname__.split(".", 1)[0],
        issubclass(cls, Case.Event),
        handler,
        prepared(cls),
    )


__all__ = ["SUMMARIES", "AuditTrailProjection", "query_audit", "query_people", "summarise"]

# -- queries ---------------------------------------------------------------------------------

_COLUMNS = (
    "position, time, actor, actor_name, role, on_behalf_of, type, aggregate_type, "
    "aggregate_id, version, summary, case_id"
)


def _utc(value: datetime) -> str:
    return iso(value if value.tzinfo else value.replace(tzinfo=UTC)) or ""


def query_audit(tx: Tx, f: AuditFilter) -> Page[AuditRow]:
    """A page of the trail. The count is exact unless ``f.count_limit`` is given: then it
    stops at the limit (or at the end of the asked page, if further), so a page of an
    unfiltered million-event trail never counts the whole table."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.actor:
        clauses.append("actor = ?")
        params.append(hexid(f.actor))
    if f.since is not None:
        clauses.append("time >= ?")
        params.append(_utc(f.since))
    if f.until is not None:
        clauses.append("time <= ?")
        params.append(_utc(f.until))
    if f.type:
        clauses.append("type = ?")
        params.append(f.type)
    if f.case:
        clauses.append("case_id = ?")
        params.append(hexid(f.case))
    if f.before is not None:
        clauses.append("position < ?")
        params.append(int(f.before))
    if f.after is not None:
        clauses.append("position > ?")
        params.append(int(f.after))
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    per_page = max(1, min(int(f.per_page), 1000))
    page = max(1, int(f.page))
    offset = (page - 1) * per_page
    order = "DESC" if getattr(f, "newest_first", False) else "ASC"
    capped = False
    if f.count_limit is None:
        total = int(tx.scalar(f"SELECT COUNT(*) FROM {{t}}{where}", params) or 0)
    else:
        limit = max(int(f.count_limit), offset + per_page)
        # Which rows are counted does not matter (min(count, limit + 1) either way): no
        # ORDER BY, so the database counts along its narrowest index (issue 19: a
        # quarter of the cost of walking the table by position on SQLite).
        total = int(
            tx.scalar(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {{t}}{where} LIMIT ?) AS counted",
                [*params, limit + 1],
            )
            or 0
        )
        if total > limit:
            total, capped = limit, True
    rows = tx.all(
        f"SELECT {_COLUMNS}, (SELECT e.summary FROM {{t_en}} e WHERE e.position = a.position) "
        f"FROM {{t}} a{where} ORDER BY position {order} LIMIT ? OFFSET ?",
        [*params, per_page, offset],
    )
    return Page([_row(r) for r in rows], total, page, per_page, capped)


def query_people(tx: Tx) -> list[PersonName]:
    """Every person in the trail's name book (one row per registered person)."""
    rows = tx.all("SELECT id, name FROM {t_names} WHERE kind = 'person' ORDER BY name, id")
    return [PersonName(UUID(i), str(n or "")) for i, n in rows]


def _row(r: tuple[Any, ...]) -> AuditRow:
    time = from_iso(r[1])
    assert time is not None
    return AuditRow(
        position=int(r[0]),
        time=time,
        actor=r[2],
        actor_name=r[3],
        role=r[4],
        on_behalf_of=r[5],
        type=r[6],
        aggregate_type=r[7],
        aggregate_id=UUID(r[8]),
        version=int(r[9]),
        summary=r[10],
        case_id=UUID(r[11]) if r[11] else None,
        summary_en=r[12],
    )

"""Materialised views in the event store's own database: one tracking-recorder subclass
per store, sharing the projections' SQL.

A projection's tables and its tracking table are named after one *prefix* (``rm_cases``,
``rm_cases_advisers``, ``rm_cases_tracking``). A rebuild writes to tables with another
prefix (``rm_cases__b1a2b3c4``) and renames them to the live prefix in one transaction.

Statements are written once, with ``?`` placeholders and ``{t}`` / ``{t_<suffix>}`` table
names; :class:`Tx` turns them into the store's dialect.

Exactly once: :meth:`ReadModelView.process_in` first *locks* the projection's tracking row
(PostgreSQL ``SELECT … FOR UPDATE``; SQLite takes the database write lock), skips every
event at or below the tracked position, applies the rest and records the new position in
the same transaction. Two drivers working at once (the web process catching up and
``caseflow project``) therefore never apply an event twice.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from caseflow.persistence.ddl import SerialisedDDL
from caseflow.readmodels.batches import by_type as _by_type

#: Seconds to sleep per applied event, inside the transaction (tests use it to kill a
#: projection process in the middle of a batch).
DELAY_ENV = "CASEFLOW_PROJECTION_DELAY"

Row = tuple[Any, ...]
Batch = Sequence[tuple[Any, Tracking]]


class EventHandler(Protocol):
    """What a view needs from a projection to process a batch."""

    def begin(self, tx: Tx) -> None:
        """Forget anything buffered by an earlier batch (which may have been rolled back)."""

    def apply(self, tx: Tx, event: Any, position: int) -> None:
        """Apply one event. A handler may instead offer ``dispatch``: the function for
        each event type it handles, called as ``fn(handler, tx, event, position)`` (other
        types are skipped; see ``ReadModelProjection.dispatch``), or ``apply_batch(tx,
        batch)``, which applies every event of the batch in its own loop."""

    def finish(self, tx: Tx) -> None:
        """Write anything buffered during the batch (before the tracking is recorded)."""


@dataclass(frozen=True)
class TableSchema:
    """A projection's tables: ``tables`` maps a suffix ("" for the main table) to the
    column definitions; ``indexes`` are (name suffix, table suffix, columns)."""

    tables: tuple[tuple[str, str], ...]
    indexes: tuple[tuple[str, str, str], ...] = ()


def table_name(prefix: str, suffix: str) -> str:
    return f"{prefix}_{suffix}" if suffix else prefix


class Tx:
    """A cursor in one transaction, speaking the projections' neutral SQL."""

    def __init__(self, cursor: Any, dialect: str, names: dict[str, str]) -> None:
        self.cursor = cursor
        self.dialect = dialect
        self.names = names
        self._key = tuple(sorted(names.items()))
        self._sql: dict[str, str] = {}
        #: The tracked position a batch starts from (set by ``ReadModelView.process_in``
        #: before ``begin``) and its last event's (before ``finish``): a handler may keep
        #: what it learnt while each batch starts where the last one ended.
        self.position: int | None = None
        self.end: int | None = None

    def with_names(self, names: dict[str, str]) -> Tx:
        return Tx(self.cursor, self.dialect, names)

    def sql(self, template: str) -> str:
        found = self._sql.get(template)
        if found is None:
            found = self._sql[template] = _render(template, self.dialect, self._key)
        return found

    def execute(self, template: str, params: Sequence[Any] = ()) -> None:
        self.cursor.execute(self.sql(template), tuple(params))

    def executemany(self, template: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.cursor.executemany(self.sql(template), [tuple(r) for r in rows])

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert many new rows into ``{table}``: ``COPY`` on PostgreSQL (much faster than
        single inserts), ``executemany`` on SQLite."""
        if not rows:
            return
        target = self.sql(table)
        if self.dialect == "postgres":
            with self.cursor.copy(f"COPY {target} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" for _ in columns)
        self.cursor.executemany(
            f"INSERT INTO {target} ({', '.join(columns)}) VALUES ({marks})", rows
        )

    def one(self, template: str, params: Sequence[Any] = ()) -> Row | None:
        self.execute(template, params)
        row = self.cursor.fetchone()
        return tuple(row) if row is not None else None

    def all(self, template: str, params: Sequence[Any] = ()) -> list[Row]:
        self.execute(template, params)
        return [tuple(r) for r in self.cursor.fetchall()]

    def scalar(self, template: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(template, params)
        return row[0] if row else None


@lru_cache(maxsize=2048)
def _render(template: str, dialect: str, names: tuple[tuple[str, str], ...]) -> str:
    text = template.format(**dict(names))
    return text.replace("?", "%s") if dialect == "postgres" else text


class ReadModelView:
    """What both store-specific views offer the projections and the service."""

    #: The projection's tables (set on the per-projection subclass).
    schema: ClassVar[TableSchema]
    #: The live prefix (the projection's name).
    live_prefix: ClassVar[str] = ""
    dialect: ClassVar[str] = ""

    prefix: str
    with_indexes: bool
    delay: float

    # -- naming ----------------------------------------------------------------------

    def physical(self, name: str) -> str:
        """A quoted, schema-qualified table or index name."""
        return f'"{name}"'

    def names_for(self, prefix: str) -> dict[str, str]:
        names = {"tracking": self.physical(f"{prefix}_tracking")}
        for suffix, _ in self.schema.tables:
            key = f"t_{suffix}" if suffix else "t"
            names[key] = self.physical(table_name(prefix, suffix))
        return names

    @property
    def names(self) -> dict[str, str]:
        return self.names_for(self.prefix)

    def table_ddl(self, prefix: str) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.physical(table_name(prefix, s))} ({cols})"
            for s, cols in self.schema.tables
        ]

    def index_ddl(self, prefix: str) -> list[str]:
        return [
            f"CREATE INDEX IF NOT EXISTS {self._index_name(prefix, name)} "
            f"ON {self.physical(table_name(prefix, t))} ({cols})"
            for name, t, cols in self.schema.indexes
        ]

    def _index_name(self, prefix: str, name: str) -> str:
        return f'"{prefix}_ix_{name}"'

    # -- transactions (store-specific) ---------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Tx]:  # pragma: no cover - overridden
        raise NotImplementedError
        yield

    @contextmanager
    def reading(self) -> Iterator[Tx]:  # pragma: no cover - overridden
        raise NotImplementedError
        yield

    def _lock_position(self, tx: Tx, application_name: str) -> int:  # pragma: no cover
        raise NotImplementedError

    @contextmanager
    def bulk_load(self) -> Iterator[Callable[[], AbstractContextManager[Tx]]]:
        """For a rebuild's load into tables nobody reads yet: yields a function that
        opens a transaction, committed without waiting for the disk (a crash loses at
        most the last batches of the load, which the rebuild would start again)."""
        yield self.transaction

    if TYPE_CHECKING:  # provided by the library's tracking recorders

        def create_table(self) -> None: ...

        def _insert_tracking(self, c: Any, tracking: Tracking, /) -> None: ...

    def lock_tables(self, tx: Tx) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # -- processing ----------------------------------------------------------------------

    def position(self, application_name: str) -> int:
        with self.reading() as tx:
            return self.position_in(tx, application_name)

    def position_in(self, tx: Tx, application_name: str) -> int:
        found = tx.scalar(
            "SELECT notification_id FROM {tracking} WHERE application_name = ?",
            (application_name,),
        )
        return int(found or 0)

    def process(self, batch: Batch, handler: EventHandler) -> int:
        """Apply ``batch`` and track it, in one transaction. Returns how many events were
        new (events at or below the tracked position are skipped)."""
        if not batch:
            return 0
        with self.transaction() as tx:
            return self.process_in(tx, batch, handler)

    def process_in(self, tx: Tx, batch: Batch, handler: EventHandler) -> int:
        if not batch:
            return 0
        application_name = batch[0][1].application_name
        current = self._lock_position(tx, application_name)
        tx.position = current
        handler.begin(tx)
        if batch[0][1].notification_id > current:  # in log order, so all of it is new
            new = batch
        else:  # exactly once: skip what is tracked already
            new = [item for item in batch if item[1].notification_id > current]
            if not new:
                return 0
        dispatch = getattr(handler, "dispatch", None)
        apply_batch = getattr(handler, "apply_batch", None)
        if self.delay:
            for event, tracking in new:
                handler.apply(tx, event, tracking.notification_id)
                time.sleep(self.delay)
        elif apply_batch is not None:  # a handler of every event, in one loop of its own
            apply_batch(tx, new)
        elif dispatch is not None:  # straight to the handler of the event's type, if any
            by_type = _by_type(new)
            handled = [places for cls, places in by_type.items() if cls in dispatch]
            order = handled[0] if len(handled) == 1 else sorted(chain.from_iterable(handled))
            for i in order:
                event, tracking = new[i]
                dispatch[type(event)](handler, tx, event, tracking.notification_id)
        else:
            apply = handler.apply
            for event, tracking in new:
                apply(tx, event, tracking.notification_id)
        last = new[-1][1]
        applied = len(new)
        tx.end = last.notification_id
        handler.finish(tx)
        self._insert_tracking(tx.cursor, last)
        return applied

    def _ensure_position_row(self, tx: Tx, application_name: str) -> None:
        tx.execute(
            "INSERT INTO {tracking} (application_name, notification_id) VALUES (?, 0) "
            "ON CONFLICT (application_name) DO NOTHING",
            (application_name,),
        )

    # -- rebuild support ---------------------------------------------------------------

    def drop_tables(self, tx: Tx) -> None:
        for name in [*self.names.values()]:
            tx.execute(f"DROP TABLE IF EXISTS {name}")

    def rename_to(self, tx: Tx, prefix: str) -> None:
        """Rename this view's tables to ``prefix`` (the live names)."""
        for key, name in self.names.items():
            target = self.names_for(prefix)[key]
            bare = target.rsplit(".", 1)[-1]
            tx.execute(f"ALTER TABLE {name} RENAME TO {bare}")

    def create_indexes_in(self, tx: Tx, prefix: str) -> None:
        for statement in self.index_ddl(prefix):
            tx.execute(statement)


def _delay() -> float:
    try:
        return float(os.environ.get(DELAY_ENV) or 0)
    except ValueError:
        return 0.0


class SQLiteReadModelView(ReadModelView, SQLiteTrackingRecorder):
    """A projection's tables and tracking table in the SQLite event store."""

    dialect = "sqlite"

    def __init__(
        self,
        datastore: SQLiteDatastore,
        *,
        prefix: str | None = None,
        with_indexes: bool = True,
        **kwargs: Any,
    ) -> None:
        self.prefix = prefix or self.live_prefix
        self.with_indexes = with_indexes
        self.delay = _delay()
        super().__init__(datastore, **kwargs)
        tracking = self.names["tracking"]
        self.insert_tracking_statement = (
            f"INSERT INTO {tracking} VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE "
            "SET notification_id = :notification_id "
            f"WHERE {tracking}.notification_id < :notification_id "
            "RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {tracking} WHERE application_name=?"
        )

    def construct_create_table_statements(self) -> list[str]:
        tracking = self.physical(f"{self.prefix}_tracking")
        statements = [
            f"CREATE TABLE IF NOT EXISTS {tracking} ("
            "application_name TEXT, notification_id INTEGER, "
            "PRIMARY KEY (application_name)) WITHOUT ROWID",
            *self.table_ddl(self.prefix),
        ]
        if self.with_indexes:
            statements += self.index_ddl(self.prefix)
        return statements

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self.datastore.transaction(commit=True) as c:
            yield Tx(c, "sqlite", self.names)

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        with self.datastore.transaction(commit=False) as c:
            yield Tx(c, "sqlite", self.names)

    @contextmanager
    def bulk_load(self) -> Iterator[Callable[[], AbstractContextManager[Tx]]]:
        """Transactions committed with ``synchronous=NORMAL`` (in WAL mode: no fsync per
        commit, and still consistent after a crash); the connection's own setting is put
        back after each."""

        @contextmanager
        def transaction() -> Iterator[Tx]:
            with self.datastore.get_connection(commit=True) as conn:
                raw = conn._sqlite_conn
                before = int(raw.execute("PRAGMA synchronous").fetchone()[0])
                raw.execute("PRAGMA synchronous=NORMAL")
                try:
                    with conn.transaction(commit=True) as c:
                        yield Tx(c, "sqlite", self.names)
                finally:
                    raw.execute(f"PRAGMA synchronous={before}")

        yield transaction

    def _lock_position(self, tx: Tx, application_name: str) -> int:
        # A write first: SQLite takes the database's write lock now, so that the
        # position read next cannot be overtaken by another writer.
        tx.execute(
            "UPDATE {tracking} SET notification_id = notification_id WHERE application_name = ?",
            (application_name,),
        )
        if tx.cursor.sqlite_cursor.rowcount == 0:
            self._ensure_position_row(tx, application_name)
        return self.position_in(tx, application_name)

    def lock_tables(self, tx: Tx) -> None:
        tx.execute(
            "UPDATE {tracking} SET notification_id = notification_id "
            "WHERE application_name = '__migration__'"
        )


class PostgresReadModelView(SerialisedDDL, ReadModelView, PostgresTrackingRecorder):
    """A projection's tables and tracking table in the PostgreSQL event store (in the
    store's schema). Constructed by the library's ``ProjectionRunner`` too, which names
    the tracking table ``<projection name>_tracking``."""

    dialect = "postgres"

    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        tracking_table_name: str | None = None,
        prefix: str | None = None,
        with_indexes: bool = True,
        **kwargs: Any,
    ) -> None:
        if prefix is None and tracking_table_name:
            prefix = tracking_table_name.removesuffix("_tracking")
        self.prefix = prefix or self.live_prefix
        self.with_indexes = with_indexes
        self.delay = _delay()
        super().__init__(datastore, tracking_table_name=f"{self.prefix}_tracking", **kwargs)
        from psycopg.sql import SQL

        ddl = self.table_ddl(self.prefix) + (self.index_ddl(self.prefix) if with_indexes else [])
        self.sql_create_statements.extend(SQL(s) for s in ddl)

    def physical(self, name: str) -> str:
        return f'"{self.datastore.schema}"."{name}"'

    def _index_name(self, prefix: str, name: str) -> str:
        return f'"{prefix}_ix_{name}"'

    def table_ddl(self, prefix: str) -> list[str]:
        # The same column definitions; PostgreSQL wants BIGINT for positions.
        return [s.replace(" INTEGER", " BIGINT") for s in super().table_ddl(prefix)]

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        from psycopg.rows import tuple_row

        with self.datastore.get_connection() as conn, conn.transaction():
            yield Tx(conn.cursor(row_factory=tuple_row), "postgres", self.names)

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        from psycopg.rows import tuple_row

        with self.datastore.get_connection() as conn:
            yield Tx(conn.cursor(row_factory=tuple_row), "postgres", self.names)

    @contextmanager
    def bulk_load(self) -> Iterator[Callable[[], AbstractContextManager[Tx]]]:
        """Transactions that do not wait for the WAL to reach the disk at commit
        (``synchronous_commit = off``: a crash may lose the last ones, never corrupts)."""

        @contextmanager
        def transaction() -> Iterator[Tx]:
            with self.transaction() as tx:
                tx.execute("SET LOCAL synchronous_commit = off")
                yield tx

        yield transaction

    def _lock_position(self, tx: Tx, application_name: str) -> int:
        statement = "SELECT notification_id FROM {tracking} WHERE application_name = ? FOR UPDATE"
        row = tx.one(statement, (application_name,))
        if row is None:
            self._ensure_position_row(tx, application_name)
            row = tx.one(statement, (application_name,))
        assert row is not None
        return int(row[0])

    def lock_tables(self, tx: Tx) -> None:
        names = ", ".join(
            [self.names["tracking"], *(v for k, v in self.names.items() if k != "tracking")]
        )
        tx.execute(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE")


_VIEW_CLASSES: dict[tuple[str, str], type[ReadModelView]] = {}


def view_class(dialect: str, prefix: str, schema: TableSchema) -> type[ReadModelView]:
    """The view class of one projection on one store (what ``ProjectionRunner`` needs)."""
    key = (dialect, prefix)
    if key not in _VIEW_CLASSES:
        base: type[ReadModelView] = (
            PostgresReadModelView if dialect == "postgres" else SQLiteReadModelView
        )
        name = "".join(p.title() for p in prefix.split("_")) + base.__name__
        _VIEW_CLASSES[key] = type(name, (base,), {"schema": schema, "live_prefix": prefix})
    return _VIEW_CLASSES[key]


def register_view_class(dialect: str, prefix: str, klass: type[ReadModelView]) -> None:
    """Use ``klass`` as the view of the projection ``prefix`` on ``dialect`` (a
    projection whose tables need more than :class:`TableSchema` says, e.g. the search
    index's FTS5 table and tsvector column: ``caseflow/readmodels/search.py``)."""
    _VIEW_CLASSES[(dialect, prefix)] = klass

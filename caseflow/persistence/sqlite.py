"""The SQLite event store with less Python per command (issue 19).

The library's SQLite recorder wraps every read in a transaction of its own — ``BEGIN``,
the ``SELECT``, ``ROLLBACK`` — through two layers of context managers and cursor
wrappers: about 90 µs of a 110 µs read of the notification log's tail, which the
aggregate cache makes once per command. Here a read that is one ``SELECT`` runs as that
one statement on a connection from the same pool (taken as a reader, as the library
takes it): SQLite runs a lone statement in a read transaction of its own, so it sees the
same consistent snapshot as the library's ``BEGIN`` … ``ROLLBACK``. An append runs the
library's statements (``BEGIN``, one ``INSERT`` per event, ``COMMIT``) on the raw
connection without the wrappers. Errors are the library's (``sqlite3`` errors become
``eventsourcing.persistence`` errors, as the library's transaction turns them), and any
read with options the fast path does not take (a ``stop``, topics, ``gt``/``lte``, …)
is the library's own.

:class:`Factory` is what ``PERSISTENCE_MODULE`` names for a ``sqlite://`` URL
(``caseflow/persistence/settings.py``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    Notification,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore, SQLiteFactory

#: sqlite3's errors and the library's, in the order the library's transaction tries them
#: (``eventsourcing.sqlite.SQLiteTransaction.__exit__``).
_ERRORS: tuple[tuple[type[sqlite3.Error], type[PersistenceError]], ...] = (
    (sqlite3.InterfaceError, InterfaceError),
    (sqlite3.DataError, DataError),
    (sqlite3.OperationalError, OperationalError),
    (sqlite3.IntegrityError, IntegrityError),
    (sqlite3.InternalError, InternalError),
    (sqlite3.ProgrammingError, ProgrammingError),
    (sqlite3.NotSupportedError, NotSupportedError),
    (sqlite3.DatabaseError, DatabaseError),
    (sqlite3.Error, PersistenceError),
)


def translated(error: sqlite3.Error) -> PersistenceError:
    """The library's error for ``error`` (as its transaction raises it)."""
    for found, ours in _ERRORS:
        if isinstance(error, found):
            return ours(error)
    return PersistenceError(error)  # pragma: no cover - every sqlite3 error is an Error


class QuickRecorder(SQLiteApplicationRecorder):
    """The library's application recorder, its one-statement reads and its appends
    without the wrappers (module docstring)."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        table = self.events_table_name
        # The library's statements, as it builds them for these arguments.
        self.select_tail_statement = (
            f"SELECT rowid, * FROM {table} WHERE rowid>=? ORDER BY rowid LIMIT ?"
        )
        self.select_all_events_statement = (
            f"{self.select_events_statement}ORDER BY originator_version ASC "
        )
        self.select_tail_and_events_statement = (
            "SELECT * FROM (SELECT 0 AS part, rowid AS id, originator_id, "
            f"originator_version, topic, state FROM {table} WHERE rowid>=? ORDER BY rowid "
            "LIMIT ?) UNION ALL SELECT 1, rowid, originator_id, originator_version, topic, "
            f"state FROM {table} WHERE originator_id=?"
        )
        self._uuid_ids = self.datastore.originator_id_type == "uuid"

    @contextlib.contextmanager
    def _connection(self, *, writer: bool) -> Iterator[sqlite3.Connection]:
        pool = self.datastore.pool
        conn = pool.get_connection(is_writer=writer)
        try:
            yield conn._sqlite_conn
        finally:
            pool.put_connection(conn)

    def _rows(self, statement: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        with self._connection(writer=False) as conn:
            try:
                return conn.execute(statement, params).fetchall()
            except sqlite3.Error as e:
                raise translated(e) from e

    def _id(self, value: str) -> UUID | str:
        return UUID(value) if self._uuid_ids else value

    def _notification(self, row: sqlite3.Row, notification_id: int) -> Notification:
        return Notification(
            id=notification_id,
            originator_id=self._id(row["originator_id"]),
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=row["state"],
        )

    def _stored_event(self, row: sqlite3.Row) -> StoredEvent:
        return StoredEvent(
            originator_id=self._id(row["originator_id"]),
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=row["state"],
        )

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        if start is None or stop is not None or topics or not inclusive_of_start:
            return super().select_notifications(
                start, limit, stop, topics, inclusive_of_start=inclusive_of_start
            )
        rows = self._rows(self.select_tail_statement, (start, limit))
        return [self._notification(row, row["rowid"]) for row in rows]

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        if gt is not None or lte is not None or desc or limit is not None:
            return super().select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        key = originator_id.hex if isinstance(originator_id, UUID) else originator_id
        return [
            self._stored_event(row) for row in self._rows(self.select_all_events_statement, (key,))
        ]

    def select_notifications_and_events(
        self, start: int, limit: int, originator_id: UUID | str
    ) -> tuple[list[Notification], list[StoredEvent]]:
        """``select_notifications(start, limit)`` and ``select_events(originator_id)``
        in one statement (one snapshot)."""
        key = originator_id.hex if isinstance(originator_id, UUID) else originator_id
        rows = self._rows(self.select_tail_and_events_statement, (start, limit, key))
        tail = sorted((r for r in rows if r["part"] == 0), key=lambda r: r["id"])
        own = sorted((r for r in rows if r["part"] == 1), key=lambda r: r["originator_version"])
        return [self._notification(r, r["id"]) for r in tail], [self._stored_event(r) for r in own]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        statement = self.insert_events_statement
        ids: list[int] = []
        with self._connection(writer=True) as conn:
            try:
                conn.execute("BEGIN")
                try:
                    for s in stored_events:
                        oid = s.originator_id
                        row = (
                            oid.hex if isinstance(oid, UUID) else oid,
                            s.originator_version,
                            s.topic,
                            s.state,
                        )
                        ids.append(conn.execute(statement, row).lastrowid or 0)
                    conn.commit()
                except BaseException:
                    if conn.in_transaction:  # nothing is left half done on the pooled one
                        conn.rollback()
                    raise
            except sqlite3.Error as e:
                raise translated(e) from e
        return ids


class Factory(SQLiteFactory):
    """The library's SQLite factory with :class:`QuickRecorder`."""

    application_recorder_class = QuickRecorder

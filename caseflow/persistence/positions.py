"""Where each event of an aggregate sits in the one log (its notification id), read from
the application's own event table: the adapter behind the history's port
(:class:`caseflow.application.history.LogPositions`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier


class RecorderPositions:
    """Notification ids by version for one aggregate, from the recorder's event table
    (SQLite: the row id; PostgreSQL: ``notification_id``), in one query."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.datastore = recorder.datastore
        self.table = recorder.events_table_name
        self.postgres = hasattr(self.datastore, "schema")
        if self.postgres:
            table = SQL("{}.{}").format(Identifier(self.datastore.schema), Identifier(self.table))
            self._positions: Any = SQL(
                "SELECT originator_version, notification_id FROM {} WHERE originator_id=%s"
            ).format(table)
            self._events: Any = SQL(
                "SELECT originator_version, topic, state, notification_id FROM {} "
                "WHERE originator_id = %s ORDER BY originator_version ASC"
            ).format(table)
        else:
            self._positions = (
                f"SELECT originator_version, rowid FROM {self.table} WHERE originator_id=?"
            )
            self._events = (
                f"SELECT originator_version, topic, state, rowid FROM {self.table} "
                "WHERE originator_id=? ORDER BY originator_version ASC"
            )

    def _key(self, originator_id: UUID) -> Any:
        if not self.postgres:
            return originator_id.hex
        if self.datastore.originator_id_type != "uuid":
            return str(originator_id)
        return originator_id

    def positions(self, originator_id: UUID) -> dict[int, int]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._positions, [self._key(originator_id)])
            rows = c.fetchall()
        return {int(_at(r, 0)): int(_at(r, 1)) for r in rows}

    def events(self, originator_id: UUID) -> tuple[list[StoredEvent], list[int]]:
        """The aggregate's stored events in version order (what the recorder's
        ``select_events`` gives, with ``originator_id`` as given) and beside each its
        notification id: one statement, so both come from the same moment of the store
        (on PostgreSQL one round trip, prepared, as the recorder's own read)."""
        if self.postgres:
            return self._postgres_events(originator_id)
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._events, [self._key(originator_id)])
            rows = c.fetchall()
        return _split(originator_id, rows)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _postgres_events(self, originator_id: UUID) -> tuple[list[StoredEvent], list[int]]:
        # retried as the library's PostgresAggregateRecorder.select_events is
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._events, [self._key(originator_id)], prepare=True)
            rows = curs.fetchall()
        return _split(originator_id, rows)


def _split(originator_id: UUID, rows: list[Any]) -> tuple[list[StoredEvent], list[int]]:
    stored = []
    positions = []
    for row in rows:
        version, topic, data, position = (
            row.values() if isinstance(row, dict) else (row[0], row[1], row[2], row[3])
        )
        stored.append(StoredEvent(originator_id, version, topic, bytes(data)))  # bytea: a view
        positions.append(position)
    return stored, positions


def _at(row: Any, i: int) -> Any:
    """A column of a row, whether the driver gives tuples or mappings."""
    if isinstance(row, dict):
        return list(row.values())[i]
    return row[i]

"""Where each event of an aggregate sits in the one log (its notification id), read from
the application's own event table: the adapter behind the history's port
(:class:`caseflow.application.history.LogPositions`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.sql import SQL, Identifier


class RecorderPositions:
    """Notification ids by version for one aggregate, from the recorder's event table
    (SQLite: the row id; PostgreSQL: ``notification_id``), in one query."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.datastore = recorder.datastore
        self.table = recorder.events_table_name
        self.postgres = hasattr(self.datastore, "schema")

    def positions(self, originator_id: UUID) -> dict[int, int]:
        if self.postgres:
            key: Any = originator_id
            if self.datastore.originator_id_type != "uuid":
                key = str(originator_id)
            statement: Any = SQL(
                "SELECT originator_version, notification_id FROM {}.{} WHERE originator_id=%s"
            ).format(Identifier(self.datastore.schema), Identifier(self.table))
        else:
            key = originator_id.hex
            statement = f"SELECT originator_version, rowid FROM {self.table} WHERE originator_id=?"
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, [key])
            rows = c.fetchall()
        return {int(_at(r, 0)): int(_at(r, 1)) for r in rows}


def _at(row: Any, i: int) -> Any:
    """A column of a row, whether the driver gives tuples or mappings."""
    if isinstance(row, dict):
        return list(row.values())[i]
    return row[i]

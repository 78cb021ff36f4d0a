"""Calendar subscriptions (``caseflow_calendar_tokens``), in the store's own database so
that every web worker on every machine answers the same addresses: the adapter of the
application's :class:`~caseflow.application.calendars.CalendarTokenStorage` port.

One row per subscription: its id, the SHA-256 of its secret (never the secret), whose it
is (``person_id``), the body it is limited to (or none: the person's own meetings), a
label, who made it and when, when it was last used, and when and by whom it was revoked.
Times are seconds since the epoch (UTC), as in the login throttle. A revocation is
``UPDATE … WHERE revoked_at IS NULL``: it happens once, whichever worker does it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import strtobool

from caseflow.application.calendars import CalendarRecord
from caseflow.persistence.ddl import DDL_LOCK_KEY

TABLE = "caseflow_calendar_tokens"

_COLUMNS = (
    "id",
    "token_hash",
    "person_id",
    "body",
    "label",
    "created_at",
    "created_by",
    "last_used_at",
    "revoked_at",
    "revoked_by",
)


class CalendarTokenTable:
    """Calendar subscriptions in ``app``'s SQLite file or PostgreSQL schema."""

    def __init__(self, datastore: SQLiteDatastore | PostgresDatastore) -> None:
        self.datastore = datastore
        if isinstance(datastore, PostgresDatastore):
            self._table = f'"{datastore.schema}"."{TABLE}"'
            self._mark = "%s"
        else:
            self._table = TABLE
            self._mark = "?"

    def _sql(self, statement: str) -> str:
        return statement.replace("{t}", self._table).replace("?", self._mark)

    def create_table(self) -> None:
        statements = [
            "CREATE TABLE IF NOT EXISTS {t} (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL "
            "UNIQUE, person_id TEXT NOT NULL, body TEXT, label TEXT NOT NULL, "
            "created_at DOUBLE PRECISION NOT NULL, created_by TEXT NOT NULL, "
            "last_used_at DOUBLE PRECISION, revoked_at DOUBLE PRECISION, revoked_by TEXT)",
            f"CREATE INDEX IF NOT EXISTS {TABLE}_person_idx ON {{t}} (person_id)",
        ]
        with self.datastore.transaction(commit=True) as c:
            if isinstance(self.datastore, PostgresDatastore):
                # the DDL lock of caseflow/persistence/ddl.py: workers start together
                c.execute("SELECT pg_advisory_xact_lock(%s)", (DDL_LOCK_KEY,))
            for statement in statements:
                c.execute(self._sql(statement))

    def add(self, record: CalendarRecord) -> None:
        marks = ", ".join("?" for _ in _COLUMNS)
        values = [
            record.id,
            record.token_hash,
            record.person_id.hex,
            record.body,
            record.label,
            _seconds(record.created_at),
            record.created_by,
            _seconds(record.last_used_at),
            _seconds(record.revoked_at),
            record.revoked_by,
        ]
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(f"INSERT INTO {{t}} ({', '.join(_COLUMNS)}) VALUES ({marks})"), values
            )

    def _select(self, where: str, value: str) -> list[CalendarRecord]:
        statement = f"SELECT {', '.join(_COLUMNS)} FROM {{t}} WHERE {where} = ?"
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(statement), [value])
            return [_record(row) for row in c.fetchall()]

    def by_hash(self, token_hash: str) -> CalendarRecord | None:
        found = self._select("token_hash", token_hash)
        return found[0] if found else None

    def get(self, calendar_id: str) -> CalendarRecord | None:
        found = self._select("id", calendar_id)
        return found[0] if found else None

    def of_person(self, person_id: UUID) -> list[CalendarRecord]:
        return self._select("person_id", person_id.hex)

    def revoke(self, calendar_id: str, at: datetime, by: str) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "UPDATE {t} SET revoked_at = ?, revoked_by = ? "
                    "WHERE id = ? AND revoked_at IS NULL RETURNING id"
                ),
                [_seconds(at), by, calendar_id],
            )
            return bool(c.fetchall())

    def used(self, calendar_id: str, at: datetime) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self._sql("UPDATE {t} SET last_used_at = ? WHERE id = ?"),
                [_seconds(at), calendar_id],
            )


def _seconds(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromtimestamp(float(value), UTC) if value is not None else None


def _record(row: Any) -> CalendarRecord:
    """A row as a record, whether the driver gives tuples (SQLite rows) or dicts (psycopg)."""
    values = [row[n] for n in _COLUMNS] if isinstance(row, dict) else list(row)
    data = dict(zip(_COLUMNS, values, strict=True))
    created = _moment(data["created_at"])
    assert created is not None
    return CalendarRecord(
        id=str(data["id"]),
        token_hash=str(data["token_hash"]),
        person_id=UUID(str(data["person_id"])),
        body=data["body"],
        label=str(data["label"]),
        created_at=created,
        created_by=str(data["created_by"]),
        last_used_at=_moment(data["last_used_at"]),
        revoked_at=_moment(data["revoked_at"]),
        revoked_by=data["revoked_by"],
    )


def open_calendar_tokens(app: Application[Any]) -> CalendarTokenTable:
    """The subscriptions table in ``app``'s store, created if missing — unless the store's
    role may not create tables (``CREATE_TABLE=n``): then the table's owner creates it
    (``caseflow db migrate`` / ``caseflow db roles``)."""
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        raise TypeError(
            f"calendar subscriptions need SQLite or PostgreSQL, not {type(app.factory)}"
        )
    table = CalendarTokenTable(datastore)
    if strtobool(app.env.get("CREATE_TABLE") or "yes"):
        table.create_table()
    return table

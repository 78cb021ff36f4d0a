"""What was sent to eInnsyn (``caseflow_einnsyn_sent``), in the store's own database, so
that ``caseflow publish einnsyn`` sends each object once and a change as an update.

One row per publishing service (``target``: its base URL) and object (``system_id``):
the entity, the id eInnsyn gave it, the SHA-256 of the body it last accepted
(``digest``) and, while a request is under way, the digest being sent
(``pending_digest``). A row is written *before* a create is sent (pending, no id) and
completed when eInnsyn answers, each in its own transaction, so an interrupted run
leaves a trace the next run resolves (it looks the object up by its externalId) and
nothing already recorded is lost. Times are seconds since the epoch (UTC).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import strtobool

from caseflow.persistence.ddl import DDL_LOCK_KEY

TABLE = "caseflow_einnsyn_sent"

_COLUMNS = (
    "system_id",
    "external_id",
    "entity",
    "einnsyn_id",
    "digest",
    "pending_digest",
    "sent_at",
)


@dataclass(frozen=True)
class SentRecord:
    """One object as eInnsyn has it (``einnsyn_id`` None: created, answer not seen)."""

    system_id: str
    external_id: str
    entity: str
    einnsyn_id: str | None
    digest: str | None
    pending_digest: str | None
    sent_at: float


class EinnsynSentTable:
    """The sent objects in ``app``'s SQLite file or PostgreSQL schema."""

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
        statement = (
            "CREATE TABLE IF NOT EXISTS {t} (target TEXT NOT NULL, system_id TEXT NOT NULL, "
            "external_id TEXT NOT NULL, entity TEXT NOT NULL, einnsyn_id TEXT, digest TEXT, "
            "pending_digest TEXT, sent_at DOUBLE PRECISION NOT NULL, "
            "PRIMARY KEY (target, system_id))"
        )
        with self.datastore.transaction(commit=True) as c:
            if isinstance(self.datastore, PostgresDatastore):
                c.execute("SELECT pg_advisory_xact_lock(%s)", (DDL_LOCK_KEY,))
            c.execute(self._sql(statement))

    def records(self, target: str) -> dict[str, SentRecord]:
        """Every object sent to ``target``, by systemId."""
        statement = f"SELECT {', '.join(_COLUMNS)} FROM {{t}} WHERE target = ?"
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(statement), [target])
            found = [_record(row) for row in c.fetchall()]
        return {r.system_id: r for r in found}

    def pending(
        self, target: str, system_id: str, external_id: str, entity: str, digest: str
    ) -> None:
        """About to send ``digest`` for the object (a create or an update)."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "INSERT INTO {t} (target, system_id, external_id, entity, pending_digest, "
                    "sent_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (target, system_id) "
                    "DO UPDATE SET pending_digest = excluded.pending_digest"
                ),
                [target, system_id, external_id, entity, digest, time.time()],
            )

    def confirm(self, target: str, system_id: str, einnsyn_id: str, digest: str) -> None:
        """eInnsyn has the object as ``einnsyn_id`` with the body of ``digest``."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "UPDATE {t} SET einnsyn_id = ?, digest = ?, pending_digest = NULL, "
                    "sent_at = ? WHERE target = ? AND system_id = ?"
                ),
                [einnsyn_id, digest, time.time(), target, system_id],
            )

    def forget(self, target: str, system_id: str) -> None:
        """The object was deleted at eInnsyn (or never created there)."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self._sql("DELETE FROM {t} WHERE target = ? AND system_id = ?"),
                [target, system_id],
            )


def _record(row: Any) -> SentRecord:
    values = [row[n] for n in _COLUMNS] if isinstance(row, dict) else list(row)
    data = dict(zip(_COLUMNS, values, strict=True))
    return SentRecord(
        system_id=str(data["system_id"]),
        external_id=str(data["external_id"]),
        entity=str(data["entity"]),
        einnsyn_id=data["einnsyn_id"],
        digest=data["digest"],
        pending_digest=data["pending_digest"],
        sent_at=float(data["sent_at"]),
    )


def open_einnsyn_sent(app: Application[Any]) -> EinnsynSentTable:
    """The table in ``app``'s store, created if missing — unless the store's role may not
    create tables (``CREATE_TABLE=n``): then ``caseflow db migrate`` creates it."""
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        raise TypeError(f"the eInnsyn record needs SQLite or PostgreSQL, not {type(app.factory)}")
    table = EinnsynSentTable(datastore)
    if strtobool(app.env.get("CREATE_TABLE") or "yes"):
        table.create_table()
    return table

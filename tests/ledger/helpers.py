"""Helpers for the ledger tests: raw access to the stored events (to tamper with them as
someone with database access would) and a fast way to write many small events."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

from caseflow.application import Caseflow
from caseflow.domain.base import SYSTEM, CaseflowAggregate
from caseflow.ledger.store import CHAIN_TABLE, DIGESTS_TABLE, TRACKING_TABLE
from caseflow.persistence import StoreSettings


class Tally(CaseflowAggregate):
    """A tiny aggregate for volume: one event per tick."""

    class Ticked(CaseflowAggregate.Event):
        n: int

    def tick(self, n: int) -> None:
        self.trigger_event(self.Ticked, n=n, actor=SYSTEM, role=SYSTEM, on_behalf_of=None)

    @staticmethod
    def start() -> Tally:
        return Tally._create(Tally.Created, actor=SYSTEM, role=SYSTEM, on_behalf_of=None)


def fill(app: Caseflow, events: int, per_aggregate: int = 10, batch: int = 500) -> None:
    """Write ``events`` events: aggregates of ``per_aggregate`` events, saved in batches."""
    pending: list[Tally] = []
    pending_events = 0
    written = 0
    while written < events:
        t = Tally.start()
        k = min(per_aggregate, events - written)
        for i in range(k - 1):
            t.tick(i)
        pending.append(t)
        pending_events += k
        written += k
        if pending_events >= batch:
            app.save(*pending)
            pending, pending_events = [], 0
    if pending:
        app.save(*pending)


class RawEvents:
    """The event table, reached around the application (as a database owner could)."""

    def __init__(self, app: Caseflow, settings: StoreSettings) -> None:
        self.settings = settings
        self.table: str = app.recorder.events_table_name  # type: ignore[attr-defined]
        self.schema = settings.schema or "public"

    @property
    def is_postgres(self) -> bool:
        return self.settings.is_postgres

    @property
    def id_column(self) -> str:
        return "notification_id" if self.is_postgres else "rowid"

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run ``statement``, with ``{events}``, ``{chain}``, ``{tracking}``, ``{digests}``
        standing for the (qualified) tables and ``{id}`` for the event table's position
        column; ``?`` placeholders on both stores."""
        tables = {
            "events": self.table,
            "chain": CHAIN_TABLE,
            "tracking": TRACKING_TABLE,
            "digests": DIGESTS_TABLE,
        }
        if self.is_postgres:
            names = {
                k: sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(v))
                for k, v in tables.items()
            }
            text = statement.replace("?", "%s")
            query = sql.SQL(text).format(id=sql.SQL(self.id_column), **names)
            assert self.settings.postgres_dsn is not None
            with psycopg.connect(self.settings.postgres_dsn, autocommit=True) as conn:
                cur = conn.execute(query, list(params))
                return list(cur.fetchall()) if cur.description else []
        text = statement.format(id=self.id_column, **tables)
        db = sqlite3.connect(str(self.settings.sqlite_path), isolation_level=None)
        try:
            return db.execute(text, list(params)).fetchall()
        finally:
            db.close()

    def positions(self) -> list[int]:
        return [r[0] for r in self.execute("SELECT {id} FROM {events} ORDER BY {id}")]

    def row(self, position: int) -> tuple[Any, ...]:
        rows = self.execute(
            "SELECT originator_id, originator_version, topic, state FROM {events} WHERE {id} = ?",
            [position],
        )
        assert rows, position
        return rows[0]

    def set_state(self, position: int, state: bytes) -> None:
        self.execute("UPDATE {events} SET state = ? WHERE {id} = ?", [state, position])

    def delete(self, position: int) -> None:
        self.execute("DELETE FROM {events} WHERE {id} = ?", [position])

    def insert(
        self, position: int, originator_id: Any, version: int, topic: str, state: bytes
    ) -> None:
        self.execute(
            "INSERT INTO {events} (originator_id, originator_version, topic, state, {id}) "
            "VALUES (?, ?, ?, ?, ?)",
            [originator_id, version, topic, state, position],
        )

    def swap(self, p: int, q: int) -> None:
        """Exchange the positions of two stored events."""
        self.execute("UPDATE {events} SET {id} = -999 WHERE {id} = ?", [p])
        self.execute("UPDATE {events} SET {id} = ? WHERE {id} = ?", [p, q])
        self.execute("UPDATE {events} SET {id} = ? WHERE {id} = -999", [q])

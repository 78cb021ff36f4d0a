"""The chain in the application's SQLite file (:class:`SQLiteChainRecorder`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from caseflow.ledger.rows import (
    _CHAIN_COLUMNS,
    CHAIN_TABLE,
    DIGESTS_TABLE,
    TRACKING_TABLE,
    ChainRow,
    LogRow,
    StoredDigest,
    _digest,
    _head,
    _log_row,
    _log_row_at,
    _row,
)


class SQLiteChainRecorder(SQLiteTrackingRecorder):
    """The chain in the application's SQLite file."""

    def __init__(self, datastore: SQLiteDatastore, events_table: str = "stored_events") -> None:
        self.events_table = events_table
        super().__init__(datastore)
        self.insert_tracking_statement = (
            f"INSERT INTO {TRACKING_TABLE} "
            "VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE "
            "SET notification_id = :notification_id "
            f"WHERE {TRACKING_TABLE}.notification_id < :notification_id "
            "RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {TRACKING_TABLE} WHERE application_name=?"
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {TRACKING_TABLE} ("
            "application_name TEXT PRIMARY KEY, notification_id INTEGER) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} ("
            "position INTEGER PRIMARY KEY, previous INTEGER, hash TEXT NOT NULL, "
            "originator_id TEXT NOT NULL, version INTEGER NOT NULL, topic TEXT NOT NULL, "
            "time TEXT, actor TEXT)",
            f"CREATE INDEX IF NOT EXISTS {CHAIN_TABLE}_origin_idx "
            f"ON {CHAIN_TABLE} (originator_id, version)",
            f"CREATE TABLE IF NOT EXISTS {DIGESTS_TABLE} ("
            "id INTEGER PRIMARY KEY AUTOINCREMENT, position INTEGER NOT NULL, "
            "hash TEXT NOT NULL, time TEXT NOT NULL, public_key TEXT NOT NULL, "
            "signature TEXT NOT NULL)",
        ]

    def create_table(self) -> None:
        # Our own table names: none of the library's single-row migration applies.
        with self.datastore.transaction(commit=True) as c:
            for statement in self.create_table_statements:
                c.execute(statement)

    def tracked(self, application_name: str) -> int | None:
        return self.max_tracking_id(application_name)

    def head(self, application_name: str) -> tuple[int | None, ChainRow | None]:
        """The tracked position and the last chain row, read by one statement (one
        snapshot: another process's append cannot fall between the two)."""
        return _head(
            self._one(
                f"SELECT (SELECT MAX(notification_id) FROM {TRACKING_TABLE} "
                "WHERE application_name = ?) AS tracked, c.* FROM (SELECT 1 AS one) AS o "
                f"LEFT JOIN (SELECT {_CHAIN_COLUMNS} FROM {CHAIN_TABLE} "
                "ORDER BY position DESC LIMIT 1) AS c ON 1 = 1",
                [application_name],
            )
        )

    def log_row(self, position: int) -> LogRow | None:
        return _log_row_at(self, position)

    def _one(self, statement: str, params: Sequence[Any] = ()) -> Any:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return c.fetchone()

    def row(self, position: int) -> ChainRow | None:
        r = self._one(f"SELECT {_CHAIN_COLUMNS} FROM {CHAIN_TABLE} WHERE position=?", [position])
        return _row(r) if r else None

    def last_row(self) -> ChainRow | None:
        r = self._one(f"SELECT {_CHAIN_COLUMNS} FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
        return _row(r) if r else None

    def append(self, rows: Sequence[ChainRow], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.executemany(
                f"INSERT INTO {CHAIN_TABLE} ({_CHAIN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [r.as_tuple() for r in rows],
            )
            self._insert_tracking(c, tracking)

    def rows(self, after: int | None, stop: int, limit: int) -> list[ChainRow]:
        where = "position <= ?" if after is None else "position > ? AND position <= ?"
        params = [stop] if after is None else [after, stop]
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT {_CHAIN_COLUMNS} FROM {CHAIN_TABLE} WHERE {where} "
                "ORDER BY position LIMIT ?",
                [*params, limit],
            )
            return [_row(r) for r in c.fetchall()]

    def log_rows(self, after: int | None, stop: int | None, limit: int) -> list[LogRow]:
        """Stored events after ``after`` (from the very first when None) up to ``stop``."""
        where, params = [], []
        if after is not None:
            where.append("rowid > ?")
            params.append(after)
        if stop is not None:
            where.append("rowid <= ?")
            params.append(stop)
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table} {clause}ORDER BY rowid LIMIT ?",
                [*params, limit],
            )
            return [_log_row(*r) for r in c.fetchall()]

    def position_of(self, originator_id: str, version: int) -> int | None:
        r = self._one(
            f"SELECT position FROM {CHAIN_TABLE} WHERE originator_id=? AND version=?",
            [originator_id, version],
        )
        return r[0] if r else None

    def log_position_of(self, originator_id: str, version: int) -> int | None:
        try:
            stored_id = UUID(originator_id).hex
        except ValueError:
            stored_id = originator_id
        r = self._one(
            f"SELECT rowid FROM {self.events_table} WHERE originator_id=? AND originator_version=?",
            [stored_id, version],
        )
        return r[0] if r else None

    def add_digest(self, d: StoredDigest) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO {DIGESTS_TABLE} (position, hash, time, public_key, signature) "
                "VALUES (?, ?, ?, ?, ?)",
                [d.position, d.hash, d.time, d.public_key, d.signature],
            )

    def digests(self) -> list[StoredDigest]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT position, hash, time, public_key, signature FROM {DIGESTS_TABLE} "
                "ORDER BY id"
            )
            return [_digest(r) for r in c.fetchall()]

    def harden(self) -> list[str]:
        """Triggers: the event, chain and digest tables refuse UPDATE and DELETE; events
        and chain rows are appended after the last only; the chain's tracking only moves
        forward. Anyone who can write the file can drop them again: on SQLite this stops
        mistakes and tools, not a determined owner; the chain and digests detect the rest."""
        done = []
        statements = []
        for table in (self.events_table, CHAIN_TABLE, DIGESTS_TABLE, TRACKING_TABLE):
            for op in ("UPDATE", "DELETE"):
                if table == TRACKING_TABLE and op == "UPDATE":
                    continue
                name = f"caseflow_append_only_{table}_{op.lower()}"
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'caseflow: {op} on {table} is refused: "
                    "the table is append-only'); END"
                )
                done.append(f"{op} on {table}")
        for table, column in ((self.events_table, "rowid"), (CHAIN_TABLE, "position")):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS caseflow_append_only_{table}_insert "
                f"AFTER INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {column} > NEW.{column}) "
                f"BEGIN SELECT RAISE(ABORT, 'caseflow: INSERT into {table} before its last "
                "row is refused: rows are appended at the end only'); END"
            )
            done.append(f"INSERT into {table} before its last row")
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS caseflow_forward_only_{TRACKING_TABLE} "
            f"BEFORE UPDATE ON {TRACKING_TABLE} "
            "WHEN NEW.application_name IS NOT OLD.application_name "
            "OR NEW.notification_id < OLD.notification_id "
            f"BEGIN SELECT RAISE(ABORT, 'caseflow: moving {TRACKING_TABLE} back is refused: "
            "the chain only moves forward'); END"
        )
        done.append(f"moving {TRACKING_TABLE} back")
        with self.datastore.transaction(commit=True) as c:
            for statement in statements:
                c.execute(statement)
        return done

"""Where the chain lives: ``caseflow_chain`` (one row per chained event),
``caseflow_digests`` (signed heads) and ``caseflow_chain_tracking`` (the projection's
position), in the application's own database, written through the library's tracking
recorders so that chain rows and the tracking position commit in one transaction.

Two implementations, one per store: :class:`SQLiteChainRecorder` and
:class:`PostgresChainRecorder`. Both also answer the few questions verification asks of
the event table itself (where is this event now?) and can harden it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composable, Composed, Identifier

from caseflow.persistence.ddl import SerialisedDDL

CHAIN_TABLE = "caseflow_chain"
DIGESTS_TABLE = "caseflow_digests"
TRACKING_TABLE = "caseflow_chain_tracking"

_CHAIN_COLUMNS = "position, previous, hash, originator_id, version, topic, time, actor"


@dataclass(frozen=True)
class ChainRow:
    """One link: the event at ``position`` and the chain hash up to and including it.
    ``previous`` is the position of the event chained just before (None for the first)."""

    position: int
    previous: int | None
    hash: str
    originator_id: str
    version: int
    topic: str
    time: str | None
    actor: str | None

    def as_tuple(self) -> tuple[Any, ...]:
        return (
            self.position,
            self.previous,
            self.hash,
            self.originator_id,
            self.version,
            self.topic,
            self.time,
            self.actor,
        )


class LogRow(NamedTuple):
    """A stored event as the chain sees it: raw values, no decoding."""

    position: int
    originator_id: str
    version: int
    topic: str
    state: bytes


def _log_row(position: int, oid: Any, version: int, topic: Any, state: Any) -> LogRow:
    """Normalise what the database returned. SQLite keeps UUIDs as 32 hex digits; a
    value someone wrote by hand may be text where bytes belong: hash what is there."""
    if isinstance(oid, UUID):
        text = str(oid)
    else:
        text = str(oid)
        if len(text) == 32:
            with contextlib.suppress(ValueError):
                text = str(UUID(hex=text))
    if isinstance(state, str):
        state = state.encode()
    elif state is None:
        state = b""
    return LogRow(position, text, version, "" if topic is None else str(topic), bytes(state))


@dataclass(frozen=True)
class StoredDigest:
    position: int
    hash: str
    time: str
    public_key: str
    signature: str


def _row(r: Any) -> ChainRow:
    return ChainRow(
        position=r["position"],
        previous=r["previous"],
        hash=r["hash"],
        originator_id=r["originator_id"],
        version=r["version"],
        topic=r["topic"],
        time=r["time"],
        actor=r["actor"],
    )


def _digest(r: Any) -> StoredDigest:
    return StoredDigest(r["position"], r["hash"], r["time"], r["public_key"], r["signature"])


class ChainStore(Protocol):
    """What the ledger needs from a store."""

    events_table: str

    def tracked(self, application_name: str) -> int | None: ...

    def row(self, position: int) -> ChainRow | None: ...

    def last_row(self) -> ChainRow | None: ...

    def append(self, rows: Sequence[ChainRow], tracking: Tracking) -> None: ...

    def rows(self, after: int | None, stop: int, limit: int) -> list[ChainRow]: ...

    def log_rows(self, after: int | None, stop: int | None, limit: int) -> list[LogRow]: ...

    def position_of(self, originator_id: str, version: int) -> int | None: ...

    def log_position_of(self, originator_id: str, version: int) -> int | None: ...

    def add_digest(self, d: StoredDigest) -> None: ...

    def digests(self) -> list[StoredDigest]: ...

    def harden(self) -> list[str]: ...


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
        """Refuse UPDATE and DELETE on the event, chain and digest tables (triggers).
        Anyone who can write the file can drop them again: on SQLite this stops mistakes
        and tools, not a determined owner; the chain and digests detect the rest."""
        done = []
        with self.datastore.transaction(commit=True) as c:
            for table in (self.events_table, CHAIN_TABLE, DIGESTS_TABLE):
                for op in ("UPDATE", "DELETE"):
                    name = f"caseflow_append_only_{table}_{op.lower()}"
                    c.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, 'caseflow: {op} on {table} is refused: "
                        "the table is append-only'); END"
                    )
                    done.append(f"{op} on {table}")
        return done


class PostgresChainRecorder(SerialisedDDL, PostgresTrackingRecorder):
    """The chain in the application's PostgreSQL schema."""

    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        self.events_table = events_table
        super().__init__(datastore, tracking_table_name=TRACKING_TABLE)
        schema = Identifier(self.datastore.schema)
        self._chain = SQL("{}.{}").format(schema, Identifier(CHAIN_TABLE))
        self._digests = SQL("{}.{}").format(schema, Identifier(DIGESTS_TABLE))
        self._events = SQL("{}.{}").format(schema, Identifier(events_table))
        self.sql_create_statements += [
            SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                "position bigint PRIMARY KEY, previous bigint, hash text NOT NULL, "
                "originator_id text NOT NULL, version bigint NOT NULL, topic text NOT NULL, "
                "time text, actor text)"
            ).format(self._chain),
            SQL("CREATE INDEX IF NOT EXISTS {} ON {} (originator_id, version)").format(
                Identifier(f"{CHAIN_TABLE}_origin_idx"), self._chain
            ),
            SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                "id bigserial PRIMARY KEY, position bigint NOT NULL, hash text NOT NULL, "
                "time text NOT NULL, public_key text NOT NULL, signature text NOT NULL)"
            ).format(self._digests),
        ]

    def tracked(self, application_name: str) -> int | None:
        return self.max_tracking_id(application_name)

    def _one(self, statement: Composed, params: Sequence[Any] = ()) -> Any:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return c.fetchone()

    def _select(self) -> Composed:
        return SQL("SELECT " + _CHAIN_COLUMNS + " FROM {}").format(self._chain)

    def row(self, position: int) -> ChainRow | None:
        r = self._one(self._select() + SQL(" WHERE position=%s"), [position])
        return _row(r) if r else None

    def last_row(self) -> ChainRow | None:
        r = self._one(self._select() + SQL(" ORDER BY position DESC LIMIT 1"))
        return _row(r) if r else None

    def append(self, rows: Sequence[ChainRow], tracking: Tracking) -> None:
        insert = SQL(
            "INSERT INTO {} (" + _CHAIN_COLUMNS + ") VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        ).format(self._chain)
        with self.datastore.transaction(commit=True) as c:
            c.executemany(insert, [r.as_tuple() for r in rows])
            self._insert_tracking(c, tracking)

    def rows(self, after: int | None, stop: int, limit: int) -> list[ChainRow]:
        if after is None:
            where, params = SQL(" WHERE position <= %s"), [stop]
        else:
            where, params = SQL(" WHERE position > %s AND position <= %s"), [after, stop]
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._select() + where + SQL(" ORDER BY position LIMIT %s"), [*params, limit])
            return [_row(r) for r in c.fetchall()]

    def log_rows(self, after: int | None, stop: int | None, limit: int) -> list[LogRow]:
        where: list[Composable] = []
        params: list[int] = []
        if after is not None:
            where.append(SQL("notification_id > %s"))
            params.append(after)
        if stop is not None:
            where.append(SQL("notification_id <= %s"))
            params.append(stop)
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
        ).format(self._events)
        if where:
            statement += SQL(" WHERE ") + SQL(" AND ").join(where)
        statement += SQL(" ORDER BY notification_id LIMIT %s")
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as c:
            c.execute(statement, [*params, limit])
            return [_log_row(*r) for r in c.fetchall()]

    def position_of(self, originator_id: str, version: int) -> int | None:
        r = self._one(
            SQL("SELECT position FROM {} WHERE originator_id=%s AND version=%s").format(
                self._chain
            ),
            [originator_id, version],
        )
        return r["position"] if r else None

    def log_position_of(self, originator_id: str, version: int) -> int | None:
        key: UUID | str = originator_id
        if self.datastore.originator_id_type == "uuid":
            try:
                key = UUID(originator_id)
            except ValueError:
                return None
        r = self._one(
            SQL(
                "SELECT notification_id FROM {} WHERE originator_id=%s AND originator_version=%s"
            ).format(self._events),
            [key, version],
        )
        return r["notification_id"] if r else None

    def add_digest(self, d: StoredDigest) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL(
                    "INSERT INTO {} (position, hash, time, public_key, signature) "
                    "VALUES (%s, %s, %s, %s, %s)"
                ).format(self._digests),
                [d.position, d.hash, d.time, d.public_key, d.signature],
            )

    def digests(self) -> list[StoredDigest]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                SQL(
                    "SELECT position, hash, time, public_key, signature FROM {} ORDER BY id"
                ).format(self._digests)
            )
            return [_digest(r) for r in c.fetchall()]

    def harden(self) -> list[str]:
        """Refuse UPDATE, DELETE and TRUNCATE on the event, chain and digest tables with a
        statement-level trigger. The table owner can still drop the trigger: for real
        prevention, let another role own the tables (docs/auditors-guide.md)."""
        schema = Identifier(self.datastore.schema)
        function = SQL("{}.{}").format(schema, Identifier("caseflow_refuse_change"))
        done = []
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL(
                    "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN RAISE EXCEPTION 'caseflow: % on % is refused: the table is "
                    "append-only', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; "
                    "END $$"
                ).format(function)
            )
            for table in (self.events_table, CHAIN_TABLE, DIGESTS_TABLE):
                c.execute(
                    SQL(
                        "CREATE OR REPLACE TRIGGER caseflow_append_only "
                        "BEFORE UPDATE OR DELETE OR TRUNCATE ON {}.{} "
                        "FOR EACH STATEMENT EXECUTE FUNCTION {}()"
                    ).format(schema, Identifier(table), function)
                )
                done.append(f"UPDATE, DELETE, TRUNCATE on {self.datastore.schema}.{table}")
        return done


def open_chain_store(app: Application[Any]) -> ChainStore:
    """The chain recorder for ``app``'s store, tables created if missing."""
    datastore = getattr(app.factory, "datastore", None)
    events_table: str = getattr(app.recorder, "events_table_name", "stored_events")
    store: SQLiteChainRecorder | PostgresChainRecorder
    if isinstance(datastore, SQLiteDatastore):
        store = SQLiteChainRecorder(datastore, events_table)
    elif isinstance(datastore, PostgresDatastore):
        store = PostgresChainRecorder(datastore, events_table)
    else:
        raise TypeError(
            f"the audit ledger needs SQLite or PostgreSQL, not {type(app.factory).__name__}"
        )
    store.create_table()
    return store

"""The chain in the application's PostgreSQL schema (:class:`PostgresChainRecorder`),
with the database guards :meth:`PostgresChainRecorder.harden` installs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composable, Composed, Identifier, Literal

from caseflow.ledger.rows import (
    _CHAIN_COLUMNS,
    CHAIN_TABLE,
    DIGESTS_TABLE,
    MIGRATION_ROW,
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
from caseflow.persistence.ddl import SerialisedDDL


class PostgresChainRecorder(SerialisedDDL, PostgresTrackingRecorder):
    """The chain in the application's PostgreSQL schema."""

    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        self.events_table = events_table
        super().__init__(datastore, tracking_table_name=TRACKING_TABLE)
        schema = Identifier(self.datastore.schema)
        self._chain = SQL("{}.{}").format(schema, Identifier(CHAIN_TABLE))
        self._digests = SQL("{}.{}").format(schema, Identifier(DIGESTS_TABLE))
        self._events = SQL("{}.{}").format(schema, Identifier(events_table))
        self._tracking = SQL("{}.{}").format(schema, Identifier(TRACKING_TABLE))
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

    def head(self, application_name: str) -> tuple[int | None, ChainRow | None]:
        """The tracked position and the last chain row, read by one statement (one
        snapshot: another process's append cannot fall between the two)."""
        return _head(
            self._one(
                SQL(
                    "SELECT (SELECT MAX(notification_id) FROM {} WHERE application_name = %s) "
                    "AS tracked, c.* FROM (SELECT 1 AS one) AS o LEFT JOIN (SELECT "
                    + _CHAIN_COLUMNS
                    + " FROM {} ORDER BY position DESC LIMIT 1) AS c ON true"
                ).format(self._tracking, self._chain),
                [application_name],
            )
        )

    def log_row(self, position: int) -> LogRow | None:
        return _log_row_at(self, position)

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
        """Install the guards (as the tables' owner; ``caseflow db roles`` runs this):

        - the event, chain and digest tables refuse UPDATE, DELETE and TRUNCATE;
        - an event or chain row is accepted only after the newest one (checked under the
          table's EXCLUSIVE lock, in READ COMMITTED, so commit order is position order);
          a chain row must name the newest as its predecessor and an event that is there;
        - the chain's tracking moves forward only, to the chain's last position.

        The triggers fire even under ``session_replication_role = replica`` (ENABLE
        ALWAYS). The tables' owner can still drop them: the application's role must not
        be the owner (:mod:`caseflow.ledger.roles`, docs/auditors-guide.md)."""
        schema = self.datastore.schema
        done: list[str] = []
        with self.datastore.transaction(commit=True) as c:
            for statement, what in self._guards():
                c.execute(statement, prepare=False)
                if what:
                    done.append(what.format(schema=schema))
        return done

    def _guards(self) -> list[tuple[Composable, str]]:
        schema = Identifier(self.datastore.schema)

        def fn(name: str) -> Composed:
            return SQL("{}.{}").format(schema, Identifier(name))

        def trigger(name: str, when: str, table: Composable, function: Composed) -> Composed:
            events, each = when.split(" FOR EACH ")
            return SQL(
                "CREATE OR REPLACE TRIGGER {name} "
                + events
                + " ON {table} FOR EACH "
                + each
                + " EXECUTE FUNCTION {fn}()"
            ).format(name=Identifier(name), table=table, fn=function)

        def always(name: str, table: Composable) -> Composed:
            return SQL("ALTER TABLE {} ENABLE ALWAYS TRIGGER {}").format(table, Identifier(name))

        header = (
            "RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
            "SET search_path = pg_catalog, pg_temp AS $$ "
        )
        in_order = (
            "IF current_setting('transaction_isolation') <> 'read committed' THEN "
            "RAISE EXCEPTION 'caseflow: INSERT into % is refused outside READ COMMITTED', "
            "TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; END IF; "
        )
        refuse, events_fn, chain_fn, tracking_fn = (
            fn("caseflow_refuse_change"),
            fn("caseflow_events_append_only"),
            fn("caseflow_chain_append_only"),
            fn("caseflow_tracking_forward_only"),
        )
        out: list[tuple[Composable, str]] = [
            (
                SQL(
                    "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN RAISE EXCEPTION 'caseflow: % on % is refused: the table is "
                    "append-only', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; "
                    "END $$"
                ).format(refuse),
                "",
            ),
            (
                SQL(
                    "CREATE OR REPLACE FUNCTION {fn}() " + header + "DECLARE newest bigint; "
                    "BEGIN " + in_order + "LOCK TABLE {events} IN EXCLUSIVE MODE; "
                    "SELECT max(notification_id) INTO newest FROM {events}; "
                    "IF newest IS NOT NULL AND NEW.notification_id <= newest THEN "
                    "RAISE EXCEPTION 'caseflow: INSERT into % at position % is refused: events "
                    "are appended after the newest (%)', TG_TABLE_NAME, NEW.notification_id, "
                    "newest USING ERRCODE = 'integrity_constraint_violation'; END IF; "
                    "RETURN NEW; END $$"
                ).format(fn=events_fn, events=self._events),
                "",
            ),
            (
                SQL(
                    "CREATE OR REPLACE FUNCTION {fn}() " + header + "DECLARE newest bigint; "
                    "BEGIN " + in_order + "LOCK TABLE {chain} IN EXCLUSIVE MODE; "
                    "SELECT max(position) INTO newest FROM {chain}; "
                    "IF (newest IS NOT NULL AND NEW.position <= newest) "
                    "OR NEW.previous IS DISTINCT FROM newest THEN "
                    "RAISE EXCEPTION 'caseflow: chain row at position % (after %) is refused: "
                    "chain rows are appended after the newest (%)', NEW.position, "
                    "NEW.previous, newest USING ERRCODE = 'integrity_constraint_violation'; "
                    "END IF; "
                    "IF NOT EXISTS (SELECT 1 FROM {events} WHERE notification_id = NEW.position "
                    "AND originator_id::text = NEW.originator_id "
                    "AND originator_version = NEW.version) THEN "
                    "RAISE EXCEPTION 'caseflow: chain row at position % is refused: no such "
                    "event there', NEW.position USING ERRCODE = 'integrity_constraint_violation'; "
                    "END IF; RETURN NEW; END $$"
                ).format(fn=chain_fn, chain=self._chain, events=self._events),
                "",
            ),
            (
                SQL(
                    "CREATE OR REPLACE FUNCTION {fn}() " + header + "BEGIN "
                    "IF TG_OP = 'UPDATE' AND (NEW.application_name IS DISTINCT FROM "
                    "OLD.application_name OR NEW.notification_id < OLD.notification_id) THEN "
                    "RAISE EXCEPTION 'caseflow: moving % back is refused: the chain only moves "
                    "forward', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; "
                    "END IF; "
                    "IF NEW.application_name <> {migration} AND NEW.notification_id IS DISTINCT "
                    "FROM (SELECT max(position) FROM {chain}) THEN "
                    "RAISE EXCEPTION 'caseflow: % at % is refused: the chain ends at %', "
                    "TG_TABLE_NAME, NEW.notification_id, (SELECT max(position) FROM {chain}) "
                    "USING ERRCODE = 'integrity_constraint_violation'; END IF; "
                    "RETURN NEW; END $$"
                ).format(fn=tracking_fn, chain=self._chain, migration=Literal(MIGRATION_ROW)),
                "",
            ),
        ]
        for table in (self.events_table, CHAIN_TABLE, DIGESTS_TABLE):
            name = SQL("{}.{}").format(schema, Identifier(table))
            out.append(
                (
                    trigger(
                        "caseflow_append_only",
                        "BEFORE UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT",
                        name,
                        refuse,
                    ),
                    f"UPDATE, DELETE, TRUNCATE on {{schema}}.{table}",
                )
            )
            out.append((always("caseflow_append_only", name), ""))
        for table, function in ((self.events_table, events_fn), (CHAIN_TABLE, chain_fn)):
            name = SQL("{}.{}").format(schema, Identifier(table))
            out.append(
                (
                    trigger("caseflow_append_at_end", "BEFORE INSERT FOR EACH ROW", name, function),
                    f"INSERT into {{schema}}.{table} before its newest row",
                )
            )
            out.append((always("caseflow_append_at_end", name), ""))
        out += [
            (
                trigger(
                    "caseflow_append_only",
                    "BEFORE DELETE OR TRUNCATE FOR EACH STATEMENT",
                    self._tracking,
                    refuse,
                ),
                f"DELETE, TRUNCATE on {{schema}}.{TRACKING_TABLE}",
            ),
            (always("caseflow_append_only", self._tracking), ""),
            (
                trigger(
                    "caseflow_forward_only",
                    "BEFORE INSERT OR UPDATE FOR EACH ROW",
                    self._tracking,
                    tracking_fn,
                ),
                f"moving {{schema}}.{TRACKING_TABLE} back or past the chain",
            ),
            (always("caseflow_forward_only", self._tracking), ""),
        ]
        return out

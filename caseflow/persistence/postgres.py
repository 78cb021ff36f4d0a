"""The PostgreSQL event store with fewer round trips per command (issue 19).

The library's recorder appends a command's events in a pipelined transaction — ``BEGIN``,
``SET LOCAL lock_timeout``, ``LOCK TABLE … IN EXCLUSIVE MODE``, ``NOTIFY``, the ``INSERT``,
a sync, ``COMMIT`` — and its pool pings every connection it hands out (``SELECT ''``,
``POSTGRES_PRE_PING``). Here:

- **One statement per append.** :class:`AppendingRecorder` creates a function
  ``<events table>_insert(events, lock_timeout)`` that does all of that inside the
  statement's own transaction (autocommit): the lock timeout, the ``EXCLUSIVE`` table lock
  (so notification ids are committed in the order they were issued: the total order the
  aggregate cache, the projections and the hash chain rely on), ``NOTIFY`` (the library's
  ``ProjectionRunner`` listens) and the insert, returning the notification ids. The
  library's own ``POSTGRES_ENABLE_DB_FUNCTIONS`` function (9.5.x) takes no table lock, so
  it is not used. A store whose role may not create the function (``caseflow db roles``'
  application role, before ``caseflow db migrate`` has run as the owner) keeps the
  library's pipelined transaction.
- **No ping per checkout.** :func:`check_without_round_trip` replaces the pool's
  ``check``: an idle connection whose socket has something to read (the server said
  goodbye — ``pg_terminate_backend``, a restart — or closed it) or that is no longer
  ``OK`` is pinged (and dropped by the pool if the ping fails); any other is handed out at
  once. When one fails, the pool checks all its idle connections at once, so after the
  server ended every session the next command waits for one new connection, not for
  the pool's back-off once per dead one (10 s before, 0.06 s now, in the test). A
  connection that dies unnoticed while idle (no goodbye reached the socket) fails its
  first statement, which the library retries (``@retry`` on ``OperationalError``).

:class:`Factory` is what ``PERSISTENCE_MODULE`` names for a ``postgresql://`` URL
(``caseflow/persistence/settings.py``).
"""

from __future__ import annotations

import select
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    ConnectionPool,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.utils import Environment, EnvType, retry
from psycopg import Connection
from psycopg.pq import ConnStatus, TransactionStatus
from psycopg.sql import SQL, Composed, Identifier


def check_without_round_trip(conn: Connection[Any]) -> None:
    """The pool's check before handing out ``conn``: a ping only when the connection
    looks broken or the server has sent something while it was idle (a notice that it
    is terminating the session, or end of file); raises when the ping fails."""
    pgconn = conn.pgconn
    idle = pgconn.transaction_status == TransactionStatus.IDLE
    if pgconn.status == ConnStatus.OK and idle:
        poller = select.poll()  # not select.select: no limit on the descriptor's number
        poller.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
        if not poller.poll(0):
            return
    ConnectionPool.check_connection(conn)


def use_quick_check(datastore: PostgresDatastore) -> None:
    """Make ``datastore``'s pool check connections with :func:`check_without_round_trip`
    instead of a ping. When one fails, every idle connection of the pool is checked at
    once (``pool.check()``): after the server ended them all (a restart, a failover) the
    pool waits once before a new connection rather than once per dead one. psycopg_pool
    keeps the check as ``_check``; the library gives no other way to set it."""
    pool = datastore.pool
    if not hasattr(pool, "_check"):  # pragma: no cover - a psycopg_pool that changed
        raise RuntimeError("psycopg_pool.ConnectionPool has no _check: update use_quick_check")

    def check(conn: Connection[Any]) -> None:
        try:
            check_without_round_trip(conn)
        except Exception:
            pool.check()
            raise

    pool._check = check


class AppendingRecorder(PostgresApplicationRecorder):
    """The library's application recorder, appending in one statement (module docstring)."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.append_function_name = f"{self.events_table_name}_insert"
        self.check_identifier_length(self.append_function_name)
        schema = Identifier(self.datastore.schema)
        function = SQL("{}.{}").format(schema, Identifier(self.append_function_name))
        event_type = SQL("{}.{}").format(schema, Identifier(self.stored_event_type_name))
        self.function_statement = _append_function(self, function, event_type)
        self.sql_create_statements.append(self.function_statement)
        self.append_statement = SQL("SELECT n AS notification_id FROM {}(%s, %s) AS n").format(
            function
        )
        self.append_signature = SQL("{}({}[], text)").format(function, event_type).as_string(None)
        # The reads a command makes, as the library words them, composed once (the
        # library composes its statement anew on every call).
        table = SQL("{}.{}").format(schema, Identifier(self.events_table_name)).as_string(None)
        self.append_query = self.append_statement.as_string(None)
        self.tail_query = (
            f"SELECT * FROM {table} WHERE notification_id>=%s ORDER BY notification_id LIMIT %s"
        )
        self.events_query = (
            f"SELECT * FROM {table} WHERE originator_id = %s ORDER BY originator_version ASC"
        )
        columns = "notification_id, originator_id, originator_version, topic, state"
        self.tail_and_events_query = (
            f"(SELECT 0 AS part, {columns} FROM {table} WHERE notification_id>=%s "
            f"ORDER BY notification_id LIMIT %s) UNION ALL "
            f"(SELECT 1 AS part, {columns} FROM {table} WHERE originator_id = %s)"
        )
        self.lock_timeout = f"{int(self.datastore.lock_timeout)}s"
        #: Whether the function exists (None: not known yet).
        self.appends_in_one_statement: bool | None = None

    def create_table(self) -> None:
        """The library's tables, and the append function unless it is there as written
        here: ``CREATE OR REPLACE FUNCTION`` rewrites its catalog row every time, and two
        processes doing it at once fail ("tuple concurrently updated") — the library's
        ``ProjectionRunner`` and the read models open their own recorders outside the DDL
        lock, e.g. gunicorn's workers starting beside ``caseflow project``."""
        statements = self.sql_create_statements
        if self._append_function_is_current():
            self.sql_create_statements = [s for s in statements if s is not self.function_statement]
        try:
            super().create_table()
        finally:
            self.sql_create_statements = statements
        self.appends_in_one_statement = True

    def _append_function_is_current(self) -> bool:
        body = self.function_statement.as_string(None).split("$$")[1]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(  # by name: to_regprocedure fails while the row type is missing
                "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = %s AND p.proname = %s",
                (self.datastore.schema, self.append_function_name),
                prepare=False,
            )
            rows = curs.fetchall()
        return len(rows) == 1 and rows[0]["prosrc"] == body

    def _has_append_function(self) -> bool:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT to_regprocedure(%s) IS NOT NULL AS found",
                (self.append_signature,),
                prepare=False,
            )
            row = curs.fetchone()
        return bool(row and row["found"])

    def _rows(self, query: str, params: Sequence[Any]) -> list[Any]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query, params, prepare=True)
            return curs.fetchall()

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
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
        return [_notification(row) for row in self._rows(self.tail_query, (start, limit))]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
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
        return [_stored_event(row) for row in self._rows(self.events_query, (originator_id,))]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_notifications_and_events(
        self, start: int, limit: int, originator_id: UUID | str
    ) -> tuple[list[Notification], list[StoredEvent]]:
        """``select_notifications(start, limit)`` and ``select_events(originator_id)``
        in one statement: one round trip, one snapshot."""
        rows = self._rows(self.tail_and_events_query, (start, limit, originator_id))
        tail = sorted((r for r in rows if r["part"] == 0), key=lambda r: r["notification_id"])
        own = sorted((r for r in rows if r["part"] == 1), key=lambda r: r["originator_version"])
        return [_notification(r) for r in tail], [_stored_event(r) for r in own]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if self.appends_in_one_statement is None:
            self.appends_in_one_statement = self._has_append_function()
        if not self.appends_in_one_statement or kwargs.get("tracking") is not None:
            return super().insert_events(stored_events, **kwargs)
        if not stored_events:
            return []
        events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            assert conn.autocommit
            curs.execute(self.append_query, (events, self.lock_timeout), prepare=True)
            return [row["notification_id"] for row in curs.fetchall()]


def _notification(row: Any) -> Notification:
    return Notification(
        id=row["notification_id"],
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )


def _stored_event(row: Any) -> StoredEvent:
    return StoredEvent(
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )


def _append_function(
    recorder: PostgresApplicationRecorder, function: Composed, event_type: Composed
) -> Composed:
    table = SQL("{}.{}").format(
        Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
    )
    return SQL(
        "CREATE OR REPLACE FUNCTION {function}(events {event_type}[], wait text) "
        "RETURNS SETOF bigint LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM set_config('lock_timeout', wait, true); "
        "LOCK TABLE {table} IN EXCLUSIVE MODE; "
        "NOTIFY {channel}; "
        "RETURN QUERY INSERT INTO {table} "
        "(originator_id, originator_version, topic, state) "
        "SELECT e.originator_id, e.originator_version, e.topic, e.state FROM unnest(events) e "
        "RETURNING notification_id; "
        "END $$"
    ).format(
        function=function,
        event_type=event_type,
        table=table,
        channel=Identifier(recorder.channel_name),
    )


class Factory(PostgresFactory):
    """The library's PostgreSQL factory with :class:`AppendingRecorder` and
    :func:`check_without_round_trip` (when ``POSTGRES_PRE_PING`` asks for a check)."""

    application_recorder_class = AppendingRecorder

    def __init__(self, env: Environment | EnvType | None):
        super().__init__(env)
        if self.datastore.pre_ping:
            use_quick_check(self.datastore)

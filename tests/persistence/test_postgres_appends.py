"""The PostgreSQL recorder of caseflow/persistence/postgres.py: a command's events appended
in one statement that still takes the table lock (so a reader tailing the log never passes
over a notification id committed later), no ping per connection checkout, the library's
transaction when the function is missing, and dropped connections replaced."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg import sql

from caseflow.application import Caseflow, Settings
from caseflow.domain.values import CaseKind
from caseflow.persistence import open_application, parse_database_url
from caseflow.persistence.postgres import AppendingRecorder, Factory, check_without_round_trip
from tests.conftest import postgres_schema
from tests.persistence.roundtrips import RoundTripRelay
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema("t_app_") as url:
        yield url


@pytest.fixture
def pg_app(pg_url: str) -> Iterator[Caseflow]:
    app, _ = open_application(pg_url, Settings())
    try:
        yield app
    finally:
        app.close()


def _events(n: int) -> list[StoredEvent]:
    return [StoredEvent(uuid.uuid4(), 1, "tests:Event", b"{}") for _ in range(n)]


def test_the_recorder_appends_in_one_statement(pg_app: Caseflow) -> None:
    recorder = pg_app.recorder
    assert isinstance(recorder, AppendingRecorder)
    ids = recorder.insert_events(_events(3))
    assert recorder.appends_in_one_statement is True
    assert ids is not None
    assert list(ids) == sorted(ids)
    assert len(ids) == 3
    stored = recorder.select_notifications(start=ids[0], limit=10)
    assert [n.id for n in stored] == list(ids)


def test_a_version_conflict_is_an_integrity_error(pg_app: Caseflow) -> None:
    event = _events(1)
    pg_app.recorder.insert_events(event)
    with pytest.raises(IntegrityError):
        pg_app.recorder.insert_events(event)


def test_a_command_costs_two_round_trips(pg_url: str) -> None:
    """Counted at the socket: each time the client speaks after the server did."""
    settings = parse_database_url(pg_url)
    relay = RoundTripRelay((settings.env["POSTGRES_HOST"], int(settings.env["POSTGRES_PORT"])))
    app, _ = open_application(relay.url(pg_url), Settings())
    try:
        world = World.build(app)
        propose = lambda: app.propose_case(  # noqa: E731
            world["atp"], world.groups["atp"], "Tur-retur", "Sammendrag.", CaseKind.BOARD_CASE
        )
        for _ in range(10):  # warm: the cache holds the proposer, the group and the
            propose()  # counters, and each pooled connection has prepared the statements
        counts = []
        for _ in range(5):
            relay.count = 0
            propose()
            counts.append(relay.count)
    finally:
        app.close()
        relay.close()
    # The log read (the aggregate cache's catch-up) and the append: no ping, no
    # BEGIN/LOCK/NOTIFY/COMMIT of their own (the library's recorder took 8).
    assert max(counts) <= 2, counts


def test_concurrent_appends_are_committed_in_notification_order(pg_app: Caseflow) -> None:
    """Four writers append while a reader tails the log from its last position: the
    reader sees every event (none committed later under a lower id than one it passed)."""
    recorder = pg_app.recorder
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(60):
                recorder.insert_events(_events(2))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    seen: list[int] = []

    def tail() -> None:
        last = 0
        while True:
            done = stop.is_set()
            for n in recorder.select_notifications(start=last + 1, limit=500):
                seen.append(n.id)
                last = n.id
            if done:
                return

    writers = [threading.Thread(target=write) for _ in range(4)]
    reader = threading.Thread(target=tail)
    reader.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    stop.set()
    reader.join()
    assert errors == []
    everything = [n.id for n in recorder.select_notifications(start=1, limit=10_000)]
    assert len(everything) == 480
    assert seen == everything


def test_without_the_function_appends_use_the_library_transaction(pg_url: str) -> None:
    app, settings = open_application(pg_url, Settings())
    recorder = app.recorder
    assert isinstance(recorder, AppendingRecorder)
    assert settings.postgres_dsn is not None
    with psycopg.connect(settings.postgres_dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP FUNCTION {}.{}").format(
                sql.Identifier(recorder.datastore.schema),
                sql.Identifier(recorder.append_function_name),
            )
        )
    table = recorder.events_table_name
    app.close()
    # As a role that may not create it: a recorder whose tables are not created here.
    factory = Factory(settings.env)
    try:
        again = AppendingRecorder(factory.datastore, events_table_name=table)
        ids = again.insert_events(_events(2))
        assert again.appends_in_one_statement is False
        assert ids is not None
        assert len(ids) == 2
        assert [n.id for n in again.select_notifications(start=ids[0], limit=5)] == list(ids)
    finally:
        factory.close()


def test_a_healthy_idle_connection_is_handed_out_without_a_round_trip(pg_app: Caseflow) -> None:
    datastore: Any = pg_app.recorder.datastore
    with datastore.get_connection() as conn:
        before = conn.execute("SELECT 1").fetchone()
        assert before is not None
        pid = conn.info.backend_pid
        check_without_round_trip(conn)  # nothing to read: returns at once
    with datastore.get_connection() as conn:
        assert conn.info.backend_pid == pid or conn.info.backend_pid > 0


def test_terminated_connections_are_replaced(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server ends every session of the process (pg_terminate_backend, as a restart
    or a failover would): the next commands succeed on new connections."""
    name = f"cf-drop-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("PGAPPNAME", name)
    app, settings = open_application(pg_url, Settings())
    try:
        world = World.build(app)
        case = world.proposed(title="Før bruddet")
        assert settings.postgres_dsn is not None
        with psycopg.connect(settings.postgres_dsn, autocommit=True) as conn:
            conn.execute("SELECT set_config('application_name', 'cf-dropper', false)")
            killed = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                (name,),
            ).fetchall()
        assert killed
        time.sleep(0.2)
        after = world.proposed(title="Etter bruddet")
        view = app.get_case(world["sekretariat"], after.id)
        assert view.title == "Etter bruddet"
        assert app.get_case(world["sekretariat"], case.id).title == "Før bruddet"
    finally:
        app.close()


def test_reopening_leaves_the_append_function_alone(pg_url: str) -> None:
    """A process that opens a store whose append function is current does not replace it:
    ``CREATE OR REPLACE FUNCTION`` from two processes at once fails with "tuple
    concurrently updated" (gunicorn's workers starting beside ``caseflow project``, whose
    recorders the library opens outside the DDL lock)."""

    def function_row(app: Caseflow) -> tuple[str, str]:
        recorder = app.recorder
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:  # type: ignore[attr-defined]
            curs.execute(
                "SELECT p.xmin::text AS x, p.prosrc FROM pg_proc p JOIN pg_namespace n "
                "ON n.oid = p.pronamespace WHERE n.nspname = %s AND p.proname = %s",
                (recorder.datastore.schema, recorder.append_function_name),  # type: ignore[attr-defined]
            )
            row = curs.fetchone()
        assert row is not None
        return row["x"], row["prosrc"]

    first, _ = open_application(pg_url)
    try:
        before = function_row(first)
    finally:
        first.close()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_ONCE, pg_url], cwd=str(ROOT), stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    for p in processes:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    again, _ = open_application(pg_url)
    try:
        assert function_row(again) == before  # the same catalog row: not rewritten
        assert again.recorder.appends_in_one_statement  # type: ignore[attr-defined]
    finally:
        again.close()


OPEN_ONCE = """
import sys
from caseflow.persistence import open_application
app, _ = open_application(sys.argv[1])
app.close()
"""

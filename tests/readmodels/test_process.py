"""`caseflow project` as a process of its own: killed with SIGKILL in the middle of a batch
and started again, no row is missing and none is applied twice; on PostgreSQL the
supervisor reconnects after its connections are dropped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from caseflow.application import Caseflow
from caseflow.persistence import parse_database_url
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import CaseFilter
from tests.readmodels.replay import assert_matches_replay, varied_history
from tests.readmodels.test_exactly_once import _changes
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]


LOG = Path(os.environ.get("TMPDIR", "/tmp")) / f"caseflow-project-{os.getpid()}.log"


def spawn(store_url: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
    """``caseflow project ARGS`` in a process of its own (output appended to LOG)."""
    full = {**os.environ, **env}
    with LOG.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "caseflow.cli", "--database-url", store_url, "project", *args],
            cwd=ROOT,
            env=full,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def output() -> str:
    return LOG.read_text(errors="replace")[-3000:] if LOG.exists() else ""


def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=10)


def test_kill_9_in_the_middle_of_a_batch_then_restart(
    app: Caseflow,
    world: World,
    read: ReadModelService,
    store_url: str,
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    varied_history(world, tmp_path)
    end = app.recorder.max_notification_id()
    slow = spawn(
        store_url, "--once", CASEFLOW_PROJECTION_DELAY="0.01", CASEFLOW_PROJECTION_BATCH="40"
    )
    processes.append(slow)
    # Wait for the first committed batches, then kill while a later one is open.
    until(lambda: read.positions()["cases"] >= 40, 60, "a first batch")
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    assert slow.returncode == -signal.SIGKILL
    mid = read.positions()
    assert end is not None, "finished before it was killed"
    assert min(mid.values()) < end, "finished before it was killed"
    assert all(p % 40 == 0 or p == end for p in mid.values()), mid  # whole batches only

    again = spawn(store_url, "--once")
    processes.append(again)
    assert again.wait(timeout=120) == 0, output()
    assert_matches_replay(app, read)
    rows = read.cases(CaseFilter(per_page=100)).items
    assert all(_changes(read)[r.id.hex] == r.version for r in rows)


def test_follow_mode_keeps_up_and_stops_on_sigterm(
    app: Caseflow,
    world: World,
    read: ReadModelService,
    store_url: str,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    follower = spawn(store_url, "--poll", "0.1")
    processes.append(follower)
    world.advised(title="Fulgt av caseflow project")

    def at_end() -> bool:
        return min(read.positions().values()) >= (app.recorder.max_notification_id() or 0)

    until(at_end, 60, "the follower to catch up")
    assert read.cases(CaseFilter(q="fulgt av")).total == 1
    follower.send_signal(signal.SIGTERM)
    assert follower.wait(timeout=30) == 0, output()
    assert_matches_replay(app, read)


@pytest.mark.parametrize(
    "store_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_runner_follows_reconnects_and_survives_kill_9(
    app: Caseflow,
    world: World,
    read: ReadModelService,
    store_url: str,
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    assert parse_database_url(store_url).is_postgres
    appname = f"cf-project-{uuid.uuid4().hex[:8]}"
    runner = spawn(store_url, "--poll", "0.2", PGAPPNAME=appname)
    processes.append(runner)

    def at_end() -> bool:
        return min(read.positions().values()) >= (app.recorder.max_notification_id() or 0)

    until(at_end, 60, "the initial catch-up")
    until(read.runner_alive, 10, "the runner's heartbeat")
    world.advised(title="Følges av runneren")
    until(at_end, 30, "the runner to follow new events")
    assert read.cases(CaseFilter(q="runneren")).total == 1

    # Drop every connection of the runner process: the supervisor reconnects.
    import psycopg

    dsn = parse_database_url(store_url).postgres_dsn
    assert dsn is not None
    with psycopg.connect(dsn, autocommit=True) as conn:
        killed = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (appname,),
        ).fetchall()
    assert killed
    world.advised(title="Etter brudd i forbindelsen")
    until(at_end, 60, "the runner to reconnect and catch up")
    assert read.cases(CaseFilter(q="forbindelsen")).total == 1
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=30) == 0, output()

    # Kill -9 while the runner is inside slow per-event transactions, then restart.
    slow = spawn(store_url, "--poll", "0.2", CASEFLOW_PROJECTION_DELAY="0.05")
    processes.append(slow)
    varied_history(world, tmp_path / "more")
    until(lambda: read.positions()["audit"] > 0 and not at_end(), 30, "slow progress")
    time.sleep(0.5)
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    assert not at_end()
    again = spawn(store_url, "--once")
    processes.append(again)
    assert again.wait(timeout=120) == 0, output()
    assert_matches_replay(app, read)
    rows = read.cases(CaseFilter(per_page=100)).items
    assert all(_changes(read)[r.id.hex] == r.version for r in rows)


def test_the_projection_process_signs_digests_on_schedule_outside_the_database(
    app: Caseflow,
    world: World,
    read: ReadModelService,
    store_url: str,
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    """Hardening finding 2: `caseflow project` extends the chain and signs its head every
    CASEFLOW_DIGEST_MINUTES, into CASEFLOW_DIGEST_DIR (a place the database cannot write)."""
    from caseflow.ledger import Ledger
    from caseflow.ledger.digest import generate_key

    key = tmp_path / "audit.key"
    generate_key(key)
    digests = tmp_path / "digests"
    world.proposed(title="Før digesten")
    follower = spawn(
        store_url,
        "--poll",
        "0.1",
        CASEFLOW_AUDIT_KEY=str(key),
        CASEFLOW_DIGEST_DIR=str(digests),
        CASEFLOW_DIGEST_MINUTES="0.01",
    )
    processes.append(follower)
    until(lambda: any(digests.glob("*.json")), 60, "a digest file")
    world.proposed(title="Etter den første digesten")
    head = app.recorder.max_notification_id()

    def signed_head() -> bool:
        files = sorted(digests.glob("*.json"))
        return any(json.loads(f.read_text())["position"] == head for f in files)

    until(signed_head, 60, "a digest of the new head")
    follower.send_signal(signal.SIGTERM)
    assert follower.wait(timeout=30) == 0, output()
    result = Ledger(app, key_path=key).verify()
    assert result.ok, result.message

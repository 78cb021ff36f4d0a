"""Issue 18: ``caseflow publish einnsyn`` interrupted — ``kill -9`` while eInnsyn is
storing an object (its answer never read), eInnsyn too busy (429 with Retry-After), no
eInnsyn at all — loses nothing recorded and never sends an object twice (both stores)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseflow.archive.einnsyn.mapping import einnsyn_objects
from tests.archive.einnsyn_server import API_KEY, FakeEinnsyn, Spec, caseflow_cli
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(standards_dir: Path) -> Iterator[FakeEinnsyn]:
    fake = FakeEinnsyn(Spec(standards_dir / "einnsyn" / "einnsyn.openapi.yml"), API_KEY)
    fake.url = fake.start()  # type: ignore[attr-defined]
    try:
        yield fake
    finally:
        fake.release.set()
        fake.stop()


def published_world(app: Any) -> World:
    w = World.build(app)
    w.submitted(title="Regional plan for mobilitet")
    w.submitted(title="Innspill til nasjonal transportplan")
    app.send_invitation(w["sekretariat"], w.meetings["board"])
    return w


def publish(url: str, server: FakeEinnsyn, *extra: str) -> Any:
    return caseflow_cli(
        url,
        "publish",
        "einnsyn",
        "--url",
        server.url,  # type: ignore[attr-defined]
        "--backoff",
        "0",
        *extra,
        env={"CASEFLOW_EINNSYN_API_KEY": API_KEY},
    )


def assert_each_once(server: FakeEinnsyn, app: Any) -> None:
    held = server.by_system_id()
    assert {o.system_id for o in einnsyn_objects(app)} == set(held)
    assert [s for s, found in held.items() if len(found) != 1] == []


def test_kill_minus_nine_mid_request_then_a_rerun_sends_nothing_twice(
    app: Any, store_url: str, server: FakeEinnsyn
) -> None:
    published_world(app)
    server.failures = {4: "stall"}  # the 4th object is stored, its answer held back
    process = subprocess.Popen(
        [sys.executable, "-m", "caseflow.cli", "publish", "einnsyn", "--url", server.url],  # type: ignore[attr-defined]
        cwd=ROOT,
        env={**os.environ, "CASEFLOW_DATABASE_URL": store_url, "CASEFLOW_EINNSYN_API_KEY": API_KEY},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert server.reached.wait(60), "the publisher never reached the 4th object"
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)  # reaps it and closes its pipes
    server.release.set()
    assert len(server.objects) == 4
    result = publish(store_url, server)
    assert result.exit_code == 0, result.output
    lookups = [r for r in server.log if r.method == "GET"]
    assert len(lookups) == 1  # the one pending object, found by its externalId and adopted
    assert server.violations == []
    assert_each_once(server, app)


def test_too_many_requests_waits_and_goes_on(app: Any, store_url: str, server: FakeEinnsyn) -> None:
    published_world(app)
    server.failures = {3: "busy", 4: "busy"}
    result = publish(store_url, server)
    assert result.exit_code == 0, result.output
    assert server.violations == []
    assert_each_once(server, app)


def test_no_einnsyn_at_all_is_one_line_and_exit_1(sqlite_url: str) -> None:
    result = caseflow_cli(
        sqlite_url,
        "publish",
        "einnsyn",
        "--url",
        "http://127.0.0.1:9",
        "--retries",
        "1",
        "--backoff",
        "0",
        env={"CASEFLOW_EINNSYN_API_KEY": API_KEY, "CASEFLOW_LANGUAGE": "en"},
    )
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "/arkiv (arkiv Osloregionen IPR) failed" in lines[0]  # the request, the object
    assert "no answer" in lines[0]

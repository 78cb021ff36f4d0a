"""A bounded soak on PostgreSQL, as production runs: `gunicorn -w 2 'web:create_app()'` and
`caseflow project` as processes, 8 clients mixing reads and writes through the JSON API
for ``CASEFLOW_SOAK_SECONDS`` (default 60), one `kill -9` of `caseflow project` (restarted)
and one round of dropped database connections (every backend of these processes
terminated). At the end: no acknowledged write lost, none doubled, every read model equal
to a replay of the log, and the hash chain verified.

Every write carries a marker of its own (a proposal's title, an advice text), so the log
can be searched for it: an acknowledged write must be there exactly once; one that got no
answer (the connection dropped under it) may be there at most once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from caseflow.domain.case import Case
from caseflow.ledger import Ledger
from caseflow.persistence import open_application, parse_database_url
from caseflow.readmodels import open_read_models
from tests.conftest import POSTGRES_URL, postgres_schema
from tests.readmodels.replay import assert_matches_replay
from tests.smoke.started import BIN, caseflow, environment, served

SECONDS = float(os.environ.get("CASEFLOW_SOAK_SECONDS") or 60)
CLIENTS = 8

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@dataclass
class Tally:
    """What the clients asked for and what they were told."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: list[tuple[str, str]] = field(default_factory=list)  # (kind, marker)
    unanswered: list[tuple[str, str]] = field(default_factory=list)
    accepted: list[tuple[str, int]] = field(default_factory=list)  # (case id, version)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw or b"null")
            except ValueError:
                return e.code, raw.decode(errors="replace")


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema("soak_") as url:
        yield url


def start_projections(folder: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    with (folder / "project.log").open("a") as log:
        return subprocess.Popen(
            [str(BIN / "caseflow"), "project"],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )


def drop_connections(app_name: str) -> int:
    """Terminate every database backend of the soak's processes."""
    dsn = parse_database_url(POSTGRES_URL).postgres_dsn
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND pid <> pg_backend_pid()",
            (app_name,),
        ).fetchall()
    return len(rows)


def client(n: int, apis: dict[str, Api], atp: str, tally: Tally, stop: threading.Event) -> None:
    rng = random.Random(n)
    i = 0
    while not stop.is_set():
        i += 1
        roll = rng.random()
        kind: tuple[str, str] | None = None
        try:
            if roll < 0.25:
                marker = f"Soak {n}-{i} {uuid.uuid4().hex[:8]}"
                body = {
                    "title": marker,
                    "summary": "Skrevet under belastning.",
                    "kind": "board_case",
                    "group_id": atp,
                }
                kind = ("propose", marker)
                status, _ = apis["atp"].call("POST", "/api/v1/cases", body)
                ok = status == 201
            elif roll < 0.40:
                status, found = apis["kg"].call("GET", "/api/v1/cases?status=advice_requested")
                tally.count(status)
                items = found.get("items", []) if isinstance(found, dict) else []
                if not items:
                    continue
                case = rng.choice(items)
                marker = f"Råd {n}-{i} {uuid.uuid4().hex[:8]}"
                kind = ("advice", marker)
                status, _ = apis["kg"].call(
                    "POST",
                    f"/api/v1/cases/{case['id']}/advice",
                    {"stance": "supports", "text": marker},
                )
                ok = status == 200
            elif roll < 0.50:
                status, found = apis["sekretariat"].call("GET", "/api/v1/cases?status=proposed")
                tally.count(status)
                items = found.get("items", []) if isinstance(found, dict) else []
                if not items:
                    continue
                case = rng.choice(items)
                status, answer = apis["sekretariat"].call(
                    "POST", f"/api/v1/cases/{case['id']}/accept", {}
                )
                tally.count(status)
                if status == 200:
                    with tally.lock:
                        tally.accepted.append((answer["id"], int(answer["version"])))
                continue
            else:
                who = rng.choice(list(apis))
                paths = ["/api/v1/cases", "/api/v1/meetings", "/api/v1/me"]
                if who in ("sekretariat", "revisor"):
                    paths.append("/api/v1/audit")
                status, _ = apis[who].call("GET", rng.choice(paths))
                tally.count(status)
                continue
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            with tally.lock:
                tally.errors.append(f"{type(e).__name__}: {e}")
                if kind is not None:
                    tally.unanswered.append(kind)
            continue
        tally.count(status)
        with tally.lock:
            if ok:
                tally.acked.append(kind)
            else:
                tally.unanswered.append(kind)


def markers_in_log(pg_url: str) -> tuple[Counter[str], dict[str, dict[int, str]]]:
    """Every proposal title and advice text in the log (how often), and each case's event
    types by version."""
    app, _ = open_application(pg_url)
    seen: Counter[str] = Counter()
    versions: dict[str, dict[int, str]] = {}
    try:
        for cid in app.case_ids():
            for e in app.events.get(cid):
                versions.setdefault(str(cid), {})[e.originator_version] = type(e).__name__
                if isinstance(e, Case.Proposed):
                    seen[e.title] += 1
                elif isinstance(e, Case.AdviceGiven):
                    seen[e.text] += 1
    finally:
        app.close()
    return seen, versions


def test_soak_mixed_load_with_a_killed_projection_process_and_dropped_connections(
    tmp_path: Path, pg_url: str
) -> None:
    app_name = "caseflow-soak-" + uuid.uuid4().hex[:8]
    env = environment(pg_url, CASEFLOW_SECRET_KEY="soak-key", PGAPPNAME=app_name)
    caseflow(tmp_path, env, "demo", "--if-empty")
    tokens = {
        who: caseflow(tmp_path, env, "users", "token", f"{who}@demo.caseflow.no").split()[-1]
        for who in ("atp", "kg", "sekretariat", "revisor")
    }
    projections = start_projections(tmp_path, env)
    tally = Tally()
    stop = threading.Event()
    try:
        with served(tmp_path, env, gunicorn_workers=2) as server:
            apis = {who: Api(server.url, t) for who, t in tokens.items()}
            status, groups = apis["atp"].call("GET", "/api/v1/groups")
            assert status == 200, groups
            items = groups["items"] if isinstance(groups, dict) else groups
            atp = next(g["id"] for g in items if g["slug"] == "atp")
            threads = [
                threading.Thread(target=client, args=(n, apis, atp, tally, stop), daemon=True)
                for n in range(CLIENTS)
            ]
            for t in threads:
                t.start()
            time.sleep(SECONDS / 3)
            os.killpg(projections.pid, signal.SIGKILL)  # kill -9 of caseflow project
            projections.wait(10)
            projections = start_projections(tmp_path, env)
            time.sleep(SECONDS / 3)
            dropped = drop_connections(app_name)
            time.sleep(SECONDS / 3)
            stop.set()
            for t in threads:
                t.join(60)
            # The projection process gets the read models to the head of the log.
            app, settings = open_application(pg_url)
            try:
                read = open_read_models(app, settings, chain=False)
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    if min(read.positions().values()) >= read.head():
                        break
                    time.sleep(0.5)
                assert min(read.positions().values()) >= read.head(), read.positions()
                assert read.load_stops() == {}
                assert_matches_replay(app, read)
                verified = Ledger(app, settings).verify()
                assert verified.ok, verified.message
            finally:
                app.close()
    finally:
        stop.set()
        if projections.poll() is None:
            os.killpg(projections.pid, signal.SIGTERM)
            projections.wait(15)

    assert dropped > 0
    acked = [m for _, m in tally.acked]
    assert len(acked) > 20, (tally.statuses, tally.errors[:5])
    seen, versions = markers_in_log(pg_url)
    lost = [m for m in acked if seen[m] == 0]
    doubled = [m for m, n in seen.items() if m.startswith(("Soak ", "Råd ")) and n > 1]
    assert lost == [], f"acknowledged writes missing from the log: {lost[:5]}"
    assert doubled == [], f"writes stored twice: {doubled[:5]}"
    for case_id, version in tally.accepted:
        assert versions[case_id].get(version) == "Accepted", (case_id, version)
    print(
        f"soak: {sum(tally.statuses.values())} answers {dict(tally.statuses)}, "
        f"{len(acked)} acknowledged writes, {len(tally.accepted)} accepts, "
        f"{len(tally.unanswered)} refused or unanswered, {len(tally.errors)} connection "
        f"errors, {dropped} connections dropped"
    )

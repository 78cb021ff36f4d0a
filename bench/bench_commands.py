"""Where a command's time goes: propose, give advice and submit in ``command_latency``'s
setting (``bench/run.py``), timed against a raw INSERT interleaved sample by sample,
with the SQL statements (SQLite) or round trips (PostgreSQL) per command and an optional
cProfile.

    python bench/bench_commands.py [--store sqlite|postgres|both] [--n 150]
        [--profile] [--top 30] [--count] [--rounds 1]

Each round builds a fresh demo store and the same cases as ``command_latency``, then
takes, ``n`` times, a raw INSERT transaction and the command beside it (propose, then
advice, then submit), so each command sample has its own baseline measured a moment
before: the ratio of the medians is the figure, the range of the per-pair ratios shows
the noise. ``--count`` counts statements (SQLite, ``set_trace_callback`` on the
library's connections) or round trips (PostgreSQL, a relay in front of the server) for a
few commands of each kind after the timed ones.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import drop_pg_schema, median, percentile, pg_url  # noqa: E402
from bench.stores import build_demo_store  # noqa: E402

COMMANDS = ("propose", "give advice", "submit")
EVENTS = {"propose": 3, "give advice": 1, "submit": 3}


@dataclass
class Setting:
    """The application and the ids ``command_latency`` uses."""

    app: Any
    settings: Any
    atp_member: Any
    kg_member: Any
    officer: Any
    atp: Any
    board: Any
    asked: list[Any]
    ready: list[Any]

    def commands(self) -> dict[str, Callable[[], Any]]:
        from caseflow.domain.values import CaseKind, Stance

        asked, ready = iter(self.asked), iter(self.ready)
        app = self.app
        return {
            "propose": lambda: app.propose_case(
                self.atp_member, self.atp, "Benchmark-forslag", "Sammendrag.", CaseKind.BOARD_CASE
            ),
            "give advice": lambda: app.give_advice(
                self.kg_member, next(asked), Stance.SUPPORTS, "Støttes."
            ),
            "submit": lambda: app.submit_case(self.officer, next(ready), self.board),
        }


def prepare(url: str, n: int) -> Setting:
    """``command_latency``'s setup: the plain demo, ``2n`` cases asked for advice, half
    of them closed and ready, a board meeting; the application as composition roots open it."""
    from caseflow.demo.batch import BatchedCaseflow
    from caseflow.domain import clock
    from caseflow.domain.values import Document, MeetingBody
    from caseflow.persistence import open_application

    build_demo_store(url, years=0)
    app, settings = open_application(url)
    prep = BatchedCaseflow(env=dict(settings.env))
    atp_member = prep.find_person_id("atp@demo.caseflow.no")
    kg_member = prep.find_person_id("kg@demo.caseflow.no")
    kg_leader = prep.find_person_id("kg-leder@demo.caseflow.no")
    officer = prep.find_person_id("sekretariat@demo.caseflow.no")
    atp = prep.group_by_slug("atp").id
    doc = Document("Bakgrunn.", "Vurdering.", "Forslag til vedtak.", "Politisk involvering.")
    board = prep.schedule_meeting(
        officer, MeetingBody.BOARD, clock.now() + timedelta(days=60), "Oslo rådhus"
    ).id
    asked, ready = [], []
    for i in range(2 * n):
        case = prep.propose_case(atp_member, atp, f"Benchmark-sak {i}", "Sammendrag.")
        prep.accept_case(officer, case.id, officer)
        prep.draft_case(officer, case.id, doc)
        prep.request_advice(officer, case.id, (clock.now() + timedelta(days=14)).date())
        if i % 2:
            prep.close_advice(kg_leader, case.id, "KG støtter saken.")
            prep.mark_ready(officer, case.id)
            ready.append(case.id)
        else:
            asked.append(case.id)
    prep.flush()
    prep.close()
    return Setting(app, settings, atp_member, kg_member, officer, atp, board, asked, ready)


@contextlib.contextmanager
def raw_insert(settings: Any, backend: str, size: int, work: Path) -> Iterator[Callable[[], None]]:
    """One raw INSERT transaction of ``size`` bytes (``BEGIN``, ``INSERT``, ``COMMIT``;
    SQLite in WAL mode as the library, or PostgreSQL): the baseline of the commands'
    ratios here and in ``bench/run.py``'s ``command_latency``."""
    payload = os.urandom(size)
    if backend == "sqlite":
        import sqlite3

        conn = sqlite3.connect(str(work / f"raw-{uuid.uuid4().hex[:6]}.sqlite3"))
        conn.isolation_level = None
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE raw (id INTEGER PRIMARY KEY, originator_id TEXT, version INTEGER, "
            "topic TEXT, state BLOB)"
        )

        def one() -> None:
            conn.execute("BEGIN")
            conn.execute(
                "INSERT INTO raw (originator_id, version, topic, state) VALUES (?, 1, 't', ?)",
                (uuid.uuid4().hex, payload),
            )
            conn.execute("COMMIT")

        try:
            yield one
        finally:
            conn.close()
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(settings.postgres_dsn) as pconn:
        if settings.schema:
            pconn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(settings.schema)))
        pconn.execute(
            "CREATE TABLE IF NOT EXISTS bench_raw (id BIGSERIAL PRIMARY KEY, originator_id uuid, "
            "version bigint, topic text, state bytea)"
        )
        pconn.commit()

        def one_pg() -> None:
            pconn.execute(
                "INSERT INTO bench_raw (originator_id, version, topic, state) "
                "VALUES (%s, 1, 't', %s)",
                (uuid.uuid4(), payload),
            )
            pconn.commit()

        yield one_pg


def average_event_bytes(app: Any, after: int) -> float:
    notes = app.recorder.select_notifications(start=after + 1, limit=2000)
    return sum(len(n.state) for n in notes) / max(1, len(notes))


def clocked(fn: Callable[[], Any], cpu: list[float] | None = None) -> float:
    began, began_cpu = time.perf_counter(), time.thread_time()
    fn()
    if cpu is not None:
        cpu.append(time.thread_time() - began_cpu)
    return time.perf_counter() - began


def interleaved(
    setting: Setting, backend: str, n: int, work: Path, profile: cProfile.Profile | None
) -> dict[str, tuple[list[float], list[float], list[float]]]:
    """For each command, n pairs (raw INSERT seconds, command seconds), and the
    command's CPU seconds (this thread's)."""
    app = setting.app
    before = app.recorder.max_notification_id() or 0
    # The event size for the raw row, as command_latency measures it (after its runs):
    # here from one warm-up proposal, not timed.
    commands = setting.commands()
    out: dict[str, tuple[list[float], list[float], list[float]]] = {}
    event_bytes = 0.0
    for name in COMMANDS:
        run = commands[name]
        if name == "propose":
            run()
            event_bytes = average_event_bytes(app, before)
        size = int(event_bytes * EVENTS[name])
        raws: list[float] = []
        cmds: list[float] = []
        cpu: list[float] = []
        with raw_insert(setting.settings, backend, size, work) as raw:
            for _ in range(n):
                raws.append(clocked(raw))
                if profile is not None:
                    profile.enable()
                cmds.append(clocked(run, cpu))
                if profile is not None:
                    profile.disable()
        out[name] = (raws, cmds, cpu)
    return out


# -- counting statements and round trips -----------------------------------------------


@contextlib.contextmanager
def sqlite_statements(app: Any) -> Iterator[list[str]]:
    """Every SQL statement the library's SQLite connections run inside the block."""
    seen: list[str] = []
    pool = app.recorder.datastore.pool
    conns = [c._sqlite_conn for c in list(pool._pool)]
    for c in conns:
        c.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        for c in conns:
            c.set_trace_callback(None)


#: Cases left over after the timed commands, for :func:`count`.
SPARE = 12


def count(setting: Setting, backend: str, url: str, k: int = 5) -> dict[str, list[str]]:
    """The statements (SQLite) or round trips (PostgreSQL) of ``k`` commands of each
    kind, after ``SPARE - k`` of each: every connection of the pool (5) has then
    prepared the statements (psycopg prepares on a connection's first use, one more
    round trip)."""
    found: dict[str, list[str]] = {}
    tail = Setting(**setting.__dict__)
    tail.asked, tail.ready = setting.asked[-SPARE:], setting.ready[-SPARE:]
    warm = SPARE - k
    if backend == "sqlite":
        commands = tail.commands()
        for name in COMMANDS:
            commands[name]()  # the connections exist and are pooled
            for _ in range(warm - 1):
                commands[name]()
            with sqlite_statements(setting.app) as seen:
                for _ in range(k):
                    commands[name]()
            found[name] = [f"{len(seen) / k:g} statements per command", *seen[: len(seen) // k]]
        return found
    from caseflow.persistence import open_application
    from tests.persistence.roundtrips import RoundTripRelay

    relay = RoundTripRelay()
    try:
        app, _ = open_application(relay.url(url))
        commands = Setting(**{**tail.__dict__, "app": app}).commands()
        for name in COMMANDS:
            for _ in range(warm):  # warm: the pool's connections, prepared statements
                commands[name]()
            began = relay.count
            for _ in range(k):
                commands[name]()
            found[name] = [f"{(relay.count - began) / k:g} round trips per command"]
        app.close()
    finally:
        relay.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--n", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--count", action="store_true")
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    work = Path(tempfile.mkdtemp(prefix="caseflow-bench-commands-"))
    os.environ.setdefault("CASEFLOW_ATTACHMENTS_DIR", str(work / "attachments"))
    try:
        for backend in backends:
            for r in range(args.rounds):
                one_round(backend, r, args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def one_round(backend: str, r: int, args: Any, work: Path) -> None:
    schema = f"bench_cmd_{uuid.uuid4().hex[:6]}"
    url = f"sqlite:///{work}/commands-{r}.sqlite3" if backend == "sqlite" else pg_url(schema)
    setting = prepare(url, args.n + SPARE)
    try:
        profile = cProfile.Profile() if args.profile else None
        pairs = interleaved(setting, backend, args.n, work, profile)
        print(f"\n== {backend}, round {r + 1} (n={args.n}, load {os.getloadavg()[0]:.1f})")
        for name, (raws, cmds, cpu) in pairs.items():
            ratios = sorted(c / w for w, c in zip(raws, cmds, strict=True))
            print(
                f"{name:12s} p50 {median(cmds) * 1000:6.2f} ms  p99 "
                f"{percentile(cmds, 99) * 1000:6.2f} ms | raw p50 {median(raws) * 1000:5.2f} ms"
                f" | p50 ÷ raw p50 {median(cmds) / median(raws):4.2f}×"
                f" (pairs: median {median(ratios):4.2f}×, "
                f"{percentile(ratios, 10):4.2f}–{percentile(ratios, 90):4.2f}× p10–p90)"
                f" | CPU p10/p50 {percentile(cpu, 10) * 1000:4.2f}/{median(cpu) * 1000:4.2f} ms"
            )
        if args.count:
            for name, lines in count(setting, backend, url).items():
                print(f"-- {name}: " + "\n   ".join(lines))
        if profile is not None:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    finally:
        setting.app.close()
        if backend == "postgres":
            with contextlib.suppress(Exception):
                drop_pg_schema(schema)


if __name__ == "__main__":
    sys.exit(main())

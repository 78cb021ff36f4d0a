"""Projection rebuild throughput against the library's raw read-and-decode rate.

    python bench/bench_projections.py [--events N] [--store sqlite|postgres|both] [--json FILE]
    python bench/bench_projections.py --from-store /tmp/shared-stores/scale10.sqlite3 [--store …]

Builds a log of about N events (a small organisation through the application's commands,
then many cases in an open advice round whose KG members revise their advice again and
again) — or, with ``--from-store``, works on a *copy* of an existing SQLite store (the
demo at ``--scale 10``: about a million events; copied event by event to PostgreSQL for
``--store postgres``; the original is never written) — and measures in the same run, on
the same log:

- the raw read-and-decode rate: ``recorder.select_notifications`` + ``mapper.to_domain_event``
  over the whole log, in batches of 1000;
- the rebuild rate: ``caseflow rebuild`` of every read model (cases, audit, roles,
  meetings, search) into new tables, including the swap;

and prints both and their ratio (target >= 0.5), in wall-clock time and in the process's
CPU time (steadier on a shared machine), and how much of the rebuild was decoding.
``run(events, store, source=None) -> dict`` is the entry point for an orchestrator.
PostgreSQL: ``CASEFLOW_TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``), in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from caseflow.domain.case import Case  # noqa: E402
from caseflow.domain.permissions import Grant  # noqa: E402
from caseflow.domain.values import Stance  # noqa: E402
from caseflow.persistence import open_application, parse_database_url  # noqa: E402
from caseflow.readmodels import open_read_models  # noqa: E402
from tests.world import World  # noqa: E402

TARGET = 0.5
POSTGRES_URL = os.environ.get(
    "CASEFLOW_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REVISIONS_PER_SAVE = 50


def build_log(app: Any, events: int) -> int:
    """About ``events`` events: the test organisation, then advice revisions."""
    world = World.build(app)
    kg = world["kg"]
    grant = Grant(kg.hex, "kg:member", "follo")
    cases = max(1, events // 400)
    ids = [world.advice_requested(title=f"Benchmark-sak {i}").id for i in range(cases)]
    remaining = events - (app.recorder.max_notification_id() or 0)
    i = 0
    while remaining > 0:
        case = app.for_command(Case, ids[i % len(ids)])
        n = min(REVISIONS_PER_SAVE, remaining)
        for r in range(n):
            case.give_advice(Stance.SUPPORTS, f"Revisjon {r}", False, grant)
        app.save(case)
        remaining -= n
        i += 1
    return int(app.recorder.max_notification_id() or 0)


def raw_rate(app: Any) -> tuple[int, float]:
    """Read and decode the whole log: (events, seconds)."""
    started = time.perf_counter()
    position = 0
    count = 0
    while True:
        batch = app.recorder.select_notifications(start=position + 1, limit=1000)
        if not batch:
            break
        for n in batch:
            app.mapper.to_domain_event(n)
        count += len(batch)
        position = batch[-1].id
    return count, time.perf_counter() - started


def _url(store: str, tmp: Path) -> tuple[str, str | None]:
    if store == "sqlite":
        return f"sqlite:///{tmp}/bench.sqlite3", None
    schema = "bench_" + uuid.uuid4().hex[:10]
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}schema={schema}", schema


def _drop_schema(schema: str) -> None:
    import psycopg
    from psycopg import sql

    dsn = parse_database_url(POSTGRES_URL).postgres_dsn
    assert dsn is not None
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def run(events: int = 20_000, store: str = "sqlite", source: str | None = None) -> dict[str, Any]:
    """Build a log of about ``events`` events on ``store`` (or copy the SQLite store
    ``source``) and measure; returns the figures."""
    if store not in ("sqlite", "postgres"):
        raise ValueError("store must be sqlite or postgres")
    with tempfile.TemporaryDirectory() as tmp:
        url, schema = _url(store, Path(tmp))
        try:
            started = time.perf_counter()
            if source is not None:
                _copy_store(Path(source), url, Path(tmp))
            app, settings = open_application(url)
            if source is None:
                build_log(app, events)
            total = int(app.recorder.max_notification_id() or 0)
            built = time.perf_counter() - started
            try:
                return _measure(app, settings, total, store, built)
            finally:
                app.close()
        finally:
            if schema:
                _drop_schema(schema)


def _copy_store(source: Path, url: str, tmp: Path) -> None:
    """A copy of the SQLite store ``source`` at ``url`` (a file copy, or a copy of every
    event in log order into the PostgreSQL schema)."""
    import shutil

    from bench.stores import copy_sqlite_to_postgres

    copy = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    target = copy or tmp / "source.sqlite3"
    for suffix in ("", "-wal"):  # a log not yet checkpointed belongs to the store
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    if copy is None:
        copy_sqlite_to_postgres(target, url)


def _measure(app: Any, settings: Any, total: int, store: str, built: float) -> dict[str, Any]:
    read = open_read_models(app, settings, chain=False)
    raw_events, raw_seconds, raw_cpu = _timed_raw(app)
    decoding = [0.0]
    decode = read.decode

    def timed_decode(notifications: Any) -> Any:
        began = time.process_time()
        try:
            return decode(notifications)
        finally:
            decoding[0] += time.process_time() - began

    read.decode = timed_decode  # type: ignore[method-assign]
    started, cpu = time.perf_counter(), time.process_time()
    read.rebuild()
    rebuild_seconds = time.perf_counter() - started
    rebuild_cpu = time.process_time() - cpu
    raw2_events, raw2_seconds, raw2_cpu = _timed_raw(app)  # again, after: take the better
    raw_per_s = max(raw_events / raw_seconds, raw2_events / raw2_seconds)
    raw_cpu_per_s = max(raw_events / raw_cpu, raw2_events / raw2_cpu)
    rebuild_per_s = total / rebuild_seconds
    assert set(read.positions().values()) == {total}
    return {
        "store": store,
        "events": total,
        "build_seconds": round(built, 2),
        "raw_read_decode_events_per_s": round(raw_per_s),
        "rebuild_events_per_s": round(rebuild_per_s),
        "rebuild_seconds": round(rebuild_seconds, 2),
        "rebuild_cpu_seconds": round(rebuild_cpu, 2),
        "rebuild_decode_cpu_seconds": round(decoding[0], 2),
        "ratio": round(rebuild_per_s / raw_per_s, 3),
        "cpu_ratio": round((total / rebuild_cpu) / raw_cpu_per_s, 3),
        "target": TARGET,
        "meets_target": rebuild_per_s / raw_per_s >= TARGET,
    }


def _timed_raw(app: Any) -> tuple[int, float, float]:
    cpu = time.process_time()
    events, seconds = raw_rate(app)
    return events, seconds, max(time.process_time() - cpu, 1e-9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--from-store", default=None, help="a SQLite store to copy instead of building a log"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    stores = ("sqlite", "postgres") if args.store == "both" else (args.store,)
    results = []
    for store in stores:
        r = run(args.events, store, args.from_store)
        results.append(r)
        print(
            f"{store:8} {r['events']:>8} events"
            f"  raw read+decode {r['raw_read_decode_events_per_s']:>8}/s"
            f"  rebuild {r['rebuild_events_per_s']:>7}/s  ratio {r['ratio']:.2f}"
            f" (CPU {r['cpu_ratio']:.2f}; decoding {r['rebuild_decode_cpu_seconds']} of"
            f" {r['rebuild_cpu_seconds']} s)"
            f" (target >= {TARGET}) {'ok' if r['meets_target'] else 'BELOW TARGET'}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(r["meets_target"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

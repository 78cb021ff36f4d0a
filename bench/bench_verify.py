"""Verification throughput of the audit ledger on SQLite.

    python bench/bench_verify.py [--events N] [--json FILE]
    python bench/bench_verify.py --from-store STORE.sqlite3

Builds a SQLite log of N events (default 100 000; the issue's figure is produced with
``--events 1000000``) — or, with ``--from-store``, works on a *copy* of an existing store
(``bench/run.py`` passes its 1,000-case demo store: about 108,000 events, already chained)
—, chains it, then in the same run measures

- the raw read-and-decode rate: ``recorder.select_notifications`` + ``mapper.to_domain_event``
  over the whole log, in batches;
- the verify rate: ``Ledger.verify()`` (re-read the log, recompute the chain, compare it with
  the stored chain);

and prints their ratio (target >= 0.5) and peak memory: the Python heap peak during
verification (tracemalloc, in a separate pass so tracing does not slow the timed ones) and
the process's peak resident set size.

``run(events) -> dict`` is the entry point for an orchestrator.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from caseflow.domain.base import SYSTEM, CaseflowAggregate  # noqa: E402
from caseflow.ledger import Ledger  # noqa: E402
from caseflow.persistence import open_application  # noqa: E402

BATCH = 2000


class Meter(CaseflowAggregate):
    """A small aggregate: one event per reading."""

    class Read(CaseflowAggregate.Event):
        value: int

    def read(self, value: int) -> None:
        self.trigger_event(self.Read, value=value, actor=SYSTEM, role=SYSTEM, on_behalf_of=None)


def build(app: Any, events: int, per_aggregate: int = 10, batch: int = 5000) -> None:
    """Write ``events`` events fast: many small aggregates, saved ``batch`` events at a time."""
    written = 0
    pending: list[Meter] = []
    pending_events = 0
    while written < events:
        m = Meter._create(Meter.Created, actor=SYSTEM, role=SYSTEM, on_behalf_of=None)
        k = min(per_aggregate, events - written)
        for i in range(k - 1):
            m.read(i)
        pending.append(m)
        pending_events += k
        written += k
        if pending_events >= batch:
            app.save(*pending)
            pending, pending_events = [], 0
    if pending:
        app.save(*pending)


def read_and_decode(app: Any) -> int:
    """The baseline: read every notification and decode it into a domain event."""
    count = 0
    after: int | None = None
    while True:
        if after is None:
            page = app.recorder.select_notifications(start=None, limit=BATCH)
        else:
            page = app.recorder.select_notifications(
                start=after, limit=BATCH, inclusive_of_start=False
            )
        for n in page:
            app.mapper.to_domain_event(n)
        count += len(page)
        if len(page) < BATCH:
            return count
        after = page[-1].id


def run(
    events: int = 100_000, directory: str | None = None, source: str | None = None
) -> dict[str, Any]:
    """Measure on a new log of ``events`` events, or on a copy of the store ``source``."""
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        path = Path(tmp) / "bench.sqlite3"
        t = time.perf_counter()
        if source is not None:
            for suffix in ("", "-wal"):  # a log not yet checkpointed belongs to the store
                if Path(f"{source}{suffix}").exists():
                    shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
        app, settings = open_application(f"sqlite:///{path}")
        try:
            if source is None:
                build(app, events)
            else:
                events = int(app.recorder.max_notification_id() or 0)
            build_s = time.perf_counter() - t

            ledger = Ledger(app, settings, batch=BATCH)
            t = time.perf_counter()
            chained = ledger.catch_up()
            chain_s = time.perf_counter() - t

            t = time.perf_counter()
            decoded = read_and_decode(app)
            raw_s = time.perf_counter() - t

            t = time.perf_counter()
            result = ledger.verify(catch_up=False)
            verify_s = time.perf_counter() - t
            if not result.ok or result.events != events or decoded != events:
                raise RuntimeError(f"unexpected: {result}, decoded {decoded}")

            tracemalloc.start()
            try:
                ledger.verify(catch_up=False)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        finally:
            app.close()
    raw_rate = events / raw_s
    verify_rate = events / verify_s
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "store": "sqlite",
        "events": events,
        "chained": chained,
        "build_seconds": round(build_s, 3),
        "chain_seconds": round(chain_s, 3),
        "raw_read_decode_seconds": round(raw_s, 3),
        "verify_seconds": round(verify_s, 3),
        "raw_read_decode_events_per_s": round(raw_rate),
        "verify_events_per_s": round(verify_rate),
        "ratio_verify_to_raw": round(verify_rate / raw_rate, 3),
        "target_ratio": 0.5,
        "verify_peak_heap_mib": round(peak / 2**20, 2),
        "process_peak_rss_mib": round(rss_kib / 1024, 1),
        "head_position": result.head_position,
        "head_hash": result.head_hash,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--json", dest="json_file", default=None, help="write results here")
    parser.add_argument("--dir", default=None, help="where to put the temporary SQLite file")
    parser.add_argument("--from-store", default=None, help="a SQLite store to copy instead")
    args = parser.parse_args(argv)
    report = run(args.events, args.dir, args.from_store)
    for key, value in report.items():
        print(f"{key:32} {value}")
    ok = report["ratio_verify_to_raw"] >= report["target_ratio"]
    print("ratio target met" if ok else "ratio target NOT met")
    if args.json_file:
        Path(args.json_file).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_file).write_text(json.dumps(report, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

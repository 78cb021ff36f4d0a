"""A case's history and its as-of view against reading and decoding its events raw.

    python bench/bench_history.py [--postgres] [--rounds N] [--block K] [--before REV]
                                  [--profile]

Builds the plain demo (``build_demo_store(url, years=0)``) and, as ``bench/run.py``'s
``history_500`` does, a case with 500 events (advice revisions), then measures in the
same run, interleaved round by round:

- raw: ``recorder.select_events`` + ``mapper.to_domain_event`` of those 500 events;
- ``case_history(None, case)`` and ``case_history(None, case, as_of=<mid-history>)``;
- with ``--block K`` each round runs each call K times in a row (``bench/run.py`` times
  15 in a row) and keeps the block's median, else one call each, round-robin;
- with ``--before REV``: the same two calls through ``HistoryService`` as it was at
  ``REV`` (its module loaded from ``git show REV:caseflow/application/history.py``),
  on the same application, so before and after share the machine's noise.

Prints medians and ranges (ms) and each median's ratio to raw (target ≤ 3×), and the
same ratio of this process's CPU time (``time.process_time``: less moved by the other
processes sharing the machine; on PostgreSQL it leaves out the server's work).
``--profile`` prints a cProfile of 20 history calls and 20 as-of calls instead.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import drop_pg_schema, pg_url  # noqa: E402
from bench.stores import build_demo_store  # noqa: E402


def long_case(url: str, events: int = 500) -> tuple[Any, Any, Any]:
    """The application, the case id and the mid-history moment (``history_500``'s case)."""
    from caseflow.demo.batch import BatchedCaseflow
    from caseflow.domain.values import Document, Stance
    from caseflow.persistence import open_application

    app, settings = open_application(url)
    prep = BatchedCaseflow(env=dict(settings.env))
    kg = prep.group_by_slug("kg")
    advisers = [m.person_id for m in kg.members if m.role != "observer"]
    officer = prep.find_person_id("sekretariat@demo.caseflow.no")
    atp_member = prep.find_person_id("atp@demo.caseflow.no")
    case = prep.propose_case(
        atp_member, prep.group_by_slug("atp").id, "Sak med lang historikk", "S."
    )
    prep.accept_case(officer, case.id, officer)
    prep.draft_case(officer, case.id, Document("B", "V", "F", "P"))
    prep.request_advice(officer, case.id, date.today() + timedelta(days=30))
    version = prep.load_case(case.id).version
    i = 0
    while version < events:
        prep.give_advice(advisers[i % len(advisers)], case.id, Stance.SUPPORTS, f"Revisjon {i}.")
        version += 1
        i += 1
    prep.flush()
    prep.close()
    stored = app.recorder.select_events(case.id)
    middle = app.mapper.to_domain_event(stored[len(stored) // 2]).timestamp
    return app, case.id, middle


def service_at(rev: str, app: Any) -> Any:
    """``HistoryService`` as it was at ``rev``, on ``app`` (same core, queries, positions)."""
    source = subprocess.run(
        ["git", "show", f"{rev}:caseflow/application/history.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="history-before-")) / "history_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("history_before", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    service = module.HistoryService(app, app.case_queries)
    if app.history.log is not None:
        service.use_log_positions(app.history.log)
    return service


def measure(
    app: Any, case_id: Any, middle: Any, rounds: int, before: Any, block: int = 0
) -> dict[str, Any]:
    """Each call's median over ``rounds``; with ``block`` each round runs each call
    ``block`` times in a row and keeps the block's median (as ``bench/run.py`` times 15
    in a row), else one call each, round-robin. ``ratio_range``: the rounds' own ratios."""

    def raw() -> None:
        for stored in app.recorder.select_events(case_id):
            app.mapper.to_domain_event(stored)

    calls: dict[str, Callable[[], Any]] = {
        "raw": raw,
        "history": lambda: app.case_history(None, case_id),
        "as_of": lambda: app.case_history(None, case_id, as_of=middle),
    }
    if before is not None:
        calls["history_before"] = lambda: before.case_history(None, case_id)
        calls["as_of_before"] = lambda: before.case_history(None, case_id, as_of=middle)
    for fn in calls.values():  # warm: caches, imports, the store's pages
        fn()
    times: dict[str, list[float]] = {k: [] for k in calls}
    cpu: dict[str, list[float]] = {k: [] for k in calls}
    for _ in range(rounds):
        for name, fn in calls.items():
            wall, used = [], []
            for _ in range(max(block, 1)):
                began, began_cpu = time.perf_counter(), time.process_time()
                fn()
                wall.append(time.perf_counter() - began)
                used.append(time.process_time() - began_cpu)
            times[name].append(median(wall))
            cpu[name].append(median(used))
    raw_m, raw_cpu = median(times["raw"]), median(cpu["raw"])
    out: dict[str, Any] = {}
    for name, values in times.items():
        m = median(values)
        own = [v / r for v, r in zip(values, times["raw"], strict=True)]
        out[name] = {
            "median_ms": round(m * 1000, 2),
            "min_ms": round(min(values) * 1000, 2),
            "max_ms": round(max(values) * 1000, 2),
            "ratio": round(m / raw_m, 2),
            "ratio_range": [round(min(own), 2), round(max(own), 2)],
            # this process's CPU only (not the PostgreSQL server's): less moved by others
            "cpu_ratio": round(median(cpu[name]) / raw_cpu, 2),
        }
    return out


def profile(app: Any, case_id: Any, middle: Any) -> None:
    app.case_history(None, case_id)
    for label, call in (
        ("history", lambda: app.case_history(None, case_id)),
        ("as-of", lambda: app.case_history(None, case_id, as_of=middle)),
    ):
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(20):
            call()
        prof.disable()
        print(f"== {label} (20 calls)")
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def run(
    postgres: bool = False, rounds: int = 31, before: str | None = None, block: int = 0
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="caseflow-bench-history-"))
    schema = f"bench_history_{uuid.uuid4().hex[:6]}"
    url = pg_url(schema) if postgres else f"sqlite:///{work}/history.sqlite3"
    try:
        build_demo_store(url, years=0)
        app, case_id, middle = long_case(url)
        try:
            old = service_at(before, app) if before else None
            result = measure(app, case_id, middle, rounds, old, block)
        finally:
            app.close()
    finally:
        if postgres:
            drop_pg_schema(schema)
    backend = "postgres" if postgres else "sqlite"
    return {"backend": backend, "rounds": rounds, "block": block, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--before", help="a git revision: its HistoryService, interleaved")
    parser.add_argument("--block", type=int, default=0, help="each call N times in a row")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        work = Path(tempfile.mkdtemp(prefix="caseflow-bench-history-"))
        schema = f"bench_history_{uuid.uuid4().hex[:6]}"
        url = pg_url(schema) if args.postgres else f"sqlite:///{work}/history.sqlite3"
        try:
            build_demo_store(url, years=0)
            app, case_id, middle = long_case(url)
            profile(app, case_id, middle)
            app.close()
        finally:
            if args.postgres:
                drop_pg_schema(schema)
        return
    result = run(args.postgres, args.rounds, args.before, args.block)
    each = f"blocks of {args.block}" if args.block else "one call each"
    print(f"{result['backend']}, {result['rounds']} interleaved rounds, {each}")
    for name, figures in result.items():
        if isinstance(figures, dict):
            print(
                f"  {name:15} median {figures['median_ms']:7.2f} ms "
                f"(range {figures['min_ms']:.2f}–{figures['max_ms']:.2f})  "
                f"÷ raw {figures['ratio']:.2f}× (rounds {figures['ratio_range'][0]:.2f}–"
                f"{figures['ratio_range'][1]:.2f}, CPU {figures['cpu_ratio']:.2f}×)"
            )


if __name__ == "__main__":
    main()

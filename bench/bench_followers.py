"""What keeping every web process current costs, on SQLite and PostgreSQL.

    python bench/bench_followers.py [--n N] [--json FILE]

On the demo store (``caseflow demo``'s generator), in the same run:

- **freshen when nothing is new** (what every page does first: the log's head, compared
  with the positions this process knows) against a raw ``SELECT 1`` round trip through the
  same datastore: the ratio should stay near 1 (one indexed query);
- **a write seen from another process**: a second application proposes a case, then this
  process's ``freshen()`` catches up (what the next page of any worker pays), against the
  write itself;
- **the hash chain as a follower**: propose + read-your-writes with and without the chain
  (``open_read_models(chain=False)``), the ratio being what the chain adds per command.

``run(n) -> dict`` is the entry point for ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import POSTGRES_URL, median  # noqa: E402
from bench.stores import build_demo_store  # noqa: E402


def _p50_ms(values: list[float]) -> float:
    return round(median(values) * 1000, 3)


def _raw_select(read: Any) -> None:
    with read.projections["cases"].view.reading() as tx:
        tx.scalar("SELECT 1")


def measure(url: str, n: int) -> dict[str, Any]:
    from caseflow.domain.values import CaseKind
    from caseflow.persistence import open_application
    from caseflow.readmodels import open_read_models

    build_demo_store(url, years=0)
    app, settings = open_application(url)
    other, _ = open_application(url)
    try:
        atp_member = app.find_person_id("atp@demo.caseflow.no")
        atp = next(g.id for g in app.groups() if g.slug == "atp")
        with_chain = open_read_models(app, settings)
        without_chain = open_read_models(app, settings, chain=False)
        with_chain.start()

        raw, fresh = [], []
        for _ in range(n):
            t = time.perf_counter()
            _raw_select(with_chain)
            raw.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert with_chain.freshen()
            fresh.append(time.perf_counter() - t)

        writes, seen = [], []
        for i in range(max(n // 10, 20)):
            t = time.perf_counter()
            other.propose_case(atp_member, atp, f"Fra en annen prosess {i}", "Kort.")
            writes.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert with_chain.freshen()
            seen.append(time.perf_counter() - t)

        def command(read: Any, i: int) -> float:
            t = time.perf_counter()
            app.propose_case(atp_member, atp, f"Benchmark {i}", "Kort.", CaseKind.BOARD_CASE)
            read.wait_for(app.last_position)
            return time.perf_counter() - t

        plain, chained = [], []
        for i in range(max(n // 10, 20)):  # interleaved, so load drifts hit both alike
            plain.append(command(without_chain, 2 * i))
            chained.append(command(with_chain, 2 * i + 1))
    finally:
        other.close()
        app.close()
    return {
        "freshen_p50_ms": _p50_ms(fresh),
        "raw_select_p50_ms": _p50_ms(raw),
        "ratio_freshen_to_raw_select": round(median(fresh) / median(raw), 2),
        "other_process_write_p50_ms": _p50_ms(writes),
        "freshen_after_other_write_p50_ms": _p50_ms(seen),
        "command_read_models_p50_ms": _p50_ms(plain),
        "command_read_models_and_chain_p50_ms": _p50_ms(chained),
        "ratio_chain_cost": round(median(chained) / median(plain), 2),
    }


def run(n: int = 500, postgres: bool = True) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = measure(f"sqlite:///{tmp}/followers.sqlite3", n)
    if postgres:
        from bench.common import drop_pg_schema

        schema = "bench_f_" + uuid.uuid4().hex[:8]
        sep = "&" if "?" in POSTGRES_URL else "?"
        try:
            results["postgres"] = measure(f"{POSTGRES_URL}{sep}schema={schema}", n)
        finally:
            drop_pg_schema(schema)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", dest="json_file", default=None)
    args = parser.parse_args(argv)
    report = run(args.n, postgres=not args.no_postgres)
    for store, figures in report.items():
        for key, value in figures.items():
            print(f"{store:9} {key:40} {value}")
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

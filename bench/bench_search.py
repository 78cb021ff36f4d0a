"""What a full-text search costs against the case list it filters, on SQLite and
PostgreSQL.

    python bench/bench_search.py [--n N] [--years Y] [--no-postgres] [--json FILE]

On the demo store (``caseflow demo``'s generator), in the same run, p50 of:

- **search** (``ReadModelService.search``: the index's match, ranked, joined to the case
  list with its visibility filter, a page of 25 with snippets) for a board number
  ("Sak 62/26"), a word of a title and a word of a summary, as a KG member reads them;
- **the case list** (``cases()`` without ``q``: the first page of 25, same reader);
- **the old substring scan** (``LIKE`` over every row's text, as the list's ``q`` was
  answered before issue 15), for comparison.

It prints search ÷ case list (target: ≤ 3×) and scan ÷ search. ``run(n) -> dict`` is the
entry point for ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import POSTGRES_URL, median  # noqa: E402
from bench.stores import build_demo_store  # noqa: E402


def _timed(fn: Callable[[], Any], n: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return median(samples)


def _queries(read: Any, listed: Any) -> dict[str, str]:
    """A board number, a title word and a summary word of cases the reader sees."""
    from dataclasses import replace

    rows = read.cases(replace(listed, per_page=200)).items
    numbered = next(r for r in rows if r.board_number)
    words = [w for r in rows for w in r.title.split() if len(w) > 6 and w.isalpha()]
    with read.projections["search"].view.reading() as tx:
        summary = str(
            tx.scalar("SELECT summary FROM {t} WHERE case_id = ?", (rows[-1].id.hex,)) or ""
        )
    summary_word = max((w.strip(".,") for w in summary.split()), key=len)
    return {
        "board number": numbered.board_number,
        "title word": words[0],
        "summary word": summary_word,
    }


def measure(url: str, n: int, years: int = 0, *, build: bool = True) -> dict[str, Any]:
    """The figures on the store at ``url``: the demo at ``years`` built into it first,
    unless ``build`` is False (a store already there, e.g. ``bench/run.py``'s 10,000
    cases)."""
    from dataclasses import replace

    from caseflow.domain.permissions.visibility import case_visibility
    from caseflow.persistence import open_application
    from caseflow.readmodels import open_read_models
    from caseflow.readmodels.api import CaseFilter
    from caseflow.readmodels.case_list import query_cases

    if build:
        build_demo_store(url, years=years)
    app, settings = open_application(url)
    try:
        read = open_read_models(app, settings, chain=False)
        read.start()
        reader = app.find_person_id("kg@demo.caseflow.no")
        visible = case_visibility(app.actor(reader), app.kg_id())
        listed = CaseFilter(visible=visible, per_page=25)
        queries = _queries(read, listed)
        case_list = _timed(lambda: read.cases(listed), n)
        searches = {
            name: _timed(lambda q=q: read.search(replace(listed, q=q)), n)
            for name, q in queries.items()
        }
        hits = {name: read.search(replace(listed, q=q)).total for name, q in queries.items()}

        def scan(q: str) -> None:
            with read.projections["cases"].view.reading() as tx:
                query_cases(tx, replace(listed, q=q))

        scans = {name: _timed(lambda q=q: scan(q), n) for name, q in queries.items()}
        cases = read.cases(CaseFilter(per_page=1)).total
    finally:
        app.close()
    search = median(list(searches.values()))
    return {
        "cases": cases,
        "queries": queries,
        "hits": hits,
        "case_list_p50_ms": round(case_list * 1000, 3),
        "search_p50_ms": {k: round(v * 1000, 3) for k, v in searches.items()},
        "substring_scan_p50_ms": {k: round(v * 1000, 3) for k, v in scans.items()},
        "ratio_search_to_case_list": round(search / case_list, 2),
        "ratio_scan_to_search": round(median(list(scans.values())) / search, 2),
    }


def run(n: int = 50, postgres: bool = True, years: int = 0) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = measure(f"sqlite:///{tmp}/search.sqlite3", n, years)
    if postgres:
        from bench.common import drop_pg_schema

        schema = "bench_s_" + uuid.uuid4().hex[:8]
        sep = "&" if "?" in POSTGRES_URL else "?"
        try:
            results["postgres"] = measure(f"{POSTGRES_URL}{sep}schema={schema}", n, years)
        finally:
            drop_pg_schema(schema)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--years", type=int, default=0, help="the demo's scale (0: plain)")
    parser.add_argument("--json", dest="json_file", default=None)
    args = parser.parse_args(argv)
    report = run(args.n, postgres=not args.no_postgres, years=args.years)
    for store, figures in report.items():
        for key, value in figures.items():
            print(f"{store:9} {key:28} {value}")
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Page figures of issue 19 for ``bench/run.py``, beside its section 4 (pages under load):

- the status overview and the audit trail **built on every request**
  (``CASEFLOW_PAGE_CACHE=0``: what the first request after a write pays), under the same
  load as the pages served from ``web/page_cache.py``, against ``/healthz`` of that server;
- the public pages' **conditional GET** (issue 18's ``/offentlig/``: ETag from the log's
  head): the 304 path's throughput as a share of ``/healthz``'s under the same load
  (target ≥ 0.5), and a full render's p99 ÷ ``/healthz`` p99 (target ≤ 8×);
- **search at 10,000 cases** on the benchmark's own 10,000-case store
  (``bench/bench_search.py``'s measurement, without building a store of its own);
- a prebuilt store copied instead of generated (``--store-10k PATH``: a SQLite file written
  by ``bench.stores.build_demo_store``, e.g. ``/tmp/shared-stores/scale10.sqlite3``),
  read through SQLite's backup API with the source opened read-only.
"""

from __future__ import annotations

import sqlite3
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import Row, ratio_row, unavailable

#: The issue's target for a page's p99 under load as a multiple of ``/healthz``'s p99.
PAGE_TARGET = 8.0
#: The 304 path's requests/s as a share of ``/healthz``'s, under the same load.
NOT_MODIFIED_TARGET = 0.5
PUBLIC = "/offentlig/"


def copy_store(source: Path, target: Path) -> dict[str, Any]:
    """Copy a prebuilt SQLite store (never written: opened read-only) to ``target``; its
    figures as ``build_demo_store`` reports them (events, cases; no generation time)."""
    began = time.perf_counter()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
        events = int(src.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0] or 0)
        cases = int(
            src.execute(
                "SELECT COUNT(*) FROM stored_events WHERE topic LIKE '%:Case.Proposed'"
            ).fetchone()[0]
        )
    finally:
        dst.close()
        src.close()
    return {
        "cases": cases,
        "events": events,
        "seconds": round(time.perf_counter() - began, 1),
        "copied_from": str(source),
    }


def etag_of(url: str) -> str | None:
    """The ETag a full GET of ``url`` answers with (None: no such page, or no ETag)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            resp.read()
            return resp.headers.get("ETag")
    except (urllib.error.URLError, OSError):
        return None


def status_with(url: str, headers: dict[str, str]) -> int:
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except (urllib.error.URLError, OSError):
        return 0


def conditional_get_rows(
    section: str, base: str, trivial: dict[str, float], load: Any, server: str
) -> list[Row]:
    """The public start page under load: with a matching ``If-None-Match`` (304) and
    without (a full render), against ``trivial`` (``/healthz``'s wrk figures) measured
    on the same server; ``load(url, headers)`` runs wrk."""
    etag = etag_of(base + PUBLIC)
    if etag is None:
        return [unavailable(section, f"{PUBLIC} does not answer 200 with an ETag")]
    if status_with(base + PUBLIC, {"If-None-Match": etag}) != 304:
        return [unavailable(section, f"{PUBLIC} does not answer 304 to its own ETag")]
    not_modified = load(base + PUBLIC, {"If-None-Match": etag})
    full = load(base + PUBLIC, {})
    share = not_modified["rps"] / max(trivial["rps"], 1e-9)
    return [
        Row(
            section,
            f"{PUBLIC} 304 (If-None-Match) throughput",
            round(not_modified["rps"]),
            "req/s",
            note=f"p99 {not_modified['p99_ms']:.1f} ms; /healthz {trivial['rps']:.0f} req/s",
        ),
        ratio_row(
            section,
            f"{PUBLIC} 304 req/s ÷ /healthz req/s",
            share,
            NOT_MODIFIED_TARGET,
            at_most=False,
            note=server,
        ),
        Row(
            section,
            f"{PUBLIC} full render p99",
            round(full["p99_ms"], 2),
            "ms",
            note=f"{full['rps']:.0f} req/s",
        ),
        ratio_row(
            section,
            f"{PUBLIC} full render p99 / trivial p99",
            full["p99_ms"] / trivial["p99_ms"],
            PAGE_TARGET,
        ),
    ]


def search_rows(url: str, backend: str, cases: int, n: int = 20) -> list[Row]:
    """Search ÷ the case list on an existing, caught-up store (bench/bench_search.py)."""
    from bench.bench_search import measure

    section = f"search ({backend}, {cases:,} cases)"
    found = measure(url, n, build=False)
    searches = found["search_p50_ms"]
    return [
        Row(section, "case list p50 (page of 25)", found["case_list_p50_ms"], "ms"),
        Row(
            section,
            "search p50 (board number / title word / summary word)",
            max(searches.values()),
            "ms",
            note=" / ".join(f"{v:g}" for v in searches.values())
            + " ms; hits "
            + " / ".join(str(h) for h in found["hits"].values()),
        ),
        ratio_row(
            section,
            "search ÷ case list (p50, page of 25)",
            found["ratio_search_to_case_list"],
            3.0,
        ),
    ]

"""Caseflow's benchmark suite: one command, one table, one JSON file.

    python bench/run.py [--quick] [--duration S] [--no-postgres] [--json FILE]

Sections (each figure beside its target; "met", "gap", or "n/a" with the reason):

1. command latency (propose, give advice, submit) p50/p99 on SQLite and PostgreSQL, and the
   ratio of p50 to a raw single-row INSERT transaction of the same size (sqlite3/psycopg)
   measured in the same run (target ≤ 3×);
2. status overview and audit trail pages under concurrent load (wrk) against gunicorn with
   several workers on PostgreSQL and the development server on SQLite, at 1,000 and 10,000
   cases, p50/p99 and the ratio of p99 to ``/healthz`` of the same server (target ≤ 8×),
   served from the page cache and built on every request (``CASEFLOW_PAGE_CACHE=0``); the
   public pages' conditional GET (304 req/s ÷ ``/healthz`` req/s ≥ 0.5, a full render's p99
   ≤ 8×; ``bench/bench_pages.py``); search at 10,000 cases; the web workers' peak memory
   at both sizes (target: flat);
3. a case with 500 events: history and as-of view vs decoding those events raw (≤ 3×);
4. projection rebuild and audit verify events/s vs raw read-and-decode
   (``bench/bench_projections.py`` and ``bench/bench_verify.py``, when present);
5. peak memory of the projection process catching up 1 million events;
6. followers (``bench/bench_followers.py``): the freshness check every page makes against a
   raw ``SELECT 1`` (target ≤ 2×), the next page after another process's write, and what the
   hash chain adds to a command with read-your-writes (target ≤ 1.5×);
7. search (``bench/bench_search.py``): a full-text search ÷ the case list's first page,
   same reader, on the demo (target ≤ 3×).

The 10,000-case store is the demo at ``--scale 10`` (about a million events; ``--store-10k
PATH`` copies a prebuilt one instead of generating it); ``--quick`` skips it, and the first
page after ``git clone`` + ``make run`` (``bench/bench_first_page.py``), and says so.
Everything listens on 127.0.0.1 only; every load run is bounded in time. Writes
``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Row,
    children,
    drop_pg_schema,
    median,
    peak_rss_mb,
    percentile,
    pg_url,
    postgres_available,
    ratio_row,
    timed,
    unavailable,
)
from bench.stores import (  # noqa: E402
    build_demo_store,
    catch_up_in_subprocess,
    copy_sqlite_to_postgres,
    issue_token,
)

RESULTS = ROOT / "bench" / "results"
TRIVIAL_ROUTES = ("/healthz", "/login")
#: Seconds a server may take to answer its first page (it catches up what is behind).
SERVER_START = 300

#: The hash chain (a follower of the log) brought to the head in a process of its own,
#: beside the projections' catch-up and before any server starts: a server starting
#: behind catches it up first, and answers ``/healthz`` with 503 until it has.
FOLLOWERS = """
import json, sys, time
from caseflow.persistence import open_application
from caseflow.readmodels import open_read_models
from caseflow.readmodels import ChainFollower
app, settings = open_application(sys.argv[1])
began = time.perf_counter()
ChainFollower(app, settings).catch_up()  # the projections are the catch-up child's
print(json.dumps({"seconds": time.perf_counter() - began}))
"""


def followers_caught_up(url: str) -> float:
    """Seconds the hash chain took to reach the head of the log (a child process)."""
    out = subprocess.run(
        [sys.executable, "-c", FOLLOWERS, url],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
        timeout=3600,
    )
    if out.returncode != 0:
        raise RuntimeError(f"followers' catch-up failed: {out.stderr.strip().splitlines()[-1:]}")
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


# -- 1. command latency --------------------------------------------------------------------


def command_latency(url: str, backend: str, n: int, work: Path) -> list[Row]:
    """p50/p99 of propose, give advice and submit; ratio to a raw INSERT transaction of
    the same bytes taken just before each sample (``bench_commands.interleaved``: on a
    shared machine a baseline measured minutes apart moves with the others' load)."""
    from bench.bench_commands import interleaved, prepare

    section = f"commands ({backend})"
    setting = prepare(url, n)
    try:
        pairs = interleaved(setting, backend, n, work, None)
    finally:
        setting.app.close()

    rows: list[Row] = []
    for name, (raws, cmds, cpu) in pairs.items():
        p50, p99, raw50 = median(cmds), percentile(cmds, 99), median(raws)
        rows.append(Row(section, f"{name} p50", round(p50 * 1000, 2), "ms"))
        rows.append(Row(section, f"{name} p99", round(p99 * 1000, 2), "ms"))
        rows.append(
            ratio_row(
                section,
                f"{name} p50 / raw INSERT p50",
                p50 / raw50,
                3,
                note=f"raw {raw50 * 1000:.2f} ms beside each sample; "
                f"CPU p50 {median(cpu) * 1000:.2f} ms",
            )
        )
    return rows


#: (stage, seconds) of this run, in order: where the benchmark's own time goes.
STAGES: list[tuple[str, float]] = []
_stage_began: list[float] = []


def stage(console: Any, title: str) -> None:
    """Print the next stage's title; the time since the last one is the last stage's."""
    now = time.monotonic()
    close_stage(now)
    STAGES.append((title, 0.0))
    _stage_began[:] = [now]
    console.print(f"[bold]{title}[/bold]")


def close_stage(now: float | None = None) -> None:
    """Record the running stage's time (at the end of the run, or when the next begins)."""
    now = time.monotonic() if now is None else now
    if STAGES and _stage_began:
        title, _ = STAGES[-1]
        STAGES[-1] = (title, round(now - _stage_began[0], 1))
        _stage_began.clear()


def failed(section: str, error: BaseException) -> Row:
    return Row(section, "failed", None, "", "", "n/a", f"{type(error).__name__}: {error}"[:300])


def guarded(section: str, fn: Any, *args: Any) -> list[Row]:
    """The rows of ``fn(*args)``, or one row saying why it failed."""
    try:
        rows: list[Row] = fn(*args)
    except Exception as e:
        return [failed(section, e)]
    return rows


# -- 2. pages under load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(
    url: str, backend: str, workers: int, work: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """The web app on 127.0.0.1: gunicorn with ``workers`` on PostgreSQL, the development
    server on SQLite. Yields the base URL and the server's pid."""
    port = free_port()
    env = {
        **os.environ,
        "CASEFLOW_DATABASE_URL": url,
        "CASEFLOW_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "PYTHONPATH": str(ROOT),
        **(extra_env or {}),
    }
    bindir = Path(sys.executable).parent
    if backend == "postgres":
        gunicorn = shutil.which("gunicorn", path=str(bindir)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise RuntimeError("gunicorn is not installed")
        cmd = [gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120"]
        cmd.append("web:create_app()")
    else:
        cmd = [
            sys.executable,
            "-m",
            "caseflow.cli",
            "--database-url",
            url,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
    log = (work / f"server-{backend}-{port}.log").open("w")
    proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited; see {log.name}")
            try:
                urllib.request.urlopen(base + "/login", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        else:
            raise RuntimeError(f"the server did not start within {SERVER_START} s")
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def status_of(url: str, token: str | None) -> int:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except (urllib.error.URLError, OSError):
        return 0  # no answer: reset, timed out, or refused


_LATENCY = re.compile(r"^\s+(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(
    url: str,
    token: str | None,
    duration: int,
    connections: int,
    headers: dict[str, str] | None = None,
) -> dict[str, float]:
    """Latency percentiles (ms) and requests/s of a bounded wrk run."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*cmd, url], capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    found = {int(p): float(v) * scale[u] for p, v, u in _LATENCY.findall(out)}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {
        "timeouts": float(timeouts.group(1)) if timeouts else 0.0,
        "p50_ms": found.get(50, float("nan")),
        "p99_ms": found.get(99, float("nan")),
        "rps": float(rps.group(1)) if rps else 0.0,
        "non_2xx": float(bad.group(1)) if bad else 0.0,
    }


def pages_under_load(
    url: str, backend: str, cases: int, args: argparse.Namespace, work: Path
) -> tuple[list[Row], float | None]:
    """Overview and audit trail vs a trivial route, served from the page cache (as they
    are) and built on every request (``CASEFLOW_PAGE_CACHE=0``, each against the
    ``/healthz`` of its own server), and the public pages' conditional GET; returns rows
    and the web worker's peak RSS (of the first server)."""
    sec_token = issue_token(url, "sekretariat@demo.caseflow.no")
    aud_token = issue_token(url, "revisor@demo.caseflow.no")
    tokens = (sec_token, aud_token)
    rows, peak = _pages_run(url, backend, cases, args, work, tokens, cached=True)
    built, _ = _pages_run(url, backend, cases, args, work, tokens, cached=False)
    return rows + built, peak


def _baseline_route(base: str, wait: float = 60.0) -> str | None:
    """``/healthz`` once it answers 200 (a worker still catching up at start answers 503
    for a moment), else the login page."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if status_of(base + TRIVIAL_ROUTES[0], None) == 200:
            return TRIVIAL_ROUTES[0]
        time.sleep(0.5)
    return next((r for r in TRIVIAL_ROUTES if status_of(base + r, None) == 200), None)


def _pages_run(
    url: str,
    backend: str,
    cases: int,
    args: argparse.Namespace,
    work: Path,
    tokens: tuple[str, str],
    *,
    cached: bool,
) -> tuple[list[Row], float | None]:
    from bench.bench_pages import PAGE_TARGET, conditional_get_rows

    section = f"pages ({backend}, {cases:,} cases)"
    if not cached:
        section += ", built every request"
    server = "gunicorn" if backend == "postgres" else "dev server"
    sec_token, aud_token = tokens
    rows: list[Row] = []
    extra_env = None if cached else {"CASEFLOW_PAGE_CACHE": "0"}
    with serving(url, backend, args.workers, work, extra_env) as (base, pid):
        trivial = _baseline_route(base)
        if trivial is None:
            return [unavailable(section, "no trivial route answers 200")], None
        note = "" if trivial == "/healthz" else "no /healthz: the login page is the baseline"
        pages: dict[str, tuple[str, str | None]] = {
            "status overview /": ("/", sec_token),
            "audit trail /audit": ("/audit", aud_token),
        }
        for name, (path, token) in pages.items():
            code = status_of(base + path, token)
            if code != 200:
                rows.append(unavailable(section, f"{path} answered {code}"))
                pages[name] = ("", None)
        base_run = wrk(base + trivial, sec_token, args.duration, args.connections)
        rows.append(
            Row(section, f"trivial {trivial} p99", round(base_run["p99_ms"], 2), "ms", note=note)
        )
        for name, (path, token) in pages.items():
            if not path:
                continue
            result = wrk(base + path, token, args.duration, args.connections)
            rows.append(Row(section, f"{name} p50", round(result["p50_ms"], 2), "ms"))
            rows.append(
                Row(
                    section,
                    f"{name} p99",
                    round(result["p99_ms"], 2),
                    "ms",
                    note=f"{result['rps']:.0f} req/s, {server}, {args.connections} connections"
                    + (f", {result['non_2xx']:.0f} non-2xx" if result["non_2xx"] else "")
                    + (
                        f", {result['timeouts']:.0f} timed out (>10 s)"
                        if result["timeouts"]
                        else ""
                    ),
                )
            )
            rows.append(
                ratio_row(
                    section,
                    f"{name} p99 / trivial p99",
                    result["p99_ms"] / base_run["p99_ms"],
                    PAGE_TARGET,
                )
            )
        if cached:  # issue 18's public pages: the 304 path and a full render, same load
            rows += conditional_get_rows(
                f"public pages ({backend}, {cases:,} cases)",
                base,
                base_run,
                lambda u, h: wrk(u, None, args.duration, args.connections, h),
                f"{server}, {args.connections} connections",
            )
        workers = children(pid) if backend == "postgres" else [pid]
        peaks = [p for p in (peak_rss_mb(w) for w in workers) if p is not None]
    return rows, max(peaks) if peaks else None


# -- 3. history of a 500-event case ----------------------------------------------------------


def history_500(url: str, backend: str) -> list[Row]:
    from bench.bench_history import long_case

    section = f"history ({backend})"
    app, case_id, middle = long_case(url, 500)

    def raw() -> None:
        for stored in app.recorder.select_events(case_id):
            app.mapper.to_domain_event(stored)

    raw_t = median(timed(raw, 15))
    hist_t = median(timed(lambda: app.case_history(None, case_id), 15))
    asof_t = median(timed(lambda: app.case_history(None, case_id, as_of=middle), 15))
    app.close()
    return [
        Row(section, "raw read+decode of 500 events", round(raw_t * 1000, 2), "ms"),
        Row(section, "history view", round(hist_t * 1000, 2), "ms"),
        ratio_row(section, "history / raw decode", hist_t / raw_t, 3),
        Row(section, "as-of view (mid-history)", round(asof_t * 1000, 2), "ms"),
        ratio_row(section, "as-of / raw decode", asof_t / raw_t, 3),
    ]


# -- 4. projections and verify (other modules) ---------------------------------------------------


def delegated(module: str, section: str, **kwargs: Any) -> tuple[list[Row], dict[str, Any]]:
    try:
        mod = importlib.import_module(f"bench.{module}")
    except ImportError as e:
        return [unavailable(section, f"bench/{module}.py: {e}")], {}
    run = getattr(mod, "run", None)
    if run is None:
        return [unavailable(section, f"bench/{module}.py has no run()")], {}
    result: dict[str, Any] = run(**kwargs)
    rows = []
    target = TARGETS[section]
    for key, value in _flatten(result).items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        k = key.lower()
        if k.startswith("target") or k.endswith(".target"):
            continue
        if "ratio" in k:
            rows.append(ratio_row(section, key, float(value), target, at_most=False))
        else:
            rows.append(Row(section, key, round(float(value), 3), ""))
    return rows, result


def followers(pg: bool, n: int) -> tuple[list[Row], dict[str, Any]]:
    """bench/bench_followers.py: the per-page freshness check against a raw ``SELECT 1``,
    and what the hash chain adds to a command with read-your-writes."""
    from bench.bench_followers import run as run_followers

    result = run_followers(n=max(n, 200), postgres=pg)
    rows: list[Row] = []
    for store, f in result.items():
        section = f"followers ({store})"
        rows.append(
            ratio_row(
                section,
                "freshen (nothing new) ÷ raw SELECT 1",
                f["ratio_freshen_to_raw_select"],
                2.0,
                note=f"{f['freshen_p50_ms']} ms p50: one indexed query per page",
            )
        )
        rows.append(
            Row(
                section,
                "next page after another process's write, p50",
                f["freshen_after_other_write_p50_ms"],
                "ms",
                status="info",
                note=f"the write itself {f['other_process_write_p50_ms']} ms",
            )
        )
        rows.append(
            ratio_row(
                section,
                "command + read models + chain ÷ command + read models",
                f["ratio_chain_cost"],
                1.5,
                note=f"{f['command_read_models_and_chain_p50_ms']} vs "
                f"{f['command_read_models_p50_ms']} ms p50",
            )
        )
    return rows, result


def search(pg: bool) -> tuple[list[Row], dict[str, Any]]:
    """bench/bench_search.py: search (board number, title word, summary word) ÷ the case
    list's first page, as the demo's KG member reads them."""
    from bench.bench_search import run as run_search

    result = run_search(n=30, postgres=pg)
    rows = [
        ratio_row(
            f"search ({store})",
            "search ÷ case list (p50, page of 25)",
            f["ratio_search_to_case_list"],
            3.0,
            note=f"case list {f['case_list_p50_ms']} ms; search {f['search_p50_ms']}",
        )
        for store, f in result.items()
    ]
    return rows, result


def first_page_rows(extra: dict[str, Any]) -> list[Row]:
    """bench/bench_first_page.py: ``git clone`` + ``make run`` until the login form
    answers, against ``python3 -m venv`` alone in the same run."""
    from bench.bench_first_page import run as run_first_page

    found = extra["first_page"] = run_first_page()
    steps = ", ".join(f"{k} at {v} s" for k, v in found["steps_started_at_s"].items())
    return [
        Row(
            "first page",
            "git clone + make run → login form answers",
            found["first_page_s"],
            "s",
            status="info",
            note=f"clone {found['clone_s']} s; {steps}",
        ),
        Row(
            "first page",
            "÷ python3 -m venv alone (baseline)",
            found["ratio_first_page_to_venv"],
            "×",
            status="info",
            note=f"venv alone {found['baseline_venv_s']} s",
        ),
    ]


#: The issue's targets for the delegated sections: rebuild and verify rates as a share of
#: the raw read-and-decode rate of the log.
TARGETS = {"rebuild": 0.5, "verify": 0.5}


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


# -- the whole run ------------------------------------------------------------------------------


def _scale_rows(
    backend: str,
    url: str,
    scale: tuple[int, int],
    built: dict[str, Any],
    args: argparse.Namespace,
    work: Path,
    console: Any,
    peaks: dict[int, float | None],
) -> list[Row]:
    """The figures of one store at ``scale`` (years, cases) on ``backend``: projection
    catch-up (and its memory at 10 years), then pages under load when wrk is there, with the
    web worker's peak RSS (also kept in ``peaks`` by number of cases)."""
    years, cases = scale
    rows: list[Row] = []
    # The chain is another follower with a process of its own (as a server's): it catches up
    # beside the projections, on the other core (the run's time, issue 19).
    beside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chain")
    chain = beside.submit(followers_caught_up, url) if shutil.which("wrk") else None
    beside.shutdown(wait=False)
    try:
        caught = catch_up_in_subprocess(url, {})
    except Exception as e:
        if chain is not None:
            chain.exception()  # wait for it; its failure is this one's
        return [failed(f"catch-up ({backend})", e)]
    rate = caught["events"] / max(caught["seconds"], 1e-9)
    rows.append(
        Row(
            f"catch-up ({backend}, {built['events']:,} events)",
            "projection catch-up",
            round(rate),
            "events/s",
            note=f"{caught['seconds']:.1f} s, the hash chain catching up beside it",
        )
    )
    if years == 10:
        rows.append(
            Row(
                f"memory ({backend}, {built['events']:,} events)",
                "projection process peak RSS",
                round(caught["peak_rss_mb"], 1),
                "MB",
                note="catching up every projection from position 0",
            )
        )
    if chain is None:
        return rows
    try:
        chained = chain.result()
        rows.append(
            Row(
                f"catch-up ({backend}, {built['events']:,} events)",
                "hash chain to the head (before the servers start)",
                round(chained, 1),
                "s",
                status="info",
            )
        )
    except Exception as e:
        rows.append(failed(f"chain ({backend})", e))
    stage(console, f"load on {backend} ({cases:,} cases)")
    try:
        page_rows, peak = pages_under_load(url, backend, cases, args, work)
    except Exception as e:  # report and go on with the other figures
        page_rows, peak = [failed(f"pages ({backend}, {cases:,} cases)", e)], None
    rows += page_rows
    peaks[cases] = peak
    if cases == 10000:  # search at 10,000 cases, on this store (bench/bench_search.py)
        from bench.bench_pages import search_rows

        rows += guarded(f"search ({backend}, {cases:,} cases)", search_rows, url, backend, cases)
    if peak is not None:
        rows.append(
            Row(
                f"memory ({backend})",
                f"web worker peak RSS at {cases:,} cases",
                round(peak, 1),
                "MB",
            )
        )
    return rows


def _store_and_first_page(
    sqlite_url: str,
    years: int,
    args: argparse.Namespace,
    rows: list[Row],
    extra: dict[str, Any],
    console: Any,
) -> dict[str, Any]:
    """The demo store at ``years``; for the 10,000-case store of a full run, ``git clone``
    + ``make run`` to the first page beside it (its own processes, on the other core while
    the demo generates on this one: both are set-up or info figures; the run's time)."""
    if years != 10 or args.quick or args.no_first_page:
        return _store(sqlite_url, years, args.store_10k, rows)
    console.print("  and git clone + make run to the first page, beside it")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="first-page") as side:
        first_page = side.submit(guarded, "first page", first_page_rows, extra)
        built = _store(sqlite_url, years, args.store_10k, rows)
        rows += first_page.result()
    return built


def _memory_ratios(worker_peaks: dict[str, dict[int, float | None]]) -> list[Row]:
    """The web worker's peak RSS at 10,000 cases over that at 1,000, per backend."""
    rows: list[Row] = []
    for backend, peaks in worker_peaks.items():
        small, large = peaks.get(1000), peaks.get(10000)
        if small and large:
            rows.append(
                ratio_row(
                    f"memory ({backend})",
                    "web worker peak RSS 10,000 / 1,000 cases",
                    large / small,
                    1.25,
                    note="target: flat as the store grows",
                )
            )
    return rows


def _delegated_rows(
    pg: bool,
    commands: int,
    extra: dict[str, Any],
    console: Any,
    quick: bool = False,
    notify_store: Path | None = None,
    small_store: Path | None = None,
) -> list[Row]:
    """Projection rebuild, audit verify and the followers, each reported on its own (a
    failure is a row, the others go on); their details go into ``extra``."""
    rows: list[Row] = []
    stage(console, "projection rebuild and audit verify")
    small = small_store if small_store is not None and small_store.exists() else None
    try:
        big = notify_store if notify_store is not None and notify_store.exists() else None
        # at 1M events: the 10,000-case store; --quick: the 1,000-case store (108,000)
        source = big or small
        proj_rows, extra["projections"] = delegated(
            "bench_projections", "rebuild", source=str(source) if source else None
        )
    except Exception as e:
        proj_rows = [failed("rebuild", e)]
    rows += proj_rows
    try:  # the 1,000-case store (about 108,000 events, chained), else a log of 100,000
        ver_rows, extra["verify"] = delegated(
            "bench_verify", "verify", events=100_000, source=str(small) if small else None
        )
    except Exception as e:
        ver_rows = [failed("verify", e)]
    rows += ver_rows

    stage(console, "followers: freshness and the chain")
    try:
        fol_rows, extra["followers"] = followers(pg, commands)
    except Exception as e:
        fol_rows = [failed("followers", e)]
    rows += fol_rows

    stage(console, "search ÷ the case list")
    try:
        search_rows, extra["search"] = search(pg)
    except Exception as e:
        search_rows = [failed("search", e)]
    rows += search_rows

    stage(console, "Noark 5 extract (bench/bench_noark5.py)")
    try:
        from bench.bench_noark5 import report_rows as noark5_rows

        big = notify_store if notify_store is not None and notify_store.exists() else None
        attachments = Path(os.environ["CASEFLOW_ATTACHMENTS_DIR"]) if big else None
        # full run: the run's 10,000-case store (1.09M events); --quick: the demo
        n5_rows, extra["noark5"] = noark5_rows(quick, big, attachments)
    except Exception as e:
        n5_rows = [failed("noark5 extract", e)]
    rows += n5_rows

    stage(console, "the notifier after an outage (bench/bench_notify.py)")
    try:
        from bench.bench_notify import report_rows as notify_rows

        store = notify_store if notify_store is not None and notify_store.exists() else None
        nt_rows, extra["notifier"] = notify_rows(pg, store)  # the 10,000-case store; else demo
    except Exception as e:
        nt_rows = [failed("notifier", e)]
    rows += nt_rows
    return rows


def _store(sqlite_url: str, years: int, prebuilt: Path | None, rows: list[Row]) -> dict[str, Any]:
    """The demo at ``years`` in the SQLite store at ``sqlite_url``: generated (its rate is a
    row), or at 10 years copied from ``prebuilt`` when given (``--store-10k``)."""
    if years == 10 and prebuilt is not None:
        from bench.bench_pages import copy_store

        built = copy_store(prebuilt, Path(sqlite_url.removeprefix("sqlite:///")))
        note = f"copied from {prebuilt} in {built['seconds']} s (not generated)"
        rows.append(
            Row(
                f"demo --scale {years}",
                "store",
                built["events"],
                "events",
                status="info",
                note=f"{built['cases']:,} cases, {note}",
            )
        )
    else:
        built = build_demo_store(sqlite_url, years)
        rows.append(
            Row(
                f"demo --scale {years}",
                "generation rate (batched, SQLite)",
                built["events_per_s"],
                "events/s",
                note=f"{built['events']:,} events, {built['cases']:,} cases "
                f"in {built['seconds']} s",
            )
        )
    return built


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="skip the 10,000-case / 1M-event store"
    )
    parser.add_argument(
        "--duration", type=int, default=None, help="seconds per load run (5; --quick: 4)"
    )
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (PostgreSQL)")
    parser.add_argument("--commands", type=int, default=150, help="samples per command")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--store-10k",
        type=Path,
        default=None,
        help="copy this prebuilt 10,000-case SQLite store (bench.stores.build_demo_store's, "
        "e.g. /tmp/shared-stores/scale10.sqlite3; read only) instead of generating one",
    )
    parser.add_argument(
        "--no-first-page", action="store_true", help="skip git clone + make run (full run)"
    )
    parser.add_argument("--json", default=str(RESULTS / "latest.json"))
    args = parser.parse_args(argv)
    if args.duration is None:  # 5 s per load run (--quick: 4): still hundreds of requests
        args.duration = 4 if args.quick else 5
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)

    from rich.console import Console

    console = Console(width=max(150, shutil.get_terminal_size().columns))
    began = time.monotonic()
    rows: list[Row] = []
    extra: dict[str, Any] = {}
    pg = not args.no_postgres and postgres_available()
    backends = ["sqlite"] + (["postgres"] if pg else [])
    if not pg:
        rows.append(unavailable("postgres", "PostgreSQL not reachable (or --no-postgres)"))
    schemas: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="caseflow-bench-"))
    os.environ.setdefault("CASEFLOW_ATTACHMENTS_DIR", str(work / "attachments"))

    def url_for(backend: str, name: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{work}/{name}.sqlite3"
        schema = f"bench_{name}_{uuid.uuid4().hex[:6]}"
        schemas.append(schema)
        return pg_url(schema)

    try:
        for backend in backends:
            stage(console, f"commands on {backend}")
            url = url_for(backend, "commands")
            rows += guarded(
                f"commands ({backend})", command_latency, url, backend, args.commands, work
            )
            stage(console, f"history on {backend}")
            rows += guarded(f"history ({backend})", history_500, url, backend)

        sizes = [(1, 1000)] + ([] if args.quick else [(10, 10000)])
        if args.quick:
            rows.append(unavailable("pages (10,000 cases)", "skipped with --quick"))
            rows.append(unavailable("memory at 1M events", "skipped with --quick"))
        worker_peaks: dict[str, dict[int, float | None]] = {b: {} for b in backends}
        if shutil.which("wrk") is None:
            rows.append(unavailable("pages", "wrk is not installed (apt-get install -y wrk)"))
        for years, cases in sizes:
            stage(console, f"building the {cases:,}-case store (demo --scale {years})")
            sqlite_url = url_for("sqlite", f"scale{years}")
            built = _store_and_first_page(sqlite_url, years, args, rows, extra, console)
            extra[f"store_{cases}"] = built
            urls = {"sqlite": sqlite_url}
            if pg:
                urls["postgres"] = url_for("postgres", f"scale{years}")
                extra[f"copy_{cases}"] = copy_sqlite_to_postgres(
                    Path(sqlite_url.removeprefix("sqlite:///")), urls["postgres"]
                )
            for backend, url in urls.items():
                stage(console, f"projections catch up on {backend} ({cases:,} cases)")
                rows += _scale_rows(
                    backend, url, (years, cases), built, args, work, console, worker_peaks[backend]
                )
        rows += _memory_ratios(worker_peaks)
        if args.quick or args.no_first_page:
            rows.append(unavailable("first page", "git clone + make run: skipped (--quick)"))
        rows += _delegated_rows(
            pg,
            args.commands,
            extra,
            console,
            quick=args.quick,
            notify_store=None if args.quick else work / "scale10.sqlite3",
            small_store=work / "scale1.sqlite3",
        )
    finally:
        for schema in schemas:
            with contextlib.suppress(Exception):
                drop_pg_schema(schema)
        shutil.rmtree(work, ignore_errors=True)

    close_stage()
    elapsed = time.monotonic() - began
    extra["stages_seconds"] = dict(STAGES)
    print_table(console, rows, elapsed)
    console.print(
        "where the run's time went: "
        + ", ".join(f"{title} {seconds:.0f} s" for title, seconds in STAGES)
    )
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "seconds": round(elapsed, 1),
                "quick": args.quick,
                "rows": [r.as_dict() for r in rows],
                "details": extra,
            },
            ensure_ascii=False,
            indent=2,
            default=str,
        )
    )
    console.print(f"written {out}")
    return 0


def print_table(console: Any, rows: list[Row], elapsed: float) -> None:
    from rich.table import Table

    table = Table(title=f"Caseflow benchmarks ({elapsed / 60:.1f} min)")
    for col in ("section", "figure", "value", "target", "status", "note"):
        table.add_column(col, overflow="fold")
    colour = {"met": "green", "gap": "red", "n/a": "yellow"}
    for r in rows:
        value = "" if r.value is None else f"{r.value:,} {r.unit}".strip()
        status = r.status or "info"
        table.add_row(
            r.section, r.figure, value, r.target, f"[{colour.get(status, 'white')}]{status}", r.note
        )
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())

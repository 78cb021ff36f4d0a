"""Shared helpers of the benchmark suite: timing, percentiles, result rows, stores."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

POSTGRES_URL = os.environ.get(
    "CASEFLOW_BENCH_POSTGRES_URL",
    os.environ.get("CASEFLOW_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100), nearest-rank on sorted values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        out.append(time.perf_counter() - began)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Row:
    """One figure of the report."""

    section: str
    figure: str
    value: float | None
    unit: str
    target: str = ""
    status: str = ""  # met | gap | info | n/a
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ratio_row(
    section: str, figure: str, value: float, target: float, *, at_most: bool = True, note: str = ""
) -> Row:
    met = value <= target if at_most else value >= target
    sign = "≤" if at_most else "≥"
    return Row(
        section, figure, round(value, 3), "×", f"{sign} {target:g}", "met" if met else "gap", note
    )


def unavailable(section: str, why: str) -> Row:
    return Row(section, "not available", None, "", "", "n/a", why)


def postgres_available() -> bool:
    try:
        import psycopg

        from caseflow.persistence import parse_database_url

        dsn = parse_database_url(POSTGRES_URL).postgres_dsn or ""
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except Exception:
        return False


def pg_url(schema: str) -> str:
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}schema={schema}"


def drop_pg_schema(schema: str) -> None:
    import psycopg
    from psycopg import sql

    from caseflow.persistence import parse_database_url

    dsn = parse_database_url(POSTGRES_URL).postgres_dsn or ""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def snapshot_sqlite(source: Path, to: Path) -> None:
    """A consistent copy of a SQLite store (its WAL included), with the backup API; the
    source is only read."""
    import sqlite3

    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(to))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def now_utc() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


def peak_rss_mb(pid: int) -> float | None:
    """A process's peak resident set size (VmHWM) in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]

"""Building benchmark stores with the demo generator, copying one to PostgreSQL, and
catching up the read models in a separate process (whose peak memory is measured)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, now_utc

CATCH_UP = """
import json, resource, sys, time
from caseflow.persistence import open_application
from caseflow.readmodels import open_read_models
app, settings = open_application(sys.argv[1])
service = open_read_models(app, settings, chain=False)  # the projections alone, as before
began = time.perf_counter()
n = service.catch_up()
took = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
service.tidy()  # as `caseflow project` does after a large catch-up (not timed)
print(json.dumps({"events": n, "seconds": took, "peak_rss_mb": peak}))
"""


def build_demo_store(url: str, years: int, seed: int = 2025) -> dict[str, Any]:
    """The demo at ``years`` (0: the plain demo) into an empty store, batched."""
    from caseflow.demo.batch import BatchedCaseflow
    from caseflow.demo.generator import generate
    from caseflow.persistence import open_application
    from caseflow.persistence.attachments import AttachmentStore

    app, settings = open_application(url)
    app.close()
    batched = BatchedCaseflow(env=dict(settings.env))
    batched.use_attachment_store(AttachmentStore.from_environ(os.environ))
    try:
        result = generate(batched, seed=seed, years=years, present=now_utc())
    finally:
        batched.close()
    return {
        "cases": result.cases,
        "events": result.events,
        "seconds": round(result.seconds, 1),
        "events_per_s": round(result.events_per_second),
    }


def copy_sqlite_to_postgres(sqlite_path: Path, pg_url: str) -> dict[str, Any]:
    """Copy every stored event, in log order, into an empty PostgreSQL store (COPY):
    the same history without generating it twice."""
    import sqlite3

    import psycopg
    from psycopg import sql

    from caseflow.persistence import open_application

    app, settings = open_application(pg_url)
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    app.close()
    began = time.perf_counter()
    src = sqlite3.connect(str(sqlite_path))
    rows = src.execute(
        "SELECT originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"
    )
    assert settings.postgres_dsn is not None
    n = 0
    with psycopg.connect(settings.postgres_dsn) as conn:
        if settings.schema:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(settings.schema)))
        copy_sql = sql.SQL(
            "COPY {} (originator_id, originator_version, topic, state) FROM STDIN"
        ).format(sql.Identifier(table.split(".")[-1]))
        with conn.cursor().copy(copy_sql) as copy:
            for oid, version, topic, state in rows:
                copy.write_row((oid, version, topic, state))
                n += 1
        conn.commit()
    src.close()
    return {"events": n, "seconds": round(time.perf_counter() - began, 1)}


def catch_up_in_subprocess(url: str, env: dict[str, str]) -> dict[str, Any]:
    """Run every projection to the head of the log in a fresh process; its figures."""
    out = subprocess.run(
        [sys.executable, "-c", CATCH_UP, url],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        check=False,
        timeout=1800,
    )
    if out.returncode != 0:
        raise RuntimeError(f"catch-up failed: {out.stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def issue_token(url: str, email: str) -> str:
    from caseflow.persistence import open_application

    app, _ = open_application(url)
    try:
        return app.issue_token(None, email, "bench")
    finally:
        app.close()

"""Several processes starting at once on an empty PostgreSQL schema (gunicorn workers, the
projection process, a CLI command) all create the tables they need: none may fail on the
others' ``CREATE TABLE IF NOT EXISTS`` (caseflow/persistence/ddl.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

STARTER = """
import sys, time
from pathlib import Path
from web import create_app
from caseflow.ledger.store import open_chain_store
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "test", "TESTING": True})
open_chain_store(app.extensions["caseflow"])
print("started")
"""


@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)
def test_processes_starting_together_create_every_table_once(
    store_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, store_url, str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    time.sleep(3.0)  # let every process import what it needs, then start them together
    go.touch()
    results = [p.communicate(timeout=120) for p in starters]
    for p, (out, err) in zip(starters, results, strict=True):
        assert p.returncode == 0, err[-2000:]
        assert "started" in out

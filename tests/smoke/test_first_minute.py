"""The first minute, as the README has it: `caseflow demo --if-empty`, then `caseflow serve`
(SQLite, the default store in the working folder) or `gunicorn -w 2 'web:create_app()'`
(PostgreSQL, no `caseflow project`). A person logs in through the form; the overview's
counts must equal a replay of the log; a case proposed from the CLI while the server runs
must show on the case list and the overview without a restart.

Nothing here catches read models up behind the user's back: the programs do what they do
when a person runs them."""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseflow.domain.case import Case
from caseflow.ledger.store import CHAIN_TABLE, TRACKING_TABLE
from caseflow.persistence import open_application
from tests.conftest import postgres_schema
from tests.smoke.started import Browser, caseflow, environment, overview_counts, served, text

SECRETARIAT = "sekretariat@demo.caseflow.no"
PASSWORD = "demo"


def replayed_counts(database_url: str) -> tuple[int, dict[str, int]]:
    """Cases by status, from the aggregates themselves (never the read models)."""
    app, _ = open_application(database_url)
    try:
        statuses = Counter(str(app.for_query(Case, cid).status.value) for cid in app.case_ids())
    finally:
        app.close()
    return sum(statuses.values()), dict(statuses)


def shown_counts(browser: Browser) -> tuple[int, dict[str, int]]:
    status, page = browser.get("/")
    assert status == 200, page[:1000]
    total, tiles = overview_counts(page)
    return total, {s: n for s, n in tiles.items() if n}


def propose_from_the_cli(folder: Path, env: dict[str, str], title: str) -> str:
    out = caseflow(
        folder,
        env,
        "case",
        "propose",
        "--as",
        "atp@demo.caseflow.no",
        "--group",
        "atp",
        "--title",
        title,
        "--summary",
        "Foreslått fra kommandolinjen mens tjenesten kjører.",
    )
    return out.split()[0]  # the new case's reference


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A new user's working folder (where `make run` would keep instance/)."""
    return tmp_path


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema("smoke_") as url:
        yield url


def test_sqlite_demo_then_serve_shows_the_demo_and_a_case_proposed_meanwhile(
    folder: Path,
) -> None:
    env = environment(None)  # the README's default store: instance/caseflow.sqlite3
    out = caseflow(folder, env, "demo", "--if-empty")
    assert SECRETARIAT in out
    store = folder / "instance" / "caseflow.sqlite3"
    assert store.exists()
    url = f"sqlite:///{store}"
    expected = replayed_counts(url)
    assert expected[0] > 20

    with served(folder, env) as server:
        browser = Browser(server.url)
        browser.login(SECRETARIAT, PASSWORD)
        assert shown_counts(browser) == expected
        status, listing = browser.get("/cases/?per_page=100")
        assert status == 200
        assert "Ingen saker" not in listing

        title = f"Sykkelekspressveier {uuid.uuid4().hex[:6]}"
        reference = propose_from_the_cli(folder, env, title)
        _, found = browser.get(f"/cases/?q={reference}")
        assert title in text(found), "the CLI's case is not on the case list"
        total, tiles = shown_counts(browser)
        assert total == expected[0] + 1
        assert tiles.get("proposed", 0) == expected[1].get("proposed", 0) + 1
        assert (total, tiles) == replayed_counts(url)

    # A second `make run`: the store is not empty, the demo is not loaded again.
    again = caseflow(folder, env, "demo", "--if-empty")
    assert "not loaded" in again


def test_a_server_started_behind_the_log_catches_up_and_says_so(folder: Path) -> None:
    """A store whose read models and hash chain are missing (say, from a release before
    them) is brought up to date when the server starts, with a line on the console, not a
    silent wait."""
    env = environment(None)
    caseflow(folder, env, "demo", "--if-empty")
    store = folder / "instance" / "caseflow.sqlite3"
    with sqlite3.connect(store) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.startswith("rm_") or table in (CHAIN_TABLE, TRACKING_TABLE):
                db.execute(f'DROP TABLE IF EXISTS "{table}"')  # FTS5 drops its own shadow tables
    db.close()
    with served(folder, env) as server:
        browser = Browser(server.url)
        browser.login(SECRETARIAT, PASSWORD)
        assert shown_counts(browser) == replayed_counts(f"sqlite:///{store}")
        console = server.output()
    assert "bringing the read models up to date" in console
    assert "extending the audit chain" in console
    assert "read models up to date" in console


@pytest.mark.postgres
def test_postgres_demo_then_two_gunicorn_workers_without_a_projection_process(
    folder: Path, pg_url: str
) -> None:
    env = environment(pg_url, CASEFLOW_SECRET_KEY="smoke-test-key")
    caseflow(folder, env, "demo", "--if-empty")
    expected = replayed_counts(pg_url)
    assert expected[0] > 20

    with served(folder, env, gunicorn_workers=2) as server:
        browser = Browser(server.url)
        browser.login(SECRETARIAT, PASSWORD)
        for _ in range(4):  # each request a new connection: both workers answer
            assert shown_counts(browser) == expected

        title = f"Innfartsparkering {uuid.uuid4().hex[:6]}"
        reference = propose_from_the_cli(folder, env, title)
        for _ in range(6):
            _, found = browser.get(f"/cases/?q={reference}")
            assert title in text(found), "a worker does not show the CLI's case"
            assert shown_counts(browser) == replayed_counts(pg_url)
    # Exactly once: the read models hold each case once (no worker applied an event twice).
    app, settings = open_application(pg_url)
    try:
        from caseflow.readmodels import open_read_models
        from caseflow.readmodels.api import CaseFilter

        read = open_read_models(app, settings)
        assert read.cases(CaseFilter(per_page=1)).total == expected[0] + 1
    finally:
        app.close()

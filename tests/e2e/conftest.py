"""Browser tests: the app served on a free port in a thread, on a store loaded as `make run`
loads it (`caseflow demo --if-empty`; nothing else), driven by Playwright with Debian's
/usr/bin/chromium. Logins are the demo accounts of API.md.

The demo is generated once per session into a SQLite file; every test serves a copy of
it, so the journeys cannot disturb each other. Screenshots go to
test-artifacts/screenshots/ (printed at the end of the session). The tests skip with a
clear message when chromium or playwright is missing — and fail instead under CI=true."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from werkzeug.serving import make_server

from caseflow.cli import main
from caseflow.demo.organisation import PASSWORD
from caseflow.persistence.attachments import AttachmentStore
from tests.conftest import IN_CI
from web import create_app

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CASEFLOW_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(message: str) -> None:
    if IN_CI:
        pytest.fail(message + " — CI=true requires the browser tests to run")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class DemoStore:
    """The demo, generated once: a SQLite file as `caseflow demo` leaves it, and the
    folder of its meeting attachments (minutes)."""

    path: Path
    attachments: Path


@dataclass
class Site:
    """One served copy of the demo."""

    flask: Flask
    url: str

    @property
    def app(self) -> Any:
        return self.flask.extensions["caseflow"]


def _run(url: str, env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(
        main, ["--database-url", url, *args], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, f"caseflow {' '.join(args)} failed:\n{result.output}"
    return result.output


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DemoStore:
    """`caseflow demo --if-empty` into an empty SQLite file (the demo's year ends now,
    default seed), as `make run` does."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite3"
    attachments = folder / "attachments"
    url = f"sqlite:///{path}"
    env = {"CASEFLOW_ATTACHMENTS_DIR": str(attachments)}
    _run(url, env, "demo", "--if-empty")
    return DemoStore(path, attachments)


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (the backup API also takes a WAL along)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


_TAKEN: list[Path] = []


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _TAKEN.append(SCREENSHOTS)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print where the screenshots are (the CI run shows this line)."""
    # Under pytest-xdist the browser tests run in the workers: the controller prints the
    # line when the folder holds screenshots.
    if _TAKEN or (SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir())):
        terminalreporter.write_line(f"browser test screenshots: {SCREENSHOTS}")


@pytest.fixture
def served(demo_store: DemoStore, tmp_path: Path) -> Iterator[Site]:
    """A copy of the demo store, served on a free port for this test alone."""
    db = tmp_path / "caseflow.sqlite3"
    _copy(demo_store.path, db)
    flask_app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{db}",
            "SECRET_KEY": "e2e-secret",
            "TESTING": True,
            "LANGUAGE": "nb",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    application = flask_app.extensions["caseflow"]
    application.use_attachment_store(AttachmentStore.from_settings(str(demo_store.attachments)))
    port = free_port()
    server = make_server("127.0.0.1", port, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(flask_app, f"http://127.0.0.1:{port}")
    finally:
        server.shutdown()
        thread.join(5)
        application.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"{CHROMIUM} is missing (apt-get install chromium, or `make system-deps`)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, served: Site) -> Iterator[Any]:
    """A fresh browser context (no session) on this test's served copy."""
    context = browser.new_context(
        base_url=served.url, viewport={"width": 1280, "height": 900}, locale="nb-NO"
    )
    p = context.new_page()
    p.set_default_timeout(10000)
    try:
        yield p
    finally:
        context.close()


def login(page: Any, email: str, password: str = PASSWORD) -> None:
    """Log in through the form with a demo account (password as `caseflow demo` sets it)."""
    page.goto("/login")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("main").get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")

"""Browser tests: the app served on a free port in a thread, with demo-like data built
through the application, driven by Playwright with Debian's /usr/bin/chromium.

Screenshots go to test-artifacts/screenshots/ (printed at the end of the session). The
tests skip with a clear message when chromium or playwright is missing — and fail
instead under CI=true."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from caseflow.domain.values import Stance
from tests.conftest import IN_CI
from tests.web.conftest import Site, build_site, store

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


def populate(site: Site) -> None:
    """A few more cases in every state, so the overview looks like a working year."""
    w, app = site.world, site.app
    w.proposed(title="Regional areal- og transportplan: innspill til rullering")
    w.proposed(group="kg", by="kg", title="Tema for representantskapsmøtet: kraft og energi")
    late = w.drafted(title="Høringsuttalelse om NTP 2029–2040")
    app.request_advice(w["sekretariat"], late.id, date.today() - timedelta(days=3))
    open_round = w.advice_requested(title="Felles innspill om Oslofjorden")
    app.give_advice(w["kg2"], open_round.id, Stance.SUPPORTS_WITH_CHANGES, "Ta med Asker og Bærum.")
    w.submitted(title="Strategiske føringer: handlingsprogram 2026")
    decided = w.submitted(meeting="board2", title="Årsmelding og regnskap")
    app.record_decision(w["sekretariat"], decided.id, "Styret godkjenner årsmeldingen.")
    site.catch_up()


_TAKEN: list[Path] = []


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _TAKEN.append(SCREENSHOTS)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print where the screenshots are (the CI run shows this line)."""
    if _TAKEN:
        terminalreporter.write_line(f"browser test screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str]]:
    tmp = tmp_path_factory.mktemp("e2e")
    with store("sqlite", tmp) as url:
        site = build_site(url, tmp, LANGUAGE="nb")
        populate(site)
        port = free_port()
        server = make_server("127.0.0.1", port, site.flask, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield site, f"http://127.0.0.1:{port}"
        finally:
            server.shutdown()
            thread.join(5)
            site.app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, served: tuple[Site, str]) -> Iterator[Any]:
    context = browser.new_context(
        base_url=served[1], viewport={"width": 1280, "height": 900}, locale="nb-NO"
    )
    p = context.new_page()
    p.set_default_timeout(10000)
    try:
        yield p
    finally:
        context.close()


def login(page: Any, key: str) -> None:
    page.goto("/login")
    page.fill("#email", f"{key}@test.caseflow.no")
    page.fill("#password", f"pw-{key}")
    page.click("main button[type=submit]")
    page.wait_for_url("**/")

"""Caseflow started as its users start it: the `caseflow` and `gunicorn` programs of the
virtualenv, as subprocesses in a folder of their own, and an HTTP client that logs in
through the form like a browser (cookies, the CSRF token of the page)."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment a user's shell would give: no test variables, the store chosen by
    ``CASEFLOW_DATABASE_URL`` (unset: the README's default in the working folder)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CASEFLOW_", "PYTEST", "COV_")) and k != "FLASK_APP"
    }
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    if database_url is not None:
        env["CASEFLOW_DATABASE_URL"] = database_url
    env.update(extra)
    return env


def caseflow(folder: Path, env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run ``caseflow ARGS`` in ``folder``; fail with its output unless it exits 0."""
    done = subprocess.run(
        [str(BIN / "caseflow"), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, (
        f"caseflow {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def served(folder: Path, env: dict[str, str], *, gunicorn_workers: int = 0) -> Iterator[Server]:
    """``caseflow serve --port P`` (or ``gunicorn -w N 'web:create_app()'``) in ``folder``,
    until the block ends; waits for ``/healthz``."""
    port = free_port()
    if gunicorn_workers:
        command = [
            str(BIN / "gunicorn"),
            "-w",
            str(gunicorn_workers),
            "-b",
            f"127.0.0.1:{port}",
            "web:create_app()",
        ]
    else:
        command = [str(BIN / "caseflow"), "serve", "--port", str(port)]
    log = folder / f"server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start:\n{server.output()}")
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


class Browser:
    """Cookies, redirects and the CSRF token, as a browser would; each request on a new
    connection (so gunicorn's workers take turns)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        _, page = self.get(path)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        data = urllib.parse.urlencode({"csrf_token": token.group(1), **form}).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def login(self, email: str, password: str) -> str:
        status, page = self.post("/login", {"email": email, "password": password})
        assert status == 200, page[:2000]
        assert "/logout" in page, page[:2000]
        return page


def overview_counts(page: str) -> tuple[int, dict[str, int]]:
    """The overview's "cases by status": the total and each status's tile."""
    total = re.search(r'id="counts-h">[^<]*<small>\((\d+)\)</small>', page)
    assert total, "no case count on the overview"
    tiles = re.findall(
        r'href="/cases/\?status=(\w+)"><span class="badge[^"]*">[^<]*</span>\s*<strong>(\d+)',
        page,
    )
    return int(total.group(1)), {s: int(n) for s, n in tiles}


def text(page: str) -> str:
    """The page's text with tags dropped and entities decoded (for "does it say X")."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))

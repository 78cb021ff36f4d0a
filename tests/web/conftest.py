"""Fixtures for the web tests: the Flask app on a real store (SQLite file and PostgreSQL
schema), the test organisation of tests/world.py with logins, and a client that logs in
and sends CSRF tokens like a browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import postgres_schema
from tests.world import World
from web import create_app

#: Logins for these people of the test world (password: "pw-" + key).
ACCOUNTS = (
    "sekretariat",
    "revisor",
    "kg-leder",
    "kg",
    "kg-obs",
    "atp-leder",
    "atp",
    "observator",
    "ntp",
)


def email(key: str) -> str:
    return f"{key}@test.caseflow.no"


@contextmanager
def store(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder}/caseflow.sqlite3"
        return
    with postgres_schema("w_") as url:
        yield url


@dataclass
class Site:
    """A served organisation: the Flask app, the world and some cases in known states."""

    flask: Flask
    world: World
    cases: dict[str, Any] = field(default_factory=dict)

    @property
    def app(self) -> Any:
        return self.flask.extensions["caseflow"]

    def client(self, key: str | None = None) -> Client:
        c = Client(self.flask.test_client())
        if key is not None:
            c.login(key)
        return c


class Client:
    """A test client that logs in and sends the CSRF token the pages carry."""

    def __init__(self, client: FlaskClient) -> None:
        self.http = client
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            page = self.http.get("/login").get_data(as_text=True)
            found = re.search(r'name="csrf-token" content="([^"]+)"', page)
            assert found, "no CSRF token on the login page"
            self._token = found.group(1)
        return self._token

    def login(self, key: str, password: str | None = None) -> Any:
        response = self.post("/login", {"email": email(key), "password": password or f"pw-{key}"})
        self._token = None  # a new session gets a new token
        return response

    def get(self, url: str, **kw: Any) -> Any:
        return self.http.get(url, **kw)

    def post(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        form = {"csrf_token": self.token(), **(data or {})}
        return self.http.post(url, data=form, **kw)

    def post_json(self, url: str, body: Any = None, **kw: Any) -> Any:
        headers = {"X-CSRFToken": self.token(), **kw.pop("headers", {})}
        return self.http.post(url, json=body if body is not None else {}, headers=headers, **kw)


def build_site(url: str, tmp: Path, **config: Any) -> Site:
    flask_app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "LANGUAGE": "en",
            "INSTANCE_PATH": str(tmp / "instance"),
            **config,
        }
    )
    app = flask_app.extensions["caseflow"]
    world = World.build(app)
    for key in ACCOUNTS:
        app.create_account(None, email(key), f"pw-{key}", world[key])
    site = Site(flask_app, world)
    site.cases = {
        "proposed": world.proposed(title="Foreslått sak"),
        "advice": world.advice_requested(title="Sak til råd"),
        "ready": world.ready(title="Klar sak"),
        "ntp": world.proposed(group="ntp", by="ntp", title="NTP-sak"),
    }
    return site


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """A read-mostly site shared by a module's tests (on both stores)."""
    tmp = tmp_path_factory.mktemp("site")
    with store(request.param, tmp) as url:
        s = build_site(url, tmp)
        try:
            yield s
        finally:
            s.app.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """A site of its own for a test that changes things (on both stores)."""
    with store(request.param, tmp_path) as url:
        s = build_site(url, tmp_path)
        try:
            yield s
        finally:
            s.app.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def production_site(
    request: pytest.FixtureRequest, tmp_path: Path, production_hashing: None
) -> Iterator[Site]:
    """A site of its own whose accounts are hashed at the production scrypt cost."""
    with store(request.param, tmp_path) as url:
        s = build_site(url, tmp_path)
        try:
            yield s
        finally:
            s.app.close()


@pytest.fixture
def fresh_sqlite(tmp_path: Path) -> Iterator[Site]:
    with store("sqlite", tmp_path) as url:
        s = build_site(url, tmp_path)
        try:
            yield s
        finally:
            s.app.close()

"""Composition root for the tests: chooses the store (a real SQLite file and a real
PostgreSQL schema), and offers the application and a small organisation."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from caseflow.application import Caseflow, Settings, security
from caseflow.persistence import open_application, parse_database_url
from caseflow.persistence.attachments import AttachmentStore
from tests.world import World

POSTGRES_URL = os.environ.get(
    "CASEFLOW_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: The scrypt cost of caseflow/application/security.py (the production default: the
#: stored hashes carry their cost, so a check reads it back from the hash). The tests'
#: accounts are hashed with TEST_SCRYPT_N instead — the same scrypt, salt and format at a
#: fraction of the cost (one production scrypt is 50–200 ms here, and the web tests create
#: nine accounts per site and log in in most tests); ``production_hashing`` restores the
#: default for a test that measures the hashing's own cost.
PRODUCTION_SCRYPT_N = security._N
TEST_SCRYPT_N = 2**4


def pytest_configure(config: pytest.Config) -> None:
    security._N = TEST_SCRYPT_N


@pytest.fixture
def production_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Passwords hashed at the production cost (and the unknown-account dummy hash too)."""
    monkeypatch.setattr(security, "_N", PRODUCTION_SCRYPT_N)
    security.dummy_hash.cache_clear()
    try:
        yield
    finally:
        security.dummy_hash.cache_clear()


_pg_ok: bool | None = None


def postgres_available() -> bool:
    global _pg_ok
    if _pg_ok is None:
        import psycopg

        dsn = parse_database_url(POSTGRES_URL).postgres_dsn
        try:
            with psycopg.connect(dsn, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _pg_ok = True
        except psycopg.Error:
            _pg_ok = False
    return _pg_ok


def require_postgres() -> None:
    """Skip (or, under CI=true, fail) when PostgreSQL is not reachable."""
    if postgres_available():
        return
    message = (
        f"PostgreSQL is not reachable at {POSTGRES_URL}: start it (see README, "
        "'docker compose up -d postgres') or set CASEFLOW_TEST_POSTGRES_URL"
    )
    if IN_CI:
        pytest.fail(message + " — CI=true requires it")
    pytest.skip(message)


def drop_schema(schema: str) -> None:
    import psycopg
    from psycopg import sql

    dsn = parse_database_url(POSTGRES_URL).postgres_dsn
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty store: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/caseflow.sqlite3"
        return
    with postgres_schema("t_") as url:
        yield url


@contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """The URL of a new PostgreSQL schema of its own (``prefix`` + random), dropped after;
    skips (fails under CI=true) when PostgreSQL is not reachable."""
    require_postgres()
    schema = prefix + uuid.uuid4().hex[:12]
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}schema={schema}"
    finally:
        drop_schema(schema)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/caseflow.sqlite3"


@pytest.fixture
def app(store_url: str, tmp_path) -> Iterator[Caseflow]:
    application, _ = open_application(store_url, Settings())  # the rules' own numbers
    application.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    try:
        yield application
    finally:
        application.close()


@pytest.fixture
def world(app: Caseflow) -> World:
    return World.build(app)

"""Turns ``CASEFLOW_DATABASE_URL`` into the eventsourcing library's environment.

``sqlite:///relative/or/absolute/path.sqlite3`` (the default, created on first use) or
``postgresql://user:pass@host:port/db[?schema=name]``. Only composition roots call this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_URL = "sqlite:///instance/caseflow.sqlite3"


@dataclass(frozen=True)
class StoreSettings:
    """Where events (and read models) live."""

    url: str
    kind: str  # "sqlite" | "postgres"
    env: dict[str, str]
    sqlite_path: Path | None = None
    postgres_dsn: str | None = None
    schema: str | None = None

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get("CASEFLOW_DATABASE_URL") or DEFAULT_URL


def parse_database_url(url: str | None = None) -> StoreSettings:
    """Parse a database URL into library settings. Raises ``ValueError`` when malformed."""
    url = database_url(url)
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        raw = url[len("sqlite:///") :] if url.startswith("sqlite:///") else parsed.path
        if not raw:
            raise ValueError(f"no file path in {url!r}")
        path = Path(unquote(raw))
        if raw != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            # The library's factory with one-statement reads (caseflow/persistence/sqlite.py).
            "PERSISTENCE_MODULE": "caseflow.persistence.sqlite:Factory",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
        return StoreSettings(url, "sqlite", env, sqlite_path=path)
    if parsed.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        dbname = (parsed.path or "/").lstrip("/")
        if not dbname:
            raise ValueError(f"no database name in {url!r}")
        env = {
            # The library's factory with one-statement appends and no ping per checkout
            # (caseflow/persistence/postgres.py).
            "PERSISTENCE_MODULE": "caseflow.persistence.postgres:Factory",
            "POSTGRES_DBNAME": unquote(dbname),
            "POSTGRES_HOST": parsed.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parsed.port or 5432),
            "POSTGRES_USER": unquote(parsed.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parsed.password or ""),
            "POSTGRES_POOL_SIZE": os.environ.get("CASEFLOW_POOL_SIZE", "5"),
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_PRE_PING": "y",
        }
        query = parse_qs(parsed.query)
        schema = (query.get("schema") or [""])[0] or os.environ.get("CASEFLOW_POSTGRES_SCHEMA")
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        dsn = (
            f"host={env['POSTGRES_HOST']} port={env['POSTGRES_PORT']} "
            f"dbname={env['POSTGRES_DBNAME']} user={env['POSTGRES_USER']}"
        )
        if env["POSTGRES_PASSWORD"]:
            dsn += f" password={env['POSTGRES_PASSWORD']}"
        return StoreSettings(url, "postgres", env, postgres_dsn=dsn, schema=schema or None)
    raise ValueError(
        f"unsupported CASEFLOW_DATABASE_URL {url!r}: use sqlite:///path or postgresql://…"
    )

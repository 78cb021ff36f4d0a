"""Choosing and opening the store. Only composition roots (``web.create_app``,
``caseflow.cli``, the tests' conftest) call :func:`open_application`."""

from __future__ import annotations

from caseflow.application import Caseflow
from caseflow.persistence.ddl import ddl_lock
from caseflow.persistence.settings import StoreSettings, parse_database_url


def ensure_schema(settings: StoreSettings) -> None:
    """Create the PostgreSQL schema named in the URL (``?schema=``) if it is missing."""
    if not settings.is_postgres or not settings.schema:
        return
    import psycopg
    from psycopg import sql

    assert settings.postgres_dsn is not None
    with psycopg.connect(settings.postgres_dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(settings.schema))
        )


def open_application(url: str | None = None) -> tuple[Caseflow, StoreSettings]:
    """The application on the store named by ``url`` (or ``CASEFLOW_DATABASE_URL``)."""
    settings = parse_database_url(url)
    # The schema, and the event tables the library creates when the application is
    # constructed, under the DDL lock: processes starting together do not race
    # (persistence/ddl.py).
    with ddl_lock(settings.postgres_dsn if settings.is_postgres else None):
        ensure_schema(settings)
        app = Caseflow(env=settings.env)
    return app, settings


__all__ = ["StoreSettings", "ensure_schema", "open_application", "parse_database_url"]

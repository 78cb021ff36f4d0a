"""Choosing and opening the store. Only composition roots (``web.create_app``,
``caseflow.cli``, the tests' conftest) call :func:`open_application`."""

from __future__ import annotations

import dataclasses
import os

from caseflow.application import Caseflow
from caseflow.application.settings import Settings
from caseflow.persistence.ddl import OwnerRequired, ddl_lock
from caseflow.persistence.settings import StoreSettings, parse_database_url


def ensure_schema(settings: StoreSettings) -> bool:
    """Create the PostgreSQL schema named in the URL (``?schema=``) if it is missing.
    Returns whether the connected role may create tables in the store's schema (always
    True on SQLite; False for the application role of ``caseflow db roles``)."""
    if not settings.is_postgres:
        return True
    import psycopg
    from psycopg import sql

    assert settings.postgres_dsn is not None
    schema = settings.schema or "public"
    with psycopg.connect(settings.postgres_dsn, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,))
        if found.fetchone() is None:
            # Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database
            # even when the schema exists.
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        row = conn.execute(
            "SELECT has_schema_privilege(current_user, %s, 'CREATE')", (schema,)
        ).fetchone()
        return bool(row and row[0])


def open_application(
    url: str | None = None, app_settings: Settings | None = None
) -> tuple[Caseflow, StoreSettings]:
    """The application on the store named by ``url`` (or ``CASEFLOW_DATABASE_URL``),
    with ``app_settings`` (None: :meth:`Settings.from_environ` of this process's
    environment — the composition roots give them explicitly).

    A PostgreSQL role that may not create tables (the application role of ``caseflow db
    roles``) creates none: the returned settings say so to every recorder made from them
    (``CREATE_TABLE=n``), and a missing event table is an :class:`OwnerRequired` error."""
    settings = parse_database_url(url)
    # The schema, and the event tables the library creates when the application is
    # constructed, under the DDL lock: processes starting together do not race
    # (persistence/ddl.py).
    with ddl_lock(settings.postgres_dsn if settings.is_postgres else None):
        if not ensure_schema(settings):
            settings = dataclasses.replace(settings, env={**settings.env, "CREATE_TABLE": "n"})
        if app_settings is None:
            app_settings = Settings.from_environ(os.environ)
        app = Caseflow(env=settings.env, settings=app_settings)
    from caseflow.persistence.positions import RecorderPositions

    app.history.use_log_positions(RecorderPositions(app.recorder))
    if settings.env.get("CREATE_TABLE") == "n":
        _require_event_table(app)
    return app, settings


def _require_event_table(app: Caseflow) -> None:
    from caseflow.persistence.ddl import missing_objects, owner_required

    recorder = app.recorder
    datastore = getattr(recorder, "datastore", None)
    statements = getattr(recorder, "sql_create_statements", None)
    if datastore is None or statements is None:
        return
    with datastore.transaction(commit=False) as c:
        missing = missing_objects(c, datastore.schema, statements)
        error = owner_required(c, datastore.schema, missing) if missing else None
    if error is not None:
        app.close()
        raise error


__all__ = [
    "OwnerRequired",
    "StoreSettings",
    "ensure_schema",
    "open_application",
    "parse_database_url",
]

"""Creating tables safely when several processes start at once, and not at all when the
database role may not.

``CREATE TABLE IF NOT EXISTS`` is not safe under concurrency on PostgreSQL: two
transactions that both find the table missing both try to create it (and its row type),
and one fails with a unique violation on ``pg_type``. Several gunicorn workers, the
projection process and CLI commands all start by creating what is missing, so every
piece of DDL Caseflow runs on PostgreSQL is serialised by one advisory lock: the
transaction-scoped form inside a recorder's table creation, the session-scoped form
around opening the application (whose event tables the library creates).

Least privilege (``caseflow db roles``, docs/auditors-guide.md): the application's own
role has no ``CREATE`` on the schema, and PostgreSQL refuses even ``CREATE TABLE IF NOT
EXISTS`` of an existing table without it. So a process whose role may not create in the
schema runs no DDL: it checks that every table and index it would have created exists, and
if one is missing says that the owner role must create it (``caseflow db migrate``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from caseflow.domain.errors import CaseflowError

#: The advisory lock key under which Caseflow's processes create tables (any fixed
#: 64-bit number; this one spells "caseflow" in ASCII).
DDL_LOCK_KEY = 0x63617365666C6F77

_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_CREATES = re.compile(
    r"CREATE\s+(?:UNIQUE\s+)?(TABLE|INDEX|TYPE)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    rf"({_IDENT}(?:\s*\.\s*{_IDENT})?)",
    re.IGNORECASE,
)


class OwnerRequired(CaseflowError):
    """A table is missing and this database role may not create it."""

    status = 409
    code = "owner_required"


def may_create(cursor: Any, schema: str) -> bool:
    """Whether the connected role may create objects in ``schema`` (PostgreSQL)."""
    cursor.execute(
        "SELECT has_schema_privilege(current_user, %s, 'CREATE') AS ok",
        (schema,),
        prepare=False,
    )
    row = cursor.fetchone()
    return bool(row["ok"] if isinstance(row, dict) else row[0])


def may_create_tables(datastore: Any) -> bool:
    """Whether this process may run DDL in its store: always on SQLite; on PostgreSQL when
    the role has ``CREATE`` on the schema (the owner role, a superuser)."""
    if not hasattr(datastore, "schema") or not hasattr(datastore, "pool"):
        return True
    with datastore.transaction(commit=False) as c:
        return may_create(c, datastore.schema)


def _qualified(name: str, schema: str) -> str:
    return name if "." in name else f'"{schema}".{name}'


def created_objects(statements: Iterable[Any]) -> list[tuple[str, str]]:
    """(kind, name) of every table, index and type the DDL ``statements`` (text or
    psycopg ``Composed``) create, names as written (indexes unqualified)."""
    found = []
    for statement in statements:
        text = statement if isinstance(statement, str) else statement.as_string(None)
        for m in _CREATES.finditer(text):
            found.append((m.group(1).upper(), re.sub(r"\s+", "", m.group(2))))
    return found


def missing_objects(cursor: Any, schema: str, statements: Iterable[Any]) -> list[str]:
    """Which of the tables, indexes and types ``statements`` would create do not exist."""
    missing = []
    for kind, name in created_objects(statements):
        full = _qualified(name, schema)
        probe = "to_regtype" if kind == "TYPE" else "to_regclass"
        cursor.execute(f"SELECT {probe}(%s) IS NOT NULL AS ok", (full,), prepare=False)
        row = cursor.fetchone()
        if not (row["ok"] if isinstance(row, dict) else row[0]):
            missing.append(full)
    return missing


def owner_required(cursor: Any, schema: str, missing: list[str]) -> OwnerRequired:
    cursor.execute("SELECT current_user AS who", prepare=False)
    row = cursor.fetchone()
    who = row["who"] if isinstance(row, dict) else row[0]
    return OwnerRequired(
        f"database role {who} may not create tables in schema {schema}, and "
        f"{', '.join(missing)} does not exist: run 'caseflow db migrate' as the owner role "
        "('caseflow rebuild' and new read models need the owner role too; "
        "docs/auditors-guide.md)"
    )


def require_tables(datastore: Any, statements: Iterable[Any]) -> None:
    """For a process that may not run DDL (:func:`may_create_tables` is False): raise
    :class:`OwnerRequired` if anything ``statements`` would create is missing."""
    with datastore.transaction(commit=False) as c:
        missing = missing_objects(c, datastore.schema, statements)
        if missing:
            raise owner_required(c, datastore.schema, missing)


class SerialisedDDL:
    """Mixin for the library's PostgreSQL recorders: their whole ``create_table`` (the
    tracking recorders' "does the table exist yet?" check, the DDL, and the migration
    row they insert into a new tracking table) waits for any other process's. The lock
    is held by a transaction on a connection of its own from the datastore's pool and
    released when that transaction ends. A role that may not create in the schema runs
    no DDL: every table must exist already (else :class:`OwnerRequired`)."""

    datastore: Any
    sql_create_statements: list[Any]

    def create_table(self) -> None:
        with self.datastore.transaction(commit=False) as holder:
            schema = self.datastore.schema
            if not may_create(holder, schema):
                missing = missing_objects(holder, schema, self.sql_create_statements)
                if missing:
                    raise owner_required(holder, schema, missing)
                return
            holder.execute("SELECT pg_advisory_xact_lock(%s)", (DDL_LOCK_KEY,), prepare=False)
            super().create_table()  # type: ignore[misc]


@contextmanager
def ddl_lock(postgres_dsn: str | None) -> Iterator[None]:
    """Hold the DDL lock for the block on its own connection (PostgreSQL; on SQLite,
    whose writers already queue on the database lock, it does nothing)."""
    if postgres_dsn is None:
        yield
        return
    import psycopg

    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (DDL_LOCK_KEY,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (DDL_LOCK_KEY,))

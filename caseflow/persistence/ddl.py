"""Creating tables safely when several processes start at once.

``CREATE TABLE IF NOT EXISTS`` is not safe under concurrency on PostgreSQL: two
transactions that both find the table missing both try to create it (and its row type),
and one fails with a unique violation on ``pg_type``. Several gunicorn workers, the
projection process and CLI commands all start by creating what is missing, so every
piece of DDL Caseflow runs on PostgreSQL is serialised by one advisory lock: the
transaction-scoped form inside a recorder's table creation, the session-scoped form
around opening the application (whose event tables the library creates)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: The advisory lock key under which Caseflow's processes create tables (any fixed
#: 64-bit number; this one spells "caseflow" in ASCII).
DDL_LOCK_KEY = 0x63617365666C6F77


class SerialisedDDL:
    """Mixin for the library's PostgreSQL recorders: their whole ``create_table`` (the
    tracking recorders' "does the table exist yet?" check, the DDL, and the migration
    row they insert into a new tracking table) waits for any other process's. The lock
    is held by a transaction on a connection of its own from the datastore's pool and
    released when that transaction ends."""

    datastore: Any

    def create_table(self) -> None:
        with self.datastore.transaction(commit=False) as holder:
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

"""When each API token was last used (``caseflow_token_uses``), in the store's own
database so every web worker records and reads the same: the adapter of the
application's :class:`~caseflow.application.accounts.TokenUseStorage` port.

One row per token that has been used, keyed by the SHA-256 of its secret (what the
``Account`` aggregate keeps; never the secret). A use is one upsert that writes only when
the stored time is more than :data:`RESOLUTION` seconds old, so a busy script does not
write on every call. Times are seconds since the epoch (UTC). Not an event: the audit
trail records issuing and revoking a token, not each request made with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import strtobool

from caseflow.persistence.ddl import DDL_LOCK_KEY

TABLE = "caseflow_token_uses"

#: A use is written at most this often per token (seconds).
RESOLUTION = 60.0


class TokenUseTable:
    """Last uses of API tokens in ``app``'s SQLite file or PostgreSQL schema."""

    def __init__(self, datastore: SQLiteDatastore | PostgresDatastore) -> None:
        self.datastore = datastore
        if isinstance(datastore, PostgresDatastore):
            self._table = f'"{datastore.schema}"."{TABLE}"'
            self._mark = "%s"
        else:
            self._table = TABLE
            self._mark = "?"

    def _sql(self, statement: str) -> str:
        return statement.replace("{t}", self._table).replace("?", self._mark)

    def create_table(self) -> None:
        statement = (
            "CREATE TABLE IF NOT EXISTS {t} (token_hash TEXT PRIMARY KEY, "
            "last_used_at DOUBLE PRECISION NOT NULL)"
        )
        with self.datastore.transaction(commit=True) as c:
            if isinstance(self.datastore, PostgresDatastore):
                # the DDL lock of caseflow/persistence/ddl.py: workers start together
                c.execute("SELECT pg_advisory_xact_lock(%s)", (DDL_LOCK_KEY,))
            c.execute(self._sql(statement))

    def used(self, token_hash: str, at: datetime) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "INSERT INTO {t} (token_hash, last_used_at) VALUES (?, ?) "
                    "ON CONFLICT (token_hash) DO UPDATE SET last_used_at = excluded.last_used_at "
                    "WHERE {t}.last_used_at < excluded.last_used_at - ?"
                ),
                [token_hash, at.timestamp(), RESOLUTION],
            )

    def last_used(self, token_hashes: Sequence[str]) -> dict[str, datetime]:
        if not token_hashes:
            return {}
        marks = ", ".join("?" for _ in token_hashes)
        statement = f"SELECT token_hash, last_used_at FROM {{t}} WHERE token_hash IN ({marks})"
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(statement), list(token_hashes))
            rows = [_pair(r) for r in c.fetchall()]
        return {str(h): datetime.fromtimestamp(float(t), UTC) for h, t in rows}


def _pair(row: Any) -> tuple[Any, Any]:
    if isinstance(row, dict):
        return row["token_hash"], row["last_used_at"]
    return row[0], row[1]


def open_token_uses(app: Application[Any]) -> TokenUseTable:
    """The table in ``app``'s store, created if missing — unless the store's role may not
    create tables (``CREATE_TABLE=n``): then the owner creates it (``caseflow db migrate``)."""
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        kind = type(app.factory)
        raise TypeError(f"token uses need SQLite or PostgreSQL, not {kind}")
    table = TokenUseTable(datastore)
    if strtobool(app.env.get("CREATE_TABLE") or "yes"):
        table.create_table()
    return table

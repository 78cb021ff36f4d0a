"""Failed logins, counted in the store's own database (table ``caseflow_login_throttle``)
so that every web worker, on every machine, counts the same failures.

A *key* is what is throttled: an account and the address it is tried from together
(``acct:EMAIL|addr:ADDRESS``), or one address across all accounts (``addr:ADDRESS``).
A key may fail ``free`` times; from then on each failure blocks the key for a delay that
doubles with every further failure (``base``, 2×``base``, … up to ``cap`` seconds).
A key without failures for ``forget`` seconds starts afresh; a correct login clears its
account-and-address key. Since no key is the account alone, wrong passwords from one
address never lock the account's owner out when they log in from another.

Counting is one upsert per failure (``… ON CONFLICT DO UPDATE … RETURNING``): atomic on
both stores, whichever worker writes. Times are seconds since the epoch, from the
caller (the domain clock), so tests move time instead of sleeping.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import strtobool

from caseflow.persistence.ddl import DDL_LOCK_KEY

TABLE = "caseflow_login_throttle"


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures a key gets free, and how its delay grows after that."""

    free: int = 5
    base: float = 30.0
    cap: float = 3600.0
    forget: float = 86400.0

    def delay(self, failures: int) -> float:
        """Seconds the key is blocked after its ``failures``-th failure in a row."""
        if failures < self.free:
            return 0.0
        return float(min(self.cap, self.base * 2 ** (failures - self.free)))


class LoginThrottle:
    """Failure counts per key, in the application's SQLite file or PostgreSQL schema."""

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
        statements = [
            "CREATE TABLE IF NOT EXISTS {t} (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
            "last_failure DOUBLE PRECISION NOT NULL, blocked_until DOUBLE PRECISION NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {TABLE}_last_idx ON {{t}} (last_failure)",
        ]
        with self.datastore.transaction(commit=True) as c:
            if isinstance(self.datastore, PostgresDatastore):
                # the DDL lock of caseflow/persistence/ddl.py: workers start together
                c.execute("SELECT pg_advisory_xact_lock(%s)", (DDL_LOCK_KEY,))
            for statement in statements:
                c.execute(self._sql(statement))

    def retry_after(self, keys: Sequence[tuple[str, ThrottlePolicy]], now: float) -> int:
        """Whole seconds until any of ``keys`` may try again (0: now)."""
        if not keys:
            return 0
        marks = ", ".join("?" for _ in keys)
        with self.datastore.transaction(commit=False) as c:
            statement = f"SELECT key, last_failure, blocked_until FROM {{t}} WHERE key IN ({marks})"
            c.execute(self._sql(statement), [k for k, _ in keys])
            rows = [_tuple(r, ("key", "last_failure", "blocked_until")) for r in c.fetchall()]
        policies = dict(keys)
        wait = 0.0
        for key, last, blocked in rows:
            if now - float(last) > policies[key].forget:
                continue
            wait = max(wait, float(blocked) - now)
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, keys: Sequence[tuple[str, ThrottlePolicy]], now: float) -> int:
        """Count a failure for each key; returns the longest delay it now has (seconds)."""
        longest = 0.0
        with self.datastore.transaction(commit=True) as c:
            for key, policy in keys:
                c.execute(
                    self._sql(
                        "INSERT INTO {t} (key, failures, last_failure, blocked_until) "
                        "VALUES (?, 1, ?, 0) ON CONFLICT (key) DO UPDATE SET "
                        "failures = CASE WHEN ? - {t}.last_failure > ? THEN 1 "
                        "ELSE {t}.failures + 1 END, last_failure = excluded.last_failure "
                        "RETURNING failures"
                    ),
                    [key, now, now, policy.forget],
                )
                row = c.fetchone()
                failures = int(_tuple(row, ("failures",))[0])
                delay = policy.delay(failures)
                longest = max(longest, delay)
                c.execute(
                    self._sql("UPDATE {t} SET blocked_until = ? WHERE key = ?"),
                    [now + delay, key],
                )
            forget = max(p.forget for _, p in keys) if keys else 0.0
            c.execute(self._sql("DELETE FROM {t} WHERE last_failure < ?"), [now - forget])
        return math.ceil(longest)

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key`` (a correct login from that address)."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(self._sql("DELETE FROM {t} WHERE key = ?"), [key])


def _tuple(row: Any, names: Sequence[str]) -> tuple[Any, ...]:
    """A row as a tuple, whether the driver gives tuples (SQLite) or dicts (psycopg)."""
    if isinstance(row, dict):
        return tuple(row[n] for n in names)
    return tuple(row)


def open_login_throttle(app: Application[Any]) -> LoginThrottle:
    """The throttle table in ``app``'s store, created if missing — unless the store's role
    may not create tables (``CREATE_TABLE=n``): then the table's owner creates it."""
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        raise TypeError(f"login throttling needs SQLite or PostgreSQL, not {type(app.factory)}")
    throttle = LoginThrottle(datastore)
    if strtobool(app.env.get("CREATE_TABLE") or "yes"):
        throttle.create_table()
    return throttle

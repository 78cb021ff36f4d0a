"""The read side's bookkeeping tables, shared by every process on the store: the book of
stopped projections (``rm_stopped``: which projection stopped at which event of the log,
and why) and the heartbeats of ``caseflow project`` processes (``rm_runners``)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime

from caseflow.persistence.ddl import DDL_LOCK_KEY
from caseflow.readmodels.api import Stop
from caseflow.readmodels.sql import ReadModelView

log = logging.getLogger(__name__)

DDL = (
    "CREATE TABLE IF NOT EXISTS {t} (name TEXT PRIMARY KEY, position BIGINT NOT NULL, "
    "reason TEXT NOT NULL, at TEXT NOT NULL)"
)


class StopBook:
    """Records, reads and forgets stops, through one of the read models' views."""

    def __init__(self, view: ReadModelView, known: Iterable[str]) -> None:
        self.view = view
        self.table = view.physical("rm_stopped")
        self.known = set(known)

    @property
    def ddl(self) -> str:
        return DDL.format(t=self.table)

    def record(self, name: str, position: int, error: BaseException) -> Stop:
        reason = f"{type(error).__name__}: {error}"[:2000]
        stop = Stop(name, position, reason, datetime.now(UTC).isoformat())
        log.error(
            "read model %s stopped at position %s: %s (the other read models go on; "
            "`caseflow project --resume %s` tries again)",
            name,
            position,
            reason,
            name,
        )
        with self.view.transaction() as tx:
            tx.execute(f"DELETE FROM {self.table} WHERE name = ?", (name,))
            tx.execute(
                f"INSERT INTO {self.table} (name, position, reason, at) VALUES (?, ?, ?, ?)",
                (stop.name, stop.position, stop.reason, stop.at),
            )
        return stop

    def load(self) -> dict[str, Stop]:
        """Every stop recorded (by any process), by projection name."""
        with self.view.reading() as tx:
            rows = tx.all(f"SELECT name, position, reason, at FROM {self.table}")
        return {
            str(r[0]): Stop(str(r[0]), int(r[1]), str(r[2]), str(r[3]))
            for r in rows
            if str(r[0]) in self.known
        }

    def forget(self, names: Iterable[str]) -> None:
        with self.view.transaction() as tx:
            for name in names:
                tx.execute(f"DELETE FROM {self.table} WHERE name = ?", (name,))


class Heartbeats:
    """``caseflow project`` processes say they are alive (PostgreSQL only: web workers on
    other machines decide from it whether to wait for them or catch up themselves)."""

    #: A process counts as running while its heartbeat is this fresh (the web's
    #: ``wait_for`` gives a running one the grace period before catching up itself).
    FRESH_SECONDS = 15.0

    def __init__(self, view: ReadModelView) -> None:
        self.view = view
        self.table = view.physical("rm_runners")
        self.ddl = (
            f"CREATE TABLE IF NOT EXISTS {self.table} (id TEXT PRIMARY KEY, "
            "host TEXT, pid INTEGER, beat DOUBLE PRECISION NOT NULL)"
        )

    def alive(self) -> bool:
        with self.view.reading() as tx:
            n = tx.scalar(
                f"SELECT COUNT(*) FROM {self.table} WHERE beat > EXTRACT(EPOCH FROM now()) - ?",
                (self.FRESH_SECONDS,),
            )
        return bool(n)

    def beat(self, runner_id: str, *, stop: bool = False) -> None:
        with self.view.transaction() as tx:
            if stop:
                tx.execute(f"DELETE FROM {self.table} WHERE id = ?", (runner_id,))
                return
            tx.execute(
                f"INSERT INTO {self.table} (id, host, pid, beat) "
                "VALUES (?, ?, ?, EXTRACT(EPOCH FROM now())) "
                "ON CONFLICT (id) DO UPDATE SET beat = excluded.beat",
                (runner_id, os.uname().nodename, os.getpid()),
            )


def create_tables(view: ReadModelView, statements: dict[str, str], *, postgres: bool) -> None:
    """Create the bookkeeping tables that are missing (``statements``: table → DDL). On
    PostgreSQL only what is missing, under the DDL lock: an application role without CREATE
    on the schema (least privilege) cannot even run ``CREATE TABLE IF NOT EXISTS``."""
    if not postgres:
        with view.transaction() as tx:
            for statement in statements.values():
                tx.execute(statement)
        return
    with view.reading() as tx:
        missing = [t for t in statements if tx.scalar("SELECT to_regclass(?)", (t,)) is None]
    if missing:
        with view.transaction() as tx:
            tx.execute(f"SELECT pg_advisory_xact_lock({DDL_LOCK_KEY})")
            for table in missing:
                tx.execute(statements[table])

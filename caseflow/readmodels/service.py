"""The read side as one object: the projections, the catch-up driver, read-your-writes,
rebuild, and the queries of :class:`caseflow.readmodels.api.ReadModels`.

Catch-up (both stores): read the notification log from the lowest tracked position in
batches (``recorder.select_notifications``), decode each event once
(``mapper.to_domain_event``) and hand every projection the part it has not seen; each
projection writes its rows and its new position in one transaction per batch.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID, uuid4

from eventsourcing.persistence import Notification, PersistenceError, Tracking

from caseflow.persistence.ddl import DDL_LOCK_KEY
from caseflow.readmodels.api import (
    AuditFilter,
    AuditRow,
    CaseFilter,
    CaseRow,
    MeetingRow,
    Page,
    PersonName,
    RoleSpan,
)
from caseflow.readmodels.audit import AuditTrailProjection, query_audit, query_people
from caseflow.readmodels.base import ReadModelProjection, iso
from caseflow.readmodels.cases import (
    CaseStatusProjection,
    query_advice_totals,
    query_cases,
    query_status_counts,
)
from caseflow.readmodels.meetings import MeetingsProjection, query_meetings
from caseflow.readmodels.roles import RolesProjection, query_roles, query_roles_at
from caseflow.readmodels.sql import Batch, ReadModelView, Tx, view_class

if TYPE_CHECKING:
    from caseflow.application import Caseflow
    from caseflow.persistence import StoreSettings

log = logging.getLogger(__name__)

#: Every projection, in the order they are driven.
PROJECTIONS: tuple[type[ReadModelProjection], ...] = (
    CaseStatusProjection,
    AuditTrailProjection,
    RolesProjection,
    MeetingsProjection,
)

#: Seconds ``wait_for`` on PostgreSQL gives a running ``caseflow project`` before it
#: catches up itself.
GRACE_ENV = "CASEFLOW_PROJECTION_GRACE"
#: Events per catch-up batch (one transaction per projection per batch). Catching up
#: 105,728 events on PostgreSQL took 69.5 s in batches of 500, 24.5 s in batches of 2,000
#: and 15.6 s in batches of 5,000 (the per-batch cost is round trips and statements).
BATCH_ENV = "CASEFLOW_PROJECTION_BATCH"
DEFAULT_BATCH = 5000
#: A ``caseflow project`` process counts as running while its heartbeat is this fresh.
HEARTBEAT_SECONDS = 15.0
#: A catch-up of at least this many events is followed by :meth:`ReadModelService.tidy`.
TIDY_AFTER = 50_000

Progress = Callable[[int, int], None]


def projection_names() -> list[str]:
    return [cls.short for cls in PROJECTIONS]


class ReadModelService:
    """Implements :class:`~caseflow.readmodels.api.ReadModels` over one application."""

    def __init__(
        self, app: Caseflow, settings: StoreSettings, *, batch_size: int | None = None
    ) -> None:
        self.app = app
        self.settings = settings
        self.dialect = "postgres" if settings.is_postgres else "sqlite"
        self.datastore = cast(Any, app.factory).datastore
        self.batch_size = batch_size or int(os.environ.get(BATCH_ENV) or DEFAULT_BATCH)
        self.grace = float(os.environ.get(GRACE_ENV) or 0.5)
        self._lock = threading.Lock()
        self.projections: dict[str, ReadModelProjection] = {
            cls.short: cls(self._view(cls)) for cls in PROJECTIONS
        }
        for projection in self.projections.values():
            projection.view.create_table()
        if self.dialect == "postgres":
            with self._any_view.transaction() as tx:
                tx.execute(f"SELECT pg_advisory_xact_lock({DDL_LOCK_KEY})")
                tx.execute(
                    f"CREATE TABLE IF NOT EXISTS {self._runners} (id TEXT PRIMARY KEY, "
                    "host TEXT, pid INTEGER, beat DOUBLE PRECISION NOT NULL)"
                )

    # -- plumbing ----------------------------------------------------------------------

    def _view(
        self, cls: type[ReadModelProjection], prefix: str | None = None, indexes: bool = True
    ) -> ReadModelView:
        klass = view_class(self.dialect, cls.name, cls.schema)
        return cast(Any, klass)(datastore=self.datastore, prefix=prefix, with_indexes=indexes)

    @property
    def _any_view(self) -> ReadModelView:
        return self.projections["cases"].view

    @property
    def _runners(self) -> str:
        return self._any_view.physical("rm_runners")

    def select(self, names: Iterable[str] | None = None) -> dict[str, ReadModelProjection]:
        """Projections by short or table name (all when ``names`` is empty)."""
        wanted = list(names or [])
        if not wanted:
            return dict(self.projections)
        chosen: dict[str, ReadModelProjection] = {}
        for name in wanted:
            short = name.removeprefix("rm_")
            if short not in self.projections:
                raise ValueError(
                    f"no read model {name!r}; choose from {', '.join(self.projections)}"
                )
            chosen[short] = self.projections[short]
        return chosen

    def _read(self, notifications: Sequence[Notification]) -> Batch:
        to_event = self.app.mapper.to_domain_event
        name = self.app.name
        return [(to_event(n), Tracking(name, n.id)) for n in notifications]

    def _reading(self, short: str) -> Any:
        return self.projections[short].view.reading()

    # -- driving ---------------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        return {s: p.view.position(self.app.name) for s, p in self.projections.items()}

    def reached(self, position: int) -> bool:
        return all(p >= position for p in self.positions().values())

    def catch_up(self, names: Iterable[str] | None = None, until: int | None = None) -> int:
        """Process new events (every projection, or ``names``) up to the end of the log or
        at least to ``until``. Returns how many events were read."""
        with self._lock:
            chosen = self.select(names)
            seen = {s: p.view.position(self.app.name) for s, p in chosen.items()}
            read = 0
            while True:
                start = min(seen.values())
                if until is not None and start >= until:
                    break
                notifications = self.app.recorder.select_notifications(
                    start=start + 1, limit=self.batch_size
                )
                if not notifications:
                    break
                batch = self._read(notifications)
                last = notifications[-1].id
                for short, projection in chosen.items():
                    if seen[short] < last:
                        projection.process_batch(
                            [b for b in batch if b[1].notification_id > seen[short]]
                        )
                        seen[short] = last
                read += len(notifications)
            return read

    def tidy(self) -> None:
        """``VACUUM (ANALYZE)`` every read-model table (PostgreSQL; nothing on SQLite).

        A catch-up from far behind or a rebuild updates each case row many times in a
        few minutes: until autovacuum comes round, the indexes carry the dead row versions
        and the planner's statistics describe empty tables, and the overview's indexed
        queries ran several times slower on a freshly caught-up 1M-event store. ``caseflow
        project`` and ``caseflow rebuild`` call this after a large catch-up."""
        if self.dialect != "postgres" or self.settings.postgres_dsn is None:
            return
        import psycopg

        with psycopg.connect(self.settings.postgres_dsn, autocommit=True) as conn:
            for projection in self.projections.values():
                for table in projection.view.names.values():
                    conn.execute(f"VACUUM (ANALYZE) {table}")

    def wait_for(self, position: int, timeout: float = 2.0) -> bool:
        """Read your own writes. On SQLite: catch up now, in this process. On PostgreSQL:
        when a ``caseflow project`` process is running, give it up to the grace period
        (``CASEFLOW_PROJECTION_GRACE``, 0.5 s) to get there, then catch up here; with no
        such process, catch up here at once. Exactly-once tracking makes two drivers safe.
        Never raises for a failing read model (logs it): the command itself succeeded."""
        try:
            if self.reached(position):
                return True
            if self.dialect == "postgres" and self.runner_alive():
                deadline = time.monotonic() + min(self.grace, timeout)
                pause = 0.01
                while time.monotonic() < deadline:
                    time.sleep(pause)
                    if self.reached(position):
                        return True
                    pause = min(pause * 2, 0.1)
            self.catch_up(until=position)
            return self.reached(position)
        except PersistenceError:
            log.exception("read models could not catch up to %s", position)
            return False

    def runner_alive(self) -> bool:
        """Whether a ``caseflow project`` process has beaten its heart lately (PostgreSQL)."""
        if self.dialect != "postgres":
            return False
        with self._any_view.reading() as tx:
            n = tx.scalar(
                f"SELECT COUNT(*) FROM {self._runners} WHERE beat > EXTRACT(EPOCH FROM now()) - ?",
                (HEARTBEAT_SECONDS,),
            )
        return bool(n)

    def heartbeat(self, runner_id: str, *, stop: bool = False) -> None:
        if self.dialect != "postgres":
            return
        with self._any_view.transaction() as tx:
            if stop:
                tx.execute(f"DELETE FROM {self._runners} WHERE id = ?", (runner_id,))
                return
            tx.execute(
                f"INSERT INTO {self._runners} (id, host, pid, beat) "
                "VALUES (?, ?, ?, EXTRACT(EPOCH FROM now())) "
                "ON CONFLICT (id) DO UPDATE SET beat = excluded.beat",
                (runner_id, os.uname().nodename, os.getpid()),
            )

    # -- rebuild ---------------------------------------------------------------------------

    def rebuild(
        self,
        names: Iterable[str] | None = None,
        progress: Progress | None = None,
        batch_size: int = 2000,
    ) -> dict[str, int]:
        """Rebuild read models from the whole log into new tables while the old ones keep
        serving; then, per read model, one transaction locks the old tables, brings the new
        ones up to the old position (and the end of the log), drops the old and renames the
        new into place. Returns each rebuilt model's position."""
        chosen = self.select(names)
        token = uuid4().hex[:8]
        builds = {
            s: type(p)(self._view(type(p), prefix=f"{p.name}__{token}", indexes=False))
            for s, p in chosen.items()
        }
        try:
            for b in builds.values():
                b.view.create_table()
            total = self.app.recorder.max_notification_id() or 0
            position = 0
            while True:
                notifications = self.app.recorder.select_notifications(
                    start=position + 1, limit=batch_size
                )
                if not notifications:
                    break
                batch = self._read(notifications)
                for b in builds.values():
                    b.process_batch(batch)
                position = notifications[-1].id
                if progress is not None:
                    progress(position, max(total, position))
            result = {}
            for short, live in chosen.items():
                result[short] = self._swap(live, builds.pop(short), batch_size)
            return result
        finally:
            for b in builds.values():  # only those not swapped in
                with b.view.transaction() as tx:
                    b.view.drop_tables(tx)

    def _swap(self, live: ReadModelProjection, build: ReadModelProjection, batch: int) -> int:
        name = self.app.name
        with live.view.transaction() as tx:
            live.view.lock_tables(tx)
            btx: Tx = tx.with_names(build.view.names)
            target = max(
                live.view.position_in(tx, name), self.app.recorder.max_notification_id() or 0
            )
            position = build.view.position_in(btx, name)
            while position < target:
                notifications = self.app.recorder.select_notifications(
                    start=position + 1, limit=batch, stop=target
                )
                if not notifications:
                    break
                build.process_batch_in(btx, self._read(notifications))
                position = notifications[-1].id
            live.view.drop_tables(tx)
            build.view.rename_to(tx, live.view.prefix)
            live.view.create_indexes_in(tx, live.view.prefix)
            return position

    # -- queries -------------------------------------------------------------------------------

    def cases(self, f: CaseFilter) -> Page[CaseRow]:
        with self._reading("cases") as tx:
            return query_cases(tx, f)

    def status_counts(self, f: CaseFilter | None = None) -> dict[str, int]:
        with self._reading("cases") as tx:
            return query_status_counts(tx, f)

    def advice_totals(self, f: CaseFilter | None = None) -> tuple[int, int]:
        with self._reading("cases") as tx:
            return query_advice_totals(tx, f)

    def audit(self, f: AuditFilter) -> Page[AuditRow]:
        with self._reading("audit") as tx:
            return query_audit(tx, f)

    def people(self) -> list[PersonName]:
        with self._reading("audit") as tx:
            return query_people(tx)

    def roles(self, person_id: UUID | None = None, group_id: UUID | None = None) -> list[RoleSpan]:
        with self._reading("roles") as tx:
            return query_roles(tx, person_id, group_id)

    def role_at(self, person_id: UUID, group_id: UUID, at: datetime) -> RoleSpan | None:
        with self._reading("roles") as tx:
            found = query_roles_at(tx, person_id, at, group_id)
        return found[0] if found else None

    def roles_at(self, person_id: UUID, at: datetime) -> list[RoleSpan]:
        with self._reading("roles") as tx:
            return query_roles_at(tx, person_id, at)

    def meetings(self, body: str | None = None) -> list[MeetingRow]:
        with self._reading("meetings") as tx:
            return query_meetings(tx, body)

    def next_meeting(self, body: str, at_or_after: datetime) -> MeetingRow | None:
        """One indexed ``ORDER BY starts_at LIMIT 1`` (``rm_meetings_ix_starts``); the
        agenda and attachments of that meeting only."""
        with self._reading("meetings") as tx:
            found = tx.scalar(
                "SELECT id FROM {t} WHERE body = ? AND starts_at >= ? "
                "ORDER BY body, starts_at, id LIMIT 1",
                (body, iso(at_or_after)),
            )
            if found is None:
                return None
            rows = query_meetings(tx, meeting_id=str(found))
            return rows[0] if rows else None

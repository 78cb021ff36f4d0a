"""The read side as one object: the projections, the catch-up driver, read-your-writes,
rebuild, and the queries of :class:`caseflow.readmodels.api.ReadModels`.

Catch-up (both stores): read the notification log from the lowest tracked position in
batches (``recorder.select_notifications``), decode each event once
(``mapper.to_domain_event``) and hand every projection the part it has not seen; each
projection writes its rows and its new position in one transaction per batch. Other
followers of the log (the audit ledger's hash chain) are driven by the same catch-up.

Freshness: :meth:`ReadModelService.freshen` (before every page) compares the log's newest
notification id — one indexed query — with the lowest position this process knows every
projection has reached, and catches up only when another process wrote since.

Isolation: an event a projection cannot apply stops that projection only. Its position and
the reason are recorded (``rm_stopped``), logged and shown on ``/healthz``; the others go on,
and a query of the stopped read model raises :class:`ReadModelStopped` (HTTP 503).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast
from uuid import UUID

from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    PersistenceError,
    Tracking,
)

from caseflow.readmodels import search as index
from caseflow.readmodels.api import (
    AuditFilter,
    AuditRow,
    CaseFilter,
    CaseRow,
    MeetingRow,
    Page,
    PersonName,
    ReadModelStopped,
    RoleSpan,
    SearchHit,
    Stop,
)
from caseflow.readmodels.audit import AuditTrailProjection, query_audit, query_people
from caseflow.readmodels.base import ReadModelProjection, iso
from caseflow.readmodels.bookkeeping import Heartbeats, StopBook, create_tables
from caseflow.readmodels.case_list import query_advice_totals, query_cases, query_status_counts
from caseflow.readmodels.cases import CaseStatusProjection
from caseflow.readmodels.meetings import MeetingsProjection, query_meetings
from caseflow.readmodels.public import PublicQueries
from caseflow.readmodels.roles import RolesProjection, query_roles, query_roles_at
from caseflow.readmodels.sql import Batch, ReadModelView, view_class

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
    index.SearchProjection,
)

#: Seconds ``wait_for`` on PostgreSQL gives a running ``caseflow project`` before it
#: catches up itself.
GRACE_ENV = "CASEFLOW_PROJECTION_GRACE"
#: Events per catch-up batch (one transaction per projection per batch). Catching up
#: 105,728 events on PostgreSQL took 69.5 s in batches of 500, 24.5 s in batches of 2,000
#: and 15.6 s in batches of 5,000 (the per-batch cost is round trips and statements).
BATCH_ENV = "CASEFLOW_PROJECTION_BATCH"
DEFAULT_BATCH = 5000
#: A catch-up of at least this many events is followed by :meth:`ReadModelService.tidy`.
TIDY_AFTER = 50_000
#: A process starting this many events behind says so on the console, with progress.
REPORT_BEHIND = 2_000


Progress = Callable[[int, int], None]

#: Errors that say the store is out of reach for a moment (a dropped connection, a lock
#: timeout): the catch-up is abandoned and tried again, no projection is stopped.
TRANSIENT: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def projection_names() -> list[str]:
    return [cls.short for cls in PROJECTIONS]


class Follower(Protocol):
    """Another follower of the log driven by the same catch-up (e.g. the hash chain):
    it keeps its own tracking and does its work exactly once."""

    name: str

    def catch_up(self) -> int: ...

    def position(self) -> int | None:
        """The last notification id it has processed (None: nothing yet)."""
        ...


class ReadModelService(PublicQueries):
    """Implements :class:`~caseflow.readmodels.api.ReadModels` over one application."""

    def __init__(
        self,
        app: Caseflow,
        settings: StoreSettings,
        *,
        batch_size: int | None = None,
        followers: Sequence[Follower] = (),
    ) -> None:
        self.app = app
        self.settings = settings
        self.dialect = "postgres" if settings.is_postgres else "sqlite"
        self.datastore = cast(Any, app.factory).datastore
        self.batch_size = batch_size or int(os.environ.get(BATCH_ENV) or DEFAULT_BATCH)
        self.grace = float(os.environ.get(GRACE_ENV) or 0.5)
        self.followers = list(followers)
        self._lock = threading.RLock()
        #: The lowest position every running projection is known to have reached (it
        #: only grows): a page compares the log's head with it.
        self._known = 0
        #: Projections stopped at an event they could not apply (as last read).
        self.stopped: dict[str, Stop] = {}
        #: Followers whose last catch-up failed, with the reason (logged once each).
        self.follower_errors: dict[str, str] = {}
        index.use_document_files(lambda sha256: app.attachment_store.get(sha256))
        self.projections: dict[str, ReadModelProjection] = {
            cls.short: cls(self.view_for(cls)) for cls in PROJECTIONS
        }
        for projection in self.projections.values():
            projection.view.create_table()
        self.stops = StopBook(self._any_view, self.projections)
        self.heartbeats = Heartbeats(self._any_view)
        tables = {self.stops.table: self.stops.ddl}
        if self.dialect == "postgres":
            tables[self.heartbeats.table] = self.heartbeats.ddl
        create_tables(self._any_view, tables, postgres=self.dialect == "postgres")

    # -- plumbing ----------------------------------------------------------------------

    def view_for(
        self, cls: type[ReadModelProjection], prefix: str | None = None, indexes: bool = True
    ) -> ReadModelView:
        """A view of ``cls``'s tables (under ``prefix``: a rebuild's new tables)."""
        klass = view_class(self.dialect, cls.name, cls.schema)
        return cast(Any, klass)(datastore=self.datastore, prefix=prefix, with_indexes=indexes)

    @property
    def _any_view(self) -> ReadModelView:
        return self.projections["cases"].view

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

    def decode(self, notifications: Sequence[Notification]) -> Batch:
        """Each notification decoded once, with its tracking, for every projection."""
        to_event = self.app.mapper.to_domain_event
        name = self.app.name
        return [(to_event(n), Tracking(name, n.id)) for n in notifications]

    def _reading(self, short: str) -> Any:
        stop = self.stopped.get(short)
        if stop is not None:
            raise ReadModelStopped(stop)
        return self.projections[short].view.reading()

    # -- driving ---------------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        return {s: p.view.position(self.app.name) for s, p in self.projections.items()}

    def reached(self, position: int) -> bool:
        """Whether every running (not stopped) projection has processed ``position``."""
        self.load_stops()
        positions = [p for s, p in self.positions().items() if s not in self.stopped]
        low = min(positions, default=position)
        self._known = max(self._known, low)
        return low >= position

    def head(self) -> int:
        """The log's newest notification id (one indexed query; 0 for an empty log)."""
        return int(self.app.recorder.max_notification_id() or 0)

    def freshen(self) -> bool:
        """Before a page: notice events written by any process (the CLI, another server, a
        script) with one indexed query, and catch up (or wait for ``caseflow project``)
        only when there are some. True when the read models are current."""
        try:
            head = self.head()
        except PersistenceError:
            log.exception("could not read the head of the log")
            return False
        if head <= self._known:
            return True
        return self.wait_for(head)

    def start(self, *, report: Callable[[str], None] | None = None) -> int:
        """When a process starts: give stopped projections another try (a new release may
        apply the event), then catch up every projection and follower, saying so through
        ``report`` (with progress) when any is far behind. Returns how many events the
        projections read."""
        self.resume()
        head = self.head()
        lowest = min(self.positions().values(), default=0)
        behind = head - lowest
        followers_behind = max((head - (f.position() or 0) for f in self.followers), default=0)
        say = report is not None and max(behind, followers_behind) >= REPORT_BEHIND
        progress: Progress | None = None
        started = time.monotonic()
        if say and report is not None:
            if behind >= REPORT_BEHIND:
                report(f"bringing the read models up to date: {behind:,} events behind")
            if followers_behind >= REPORT_BEHIND:
                names = ", ".join(f.name for f in self.followers)
                report(f"extending the {names}: up to {followers_behind:,} events behind")
            last = [started]

            def progress(done: int, total: int) -> None:
                now = time.monotonic()
                if now - last[0] >= 2.0:
                    last[0] = now
                    report(f"  … {done:,} of {total:,} events")

        read = self.catch_up(progress=progress)
        if read >= TIDY_AFTER:
            self.tidy()
        self.reached(0)
        if say and report is not None:
            took = time.monotonic() - started
            report(f"read models up to date ({read:,} events in {took:.1f} s)")
        return read

    def catch_up(
        self,
        names: Iterable[str] | None = None,
        until: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Process new events (every projection, or ``names``) up to the end of the log or
        at least to ``until``; then the other followers (when driving every projection).
        A projection that cannot apply an event stops there (:meth:`stops`); the others go
        on. Returns how many events were read."""
        with self._lock:
            self.load_stops()
            chosen = {s: p for s, p in self.select(names).items() if s not in self.stopped}
            seen = {s: p.view.position(self.app.name) for s, p in chosen.items()}
            read = 0
            total = self.head() if progress is not None else 0
            while chosen:
                start = min(seen.values())
                if until is not None and start >= until:
                    break
                notifications = self.app.recorder.select_notifications(
                    start=start + 1, limit=self.batch_size
                )
                if not notifications:
                    break
                batch = self.decode(notifications)
                last = notifications[-1].id
                for short, projection in list(chosen.items()):
                    if seen[short] < last:
                        part = [b for b in batch if b[1].notification_id > seen[short]]
                        if not self._apply(short, projection, part):
                            del chosen[short], seen[short]
                            continue
                        seen[short] = last
                read += len(notifications)
                if progress is not None:
                    progress(last, max(total, last))
            if chosen:
                self._known = max(self._known, min(seen.values()))
            if names is None:
                self.drive_followers()
            return read

    def _apply(self, short: str, projection: ReadModelProjection, batch: Batch) -> bool:
        """Apply ``batch``; if it fails for a reason other than the store being out of
        reach, apply its events one by one up to the one that fails and stop the
        projection there. False when the projection stopped."""
        try:
            projection.process_batch(batch)
            return True
        except TRANSIENT:
            raise
        except Exception:
            log.debug("batch failed in %s; applying its events one by one", short, exc_info=True)
        for item in batch:
            try:
                projection.process_batch([item])
            except TRANSIENT:
                raise
            except Exception as e:
                self._record_stop(short, item[1].notification_id, e)
                return False
        return True

    def drive_followers(self) -> None:
        """Catch up the other followers (the hash chain); one that fails is logged and
        shown on ``/healthz``, and stops nothing else."""
        for follower in self.followers:
            try:
                follower.catch_up()
                if self.follower_errors.pop(follower.name, None) is not None:
                    log.warning("follower %s is running again", follower.name)
            except TRANSIENT:
                raise
            except Exception as e:
                reason = f"{type(e).__name__}: {e}"
                if self.follower_errors.get(follower.name) != reason:
                    log.error("follower %s stopped: %s", follower.name, reason)
                self.follower_errors[follower.name] = reason

    # -- stopped projections -----------------------------------------------------------------

    def _record_stop(self, short: str, position: int, error: BaseException) -> None:
        self.stopped[short] = self.stops.record(short, position, error)

    def load_stops(self) -> dict[str, Stop]:
        """Read which projections are stopped (by any process)."""
        self.stopped = self.stops.load()
        return self.stopped

    def resume(self, names: Iterable[str] | None = None) -> list[str]:
        """Forget that projections (all, or ``names``) stopped, so the next catch-up
        tries their event again. Returns the names resumed."""
        chosen = list(self.select(names))
        resumed = [s for s in chosen if s in self.load_stops()]
        if resumed:
            self.stops.forget(resumed)
            for short in resumed:
                self.stopped.pop(short, None)
            self._known = 0  # the resumed ones are behind: the next page catches up
        return resumed

    def health(self) -> dict[str, Any]:
        """What ``/healthz`` says: ``ok``, or ``degraded`` with what stopped and where (as
        this process last saw it: no query)."""
        stopped = {
            s: {"position": st.position, "reason": st.reason, "since": st.at}
            for s, st in self.stopped.items()
        }
        followers = dict(self.follower_errors)
        status = "degraded" if stopped or followers else "ok"
        return {"status": status, "stopped": stopped, "followers": followers}

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
        return self.dialect == "postgres" and self.heartbeats.alive()

    def heartbeat(self, runner_id: str, *, stop: bool = False) -> None:
        if self.dialect == "postgres":
            self.heartbeats.beat(runner_id, stop=stop)

    # -- rebuild ---------------------------------------------------------------------------

    def rebuild(
        self,
        names: Iterable[str] | None = None,
        progress: Progress | None = None,
        batch_size: int = 2000,
    ) -> dict[str, int]:
        """Rebuild read models from the whole log into new tables while the old ones keep
        serving, then swap them in (:func:`caseflow.readmodels.rebuild.rebuild`)."""
        from caseflow.readmodels.rebuild import rebuild

        return rebuild(self, names, progress, batch_size)

    # -- queries -------------------------------------------------------------------------------

    def cases(self, f: CaseFilter) -> Page[CaseRow]:
        if f.q and f.q.strip() and index.index_current(self):  # by relevance unless sorted
            return index.case_page(index.run_search(self, f, ranked=f.sort == CaseFilter.sort))
        with self._reading("cases") as tx:
            return query_cases(tx, f)

    def search(self, f: CaseFilter, ranked: bool = True) -> Page[SearchHit]:
        return index.run_search(self, f, ranked)

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

"""The application's core: the one eventsourcing ``Application`` (one log), its two
readers of aggregates, the unit of work (save, retry on concurrent writes, cache what was
saved) and the acting person's roles for each command.

Reading aggregates — one way for a command, one for a query:

- :meth:`CaseflowCore.for_command` gives a *private copy* to check, change and save;
- :meth:`CaseflowCore.for_query` gives the *shared cached object*, to read and never change.

Both raise :class:`~caseflow.domain.errors.NotFoundError` (404) for a missing aggregate,
or return None with ``optional=True``. There is no third way: services, the web, the
CLI, tests and benchmarks all use these two.

The unit of work is :meth:`CaseflowCore.retrying`: one attempt reads the store's news
once, ``save_all`` saves atomically, and once the attempt returns, what it saved is
cached as saved. A command's closure must not change its aggregates after returning.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, ClassVar, Literal, TypeVar, overload
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent, Recording, Repository
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Notification,
    StoredEvent,
    Transcoding,
)
from eventsourcing.utils import strtobool

from caseflow.application.actor_cache import ActorCache, build_actor
from caseflow.application.cache import (  # noqa: F401 (re-exported)
    AggregateCache,
    _kind,
    copy_aggregate,
)
from caseflow.application.ports import AttachmentStorage
from caseflow.application.settings import Settings
from caseflow.application.topics import register_moved_topics
from caseflow.domain.base import SYSTEM
from caseflow.domain.errors import ConcurrencyConflict, NotFoundError, StaleVersion
from caseflow.domain.index import Directory
from caseflow.domain.organisation import Group, MemberRegister, Person
from caseflow.domain.permissions import SYSTEM_ACTOR, Actor
from caseflow.domain.planning import PlanningRules

__all__ = ["AggregateCache", "CaseflowCore", "copy_aggregate"]

#: The fixed "not found" keys (the others name what is missing).
NOT_FOUND = {
    "case": "case not found",
    "meeting": "meeting not found",
    "group": "group not found",
    "measure": "measure not found",
}


def not_found(what: str) -> str:
    """The message key of a 404 for ``what``."""
    return NOT_FOUND.get(what, "%(what)s not found")


T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)

#: ``recorder.select_notifications_and_events(start, limit, originator_id)``: the log
#: from ``start`` (at most ``limit``) and every event of one aggregate, in one query.
TailAndEvents = Callable[[int, int, UUID], tuple[Sequence[Notification], Sequence[StoredEvent]]]

#: How often a command is re-run on fresh state after losing a write race.
MAX_ATTEMPTS = 8

#: Aggregates kept in memory per application (env ``AGGREGATE_CACHE_MAXSIZE``): enough for
#: the organisation (people, groups, register, directory, meetings) and the cases in use.
DEFAULT_CACHE_SIZE = 500


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


_KG_ID = Group.create_id("kg")


def typed_or_missing(
    agg: Any, cls: type[A], aggregate_id: UUID, what: str, optional: bool
) -> A | None:
    """``agg`` if it is a ``cls``; else None when ``optional``, or a 404 naming ``what``
    (what every reader answers for a missing aggregate)."""
    if isinstance(agg, cls):
        return agg
    if optional:
        return None
    raise NotFoundError(not_found(what), what=what or cls.__name__, id=str(aggregate_id))


class CaseflowCore(Application[UUID]):
    """One application, one log: every aggregate of Caseflow lives here."""

    name = "Caseflow"
    #: The size of the application's :class:`AggregateCache` (the library's own cache,
    #: fast-forwarded with one query per aggregate, is not used).
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": str(DEFAULT_CACHE_SIZE)}

    def __init__(self, env: dict[str, str] | None = None, settings: Settings | None = None) -> None:
        register_moved_topics()  # before any stored event is read
        super().__init__(env)
        #: The organisation's settings, given by the composition root (default: the rules').
        self.settings = settings if settings is not None else Settings()
        self._attachment_store: AttachmentStorage | None = None
        self._local = threading.local()
        self.after_save: list[Callable[[int], None]] = []
        size = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        maxsize = int(size) if size else DEFAULT_CACHE_SIZE
        if strtobool(self.env.get("POSTGRES_ENABLE_DB_FUNCTIONS") or "no"):
            maxsize = 0  # inserts without the table lock: ids may commit out of order
        self.cache = AggregateCache(maxsize)
        #: The store's one-query read of the log's tail and one aggregate's events, when
        #: its recorder has one (caseflow/persistence/sqlite.py and postgres.py).
        self._tail_and_events: TailAndEvents | None = getattr(
            self.recorder, "select_notifications_and_events", None
        )
        #: Acting persons kept while the aggregates they were built from stand.
        self.actors = ActorCache(self.cache)
        # A subclass serving aggregates from elsewhere (the demo's batched application
        # keeps a working set) overrides the two readers; then every read goes through them.
        cls = type(self)
        self._served_elsewhere = cls.for_command is not CaseflowCore.for_command or (
            cls.for_query is not CaseflowCore.for_query
        )

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository without its cache: :class:`AggregateCache` caches."""
        return Repository(event_store=self.events, snapshot_store=self.snapshots)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # -- ports and settings given by the composition root -------------------------------

    @property
    def attachment_store(self) -> AttachmentStorage:
        """Where attachment bytes live: the store the composition root gave
        (:meth:`use_attachment_store`)."""
        store = self._attachment_store
        if store is None:
            raise RuntimeError(
                "no attachment store: the composition root gives one with "
                "use_attachment_store(AttachmentStore.from_environ(os.environ))"
            )
        return store

    def use_attachment_store(self, store: AttachmentStorage) -> None:
        """The composition root (web, CLI, tests) chooses where attachment bytes live."""
        self._attachment_store = store

    @property
    def planning_rules(self) -> PlanningRules:
        """R16: KG window and deadlines (from the settings)."""
        return self.settings.planning_rules

    def use_planning_rules(self, rules: PlanningRules) -> None:
        """Other R16 numbers from now on (a test, or a composition root that knows better)."""
        self.settings = dataclasses.replace(self.settings, planning_rules=rules)

    @property
    def best_years(self) -> frozenset[int] | None:
        """R20: the years with the BEST conference, if configured (else: odd years)."""
        return self.settings.best_years

    # -- reading aggregates -------------------------------------------------------------
    #
    # Outside a command or ``reading()`` each read first catches the cache up with the
    # store; inside, the first read does, so one command reads the store's news once
    # ("now" is the start of the attempt).

    @contextlib.contextmanager
    def reading(self, *, renew: bool = False) -> Iterator[None]:
        """Reads inside see the store as of their first read (one catch-up). Nested in
        another ``reading()`` it shares that one, unless ``renew`` (a command attempt)."""
        local = self._local
        depth, fresh = getattr(local, "depth", 0), getattr(local, "fresh", False)
        local.depth = depth + 1
        if renew or not depth:
            local.fresh = False
        try:
            yield
        finally:
            local.depth = depth
            local.fresh = (fresh or local.fresh) if depth else False

    def _catch_up_due(self) -> bool:
        local = self._local
        return not (getattr(local, "fresh", False) and getattr(local, "depth", 0))

    def _caught_up(self) -> None:
        if getattr(self._local, "depth", 0):
            self._local.fresh = True

    def _ensure_fresh(self) -> None:
        if not self._catch_up_due():
            return
        self.cache.catch_up(self.recorder, self.mapper)
        self._caught_up()

    def _fetch(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate replayed from its stored events (as the library's repository
        does: ``event.mutate``, starting from None), or None."""
        agg: Any = None
        event: Any
        for event in self.events.get(aggregate_id):
            agg = event.mutate(agg)
        return agg if isinstance(agg, Aggregate) else None

    def _replay(self, stored: Iterable[StoredEvent]) -> Aggregate | None:
        """:meth:`_fetch` of events already read."""
        agg: Any = None
        event: Any
        for record in stored:
            event = self.mapper.to_domain_event(record)
            agg = event.mutate(agg)
        return agg if isinstance(agg, Aggregate) else None

    def _private(self, aggregate_id: UUID) -> Aggregate | None:
        """A private copy of the current aggregate (:meth:`for_command`). When the read
        is also the attempt's catch-up and the aggregate is not cached, the log's tail
        and the aggregate's events come from one query (one round trip on PostgreSQL,
        one snapshot): the cache catches up with the tail, and the aggregate is
        replayed from its events, as :meth:`_fetch` would have read them."""
        cache = self.cache
        start = cache.position
        read = self._tail_and_events
        if (
            read is not None
            and start is not None
            and cache.maxsize > 0
            and self._catch_up_due()
            and cache.get(aggregate_id) is None
        ):
            notes, stored = read(start + 1, cache.PAGE, aggregate_id)
            cache.caught_up(notes, self.mapper)
            self._caught_up()
            return self._replay(stored)
        self._ensure_fresh()
        cached = cache.get(aggregate_id)
        return copy_aggregate(cached) if cached is not None else self._fetch(aggregate_id)

    def _shared(self, aggregate_id: UUID, *, fresh: bool = True) -> Aggregate | None:
        """The cached aggregate (never to be mutated), read and cached on a miss."""
        if fresh:
            self._ensure_fresh()
        agg = self.cache.get(aggregate_id)
        if agg is None:
            seen = self.cache.position
            agg = self._fetch(aggregate_id)
            if agg is not None:
                self.cache.offer(agg, seen)
        return agg

    @overload
    def for_query(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: Literal[False] = ...
    ) -> A: ...

    @overload
    def for_query(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: Literal[True]
    ) -> A | None: ...

    def for_query(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: bool = False
    ) -> A | None:
        """**The reader for queries**: the current aggregate, shared from the cache (read
        and cached on a miss) — read it, never change it. Missing: 404 naming ``what``,
        or None if ``optional``."""
        agg = self._shared(aggregate_id)
        return typed_or_missing(agg, cls, aggregate_id, what, optional)

    @overload
    def for_command(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: Literal[False] = ...
    ) -> A: ...

    @overload
    def for_command(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: Literal[True]
    ) -> A | None: ...

    def for_command(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: bool = False
    ) -> A | None:
        """**The reader for commands**: a private copy to check, change and save. A miss
        is read from the store and not cached: the unit of work (:meth:`retrying`)
        caches it once it is saved. Missing: 404 naming ``what``, or None if ``optional``."""
        agg = self._private(aggregate_id)
        return typed_or_missing(agg, cls, aggregate_id, what, optional)

    # -- the unit of work -----------------------------------------------------------------

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's ``Application.save``, step for step, collecting an aggregate's
        events without asking two runtime-checked protocols about it first (the
        library's ``ProcessingEvent.collect_events``: ``isinstance`` against a
        ``Protocol`` walks the protocol's attributes, about a tenth of a command's
        CPU); anything else (an event) is collected as the library does."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        events, aggregates = processing_event.events, processing_event.aggregates
        for obj in objs:
            if isinstance(obj, Aggregate):
                events.extend(obj.collect_events())
                aggregates[obj.id] = obj
            elif isinstance(obj, DomainEvent):  # the batched demo saves events
                events.append(obj)
            elif obj is not None:
                processing_event.collect_events(obj)
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # the library's deprecated hook, as it calls it
        return recordings

    def save_all(self, *aggregates: Aggregate | None) -> int | None:
        """Save atomically; remember the last notification id for read-your-writes, and
        what was saved for the unit of work to cache when the attempt is done."""
        recordings = self.save(*aggregates)
        ids = [r.notification.id for r in recordings if r.notification.id is not None]
        position = max(ids) if ids else None
        if ids:
            saved: list[tuple[int, tuple[Aggregate | None, ...]]] | None
            saved = getattr(self._local, "saved", None)
            if saved is not None:
                saved.append((min(ids), aggregates))
        if position is not None:
            self._local.position = position
            for callback in self.after_save:
                callback(position)
        return position

    def _adopt_saved(self) -> None:
        """Cache what this attempt saved, as saved (the command is done with them)."""
        saved: list[tuple[int, tuple[Aggregate | None, ...]]] = (
            getattr(self._local, "saved", None) or []
        )
        self._local.saved = None
        if not saved or self._served_elsewhere:
            return
        first_id = min(first for first, _ in saved)
        done = {
            a.id: a for _, aggs in saved for a in aggs if a is not None and not a.pending_events
        }
        self.cache.adopt(done.values(), first_id)

    @property
    def last_position(self) -> int | None:
        """Notification id of the last event this thread saved."""
        return getattr(self._local, "position", None)

    def retrying(self, command: Callable[[], T]) -> T:
        """**The unit of work.** Run ``command`` (which reads with :meth:`for_command`,
        checks, mutates and saves with :meth:`save_all`) and re-run it on fresh state
        when another writer saved first. The command's own checks decide whether the step
        still makes sense; if writers keep winning, report a conflict (HTTP 409). Each
        attempt reads the store's news once, at its first read; once it returns, what it
        saved is cached as saved."""
        for _ in range(MAX_ATTEMPTS):
            outer = getattr(self._local, "saved", None)
            self._local.saved = []
            try:
                with self.reading(renew=True):
                    result = command()
                self._adopt_saved()
                return result
            except IntegrityError:
                continue
            finally:
                self._local.saved = outer
        raise ConcurrencyConflict(
            "the record was changed by others several times while saving; try again"
        )

    @staticmethod
    def check_version(aggregate: Aggregate, expected_version: int | None) -> None:
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleVersion(
                "The record has changed (version %(current)s, you had %(expected)s); "
                "reload and try again.",
                current=aggregate.version,
                expected=expected_version,
            )

    # -- organisation lookups -----------------------------------------------------------

    def register(self) -> MemberRegister | None:
        """The member register, a private copy (to change), or None."""
        return self.for_command(MemberRegister, MemberRegister.create_id(), optional=True)

    def shared_register(self) -> MemberRegister | None:
        """The member register, shared (read only), or None: for pages that only read it."""
        return self.for_query(MemberRegister, MemberRegister.create_id(), optional=True)

    def directory(self) -> Directory:
        """The directory, a private copy (to change); a new one if there is none yet."""
        found = self.for_command(Directory, Directory.create_id(), optional=True)
        return found if found is not None else _new_directory()

    def shared_directory(self) -> Directory:
        """The directory, shared (read only); an empty one if there is none yet."""
        found = self.for_query(Directory, Directory.create_id(), optional=True)
        return found if found is not None else _new_directory()

    def groups(self) -> list[Group]:
        """Every group, private copies. Queries use :meth:`shared_groups`."""
        return [copy_aggregate(g) for g in self.shared_groups()]

    def shared_groups(self) -> list[Group]:
        """Every group, shared (read only)."""
        with self.reading():
            directory = self.shared_directory()
            return [self.for_query(Group, gid, "group") for gid in list(directory.groups.values())]

    @staticmethod
    def kg_id() -> UUID:
        return _KG_ID

    def actor(self, person_id: UUID | str | None, groups: Iterable[UUID] | None = None) -> Actor:
        """The acting person with their roles *now*: system roles from the person,
        region from the member register, seats from the given groups (all groups when
        ``groups`` is None). Reads the cached aggregates without copying them, and is
        built once per organisation version: kept (:class:`ActorCache`) while every
        aggregate it was read from is still the cached object, so a membership ended or a
        role revoked, in this process or another, counts from the next catch-up."""
        if person_id is None or person_id == SYSTEM:
            return SYSTEM_ACTOR
        pid = person_id if isinstance(person_id, UUID) else UUID(str(person_id))
        wanted = None if groups is None else tuple(groups)
        with self.reading():
            if self._served_elsewhere:
                return self._build_actor(pid, wanted)[0]
            self._ensure_fresh()
            key = (pid, wanted)
            found = self.actors.get(key)
            if found is not None:
                return found
            actor, sources = self._build_actor(pid, wanted)
            self.actors.put(key, actor, sources)
            return actor

    def _build_actor(
        self, pid: UUID, groups: tuple[UUID, ...] | None
    ) -> tuple[Actor, list[Aggregate | None]]:
        """The actor, and every aggregate it was read from (None for one not found)."""
        return build_actor(self, pid, groups)

    def person_name(self, actor: str | UUID | None) -> str:
        """A person's display name for an event's actor (``system`` stays as is).
        Names never change (no event renames a person), so a cached person will do."""
        if actor is None:
            return ""
        if actor == SYSTEM:
            return "Caseflow"
        try:
            pid = actor if isinstance(actor, UUID) else UUID(str(actor))
        except ValueError:
            return str(actor)
        if self._served_elsewhere:
            person: Any = self.for_query(Person, pid, optional=True)
        else:
            person = self._shared(pid, fresh=False)
        return person.name if isinstance(person, Person) else str(actor)


def _new_directory() -> Directory:
    return Directory._create(
        Directory.Opened, id=Directory.create_id(), actor=SYSTEM, role=SYSTEM, on_behalf_of=None
    )

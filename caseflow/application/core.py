"""The application's core: the eventsourcing ``Application`` subclass, loading and saving
with retry on concurrent writes, and building the acting person's roles for each command.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import types
import typing
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import deepcopy
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import Application, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Notification,
    Transcoding,
)
from eventsourcing.utils import strtobool

from caseflow.application.topics import register_moved_topics
from caseflow.domain.base import SYSTEM
from caseflow.domain.errors import ConcurrencyConflict, NotFoundError, StaleVersion
from caseflow.domain.index import Directory
from caseflow.domain.organisation import Group, MemberRegister, Person
from caseflow.domain.permissions import SYSTEM_ACTOR, Actor, Seat
from caseflow.domain.values import OrgKind

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)

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


# -- copying aggregates -------------------------------------------------------------------

_ATOMIC = (str, int, float, bytes, type(None), UUID, datetime, date, time, timedelta, Decimal, Enum)
_KINDS: dict[type, str] = {}


def _kind(t: type) -> str:
    kind = _KINDS.get(t)
    if kind is None:
        if issubclass(t, _ATOMIC):
            kind = "atomic"
        elif t in (list, dict, set):
            kind = t.__name__
        elif t in (tuple, frozenset):
            kind = "tuple"
        elif dataclasses.is_dataclass(t) and t.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            _KINDS[t] = "frozen"  # while its fields are looked at (a field of its own type)
            kind = "atomic" if _declared_immutable(t) else "frozen"
        else:
            kind = "other"
        _KINDS[t] = kind
    return kind


def _declared_immutable(cls: type) -> bool:
    """A frozen dataclass whose fields are all declared atomic (or optional atomic)."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:
        return False
    for f in dataclasses.fields(cls):
        hint = hints.get(f.name)
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for option in options:
            if not (isinstance(option, type) and _kind(option) == "atomic"):
                return False
    return True


def _immutable(value: Any) -> bool:
    kind = _kind(type(value))
    if kind == "atomic":
        return True
    if kind == "tuple":
        return all(_immutable(v) for v in value)
    if kind == "frozen":
        return all(_immutable(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    kind = _kind(type(value))
    if kind == "atomic":
        return value
    done = memo.get(id(value))
    if done is not None:
        return done
    copied: Any
    if kind == "list":
        copied = memo[id(value)] = []
        copied.extend(_copy(v, memo) for v in value)
    elif kind == "dict" and all(_immutable(k) for k in value):
        copied = memo[id(value)] = {}
        copied.update((k, _copy(v, memo)) for k, v in value.items())
    elif kind == "set" and all(_immutable(v) for v in value):
        copied = memo[id(value)] = set(value)
    elif kind in ("tuple", "frozen") and _immutable(value):
        return value
    else:
        copied = memo[id(value)] = deepcopy(value, {})
    return copied


def copy_aggregate(agg: A) -> A:
    """A deep copy of ``agg`` that shares what cannot change (strings, numbers, ids,
    times, enums, frozen values made of those): the same result as ``deepcopy`` for
    every purpose, at a fraction of its cost for aggregates holding many values."""
    cls = type(agg)
    copied = cls.__new__(cls)
    memo: dict[int, Any] = {id(agg): copied}
    copied.__dict__.update((k, _copy(v, memo)) for k, v in agg.__dict__.items())
    return copied


class AggregateCache:
    """Aggregates shared by every thread of the application, kept current from the log.

    ``position`` is a notification id such that every cached aggregate reflects every
    stored event up to it. :meth:`catch_up` reads the notification log after
    ``position`` (one query, usually a handful of rows) and applies the new events of
    cached aggregates. This relies on notification ids being committed in order — the
    library's guarantee for the notification log (SQLite has one writer; PostgreSQL
    inserts under a table lock), the same one the projections rely on.

    Cached aggregates are never mutated: catching up applies events to a copy and
    swaps it in, so a reader holding one sees a consistent state, and ``load`` gives
    commands a private deep copy to change.
    """

    #: More new events than this since the last catch-up: forget everything instead.
    PAGE = 1000

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.position: int | None = None
        self._items: OrderedDict[UUID, Aggregate] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, aggregate_id: UUID) -> Aggregate | None:
        with self._lock:
            agg = self._items.get(aggregate_id)
            if agg is not None:
                self._items.move_to_end(aggregate_id)
            return agg

    def offer(self, agg: Aggregate, seen: int | None) -> None:
        """Keep ``agg``, read from the store after the log was caught up to ``seen`` —
        unless the cache has moved on since (it might then have passed over events of
        ``agg`` newer than the read)."""
        if seen is None:
            return
        with self._lock:
            if self.position == seen:
                self._put(agg)

    def adopt(self, aggregates: Iterable[Aggregate], first_id: int) -> None:
        """Keep aggregates just saved with notification ids from ``first_id``: sound
        while no catch-up has read past them (a later one sees any newer event)."""
        with self._lock:
            if self.position is None or self.position >= first_id:
                return
            for agg in aggregates:
                self._put(agg)

    def _put(self, agg: Aggregate) -> None:
        current = self._items.get(agg.id)
        if current is None or current.version < agg.version:
            self._items[agg.id] = agg
        self._items.move_to_end(agg.id)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def catch_up(self, recorder: ApplicationRecorder, mapper: Mapper[UUID]) -> None:
        """Bring every cached aggregate up to the events stored now."""
        if self.maxsize <= 0:
            return
        start = self.position
        if start is None:
            top = recorder.max_notification_id() or 0
            with self._lock:
                if self.position is None:
                    self.position = top
            return
        notes = recorder.select_notifications(start=start + 1, limit=self.PAGE)
        if not notes:
            return
        with self._lock:
            if len(notes) >= self.PAGE:
                self._items.clear()  # whatever is loaded from now on includes them
            else:
                self._apply(notes, mapper)
            self.position = max(self.position or 0, notes[-1].id)

    def _apply(self, notes: Sequence[Notification], mapper: Mapper[UUID]) -> None:
        changed: dict[UUID, Aggregate] = {}
        dropped: set[UUID] = set()
        for note in notes:
            oid = note.originator_id
            oid = oid if isinstance(oid, UUID) else UUID(str(oid))
            if oid in dropped:
                continue
            agg = changed.get(oid)
            if agg is None:
                agg = self._items.get(oid)
            if agg is None or note.originator_version <= agg.version:
                continue  # not cached, or already included (our own save, a reload)
            try:
                if note.originator_version != agg.version + 1:
                    raise LookupError("events missing")
                event: Any = mapper.to_domain_event(note)
                if oid not in changed:
                    agg = copy_aggregate(agg)
                changed[oid] = event.mutate(agg)
            except Exception:  # reload it from the store when next asked for
                dropped.add(oid)
                changed.pop(oid, None)
                self._items.pop(oid, None)
        for oid, agg in changed.items():
            if oid in self._items:
                self._items[oid] = agg


_KG_ID = Group.create_id("kg")


class CaseflowCore(Application[UUID]):
    """One application, one log: every aggregate of Caseflow lives here."""

    name = "Caseflow"
    #: The size of the application's :class:`AggregateCache` (the library's own cache,
    #: fast-forwarded with one query per aggregate, is not used).
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": str(DEFAULT_CACHE_SIZE)}

    def __init__(self, env: dict[str, str] | None = None) -> None:
        register_moved_topics()  # before any stored event is read
        super().__init__(env)
        self._local = threading.local()
        self.after_save: list[Callable[[int], None]] = []
        size = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        maxsize = int(size) if size else DEFAULT_CACHE_SIZE
        if strtobool(self.env.get("POSTGRES_ENABLE_DB_FUNCTIONS") or "no"):
            maxsize = 0  # inserts without the table lock: ids may commit out of order
        self.cache = AggregateCache(maxsize)
        # A subclass serving aggregates from elsewhere (the demo's batched application
        # keeps a working set) overrides load/find; then every read goes through them.
        cls = type(self)
        self._served_elsewhere = cls.load is not CaseflowCore.load or (
            cls.find is not CaseflowCore.find
        )

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository without its cache: :class:`AggregateCache` caches."""
        return Repository(event_store=self.events, snapshot_store=self.snapshots)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # -- reading aggregates -------------------------------------------------------------
    #
    # ``load``/``find`` give a private deep copy (to mutate, or to hand out); ``peek``
    # gives the cached object itself, for reading only. Outside a command or ``reading()``
    # each call first catches the cache up with the store; inside, the first call does,
    # so one command reads the store's news once ("now" is the start of the attempt).

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

    def _ensure_fresh(self) -> None:
        local = self._local
        if getattr(local, "fresh", False) and getattr(local, "depth", 0):
            return
        self.cache.catch_up(self.recorder, self.mapper)
        if getattr(local, "depth", 0):
            local.fresh = True

    def _fetch(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate replayed from its stored events (as the library's repository
        does: ``event.mutate``, starting from None), or None."""
        agg: Any = None
        event: Any
        for event in self.events.get(aggregate_id):
            agg = event.mutate(agg)
        return agg if isinstance(agg, Aggregate) else None

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

    def load(self, cls: type[A], aggregate_id: UUID, what: str = "") -> A:
        """Load an aggregate (a private copy), or raise :class:`NotFoundError` (HTTP 404)."""
        return copy_aggregate(self.peek(cls, aggregate_id, what))

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """A private copy of the aggregate, or None."""
        agg = self.peek_or_none(cls, aggregate_id)
        return None if agg is None else copy_aggregate(agg)

    def peek(self, cls: type[A], aggregate_id: UUID, what: str = "") -> A:
        """The current aggregate, shared: read it, never change it. 404 if missing."""
        agg = self.peek_or_none(cls, aggregate_id)
        if agg is None:
            raise NotFoundError(f"{what or cls.__name__} not found", id=str(aggregate_id))
        return agg

    def peek_or_none(self, cls: type[A], aggregate_id: UUID) -> A | None:
        if self._served_elsewhere:
            return self.find(cls, aggregate_id)
        agg = self._shared(aggregate_id)
        return agg if isinstance(agg, cls) else None

    def private(self, cls: type[A], aggregate_id: UUID, what: str = "") -> A:
        """A copy to change and save, or 404. A miss is read from the store and not
        cached: :meth:`adopt_saved` keeps it once it is saved."""
        agg = self.private_or_none(cls, aggregate_id)
        if agg is None:
            raise NotFoundError(f"{what or cls.__name__} not found", id=str(aggregate_id))
        return agg

    def private_or_none(self, cls: type[A], aggregate_id: UUID) -> A | None:
        if self._served_elsewhere:
            return self.find(cls, aggregate_id)
        self._ensure_fresh()
        cached = self.cache.get(aggregate_id)
        agg = copy_aggregate(cached) if cached is not None else self._fetch(aggregate_id)
        return agg if isinstance(agg, cls) else None

    # -- saving ---------------------------------------------------------------------------

    def save_all(self, *aggregates: Aggregate | None) -> int | None:
        """Save atomically; remember the last notification id for read-your-writes."""
        recordings = self.save(*aggregates)
        ids = [r.notification.id for r in recordings if r.notification.id is not None]
        position = max(ids) if ids else None
        self._local.saved = (min(ids), aggregates) if ids else None
        if position is not None:
            self._local.position = position
            for callback in self.after_save:
                callback(position)
        return position

    def adopt_saved(self) -> None:
        """Cache what this thread's last ``save_all`` saved, as saved — for a command that
        is done with those aggregates (it must not change them afterwards)."""
        saved = getattr(self._local, "saved", None)
        self._local.saved = None
        if saved is None or self._served_elsewhere:
            return
        first_id, aggregates = saved
        done = [a for a in aggregates if a is not None and not a.pending_events]
        self.cache.adopt(done, first_id)

    @property
    def last_position(self) -> int | None:
        """Notification id of the last event this thread saved."""
        return getattr(self._local, "position", None)

    def retrying(self, command: Callable[[], T]) -> T:
        """Run ``command`` (which loads, mutates and saves) and re-run it on fresh state
        when another writer saved first. The command's own checks decide whether the step
        still makes sense; if writers keep winning, report a conflict (HTTP 409). Each
        attempt reads the store's news once, at its first read."""
        for _ in range(MAX_ATTEMPTS):
            try:
                with self.reading(renew=True):
                    return command()
            except IntegrityError:
                continue
            finally:
                self._local.saved = None
        raise ConcurrencyConflict(
            "the record was changed by others several times while saving; try again"
        )

    @staticmethod
    def check_version(aggregate: Aggregate, expected_version: int | None) -> None:
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleVersion(
                f"the record has changed (version {aggregate.version}, "
                f"you had {expected_version}); reload and try again",
                current=aggregate.version,
                expected=expected_version,
            )

    # -- organisation lookups -----------------------------------------------------------

    def register(self) -> MemberRegister | None:
        return self.find(MemberRegister, MemberRegister.create_id())

    def directory(self) -> Directory:
        found = self.find(Directory, Directory.create_id())
        if found is None:
            return Directory._create(
                Directory.Opened,
                id=Directory.create_id(),
                actor=SYSTEM,
                role=SYSTEM,
                on_behalf_of=None,
            )
        return found

    def groups(self) -> list[Group]:
        return [self.load(Group, g.id) for g in self._shared_groups()]

    def _shared_groups(self) -> list[Group]:
        with self.reading():
            directory = self.peek_or_none(Directory, Directory.create_id())
            if directory is None:
                return []
            return [self.peek(Group, gid, "group") for gid in list(directory.groups.values())]

    @staticmethod
    def kg_id() -> UUID:
        return _KG_ID

    def actor(self, person_id: UUID | str | None, groups: Iterable[UUID] | None = None) -> Actor:
        """The acting person with their roles *now*: system roles from the person,
        region from the member register, seats from the given groups (all groups when
        ``groups`` is None). Reads the cached aggregates without copying them."""
        if person_id is None or person_id == SYSTEM:
            return SYSTEM_ACTOR
        pid = person_id if isinstance(person_id, UUID) else UUID(str(person_id))
        with self.reading():
            person = self.peek(Person, pid, "person")
            region = None
            if person.organisation.kind in (OrgKind.MUNICIPALITY, OrgKind.COUNTY):
                register = self.peek_or_none(MemberRegister, MemberRegister.create_id())
                if register is not None:
                    region = register.region_of(person.organisation.number)
            if groups is None:
                group_objs = self._shared_groups()
            else:
                found = (self.peek_or_none(Group, gid) for gid in groups)
                group_objs = [g for g in found if g is not None]
            seats: dict[UUID, Seat] = {}
            for g in group_objs:
                m = g.membership(pid)
                if m is not None:
                    seats[g.id] = Seat(g.id, g.slug, g.kind, m.role, m.on_behalf_of)
            return Actor(
                id=pid.hex,
                name=person.name,
                organisation=person.organisation,
                region=region,
                system_roles=frozenset(person.system_roles),
                seats=seats,
            )

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
            person: Any = self.find(Person, pid)
        else:
            person = self._shared(pid, fresh=False)
        return person.name if isinstance(person, Person) else str(actor)

"""The aggregate cache shared by every thread of the application, and the cheap deep
copy that hands a command its private copy of a cached aggregate."""

from __future__ import annotations

import dataclasses
import threading
import types
import typing
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from copy import deepcopy
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification

A = TypeVar("A", bound=Aggregate)

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
            args = typing.get_args(option)
            if typing.get_origin(option) is tuple and len(args) == 2 and args[1] is Ellipsis:
                option = args[0]  # tuple[str, ...] (a screening's words): as its items are
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
    swaps it in, so a reader holding one sees a consistent state, and ``for_command`` gives
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
        self.caught_up(recorder.select_notifications(start=start + 1, limit=self.PAGE), mapper)

    def caught_up(self, notes: Sequence[Notification], mapper: Mapper[UUID]) -> None:
        """Apply ``notes``: the log read from just after :attr:`position` (at most
        :attr:`PAGE` of them), as :meth:`catch_up` reads it — or as a reader that read
        the log's tail together with something else in one query did."""
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

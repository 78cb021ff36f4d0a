"""Acting persons built once and kept while the organisation they were built from stands.

:meth:`CaseflowCore.actor` builds an :class:`~caseflow.domain.permissions.Actor` from a
person, the member register, the directory and groups, all read from the application's
:class:`~caseflow.application.cache.AggregateCache`. That cache never mutates an
aggregate: a new event (from this process or another one, seen when the cache catches up
with the log) swaps in a new object. So the *organisation version* an actor was built from
is the set of cached objects it read — and an actor built earlier is still exactly what a
new build would give as long as the cache holds those very objects (``is``), and nothing
else was read. :class:`ActorCache` keeps actors on that condition:

- a membership ended, a role revoked, a region left, a group established (the directory
  changes) — anywhere, in any process — replaces one of those objects at the cache's next
  catch-up, and the next :meth:`ActorCache.get` misses and the actor is built again;
- an actor built from anything the cache did not keep (a read on a miss the cache refused,
  an aggregate that does not exist yet) is not kept at all.

The permission checks are the same functions on the same ``Actor`` values; only the
rebuilding is saved. Actors are shared between requests and threads: read them, never
change them (they are frozen; their ``seats`` mapping is not to be changed either).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from caseflow.application.cache import AggregateCache
from caseflow.domain.organisation import Group, MemberRegister, Person
from caseflow.domain.permissions import Actor, Seat
from caseflow.domain.values import OrgKind

if TYPE_CHECKING:
    from caseflow.application.core import CaseflowCore

#: Actors kept per application (people acting recently, each with the groups asked for).
DEFAULT_ACTORS = 512


@dataclass(frozen=True)
class _Kept:
    actor: Actor
    #: The cached aggregates the actor was built from, by id.
    sources: tuple[tuple[UUID, Aggregate], ...]


class ActorCache:
    """Actors by key (the person and the groups asked for), each valid while every
    aggregate it was built from is still the object the aggregate cache holds."""

    def __init__(self, aggregates: AggregateCache, maxsize: int = DEFAULT_ACTORS) -> None:
        self.aggregates = aggregates
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, _Kept] = OrderedDict()
        self._lock = threading.Lock()
        #: Counters for tests and profiles: hits, builds kept, builds not kept.
        self.hits = self.kept = self.not_kept = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Actor | None:
        """The kept actor for ``key`` if every aggregate it was built from is still the
        cached one; else None (and the stale entry is forgotten)."""
        with self._lock:
            kept = self._items.get(key)
            if kept is not None:
                self._items.move_to_end(key)
        if kept is None:
            return None
        cached = self.aggregates.get
        for aggregate_id, source in kept.sources:
            if cached(aggregate_id) is not source:
                with self._lock:
                    if self._items.get(key) is kept:
                        del self._items[key]
                return None
        self.hits += 1
        return kept.actor

    def put(self, key: Hashable, actor: Actor, sources: Sequence[Aggregate | None]) -> None:
        """Keep ``actor``, built from ``sources`` — only if each is the object the
        aggregate cache holds now (checked after the build: an aggregate read on a miss
        that the cache did not keep, or a missing one, means the actor is not kept)."""
        if self.maxsize <= 0 or self.aggregates.maxsize <= 0:
            return
        pairs: list[tuple[UUID, Aggregate]] = []
        cached = self.aggregates.get
        for source in sources:
            if source is None or cached(source.id) is not source:
                self.not_kept += 1
                return
            pairs.append((source.id, source))
        kept = _Kept(actor, tuple(pairs))
        with self._lock:
            self._items[key] = kept
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        self.kept += 1

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def build_actor(
    core: CaseflowCore, pid: UUID, groups: tuple[UUID, ...] | None
) -> tuple[Actor, list[Aggregate | None]]:
    """The actor with their roles now (:meth:`CaseflowCore.actor`), and every aggregate
    it was read from, shared from the cache (None for one not found)."""
    person = core.for_query(Person, pid, "person")
    sources: list[Aggregate | None] = [person]
    region = None
    if person.organisation.kind in (OrgKind.MUNICIPALITY, OrgKind.COUNTY):
        register = core.for_query(MemberRegister, MemberRegister.create_id(), optional=True)
        sources.append(register)
        if register is not None:
            region = register.region_of(person.organisation.number)
    group_objs: list[Group] = []
    if groups is None:
        directory = core.shared_directory()
        sources.append(directory)
        group_objs = [
            core.for_query(Group, gid, "group") for gid in list(directory.groups.values())
        ]
        sources.extend(group_objs)
    else:
        for gid in groups:
            found = core.for_query(Group, gid, optional=True)
            sources.append(found)
            if found is not None:
                group_objs.append(found)
    seats: dict[UUID, Seat] = {}
    for g in group_objs:
        m = g.membership(pid)
        if m is not None:
            seats[g.id] = Seat(g.id, g.slug, g.kind, m.role, m.on_behalf_of)
    actor = Actor(
        id=pid.hex,
        name=person.name,
        organisation=person.organisation,
        region=region,
        system_roles=frozenset(person.system_roles),
        seats=seats,
    )
    return actor, sources

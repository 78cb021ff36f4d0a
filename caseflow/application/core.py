"""The application's core: the eventsourcing ``Application`` subclass, loading and saving
with retry on concurrent writes, and building the acting person's roles for each command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

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


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class CaseflowCore(Application[UUID]):
    """One application, one log: every aggregate of Caseflow lives here."""

    name = "Caseflow"
    #: Aggregates are cached and fast-forwarded from the store on every get (so several
    #: processes stay correct); commands get deep copies, so a refused step leaves no trace.
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "5000"}

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._local = threading.local()
        self.after_save: list[Callable[[int], None]] = []

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # -- persistence helpers ------------------------------------------------------

    def load(self, cls: type[A], aggregate_id: UUID, what: str = "") -> A:
        """Load an aggregate, or raise :class:`NotFoundError` (HTTP 404)."""
        try:
            agg: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{what or cls.__name__} not found", id=str(aggregate_id)) from None
        if not isinstance(agg, cls):
            raise NotFoundError(f"{what or cls.__name__} not found", id=str(aggregate_id))
        return agg

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        try:
            agg: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return agg if isinstance(agg, cls) else None

    def save_all(self, *aggregates: Aggregate | None) -> int | None:
        """Save atomically; remember the last notification id for read-your-writes."""
        recordings = self.save(*aggregates)
        position = None
        for r in recordings:
            if r.notification.id is not None:
                position = max(position or 0, r.notification.id)
        if position is not None:
            self._local.position = position
            for callback in self.after_save:
                callback(position)
        return position

    @property
    def last_position(self) -> int | None:
        """Notification id of the last event this thread saved."""
        return getattr(self._local, "position", None)

    def retrying(self, command: Callable[[], T]) -> T:
        """Run ``command`` (which loads, mutates and saves) and re-run it on fresh state
        when another writer saved first. The command's own checks decide whether the step
        still makes sense; if writers keep winning, report a conflict (HTTP 409)."""
        for _ in range(MAX_ATTEMPTS):
            try:
                return command()
            except IntegrityError:
                continue
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
        return [self.load(Group, gid) for gid in self.directory().groups.values()]

    @staticmethod
    def kg_id() -> UUID:
        return Group.create_id("kg")

    def actor(self, person_id: UUID | str | None, groups: Iterable[UUID] | None = None) -> Actor:
        """The acting person with their roles *now*: system roles from the person,
        region from the member register, seats from the given groups (all groups when
        ``groups`` is None)."""
        if person_id is None or person_id == SYSTEM:
            return SYSTEM_ACTOR
        pid = person_id if isinstance(person_id, UUID) else UUID(str(person_id))
        person = self.load(Person, pid, "person")
        register = self.register()
        region = None
        if person.organisation.kind in (OrgKind.MUNICIPALITY, OrgKind.COUNTY) and register:
            region = register.region_of(person.organisation.number)
        group_objs = (
            self.groups() if groups is None else [g for g in map(self._maybe_group, groups) if g]
        )
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

    def _maybe_group(self, gid: UUID) -> Group | None:
        return self.find(Group, gid)

    def person_name(self, actor: str | UUID | None) -> str:
        """A person's display name for an event's actor (``system`` stays as is)."""
        if actor is None:
            return ""
        if actor == SYSTEM:
            return "Caseflow"
        try:
            pid = actor if isinstance(actor, UUID) else UUID(str(actor))
        except ValueError:
            return str(actor)
        person = self.find(Person, pid)
        return person.name if person else str(actor)

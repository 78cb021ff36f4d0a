"""Small helper aggregates: unique keys (``Index``) and counters (``Counter``).

An index's id is ``uuid5(kind, key)``, so creating a second index with the same key
collides in the event store and is refused: uniqueness enforced by the store itself.
A counter is saved together with whatever takes its number, so two concurrent writers
can never get the same number (one of them conflicts and is retried).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.values import stable_id

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant


class Index(CaseflowAggregate):
    """Points a unique key (a case reference, a token hash) at an aggregate id."""

    class Indexed(CaseflowAggregate.Created):
        kind: str
        key: str
        target: UUID

    def __init__(self, kind: str, key: str, target: UUID) -> None:
        self.kind = kind
        self.key = key
        self.target = target

    @staticmethod
    def create_id(kind: str, key: str) -> UUID:
        return stable_id("index", kind, key)


class Counter(CaseflowAggregate):
    """A named, monotonically increasing counter."""

    class Started(CaseflowAggregate.Created):
        name: str

    def __init__(self, name: str) -> None:
        self.name = name
        self.value = 0

    @staticmethod
    def create_id(name: str) -> UUID:
        return stable_id("counter", name)

    class Incremented(CaseflowAggregate.Event):
        value: int

        def apply(self, aggregate: Any) -> None:
            aggregate.value = self.value

    def next(self, by: Grant) -> int:
        self._record(self.Incremented, by, value=self.value + 1)
        return self.value


class Directory(CaseflowAggregate):
    """The list of groups, people, meetings and measures, so that the organisation can be
    enumerated without a read model (there are tens of groups and hundreds of people)."""

    class Opened(CaseflowAggregate.Created):
        pass

    def __init__(self) -> None:
        self.groups: dict[str, UUID] = {}
        self.people: list[UUID] = []
        self.meetings: list[UUID] = []
        self.measures: list[UUID] = []

    @staticmethod
    def create_id() -> UUID:
        return stable_id("directory")

    class GroupListed(CaseflowAggregate.Event):
        slug: str
        group_id: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.groups[self.slug] = self.group_id

    class PersonListed(CaseflowAggregate.Event):
        person_id: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.people.append(self.person_id)

    class MeetingListed(CaseflowAggregate.Event):
        meeting_id: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.meetings.append(self.meeting_id)

    class MeasureListed(CaseflowAggregate.Event):
        measure_id: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.measures.append(self.measure_id)

    def list_measure(self, measure_id: UUID, by: Grant) -> None:
        self._record(self.MeasureListed, by, measure_id=measure_id)

    def list_meeting(self, meeting_id: UUID, by: Grant) -> None:
        self._record(self.MeetingListed, by, meeting_id=meeting_id)

    def list_group(self, slug: str, group_id: UUID, by: Grant) -> None:
        self._record(self.GroupListed, by, slug=slug, group_id=group_id)

    def list_person(self, person_id: UUID, by: Grant) -> None:
        self._record(self.PersonListed, by, person_id=person_id)

"""Meetings and their agendas (saksliste), and the per-year item numbering of the board,
the interest-policy committee and the council of representatives.

Board items are numbered in one sequence per calendar year across all that year's board
meetings (``Sak 38/25``); a number once given is never reused. KG and group meetings
number their items 1, 2, … afresh at each meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.errors import InvalidInput, InvalidTransition
from caseflow.domain.values import MeetingBody, stable_id


@dataclass(frozen=True)
class AgendaItem:
    number: int
    year: int | None
    title: str
    case_id: UUID | None
    standing: bool

    @property
    def label(self) -> str:
        if self.year is not None:
            return f"Sak {self.number}/{self.year % 100:02d}"
        return f"Sak {self.number}"


class Meeting(CaseflowAggregate):
    """A meeting of one body: when, where, its agenda."""

    class Scheduled(CaseflowAggregate.Created):
        body: str
        title: str
        starts_at: datetime
        place: str
        group_id: UUID | None

    def __init__(
        self, body: str, title: str, starts_at: datetime, place: str, group_id: UUID | None
    ) -> None:
        self.body = MeetingBody(body)
        self.title = title
        self.starts_at = starts_at
        self.place = place
        self.group_id = group_id
        self.items: list[AgendaItem] = []
        self.held = False

    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    class ItemAdded(CaseflowAggregate.Event):
        number: int
        year: int | None
        title: str
        case_id: UUID | None
        standing: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.items.append(
                AgendaItem(self.number, self.year, self.title, self.case_id, self.standing)
            )

    class Held(CaseflowAggregate.Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.held = True

    @property
    def year(self) -> int:
        return self.starts_at.year

    def check_open_for_items(self) -> None:
        if self.held:
            raise InvalidTransition("the meeting has been held; its agenda is closed")

    def add_item(
        self,
        title: str,
        by: Any,
        *,
        case_id: UUID | None = None,
        standing: bool = False,
        sequence: AgendaSequence | None = None,
    ) -> AgendaItem:
        """Add an item. Per-year bodies take their number from ``sequence``."""
        self.check_open_for_items()
        if not title.strip():
            raise InvalidInput.field("title", "required")
        if case_id is not None and any(i.case_id == case_id for i in self.items):
            raise InvalidTransition("the case is already on this meeting's agenda")
        if self.body.numbers_per_year:
            if sequence is None or sequence.year != self.year:
                raise ValueError("a per-year body needs the sequence of the meeting's year")
            number = sequence.issue(by)
            year: int | None = self.year
        else:
            number = len(self.items) + 1
            year = None
        self._record(
            self.ItemAdded,
            by,
            number=number,
            year=year,
            title=title.strip(),
            case_id=case_id,
            standing=standing,
        )
        return self.items[-1]

    def mark_held(self, by: Any) -> None:
        if self.held:
            raise InvalidTransition("the meeting is already marked as held")
        self._record(self.Held, by)


class AgendaSequence(CaseflowAggregate):
    """The next item number of one body in one calendar year. Saved together with the
    meeting (and case) it numbers, so two concurrent submissions cannot share a number."""

    class Started(CaseflowAggregate.Created):
        body: str
        year: int

    def __init__(self, body: str, year: int) -> None:
        self.body = MeetingBody(body)
        self.year = year
        self.last = 0

    @staticmethod
    def create_id(body: str, year: int) -> UUID:
        return stable_id("agenda-sequence", body, str(year))

    class NumberIssued(CaseflowAggregate.Event):
        number: int

        def apply(self, aggregate: Any) -> None:
            aggregate.last = self.number

    def issue(self, by: Any) -> int:
        self._record(self.NumberIssued, by, number=self.last + 1)
        return self.last

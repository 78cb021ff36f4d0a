"""Agendas (saksliste): their items, the per-year item numbering of the board, the
interest-policy committee and the council of representatives, and the standing items.

Board items are numbered in one sequence per calendar year across all that year's board
meetings (``Sak 38/25``); a number once given is never reused or changed. KG and group
meetings number their items 1, 2, … afresh at each meeting.

**When a number is given** (issue 14, DOMAIN.md). Items wait on a meeting's list
unnumbered, in the order the secretariat gives them (:data:`Section`: the opening standing
items first, the cases and other items, the briefings and "Eventuelt" last); sending the
invitation numbers them in printed order, continuing the body's sequence. An item added
after that is a supplementary item (tilleggssak): the next free number, marked. A
postponed or withdrawn item keeps its number on the meeting's record, marked. Numbers are
never reused. Items added by the release before issue 14 (``Meeting.ItemAdded``) were
numbered when added and keep those numbers.

``AgendaSequence`` was defined in ``caseflow.domain.meeting`` until issue 13; stored
events still name it there, and ``caseflow/application/topics.py`` maps those topics here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.localtime import local_text
from caseflow.domain.screening import Screening
from caseflow.domain.values import MeetingBody, stable_id

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant


class Section(StrEnum):
    """Where an item waits on the agenda before it is numbered."""

    OPENING = "opening"  # "Godkjenning av innkalling", "Godkjenning av referat fra …"
    MAIN = "main"  # the cases and any other item
    CLOSING = "closing"  # the briefings (orienteringer) and "Eventuelt"


class ItemState(StrEnum):
    """An item's standing on its meeting's record."""

    ON_AGENDA = "on_agenda"
    POSTPONED = "postponed"  # utsatt: kept with its number; the case waits again
    WITHDRAWN = "withdrawn"  # trukket: kept with its number


@dataclass(frozen=True)
class AgendaItem:
    """One item of a meeting's agenda; ``year`` is set for the bodies numbered per year.
    ``number`` is None while the item waits for the invitation. ``key`` identifies the
    item whatever its number (items of the release before issue 14: their number)."""

    number: int | None
    year: int | None
    title: str
    case_id: UUID | None
    standing: bool
    key: str = ""
    section: Section = Section.MAIN
    supplementary: bool = False
    state: ItemState = ItemState.ON_AGENDA
    note: str = ""
    decision: str = ""  # the minutes' vedtak on the item (protokoll)
    #: Issue 18: a free item (no case) screened by the secretariat; an item for a case
    #: follows its case (the views read the case's screening).
    screening: Screening | None = None

    @property
    def public_title(self) -> str:
        """The title the public sees of a free item (a case's item: its case's)."""
        return self.screening.public_title if self.screening is not None else self.title

    @property
    def label(self) -> str:
        """``Sak 38/25`` or ``Sak 2``; empty while unnumbered."""
        if self.number is None:
            return ""
        if self.year is not None:
            return f"Sak {self.number}/{self.year % 100:02d}"
        return f"Sak {self.number}"

    @property
    def active(self) -> bool:
        return self.state is ItemState.ON_AGENDA


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

    def issue(self, by: Grant) -> int:
        self._record(self.NumberIssued, by, number=self.last + 1)
        return self.last

    def peek(self) -> int:
        """The number the next :meth:`issue` gives."""
        return self.last + 1


# -- standard agenda items ----------------------------------------------------------------

#: Opening and closing standing items of a real board agenda (styremøte 8.12.2025:
#: Sak 38/25 "Godkjenning av innkalling" … Sak 47/25 "Eventuelt").
BOARD_CLOSING = (
    "Orientering fra styrets medlemmer",
    "Orientering fra interessepolitisk utvalg",
    "Orientering fra sekretariatet",
    "Eventuelt",
)

#: The standing items that open an agenda (they wait first, before the cases).
OPENING_PREFIXES = ("Godkjenning av innkalling", "Godkjenning av referat", "Velkommen")

#: The standing items that close an agenda (they wait last, after the cases).
CLOSING_PREFIXES = ("Orientering fra", "Eventuelt", "Oppsummering")


def section_of(title: str, *, standing: bool) -> Section:
    """Where a new item waits: a standing item by its title, a case among the cases."""
    if standing and title.startswith(OPENING_PREFIXES):
        return Section.OPENING
    if standing and title.startswith(CLOSING_PREFIXES):
        return Section.CLOSING
    return Section.MAIN


#: The standing item the R15 KG minutes are attached to.
SECRETARIAT_BRIEFING = "Orientering fra sekretariatet"

_BODY_NOUN = {
    MeetingBody.BOARD: "styremøte",
    MeetingBody.KG: "KG-møte",
    MeetingBody.IPU: "møte i interessepolitisk utvalg",
    MeetingBody.COUNCIL: "representantskapsmøte",
    MeetingBody.GROUP: "gruppemøte",
    MeetingBody.JOINT: "felles samling",
}


def standard_items(
    body: MeetingBody, previous: datetime | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The standing items of a body's agenda as (opening, closing). ``previous`` is the
    date of the body's previous meeting, whose minutes the opening part approves."""
    noun = _BODY_NOUN[body]
    minutes = (
        f"Godkjenning av referat fra {noun} {local_text(previous, '%d.%m.%Y')}"
        if previous is not None
        else "Godkjenning av referat fra forrige møte"
    )
    if body is MeetingBody.BOARD:
        return ("Godkjenning av innkalling", minutes), BOARD_CLOSING
    if body is MeetingBody.JOINT:
        return ("Velkommen og program",), ("Oppsummering og veien videre",)
    return ("Godkjenning av innkalling og saksliste", minutes), ("Eventuelt",)


# -- the agenda's lifecycle (issue 14): pure functions on the list of items ---------------


def find(items: list[AgendaItem], key: str) -> AgendaItem | None:
    return next((i for i in items if i.key == key), None)


def insert_position(items: list[AgendaItem], section: Section) -> int:
    """Where a new waiting item goes: an opening item after the opening items, a main
    item before the first closing item, a closing item last."""
    if section is Section.CLOSING:
        return len(items)
    if section is Section.OPENING:
        opening = [n for n, i in enumerate(items) if i.section is Section.OPENING]
        return opening[-1] + 1 if opening else 0
    closing = [n for n, i in enumerate(items) if i.section is Section.CLOSING]
    return closing[0] if closing else len(items)


def moved(items: list[AgendaItem], key: str, position: int) -> list[AgendaItem]:
    item = find(items, key)
    if item is None:
        return items
    rest = [i for i in items if i.key != key]
    rest.insert(max(0, min(position, len(rest))), item)
    return rest


def numbered(
    items: list[AgendaItem], numbers: dict[str, int], year: int | None
) -> list[AgendaItem]:
    return [replace(i, number=numbers[i.key], year=year) if i.key in numbers else i for i in items]


def marked(items: list[AgendaItem], key: str, state: ItemState, note: str) -> list[AgendaItem]:
    """A numbered item keeps its place, marked; an unnumbered one leaves the agenda."""
    kept: list[AgendaItem] = []
    for i in items:
        if i.key != key:
            kept.append(i)
        elif i.number is not None:
            kept.append(replace(i, state=state, note=note))
    return kept


def decided(items: list[AgendaItem], key: str, decision: str) -> list[AgendaItem]:
    return [replace(i, decision=decision) if i.key == key else i for i in items]


def screened(items: list[AgendaItem], key: str, screening: Screening | None) -> list[AgendaItem]:
    return [replace(i, screening=screening) if i.key == key else i for i in items]


def next_free(items: list[AgendaItem]) -> int:
    """The next number of a body numbered per meeting (never one used before)."""
    return max((i.number for i in items if i.number is not None), default=0) + 1

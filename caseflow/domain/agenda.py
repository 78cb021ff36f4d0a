"""Agendas (saksliste): their items, the per-year item numbering of the board, the
interest-policy committee and the council of representatives, and the standing items.

Board items are numbered in one sequence per calendar year across all that year's board
meetings (``Sak 38/25``); a number once given is never reused or changed. KG and group
meetings number their items 1, 2, … afresh at each meeting.

**Numbering and order.** A number is issued when an item is added, and the printed agenda
is ordered by number. To get the order of a real board agenda (opening items, the cases,
the briefings, "Eventuelt"), the standard items come in two parts (:func:`standard_items`):
the opening part is added when the agenda is opened, the closing part when the invitation
is sent. A case added after the invitation takes the next number and is printed last,
as a late item (tilleggssak) is.

``AgendaSequence`` was defined in ``caseflow.domain.meeting`` until issue 13; stored
events still name it there, and ``caseflow/application/topics.py`` maps those topics here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.localtime import local_text
from caseflow.domain.values import MeetingBody, stable_id

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant


@dataclass(frozen=True)
class AgendaItem:
    """One item of a meeting's agenda; ``year`` is set for the bodies numbered per year."""

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


# -- standard agenda items ----------------------------------------------------------------

#: Opening and closing standing items of a real board agenda (styremøte 8.12.2025:
#: Sak 38/25 "Godkjenning av innkalling" … Sak 47/25 "Eventuelt").
BOARD_CLOSING = (
    "Orientering fra styrets medlemmer",
    "Orientering fra interessepolitisk utvalg",
    "Orientering fra sekretariatet",
    "Eventuelt",
)

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

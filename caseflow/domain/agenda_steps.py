"""The agenda's lifecycle steps after an item is on the list (issue 14): ordering the
waiting agenda, the supplementary invitation (tilleggsinnkalling), postponing (utsatt) and
withdrawing (trukket) an item, cancelling a meeting. Each records one ``Meeting`` event;
the caller has checked permissions and passes the grant. Adding and numbering items are
``Meeting.add_item`` and ``Meeting.number_agenda``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from caseflow.domain.agenda import AgendaItem, AgendaSequence, next_free
from caseflow.domain.errors import InvalidInput, InvalidTransition
from caseflow.domain.meeting import Meeting, MeetingStatus

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant


def number_agenda(meeting: Meeting, sequence: AgendaSequence | None, by: Grant) -> dict[str, int]:
    """Number the waiting items in printed order (the invitation's first act)."""
    meeting.check_planned()
    numbers: dict[str, int] = {}
    next_number = next_free(meeting.items)
    for i in meeting.items:
        if i.number is None and i.active:
            if meeting.body.numbers_per_year:
                numbers[i.key] = meeting._next_number(sequence, by)[0]
            else:
                numbers[i.key] = next_number
                next_number += 1
    if numbers:
        year = meeting.year if meeting.body.numbers_per_year else None
        meeting._record(Meeting.AgendaNumbered, by, numbers=numbers, year=year)
    return numbers


def unsent_supplementary_items(meeting: Meeting) -> list[AgendaItem]:
    """The supplementary items no supplementary invitation has named yet."""
    sent = {k for s in meeting.supplements for k in s.item_keys}
    return [i for i in meeting.items if i.supplementary and i.key not in sent]


def move_item(meeting: Meeting, key: str, position: int, by: Grant) -> None:
    """Order the waiting agenda: put an item at ``position`` (0 = first)."""
    meeting.check_open_for_items()
    item = meeting.item(key)
    if meeting.status is not MeetingStatus.PLANNED or item.number is not None:
        raise InvalidTransition("the agenda is numbered; its order is fixed")
    if position < 0 or position >= len(meeting.items):
        raise InvalidInput.field(
            "position", "a place from 1 to %(count)s", count=str(len(meeting.items))
        )
    if meeting.items.index(item) != position:
        meeting._record(Meeting.ItemMoved, by, key=key, position=position)


def send_supplementary_invitation(meeting: Meeting, recipients: list[UUID], by: Grant) -> None:
    """A tilleggsinnkalling for the supplementary items added since the last one."""
    if meeting.status is not MeetingStatus.INVITATION_SENT:
        raise InvalidTransition("a supplementary invitation follows the invitation")
    added = unsent_supplementary_items(meeting)
    if not added:
        raise InvalidTransition("no supplementary item has been added since the last invitation")
    meeting._record(
        meeting.SupplementaryInvitationSent,
        by,
        recipients=sorted(set(recipients), key=str),
        item_keys=[i.key for i in added],
    )


def postpone_item(meeting: Meeting, key: str, reason: str, by: Grant) -> AgendaItem:
    """Utsatt (before the meeting or at it): a numbered item stays, marked."""
    if meeting.cancelled or meeting.status is MeetingStatus.MINUTES_APPROVED:
        raise InvalidTransition("the meeting's record is closed")
    return _mark(meeting, key, reason, meeting.ItemPostponed, by)


def withdraw_item(meeting: Meeting, key: str, reason: str, by: Grant) -> AgendaItem:
    """Trukket before the meeting: a numbered item stays, marked."""
    meeting.check_open_for_items()
    return _mark(meeting, key, reason, meeting.ItemWithdrawn, by)


def _mark(meeting: Meeting, key: str, reason: str, event: type[Any], by: Grant) -> AgendaItem:
    item = meeting.item(key)
    if not item.active:
        raise InvalidTransition("the item is already postponed or withdrawn")
    if not reason.strip():
        raise InvalidInput.field("reason", "required")
    meeting._record(event, by, key=key, reason=reason.strip())
    return item


def cancel(meeting: Meeting, reason: str, by: Grant) -> None:
    """Cancel a meeting not yet held; its numbers stay used."""
    meeting.check_open_for_items()
    if not reason.strip():
        raise InvalidInput.field("reason", "required")
    meeting._record(meeting.Cancelled, by, reason=reason.strip())


# -- the minutes (protokoll): attendance and each item's decision ------------------------


def _check_minutes_open(meeting: Meeting) -> None:
    if meeting.status is not MeetingStatus.HELD:
        raise InvalidTransition("the minutes are recorded after the meeting is held")


def record_attendance(meeting: Meeting, present: list[UUID], absent: list[UUID], by: Grant) -> None:
    """Who attended and who sent apologies (each person once)."""
    _check_minutes_open(meeting)
    if set(present) & set(absent):
        raise InvalidInput.field("absent", "a person is either present or absent")
    meeting._record(
        Meeting.AttendanceRecorded,
        by,
        present=list(dict.fromkeys(present)),
        absent=list(dict.fromkeys(absent)),
    )


def decide_item(meeting: Meeting, key: str, decision: str, by: Grant) -> AgendaItem:
    """The decision (vedtak) on a numbered item that was dealt with."""
    _check_minutes_open(meeting)
    item = meeting.item(key)
    if item.number is None:
        raise InvalidInput.field("item", "items are numbered by the invitation")
    if not item.active:
        raise InvalidTransition("the item is already postponed or withdrawn")
    if not decision.strip():
        raise InvalidInput.field("decision", "required")
    meeting._record(Meeting.ItemDecided, by, key=key, decision=decision.strip())
    return item

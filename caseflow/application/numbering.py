"""The year's agenda numbering of a body (R2: a board case's number is its place in the
year's sequence): shared by submitting a case, keeping an agenda and sending the
invitation, which numbers the waiting items (issue 14)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from caseflow.application.core import CaseflowCore
from caseflow.domain.agenda import AgendaSequence
from caseflow.domain.agenda_steps import postpone_item
from caseflow.domain.case import Case
from caseflow.domain.meeting import Meeting, MeetingStatus
from caseflow.domain.permissions import Grant
from caseflow.domain.values import CaseStatus, MeetingBody


def stamp(grant: Grant) -> dict[str, Any]:
    """Who did it, in which role, on whose behalf: the fields every created event takes."""
    return {"actor": grant.actor, "role": grant.role, "on_behalf_of": grant.on_behalf_of}


def agenda_sequence(core: CaseflowCore, meeting: Meeting, grant: Grant) -> AgendaSequence:
    """The meeting's body's sequence for its year (a private copy, or a new one)."""
    seq_id = AgendaSequence.create_id(meeting.body.value, meeting.year)
    return core.for_command(AgendaSequence, seq_id, optional=True) or AgendaSequence._create(
        AgendaSequence.Started, body=meeting.body.value, year=meeting.year, **stamp(grant)
    )


def numbering_sequence(core: CaseflowCore, meeting: Meeting, grant: Grant) -> AgendaSequence | None:
    """The sequence an item added now needs: a per-year body's, once the invitation has
    gone out (a supplementary item takes the next number); else None (it waits)."""
    if not meeting.body.numbers_per_year or meeting.status is MeetingStatus.PLANNED:
        return None
    return agenda_sequence(core, meeting, grant)


def number_cases(
    core: CaseflowCore, meeting: Meeting, numbers: dict[str, int], grant: Grant
) -> list[Any]:
    """Give each board case waiting on ``meeting`` the number its item just got."""
    if meeting.body is not MeetingBody.BOARD:
        return []
    cases: list[Any] = []
    for item in meeting.items:
        if item.case_id is None or item.key not in numbers:
            continue
        case = core.for_command(Case, item.case_id, optional=True)
        if case is not None and case.submission and case.submission.meeting_id == meeting.id:
            case.give_number(meeting.id, numbers[item.key], meeting.year, grant)
            cases.append(case)
    return cases


def waiting_case(core: CaseflowCore, meeting: Meeting, case_id: UUID | None) -> Case | None:
    """The board case submitted to ``meeting`` and still waiting for its decision there."""
    if meeting.body is not MeetingBody.BOARD or case_id is None:
        return None
    case = core.for_command(Case, case_id, optional=True)
    if (
        case is None
        or case.status is not CaseStatus.SUBMITTED
        or case.submission is None
        or case.submission.meeting_id != meeting.id
    ):
        return None
    return case


def postpone_on_agenda(core: CaseflowCore, case: Case, reason: str, grant: Grant) -> list[Any]:
    """A case postponed as a case step: its item on the board meeting it waits on is
    marked postponed too (kept with its number; an unnumbered one leaves the list)."""
    if case.submission is None:
        return []
    meeting = core.for_command(Meeting, case.submission.meeting_id, optional=True)
    if meeting is None or meeting.cancelled or meeting.status is MeetingStatus.MINUTES_APPROVED:
        return []
    item = next((i for i in meeting.active_items() if i.case_id == case.id), None)
    if item is None or not reason.strip():
        return []
    postpone_item(meeting, item.key, reason, grant)
    return [meeting]

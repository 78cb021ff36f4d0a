"""The agenda's lifecycle after items are on it (issue 14): the secretariat orders the
waiting agenda, sends supplementary invitations for supplementary items (tilleggssaker),
postpones or withdraws an item, cancels a meeting. Adding items: ``meetings.py``; the
invitation that numbers the agenda: ``minutes.py``.

A board case on the meeting moves with its item, in the same save: postponed, it is
``postponed`` and waits for a later meeting (where it is numbered again); withdrawn from
the agenda or on a cancelled meeting, it is ``ready`` again and waits. The item keeps its
number on this meeting's record; numbers are never reused."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from caseflow.application.case_queries import CaseQueries
from caseflow.application.cases import CaseService
from caseflow.application.core import CaseflowCore
from caseflow.application.meetings import MeetingService
from caseflow.application.minutes import MinutesService
from caseflow.application.numbering import waiting_case
from caseflow.application.views import MeetingView
from caseflow.domain import agenda_steps
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Person
from caseflow.domain.permissions import Grant, may_take_secretariat_step
from caseflow.domain.values import MeetingBody, Step

#: The standing item (2) that approves the previous meeting's minutes.
MINUTES_APPROVAL = "Godkjenning av referat"


class AgendaService:
    """Ordering, supplementary invitations, postponement, withdrawal, cancellation."""

    def __init__(
        self,
        core: CaseflowCore,
        cases: CaseQueries,
        case_service: CaseService,
        meetings: MeetingService,
        minutes: MinutesService,
    ) -> None:
        self.core = core
        self.cases = cases
        self.case_service = case_service
        self.meetings = meetings
        self.minutes = minutes

    def move_item(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        item: str,
        position: int,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Put a waiting item at ``position`` (1 = first) of the agenda."""

        def mutate(meeting: Meeting, grant: Grant) -> None:
            agenda_steps.move_item(meeting, item, position - 1, grant)

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    def move_item_by(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        item: str,
        offset: int,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Move a waiting item up (``offset`` -1) or down (+1)."""

        def mutate(meeting: Meeting, grant: Grant) -> None:
            found = meeting.item(item)
            target = meeting.items.index(found) + offset
            agenda_steps.move_item(
                meeting, item, max(0, min(target, len(meeting.items) - 1)), grant
            )

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    def add_case(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        case: UUID | str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Put a case on a meeting's list: a board meeting by submission (R1, R2; the
        secretariat only), any other by placing it. Before the invitation it waits
        unnumbered; after it, it is a supplementary item."""
        meeting = self.core.for_query(Meeting, meeting_id, "meeting")
        if meeting.body is not MeetingBody.BOARD:
            return self.meetings.place_case_on_agenda(
                actor_id, meeting_id, case, expected_version=expected_version
            )
        self.case_service.submit_case(actor_id, case, meeting_id, meeting_version=expected_version)
        return self.meetings.views.get_meeting(meeting_id)

    def send_supplementary_invitation(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """The tilleggsinnkalling: the supplementary items added since the last one, to
        the invitation's recipients (the body's members and the invitees, as they are now).
        Sent as often as items are added."""

        def mutate(meeting: Meeting, grant: Grant) -> None:
            agenda_steps.send_supplementary_invitation(
                meeting, self.minutes.recipients(meeting), grant
            )

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    def postpone_item(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        item: str,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Utsatt: the item stays on this meeting's record with its number, marked; its
        board case is postponed and waits for a later meeting."""

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            found = meeting.item(item)
            agenda_steps.postpone_item(meeting, item, reason, grant)
            case = waiting_case(self.core, meeting, found.case_id)
            if case is None:
                return []
            actor = self.cases.case_actor(actor_id, case)
            case.postpone(reason, may_take_secretariat_step(actor, Step.POSTPONE))
            return [case]

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    def withdraw_item(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        item: str,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Trukket: the item stays on this meeting's record with its number, marked; its
        board case is ready again and waits for a meeting."""

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            found = meeting.item(item)
            agenda_steps.withdraw_item(meeting, item, reason, grant)
            case = waiting_case(self.core, meeting, found.case_id)
            if case is None:
                return []
            case.return_to_wait(meeting.id, reason.strip(), grant)
            return [case]

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    def cancel_meeting(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Cancel a meeting not yet held: its board cases go back to wait; the numbers it
        used stay used."""
        if not (reason or "").strip():
            raise InvalidInput.field("reason", "required")

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            agenda_steps.cancel(meeting, reason, grant)
            returned: list[Case] = []
            for i in meeting.active_items():
                case = waiting_case(self.core, meeting, i.case_id)
                if case is not None:
                    case.return_to_wait(meeting.id, reason.strip(), grant)
                    returned.append(case)
            return list(returned)

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    # -- the minutes (protokoll) ------------------------------------------------------

    def record_attendance(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        present: Iterable[UUID],
        absent: Iterable[UUID] = (),
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """The minutes' attendance of a held meeting: who was there, who was not."""
        here, away = list(present), list(absent)

        def mutate(meeting: Meeting, grant: Grant) -> None:
            for pid in (*here, *away):
                self.core.for_query(Person, pid, "person")
            agenda_steps.record_attendance(meeting, here, away, grant)

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    def record_item_decision(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        item: str,
        decision: str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """The minutes' decision (vedtak) on an item. On a board case waiting at this
        meeting it is the case's *decision* step too, in the same save (one act). On the
        standing item "Godkjenning av referat …" it approves the body's previous held
        meeting's minutes (the generated protokoll when no file was uploaded), in the
        same save."""

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            found = agenda_steps.decide_item(meeting, item, decision, grant)
            if found.standing and found.title.startswith(MINUTES_APPROVAL):
                # standing item 2: the previous meeting's minutes (its protokoll) approved
                previous = self.minutes.previous_unapproved(meeting)
                if previous is not None and self.minutes.approvable(previous):
                    self.minutes.approve_with_protokoll(previous, grant)
                    return [previous]
            case = waiting_case(self.core, meeting, found.case_id)
            if case is None:
                return []
            actor = self.cases.case_actor(actor_id, case)
            case.decide(decision, may_take_secretariat_step(actor, Step.DECISION))
            return [case]

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

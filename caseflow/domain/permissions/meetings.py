"""Meetings: who changes them (the secretariat), who may see one, and whose calendar it
belongs in."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from caseflow.domain.errors import NotPermitted
from caseflow.domain.permissions.actor import Actor, Grant, may_read_everything, secretariat_grant
from caseflow.domain.values import MeetingBody, SystemRole

if TYPE_CHECKING:
    from caseflow.domain.meeting import Meeting


def may_manage_meetings(actor: Actor) -> Grant:
    """The secretariat schedules meetings, keeps agendas, sends invitations and records
    minutes."""
    if actor.is_secretariat:
        return secretariat_grant(actor)
    raise NotPermitted(
        "Only the secretariat schedules meetings, keeps their agendas and sends invitations.",
        rule=None,
    )


def may_see_meeting(actor: Actor, meeting: Meeting, kg_id: UUID) -> bool:
    """Secretariat and auditors see every meeting; invitees and recipients see theirs;
    board members see the political bodies' meetings; KG members see KG's and the political
    bodies' meetings (KG prepares their cases); a group's members see its meetings;
    any group member sees joint gatherings."""
    if may_read_everything(actor):
        return True
    if actor.is_system:
        return True
    pid = UUID(actor.id)
    if pid in meeting.invitees or pid in meeting.recipients:
        return True
    political = (MeetingBody.BOARD, MeetingBody.IPU, MeetingBody.COUNCIL)
    if meeting.body in political:
        return SystemRole.BOARD in actor.system_roles or actor.seat(kg_id) is not None
    if meeting.body is MeetingBody.KG:
        return actor.seat(kg_id) is not None
    if meeting.body is MeetingBody.JOINT:
        groups = meeting.participating_groups()
        return bool(actor.seats) if not groups else any(actor.seat(g) for g in groups)
    return any(actor.seat(g) is not None for g in meeting.participating_groups())


def takes_part(actor: Actor, meeting: Meeting, kg_id: UUID) -> bool:
    """Whether a meeting belongs in the person's own calendar: the secretariat's staff
    take part in every meeting; others in their groups' and bodies' meetings and in those
    they are invited to."""
    if actor.is_secretariat:
        return True
    pid = UUID(actor.id)
    if pid in meeting.invitees or pid in meeting.recipients:
        return True
    if meeting.body in (MeetingBody.BOARD, MeetingBody.IPU, MeetingBody.COUNCIL):
        return SystemRole.BOARD in actor.system_roles
    if meeting.body is MeetingBody.KG:
        return actor.seat(kg_id) is not None
    groups = meeting.participating_groups()
    if meeting.body is MeetingBody.JOINT and not groups:
        return bool(actor.seats)
    return any(actor.seat(g) is not None for g in groups)

"""The organisation: the register (people, groups, member municipalities), who may be
placed in a group and on whose behalf (R8–R11), and appointments of leader and deputy
(R4)."""

from __future__ import annotations

from uuid import UUID

from caseflow.domain.errors import InvalidInput, NotPermitted
from caseflow.domain.permissions.actor import Actor, Grant, Seat, secretariat_grant
from caseflow.domain.values import GroupKind, GroupRole, Organisation, OrgKind, SystemRole


def may_manage_organisation(actor: Actor) -> Grant:
    """The secretariat keeps the register of people, groups and member municipalities."""
    if actor.is_secretariat or SystemRole.ADMIN in actor.system_roles:
        return secretariat_grant(actor)
    raise NotPermitted(
        "Only the secretariat maintains people, groups and the member register.", rule=None
    )


def may_add_member(
    actor: Actor,
    group_id: UUID,
    group_kind: GroupKind,
    person_org: Organisation,
    person_region: str | None,
    role: GroupRole,
    on_behalf_of: str | None,
) -> tuple[Grant, str]:
    """R8, R9, R10, R11: who may be placed in a group, in which role, on whose behalf.

    Returns the grant and the normalised ``on_behalf_of``. The actor must be the
    secretariat or the group's leader or deputy (groups decide whom they invite, R9).
    """
    seat = actor.seat(group_id)
    if not actor.is_secretariat and not (
        seat is not None and seat.role in (GroupRole.LEADER, GroupRole.DEPUTY)
    ):
        raise NotPermitted(
            "Only the secretariat or the group's leader or deputy adds members.", rule="R9"
        )
    grant = (
        secretariat_grant(actor)
        if actor.is_secretariat
        else Grant(actor.id, seat.label if seat else "", seat.on_behalf_of if seat else None)
    )
    in_member = person_org.kind in (OrgKind.MUNICIPALITY, OrgKind.COUNTY)
    if in_member and person_region is None:
        raise NotPermitted(
            "%(org)s is not a member of Osloregionen; municipalities outside "
            "Osloregionen do not take part in the groups, not even as observers.",
            rule="R10",
            org=person_org.name,
        )
    if not in_member and role is not GroupRole.OBSERVER:
        raise NotPermitted(
            "%(org)s is not a member municipality; participants from outside "
            "the member municipalities take part as observers.",
            rule="R11" if group_kind in (GroupKind.PROJECT, GroupKind.AD_HOC) else "R9",
            org=person_org.name,
        )
    if in_member:
        assert person_region is not None
        if on_behalf_of and on_behalf_of != person_region:
            raise InvalidInput(
                "members represent the region they belong to (%(region)s).",
                rule="R8",
                fields={"on_behalf_of": [("must be %(region)s", {"region": person_region})]},
                region=person_region,
            )
        return grant, person_region
    return grant, on_behalf_of or person_org.name


def may_appoint(
    actor: Actor,
    group_id: UUID,
    appointee_id: UUID,
    appointee_seat: Seat | None,
    confirmed_by: Actor | None = None,
) -> Grant:
    """R4: the group appoints its own leader and deputy, from its own non-observer members.

    The appointment is the group's act, not one member's: a non-observer member other
    than the appointee records it, or the appointee records it with a second
    non-observer member's confirmation (``confirmed_by``, the confirming person as they
    are now). The secretariat does not appoint. A confirmation, when given, is checked
    whoever records the appointment."""
    seat = actor.seat(group_id)
    if seat is None or not seat.acts:
        if actor.is_secretariat:
            raise NotPermitted(
                "The group appoints its own leader and deputy; the secretariat does not.",
                rule="R4",
            )
        if seat is not None:
            raise NotPermitted("Observers do not take part in appointments.", rule="R4")
        raise NotPermitted("Only the group's own members record its appointments.", rule="R4")
    if appointee_seat is None or not appointee_seat.acts:
        raise NotPermitted(
            "The leader and deputy are appointed from the group's own (non-observer) members.",
            rule="R4",
        )
    if confirmed_by is not None:
        if confirmed_by.id in (appointee_id.hex, actor.id):
            raise NotPermitted(
                "The confirmation comes from a second member: not the appointee, and not "
                "the member who records the appointment.",
                rule="R4",
            )
        confirming = confirmed_by.seat(group_id)
        if confirming is None:
            raise NotPermitted("Only the group's own members confirm its appointments.", rule="R4")
        if not confirming.acts:
            raise NotPermitted("Observers do not take part in appointments.", rule="R4")
    elif actor.id == appointee_id.hex:
        raise NotPermitted(
            "A member does not appoint themselves alone: another (non-observer) member of "
            "the group records the appointment or confirms it.",
            rule="R4",
        )
    return Grant(actor.id, seat.label, seat.on_behalf_of)

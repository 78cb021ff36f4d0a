"""KG's advice on a case: who advises (R3, R9), an invited leader's input (R13), and who
closes the round."""

from __future__ import annotations

from uuid import UUID

from caseflow.domain.errors import NotPermitted
from caseflow.domain.permissions.actor import Actor, Grant, secretariat_grant
from caseflow.domain.values import GroupRole


def may_give_advice(
    actor: Actor,
    kg_id: UUID,
    proposing_group_id: UUID,
    invited: set[UUID],
) -> tuple[Grant, bool]:
    """R3, R9, R13: KG's non-observer members advise on behalf of their region; an
    invited leader of the proposing expert group may give input on that case.
    Returns the grant and whether it is an invited leader's input."""
    seat = actor.seat(kg_id)
    if seat is not None and seat.acts:
        return Grant(actor.id, seat.label, seat.on_behalf_of), False
    group_seat = actor.seat(proposing_group_id)
    is_leader = group_seat is not None and group_seat.role is GroupRole.LEADER
    if is_leader and group_seat is not None and UUID(actor.id) in invited:
        return Grant(
            actor.id, f"{group_seat.group_slug}:invited-leader", group_seat.group_slug
        ), True
    if seat is not None:
        raise NotPermitted("Observers in KG read but do not give advice.", rule="R9")
    if is_leader:
        raise NotPermitted(
            "The group's leader gives input only when invited to the KG meeting on this case.",
            rule="R13",
        )
    if actor.is_secretariat:
        raise NotPermitted(
            "KG advises the secretariat; the secretariat does not give KG advice.", rule="R3"
        )
    raise NotPermitted(
        "Advice on board cases is given by KG's members (and invited expert-group leaders).",
        rule="R3",
    )


def may_close_advice(actor: Actor, kg_id: UUID) -> Grant:
    """KG's leader or deputy, or the secretariat, closes the advice round with a summary."""
    if actor.is_secretariat:
        return secretariat_grant(actor)
    seat = actor.seat(kg_id)
    if seat is not None and seat.role in (GroupRole.LEADER, GroupRole.DEPUTY):
        return Grant(actor.id, seat.label, "kg")
    raise NotPermitted(
        "Only KG's leader or deputy, or the secretariat, closes KG's advice round.", rule="R3"
    )

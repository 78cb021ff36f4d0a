"""Measures (tiltak): who follows them up (R18)."""

from __future__ import annotations

from uuid import UUID

from caseflow.domain.errors import NotPermitted
from caseflow.domain.permissions.actor import Actor, Grant, secretariat_grant
from caseflow.domain.values import GroupRole


def may_follow_up_measures(actor: Actor, kg_id: UUID) -> Grant:
    """R18: KG's (non-observer) members and the secretariat follow up measures."""
    if actor.is_secretariat:
        return secretariat_grant(actor)
    seat = actor.seat(kg_id)
    if seat is not None and seat.role is not GroupRole.OBSERVER:
        return Grant(actor.id, seat.label, seat.on_behalf_of)
    if seat is not None:
        raise NotPermitted("Observers in KG read but do not follow up measures.", rule="R9")
    raise NotPermitted("KG follows up the measures tied to the strategies.", rule="R18")

"""Who may do what: pure functions over the actor's roles *at this moment*.

Each ``may_…`` function returns a :class:`Grant` — the role that allows the step and on
whose behalf it is taken, which the event then records — or raises
:class:`NotPermitted` carrying the mandate's rule id and a reason a person understands.
The application builds the :class:`Actor` afresh from the stored aggregates for every
command, so a removed member or a revoked role can never act on a stale copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from caseflow.domain.base import SYSTEM
from caseflow.domain.errors import InvalidInput, NotPermitted
from caseflow.domain.values import (
    CaseKind,
    GroupKind,
    GroupRole,
    Organisation,
    OrgKind,
    Step,
    SystemRole,
)


@dataclass(frozen=True)
class Seat:
    """The actor's membership in one group, as it is now."""

    group_id: UUID
    group_slug: str
    group_kind: GroupKind
    role: GroupRole
    on_behalf_of: str

    @property
    def acts(self) -> bool:
        return self.role is not GroupRole.OBSERVER

    @property
    def label(self) -> str:
        """The role as recorded in events, e.g. ``kg:member`` or ``atp:leader``."""
        return f"{self.group_slug}:{self.role.value}"


@dataclass(frozen=True)
class Actor:
    """A person as the permission functions see them at the moment of a command."""

    id: str
    name: str
    organisation: Organisation | None
    region: str | None
    system_roles: frozenset[SystemRole] = frozenset()
    seats: Mapping[UUID, Seat] = field(default_factory=dict)

    @property
    def is_system(self) -> bool:
        return self.id == SYSTEM

    @property
    def is_secretariat(self) -> bool:
        return self.is_system or SystemRole.SECRETARIAT in self.system_roles

    def seat(self, group_id: UUID) -> Seat | None:
        return self.seats.get(group_id)


SYSTEM_ACTOR = Actor(id=SYSTEM, name="Caseflow", organisation=None, region=None)


@dataclass(frozen=True)
class Grant:
    """Why a step was allowed: recorded on the event as actor, role and on-behalf-of."""

    actor: str
    role: str
    on_behalf_of: str | None


def _secretariat_grant(actor: Actor) -> Grant:
    if actor.is_system:
        return Grant(SYSTEM, SYSTEM, None)
    return Grant(actor.id, SystemRole.SECRETARIAT.value, "sekretariatet")


# -- case steps --------------------------------------------------------------------

#: Steps only the secretariat takes, and the rule that says so.
SECRETARIAT_STEPS: dict[Step, tuple[str, str]] = {
    Step.SUBMIT: ("R1", "Only the secretariat submits cases to the board."),
    Step.ACCEPT: (
        "R5",
        "Administrative groups are advisory; only the secretariat decides what goes forward.",
    ),
    Step.DECLINE: (
        "R5",
        "Administrative groups have no decision authority; only the secretariat declines a case.",
    ),
    Step.DECISION: (
        "R5",
        "Administrative groups have no decision authority; the secretariat records the "
        "board's decision.",
    ),
    Step.POSTPONE: (
        "R5",
        "Administrative groups have no decision authority; the secretariat records a postponement.",
    ),
    Step.DRAFT: ("R1", "The secretariat prepares and writes the case document."),
    Step.REQUEST_ADVICE: ("R3", "The secretariat asks KG for advice when it prepares a case."),
    Step.WAIVE_ADVICE: ("R3", "Only the secretariat may waive KG's advice, with a reason."),
    Step.READY: ("R1", "The secretariat finalises the case for the board."),
}


def may_take_secretariat_step(actor: Actor, step: Step) -> Grant:
    """R1/R3/R5: steps that only the secretariat takes."""
    if actor.is_secretariat:
        return _secretariat_grant(actor)
    rule, reason = SECRETARIAT_STEPS[step]
    raise NotPermitted(reason, rule=rule, step=step.value)


def may_propose(actor: Actor, group_id: UUID, group_kind: GroupKind, kind: CaseKind) -> Grant:
    """R9, R11, R17: a non-observer member proposes on behalf of their own group; themes,
    speakers and political-influence initiatives are KG's to propose."""
    seat = actor.seat(group_id)
    if seat is None:
        raise NotPermitted("Only the group's own members propose cases on its behalf.", rule="R17")
    if not seat.acts:
        raise NotPermitted(
            "Observers follow the group's work but do not propose cases.",
            rule="R11" if group_kind in (GroupKind.PROJECT, GroupKind.AD_HOC) else "R9",
        )
    if kind is not CaseKind.BOARD_CASE and group_kind is not GroupKind.KG:
        raise NotPermitted(
            "Proposals of themes and speakers and political-influence initiatives come from KG.",
            rule="R17",
        )
    return Grant(actor.id, seat.label, seat.on_behalf_of)


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
        return _secretariat_grant(actor)
    seat = actor.seat(kg_id)
    if seat is not None and seat.role in (GroupRole.LEADER, GroupRole.DEPUTY):
        return Grant(actor.id, seat.label, "kg")
    raise NotPermitted(
        "Only KG's leader or deputy, or the secretariat, closes KG's advice round.", rule="R3"
    )


def may_withdraw(actor: Actor, proposing_group_id: UUID) -> Grant:
    """The proposing group (a non-observer member) or the secretariat withdraws a case."""
    if actor.is_secretariat:
        return _secretariat_grant(actor)
    seat = actor.seat(proposing_group_id)
    if seat is not None and seat.acts:
        return Grant(actor.id, seat.label, seat.on_behalf_of)
    if seat is not None:
        raise NotPermitted("Observers do not withdraw cases.", rule="R9")
    raise NotPermitted(
        "Only the proposing group or the secretariat can withdraw a case.", rule="R5"
    )


def may_act_on_step(
    actor: Actor,
    step: Step,
    *,
    kg_id: UUID,
    proposing_group_id: UUID,
    invited: set[UUID],
) -> Grant:
    """The permission check for any case step (used for the 'allowed next steps' list)."""
    if step is Step.ADVICE:
        return may_give_advice(actor, kg_id, proposing_group_id, invited)[0]
    if step is Step.CLOSE_ADVICE:
        return may_close_advice(actor, kg_id)
    if step is Step.WITHDRAW:
        return may_withdraw(actor, proposing_group_id)
    return may_take_secretariat_step(actor, step)


# -- organisation ------------------------------------------------------------------


def may_manage_organisation(actor: Actor) -> Grant:
    """The secretariat keeps the register of people, groups and member municipalities."""
    if actor.is_secretariat or SystemRole.ADMIN in actor.system_roles:
        return _secretariat_grant(actor)
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
        _secretariat_grant(actor)
        if actor.is_secretariat
        else Grant(actor.id, seat.label if seat else "", seat.on_behalf_of if seat else None)
    )
    in_member = person_org.kind in (OrgKind.MUNICIPALITY, OrgKind.COUNTY)
    if in_member and person_region is None:
        raise NotPermitted(
            f"{person_org.name} is not a member of Osloregionen; municipalities outside "
            "Osloregionen do not take part in the groups, not even as observers.",
            rule="R10",
        )
    if not in_member and role is not GroupRole.OBSERVER:
        raise NotPermitted(
            f"{person_org.name} is not a member municipality; participants from outside "
            "the member municipalities take part as observers.",
            rule="R11" if group_kind in (GroupKind.PROJECT, GroupKind.AD_HOC) else "R9",
        )
    if in_member:
        assert person_region is not None
        if on_behalf_of and on_behalf_of != person_region:
            raise InvalidInput(
                f"R8: members represent the region they belong to ({person_region}).",
                rule="R8",
                fields={"on_behalf_of": [f"must be {person_region}"]},
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


def may_read_everything(actor: Actor) -> bool:
    """Auditors and the secretariat see every case and the whole audit trail."""
    return actor.is_secretariat or SystemRole.AUDITOR in actor.system_roles

"""Case steps: what only the secretariat does (R1, R3, R5), proposing (R9, R11, R17),
withdrawing, and the check behind any step's "allowed next steps" entry."""

from __future__ import annotations

from uuid import UUID

from caseflow.domain.errors import NotPermitted
from caseflow.domain.permissions.actor import Actor, Grant, secretariat_grant
from caseflow.domain.permissions.advice import may_close_advice, may_give_advice
from caseflow.domain.values import CaseKind, GroupKind, Step

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
        return secretariat_grant(actor)
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


def may_withdraw(actor: Actor, proposing_group_id: UUID) -> Grant:
    """The proposing group (a non-observer member) or the secretariat withdraws a case."""
    if actor.is_secretariat:
        return secretariat_grant(actor)
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

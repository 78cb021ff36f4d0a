"""Advice on a case: KG asked for advice (R3), invited expert-group leaders (R13), the
round closed or waived. Each is a step of the case, through :meth:`CaseService.step`."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from caseflow.application.cases import CaseService
from caseflow.application.core import CaseflowCore
from caseflow.application.views import CaseView
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Group
from caseflow.domain.permissions import (
    Actor,
    may_act_on_step,
    may_give_advice,
    may_take_secretariat_step,
)
from caseflow.domain.values import GroupRole, MeetingBody, Stance, Step


class AdviceService:
    """Requesting, giving, closing and waiving advice."""

    def __init__(self, core: CaseflowCore, cases: CaseService) -> None:
        self.core = core
        self.cases = cases

    def request_advice(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        deadline: date,
        kg_meeting_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> CaseView:
        """Ask KG for advice by ``deadline``; the proposing expert group's leader is
        invited to give input (R13)."""

        def mutate(agg: Case, actor: Actor) -> None:
            grant = may_take_secretariat_step(actor, Step.REQUEST_ADVICE)
            if kg_meeting_id is not None:
                meeting = self.core.for_query(Meeting, kg_meeting_id, "KG meeting")
                if meeting.body is not MeetingBody.KG:
                    raise InvalidInput.field("kg_meeting_id", "must be a KG meeting")
            group = self.core.for_query(Group, agg.group_id, "group")
            invited = []
            if group.id != self.core.kg_id():
                leader = group.holder(GroupRole.LEADER)
                if leader is not None:
                    invited.append(leader)
            agg.request_advice(deadline, kg_meeting_id, invited, grant)

        return self.cases.step(actor_id, case, expected_version, mutate)

    def give_advice(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        stance: Stance,
        text: str,
        expected_version: int | None = None,
    ) -> CaseView:
        """KG members advise on behalf of their region (R3, R9); invited expert-group
        leaders give input (R13). Revisable until the round closes."""

        def mutate(agg: Case, actor: Actor) -> None:
            grant, invited = may_give_advice(actor, self.core.kg_id(), agg.group_id, agg.invited)
            agg.give_advice(stance, text, invited, grant)

        return self.cases.step(actor_id, case, expected_version, mutate)

    def close_advice(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        summary: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            grant = may_act_on_step(
                actor,
                Step.CLOSE_ADVICE,
                kg_id=self.core.kg_id(),
                proposing_group_id=agg.group_id,
                invited=agg.invited,
            )
            agg.close_advice(summary, grant)

        return self.cases.step(actor_id, case, expected_version, mutate)

    def waive_advice(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        reason: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.waive_advice(reason, may_take_secretariat_step(actor, Step.WAIVE_ADVICE))

        return self.cases.step(actor_id, case, expected_version, mutate)

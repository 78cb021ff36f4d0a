"""Advice on a case: KG asked for advice (R3), invited expert-group leaders (R13), the
round closed or waived. Each is a step of the case, through :meth:`CaseService.step`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from caseflow.application.cases import CaseService
from caseflow.application.core import CaseflowCore
from caseflow.application.views import AdviceView, CaseView
from caseflow.domain.case import Case, advice_deadline_warning
from caseflow.domain.errors import InvalidInput, Message
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Group
from caseflow.domain.permissions import (
    Actor,
    may_act_on_step,
    may_give_advice,
    may_take_secretariat_step,
)
from caseflow.domain.values import GroupRole, MeetingBody, Stance, Step


@dataclass(frozen=True)
class MyAnswer:
    """Whether the reader (or their region) has answered one case's advice round: the
    reader's own latest revision, and the others who advised on behalf of the reader's
    region (R8: a region may have several)."""

    case_id: UUID
    region: str | None
    mine: AdviceView | None
    region_by: list[str]
    #: The regions some KG member has advised on behalf of (invited leaders' input aside).
    regions_answered: frozenset[str] = frozenset()

    @property
    def answered(self) -> bool:
        return self.mine is not None or bool(self.region_by)


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
        """Ask KG for advice by ``deadline`` (today or later); the proposing expert
        group's leader is invited to give input (R13). A deadline after the KG meeting
        that should treat the case is recorded with a warning (the view's ``warnings``)."""

        warnings: list[Message] = []

        def mutate(agg: Case, actor: Actor) -> None:
            grant = may_take_secretariat_step(actor, Step.REQUEST_ADVICE)
            warnings.clear()
            if kg_meeting_id is not None:
                meeting = self.core.for_query(Meeting, kg_meeting_id, "KG meeting")
                if meeting.body is not MeetingBody.KG:
                    raise InvalidInput.field("kg_meeting_id", "must be a KG meeting")
                late = advice_deadline_warning(deadline, meeting.starts_at)
                if late is not None:
                    warnings.append(late)
            group = self.core.for_query(Group, agg.group_id, "group")
            invited = []
            if group.id != self.core.kg_id():
                leader = group.holder(GroupRole.LEADER)
                if leader is not None:
                    invited.append(leader)
            agg.request_advice(deadline, kg_meeting_id, invited, grant)

        view = self.cases.step(actor_id, case, expected_version, mutate)
        return replace(view, warnings=list(warnings)) if warnings else view

    def my_answers(self, actor_id: UUID | str, case_ids: Iterable[UUID]) -> dict[UUID, MyAnswer]:
        """For each case (of the reader's advice list): whether the reader, or another
        adviser on behalf of the reader's region, has answered. The cases come from the
        shared cache; a case that is gone is left out."""
        found: dict[UUID, MyAnswer] = {}
        with self.core.reading():
            actor = self.core.actor(actor_id, groups=(self.core.kg_id(),))
            seat = actor.seat(self.core.kg_id())
            region = seat.on_behalf_of if seat is not None and seat.acts else None
            for case_id in case_ids:
                agg = self.core.for_query(Case, case_id, optional=True)
                if agg is None:
                    continue
                current = agg.current_advice()
                own = current.get(UUID(actor.id))
                others = [
                    self.core.person_name(pid)
                    for pid, a in current.items()
                    if region and a.on_behalf_of == region and pid != UUID(actor.id)
                ]
                mine = None
                if own is not None:
                    mine = AdviceView(
                        own.person_id,
                        actor.name,
                        own.stance.value,
                        own.text,
                        own.on_behalf_of,
                        own.as_invited_leader,
                        own.revision,
                        own.at,
                    )
                regions = frozenset(
                    a.on_behalf_of for a in current.values() if not a.as_invited_leader
                )
                found[case_id] = MyAnswer(case_id, region, mine, sorted(others), regions)
        return found

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

"""Commands on board cases: each loads (a private copy), checks permission (as the actor
is *now*), mutates, and saves — in the core's unit of work, retried on fresh state when
another writer saved first. Advice has its own service (``advice.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from caseflow.application.case_queries import CaseQueries
from caseflow.application.core import CaseflowCore
from caseflow.application.numbering import numbering_sequence, postpone_on_agenda, stamp
from caseflow.application.views import CaseView
from caseflow.domain import clock
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput
from caseflow.domain.index import Counter, Index
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Group, Person
from caseflow.domain.permissions import (
    Actor,
    may_act_on_step,
    may_propose,
    may_take_secretariat_step,
)
from caseflow.domain.values import CaseKind, Document, MeetingBody, Step, SystemRole

__all__ = ["CaseService"]


class CaseService:
    """The case lifecycle of DOMAIN.md (advice: ``advice.AdviceService``)."""

    def __init__(self, core: CaseflowCore, queries: CaseQueries) -> None:
        self.core = core
        self.queries = queries

    def step(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        expected_version: int | None,
        mutate: Callable[[Case, Actor], list[Any] | None],
    ) -> CaseView:
        """Load the case, check the expected version, let ``mutate`` check permission and
        change it (returning any other aggregates to save with it), save, retry."""
        case_id = self.queries.case_id(case)

        def command() -> CaseView:
            agg = self.core.for_command(Case, case_id, "case")
            self.core.check_version(agg, expected_version)
            actor = self.queries.case_actor(actor_id, agg)
            others = mutate(agg, actor) or []
            self.core.save_all(agg, *others)
            return self.queries.case_view(agg, actor)

        return self.core.retrying(command)

    # -- commands -------------------------------------------------------------------------

    def propose_case(
        self,
        actor_id: UUID | str | None,
        group_id: UUID,
        title: str,
        summary: str,
        kind: CaseKind = CaseKind.BOARD_CASE,
        focus_area: str | None = None,
    ) -> CaseView:
        """A non-observer member proposes a case on behalf of their group (R9, R11, R17)."""
        errors: dict[str, list[str]] = {}
        if not title.strip():
            errors["title"] = ["required"]
        elif len(title) > 300:
            errors["title"] = ["at most 300 characters"]
        if not summary.strip():
            errors["summary"] = ["required"]
        if errors:
            raise InvalidInput("the proposal is incomplete", fields=errors)

        def command() -> CaseView:
            group = self.core.for_query(Group, group_id, "group")
            actor = self.core.actor(actor_id, groups=(group_id, self.core.kg_id()))
            grant = may_propose(actor, group.id, group.kind, kind)
            year = clock.now().year
            counter_id = Counter.create_id(f"case-{year}")
            counter = self.core.for_command(Counter, counter_id, optional=True) or Counter._create(
                Counter.Started, name=f"case-{year}", **stamp(grant)
            )
            reference = f"OR-{year}-{counter.next(grant):03d}"
            case = Case._create(
                Case.Proposed,
                kind=kind.value,
                title=title.strip(),
                summary=summary.strip(),
                focus_area=focus_area or group.focus_area,
                group_id=group.id,
                reference=reference,
                **stamp(grant),
            )
            index = Index._create(
                Index.Indexed, kind="case", key=reference, target=case.id, **stamp(grant)
            )
            self.core.save_all(case, counter, index)
            return self.queries.case_view(case, actor)

        return self.core.retrying(command)

    def accept_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        case_officer: UUID | None = None,
        expected_version: int | None = None,
    ) -> CaseView:
        """The secretariat accepts the case for preparation, with a case officer."""

        def mutate(agg: Case, actor: Actor) -> None:
            grant = may_take_secretariat_step(actor, Step.ACCEPT)
            officer = case_officer or (UUID(actor.id) if not actor.is_system else None)
            if officer is None:
                raise InvalidInput.field("case_officer", "required")
            person = self.core.for_query(Person, officer, optional=True)
            if person is None or SystemRole.SECRETARIAT not in person.system_roles:
                raise InvalidInput.field(
                    "case_officer", "the case officer must be on the secretariat's staff", rule="R1"
                )
            agg.accept(officer, grant)

        return self.step(actor_id, case, expected_version, mutate)

    def decline_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        reason: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.decline(reason, may_take_secretariat_step(actor, Step.DECLINE))

        return self.step(actor_id, case, expected_version, mutate)

    def draft_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        document: Document,
        expected_version: int | None = None,
    ) -> CaseView:
        """A new revision of the case document; every revision is kept."""

        def mutate(agg: Case, actor: Actor) -> None:
            agg.draft(document, may_take_secretariat_step(actor, Step.DRAFT))

        return self.step(actor_id, case, expected_version, mutate)

    def mark_ready(
        self, actor_id: UUID | str | None, case: UUID | str, expected_version: int | None = None
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.mark_ready(may_take_secretariat_step(actor, Step.READY))

        return self.step(actor_id, case, expected_version, mutate)

    def submit_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        meeting_id: UUID,
        expected_version: int | None = None,
        *,
        meeting_version: int | None = None,
    ) -> CaseView:
        """The secretariat (R1) submits the case to a board meeting (R2): it waits on the
        meeting's list, unnumbered, until the invitation numbers the agenda; after the
        invitation it is a supplementary item with the next number of the year's board
        sequence (issue 14). ``meeting_version``: the meeting's expected version."""

        def mutate(agg: Case, actor: Actor) -> list[Any]:
            grant = may_take_secretariat_step(actor, Step.SUBMIT)
            agg.check_step(Step.SUBMIT)
            meeting = self.core.for_command(Meeting, meeting_id, optional=True)
            if meeting is None or meeting.body is not MeetingBody.BOARD:
                raise InvalidInput.field(
                    "meeting_id", "every submission goes to a scheduled board meeting", rule="R2"
                )
            self.core.check_version(meeting, meeting_version)
            if meeting.held or meeting.cancelled:
                raise InvalidInput.field(
                    "meeting_id", "that board meeting has already been held", rule="R2"
                )
            sequence = numbering_sequence(self.core, meeting, grant)
            item = meeting.add_item(agg.title, grant, case_id=agg.id, sequence=sequence)
            agg.submit(meeting.id, item.number, meeting.year if item.number else None, grant)
            return [meeting, sequence]

        return self.step(actor_id, case, expected_version, mutate)

    def record_decision(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        resolution: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.decide(resolution, may_take_secretariat_step(actor, Step.DECISION))

        return self.step(actor_id, case, expected_version, mutate)

    def postpone_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        reason: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> list[Any]:
            grant = may_take_secretariat_step(actor, Step.POSTPONE)
            agg.check_step(Step.POSTPONE)
            others = postpone_on_agenda(self.core, agg, reason, grant)
            agg.postpone(reason, grant)
            return others

        return self.step(actor_id, case, expected_version, mutate)

    def withdraw_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        reason: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            grant = may_act_on_step(
                actor,
                Step.WITHDRAW,
                kg_id=self.core.kg_id(),
                proposing_group_id=agg.group_id,
                invited=agg.invited,
            )
            agg.withdraw(reason, grant)

        return self.step(actor_id, case, expected_version, mutate)

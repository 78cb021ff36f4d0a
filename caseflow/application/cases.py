"""Commands on board cases: each loads, checks permission (as the actor is *now*),
mutates, and saves — retried on fresh state when another writer saved first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from caseflow.application.core import CaseflowCore
from caseflow.application.views import AdviceView, CaseView, StepOption
from caseflow.domain import clock
from caseflow.domain.agenda import AgendaSequence
from caseflow.domain.case import Advice, Case
from caseflow.domain.errors import CaseflowError, InvalidInput, NotFoundError
from caseflow.domain.index import Counter, Index
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Group, Person
from caseflow.domain.permissions import (
    Actor,
    Grant,
    may_act_on_step,
    may_give_advice,
    may_propose,
    may_read_everything,
    may_take_secretariat_step,
)
from caseflow.domain.values import (
    CaseKind,
    CaseStatus,
    Document,
    GroupRole,
    MeetingBody,
    Stance,
    Step,
    SystemRole,
)

#: Statuses a board member may read.
BOARD_VISIBLE = frozenset({CaseStatus.SUBMITTED, CaseStatus.POSTPONED, CaseStatus.DECIDED})


def _everything(case_id: UUID) -> bool:
    return True


class CaseCommands(CaseflowCore):
    """The case lifecycle of DOMAIN.md."""

    # -- loading ------------------------------------------------------------------------

    def case_id(self, case: UUID | str) -> UUID:
        """A case id from an id or a reference such as ``OR-2025-007``."""
        if isinstance(case, UUID):
            return case
        text = str(case).strip()
        try:
            return UUID(text)
        except ValueError:
            pass
        index = self.peek_or_none(Index, Index.create_id("case", text.upper()))
        if index is None:
            # the same words as for a case the caller may not see (get_case): a missing
            # reference and a hidden case are told apart by no one
            raise NotFoundError("case not found", case=text)
        return index.target

    def load_case(self, case: UUID | str) -> Case:
        return self.load(Case, self.case_id(case), "case")

    def _case_actor(self, actor_id: UUID | str | None, case: Case) -> Actor:
        return self.actor(actor_id, groups=(case.group_id, self.kg_id()))

    def _step(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        expected_version: int | None,
        mutate: Callable[[Case, Actor], list[Any] | None],
    ) -> CaseView:
        """Load the case, check the expected version, let ``mutate`` check permission and
        change it (returning any other aggregates to save with it), save, retry."""
        case_id = self.case_id(case)

        def command() -> CaseView:
            agg = self.private(Case, case_id, "case")
            self.check_version(agg, expected_version)
            actor = self._case_actor(actor_id, agg)
            others = mutate(agg, actor) or []
            self.save_all(agg, *others)
            view = self.case_view(agg, actor)
            self.adopt_saved()  # the view is built: keep what was saved, as saved
            return view

        return self.retrying(command)

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
            group = self.peek(Group, group_id, "group")
            actor = self.actor(actor_id, groups=(group_id, self.kg_id()))
            grant = may_propose(actor, group.id, group.kind, kind)
            year = clock.now().year
            counter_id = Counter.create_id(f"case-{year}")
            counter = self.private_or_none(Counter, counter_id) or Counter._create(
                Counter.Started, name=f"case-{year}", **_stamp(grant)
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
                **_stamp(grant),
            )
            index = Index._create(
                Index.Indexed, kind="case", key=reference, target=case.id, **_stamp(grant)
            )
            self.save_all(case, counter, index)
            view = self.case_view(case, actor)
            self.adopt_saved()
            return view

        return self.retrying(command)

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
            person = self.peek_or_none(Person, officer)
            if person is None or SystemRole.SECRETARIAT not in person.system_roles:
                raise InvalidInput.field(
                    "case_officer", "the case officer must be on the secretariat's staff", rule="R1"
                )
            agg.accept(officer, grant)

        return self._step(actor_id, case, expected_version, mutate)

    def decline_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        reason: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.decline(reason, may_take_secretariat_step(actor, Step.DECLINE))

        return self._step(actor_id, case, expected_version, mutate)

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

        return self._step(actor_id, case, expected_version, mutate)

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
                meeting = self.peek(Meeting, kg_meeting_id, "KG meeting")
                if meeting.body is not MeetingBody.KG:
                    raise InvalidInput.field("kg_meeting_id", "must be a KG meeting")
            group = self.peek(Group, agg.group_id, "group")
            invited = []
            if group.id != self.kg_id():
                leader = group.holder(GroupRole.LEADER)
                if leader is not None:
                    invited.append(leader)
            agg.request_advice(deadline, kg_meeting_id, invited, grant)

        return self._step(actor_id, case, expected_version, mutate)

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
            grant, invited = may_give_advice(actor, self.kg_id(), agg.group_id, agg.invited)
            agg.give_advice(stance, text, invited, grant)

        return self._step(actor_id, case, expected_version, mutate)

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
                kg_id=self.kg_id(),
                proposing_group_id=agg.group_id,
                invited=agg.invited,
            )
            agg.close_advice(summary, grant)

        return self._step(actor_id, case, expected_version, mutate)

    def waive_advice(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        reason: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.waive_advice(reason, may_take_secretariat_step(actor, Step.WAIVE_ADVICE))

        return self._step(actor_id, case, expected_version, mutate)

    def mark_ready(
        self, actor_id: UUID | str | None, case: UUID | str, expected_version: int | None = None
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.mark_ready(may_take_secretariat_step(actor, Step.READY))

        return self._step(actor_id, case, expected_version, mutate)

    def submit_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        meeting_id: UUID,
        expected_version: int | None = None,
    ) -> CaseView:
        """The secretariat (R1) submits the case to a board meeting (R2); it takes the
        next number in the year's board sequence and a place on the agenda."""

        def mutate(agg: Case, actor: Actor) -> list[Any]:
            grant = may_take_secretariat_step(actor, Step.SUBMIT)
            agg.check_step(Step.SUBMIT)
            meeting = self.private_or_none(Meeting, meeting_id)
            if meeting is None or meeting.body is not MeetingBody.BOARD:
                raise InvalidInput.field(
                    "meeting_id", "every submission goes to a scheduled board meeting", rule="R2"
                )
            if meeting.held:
                raise InvalidInput.field(
                    "meeting_id", "that board meeting has already been held", rule="R2"
                )
            sequence = self.agenda_sequence(meeting, grant)
            item = meeting.add_item(agg.title, grant, case_id=agg.id, sequence=sequence)
            agg.submit(meeting.id, item.number, meeting.year, grant)
            return [meeting, sequence]

        return self._step(actor_id, case, expected_version, mutate)

    def agenda_sequence(self, meeting: Meeting, grant: Grant) -> AgendaSequence:
        seq_id = AgendaSequence.create_id(meeting.body.value, meeting.year)
        return self.private_or_none(AgendaSequence, seq_id) or AgendaSequence._create(
            AgendaSequence.Started, body=meeting.body.value, year=meeting.year, **_stamp(grant)
        )

    def record_decision(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        resolution: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.decide(resolution, may_take_secretariat_step(actor, Step.DECISION))

        return self._step(actor_id, case, expected_version, mutate)

    def postpone_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        reason: str,
        expected_version: int | None = None,
    ) -> CaseView:
        def mutate(agg: Case, actor: Actor) -> None:
            agg.postpone(reason, may_take_secretariat_step(actor, Step.POSTPONE))

        return self._step(actor_id, case, expected_version, mutate)

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
                kg_id=self.kg_id(),
                proposing_group_id=agg.group_id,
                invited=agg.invited,
            )
            agg.withdraw(reason, grant)

        return self._step(actor_id, case, expected_version, mutate)

    # -- queries --------------------------------------------------------------------------

    def may_see(self, actor: Actor, case: Case) -> bool:
        """Secretariat and auditors see every case; a group's members see its cases; KG
        sees cases once the secretariat has accepted them; invited leaders see theirs;
        board members see submitted cases."""
        if may_read_everything(actor):
            return True
        if actor.seat(case.group_id) is not None:
            return True
        if actor.seat(self.kg_id()) is not None and case.status is not CaseStatus.PROPOSED:
            return True
        if not actor.is_system and UUID(actor.id) in case.invited:
            return True
        return SystemRole.BOARD in actor.system_roles and case.status in BOARD_VISIBLE

    def case_reader(self, viewer: UUID | str | None) -> Callable[[UUID], bool]:
        """Whether ``viewer`` may see a case, by the case's id: :meth:`may_see` (the case
        page's own answer) as one predicate that every view naming cases shares, so
        that a meeting's page, API answer, pack and calendar never show a case its page
        answers 404 for. ``None`` (the application itself) sees everything; so do the
        secretariat and auditors, without loading a case. Others' answers are
        remembered for the predicate's life (one request)."""
        if viewer is None:
            return _everything
        actor = self.actor(viewer)
        if may_read_everything(actor):
            return _everything
        answers: dict[UUID, bool] = {}

        def may_see_case(case_id: UUID) -> bool:
            found = answers.get(case_id)
            if found is None:
                with self.reading():
                    agg = self.peek_or_none(Case, case_id)
                    found = agg is not None and self.may_see(actor, agg)
                answers[case_id] = found
            return found

        return may_see_case

    def get_case(self, actor_id: UUID | str | None, case: UUID | str) -> CaseView:
        """One case with the caller's allowed next steps; 404 if the caller may not see it."""
        with self.reading():
            agg = self.peek(Case, self.case_id(case), "case")
            actor = self._case_actor(actor_id, agg)
            if not self.may_see(actor, agg):
                raise NotFoundError("case not found", case=str(case))
            return self.case_view(agg, actor)

    def next_steps(self, agg: Case, actor: Actor) -> list[StepOption]:
        """Every step, whether the actor may take it now, and if not, why."""
        options = []
        for step in Step:
            try:
                agg.check_step(step)
                may_act_on_step(
                    actor,
                    step,
                    kg_id=self.kg_id(),
                    proposing_group_id=agg.group_id,
                    invited=agg.invited,
                )
            except CaseflowError as e:
                options.append(StepOption(step.value, False, e.rule, e.message))
            else:
                options.append(StepOption(step.value, True))
        return options

    def case_view(self, agg: Case, actor: Actor | None = None) -> CaseView:
        names: dict[UUID, str] = {}

        def name(pid: UUID | None) -> str | None:
            if pid is None:
                return None
            if pid not in names:
                names[pid] = self.person_name(pid)
            return names[pid]

        def advice_view(a: Advice) -> AdviceView:
            return AdviceView(
                a.person_id,
                name(a.person_id) or "",
                a.stance.value,
                a.text,
                a.on_behalf_of,
                a.as_invited_leader,
                a.revision,
                a.at,
            )

        group = self.peek_or_none(Group, agg.group_id)
        history = [advice_view(a) for revs in agg.advice.values() for a in revs]
        return CaseView(
            id=agg.id,
            reference=agg.reference,
            kind=agg.kind.value,
            title=agg.title,
            summary=agg.summary,
            focus_area=agg.focus_area,
            group_id=agg.group_id,
            group_name=group.name if group else "",
            status=agg.status.value,
            status_since=agg.status_since or agg.created_on,
            proposed_at=agg.created_on,
            modified_at=agg.modified_on,
            case_officer=agg.case_officer,
            case_officer_name=name(agg.case_officer),
            decline_reason=agg.decline_reason,
            document=agg.document.as_dict() if agg.document else None,
            document_revisions=len(agg.documents),
            advice_deadline=agg.advice_deadline,
            kg_meeting_id=agg.kg_meeting_id,
            invited=sorted(agg.invited, key=str),
            advice=[advice_view(a) for a in agg.current_advice().values()],
            advice_history=sorted(history, key=lambda a: a.at),
            advice_summary=agg.advice_summary,
            advice_waived=agg.advice_waived,
            board_meeting_id=agg.submission.meeting_id if agg.submission else None,
            board_number=agg.submission.label if agg.submission else None,
            resolution=agg.resolution,
            postponements=list(agg.postponements),
            withdraw_reason=agg.withdraw_reason,
            version=agg.version,
            next_steps=self.next_steps(agg, actor) if actor is not None else [],
        )

    def take_step(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        step: Step,
        data: dict[str, Any],
        expected_version: int | None = None,
    ) -> CaseView:
        """Dispatch a step by name (the JSON API's ``POST /cases/{id}/{step}``)."""
        ev = expected_version
        if step is Step.ACCEPT:
            return self.accept_case(actor_id, case, data.get("case_officer"), ev)
        if step is Step.DECLINE:
            return self.decline_case(actor_id, case, data.get("reason", ""), ev)
        if step is Step.DRAFT:
            return self.draft_case(actor_id, case, Document(**_document_fields(data)), ev)
        if step is Step.REQUEST_ADVICE:
            return self.request_advice(
                actor_id, case, data["deadline"], data.get("kg_meeting_id"), ev
            )
        if step is Step.ADVICE:
            return self.give_advice(
                actor_id, case, Stance(data["stance"]), data.get("text", ""), ev
            )
        if step is Step.CLOSE_ADVICE:
            return self.close_advice(actor_id, case, data.get("summary", ""), ev)
        if step is Step.WAIVE_ADVICE:
            return self.waive_advice(actor_id, case, data.get("reason", ""), ev)
        if step is Step.READY:
            return self.mark_ready(actor_id, case, ev)
        if step is Step.SUBMIT:
            return self.submit_case(actor_id, case, data["meeting_id"], ev)
        if step is Step.DECISION:
            return self.record_decision(actor_id, case, data.get("resolution", ""), ev)
        if step is Step.POSTPONE:
            return self.postpone_case(actor_id, case, data.get("reason", ""), ev)
        if step is Step.WITHDRAW:
            return self.withdraw_case(actor_id, case, data.get("reason", ""), ev)
        # Every Step is dispatched above, and the callers (the API's routes, the CLI's
        # click.Choice) only pass Steps: anything else is a programming error, not a 403.
        raise ValueError(f"take_step has no step {step!r}")

    def case_ids(self) -> list[UUID]:
        """Every case id, in order of proposal (from the reference index counters).
        For listings use the read model; this serves tests and the CLI."""
        ids = []
        with self.reading():
            for year in range(2000, clock.now().year + 2):
                counter = self.peek_or_none(Counter, Counter.create_id(f"case-{year}"))
                if counter is None:
                    continue
                for n in range(1, counter.value + 1):
                    index = self.peek_or_none(Index, Index.create_id("case", f"OR-{year}-{n:03d}"))
                    if index is not None:
                        ids.append(index.target)
        return ids


def _stamp(grant: Grant) -> dict[str, Any]:
    return {"actor": grant.actor, "role": grant.role, "on_behalf_of": grant.on_behalf_of}


def _document_fields(data: dict[str, Any]) -> dict[str, str]:
    return {
        k: str(data.get(k) or "")
        for k in ("background", "assessment", "proposed_resolution", "political_involvement")
    }


def as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)

"""Reading board cases: finding a case by id or reference, who may see it, its view with
the reader's allowed next steps. Every other service that names cases asks this one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from caseflow.application.core import CaseflowCore
from caseflow.application.views import AdviceView, CaseView, StepOption
from caseflow.domain import clock
from caseflow.domain.case import Advice, Case
from caseflow.domain.errors import CaseflowError, Message, NotFoundError
from caseflow.domain.index import Counter, Index
from caseflow.domain.organisation import Group
from caseflow.domain.permissions import Actor, may_act_on_step, may_read_everything
from caseflow.domain.permissions.visibility import case_visibility, may_see_case
from caseflow.domain.values import Step

#: Each step state's (:meth:`Case.step_state`) refusal per step, or None where the
#: state allows the step. Few states exist (statuses × two flags); the options are
#: frozen, so every reader may share them.
_STATE_REFUSALS: dict[tuple[Any, ...], tuple[tuple[Step, StepOption | None], ...]] = {}


def _refused(step: Step, e: CaseflowError) -> StepOption:
    return StepOption(step.value, False, e.rule, Message.refusal(e))


def state_refusals(agg: Case) -> tuple[tuple[Step, StepOption | None], ...]:
    """Every step with the option :meth:`Case.check_step` refuses it with, or None where
    the case's state allows it (the actor is not asked here)."""
    key = agg.step_state()
    found = _STATE_REFUSALS.get(key)
    if found is None:
        answers: list[tuple[Step, StepOption | None]] = []
        for step in Step:
            try:
                agg.check_step(step)
            except CaseflowError as e:
                answers.append((step, _refused(step, e)))
            else:
                answers.append((step, None))
        found = _STATE_REFUSALS[key] = tuple(answers)
    return found


def case_fields(agg: Case, group_name: str, case_officer_name: str | None) -> dict[str, Any]:
    """The fields of a :class:`CaseView` that are the aggregate's own values (every field
    but the document, the invited, the advice lists, the postponements and the steps)."""
    return {
        "id": agg.id,
        "reference": agg.reference,
        "kind": agg.kind.value,
        "title": agg.title,
        "summary": agg.summary,
        "focus_area": agg.focus_area,
        "group_id": agg.group_id,
        "group_name": group_name,
        "status": agg.status.value,
        "status_since": agg.status_since or agg.created_on,
        "proposed_at": agg.created_on,
        "modified_at": agg.modified_on,
        "case_officer": agg.case_officer,
        "case_officer_name": case_officer_name,
        "decline_reason": agg.decline_reason,
        "document_revisions": len(agg.documents),
        "advice_deadline": agg.advice_deadline,
        "kg_meeting_id": agg.kg_meeting_id,
        "advice_summary": agg.advice_summary,
        "advice_waived": agg.advice_waived,
        "board_meeting_id": agg.submission.meeting_id if agg.submission else None,
        "board_number": agg.submission.label if agg.submission else None,
        "resolution": agg.resolution,
        "withdraw_reason": agg.withdraw_reason,
        "version": agg.version,
        "public_title": agg.public_title,
    }


def _everything(case_id: UUID) -> bool:
    return True


class CaseQueries:
    """Cases as their readers may see them."""

    def __init__(self, core: CaseflowCore) -> None:
        self.core = core

    def case_id(self, case: UUID | str) -> UUID:
        """A case id from an id or a reference such as ``OR-2025-007``."""
        if isinstance(case, UUID):
            return case
        text = str(case).strip()
        try:
            return UUID(text)
        except ValueError:
            pass
        index = self.core.for_query(Index, Index.create_id("case", text.upper()), optional=True)
        if index is None:
            # the same words as for a case the caller may not see (get_case): a missing
            # reference and a hidden case are told apart by no one
            raise NotFoundError("case not found", case=text)
        return index.target

    def load_case(self, case: UUID | str) -> Case:
        """A private copy of the case (for callers outside the application)."""
        return self.core.for_command(Case, self.case_id(case), "case")

    def case_actor(self, actor_id: UUID | str | None, case: Case) -> Actor:
        """The actor with their seats in the case's group and in KG."""
        return self.core.actor(actor_id, groups=(case.group_id, self.core.kg_id()))

    def may_see(self, actor: Actor, case: Case) -> bool:
        """The case visibility rule (:mod:`caseflow.domain.permissions.visibility`)
        applied to the case itself."""
        rule = case_visibility(actor, self.core.kg_id())
        return may_see_case(rule, case.group_id, case.status.value, case.invited)

    def case_reader(self, viewer: UUID | str | None) -> Callable[[UUID], bool]:
        """Whether ``viewer`` may see a case, by the case's id: :meth:`may_see` (the case
        page's own answer) as one predicate that every view naming cases shares, so
        that a meeting's page, API answer, pack and calendar never show a case its page
        answers 404 for. ``None`` (the application itself) sees everything; so do the
        secretariat and auditors, without loading a case. Others' answers are
        remembered for the predicate's life (one request)."""
        if viewer is None:
            return _everything
        actor = self.core.actor(viewer)
        if may_read_everything(actor):
            return _everything
        answers: dict[UUID, bool] = {}
        core = self.core

        def may_see_case(case_id: UUID) -> bool:
            found = answers.get(case_id)
            if found is None:
                with core.reading():
                    agg = core.for_query(Case, case_id, optional=True)
                    found = agg is not None and self.may_see(actor, agg)
                answers[case_id] = found
            return found

        return may_see_case

    def get_case(self, actor_id: UUID | str | None, case: UUID | str) -> CaseView:
        """One case with the caller's allowed next steps; 404 if the caller may not see it."""
        with self.core.reading():
            agg = self.core.for_query(Case, self.case_id(case), "case")
            actor = self.case_actor(actor_id, agg)
            if not self.may_see(actor, agg):
                raise NotFoundError("case not found", case=str(case))
            return self.case_view(agg, actor)

    def next_steps(self, agg: Case, actor: Actor) -> list[StepOption]:
        """Every step, whether the actor may take it now, and if not, why. The case's
        own refusals come from :func:`state_refusals` (remembered per step state); only
        the steps the state allows are checked against the actor."""
        options = []
        kg_id: UUID | None = None
        for step, refused in state_refusals(agg):
            if refused is not None:
                options.append(refused)
                continue
            if kg_id is None:
                kg_id = self.core.kg_id()
            try:
                may_act_on_step(
                    actor,
                    step,
                    kg_id=kg_id,
                    proposing_group_id=agg.group_id,
                    invited=agg.invited,
                )
            except CaseflowError as e:
                options.append(_refused(step, e))
            else:
                options.append(StepOption(step.value, True))
        return options

    def case_view(self, agg: Case, actor: Actor | None = None) -> CaseView:
        names: dict[UUID, str] = {}

        def name(pid: UUID | None) -> str | None:
            if pid is None:
                return None
            if pid not in names:
                names[pid] = self.core.person_name(pid)
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

        group = self.core.for_query(Group, agg.group_id, optional=True)
        history = [advice_view(a) for revs in agg.advice.values() for a in revs]
        return CaseView(
            **case_fields(agg, group.name if group else "", name(agg.case_officer)),
            document=agg.document.as_dict() if agg.document else None,
            invited=sorted(agg.invited, key=str),
            advice=[advice_view(a) for a in agg.current_advice().values()],
            advice_history=sorted(history, key=lambda a: a.at),
            postponements=list(agg.postponements),
            next_steps=self.next_steps(agg, actor) if actor is not None else [],
            screening=agg.screening.as_dict() if agg.screening is not None else None,
        )

    def case_ids(self) -> list[UUID]:
        """Every case id, in order of proposal (from the reference index counters).
        For listings use the read model; this serves tests and the CLI."""
        ids = []
        core = self.core
        with core.reading():
            for year in range(2000, clock.now().year + 2):
                counter = core.for_query(Counter, Counter.create_id(f"case-{year}"), optional=True)
                if counter is None:
                    continue
                for n in range(1, counter.value + 1):
                    key = Index.create_id("case", f"OR-{year}-{n:03d}")
                    index = core.for_query(Index, key, optional=True)
                    if index is not None:
                        ids.append(index.target)
        return ids

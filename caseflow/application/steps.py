"""A case step by name (the JSON API's ``POST /cases/{id}/{step}``, the CLI's ``case
step``): dispatched to the case or advice service."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from caseflow.application.advice import AdviceService
from caseflow.application.cases import CaseService
from caseflow.application.views import CaseView
from caseflow.domain.values import Document, Stance, Step


class StepService:
    """Every :class:`Step`, by name."""

    def __init__(self, cases: CaseService, advice: AdviceService) -> None:
        self.cases = cases
        self.advice = advice

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
            return self.cases.accept_case(actor_id, case, data.get("case_officer"), ev)
        if step is Step.DECLINE:
            return self.cases.decline_case(actor_id, case, data.get("reason", ""), ev)
        if step is Step.DRAFT:
            return self.cases.draft_case(actor_id, case, Document(**_document_fields(data)), ev)
        if step is Step.REQUEST_ADVICE:
            return self.advice.request_advice(
                actor_id, case, data["deadline"], data.get("kg_meeting_id"), ev
            )
        if step is Step.ADVICE:
            return self.advice.give_advice(
                actor_id, case, Stance(data["stance"]), data.get("text", ""), ev
            )
        if step is Step.CLOSE_ADVICE:
            return self.advice.close_advice(actor_id, case, data.get("summary", ""), ev)
        if step is Step.WAIVE_ADVICE:
            return self.advice.waive_advice(actor_id, case, data.get("reason", ""), ev)
        if step is Step.READY:
            return self.cases.mark_ready(actor_id, case, ev)
        if step is Step.SUBMIT:
            return self.cases.submit_case(actor_id, case, data["meeting_id"], ev)
        if step is Step.DECISION:
            return self.cases.record_decision(actor_id, case, data.get("resolution", ""), ev)
        if step is Step.POSTPONE:
            return self.cases.postpone_case(actor_id, case, data.get("reason", ""), ev)
        if step is Step.WITHDRAW:
            return self.cases.withdraw_case(actor_id, case, data.get("reason", ""), ev)
        # Every Step is dispatched above, and the callers (the API's routes, the CLI's
        # click.Choice) only pass Steps: anything else is a programming error, not a 403.
        raise ValueError(f"take_step has no step {step!r}")


def _document_fields(data: dict[str, Any]) -> dict[str, str]:
    return {
        k: str(data.get(k) or "")
        for k in ("background", "assessment", "proposed_resolution", "political_involvement")
    }

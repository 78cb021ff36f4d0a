"""A case step by name (the JSON API's ``POST /cases/{id}/{step}``, the CLI's ``case
step``): dispatched to the case or advice service."""

from __future__ import annotations

from collections.abc import Callable
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
        take = self._steps().get(step)
        if take is None:
            # Every Step is in the table, and the callers (the API's routes, the CLI's
            # click.Choice) only pass Steps: anything else is a programming error, not a 403.
            raise ValueError(f"take_step has no step {step!r}")
        return take(actor_id, case, data, expected_version)

    def _steps(self) -> dict[Step, Callable[[Any, Any, dict[str, Any], int | None], CaseView]]:
        c, a = self.cases, self.advice
        return {
            Step.ACCEPT: lambda who, k, d, ev: c.accept_case(who, k, d.get("case_officer"), ev),
            Step.DECLINE: lambda who, k, d, ev: c.decline_case(who, k, d.get("reason", ""), ev),
            Step.DRAFT: lambda who, k, d, ev: c.draft_case(
                who, k, Document(**_document_fields(d)), ev
            ),
            Step.REQUEST_ADVICE: lambda who, k, d, ev: a.request_advice(
                who, k, d["deadline"], d.get("kg_meeting_id"), ev
            ),
            Step.ADVICE: lambda who, k, d, ev: a.give_advice(
                who, k, Stance(d["stance"]), d.get("text", ""), ev
            ),
            Step.CLOSE_ADVICE: lambda who, k, d, ev: a.close_advice(
                who, k, d.get("summary", ""), ev
            ),
            Step.WAIVE_ADVICE: lambda who, k, d, ev: a.waive_advice(
                who, k, d.get("reason", ""), ev
            ),
            Step.READY: lambda who, k, d, ev: c.mark_ready(who, k, ev),
            Step.SUBMIT: lambda who, k, d, ev: c.submit_case(who, k, d["meeting_id"], ev),
            Step.DECISION: lambda who, k, d, ev: c.record_decision(
                who, k, d.get("resolution", ""), ev
            ),
            Step.POSTPONE: lambda who, k, d, ev: c.postpone_case(who, k, d.get("reason", ""), ev),
            Step.WITHDRAW: lambda who, k, d, ev: c.withdraw_case(who, k, d.get("reason", ""), ev),
        }


def _document_fields(data: dict[str, Any]) -> dict[str, str]:
    return {
        k: str(data.get(k) or "")
        for k in ("background", "assessment", "proposed_resolution", "political_involvement")
    }

"""The allowed next steps remember the case's own refusals per step state
(:meth:`Case.step_state`): for every status and document, the remembered answer is
what :meth:`Case.check_step` says of that very case."""

from __future__ import annotations

import itertools
import uuid

from caseflow.application import case_queries
from caseflow.application.case_queries import state_refusals
from caseflow.domain.case import Case
from caseflow.domain.errors import CaseflowError
from caseflow.domain.values import CaseStatus, Document, Step
from tests.unit.test_case_aggregate import new_case

DOCUMENTS = (
    None,
    Document("b", "a", "r", ""),  # no assessment of the politicians' involvement (R19)
    Document("b", "a", "r", "p"),
)


def case_in(status: CaseStatus, document: Document | None) -> Case:
    case = new_case()
    case.status = status
    case.documents = [document] if document is not None else []
    return case


def direct(case: Case, step: Step) -> tuple[str | None, str, dict[str, object]] | None:
    try:
        case.check_step(step)
    except CaseflowError as e:
        return (e.rule, e.message, dict(e.params))
    return None


def test_remembered_refusals_are_check_steps_for_every_state() -> None:
    case_queries._STATE_REFUSALS.clear()
    states = list(itertools.product(CaseStatus, DOCUMENTS))
    # Twice, the second time from memory only, in another order.
    for status, document in states + states[::-1]:
        case = case_in(status, document)
        answers = dict(state_refusals(case))
        assert list(answers) == list(Step)
        for step in Step:
            expected = direct(case, step)
            option = answers[step]
            if expected is None:
                assert option is None, (status, document, step)
                continue
            assert option is not None, (status, document, step)
            assert not option.allowed
            assert option.step == step.value
            assert option.reason is not None
            assert (option.rule, option.reason.key, dict(option.reason.params)) == expected
    assert len(case_queries._STATE_REFUSALS) <= len(states)


def test_the_step_state_names_what_check_step_reads() -> None:
    a = case_in(CaseStatus.UNDER_PREPARATION, DOCUMENTS[2])
    b = case_in(CaseStatus.UNDER_PREPARATION, Document("other", "x", "y", "z"))
    b.group_id = uuid.uuid4()
    assert a.step_state() == b.step_state()
    assert a.step_state() != case_in(CaseStatus.UNDER_PREPARATION, DOCUMENTS[1]).step_state()
    assert a.step_state() != case_in(CaseStatus.UNDER_PREPARATION, None).step_state()

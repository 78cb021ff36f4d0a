"""Unit tests of the Case aggregate's state machine (no store)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from caseflow.domain.case import ALLOWED_FROM, Case
from caseflow.domain.errors import InvalidInput, InvalidTransition
from caseflow.domain.permissions import Grant
from caseflow.domain.values import CaseStatus, Document, Stance, Step

BY = Grant("system", "system", None)
DOC = Document("b", "a", "r", "p")


def new_case() -> Case:
    return Case._create(
        Case.Proposed,
        kind="board_case",
        title="T",
        summary="S",
        focus_area=None,
        group_id=uuid.uuid4(),
        reference="OR-2099-001",
        actor="x",
        role="atp:member",
        on_behalf_of="follo",
    )


def test_proposed_then_accepted() -> None:
    case = new_case()
    assert case.status is CaseStatus.PROPOSED
    case.accept(uuid.uuid4(), BY)
    assert case.status is CaseStatus.UNDER_PREPARATION
    assert case.version == 2


def test_final_states_refuse_everything() -> None:
    case = new_case()
    case.decline("nei", BY)
    for step in Step:
        with pytest.raises(InvalidTransition):
            case.check_step(step)


def test_request_advice_needs_a_document() -> None:
    case = new_case()
    case.accept(uuid.uuid4(), BY)
    with pytest.raises(InvalidTransition):
        case.request_advice(date.today(), None, [], BY)
    case.draft(DOC, BY)
    case.request_advice(date.today(), None, [], BY)
    assert case.status is CaseStatus.ADVICE_REQUESTED


def test_advice_needs_text_unless_no_comment() -> None:
    case = new_case()
    case.accept(uuid.uuid4(), BY)
    case.draft(DOC, BY)
    case.request_advice(date.today(), None, [], BY)
    adviser = Grant(uuid.uuid4().hex, "kg:member", "oslo")
    with pytest.raises(InvalidInput):
        case.give_advice(Stance.SUPPORTS, " ", False, adviser)
    case.give_advice(Stance.NO_COMMENT, "", False, adviser)
    assert len(case.current_advice()) == 1


def test_r19_checked_on_ready() -> None:
    case = new_case()
    case.accept(uuid.uuid4(), BY)
    case.draft(Document(background="b"), BY)
    case.waive_advice("haster", BY)
    with pytest.raises(InvalidTransition) as err:
        case.mark_ready(BY)
    assert err.value.rule == "R19"


def test_every_step_has_source_states() -> None:
    assert set(ALLOWED_FROM) == set(Step)
    for states in ALLOWED_FROM.values():
        assert not (states & {CaseStatus.DECLINED, CaseStatus.WITHDRAWN, CaseStatus.DECIDED})


def test_board_number_label() -> None:
    case = new_case()
    case.accept(uuid.uuid4(), BY)
    case.draft(DOC, BY)
    case.waive_advice("haster", BY)
    case.mark_ready(BY)
    case.submit(uuid.uuid4(), 38, 2025, BY)
    assert case.submission is not None
    assert case.submission.label == "Sak 38/25"

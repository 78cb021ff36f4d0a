"""The case lifecycle through the application, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from caseflow.domain.errors import (
    CaseflowError,
    InvalidInput,
    InvalidTransition,
    NotFoundError,
    NotPermitted,
    StaleVersion,
)
from caseflow.domain.values import CaseKind, Document, GroupRole, Stance, Step
from tests.world import FULL_DOCUMENT, World


def test_full_lifecycle_to_decision(world: World) -> None:
    app = world.app
    case = world.submitted()
    assert case.status == "submitted"
    assert case.board_number is None  # waits on the meeting's list (issue 14)
    app.send_invitation(world["sekretariat"], world.meetings["board"])
    assert app.get_case(world["sekretariat"], case.id).board_number == "Sak 1/99"
    decided = app.record_decision(world["sekretariat"], case.id, "Styret vedtar forslaget.")
    assert decided.status == "decided"
    assert decided.resolution == "Styret vedtar forslaget."
    history = app.case_history(world["revisor"], case.id)
    types = [e.type for e in history.events]
    assert types == [
        "Proposed",
        "Accepted",
        "Drafted",
        "AdviceRequested",
        "AdviceGiven",
        "AdviceClosed",
        "MarkedReady",
        "SubmittedToMeeting",
        "NumberGiven",
        "Decided",
    ]
    first = history.events[0]
    assert first.actor == str(world["atp"])  # a dashed id, as every answer (issue 16)
    assert first.role == "atp:member"
    assert first.on_behalf_of == "follo"
    submitted = history.events[7]
    assert submitted.role == "secretariat"


def test_every_event_records_actor_role_and_time(world: World) -> None:
    case = world.submitted()
    for event in world.app.case_events(case.id):
        assert event.actor
        assert event.role
        assert event.timestamp.tzinfo is not None


def test_reference_lookup(world: World) -> None:
    case = world.proposed()
    assert case.reference.startswith("OR-")
    assert world.app.get_case(world["sekretariat"], case.reference).id == case.id
    with pytest.raises(NotFoundError):
        world.app.get_case(world["sekretariat"], "OR-1999-999")


def test_decline_needs_reason_and_is_final(world: World) -> None:
    case = world.proposed()
    with pytest.raises(InvalidInput) as err:
        world.app.decline_case(world["sekretariat"], case.id, "  ")
    assert err.value.fields == {"reason": ["required"]}
    declined = world.app.decline_case(world["sekretariat"], case.id, "Utenfor mandatet.")
    assert declined.status == "declined"
    with pytest.raises(InvalidTransition):
        world.app.accept_case(world["sekretariat"], case.id)


def test_drafts_keep_every_revision(world: World) -> None:
    case = world.drafted()
    revised = world.app.draft_case(
        world["sekretariat"],
        case.id,
        Document(background="Ny bakgrunn", political_involvement="Ja"),
    )
    assert revised.document_revisions == 2
    assert revised.document["background"] == "Ny bakgrunn"
    old = world.app.case_history(world["revisor"], case.id, version=3).state
    assert old.document["background"] == FULL_DOCUMENT.background


def test_advice_revisions_are_kept(world: World) -> None:
    case = world.advice_requested()
    world.app.give_advice(world["kg"], case.id, Stance.SUPPORTS, "Først")
    after = world.app.give_advice(world["kg"], case.id, Stance.SUPPORTS_WITH_CHANGES, "Revidert")
    assert [a.text for a in after.advice] == ["Revidert"]
    assert [a.revision for a in after.advice_history] == [1, 2]
    assert after.advice[0].on_behalf_of == "follo"


def test_advice_closed_then_no_more_advice(world: World) -> None:
    case = world.advised()
    with pytest.raises(InvalidTransition):
        world.app.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "For sent")


def test_waiver_with_reason(world: World) -> None:
    case = world.drafted()
    waived = world.app.waive_advice(world["sekretariat"], case.id, "Hastesak før fristen.")
    assert waived.status == "advice_closed"
    assert waived.advice_waived == "Hastesak før fristen."


def test_postpone_and_resubmit_gets_new_number(world: World) -> None:
    s = world["sekretariat"]
    a = world.submitted()
    b = world.submitted(title="Andre sak")
    assert (a.board_number, b.board_number) == (None, None)  # waiting (issue 14)
    world.app.send_invitation(s, world.meetings["board"])
    numbers = [world.app.get_case(s, c.id).board_number for c in (a, b)]
    assert numbers == ["Sak 1/99", "Sak 2/99"]
    world.app.postpone_case(s, a.id, "Trenger mer utredning")
    again = world.app.submit_case(s, a.id, world.meetings["board2"])
    assert again.board_number is None
    world.app.send_invitation(s, world.meetings["board2"])
    assert world.app.get_case(s, a.id).board_number == "Sak 3/99"
    meeting = world.app.get_meeting(world.meetings["board2"])
    assert [i.label for i in meeting.agenda] == ["Sak 3/99"]


def test_withdraw_by_proposing_group_before_submission(world: World) -> None:
    case = world.drafted()
    withdrawn = world.app.withdraw_case(world["atp-leder"], case.id, "Løst på annen måte")
    assert withdrawn.status == "withdrawn"


def test_withdraw_after_submission_refused(world: World) -> None:
    case = world.submitted()
    with pytest.raises(InvalidTransition):
        world.app.withdraw_case(world["sekretariat"], case.id, "for sent")


def test_expected_version_stale_is_refused(world: World) -> None:
    case = world.proposed()
    with pytest.raises(StaleVersion):
        world.app.accept_case(world["sekretariat"], case.id, expected_version=case.version + 1)
    ok = world.app.accept_case(world["sekretariat"], case.id, expected_version=case.version)
    assert ok.version == case.version + 1


def test_refused_step_records_nothing(world: World) -> None:
    case = world.ready()
    before = world.app.recorder.max_notification_id()
    with pytest.raises(NotPermitted):
        world.app.submit_case(world["kg"], case.id, world.meetings["board"])
    assert world.app.recorder.max_notification_id() == before


def test_an_unknown_step_is_a_programming_error_not_a_refusal(world: World) -> None:
    """Issue 13: ``take_step`` is given a :class:`Step` by every caller; anything else is a
    bug in the caller (ValueError, a 500), not a 403 a user could be shown."""
    case = world.proposed()
    before = world.app.recorder.max_notification_id()
    with pytest.raises(ValueError, match="no step") as raised:
        world.app.take_step(world["sekretariat"], case.id, "promote", {})  # type: ignore[arg-type]
    assert not isinstance(raised.value, CaseflowError)
    assert world.app.recorder.max_notification_id() == before


def test_history_as_of_between_events(world: World) -> None:
    case = world.advised()
    events = world.app.case_events(case.id)
    t = events[2].timestamp  # Drafted
    at = world.app.case_history(world["revisor"], case.id, as_of=t)
    assert at.at_version == 3
    assert at.state.status == "under_preparation"
    just_before = world.app.case_history(
        world["revisor"], case.id, as_of=t - timedelta(microseconds=1)
    )
    assert just_before.at_version == 2
    with pytest.raises(InvalidInput):
        world.app.case_history(world["revisor"], case.id, as_of=datetime(2000, 1, 1, tzinfo=UTC))


def test_next_steps_explain_refusals(world: World) -> None:
    case = world.ready()
    kg_view = world.app.get_case(world["kg"], case.id)
    submit = next(s for s in kg_view.next_steps if s.step == Step.SUBMIT.value)
    assert not submit.allowed
    assert submit.rule == "R1"
    sec_view = world.app.get_case(world["sekretariat"], case.id)
    allowed = {s.step for s in sec_view.next_steps if s.allowed}
    assert allowed == {"submit", "withdraw"}


def test_invisible_case_is_not_found(world: World) -> None:
    case = world.proposed()
    with pytest.raises(NotFoundError):
        world.app.get_case(world["ntp"], case.id)


def test_request_advice_needs_document(world: World) -> None:
    case = world.accepted()
    with pytest.raises(InvalidTransition):
        world.app.request_advice(world["sekretariat"], case.id, date.today())


def test_kinds(world: World) -> None:
    theme = world.app.propose_case(
        world["kg"],
        world.groups["kg"],
        "Tema: Oslofjorden",
        "Foredragsholder",
        CaseKind.THEME_SPEAKER,
    )
    assert theme.kind == "theme_speaker"


def test_leader_appointed_after_advice_request_is_invited_by_kg_agenda(world: World) -> None:
    """R13: a case already out for advice placed on a KG agenda invites the group's
    current leader (appointed after the request), who may then give input."""
    app = world.app
    case = world.proposed(group="ntp", by="ntp")
    app.accept_case(world["sekretariat"], case.id, world["sekretariat"])
    app.draft_case(world["sekretariat"], case.id, FULL_DOCUMENT)
    app.request_advice(world["sekretariat"], case.id, date.today() + timedelta(days=7))
    ntp = world.groups["ntp"]
    app.add_member(world["sekretariat"], ntp, world["kg2"])
    app.appoint(world["kg2"], ntp, world["ntp"], GroupRole.LEADER)  # the group's act (R4)
    with pytest.raises(NotPermitted) as err:
        app.give_advice(world["ntp"], case.id, Stance.SUPPORTS, "Innspill")
    assert err.value.rule == "R13"
    app.place_case_on_agenda(world["sekretariat"], world.meetings["kg"], case.id)
    view = app.give_advice(world["ntp"], case.id, Stance.SUPPORTS, "Innspill")
    assert view.advice[0].as_invited_leader

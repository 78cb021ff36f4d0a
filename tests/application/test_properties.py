"""Property tests: random sequences of commands by random actors never break an invariant.

- only the secretariat submits (and takes every other secretariat step);
- nothing is recorded after a final state;
- every event's actor held the needed role when the event was recorded (membership
  changes are part of the random sequence, so a removed member acting is exercised);
- a refused command records nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseflow.application import Caseflow
from caseflow.domain.errors import CaseflowError
from caseflow.domain.values import FINAL_STATUSES, CaseStatus, GroupRole, Stance
from caseflow.persistence import open_application
from tests.world import FULL_DOCUMENT, World

ACTORS = [
    "sekretariat",
    "kg",
    "kg2",
    "kg-leder",
    "kg-obs",
    "atp",
    "atp-leder",
    "observator",
    "ntp",
    "revisor",
]
STEPS = [
    "accept",
    "decline",
    "draft",
    "request-advice",
    "advice",
    "close-advice",
    "waive-advice",
    "ready",
    "submit",
    "decision",
    "postpone",
    "withdraw",
    "remove-kg2",
    "readd-kg2",
]

SECRETARIAT_EVENTS = {
    "Accepted",
    "Declined",
    "Drafted",
    "AdviceRequested",
    "AdviceWaived",
    "MarkedReady",
    "SubmittedToBoard",
    "Decided",
    "Postponed",
}


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path = tmp_path_factory.mktemp("prop") / "caseflow.sqlite3"
    app, _ = open_application(f"sqlite:///{path}")
    try:
        yield World.build(app)
    finally:
        app.close()


def run(app: Caseflow, w: World, who: str, step: str, case_id: Any) -> None:
    actor = w[who]
    today = date.today()
    if step == "remove-kg2":
        app.remove_member(w["sekretariat"], w.groups["kg"], w["kg2"], "test")
    elif step == "readd-kg2":
        app.add_member(w["sekretariat"], w.groups["kg"], w["kg2"], GroupRole.MEMBER)
    elif step == "accept":
        app.accept_case(actor, case_id, w["sekretariat"])
    elif step == "draft":
        app.draft_case(actor, case_id, FULL_DOCUMENT)
    elif step == "request-advice":
        app.request_advice(actor, case_id, today + timedelta(days=14))
    elif step == "advice":
        app.give_advice(actor, case_id, Stance.SUPPORTS, "ok")
    elif step == "submit":
        app.submit_case(actor, case_id, w.meetings["board"])
    else:
        from caseflow.domain.values import Step

        app.take_step(
            actor, case_id, Step(step), {"reason": "r", "summary": "s", "resolution": "v"}
        )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(STEPS)), min_size=1, max_size=25)
)
def test_random_commands_keep_invariants(
    shared_world: World, commands: list[tuple[str, str]]
) -> None:
    w = shared_world
    app = w.app
    # make sure kg2 starts as a KG member
    if w["kg2"] not in {m.person_id for m in app.get_group(w.groups["kg"]).members}:
        app.add_member(w["sekretariat"], w.groups["kg"], w["kg2"], GroupRole.MEMBER)
    case = w.proposed()
    kg2_member = True
    for who, step in commands:
        before = app.recorder.max_notification_id()
        status_before = CaseStatus(app.get_case(w["sekretariat"], case.id).status)
        events_before = len(app.case_events(case.id))
        try:
            run(app, w, who, step, case.id)
        except CaseflowError:
            assert app.recorder.max_notification_id() == before, "a refusal recorded something"
            continue
        if step == "remove-kg2":
            kg2_member = False
            continue
        if step == "readd-kg2":
            kg2_member = True
            continue
        assert status_before not in FINAL_STATUSES, "a step succeeded after a final state"
        new = app.case_events(case.id)[events_before:]
        for event in new:
            name = type(event).__name__
            if name in SECRETARIAT_EVENTS:
                assert who == "sekretariat", (name, who)
                assert event.role == "secretariat", (name, who)
            if name == "AdviceGiven":
                allowed = {"kg", "kg-leder"} | ({"kg2"} if kg2_member else set())
                assert who in allowed or (who == "atp-leder" and event.as_invited_leader), who
            if name == "AdviceClosed":
                assert who in ("sekretariat", "kg-leder")
            if name == "Withdrawn":
                assert who in ("sekretariat", "atp", "atp-leder")

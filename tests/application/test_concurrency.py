"""Concurrent writers never lose an event: a version conflict is retried on fresh state."""

from __future__ import annotations

import threading

from caseflow.domain.errors import CaseflowError
from caseflow.domain.values import Stance
from tests.world import World


def test_two_kg_members_advising_at_once_both_recorded(world: World) -> None:
    case = world.advice_requested()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def advise(who: str) -> None:
        barrier.wait()
        try:
            for i in range(5):
                world.app.give_advice(world[who], case.id, Stance.SUPPORTS, f"{who} {i}")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=advise, args=(w,)) for w in ("kg", "kg2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    view = world.app.get_case(world["sekretariat"], case.id)
    texts = sorted(a.text for a in view.advice_history)
    assert texts == sorted([f"kg {i}" for i in range(5)] + [f"kg2 {i}" for i in range(5)])
    versions = [e.originator_version for e in world.app.case_events(case.id)]
    assert versions == list(range(1, len(versions) + 1))


def test_concurrent_submissions_get_distinct_numbers(world: World) -> None:
    cases = [world.ready(title=f"Sak {i}") for i in range(4)]
    barrier = threading.Barrier(len(cases))
    errors: list[CaseflowError] = []

    def submit(case_id) -> None:
        barrier.wait()
        try:
            world.app.submit_case(world["sekretariat"], case_id, world.meetings["board"])
        except CaseflowError as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=submit, args=(c.id,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    world.app.send_invitation(world["sekretariat"], world.meetings["board"])  # numbers them
    numbers = sorted(
        str(world.app.get_case(world["sekretariat"], c.id).board_number) for c in cases
    )
    assert numbers == ["Sak 1/99", "Sak 2/99", "Sak 3/99", "Sak 4/99"]

"""A long history (advice revisions by three advisers) as ``case_history`` gives it equals
the plain way of building it: the events read with the library's event store, replayed onto
a fresh aggregate, each entry with its actor's name looked up, its log position from the
positions query — at the end, at every tenth version and at moments at, between and
around the events' times; and a reader who may not see the case is told nothing, whatever
the point asked for."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from caseflow.application import Caseflow, history
from caseflow.application.views import EventView, HistoryView
from caseflow.domain.errors import InvalidInput, NotFoundError
from caseflow.domain.values import Stance
from caseflow.persistence.positions import RecorderPositions
from tests.world import World

ENVELOPE = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor",
    "role",
    "on_behalf_of",
}


def plain_history(
    app: Caseflow, case_id: UUID, *, version: int | None = None, as_of: datetime | None = None
) -> HistoryView:
    """The history as the first implementation built it, one step at a time."""
    events: list[Any] = list(app.events.get(case_id))
    if version is not None:
        cut = version
    elif as_of is not None:
        cut = sum(1 for e in events if e.timestamp <= as_of)
    else:
        cut = len(events)
    agg: Any = None
    state = None
    for n, event in enumerate(events, 1):
        agg = event.mutate(agg)
        if n == cut:
            state = app.case_view(agg)
    assert state is not None
    at = RecorderPositions(app.recorder).positions(case_id) if app.history.log else {}

    def dashed(actor: str) -> str:
        try:
            return str(UUID(actor))
        except ValueError:
            return actor

    return HistoryView(
        case_id=agg.id,
        reference=agg.reference,
        events=[
            EventView(
                version=e.originator_version,
                type=type(e).__name__,
                time=e.timestamp,
                actor=dashed(e.actor),
                actor_name=app.person_name(e.actor),
                role=e.role,
                on_behalf_of=e.on_behalf_of,
                data={
                    f.name: getattr(e, f.name)
                    for f in e.__dataclass_fields__.values()
                    if f.name not in ENVELOPE
                },
                position=at.get(e.originator_version),
            )
            for e in events
        ],
        at_version=cut,
        state=state,
    )


def long_case(world: World, revisions: int = 90) -> UUID:
    case = world.advice_requested()
    advisers = ["kg", "kg2", "kg-leder"]
    for i in range(revisions):
        stance = Stance.SUPPORTS if i % 2 else Stance.DOES_NOT_SUPPORT
        world.app.give_advice(world[advisers[i % 3]], case.id, stance, f"Revisjon {i}.")
    world.app.close_advice(world["kg-leder"], case.id, "KG støtter saken.")
    return case.id


def test_a_long_history_equals_the_plain_replay(world: World) -> None:
    app = world.app
    case_id = long_case(world)
    revisor = world["revisor"]
    whole = app.case_history(revisor, case_id)
    assert len(whole.events) > 90
    assert whole == plain_history(app, case_id)
    assert whole.as_dict() == plain_history(app, case_id).as_dict()
    assert {e.actor_name for e in whole.events} >= {"Knut Kommune", "Berit Bærum", "Kari Leder"}
    assert all(e.position is not None for e in whole.events)
    n = len(whole.events)
    for version in [1, 2, *range(10, n, 10), n]:
        assert app.case_history(revisor, case_id, version=version) == plain_history(
            app, case_id, version=version
        ), version
    times = [e.time for e in whole.events]
    moments = times[::7] + [a + (b - a) / 2 for a, b in itertools.pairwise(times[::11])]
    moments += [times[-1] + timedelta(days=1), times[0]]
    for moment in moments:
        got = app.case_history(revisor, case_id, as_of=moment)
        assert got == plain_history(app, case_id, as_of=moment), moment
    naive = times[len(times) // 2].replace(tzinfo=None)  # taken as UTC
    assert app.case_history(revisor, case_id, as_of=naive) == plain_history(
        app, case_id, as_of=times[len(times) // 2]
    )


def test_the_entries_are_made_the_quick_way() -> None:
    """EventView's fields are those the history fills in directly (else it calls the
    class, equally right, slower): the comparisons above test the quick way."""
    assert history._ENTRY_BY_DICT


def test_without_log_positions_the_entries_have_none(world: World) -> None:
    app = world.app
    case_id = long_case(world, revisions=12)
    log = app.history.log
    try:
        app.history.log = None
        got = app.case_history(world["revisor"], case_id, version=5)
        assert got == plain_history(app, case_id, version=5)
        assert {e.position for e in got.events} == {None}
    finally:
        app.history.log = log


def test_a_reader_who_may_not_see_the_case_learns_nothing(world: World) -> None:
    app = world.app
    case_id = long_case(world, revisions=6)
    times = [e.timestamp for e in app.case_events(case_id)]
    outsider = world["ntp"]
    for kwargs in [
        {},
        {"version": 3},
        {"version": 999},  # refused for those who may see it, hidden for the others
        {"as_of": times[2]},
        {"as_of": times[0] - timedelta(days=1)},
    ]:
        with pytest.raises(NotFoundError):
            app.case_history(outsider, case_id, **kwargs)
    with pytest.raises(InvalidInput):
        app.case_history(world["revisor"], case_id, version=999)
    with pytest.raises(InvalidInput):
        app.case_history(world["revisor"], case_id, as_of=times[0] - timedelta(days=1))

"""A store written before issue 13 split ``caseflow.domain.meeting`` still loads.

Until then ``AgendaSequence`` and ``Measure`` lived in ``caseflow.domain.meeting``, so their
stored events carry topics such as ``caseflow.domain.meeting:Measure.Registered`` (and the
created event names ``caseflow.domain.meeting:Measure`` as its aggregate's topic). The
events here are inserted through the recorder with exactly those strings, as an old store
holds them; the application, its commands and the read models then read them, on SQLite
and on PostgreSQL. ``caseflow/application/topics.py`` makes that work."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from caseflow.application import Caseflow
from caseflow.application.topics import MOVED_TOPICS
from caseflow.domain.agenda import AgendaSequence
from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.measure import Measure, MeasureStatus
from caseflow.domain.permissions import Grant
from caseflow.persistence import parse_database_url
from caseflow.readmodels import open_read_models
from caseflow.readmodels.api import AuditFilter
from tests.readmodels.replay import assert_matches_replay
from tests.world import World

OLD = "caseflow.domain.meeting:"
SYSTEM = {"actor": "system", "role": "system", "on_behalf_of": None}
BY = Grant("system", "system", None)


def _as_stored_before_the_move(app: Caseflow, events: list[Any]) -> list[StoredEvent]:
    """The events as a store written before the move holds them: every topic, the event's
    and the created event's ``originator_topic``, names ``caseflow.domain.meeting``."""
    stored = []
    for event in events:
        s = app.mapper.to_stored_event(event)
        module, _, qualname = s.topic.partition(":")
        assert module in ("caseflow.domain.agenda", "caseflow.domain.measure"), s.topic
        state = json.loads(s.state)
        if "originator_topic" in state:
            state["originator_topic"] = OLD + state["originator_topic"].partition(":")[2]
        stored.append(
            StoredEvent(
                s.originator_id,
                s.originator_version,
                OLD + qualname,
                json.dumps(state, separators=(",", ":")).encode(),
            )
        )
    return stored


def _old_measure(app: Caseflow) -> UUID:
    measure = Measure._create(
        Measure.Registered,
        title="Felles areal- og transportplan",
        focus_area="transport",
        description="Fra strategien 2024–2027.",
        **SYSTEM,
    )
    measure.update(MeasureStatus.IN_PROGRESS, "Startet", None, BY)
    app.recorder.insert_events(_as_stored_before_the_move(app, measure.collect_events()))
    return measure.id


def _old_board_sequence(app: Caseflow, year: int, last: int) -> None:
    sequence = AgendaSequence._create(AgendaSequence.Started, body="board", year=year, **SYSTEM)
    for _ in range(last):
        sequence.issue(BY)
    app.recorder.insert_events(_as_stored_before_the_move(app, sequence.collect_events()))


def test_every_moved_class_and_its_events_have_their_old_topic() -> None:
    for cls in (AgendaSequence, Measure):
        nested = [
            v
            for v in vars(cls).values()
            if isinstance(v, type)
            and issubclass(v, CaseflowAggregate.Event)
            and v.__qualname__ == f"{cls.__qualname__}.{v.__name__}"
            and v.__name__ not in ("Event", "Created")
        ]
        assert len(nested) == 2, (cls, nested)
        for c in (cls, *nested):
            assert MOVED_TOPICS.get(OLD + c.__qualname__) is c, c


def test_a_measure_stored_under_the_old_topics_loads_and_goes_on(
    app: Caseflow, world: World
) -> None:
    stored = app.recorder.select_events(measure_id := _old_measure(app))
    assert [s.topic for s in stored] == [OLD + "Measure.Registered", OLD + "Measure.StatusUpdated"]

    measure: Any = app.repository.get(measure_id)
    assert (type(measure), measure.status, len(measure.updates)) == (
        Measure,
        MeasureStatus.IN_PROGRESS,
        1,
    )
    view = app.update_measure(world["kg"], measure_id, "done", "Vedtatt i styret")
    assert (view.status, [u.note for u in view.updates]) == (
        "done",
        ["Startet", "Vedtatt i styret"],
    )
    # The new event carries the new topic; the old ones are as they were stored.
    topics = [s.topic for s in app.recorder.select_events(measure_id)]
    assert topics[:2] == [OLD + "Measure.Registered", OLD + "Measure.StatusUpdated"]
    assert topics[2] == "caseflow.domain.measure:Measure.StatusUpdated"


def test_a_board_sequence_stored_under_the_old_topics_keeps_numbering(
    app: Caseflow, world: World
) -> None:
    _old_board_sequence(app, 2099, last=5)  # Sak 1/99 … 5/99 given before the move
    case = world.submitted()  # to the board meeting of 8.12.2099
    app.send_invitation(world["sekretariat"], world.meetings["board"])  # numbers it
    assert app.get_case(world["sekretariat"], case.id).board_number == "Sak 6/99"
    sequence: Any = app.repository.get(AgendaSequence.create_id("board", 2099))
    assert (type(sequence), sequence.last) == (AgendaSequence, 6)


def test_the_read_models_project_the_old_topics(
    app: Caseflow, world: World, store_url: str
) -> None:
    _old_measure(app)
    _old_board_sequence(app, 2098, last=2)
    read = open_read_models(app, parse_database_url(store_url))
    read.catch_up()
    rows = read.audit(AuditFilter(per_page=500)).items
    assert [r.summary for r in rows if r.aggregate_type == "Measure"] == [
        "Registrerte tiltaket Felles areal- og transportplan",
        "Tiltaket har status pågår",  # the status in words (issue 15)
    ]
    assert [r.summary for r in rows if r.aggregate_type == "AgendaSequence"] == [
        "Startet saksnummereringen for styret 2098",
        "Tildelte saksnummer 1",
        "Tildelte saksnummer 2",
    ]
    assert_matches_replay(app, read)

"""Upgrades: an event stored in an older shape still reads (``class_version`` and
``upcast_v1_v2``), an event class that was renamed still reads (``register_topic``), and
the projections track such events and ignore those they do not know."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, register_topic

from caseflow.application import Caseflow
from caseflow.domain.base import CaseflowAggregate
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import AuditFilter
from tests.readmodels.replay import assert_matches_replay
from tests.world import World


class Note(CaseflowAggregate):
    """A test-only aggregate whose event gained a field in version 2."""

    class Written(CaseflowAggregate.Created):
        text: str
        language: str  # new in version 2

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["language"] = "nb"

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language


def _store_v1(app: Caseflow, topic: str) -> Any:
    """Write a version-1 ``Written`` event by hand: no ``language``, no class_version."""
    note_id = uuid4()
    state = app.mapper.transcoder.encode(
        {
            "timestamp": datetime.now(UTC),
            "originator_topic": get_topic(Note),
            "text": "Skrevet før språkfeltet fantes",
            "actor": "system",
            "role": "system",
            "on_behalf_of": None,
        }
    )
    app.recorder.insert_events([StoredEvent(note_id, 1, topic, state)])
    return note_id


def test_an_old_shape_event_is_upcast_when_read(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    note_id = _store_v1(app, get_topic(Note.Written))
    note: Any = app.repository.get(note_id)
    assert (note.text, note.language) == ("Skrevet før språkfeltet fantes", "nb")
    # The projections read it too: tracked, in the audit trail, ignored elsewhere.
    read.catch_up()
    row = read.audit(AuditFilter(type="Written")).items[0]
    assert (row.aggregate_type, row.summary, row.actor_name) == (
        "Note",
        "Hendelse Written",
        "Caseflow",
    )
    assert_matches_replay(app, read)


def test_a_renamed_event_class_still_reads(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    old_topic = f"{__name__}:Notat.Skrevet"  # the class's name before it was renamed
    register_topic(old_topic, Note.Written)
    note_id = _store_v1(app, old_topic)
    note: Any = app.repository.get(note_id)
    assert note.language == "nb"
    read.catch_up()
    assert read.audit(AuditFilter(type="Written")).total == 1

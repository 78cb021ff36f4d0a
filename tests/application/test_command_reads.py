"""The reads a command makes (issue 19): the stores' one-query read of the log's tail with
one aggregate's events gives exactly what the two separate reads give, the stores' quick
reads give what the library's give, and a command whose first read misses the cache
still sees what another process wrote — to the aggregate it reads and to the cached ones."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from caseflow.application import Caseflow
from caseflow.domain.case import Case
from caseflow.domain.errors import NotPermitted
from caseflow.domain.values import Stance
from caseflow.persistence import open_application
from tests.world import World


@pytest.fixture
def other(store_url: str) -> Iterator[Caseflow]:
    """A second application on the same store (another process, as far as caches go)."""
    application, _ = open_application(store_url)
    try:
        yield application
    finally:
        application.close()


def _library(app: Caseflow) -> type:
    recorder = app.recorder
    if isinstance(recorder, SQLiteApplicationRecorder):
        return SQLiteApplicationRecorder
    assert isinstance(recorder, PostgresApplicationRecorder)
    return PostgresApplicationRecorder


def _same_notes(ours: list, theirs: list) -> None:
    assert [
        (n.id, n.originator_id, n.originator_version, n.topic, bytes(n.state)) for n in ours
    ] == [(n.id, n.originator_id, n.originator_version, n.topic, bytes(n.state)) for n in theirs]


def _same_events(ours: list, theirs: list) -> None:
    assert [(e.originator_id, e.originator_version, e.topic, bytes(e.state)) for e in ours] == [
        (e.originator_id, e.originator_version, e.topic, bytes(e.state)) for e in theirs
    ]


def test_tail_and_events_in_one_query_equal_the_two_reads(world: World) -> None:
    app = world.app
    case = world.advice_requested()
    world.app.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "Støttes.")
    recorder = app.recorder
    read = recorder.select_notifications_and_events  # type: ignore[attr-defined]
    top = recorder.max_notification_id() or 0
    assert top > 10
    library = _library(app)
    for start in (1, top - 7, top, top + 1):
        for limit in (1000, 3):
            for aggregate_id in (case.id, world.groups["kg"], uuid4()):
                notes, events = read(start, limit, aggregate_id)
                _same_notes(notes, library.select_notifications(recorder, start, limit))
                _same_events(events, library.select_events(recorder, aggregate_id))
    notes, events = read(top + 1, 1000, uuid4())
    assert notes == []
    assert events == []


def test_the_quick_reads_equal_the_librarys(world: World) -> None:
    app = world.app
    case = world.advised()
    recorder = app.recorder
    library = _library(app)
    top = recorder.max_notification_id() or 0
    for start in (1, top - 5, top + 1):
        _same_notes(
            list(recorder.select_notifications(start, 50)),
            library.select_notifications(recorder, start, 50),
        )
    # Options the quick path does not take are the library's own.
    _same_notes(
        list(recorder.select_notifications(2, 10, stop=6)),
        library.select_notifications(recorder, 2, 10, stop=6),
    )
    _same_events(list(recorder.select_events(case.id)), library.select_events(recorder, case.id))
    _same_events(
        list(recorder.select_events(case.id, gt=1, desc=True, limit=2)),
        library.select_events(recorder, case.id, gt=1, desc=True, limit=2),
    )


def test_a_duplicate_append_is_the_librarys_integrity_error_and_leaves_nothing(
    world: World,
) -> None:
    recorder = world.app.recorder
    oid = uuid4()
    recorder.insert_events([StoredEvent(oid, 1, "t", b"{}")])
    top = recorder.max_notification_id()
    with pytest.raises(IntegrityError):
        recorder.insert_events(
            [StoredEvent(uuid4(), 1, "t", b"{}"), StoredEvent(oid, 1, "t", b"{}")]
        )
    assert recorder.max_notification_id() == top  # the first of the two was rolled back
    assert [e.originator_version for e in recorder.select_events(oid)] == [1]
    recorder.insert_events([StoredEvent(oid, 2, "t", b"{}")])  # the connection is fine
    assert [e.originator_version for e in recorder.select_events(oid)] == [1, 2]


def test_a_command_missing_the_cache_sees_what_another_process_wrote(
    world: World, other: Caseflow
) -> None:
    app = world.app
    case = world.advice_requested()
    app.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "Først.")  # KG and the case cached
    app.cache._items.pop(case.id)  # the case not cached: the command's first read misses
    other.give_advice(world["kg"], case.id, Stance.DOES_NOT_SUPPORT, "Imot.")  # the case, elsewhere
    other.remove_member(world["sekretariat"], world.groups["kg"], world["kg2"], "sluttet")
    assert app.cache.get(case.id) is None
    read, calls = app._tail_and_events, []
    assert read is not None

    def counted(*args: object) -> object:
        calls.append(args)
        return read(*args)

    app._tail_and_events = counted  # type: ignore[assignment]
    assert app.cache.get(world.groups["kg"]) is not None
    with pytest.raises(NotPermitted):  # the cached group caught up in the same read
        app.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "Etterpå.")
    written_elsewhere = other.for_query(Case, case.id).version
    view = app.give_advice(world["kg"], case.id, Stance.SUPPORTS, "Likevel.")
    fresh = app._fetch(case.id)
    assert isinstance(fresh, Case)
    assert view.version == fresh.version == written_elsewhere + 1
    assert [a.text for a in view.advice_history] == ["Først.", "Imot.", "Likevel."]
    assert [c[2] for c in calls] == [case.id, case.id]  # one query per command, both times

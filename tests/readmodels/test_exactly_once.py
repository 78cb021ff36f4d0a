"""Exactly once: a notification already tracked is never applied again, a failed batch
leaves neither rows nor position behind, and two drivers at once apply each event once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from caseflow.application import Caseflow
from caseflow.persistence import parse_database_url
from caseflow.readmodels import ReadModelService, open_read_models
from caseflow.readmodels.api import AuditFilter, CaseFilter
from caseflow.readmodels.sql import Tx
from tests.readmodels.replay import assert_matches_replay, varied_history
from tests.world import World


def _changes(read: ReadModelService) -> dict[str, int]:
    """The cases' change counters: incremented (not set) per event, so a second delivery
    of any case event would show."""
    with read.projections["cases"].view.reading() as tx:
        return {cid: n for cid, n in tx.all("SELECT id, changes FROM {t}")}


def test_redelivering_a_tracked_notification_does_nothing(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    case = world.advised()
    read.catch_up()
    before = (_changes(read), read.audit(AuditFilter(per_page=1000)), read.positions())
    notification = app.recorder.select_notifications(start=1, limit=1000)
    for n in notification:
        event = app.mapper.to_domain_event(n)
        for projection in read.projections.values():
            projection.process_event(event, Tracking(app.name, n.id))  # the runner's way
    read.projections["cases"].process_batch(
        [(app.mapper.to_domain_event(n), Tracking(app.name, n.id)) for n in notification]
    )
    after = (_changes(read), read.audit(AuditFilter(per_page=1000)), read.positions())
    assert after == before
    row = read.cases(CaseFilter()).items[0]
    assert _changes(read)[case.id.hex] == row.version  # one change per event, exactly


class Boom(Exception):
    pass


def test_a_batch_that_fails_once_is_applied_event_by_event_exactly_once(
    app: Caseflow, world: World, read: ReadModelService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The failed batch's transaction leaves nothing; its events are then applied one by
    one (each exactly once), and the projection does not stop when none fails alone."""
    read.catch_up()
    world.advised(title="Feiler midt i")
    cases = read.projections["cases"]
    original = type(cases).apply
    calls = {"n": 0}

    def failing(self: Any, tx: Tx, event: Any, position: int) -> None:
        calls["n"] += 1
        original(self, tx, event, position)
        if calls["n"] == 5:
            raise Boom

    monkeypatch.setattr(type(cases), "apply", failing)
    read.catch_up(names=["cases"])
    assert calls["n"] > 5
    assert read.stopped == {}
    assert read.cases(CaseFilter(q="feiler")).total == 1
    monkeypatch.setattr(type(cases), "apply", original)
    read.catch_up()
    assert_matches_replay(app, read)


def test_two_drivers_at_once_apply_each_event_once(
    app: Caseflow, world: World, store_url: str, tmp_path: Path
) -> None:
    varied_history(world, tmp_path)
    settings = parse_database_url(store_url)
    readers = [open_read_models(app, settings) for _ in range(3)]
    for r in readers:
        r.batch_size = 5
    errors: list[BaseException] = []

    def drive(r: ReadModelService) -> None:
        try:
            r.catch_up()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=drive, args=(r,)) for r in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert_matches_replay(app, readers[0])
    rows = readers[0].cases(CaseFilter(per_page=100)).items
    changes = _changes(readers[0])
    assert all(changes[r.id.hex] == r.version for r in rows)

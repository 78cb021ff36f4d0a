"""An event a projection cannot apply stops that projection only: its position and the
reason are recorded and shown (``/healthz``, 503 on the pages that read it); the other
read models and the hash chain go on; after the cause is mended, ``resume`` applies it.

Hardening finding 1: a title with a NUL byte stopped every read model on PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from caseflow.application import Caseflow
from caseflow.domain.case import Case
from caseflow.ledger import Ledger
from caseflow.persistence import parse_database_url
from caseflow.readmodels import ReadModelService, open_read_models
from caseflow.readmodels.api import AuditFilter, CaseFilter, ReadModelStopped
from caseflow.readmodels.sql import Tx
from tests.readmodels.replay import assert_matches_replay
from tests.world import World


class Poison(Exception):
    pass


def poison_titles(monkeypatch: pytest.MonkeyPatch, read: ReadModelService, word: str) -> None:
    """The case list's projection fails on every event of a case whose title has ``word``
    (a bug in a projection, as far as the driver can tell)."""
    cases = read.projections["cases"]
    original = type(cases).apply

    def apply(self: Any, tx: Tx, event: Any, position: int) -> None:
        if word in str(getattr(event, "title", "")):
            raise Poison(f"cannot apply {type(event).__name__}")
        original(self, tx, event, position)

    monkeypatch.setattr(type(cases), "apply", apply)


def position_of(app: Caseflow, originator_id: Any, version: int = 1) -> int:
    """The log position of an aggregate's event."""
    found = [
        n.id
        for n in app.recorder.select_notifications(start=1, limit=1_000_000)
        if n.originator_id == originator_id and n.originator_version == version
    ]
    assert len(found) == 1
    return found[0]


def test_a_poisoned_event_stops_one_read_model_and_the_rest_go_on(
    app: Caseflow, world: World, read: ReadModelService, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.proposed(title="Første sak")
    read.catch_up()
    poison_titles(monkeypatch, read, "Giftig")
    bad = world.proposed(title="Giftig sak")
    bad_position = position_of(app, bad.id)
    after = world.proposed(title="Sak etterpå")

    read.catch_up()

    assert set(read.stopped) == {"cases"}
    stop = read.stopped["cases"]
    assert stop.position == bad_position
    assert "Poison" in stop.reason
    positions = read.positions()
    assert positions["cases"] == bad_position - 1  # everything before it was applied
    head = read.head()
    assert positions["audit"] == positions["roles"] == positions["meetings"] == head
    assert read.audit(AuditFilter(per_page=1000)).total == head
    with pytest.raises(ReadModelStopped) as refused:
        read.cases(CaseFilter())
    assert refused.value.status == 503
    health = read.health()
    assert health["status"] == "degraded"
    assert health["stopped"]["cases"]["position"] == bad_position
    # The chain went on too.
    assert Ledger(app).tracked() == head

    # Another process sees the stop (it is stored, not only remembered here).
    other = open_read_models(app, read.settings)
    other.catch_up()
    assert set(other.stopped) == {"cases"}
    assert other.positions()["cases"] == bad_position - 1

    # Mended (a new release): resume, and the event and those after it are applied.
    monkeypatch.undo()
    assert read.resume(["cases"]) == ["cases"]
    read.catch_up()
    assert read.stopped == {}
    assert read.health()["status"] == "ok"
    refs = {r.reference for r in read.cases(CaseFilter(per_page=100)).items}
    assert {bad.reference, after.reference} <= refs
    assert_matches_replay(app, read)


def test_freshen_is_one_query_when_nothing_is_new_and_catches_up_when_something_is(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    read.start()
    calls = {"n": 0}
    original = read.catch_up

    def counting(*a: Any, **kw: Any) -> int:
        calls["n"] += 1
        return original(*a, **kw)

    read.catch_up = counting  # type: ignore[method-assign]
    for _ in range(5):
        assert read.freshen()
    assert calls["n"] == 0  # nothing new: the head was compared, nothing caught up
    # Another process (here: a second application on the same store) writes.
    from caseflow.persistence import open_application

    other, _ = open_application(read.settings.url)
    try:
        other.propose_case(world["atp"], world.groups["atp"], "Fra en annen prosess", "Kort.")
    finally:
        other.close()
    assert read.freshen()
    assert calls["n"] == 1
    assert read.cases(CaseFilter(q="annen prosess")).total == 1


def test_a_nul_byte_stored_before_the_fix_stops_only_the_models_that_store_it(
    app: Caseflow, world: World, read: ReadModelService, store_url: str
) -> None:
    """PostgreSQL text cannot hold NUL: an event stored with one (by a release without the
    input check) stops the case list, the audit trail and the search index at it; roles,
    meetings and the chain go on. SQLite stores NUL in text: nothing stops there."""
    case = world.proposed(title="Mal")
    read.catch_up()
    template = next(
        s for s in app.recorder.select_events(case.id) if s.topic.endswith("Case.Proposed")
    )
    state = json.loads(template.state)
    state["title"] = "nul a\u0000b"
    poisoned = Case.create_id()
    app.recorder.insert_events(
        [StoredEvent(poisoned, 1, template.topic, json.dumps(state).encode())]
    )
    position = position_of(app, poisoned)
    world.proposed(title="Etter NUL")

    read.catch_up()

    head = read.head()
    assert Ledger(app).tracked() == head
    if not parse_database_url(store_url).is_postgres:
        assert read.stopped == {}
        assert set(read.positions().values()) == {head}
        return
    assert set(read.stopped) == {"cases", "audit", "search"}
    assert read.stopped["cases"].position == position
    assert "NUL" in read.stopped["cases"].reason
    assert read.positions()["roles"] == read.positions()["meetings"] == head

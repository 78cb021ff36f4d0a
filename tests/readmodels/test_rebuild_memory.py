"""What the projections keep in memory between batches for speed (issue 19) never changes
what they write: each case's advisers read again by a projection that starts mid-log or
after a rolled-back batch, the trail's remembered summaries the same text as rendering
them, and ``iso`` the same text as ``isoformat``."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest

from caseflow.application import Caseflow
from caseflow.domain.case import Case
from caseflow.domain.index import Directory, Index
from caseflow.domain.meeting import Meeting
from caseflow.domain.values import Stance
from caseflow.persistence import parse_database_url
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import CaseFilter
from caseflow.readmodels.audit_summary import (
    MEMO_FIELDS,
    prepared,
    render_both,
    summary_line,
)
from caseflow.readmodels.base import iso
from caseflow.readmodels.cases import CaseStatusProjection
from tests.readmodels.replay import assert_matches_replay
from tests.world import World


def _advice(world: World, case_id: Any, *people: str) -> None:
    for person in people:
        world.app.give_advice(world[person], case_id, Stance.SUPPORTS, f"Råd fra {person}.")


def _received(read: ReadModelService, case_id: Any) -> int:
    rows = {r.id: r for r in read.cases(CaseFilter(per_page=100)).items}
    return rows[case_id].advice_received


def test_advisers_counted_by_a_projection_that_starts_mid_log(
    app: Caseflow, world: World, read: ReadModelService, store_url: str
) -> None:
    case = world.advice_requested(title="Rådsrunde i to økter")
    _advice(world, case.id, "kg", "kg2")
    assert read.catch_up()
    assert _received(read, case.id) == 2
    # A new service (another process): its case list knows no advisers yet, reads them.
    later = ReadModelService(app, parse_database_url(store_url), batch_size=3)
    _advice(world, case.id, "kg", "atp-leder", "kg2", "kg")  # one new adviser
    assert later.catch_up()
    assert _received(later, case.id) == 3
    assert_matches_replay(app, later)


@pytest.mark.parametrize("where", ["finish", "tracking"])
def test_advisers_read_again_after_a_rolled_back_batch(
    app: Caseflow,
    world: World,
    read: ReadModelService,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    case = world.advice_requested(title="Rådsrunde med avbrudd")
    _advice(world, case.id, "kg")
    assert read.catch_up()
    _advice(world, case.id, "kg2", "atp-leder")
    projection = read.projections["cases"]
    assert isinstance(projection, CaseStatusProjection)
    failing = {"armed": True}

    def fail_once() -> None:
        if failing.pop("armed", False):
            raise RuntimeError("the batch fails after its advisers were counted")

    if where == "finish":  # inside finish, after the new advisers were inserted
        original = projection._write_advisers

        def write_then_fail(tx: Any) -> None:
            original(tx)
            fail_once()

        monkeypatch.setattr(projection, "_write_advisers", write_then_fail)
    else:  # after finish, when the tracking position is written
        view: Any = projection.view
        insert = view._insert_tracking

        def track_then_fail(c: Any, tracking: Any) -> None:
            fail_once()
            insert(c, tracking)

        monkeypatch.setattr(view, "_insert_tracking", track_then_fail)
    start = projection.view.position(app.name)
    batch = read.decode(app.recorder.select_notifications(start=start + 1, limit=100))
    with pytest.raises(RuntimeError):
        projection.process_batch(batch)  # rolled back
    assert projection.process_batch(batch) == len(batch)  # its advisers are new again
    assert projection.view.position(app.name) == app.recorder.max_notification_id()
    read.catch_up()  # the other read models take the two events too
    assert _received(read, case.id) == 3
    assert_matches_replay(app, read)


def _event(cls: type, **values: object) -> Any:
    given: dict[str, object] = {f.name: None for f in dataclasses.fields(cls)}
    given.update(originator_id=uuid4(), originator_version=1, timestamp=datetime.now(UTC))
    given.update(values)
    return cls(**given)


class _Asked(Exception):
    """A remembered summary looked a name up (it must not: names change)."""


def _no_names(value: object) -> str:
    raise _Asked(value)


@pytest.mark.parametrize(
    "event",
    [
        *(
            _event(Case.AdviceGiven, stance=stance, as_invited_leader=leader)
            for stance in [*(s.value for s in Stance), "an_unknown_stance", Stance.SUPPORTS]
            for leader in (False, True)
        ),
        _event(Index.Indexed, kind="case"),
        _event(Index.Indexed, kind="token"),
        _event(Index.Indexed, kind="case reference"),  # a label as a code: not translated
        _event(Case.Drafted),
        _event(Case.MarkedReady),
        _event(Case.SubmittedToMeeting),
    ],
)
def test_a_remembered_summary_is_the_rendered_one(event: Any) -> None:
    both = prepared(type(event))
    first = both(event, _no_names)
    again = both(dataclasses.replace(event, originator_id=uuid4()), _no_names)
    assert first == again == render_both(summary_line(event, _no_names))


def test_every_remembered_type_names_nobody() -> None:
    classes = {
        c.__qualname__: c
        for aggregate in (Case, Index, Directory, Meeting)
        for c in vars(aggregate).values()
        if isinstance(c, type)
    }
    values = {"stance": "supports", "as_invited_leader": False, "kind": "case"}
    for qualname in MEMO_FIELDS:
        cls = classes[qualname]
        fields = {f.name for f in dataclasses.fields(cls)}
        event = _event(cls, **{k: v for k, v in values.items() if k in fields})
        summary_line(event, _no_names)  # raises _Asked if it looked a name up
        assert prepared(cls)(event, _no_names) == render_both(summary_line(event, _no_names))


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 12, 2, 7, 40, 0, 0, tzinfo=UTC),
        datetime(2026, 12, 2, 7, 40, 59, 999999, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 1),  # naive: taken as UTC
        datetime(2026, 3, 29, 2, 30, 5, 123, tzinfo=timezone(timedelta(hours=2))),
        datetime(1, 1, 1, 0, 0, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_iso_is_isoformat_in_utc(value: datetime) -> None:
    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    assert iso(value) == iso(value) == utc.isoformat(timespec="microseconds")

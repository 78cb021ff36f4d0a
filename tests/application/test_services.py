"""Issue 13, explicit services over one core: the services are plain classes given the
core and each other (no mixin chain), every command's unit of work caches what it saved,
and the settings are what the composition root gives — not the process's environment."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest

import caseflow.application as application_package
from caseflow.application import Caseflow, Settings
from caseflow.application.core import CaseflowCore
from caseflow.domain.organisation import Group
from caseflow.domain.planning import PlanningRules
from caseflow.domain.values import MeetingBody
from caseflow.persistence import parse_database_url
from tests.world import World

SERVICES = (
    "case_queries",
    "cases",
    "advice",
    "steps",
    "history",
    "meeting_queries",
    "meetings",
    "minutes",
    "plans",
    "measures",
    "organisation",
    "people",
    "accounts",
)


def test_services_are_plain_classes_composed_over_one_core(app: Caseflow) -> None:
    for name in SERVICES:
        service = getattr(app, name)
        assert type(service).__bases__ == (object,), name  # no service inherits another
        core = getattr(service, "core", app)
        assert core is app  # the one core (one Application, one log)
    # the facade inherits the core only: nothing reaches a service through inheritance
    own = [c for c in Caseflow.__mro__ if c.__module__.startswith("caseflow")]
    assert own == [Caseflow, CaseflowCore]
    assert app.propose_case.__self__ is app.cases  # a delegation, not a copy
    assert "Caseflow" in application_package.__all__


def test_the_two_readers(world: World) -> None:
    gid = world.groups["kg"]
    shared = world.app.for_query(Group, gid)
    assert world.app.for_query(Group, gid) is shared  # the cached object itself
    private = world.app.for_command(Group, gid)
    assert private is not shared
    assert private.version == shared.version
    missing = Group.create_id("no-such-group")
    assert world.app.for_query(Group, missing, optional=True) is None
    assert world.app.for_command(Group, missing, optional=True) is None
    assert inspect.signature(CaseflowCore.for_command).parameters.keys() == {
        "self",
        "cls",
        "aggregate_id",
        "what",
        "optional",
    }


def test_every_command_caches_what_it_saved(world: World) -> None:
    when = datetime(2099, 5, 4, 10, tzinfo=UTC)
    meeting = world.app.schedule_meeting(world["sekretariat"], MeetingBody.KG, when).id
    cached = world.app.cache.get(meeting)  # kept as saved: no read of the store
    assert cached is not None
    assert cached.version == 1
    assert not cached.pending_events


def test_settings_come_from_the_composition_root(
    store_url: str, app: Caseflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEFLOW_BEST_YEARS", "2096")
    monkeypatch.setenv("CASEFLOW_PAPERS_DAYS", "3")
    env = parse_database_url(store_url).env  # the fixture's app has made the schema
    given = Caseflow(env=env, settings=Settings(best_years=frozenset({2097})))
    default = Caseflow(env=env)
    try:
        assert given.yearly_plan(2097).best_conference  # what it was given ...
        assert not given.yearly_plan(2096).best_conference  # ... not the environment
        assert default.planning_rules == PlanningRules()
        assert default.best_years is None
    finally:
        given.close()
        default.close()
    parsed = Settings.from_environ({"CASEFLOW_BEST_YEARS": "2025,2027"})
    assert parsed.best_years == frozenset({2025, 2027})
    assert (
        Settings.from_environ({"CASEFLOW_PAPERS_DAYS": "3"}).planning_rules.papers_days_before_board
        == 3
    )

"""The application's aggregate cache: shared, never mutated, kept current from the log.

Each test uses two application instances on one store, as two web workers (or a worker and
the CLI) would: what one writes, the other's next command sees — roles included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from caseflow.application import Caseflow
from caseflow.domain.base import SYSTEM
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput, NotPermitted
from caseflow.domain.organisation import Group, Person
from caseflow.domain.permissions import Grant, may_take_secretariat_step
from caseflow.domain.values import Document, GroupRole, Stance, Step, SystemRole
from caseflow.persistence import open_application, parse_database_url
from tests.world import FULL_DOCUMENT, World


@pytest.fixture
def other(store_url: str) -> Iterator[Caseflow]:
    """A second application on the same store (another process, as far as caches go)."""
    application, _ = open_application(store_url)
    try:
        yield application
    finally:
        application.close()


def test_a_member_removed_elsewhere_cannot_act(world: World, other: Caseflow) -> None:
    case = world.advice_requested()
    world.app.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "Først.")  # KG is cached
    assert world.app.cache.get(world.groups["kg"]) is not None
    other.remove_member(world["sekretariat"], world.groups["kg"], world["kg2"], "sluttet")
    with pytest.raises(NotPermitted):
        world.app.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "Etterpå.")
    assert [a.text for a in world.app.get_case(None, case.id).advice_history] == ["Først."]


def test_a_role_revoked_elsewhere_is_gone(world: World, other: Caseflow) -> None:
    case = world.proposed()
    world.app.get_case(world["sekretariat2"], case.id)  # the person is cached
    other.revoke_role(None, world["sekretariat2"], SystemRole.SECRETARIAT)
    with pytest.raises(NotPermitted):
        world.app.accept_case(world["sekretariat2"], case.id, world["sekretariat"])


def test_a_region_left_elsewhere_is_gone(world: World, other: Caseflow) -> None:
    assert world.app.actor(world["kg"]).region == "follo"
    other.leave_osloregionen(None, "3218")  # Ås
    assert world.app.actor(world["kg"]).region is None


def test_what_others_save_is_seen(world: World, other: Caseflow) -> None:
    case = world.advice_requested()
    before = world.app.get_case(world["sekretariat"], case.id)
    other.give_advice(world["kg"], case.id, Stance.SUPPORTS, "Fra en annen prosess.")
    after = world.app.get_case(world["sekretariat"], case.id)
    assert after.version == before.version + 1
    assert [a.text for a in after.advice] == ["Fra en annen prosess."]
    # and a command of this application continues from there
    world.app.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "Herfra.")
    assert other.get_case(None, case.id).version == after.version + 1


def test_a_refused_command_leaves_no_trace(world: World) -> None:
    case = world.drafted()
    cached = world.app.get_case(world["sekretariat"], case.id)

    def change_then_refuse(agg: Case, actor: Any) -> None:
        agg.draft(Document("Ny", "Ny", "Ny", "Ny"), may_take_secretariat_step(actor, Step.DRAFT))
        raise InvalidInput.field("x", "refused after changing the case")

    with pytest.raises(InvalidInput):
        world.app.cases.step(world["sekretariat"], case.id, None, change_then_refuse)
    again = world.app.get_case(world["sekretariat"], case.id)
    assert again.version == cached.version
    assert again.document == FULL_DOCUMENT.as_dict()
    shared = world.app.cache.get(case.id)
    assert shared is None or (shared.version == cached.version and not shared.pending_events)


def test_loaded_aggregates_are_private_copies(world: World) -> None:
    gid = world.groups["kg"]
    copy = world.app.for_command(Group, gid)
    copy.remove_member(world["kg2"], "only in this copy", Grant(SYSTEM, SYSTEM, None))
    assert world.app.for_query(Group, gid).membership(world["kg2"]) is not None
    assert world.app.actor(world["kg2"], groups=[gid]).seat(gid) is not None


def test_saved_aggregates_are_kept_as_saved(world: World, other: Caseflow) -> None:
    case = world.proposed()
    shared = world.app.cache.get(case.id)
    assert shared is not None
    assert shared.version == 1
    assert not shared.pending_events
    other.accept_case(world["sekretariat"], case.id, world["sekretariat"])
    assert world.app.get_case(world["sekretariat"], case.id).status == "under_preparation"


def test_the_cache_is_bounded(store_url: str, app: Caseflow) -> None:
    env = parse_database_url(store_url).env  # the fixture's app has made the schema
    app = Caseflow(env={**env, "AGGREGATE_CACHE_MAXSIZE": "5"})
    try:
        w = World.build(app)
        for key in w.people:
            app.get_person(w[key])
        assert len(app.cache) <= 5
        assert app.get_person(w["kg"]).name == "Knut Kommune"
    finally:
        app.close()


def test_many_events_elsewhere_empty_the_cache(world: World, other: Caseflow) -> None:
    app = world.app
    app.cache.PAGE = 3  # instance attribute: a page this small overflows at once
    app.get_group(world.groups["kg"])
    app.get_group(world.groups["ntp"])
    assert app.cache.get(world.groups["kg"]) is not None
    for key in ("kg-leder", "atp-leder", "kg2", "kg"):
        other.add_member(world["sekretariat"], world.groups["ntp"], world[key])
    group = app.get_group(world.groups["ntp"])
    assert app.cache.get(world.groups["kg"]) is None  # forgotten, not patched up
    assert {world[k] for k in ("kg-leder", "atp-leder", "kg2", "kg")} <= {
        m.person_id for m in group.members
    }


def test_events_missing_from_the_log_reading_drop_the_aggregate(
    world: World, other: Caseflow
) -> None:
    app = world.app
    gid = world.groups["ntp"]
    app.get_group(gid)
    other.add_member(world["sekretariat"], gid, world["kg2"])
    other.appoint(world["ntp"], gid, world["kg2"], GroupRole.LEADER)
    # pretend the first of those two events was already read: the second cannot apply
    app.cache.position = other.recorder.max_notification_id() - 1
    view = app.get_group(gid)
    assert view.leader == world["kg2"]
    assert world["kg2"] in {m.person_id for m in view.members}


def test_person_names_come_from_the_cache(world: World) -> None:
    app = world.app
    assert app.person_name(world["kg"]) == "Knut Kommune"
    assert isinstance(app.cache.get(world["kg"]), Person)
    assert app.person_name("system") == "Caseflow"
    assert app.person_name("not-a-uuid") == "not-a-uuid"

"""The acting person is built once per organisation version (issue 19): kept while every
aggregate it was read from is still the cached one, built again at the first request after
the organisation changed — a membership ended, a role revoked, a region left, a group
established — here, in another application on the same store, or in another process.

The permission checks are unchanged: the kept actor is the value a new build gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseflow.application import Caseflow
from caseflow.domain.base import SYSTEM
from caseflow.domain.errors import NotPermitted
from caseflow.domain.values import GroupKind, GroupRole, Stance, SystemRole
from caseflow.persistence import open_application
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def other(store_url: str) -> Iterator[Caseflow]:
    """A second application on the same store (another web worker, as far as caches go)."""
    application, _ = open_application(store_url)
    try:
        yield application
    finally:
        application.close()


def kg_seat(app: Caseflow, world: World, key: str) -> GroupRole | None:
    seat = app.actor(world[key]).seat(world.groups["kg"])
    return seat.role if seat is not None else None


def test_the_actor_is_built_once_and_equals_a_new_build(world: World) -> None:
    app = world.app
    first = app.actor(world["kg"])
    hits = app.actors.hits
    again = app.actor(world["kg"])
    assert again is first
    assert app.actors.hits == hits + 1
    built, _sources = app._build_actor(world["kg"], None)
    assert built == first  # the same roles, region and seats as building it now
    # the groups asked for are part of the key
    only_kg = app.actor(world["kg"], groups=(world.groups["kg"],))
    assert set(only_kg.seats) == {world.groups["kg"]}
    assert app.actor(world["kg"], groups=(world.groups["kg"],)) is only_kg


def test_case_events_keep_the_actor(world: World, other: Caseflow) -> None:
    """Cases, meetings and advice are not the organisation: the actor stays kept."""
    case = world.advice_requested()
    first = world.app.actor(world["kg"])
    other.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "Fra en annen prosess.")
    world.app.give_advice(world["kg"], case.id, Stance.SUPPORTS, "Herfra.")
    assert world.app.actor(world["kg"]) is first


def test_a_membership_ended_elsewhere_counts_at_the_next_call(
    world: World, other: Caseflow
) -> None:
    case = world.advice_requested()
    assert kg_seat(world.app, world, "kg2") is GroupRole.MEMBER
    kept = world.app.actor(world["kg2"])
    other.remove_member(world["sekretariat"], world.groups["kg"], world["kg2"], "sluttet")
    assert kg_seat(world.app, world, "kg2") is None
    assert world.app.actor(world["kg2"]) is not kept
    with pytest.raises(NotPermitted):
        world.app.give_advice(world["kg2"], case.id, Stance.SUPPORTS, "Etterpå.")


def test_a_membership_ended_here_counts_at_the_next_call(world: World) -> None:
    assert kg_seat(world.app, world, "kg2") is GroupRole.MEMBER
    world.app.remove_member(world["sekretariat"], world.groups["kg"], world["kg2"], "sluttet")
    assert kg_seat(world.app, world, "kg2") is None


def test_a_role_revoked_or_granted_elsewhere_counts(world: World, other: Caseflow) -> None:
    assert SystemRole.SECRETARIAT in world.app.actor(world["sekretariat2"]).system_roles
    other.revoke_role(None, world["sekretariat2"], SystemRole.SECRETARIAT)
    assert SystemRole.SECRETARIAT not in world.app.actor(world["sekretariat2"]).system_roles
    other.grant_role(None, world["sekretariat2"], SystemRole.AUDITOR)
    assert SystemRole.AUDITOR in world.app.actor(world["sekretariat2"]).system_roles


def test_a_region_left_elsewhere_counts(world: World, other: Caseflow) -> None:
    assert world.app.actor(world["kg"]).region == "follo"
    other.leave_osloregionen(None, "3218")  # Ås: the member register changes
    assert world.app.actor(world["kg"]).region is None


def test_a_new_group_and_membership_elsewhere_count(world: World, other: Caseflow) -> None:
    before = world.app.actor(world["atp"])
    group = other.establish_group(SYSTEM, "ny", "Ny faggruppe", GroupKind.AD_HOC)
    other.add_member(SYSTEM, group.id, world["atp"], GroupRole.MEMBER)
    after = world.app.actor(world["atp"])
    assert after is not before
    assert group.id in after.seats
    assert group.id not in before.seats


def test_an_actor_read_from_a_missing_group_is_not_kept(world: World) -> None:
    from uuid import uuid4

    missing = uuid4()
    first = world.app.actor(world["kg"], groups=(missing,))
    assert first.seats == {}
    assert world.app.actor(world["kg"], groups=(missing,)) is not first


def test_without_the_aggregate_cache_nothing_is_kept(store_url: str) -> None:
    app, _ = open_application(store_url)
    try:
        world = World.build(app)
        app.cache.maxsize = 0  # as with POSTGRES_ENABLE_DB_FUNCTIONS: no shared aggregates
        app.cache._items.clear()
        app.actors.clear()
        first = app.actor(world["kg"])
        assert app.actor(world["kg"]) is not first
        assert app.actor(world["kg"]) == first
        assert len(app.actors) == 0
    finally:
        app.close()


# -- another process -------------------------------------------------------------------

WORKER = """
import json, sys
from uuid import UUID
from caseflow.persistence import open_application
app, _ = open_application(sys.argv[1])
person, kg = UUID(sys.argv[2]), UUID(sys.argv[3])
for line in sys.stdin:  # one line per "request"
    actor = app.actor(person)
    seat = actor.seat(kg)
    print(json.dumps({"seat": seat.role.value if seat else None, "hits": app.actors.hits}),
          flush=True)
"""


def test_another_worker_process_sees_a_membership_ended_here(world: World, store_url: str) -> None:
    """A worker process that keeps the actor (its second request is a hit) builds it again
    at its next request after this process ended the membership."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", WORKER, store_url, str(world["kg2"]), str(world.groups["kg"])]
    with subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    ) as worker:
        assert worker.stdin is not None
        assert worker.stdout is not None
        stdin, stdout = worker.stdin, worker.stdout

        def ask() -> dict[str, object]:
            stdin.write("?\n")
            stdin.flush()
            answer: dict[str, object] = json.loads(stdout.readline())
            return answer

        try:
            assert ask()["seat"] == "member"
            assert ask() == {"seat": "member", "hits": 1}  # kept in that process
            world.app.remove_member(
                world["sekretariat"], world.groups["kg"], world["kg2"], "sluttet"
            )
            assert ask()["seat"] is None  # its next request
        finally:
            stdin.close()
            worker.wait(timeout=30)


def test_the_next_page_request_after_a_membership_ended_in_another_process(
    store_url: str, tmp_path: Path
) -> None:
    """Through the web: the kept actor serves a worker's requests; ``caseflow group
    remove-member`` in another process ends the membership; at the worker's next request
    the case (a KG matter) is no longer theirs to see, nor to advise on."""
    from tests.web.conftest import build_site, email

    site = build_site(store_url, tmp_path)
    try:
        http = site.flask.test_client(use_cookies=False)
        token = site.app.issue_token(None, email("kg"), "test")
        kg = {"Authorization": f"Bearer {token}"}
        ref = site.cases["advice"].reference

        def may_advise() -> bool:
            answer = http.get(f"/api/v1/cases/{ref}", headers=kg)
            if answer.status_code == 404:  # no longer in KG: the case is not theirs to see
                return False
            seen = answer.get_json()
            return bool({s["step"]: s["allowed"] for s in seen["next_steps"]}["advice"])

        assert may_advise()
        hits = site.app.actors.hits
        assert may_advise()
        assert site.app.actors.hits > hits  # the second request used the kept actor
        cli = [sys.executable, "-m", "caseflow.cli", "--database-url", store_url, "group"]
        ended = subprocess.run(
            [*cli, "remove-member", "kg", email("kg"), "--as", email("sekretariat")],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            check=False,
        )
        assert ended.returncode == 0, ended.stderr
        assert not may_advise()
    finally:
        site.app.close()

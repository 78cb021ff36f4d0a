"""`caseflow demo`: the organisation, accounts and about forty cases in every status, loaded
through the application's own commands into an empty store; deterministic by seed; and
the same generator at (a small fraction of) scale, with batched saves."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from click.testing import CliRunner, Result

from caseflow.application import Caseflow
from caseflow.cli import main
from caseflow.demo import content
from caseflow.demo.batch import BatchedCaseflow
from caseflow.demo.generator import DemoError, Generator, generate
from caseflow.demo.organisation import ACCOUNTS, DOMAIN, GAP_REGION, PASSWORD, Roster
from caseflow.demo.timeline import status_at
from caseflow.domain.case import Case
from caseflow.domain.values import CaseStatus, GroupRole
from caseflow.persistence import open_application, parse_database_url
from caseflow.persistence.attachments import AttachmentStore

PRESENT = "2026-11-28T12:00:00+00:00"
PRESENT_DT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def attachments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Meeting minutes go to a temporary attachment store (`caseflow demo` reads it from
    the environment; a test that makes an application itself gives it with `stored`)."""
    monkeypatch.setenv("CASEFLOW_ATTACHMENTS_DIR", str(tmp_path / "attachments"))


def stored(app: Caseflow) -> Caseflow:
    """``app`` with the temporary attachment store, as a composition root gives it."""
    app.use_attachment_store(AttachmentStore.from_environ(os.environ))
    return app


def run_demo(url: str, *args: str) -> Result:
    runner = CliRunner()
    return runner.invoke(
        main, ["--database-url", url, "demo", "--present", PRESENT, *args], catch_exceptions=False
    )


@pytest.fixture
def opened(store_url: str) -> Iterator[tuple[str, Caseflow]]:
    app, _ = open_application(store_url)
    try:
        yield store_url, app
    finally:
        app.close()


def cases(app: Caseflow) -> list[Case]:
    return [app.load_case(cid) for cid in app.case_ids()]


def test_demo_loads_accounts_and_cases_in_every_status(opened: tuple[str, Caseflow]) -> None:
    url, app = opened
    result = run_demo(url, "--batch")
    assert result.exit_code == 0, result.output
    for account in ACCOUNTS:
        assert account.email in result.output
        assert app.authenticate(account.email, PASSWORD) is not None, account.email
    assert app.authenticate(ACCOUNTS[0].email, "wrong") is None

    loaded = cases(app)
    assert 38 <= len(loaded) <= 48
    statuses = Counter(c.status for c in loaded)
    assert set(statuses) == set(CaseStatus), statuses
    decided = [c for c in loaded if c.status is CaseStatus.DECIDED]
    assert any(c.advice_waived for c in decided)
    assert any(c.postponements for c in decided)
    assert any(len(revs) > 1 for c in decided for revs in c.advice.values())  # revised
    assert any(a.as_invited_leader for c in decided for a in c.current_advice().values())
    assert all(c.submission and c.resolution for c in decided)


def test_kg_mirrors_the_board_regions_with_one_gap(opened: tuple[str, Caseflow]) -> None:
    url, app = opened
    assert run_demo(url, "--batch").exit_code == 0
    register = app.register()
    assert register is not None
    board = set(register.board_regions())
    kg = app.group_by_slug("kg")
    acting = [m for m in kg.members if m.role != GroupRole.OBSERVER.value]
    assert {m.on_behalf_of for m in acting} == board - {GAP_REGION}
    assert kg.gaps == [GAP_REGION]
    observers = [m for m in kg.members if m.role == GroupRole.OBSERVER.value]
    assert observers
    assert all(m.on_behalf_of not in board for m in observers)
    atp = app.group_by_slug("atp")
    leader = app.find_person_id("atp-leder@demo.caseflow.no")
    assert atp.leader == leader
    assert kg.leader == app.find_person_id("kg-leder@demo.caseflow.no")


def test_the_member_logins_are_plain_members(opened: tuple[str, Caseflow]) -> None:
    """API.md: kg@ is a KG member and atp@ a member of ATP — neither leads nor deputises
    any group (atp@ was once appointed ATP's deputy)."""
    url, app = opened
    assert run_demo(url, "--batch").exit_code == 0
    for email, slug in (("kg@demo.caseflow.no", "kg"), ("atp@demo.caseflow.no", "atp")):
        person = app.find_person_id(email)
        group = app.group_by_slug(slug)
        assert [m.role for m in group.members if m.person_id == person] == ["member"], email
        assert all(person not in (g.leader, g.deputy) for g in app.list_groups()), email


def test_demo_refuses_a_store_with_events(opened: tuple[str, Caseflow]) -> None:
    url, app = opened
    app.define_region(None, "oslo", "Oslo kommune", 1)
    before = app.recorder.max_notification_id()
    result = run_demo(url)
    assert result.exit_code == 1
    assert "already has events" in result.output
    assert app.recorder.max_notification_id() == before
    skipped = run_demo(url, "--if-empty")
    assert skipped.exit_code == 0
    assert app.recorder.max_notification_id() == before
    with pytest.raises(DemoError):
        generate(app, present=PRESENT_DT)


def _signature(url: str, batch: bool, seed: int = 7) -> list[tuple[str, str, str]]:
    settings = parse_database_url(url)
    app: Caseflow = stored(
        BatchedCaseflow(env=settings.env) if batch else Caseflow(env=settings.env)
    )
    try:
        generate(app, seed=seed, present=PRESENT_DT)
    finally:
        app.close()
    app, _ = open_application(url)
    try:
        return [(c.reference, c.title, c.status.value) for c in cases(app)]
    finally:
        app.close()


def test_same_seed_same_demo_one_command_at_a_time_or_batched(tmp_path: Path) -> None:
    """Determinism: the same seed and day give the same cases; batching changes only how
    the events are committed, not what happens."""
    plain = _signature(f"sqlite:///{tmp_path}/plain.sqlite3", batch=False)
    batched = _signature(f"sqlite:///{tmp_path}/batched.sqlite3", batch=True)
    again = _signature(f"sqlite:///{tmp_path}/again.sqlite3", batch=True)
    assert plain == batched == again
    other = _signature(f"sqlite:///{tmp_path}/other.sqlite3", batch=True, seed=8)
    assert [s[1] for s in other] != [s[1] for s in plain] or other != plain


def test_events_are_in_time_order_and_every_one_says_who(sqlite_url: str) -> None:
    settings = parse_database_url(sqlite_url)
    app = stored(BatchedCaseflow(env=settings.env))
    try:
        generate(app, present=PRESENT_DT)
        previous = None
        count = 0
        for n in app.recorder.select_notifications(start=1, limit=1_000_000):
            event: Any = app.mapper.to_domain_event(n)
            assert previous is None or event.timestamp > previous
            assert event.actor
            assert event.role
            previous = event.timestamp
            count += 1
        assert previous is not None
        assert previous <= PRESENT_DT
        assert count == app.recorder.max_notification_id()
    finally:
        app.close()


def test_scale_runs_the_same_generator_at_a_small_fraction(sqlite_url: str) -> None:
    result = run_demo(sqlite_url, "--scale", "1", "--cases-per-year", "60")
    assert result.exit_code == 0, result.output
    assert "events/s" in result.output
    app, _ = open_application(sqlite_url)
    try:
        register = app.register()
        assert register is not None
        assert len(register.board_regions()) >= 60
        assert len(register.members) == 357
        loaded = cases(app)
        assert 60 + 38 <= len(loaded) <= 60 + 48
        kg = app.group_by_slug("kg")
        assert len([m for m in kg.members if m.role != "observer"]) > 100
        assert (app.recorder.max_notification_id() or 0) > 5_000
    finally:
        app.close()


def test_every_case_finds_its_status_whatever_day_the_demo_is_loaded(sqlite_url: str) -> None:
    """`caseflow demo` (and `make run`) ends the demo's year *now*, so each hand-written
    case must find a plan that puts it in its status on any day and at any hour: plans
    for sixteen moments spread over a year, without running the commands."""
    app, _ = open_application(sqlite_url)  # an empty store: the year plan's board and KG
    try:
        groups = {idea.group for idea in content.CASES} | {"kg", "atp"}
        people = {f"{key}@{DOMAIN}": uuid4() for key in ("kg", "atp", "kg-leder")}
        roster = Roster(
            director=uuid4(),
            officers=[uuid4(), uuid4()],
            people=people,
            groups={slug: uuid4() for slug in groups},
            acting={slug: [uuid4() for _ in range(6)] for slug in groups},
        )
        roster.acting["kg"] = [uuid4() for _ in range(15)] + [people[f"kg@{DOMAIN}"]]
        roster.leaders = {slug: members[0] for slug, members in roster.acting.items()}
        roster.deputies = {slug: members[1] for slug, members in roster.acting.items()}
        first = datetime(2027, 1, 1, 5, 17, tzinfo=UTC)
        for step in range(16):
            present = first + timedelta(days=22.9 * step, hours=7 * step)
            gen = Generator(
                app,
                seed=2025,
                present=present,
                years=0,
                cases_per_year=1,
                progress=None,
                flush_every=1,
            )
            gen.roster = roster
            gen.calendar = gen._calendar()
            runs = gen._demo_runs()  # raises PlanError when an idea finds no plan
            statuses = [status_at(run.acts, gen.present) for run in runs]
            assert statuses == [idea.status for idea in content.CASES], present
    finally:
        app.close()


@pytest.mark.parametrize("years", [0, 1, 10])
def test_no_meeting_is_acted_on_before_its_year_is_planned_whatever_day(
    sqlite_url: str, years: int
) -> None:
    """The first year's plan is made at the demo's start (now minus the years), so on
    some days a meeting a few days later was asked for a supplementary invitation before
    it existed (`caseflow demo --scale 10` on 2026-12-02: KeyError). Every day of a year,
    each act on a meeting comes after the plan that schedules it, in the order the
    generator plays them."""
    app, _ = open_application(sqlite_url)  # an empty store: the year plan's board and KG
    try:
        first = datetime(2026, 6, 1, 14, 57, tzinfo=UTC)
        for day in range(0, 366, 1 if years == 10 else 7):
            present = first + timedelta(days=day, hours=day % 24)
            gen = Generator(
                app,
                seed=2025,
                present=present,
                years=years,
                cases_per_year=1,
                progress=None,
                flush_every=1,
            )
            gen.calendar = gen._calendar()
            planned: set[Any] = set()
            for act in gen._calendar_acts():
                if act.what == "plan_year":
                    planned |= {m.key for m in gen.by_year[act.args["year"]]}
                else:
                    assert act.args["meeting"] in planned, (present, act)
    finally:
        app.close()

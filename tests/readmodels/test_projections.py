"""The read models equal a replay of every aggregate, and answer the pages' questions
(filters, sorting and paging in SQL), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from caseflow.application import Caseflow
from caseflow.domain.values import GroupRole, SystemRole
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import SYSTEM_GROUP_ID, AuditFilter, CaseFilter
from tests.readmodels.replay import assert_matches_replay, varied_history
from tests.world import World


def test_projections_match_a_replay_of_every_aggregate(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    varied_history(world, tmp_path)
    assert read.catch_up() == app.recorder.max_notification_id()
    assert_matches_replay(app, read)
    assert read.catch_up() == 0  # nothing new: nothing read


def test_catching_up_in_steps_gives_the_same_result(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    read.catch_up()
    cases = varied_history(world, tmp_path)
    read.batch_size = 7  # many small batches
    position = app.last_position
    assert position is not None
    assert read.wait_for(position)
    assert_matches_replay(app, read)
    assert read.cases(CaseFilter(status="decided")).items[0].id == cases["decided"]


def test_advice_expected_counts_acting_kg_members_then_and_invited_leaders(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    cases = varied_history(world, tmp_path)
    read.catch_up()
    rows = {r.id: r for r in read.cases(CaseFilter(per_page=100)).items}
    first = rows[cases["open_round"]]
    # KG: leader, kg, kg2 act (the observer does not); the ATP leader is invited (R13).
    assert (first.advice_expected, first.advice_received) == (4, 3)  # kg's revision once
    later = rows[cases["later_round"]]
    # kg2 had left KG; NTP has no leader to invite.
    assert (later.advice_expected, later.advice_received) == (2, 0)


def test_case_list_filters_sorts_and_pages_in_sql(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    cases = varied_history(world, tmp_path)
    read.catch_up()
    everything = read.cases(CaseFilter(per_page=100))
    assert everything.total == 7
    counts = read.status_counts()
    assert sum(counts.values()) == 7
    assert counts["advice_requested"] == 2
    assert read.status_counts(CaseFilter(group="ntp")) == {"advice_requested": 1}

    by_title = read.cases(CaseFilter(sort="title", per_page=3, page=2))
    titles = sorted(r.title for r in everything.items)
    assert [r.title for r in by_title.items] == titles[3:6]
    assert (by_title.total, by_title.pages) == (7, 3)
    newest = read.cases(CaseFilter(sort="-last_change", per_page=1)).items[0]
    assert newest.last_change == max(r.last_change for r in everything.items)

    assert {r.id for r in read.cases(CaseFilter(group="atp")).items} == {
        r.id for r in everything.items if r.group_id == world.groups["atp"]
    }
    assert read.cases(CaseFilter(group=str(world.groups["ntp"]))).total == 1
    assert read.cases(CaseFilter(q="KLIMABUDSJETT")).items[0].id == cases["open_round"]
    # Words, not substrings: the search index (a compound's start matches as a prefix).
    assert read.cases(CaseFilter(q="oslofjorden")).items[0].id == cases["postponed"]
    assert read.cases(CaseFilter(q="oslofj")).items[0].id == cases["postponed"]
    assert read.cases(CaseFilter(q="100%")).total == 0
    on_board = read.cases(CaseFilter(meeting=str(world.meetings["board"])))
    assert [r.id for r in on_board.items] == [cases["decided"]]
    assert on_board.items[0].board_number is not None
    assert read.cases(CaseFilter(focus_area="transport")).total == 6
    by_board = read.cases(CaseFilter(sort="board_number")).items
    assert [r.board_number for r in by_board][:2] == ["Sak 1/99", "Sak 2/99"]
    with pytest.raises(ValueError, match="cannot sort cases by 'password'"):
        read.cases(CaseFilter(sort="password"))


def test_audit_trail_filters(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    cases = varied_history(world, tmp_path)
    read.catch_up()
    trail = read.audit(AuditFilter(case=str(cases["decided"]), per_page=100))
    types = [r.type for r in trail.items]
    assert types[0] == "Proposed"
    assert types[-1] == "Decided"
    assert [r.position for r in trail.items] == sorted(r.position for r in trail.items)
    decided = trail.items[-1]
    assert decided.actor_name == "Sara Sekretær"
    assert decided.role == "secretariat"
    assert decided.summary.startswith("Styrets vedtak registrert")
    advice = read.audit(
        AuditFilter(type="AdviceGiven", actor=str(world["kg"]), case=str(cases["open_round"]))
    )
    assert advice.total == 2
    assert {r.summary for r in advice.items} == {
        "Ga råd: støtter",
        "Ga råd: støtter med endringer",
    }
    invited = read.audit(AuditFilter(type="AdviceGiven", actor=str(world["atp-leder"])))
    assert invited.items[0].summary == "Ga innspill: støtter"
    assert invited.items[0].on_behalf_of is not None
    moment = decided.time
    assert all(r.time <= moment for r in read.audit(AuditFilter(until=moment)).items)
    after = read.audit(AuditFilter(since=moment + timedelta(microseconds=1), per_page=1000))
    assert after.total
    assert all(r.position > decided.position for r in after.items)
    newest = read.audit(AuditFilter(newest_first=True, per_page=1)).items[0]
    assert newest.position == app.recorder.max_notification_id()
    tokens = read.audit(AuditFilter(type="Indexed", per_page=1000)).items
    assert all("hash" not in r.summary for r in tokens)


def test_roles_over_time_answer_what_an_actor_was_allowed_then(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    cases = varied_history(world, tmp_path)
    read.catch_up()
    kg = world.groups["kg"]
    spans = read.roles(person_id=world["kg2"], group_id=kg)
    assert [(s.role, s.until is None) for s in spans] == [
        ("member", False),
        ("deputy", False),
    ]
    # kg2 advised on the first round as a member, and cannot have acted after removal.
    advice = read.audit(AuditFilter(type="AdviceGiven", actor=str(world["kg2"]))).items[0]
    then = read.role_at(world["kg2"], kg, advice.time)
    assert then is not None
    assert then.role == GroupRole.MEMBER.value
    assert then.group_slug == "kg"
    left = spans[-1].until
    assert left is not None
    assert read.role_at(world["kg2"], kg, left + timedelta(seconds=1)) is None
    # The leader was a plain member until appointed (R4).
    leader = read.roles(person_id=world["kg-leder"], group_id=kg)
    assert [s.role for s in leader] == ["member", "leader"]
    assert read.role_at(world["kg-leder"], kg, leader[0].since) == leader[0]
    # System roles: the auditor was a board member for a while.
    system = read.roles(person_id=world["revisor"], group_id=SYSTEM_GROUP_ID)
    board = [s for s in system if s.role == SystemRole.BOARD.value]
    assert len(board) == 1
    assert board[0].until is not None
    assert board[0].group_slug == "system"
    held = {s.role for s in read.roles_at(world["revisor"], board[0].since)}
    assert held == {"auditor", "board"}
    assert cases  # the history was built


def test_meetings_with_agendas_and_attachments(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    cases = varied_history(world, tmp_path)
    read.catch_up()
    board = read.meetings("board")
    assert [m.id for m in board] == [world.meetings["board"], world.meetings["board2"]]
    assert [i["label"] for i in board[0].agenda] == ["Sak 1/99"]
    assert board[0].agenda[0]["case_id"] == cases["decided"]
    held = next(m for m in read.meetings("kg") if m.id == cases["meeting"])
    assert held.status == "minutes_approved"
    assert [a["kind"] for a in held.attachments] == ["document", "minutes"]
    assert [m.id for m in read.meetings()] == sorted(
        (m.id for m in read.meetings()),
        key=lambda i: next(x.starts_at for x in read.meetings() if x.id == i),
    )


def test_wait_for_reads_your_own_writes(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    read.catch_up()
    case = world.proposed(title="Rett inn i lista")
    position = app.last_position
    assert position is not None
    assert read.wait_for(position, timeout=2.0)
    assert read.cases(CaseFilter(q="rett inn")).items[0].id == case.id
    assert read.wait_for(position)  # already there
    page = read.cases(replace(CaseFilter(), per_page=0))
    assert page.per_page == 1

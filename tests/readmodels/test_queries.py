"""The bounded questions the overview and the audit trail ask, answered in SQL, give the
same answers as filtering every row in Python (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from caseflow.application import Caseflow
from caseflow.domain import clock
from caseflow.domain.values import CaseStatus
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import AuditFilter, CaseFilter, CaseRow, CaseVisibility
from caseflow.readmodels.case_list import OPEN
from tests.readmodels.replay import varied_history
from tests.world import World


def _everything(read: ReadModelService) -> list[CaseRow]:
    page = read.cases(CaseFilter(per_page=1000))
    assert page.total == len(page.items)
    return page.items


def test_idle_cases_are_the_open_ones_in_their_status_since_the_cutoff(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    varied_history(world, tmp_path)
    read.catch_up()
    rows = _everything(read)
    assert {"proposed", "advice_requested", "decided", "postponed"} <= {r.status for r in rows}
    assert set(OPEN) == {
        s.value for s in CaseStatus if not s.is_final and s is not CaseStatus.SUBMITTED
    }
    moments = sorted({r.status_since for r in rows})
    cutoffs = [moments[0] - timedelta(seconds=1), *moments, moments[-1] + timedelta(days=1)]
    for cutoff in cutoffs:
        expected = sorted(
            (r for r in rows if r.status in OPEN and r.status_since <= cutoff),
            key=lambda r: (r.status_since, r.reference),
        )
        found = read.cases(CaseFilter(idle_before=cutoff, sort="status_since", per_page=2))
        assert found.total == len(expected), cutoff
        assert [r.id for r in found.items] == [r.id for r in expected[:2]], cutoff
    assert read.cases(CaseFilter(idle_before=cutoffs[-1])).total == len(
        [r for r in rows if r.status in OPEN]
    )


def test_overdue_advice_rounds_and_advice_totals(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    cases = varied_history(world, tmp_path)
    today = date.today()
    # a deadline in the past is refused, so these rounds were asked for a week ago
    with clock.frozen_at(lambda: datetime.now(UTC) - timedelta(days=7)):
        late = world.drafted(title="Sen sak")
        app.request_advice(world["sekretariat"], late.id, today - timedelta(days=2))
        later = world.drafted(title="Enda senere")
        app.request_advice(world["sekretariat"], later.id, today - timedelta(days=5))
    read.catch_up()
    rows = _everything(read)
    days = (today - timedelta(days=5), today - timedelta(days=4), today, today + timedelta(400))
    for day in days:
        expected = sorted(
            (
                r
                for r in rows
                if r.status == "advice_requested" and r.advice_deadline and r.advice_deadline < day
            ),
            key=lambda r: (r.advice_deadline, r.reference),
        )
        found = read.cases(CaseFilter(advice_overdue_on=day, sort="advice_deadline"))
        assert [r.id for r in found.items] == [r.id for r in expected], day
    now = read.cases(CaseFilter(advice_overdue_on=today, sort="advice_deadline", per_page=1))
    assert (now.total, [r.id for r in now.items]) == (2, [later.id])
    waiting = [r for r in rows if r.status == "advice_requested"]
    assert cases["open_round"] in {r.id for r in waiting}
    assert read.advice_totals(CaseFilter(status="advice_requested")) == (
        sum(r.advice_received for r in waiting),
        sum(r.advice_expected for r in waiting),
    )
    assert read.advice_totals(CaseFilter(q="ingen slik sak")) == (0, 0)
    assert read.advice_totals(CaseFilter(group="ntp")) == (
        sum(r.advice_received for r in rows if r.group_id == world.groups["ntp"]),
        sum(r.advice_expected for r in rows if r.group_id == world.groups["ntp"]),
    )


def test_visibility_in_sql_is_groups_or_statuses(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    varied_history(world, tmp_path)
    read.catch_up()
    rows = _everything(read)
    ntp, atp = world.groups["ntp"], world.groups["atp"]
    cases = [
        (CaseVisibility(), set()),
        (CaseVisibility(group_ids=frozenset({ntp})), {r.id for r in rows if r.group_id == ntp}),
        (
            CaseVisibility(group_ids=frozenset({ntp}), statuses=frozenset({"decided", "proposed"})),
            {r.id for r in rows if r.group_id == ntp or r.status in ("decided", "proposed")},
        ),
        (
            CaseVisibility(statuses=frozenset({"postponed"})),
            {r.id for r in rows if r.status == "postponed"},
        ),
    ]
    for visible, expected in cases:
        found = read.cases(CaseFilter(visible=visible, per_page=1000))
        assert {r.id for r in found.items} == expected
        assert found.total == len(expected)
        counts = read.status_counts(CaseFilter(visible=visible))
        assert sum(counts.values()) == len(expected)
    # Combined with the other filters and paged in SQL.
    both = CaseVisibility(group_ids=frozenset({atp}), statuses=frozenset({"advice_requested"}))
    page = read.cases(CaseFilter(visible=both, group="ntp", per_page=1))
    assert page.total == len(
        [r for r in rows if r.group_id == ntp and r.status == "advice_requested"]
    )


def test_next_meeting_is_the_first_at_or_after_with_its_agenda(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    varied_history(world, tmp_path)
    read.catch_up()
    board = read.meetings("board")
    assert len(board) == 2
    assert board[0].agenda
    first, second = board
    assert read.next_meeting("board", first.starts_at - timedelta(days=1)) == first
    assert read.next_meeting("board", first.starts_at) == first
    assert read.next_meeting("board", first.starts_at + timedelta(seconds=1)) == second
    assert read.next_meeting("board", second.starts_at + timedelta(seconds=1)) is None
    kg = read.meetings("kg")
    held = next(m for m in kg if m.attachments)
    found = read.next_meeting("kg", held.starts_at)
    assert found == held
    assert [a["kind"] for a in found.attachments] == ["document", "minutes"]


def test_people_are_every_registered_person_by_name(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    read.catch_up()
    people = read.people()
    assert [(p.id, p.name) for p in people] == sorted(
        ((p.id, p.name) for p in app.list_people()), key=lambda p: (p[1], p[0].hex)
    )


def test_audit_count_can_stop_at_a_limit_and_pages_by_position(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    varied_history(world, tmp_path)
    read.catch_up()
    everything = read.audit(AuditFilter(per_page=1000))
    n = everything.total
    assert n == len(everything.items) > 20
    assert not everything.capped
    positions = [r.position for r in everything.items]

    exact = read.audit(AuditFilter(count_limit=n, per_page=10))
    assert (exact.total, exact.capped, exact.pages) == (n, False, -(-n // 10))
    capped = read.audit(AuditFilter(count_limit=12, per_page=5, newest_first=True))
    assert (capped.total, capped.capped, capped.has_next) == (12, True, True)
    assert [r.position for r in capped.items] == positions[::-1][:5]
    # Far beyond the limit: counted to the end of the asked page, and more is known.
    deep = read.audit(AuditFilter(count_limit=3, per_page=5, page=3))
    assert (deep.total, deep.capped, deep.has_next) == (15, True, True)
    assert [r.position for r in deep.items] == positions[10:15]
    last = read.audit(AuditFilter(count_limit=3, per_page=10, page=-(-n // 10)))
    assert not last.capped
    assert not last.has_next
    assert last.total == n
    # Keyset: after and before a position, with the other filters.
    assert [r.position for r in read.audit(AuditFilter(after=positions[4], per_page=3)).items] == (
        positions[5:8]
    )
    before = read.audit(AuditFilter(before=positions[4], newest_first=True, per_page=1000))
    assert [r.position for r in before.items] == positions[:4][::-1]
    cases = read.audit(AuditFilter(type="Proposed", after=positions[0], per_page=1000))
    assert all(r.type == "Proposed" for r in cases.items)
    assert cases.total

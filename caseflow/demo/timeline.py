"""Planning the demo's year(s): when each meeting is planned, invited to, held and
minuted, and the dated steps of each case, derived from the meeting calendar (KG about
two weeks before each board meeting, R16).

A plan is a list of :class:`Act` (a moment and what happens then); the generator runs
them in time order through the application's commands. Planning is pure: the same seed,
ideas and present give the same plan.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from caseflow.domain.values import CaseKind, CaseStatus, MeetingBody, Stance

OSLO = ZoneInfo("Europe/Oslo")
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
S = CaseStatus

#: Meetings that the year plan invites to at once (within this of planning) are not
#: used for cases: their invitation has gone out before any case could be on them.
PLAN_INVITES_WITHIN = timedelta(days=14)


def working_time(moment: datetime, rng: random.Random) -> datetime:
    """The first weekday working moment (08:30–15:30 Oslo time) at or after ``moment``,
    with a seeded minute."""
    local = moment.astimezone(OSLO)
    day = local.date()
    start_of_day = datetime.combine(day, time(8, 30), OSLO)
    if local > datetime.combine(day, time(15, 30), OSLO):
        day += DAY
        local = datetime.combine(day, time(8, 30), OSLO)
    elif local < start_of_day:
        local = start_of_day
    while day.weekday() >= 5:
        day += DAY
        local = datetime.combine(day, time(8, 30), OSLO)
    offset = timedelta(minutes=rng.randrange(0, 60))
    limit = datetime.combine(day, time(15, 59), OSLO)
    return min(local + offset, limit).astimezone(UTC)


def between(a: datetime, b: datetime, rng: random.Random) -> datetime:
    """A working moment uniformly between ``a`` and ``b`` (``a`` when ``b <= a``)."""
    if b <= a:
        return working_time(a, rng)
    span = (b - a).total_seconds()
    t = working_time(a + timedelta(seconds=rng.uniform(0, span)), rng)
    return t if t <= b else b


@dataclass(frozen=True)
class PlannedMeeting:
    """A meeting of the year plan (``kwargs`` are ``schedule_meeting``'s)."""

    body: MeetingBody
    starts_at: datetime
    kwargs: dict[str, Any] = field(compare=False, hash=False)
    planned_at: datetime = field(compare=False)

    @property
    def key(self) -> tuple[str, datetime, str]:
        return (self.body.value, self.starts_at, str(self.kwargs.get("group_id") or ""))

    @property
    def usable(self) -> bool:
        """Whether cases may be placed on it (it was planned well before)."""
        return self.starts_at > self.planned_at + PLAN_INVITES_WITHIN + 2 * DAY


class Calendar:
    """The planned meetings, with the lookups case planning needs."""

    def __init__(self, meetings: list[PlannedMeeting]) -> None:
        self.meetings = sorted(meetings, key=lambda m: m.starts_at)
        self.boards = [m for m in self.meetings if m.body is MeetingBody.BOARD and m.usable]
        self.kgs = [m for m in self.meetings if m.body is MeetingBody.KG and m.usable]
        self._board_times = [m.starts_at for m in self.boards]
        self._kg_times = [m.starts_at for m in self.kgs]

    def board_after(self, moment: datetime, skip: int = 0) -> PlannedMeeting | None:
        i = bisect.bisect_right(self._board_times, moment) + skip
        return self.boards[i] if i < len(self.boards) else None

    def kg_after(self, moment: datetime) -> PlannedMeeting | None:
        i = bisect.bisect_right(self._kg_times, moment)
        return self.kgs[i] if i < len(self.kgs) else None


@dataclass(frozen=True)
class Act:
    """One dated step: ``what`` names a command of the generator, ``args`` its data."""

    at: datetime
    what: str
    args: dict[str, Any] = field(default_factory=dict)


#: The status a case has after each kind of step.
STATUS_AFTER: dict[str, CaseStatus] = {
    "propose": S.PROPOSED,
    "accept": S.UNDER_PREPARATION,
    "decline": S.DECLINED,
    "agenda": S.ADVICE_REQUESTED,
    "request": S.ADVICE_REQUESTED,
    "close": S.ADVICE_CLOSED,
    "waive": S.ADVICE_CLOSED,
    "ready": S.READY,
    "submit": S.SUBMITTED,
    "decide": S.DECIDED,
    "postpone": S.POSTPONED,
    "withdraw": S.WITHDRAWN,
}


def status_at(acts: list[Act], moment: datetime) -> CaseStatus | None:
    status = None
    for act in acts:
        if act.at > moment:
            break
        status = STATUS_AFTER.get(act.what, status)
    return status


@dataclass(frozen=True)
class Variant:
    """How one case's life goes."""

    path: str = "advice"  # advice | waiver | postponed | late (a supplementary item)
    outcome: str = "decide"  # decide | decline | withdraw
    withdraw_stage: int = 1  # 0 proposed, 1 under preparation, 2 drafted, 3 advice requested
    skip: int = 0  # board meetings the case is held over
    revise_after_advice: bool = True


@dataclass(frozen=True)
class People:
    """Who acts in case planning."""

    proposers: list[str]  # acting members of the proposing group (ids as str)
    officer: str
    kg_acting: list[str]
    kg_leader: str | None
    kg_deputy: str | None
    group_leader: str | None  # the proposing group's leader (None for KG)
    favourite_advisers: tuple[str, ...] = ()


class PlanError(Exception):
    """The calendar has no meeting for a step that would happen by the present."""


def plan_case(
    t0: datetime,
    variant: Variant,
    people: People,
    cal: Calendar,
    rng: random.Random,
    *,
    advice_share: tuple[float, float] = (0.5, 0.9),
    revision_chance: float = 0.25,
) -> list[Act]:
    """The dated steps of one case proposed at ``t0``. Steps beyond the calendar end the
    plan early (the case then stays where it is)."""
    acts: list[Act] = []
    proposer = rng.choice(people.proposers)
    acts.append(Act(working_time(t0, rng), "propose", {"by": proposer}))
    t = acts[-1].at

    def withdraw_here(stage: int) -> bool:
        if variant.outcome == "withdraw" and variant.withdraw_stage == stage:
            by = proposer if rng.random() < 0.5 else people.officer
            at = working_time(t + timedelta(days=rng.uniform(1, 6)), rng)
            acts.append(Act(at, "withdraw", {"by": by}))
            return True
        return False

    if variant.outcome == "decline":
        acts.append(Act(working_time(t + timedelta(days=rng.uniform(2, 10)), rng), "decline"))
        return acts
    if withdraw_here(0):
        return acts
    t = working_time(t + timedelta(days=rng.uniform(1, 7)), rng)
    acts.append(Act(t, "accept", {"officer": people.officer}))
    if withdraw_here(1):
        return acts
    t = working_time(t + timedelta(days=rng.uniform(2, 12)), rng)
    acts.append(Act(t, "draft", {"revision": 1}))
    revision = 1
    if withdraw_here(2):
        return acts

    if variant.path == "waiver":
        t = working_time(t + timedelta(days=rng.uniform(0.5, 3)), rng)
        acts.append(Act(t, "waive"))
        ready_from = t
    else:
        kg = cal.kg_after(t + 8 * DAY)
        if kg is None:
            return acts
        placed = between(max(t + DAY, kg.planned_at + HOUR), kg.starts_at - 7 * DAY, rng)
        acts.append(Act(placed, "agenda", {"meeting": kg.key}))
        t = placed
        if withdraw_here(3):
            return acts
        t = _advice_round(acts, kg, placed, people, rng, advice_share, revision_chance)
        if variant.revise_after_advice:
            revision += 1
            t = working_time(t + timedelta(days=rng.uniform(0.5, 2)), rng)
            acts.append(Act(t, "draft", {"revision": revision}))
        ready_from = t

    if _to_the_board(acts, ready_from, revision, variant, cal, rng):
        acts.sort(key=lambda a: a.at)  # (a plan the calendar cut short is left as it was)
    return acts


def _to_the_board(
    acts: list[Act],
    ready_from: datetime,
    revision: int,
    variant: Variant,
    cal: Calendar,
    rng: random.Random,
) -> bool:
    """Ready from ``ready_from``, submitted to a board meeting (held over ``variant.skip``),
    perhaps postponed once and submitted again after a new draft, and decided; the steps
    stop where the calendar ends. True when the case is decided."""
    board = cal.board_after(ready_from + 9 * DAY, variant.skip)
    if board is None:
        return False
    ready = between(
        max(ready_from + 4 * HOUR, board.planned_at + HOUR), board.starts_at - 9 * DAY, rng
    )
    acts.append(Act(ready, "ready"))
    submitted = between(ready + HOUR, board.starts_at - 8 * DAY, rng)
    if variant.path == "late":  # after the invitation (7 days before): a tilleggssak
        submitted = between(board.starts_at - 6 * DAY, board.starts_at - 5 * DAY, rng)
    acts.append(Act(submitted, "submit", {"meeting": board.key}))
    after = board.starts_at + timedelta(days=rng.uniform(1, 3))
    if variant.path == "postponed":
        t = working_time(board.starts_at + DAY, rng)
        acts.append(Act(t, "postpone"))
        board = cal.board_after(t + 9 * DAY, variant.skip)
        if board is None:
            return False
        revision += 1
        t = between(max(t + DAY, board.planned_at + HOUR), board.starts_at - 10 * DAY, rng)
        acts.append(Act(t, "draft", {"revision": revision}))
        t = between(t + HOUR, board.starts_at - 8 * DAY, rng)
        acts.append(Act(t, "submit", {"meeting": board.key}))
        after = board.starts_at + timedelta(days=rng.uniform(1, 3))
    acts.append(Act(working_time(after, rng), "decide"))
    return True


def _advice_round(
    acts: list[Act],
    kg: PlannedMeeting,
    placed: datetime,
    people: People,
    rng: random.Random,
    advice_share: tuple[float, float],
    revision_chance: float,
) -> datetime:
    """KG's advice on a case placed on ``kg``'s agenda at ``placed``: advisers (some revise),
    perhaps the proposing group's leader, and the close at the meeting, whose time it
    returns."""
    deadline = kg.starts_at - DAY
    n = len(people.kg_acting)
    share = rng.uniform(*advice_share)
    advisers = rng.sample(people.kg_acting, max(1, round(n * share)))
    for fav in people.favourite_advisers:
        if fav not in advisers and rng.random() < 0.8:
            advisers.append(fav)
    for person in advisers:
        first = between(placed + HOUR, deadline, rng)
        stance = _stance(rng)
        acts.append(Act(first, "advice", {"by": person, "stance": stance}))
        if rng.random() < revision_chance:
            later = between(first + HOUR, deadline, rng)
            acts.append(
                Act(later, "advice", {"by": person, "stance": _stance(rng), "revised": True})
            )
    if people.group_leader is not None and rng.random() < 0.6:
        acts.append(
            Act(between(placed + HOUR, deadline, rng), "advice", {"by": people.group_leader})
        )
    roll = rng.random()
    closer = people.kg_leader if roll < 0.7 else people.kg_deputy if roll < 0.85 else people.officer
    t = kg.starts_at + 3 * HOUR + timedelta(minutes=rng.randrange(10, 50))
    acts.append(Act(t, "close", {"by": closer or people.officer}))
    return t


def _stance(rng: random.Random) -> Stance:
    roll = rng.random()
    if roll < 0.55:
        return Stance.SUPPORTS
    if roll < 0.85:
        return Stance.SUPPORTS_WITH_CHANGES
    if roll < 0.93:
        return Stance.NO_COMMENT
    return Stance.DOES_NOT_SUPPORT


def default_kind(group: str, rng: random.Random) -> CaseKind:
    if group != "kg":
        return CaseKind.BOARD_CASE
    roll = rng.random()
    if roll < 0.6:
        return CaseKind.BOARD_CASE
    return CaseKind.THEME_SPEAKER if roll < 0.8 else CaseKind.POLITICAL_INFLUENCE


def meeting_acts(m: PlannedMeeting, present: datetime, rng: random.Random) -> list[Act]:
    """Invitation, holding, minutes and approval of a meeting, up to ``present``. The year
    plan itself invites to meetings within two weeks of planning and holds those already
    past when it is planned (see :func:`caseflow.demo.plan.build_demo_year`)."""
    acts: list[Act] = []
    if m.starts_at <= m.planned_at:
        return acts
    lead = {MeetingBody.BOARD: 7, MeetingBody.KG: 5}.get(m.body, 10)
    if m.starts_at > m.planned_at + PLAN_INVITES_WITHIN:
        invite = max(m.starts_at - lead * DAY, m.planned_at + HOUR)
        acts.append(Act(_ten(invite), "invite", {"meeting": m.key}))
    if m.body is MeetingBody.BOARD:  # sent if a supplementary item was added (issue 14)
        acts.append(Act(_ten(m.starts_at - 4 * DAY), "supplement", {"meeting": m.key}))
    held = m.starts_at + 2 * HOUR + timedelta(minutes=45)
    acts.append(Act(held, "held", {"meeting": m.key}))
    minutes = working_time(held + DAY, rng)
    acts.append(Act(minutes, "minutes", {"meeting": m.key}))
    acts.append(Act(working_time(minutes + 2 * DAY, rng), "approve", {"meeting": m.key}))
    # Nothing happens to a meeting before it is planned: the supplementary invitation four
    # days before a meeting planned less than four days before it would (the first year's
    # plan is made at the demo's start, whatever day that is).
    return [a for a in acts if m.planned_at < a.at <= present]


def _ten(moment: datetime) -> datetime:
    local = moment.astimezone(OSLO)
    return datetime.combine(local.date(), time(10, 0), OSLO).astimezone(UTC)


def planning_moments(start: datetime, present: datetime) -> list[tuple[int, datetime]]:
    """(year, when it is planned): the first year at the start, every following year on
    1 September of the year before (when the secretariat publishes next year's meeting
    plan), up to the present."""
    out = [(start.year, start)]
    year = start.year + 1
    while True:
        when = datetime.combine(date(year - 1, 9, 1), time(9, 0), OSLO).astimezone(UTC)
        if when > present:
            break
        out.append((year, max(when, start + HOUR)))
        year += 1
    return out

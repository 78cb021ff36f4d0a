"""The demo generator: an organisation, a year (or N years) of meetings and cases, run
step by step in simulated time through the application's own commands.

``generate(app)`` builds the demo: the real organisation, the demo accounts, a year of
meetings and about forty hand-written cases that end "today" in every status.
``generate(app, years=N)`` adds N years of a national-sized installation (about a
thousand cases a year, a hundred events each) before the same forty; pass a
:class:`~caseflow.demo.batch.BatchedCaseflow` to save in large transactions.
"""

from __future__ import annotations

import heapq
import random
import time as wallclock
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.demo import content, screening
from caseflow.demo.batch import BatchedCaseflow
from caseflow.demo.clock import SimClock
from caseflow.demo.documents import add_demo_documents, minutes_pdf
from caseflow.demo.organisation import ACCOUNTS, DemoAccount, Roster, build_organisation
from caseflow.demo.plan import build_demo_year, year_schedule
from caseflow.demo.timeline import (
    DAY,
    STATUS_AFTER,
    Act,
    Calendar,
    People,
    PlanError,
    PlannedMeeting,
    Variant,
    default_kind,
    meeting_acts,
    plan_case,
    planning_moments,
    status_at,
)
from caseflow.domain import clock
from caseflow.domain.values import CaseKind, CaseStatus, Stance

#: Cases per simulated year at scale (with ``years``): a national-sized installation.
SCALE_CASES_PER_YEAR = 1000

#: A case's steps before the board (the others are at or towards the board's meeting).
PREPARING_STEPS = frozenset({"accept", "decline", "draft", "agenda", "advice", "close", "waive"})

#: Called now and then with (fraction of simulated time done, simulated now, events so far).
Progress = Callable[[float, datetime, int], None]

#: Schedules (when, kind, what) on the simulation's heap.
Push = Callable[[datetime, str, Any], None]


class DemoError(Exception):
    """The demo cannot be loaded (e.g. the store is not empty)."""


@dataclass
class DemoResult:
    seed: int
    start: datetime
    present: datetime
    events: int
    cases: int
    statuses: Counter[str]
    seconds: float
    accounts: tuple[DemoAccount, ...]
    roster: Roster
    titles: list[str] = field(default_factory=list)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def store_is_empty(app: Caseflow) -> bool:
    return not app.recorder.max_notification_id()


@dataclass
class CaseRun:
    """One case being played: its plan, and what the steps need to know."""

    title: str
    summary: str
    group: str
    kind: CaseKind
    acts: list[Act]
    seed: int
    case_id: UUID | None = None
    pos: int = 0


class Generator:
    def __init__(
        self,
        app: Caseflow,
        *,
        seed: int,
        present: datetime,
        years: int,
        cases_per_year: int,
        progress: Progress | None,
        flush_every: int,
    ) -> None:
        self.app, self.seed, self.present = app, seed, present
        self.years = years
        self.cases_per_year = cases_per_year
        self.progress = progress
        self.flush_every = flush_every
        span = timedelta(days=365 * max(1, years))
        self.start = present - span
        self.sim_start = self.start - 3 * DAY
        self.sim = SimClock(self.sim_start)
        self.statuses: dict[UUID, CaseStatus] = {}
        self.group_names: dict[str, str] = {}
        self.region_names: list[str] = []
        self.rng = random.Random(seed)
        self.meeting_ids: dict[tuple[str, datetime, str], UUID] = {}
        self.by_year: dict[int, list[PlannedMeeting]] = {}
        self.titles: list[str] = []
        self.cases = 0

    # -- running -----------------------------------------------------------------------

    def run(self) -> Roster:
        with clock.frozen_at(self.sim.now):
            roster = self.roster = build_organisation(self.app, self.rng, national=self.years > 0)
            self.officer = roster.officers[0]
            self.calendar = self._calendar()
            self._play()
            self._flush()
        return roster

    def _calendar(self) -> Calendar:
        meetings = []
        for year, when in planning_moments(self.start, self.present):
            planned = [
                PlannedMeeting(kw["body"], kw["starts_at"], kw, when)
                for kw in year_schedule(self.app, year)
            ]
            self.by_year[year] = planned
            meetings += planned
        return Calendar(meetings)

    def _calendar_acts(self) -> list[Act]:
        acts = [
            Act(when, "plan_year", {"year": year})
            for year, when in planning_moments(self.start, self.present)
        ]
        rng = random.Random(f"{self.seed}:meetings")
        for m in self.calendar.meetings:
            acts += meeting_acts(m, self.present, rng)
        return sorted(acts, key=lambda a: a.at)

    def _play(self) -> None:
        heap: list[tuple[datetime, int, str, Any]] = []
        seq = 0

        def push(at: datetime, kind: str, ref: Any) -> None:
            nonlocal seq
            seq += 1
            heapq.heappush(heap, (at, seq, kind, ref))

        for act in self._calendar_acts():
            push(act.at, "calendar", act)
        arrivals = self._scale_arrivals()
        first = next(arrivals, None)
        if first is not None:
            push(first[0], "arrival", (first, arrivals))
        for run in self._demo_runs():
            push(run.acts[0].at, "case", run)

        done = 0
        while heap:
            at, _, kind, ref = heapq.heappop(heap)
            self.sim.advance_to(at)
            if kind == "arrival":
                self._arrival(ref, push)
                continue
            if kind == "calendar":
                self._calendar_step(ref)
            else:
                self._next_case_step(ref, push)
            done += 1
            if done % self.flush_every == 0:
                self._flush()
            if self.progress is not None and done % 250 == 0:
                self.progress(self.fraction(), self.sim.current, self.events())
        if self.progress is not None:
            self.progress(1.0, self.sim.current, self.events())

    def _arrival(self, ref: Any, push: Push) -> None:
        """A case arrives at scale: its run is scheduled, and the next arrival after it."""
        (t0, index), source = ref
        arrived = self._scale_run(t0, index)
        if arrived is not None:
            push(arrived.acts[0].at, "case", arrived)
        nxt = next(source, None)
        if nxt is not None:
            push(nxt[0], "arrival", (nxt, source))

    def _next_case_step(self, run: CaseRun, push: Push) -> None:
        self._case_step(run, run.acts[run.pos])
        run.pos += 1
        if run.pos < len(run.acts):
            push(run.acts[run.pos].at, "case", run)

    def fraction(self) -> float:
        whole = (self.present - self.sim_start).total_seconds()
        return min(1.0, (self.sim.current - self.sim_start).total_seconds() / whole)

    def _flush(self) -> None:
        if isinstance(self.app, BatchedCaseflow):
            self.app.flush()

    def events(self) -> int:
        if isinstance(self.app, BatchedCaseflow):
            return self.app.flushed_events + self.app.pending()
        return self.app.recorder.max_notification_id() or 0

    # -- meetings ----------------------------------------------------------------------

    def _calendar_step(self, act: Act) -> None:
        app, me = self.app, self.officer
        if act.what == "plan_year":
            year = act.args["year"]
            ids = build_demo_year(app, me, year)
            for planned, mid in zip(self.by_year[year], ids, strict=True):
                self.meeting_ids[planned.key] = mid
            return
        mid = self.meeting_ids[act.args["meeting"]]
        if act.what == "invite":
            app.send_invitation(me, mid)
        elif act.what == "supplement" and app.get_meeting(mid).unsent_supplementary:
            app.send_supplementary_invitation(me, mid)  # the tilleggsinnkalling (issue 14)
        elif act.what == "held":
            app.mark_held(me, mid)
        elif act.what == "minutes":
            view = app.get_meeting(mid)
            lines = [f"Referat fra {view.title}", f"Sted: {view.place}", ""]
            for item in app.screening.public_agenda(view):  # the public titles (issue 18)
                done = "Behandlet.\n" if item.case_id else "Vedtak: Tatt til orientering.\n"
                lines += [f"{item.label} {item.public_title}", done]
            app.record_minutes(me, mid, "referat.pdf", minutes_pdf(lines))  # in the pack's PDF
        elif act.what == "approve":
            app.approve_minutes(me, mid)

    # -- cases -------------------------------------------------------------------------

    def _people(self, group: str, rng: random.Random, *, demo: bool) -> People:
        r = self.roster
        proposers = [str(p) for p in r.acting[group]]
        if demo and group == "atp":
            proposers += [str(r.person("atp"))] * 2
        if demo and group == "kg":
            proposers += [str(r.person("kg"))] * 2
        officers = r.officers
        officer = officers[0] if rng.random() < (0.6 if demo else 0.34) else rng.choice(officers)
        leader = r.leaders.get(group) if group != "kg" else None
        return People(
            proposers=proposers,
            officer=str(officer),
            kg_acting=[str(p) for p in r.acting["kg"]],
            kg_leader=str(r.leaders["kg"]) if "kg" in r.leaders else None,
            kg_deputy=str(r.deputies["kg"]) if "kg" in r.deputies else None,
            group_leader=str(leader) if leader else None,
            favourite_advisers=(str(r.person("kg")),) if demo else (),
        )

    def _demo_runs(self) -> list[CaseRun]:
        runs = []
        for i, idea in enumerate(content.CASES):
            rng = random.Random(f"{self.seed}:case:{i}")
            acts = self._find_plan(idea, rng)
            runs.append(CaseRun(idea.title, idea.summary, idea.group, idea.kind, acts, seed=i))
        return runs

    def _find_plan(self, idea: content.CaseIdea, rng: random.Random) -> list[Act]:
        """A plan whose status at the present is the idea's status (seeded search)."""
        final = idea.status.is_final
        earliest = self.start + 20 * DAY if self.years == 0 else self.present - 330 * DAY
        span = (self.present - earliest).total_seconds()
        for _ in range(4000):
            if final:
                t0 = earliest + timedelta(seconds=rng.uniform(0, span - 30 * 86400))
            else:
                t0 = self.present - timedelta(days=rng.uniform(0.2, 200))
                t0 = max(t0, earliest)
            acts = plan_case(
                t0,
                self._variant(idea, rng),
                self._people(idea.group, rng, demo=True),
                self.calendar,
                rng,
            )
            if status_at(acts, self.present) is idea.status:
                return [a for a in acts if a.at <= self.present]
        raise PlanError(f"no plan puts {idea.title!r} in status {idea.status} today")

    @staticmethod
    def _variant(idea: content.CaseIdea, rng: random.Random) -> Variant:
        skip = 1 if rng.random() < 0.3 else 0
        revise = rng.random() < 0.6
        if idea.status is CaseStatus.DECLINED:
            return Variant(outcome="decline")
        if idea.status is CaseStatus.WITHDRAWN:
            return Variant(outcome="withdraw", withdraw_stage=rng.randrange(0, 4))
        if idea.status is CaseStatus.POSTPONED:
            return Variant(path="postponed", skip=skip, revise_after_advice=revise)
        return Variant(path=idea.path, skip=skip, revise_after_advice=revise)

    def _scale_arrivals(self) -> Iterator[tuple[datetime, int]]:
        total = self.years * self.cases_per_year
        if total <= 0:
            return iter(())
        rng = random.Random(f"{self.seed}:arrivals")
        first = self.start + 20 * DAY
        span = (self.present - first).total_seconds()
        times = sorted(first + timedelta(seconds=rng.uniform(0, span)) for _ in range(total))
        return ((t, i) for i, t in enumerate(times))

    def _scale_run(self, t0: datetime, index: int) -> CaseRun | None:
        rng = random.Random(f"{self.seed}:scale:{index}")
        group, topic, place = rng.choice(content.SCALE_TOPICS)
        if not self.region_names:
            register = self.app.register()
            regions = register.regions.values() if register else []
            self.region_names = [str(r.get("name", "")) for r in regions] or ["Osloregionen"]
        where = rng.choice(self.region_names)
        title = f"{topic} {where}" if place else topic
        roll = rng.random()
        variant = Variant(
            path="waiver" if roll < 0.08 else "postponed" if roll < 0.14 else "advice",
            outcome="decline"
            if 0.14 <= roll < 0.2
            else "withdraw"
            if 0.2 <= roll < 0.26
            else "decide",
            withdraw_stage=rng.randrange(0, 4),
            skip=1 if rng.random() < 0.15 else 0,
            revise_after_advice=rng.random() < 0.6,
        )
        acts = plan_case(
            t0,
            variant,
            self._people(group, rng, demo=False),
            self.calendar,
            rng,
            advice_share=(0.6, 0.9),
            revision_chance=0.35,
        )
        acts = [a for a in acts if a.at <= self.present]
        if not acts:
            return None
        summary = f"{topic} – sak fra {where}."
        return CaseRun(title, summary, group, default_kind(group, rng), acts, seed=index)

    def _case_step(self, run: CaseRun, act: Act) -> None:
        if act.what == "propose":
            self._propose(run, act.args)
            return
        cid = run.case_id
        assert cid is not None
        rng = random.Random(f"{self.seed}:{run.seed}:{run.pos}:{run.title}")
        if act.what in STATUS_AFTER:
            self.statuses[cid] = STATUS_AFTER[act.what]
        officer = self._officer(run)
        if act.what in PREPARING_STEPS:
            self._preparing_step(run, cid, act, officer, rng)
        else:
            self._meeting_step(run, cid, act, officer, rng)
        screening.after_step(self.app, officer, cid, act.what, run.title)  # issue 18

    def _propose(self, run: CaseRun, a: dict[str, Any]) -> None:
        group_id = self.roster.groups[run.group]
        view = self.app.propose_case(UUID(a["by"]), group_id, run.title, run.summary, run.kind)
        run.case_id = view.id
        self.statuses[view.id] = CaseStatus.PROPOSED
        self.cases += 1
        self.titles.append(run.title)

    def _preparing_step(
        self, run: CaseRun, cid: UUID, act: Act, officer: UUID, rng: random.Random
    ) -> None:
        """A step before the board: acceptance, the draft, the agenda and the advice."""
        app = self.app
        a = act.args
        if act.what == "accept":
            app.accept_case(officer, cid, UUID(a["officer"]))
        elif act.what == "decline":
            app.decline_case(officer, cid, rng.choice(content.DECLINE_REASONS))
        elif act.what == "draft":
            if run.group not in self.group_names:
                gid = self.roster.groups[run.group]
                self.group_names[run.group] = self.app.get_group(gid).name
            group = self.group_names[run.group]
            doc = content.document(run.title, run.summary, group, a["revision"], run.seed)
            app.draft_case(officer, cid, doc)
        elif act.what == "agenda":
            meeting = self.meeting_ids[a["meeting"]]
            if run.group == "kg":  # KG's own case: no leader to invite, ask KG directly
                deadline = (a["meeting"][1] - DAY).date()
                app.request_advice(officer, cid, deadline, meeting)
            app.place_case_on_agenda(officer, meeting, cid)
        elif act.what == "advice":
            self._advice(run, cid, a, rng)
        elif act.what == "close":
            app.close_advice(UUID(a["by"]), cid, rng.choice(content.KG_SUMMARY))
        elif act.what == "waive":
            app.waive_advice(officer, cid, rng.choice(content.WAIVER_REASONS))

    def _meeting_step(
        self, run: CaseRun, cid: UUID, act: Act, officer: UUID, rng: random.Random
    ) -> None:
        """A step at or towards the board's meeting (ready … decided) or a withdrawal."""
        app = self.app
        a = act.args
        if act.what == "ready":
            app.mark_ready(officer, cid)
        elif act.what == "submit":
            add_demo_documents(app, officer, cid, rng)  # issue 14: the saksframlegg (PDF)
            app.submit_case(officer, cid, self.meeting_ids[a["meeting"]])
        elif act.what == "decide":
            app.record_decision(officer, cid, content.resolution(run.title))
        elif act.what == "postpone":
            app.postpone_case(officer, cid, rng.choice(content.POSTPONE_REASONS))
        elif act.what == "withdraw":
            app.withdraw_case(UUID(a["by"]), cid, rng.choice(content.WITHDRAW_REASONS))
        else:  # pragma: no cover - a planning bug
            raise PlanError(f"unknown step {act.what}")

    def _officer(self, run: CaseRun) -> UUID:
        for act in run.acts:
            if act.what == "accept":
                return UUID(act.args["officer"])
        return self.officer

    def _advice(self, run: CaseRun, cid: UUID, a: dict[str, Any], rng: random.Random) -> None:
        if "stance" not in a:  # the invited leader of the proposing group (R13)
            self.app.give_advice(UUID(a["by"]), cid, Stance.SUPPORTS, content.INVITED_INPUT)
            return
        stance: Stance = a["stance"]
        text = rng.choice(content.ADVICE_TEXT[stance])
        if a.get("revised") and text:
            text = content.REVISED_ADVICE.format(text=text)
        self.app.give_advice(UUID(a["by"]), cid, stance, text)


def generate(
    app: Caseflow,
    *,
    seed: int = 2025,
    years: int = 0,
    cases_per_year: int = SCALE_CASES_PER_YEAR,
    present: datetime | None = None,
    progress: Progress | None = None,
    flush_every: int = 4000,
) -> DemoResult:
    """Load the demo into ``app``'s (empty) store. ``years`` > 0 adds that many years of a
    national-sized installation (``cases_per_year`` each) before the demo's own cases."""
    if not store_is_empty(app):
        raise DemoError(
            "the store already has events; the demo loads only into an empty store "
            "(use a new CASEFLOW_DATABASE_URL, or delete the SQLite file)"
        )
    moment = (present or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    began = wallclock.perf_counter()
    gen = Generator(
        app,
        seed=seed,
        present=moment,
        years=years,
        cases_per_year=cases_per_year,
        progress=progress,
        flush_every=flush_every,
    )
    roster = gen.run()
    seconds = wallclock.perf_counter() - began
    statuses: Counter[str] = Counter(s.value for s in gen.statuses.values())
    return DemoResult(
        seed=seed,
        start=gen.start,
        present=moment,
        events=gen.events(),
        cases=gen.cases,
        statuses=statuses,
        seconds=seconds,
        accounts=ACCOUNTS,
        roster=roster,
        titles=gen.titles,
    )

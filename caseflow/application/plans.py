"""Planning: R16's board deadlines (the KG meeting preparing a board meeting, when advice
and papers are due) and R20's yearly plan. The rules' numbers come from the core's
settings, which the composition root gives."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from caseflow.application.core import CaseflowCore
from caseflow.application.meeting_queries import MeetingQueries, _preparing_kg
from caseflow.application.views import DeadlinesView, PlanEntryView, YearPlanView
from caseflow.domain import clock
from caseflow.domain.errors import Message
from caseflow.domain.localtime import local_date  # the day people read (CASEFLOW_TIMEZONE)
from caseflow.domain.meeting import Meeting
from caseflow.domain.planning import is_best_year, kg_gap_warning
from caseflow.domain.values import MeetingBody


class PlanService:
    """Deadlines and the year's plan."""

    def __init__(self, core: CaseflowCore, views: MeetingQueries) -> None:
        self.core = core
        self.views = views

    def board_deadlines(self, after: datetime | None = None) -> DeadlinesView | None:
        """R16: the next board meeting (after ``after``, default now), the KG meeting that
        prepares it, when KG's advice and the board papers are due, and warnings."""
        moment = after or clock.now()
        everything = self.views.all_meetings()
        board = next(
            (m for m in everything if m.body is MeetingBody.BOARD and m.starts_at > moment), None
        )
        if board is None:
            return None
        rules = self.core.settings.planning_rules
        kg = _preparing_kg(board, everything)
        papers_due = local_date(board.starts_at - timedelta(days=rules.papers_days_before_board))
        if kg is not None:
            advice_due = local_date(kg.starts_at - timedelta(days=rules.advice_days_before_kg))
        else:
            advice_due = papers_due - timedelta(days=rules.kg_min_days)
        warning = kg_gap_warning(kg.starts_at if kg else None, board.starts_at, rules)
        return DeadlinesView(
            board_meeting_id=board.id,
            board_title=board.title,
            board_starts_at=board.starts_at,
            kg_meeting_id=kg.id if kg else None,
            kg_starts_at=kg.starts_at if kg else None,
            gap_days=(local_date(board.starts_at) - local_date(kg.starts_at)).days if kg else None,
            advice_due=advice_due,
            papers_due=papers_due,
            warnings=[warning] if warning else [],
        )

    def yearly_plan(self, year: int) -> YearPlanView:
        """R20: the year's meetings (møteplan); the two-day joint gathering in years
        without the BEST conference; joint sessions when groups meet physically."""
        everything = [m for m in self.views.all_meetings() if m.year == year]
        names = {g.id: g.short_name or g.name for g in self.core.shared_groups()}
        entries = [_plan_entry(m) for m in everything]
        best = is_best_year(year, self.core.settings.best_years)
        gathering = next(
            (
                m
                for m in everything
                if m.body is MeetingBody.JOINT and m.ends_at and m.ends_at - m.starts_at >= _DAY
            ),
            None,
        )
        warnings: list[Message] = []
        if not best and gathering is None:
            warnings.append(
                Message(
                    "%(year)s has no BEST conference; plan the two-day joint gathering "
                    "of the groups (felles fagsamling)",
                    {"year": year},
                    rule="R20",
                )
            )
        if best and gathering is not None:
            warnings.append(
                Message(
                    "%(year)s is a BEST conference year; the joint gathering is held in "
                    "the years between",
                    {"year": year},
                    rule="R20",
                )
            )
        sessions = [
            _plan_entry(m) for m in everything if m.body is MeetingBody.JOINT and m is not gathering
        ]
        by_day: dict[date, list[Meeting]] = {}
        for m in everything:
            if m.body is MeetingBody.GROUP and not m.digital:
                by_day.setdefault(local_date(m.starts_at), []).append(m)
        for day, meetings in sorted(by_day.items()):
            groups = {gid for m in meetings for gid in m.participating_groups()}
            if len(groups) < 2:
                continue
            joint = [
                m
                for m in everything
                if m.body is MeetingBody.JOINT
                and local_date(m.starts_at) == day
                and (not m.group_ids or groups <= set(m.participating_groups()))
            ]
            if joint:
                continue
            label = ", ".join(sorted(names.get(g, str(g)) for g in groups))
            sessions.append(
                PlanEntryView(
                    meeting_id=None,
                    body=MeetingBody.JOINT.value,
                    title=f"Felles faggruppedel ({label})",
                    starts_at=min(m.starts_at for m in meetings),
                    ends_at=None,
                    place=meetings[0].place,
                    digital=False,
                    status="expected",
                    joint=True,
                    note=Message("groups meeting physically hold a joint session", rule="R20"),
                )
            )
            warnings.append(
                Message(
                    "%(groups)s meet physically on %(day)s; schedule their joint session",
                    {"groups": label, "day": f"{day:%d.%m.%Y}"},
                    rule="R20",
                )
            )
        return YearPlanView(
            year=year,
            best_conference=best,
            joint_gathering_due=not best,
            joint_gathering=_plan_entry(gathering) if gathering else None,
            entries=entries,
            joint_sessions=sorted(sessions, key=lambda e: e.starts_at),
            warnings=warnings,
        )


_DAY = timedelta(days=1)


def _plan_entry(m: Meeting) -> PlanEntryView:
    return PlanEntryView(
        meeting_id=m.id,
        body=m.body.value,
        title=m.title,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        place=m.place,
        digital=m.digital,
        status=m.status.value,
        joint=m.body is MeetingBody.JOINT,
    )

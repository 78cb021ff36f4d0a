"""The start page: the secretariat's status overview (secretariat and auditors), or a
member's own work (advice requested from them, their groups' cases)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from caseflow.domain import clock
from caseflow.domain.localtime import local_date
from caseflow.domain.values import CaseStatus, MeetingBody
from caseflow.readmodels.api import CaseFilter, MeetingRow, ReadModels
from web.context import actor, caseflow, one_reading_per_request, read, reads_everything
from web.page_cache import parts
from web.page_parts import path_link
from web.queries import (
    advice_requested_from,
    overdue,
    readiness,
    visible_cases,
)

bp = Blueprint("overview", __name__)
one_reading_per_request(bp)


@bp.route("/")
@login_required
def home() -> ResponseReturnValue:
    if reads_everything():
        return overview()
    app, rm, who = caseflow(), read(), actor()
    mine = {
        seat.group_id: visible_cases(
            app, rm, who, CaseFilter(group=str(seat.group_id), per_page=20)
        )
        for seat in who.seats.values()
    }
    return render_template(
        "overview/mine.html",
        advice=advice_requested_from(app, rm, who),
        seats=list(who.seats.values()),
        mine=mine,
        groups={g.id: g for g in app.list_groups()},
        today=local_date(clock.now()),  # today where people read times
    )


def overview() -> Any:
    """A constant number of bounded, indexed queries, however many cases there are: the
    counts by status (one GROUP BY), the next board meeting (LIMIT 1) and its agenda, the
    first of the overdue and idle cases with how many there are, and the advice sums.
    The same for everyone who may read everything: rendered once per log head, language
    and minute (``web.page_cache``), the menu around it per request."""
    now = clock.now().replace(second=0, microsecond=0)
    idle_days = int(current_app.config["IDLE_DAYS"])
    content = parts().get(("overview", now, idle_days), lambda: status_part(now, idle_days))
    return render_template("overview/index.html", content=content)


def _next_board_meeting(rm: ReadModels, now: datetime) -> MeetingRow | None:
    """The next board meeting, without its agenda (the page shows its title, time and
    place; its cases come from the case list): the board's meetings in one query, the
    first at or after ``now`` — what ``next_board_meeting`` finds, without reading the
    whole agenda and its attachments."""
    return next((m for m in rm.meeting_list([MeetingBody.BOARD.value]) if m.starts_at >= now), None)


def status_part(now: datetime, idle_days: int) -> str:
    """The overview below the menu, rendered (``overview/_status.html``)."""
    rm = read()
    meeting = _next_board_meeting(rm, now)
    counts = rm.status_counts()
    template = current_app.jinja_env.get_template("overview/_status.html")
    return template.render(
        counts=counts,
        statuses=[s.value for s in CaseStatus],
        total=sum(counts.values()),
        overdue=overdue(rm, local_date(now), idle_days),
        idle_days=idle_days,
        meeting=meeting,
        readiness=readiness(rm, meeting, counts),
        now=now,
        case_href=path_link("cases.show", "ref"),
    )

"""KG members' work list: advice requested from me, whether I (or my region) answered
and how many days are left; and the advice of one case per region (the case page and
the close-advice form), naming the board regions that have not answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from caseflow.application import Caseflow
from caseflow.application.views import AdviceView, CaseView
from caseflow.domain import clock, localtime
from caseflow.domain.values import CaseStatus
from web.context import actor, caseflow, read, user_id
from web.queries import advice_requested_from, board_regions, region_names

bp = Blueprint("advice", __name__, url_prefix="/advice")


def today() -> date:
    """Today where people read times (``CASEFLOW_TIMEZONE``)."""
    return localtime.local_date(clock.now())


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    app = caseflow()
    rows = advice_requested_from(app, read(), actor())
    answers = app.advice.my_answers(user_id(), [r.id for r in rows])
    return render_template(
        "advice/index.html",
        rows=rows,
        answers=answers,
        today=today(),
        regions=region_names(app),
        board_regions=frozenset(board_regions(app)),
    )


@dataclass(frozen=True)
class RegionAdvice:
    """One board region's advice on a case: the current advice of each adviser who
    advised on its behalf (empty: the region has not answered)."""

    slug: str
    name: str
    advice: list[AdviceView] = field(default_factory=list)


@dataclass(frozen=True)
class AdviceByRegion:
    """A case's advice per board region, then the regions that have not answered, then
    the input of invited expert-group leaders (R13) and advice on behalf of a region that
    no longer holds a board seat."""

    answered: list[RegionAdvice]
    missing: list[RegionAdvice]
    invited: list[AdviceView]
    other: list[AdviceView]

    @property
    def total(self) -> int:
        return len(self.answered) + len(self.missing)


def advice_by_region(view: CaseView, regions: list[str], names: dict[str, str]) -> AdviceByRegion:
    """``view``'s current advice grouped by the board ``regions`` (R6: KG mirrors the
    board's regions), in the register's order."""
    by_region: dict[str, list[AdviceView]] = {slug: [] for slug in regions}
    invited: list[AdviceView] = []
    other: list[AdviceView] = []
    for a in sorted(view.advice, key=lambda a: a.at):
        if a.as_invited_leader:
            invited.append(a)
        elif a.on_behalf_of in by_region:
            by_region[a.on_behalf_of].append(a)
        else:
            other.append(a)
    rows = [RegionAdvice(slug, names.get(slug, slug), by_region[slug]) for slug in regions]
    return AdviceByRegion(
        answered=[r for r in rows if r.advice],
        missing=[r for r in rows if not r.advice],
        invited=invited,
        other=other,
    )


def advice_round_of(app: Caseflow, view: CaseView) -> AdviceByRegion | None:
    """The case's advice per region, once KG's advice has been asked for (None before,
    and when the secretariat waived the round without any advice given)."""
    asked = view.advice_deadline is not None or view.advice
    if not asked or view.status in (CaseStatus.PROPOSED.value, CaseStatus.DECLINED.value):
        return None
    return advice_by_region(view, board_regions(app), region_names(app))

"""Measures (tiltak) of the strategy, followed up by KG (R18): the list grouped by focus
area with each measure's status, one measure with every status update, and the forms with
which KG's non-observer members and the secretariat register a measure and change its
status.

Who reads: the application has no viewer rule for measures (``list_measures`` takes no
viewer), so the web reads R18 and R9 as: KG's members (observers too, R9: "observers
read") and those who read everything (the secretariat, auditors). Anyone else gets 403
(R18) on every measures page. Who changes: exactly ``may_follow_up_measures``, asked
before the forms are shown (a refusal is shown with its rule and reason) and again by the
application's commands, so a forged form is refused all the same (403).
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from flask import Blueprint, g, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError

from caseflow.application.meetings import MeetingChoice
from caseflow.application.views import MeasureView
from caseflow.domain.errors import CaseflowError, NotFoundError, NotPermitted
from caseflow.domain.measure import MeasureStatus
from caseflow.domain.permissions import Actor, may_follow_up_measures, may_read_everything
from caseflow.domain.values import FocusArea, MeetingBody
from web.context import caseflow, user_id
from web.filters import fmt_day
from web.forms import submit
from web.i18n import translate_error, with_rule
from web.messages import N_
from web.schemas import CHOOSE, MeasureCreateSchema, MeasureStatusSchema

bp = Blueprint("measures", __name__, url_prefix="/measures")

#: Refusal for people outside KG, the secretariat and the auditors.
NOT_A_READER = N_("The measures are followed up by KG; KG, the secretariat and auditors read them.")

STATUS_LABELS = {
    MeasureStatus.PLANNED.value: _l("Planned"),
    MeasureStatus.IN_PROGRESS.value: _l("In progress"),
    MeasureStatus.DONE.value: _l("Done"),
    MeasureStatus.PAUSED.value: _l("Paused"),
}

FIELD_LABELS = {
    "title": _l("Title"),
    "focus_area": _l("Focus area"),
    "description": _l("Description"),
    "status": _l("Status"),
    "note": _l("Note"),
    "meeting_id": _l("KG meeting"),
}


# -- who ------------------------------------------------------------------------------------


def _actor() -> Actor:
    """The person with their system roles and KG seat now (once per request)."""
    if "actor" in g:
        return cast(Actor, g.actor)
    if "measures_actor" not in g:
        app = caseflow()
        g.measures_actor = app.actor(user_id(), groups=[app.kg_id()])
    return cast(Actor, g.measures_actor)


def may_see_measures(actor: Actor, kg_id: UUID) -> bool:
    """KG's members (observers included) and those who read everything."""
    return may_read_everything(actor) or actor.seat(kg_id) is not None


def _require_reader() -> None:
    if not may_see_measures(_actor(), caseflow().kg_id()):
        raise NotPermitted(NOT_A_READER, rule="R18")


def _refusal() -> str | None:
    """Why the person may not register or update measures (rule and reason), or None."""
    try:
        may_follow_up_measures(_actor(), caseflow().kg_id())
    except NotPermitted as e:
        return with_rule(e.rule, translate_error(e))
    return None


@bp.app_context_processor
def navigation() -> dict[str, Any]:
    def visible() -> bool:
        if not current_user.is_authenticated:
            return False
        try:
            return may_see_measures(_actor(), caseflow().kg_id())
        except CaseflowError:
            return False  # e.g. the person is gone; the page itself says what is wrong

    return {"may_see_measures": visible}


# -- reading ---------------------------------------------------------------------------------


def _find(measure_id: UUID) -> MeasureView:
    for measures in caseflow().list_measures().values():
        for measure in measures:
            if measure.id == measure_id:
                return measure
    raise NotFoundError(N_("measure not found"), id=str(measure_id))


def _kg_meetings() -> list[MeetingChoice]:
    return caseflow().meeting_choices(user_id(), body=MeetingBody.KG)


def _list_page(form: dict[str, Any] | None = None, errors: Any = None) -> dict[str, Any]:
    grouped = caseflow().list_measures()
    return {
        "grouped": grouped,
        "total": sum(len(ms) for ms in grouped.values()),
        "focus_areas": [a.value for a in FocusArea],
        "refusal": _refusal(),
        "form": form or {},
        "errors": errors,
        **_labels(),
    }


def _measure_page(
    measure: MeasureView, form: dict[str, Any] | None = None, errors: Any = None
) -> dict[str, Any]:
    meetings = _kg_meetings()
    return {
        "m": measure,
        "meeting_options": [(mt.id, f"{fmt_day(mt.starts_at)} · {mt.title}") for mt in meetings],
        "meeting_names": {mt.id: mt for mt in meetings},
        "refusal": _refusal(),
        "form": form if form is not None else {"status": measure.status},
        "errors": errors,
        **_labels(),
    }


def _labels() -> dict[str, Any]:
    return {
        "statuses": [(s.value, STATUS_LABELS[s.value]) for s in MeasureStatus],
        "status_label": lambda s: str(STATUS_LABELS.get(s, s)),
        "field_label": lambda f: str(FIELD_LABELS.get(f, f)),
    }


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    _require_reader()
    return render_template("measures/list.html", **_list_page())


@bp.route("/<uuid:measure_id>")
@login_required
def show(measure_id: UUID) -> ResponseReturnValue:
    _require_reader()
    return render_template("measures/measure.html", **_measure_page(_find(measure_id)))


# -- changes -----------------------------------------------------------------------------------


@bp.route("/", methods=["POST"])
@login_required
def register() -> ResponseReturnValue:
    _require_reader()
    return submit(
        MeasureCreateSchema,
        lambda data: caseflow().register_measure(
            user_id(), data["title"], data["focus_area"], data["description"]
        ),
        page=lambda form, errors: render_template("measures/list.html", **_list_page(form, errors)),
        done=lambda view: _("The measure “%(title)s” is registered.", title=view.title),
        target=lambda view: url_for("measures.show", measure_id=view.id),
        code=303,
    )


@bp.route("/<uuid:measure_id>/status", methods=["POST"])
@login_required
def update(measure_id: UUID) -> ResponseReturnValue:
    _require_reader()
    measure = _find(measure_id)

    def command(data: dict[str, Any]) -> Any:
        meeting_id = data["meeting_id"]
        if meeting_id is not None and meeting_id not in {m.id for m in _kg_meetings()}:
            raise ValidationError([CHOOSE], "meeting_id")
        return caseflow().update_measure(
            user_id(), measure.id, data["status"], data["note"], meeting_id
        )

    return submit(
        MeasureStatusSchema,
        command,
        page=lambda form, errors: render_template(
            "measures/measure.html", **_measure_page(_find(measure_id), form, errors)
        ),
        done=lambda _view: _("The measure's status is recorded."),
        target=lambda _view: url_for("measures.show", measure_id=measure.id),
        code=303,
    )

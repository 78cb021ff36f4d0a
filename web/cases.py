"""Cases: the list with filters, proposing a case, the case page (document, advice,
timeline, the steps the user may take now and why others are not available), and one
form per step."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from caseflow.application.views import CaseView
from caseflow.domain.case import advice_deadline_warning
from caseflow.domain.errors import CaseflowError, InvalidInput, Message, NotFoundError
from caseflow.domain.values import CaseKind, FocusArea, MeetingBody, Stance, Step
from web import stale
from web.advice import advice_round_of
from web.advice import today as advice_today
from web.context import (
    acting_seats,
    actor,
    caseflow,
    read,
    reads_everything,
    user_id,
)
from web.filters import fmt_day
from web.forms import Errors, Form, submit
from web.i18n import translate_text
from web.labels import STEP, label
from web.queries import case_filter, region_names, visible_cases
from web.schemas import STEP_SCHEMAS, CaseQuerySchema, ProposeSchema
from web.stale import Conflict

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.route("/")
@login_required
def index() -> Any:
    args = {k: v for k, v in request.args.items() if v}
    try:
        q = CaseQuerySchema().load(args)
    except ValidationError:
        q = CaseQuerySchema().load({})
        flash(_("Some filters were invalid and have been ignored."), "error")
    app = caseflow()
    page = visible_cases(app, read(), actor(), case_filter(q))
    counts = read().status_counts() if reads_everything() else None
    return render_template(
        "cases/list.html",
        page=page,
        filters=q,
        counts=counts,
        groups=app.list_groups(),
        meetings=app.meeting_choices(user_id(), body=MeetingBody.BOARD),
        focus_areas=[a.value for a in FocusArea],
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    seats = acting_seats()
    groups = {g.id: g for g in caseflow().list_groups()}
    choices = [groups[s.group_id] for s in seats if s.group_id in groups]

    def page(form: Form, errors: Errors | None) -> str:
        return render_template(
            "cases/new.html",
            form=form,
            errors=errors,
            groups=choices,
            group_options=[(g.id, g.name) for g in choices],
            kinds=[k.value for k in CaseKind],
            focus_areas=[a.value for a in FocusArea],
        )

    if request.method == "POST":
        return submit(
            ProposeSchema,
            lambda data: caseflow().propose_case(
                user_id(),
                data["group_id"],
                data["title"],
                data["summary"],
                CaseKind(data["kind"]),
                data["focus_area"],
            ),
            page=page,
            done=lambda view: _("Case %(ref)s proposed.", ref=view.reference),
            target=lambda view: url_for("cases.show", ref=view.reference),
        )
    if not choices:
        flash(_("You are not a member who can propose cases in any group."), "info")
    return page({"group_id": request.args.get("group", "")}, None)


@bp.route("/<ref>")
@login_required
def show(ref: str) -> Any:
    app = caseflow()
    view = app.get_case(user_id(), ref)
    history = app.case_history(user_id(), view.id)
    meetings = _meetings_of(view)
    return render_template(
        "cases/case.html",
        case=view,
        events=history.events,
        meetings=meetings,
        my_advice=[a for a in view.advice_history if a.person_id == user_id()],
        regions=region_names(app),
        advice_round=advice_round_of(app, view),
        advice_warnings=_advice_warnings(view, meetings.get("kg")),
        today=advice_today(),
    )


def _advice_warnings(view: CaseView, kg_meeting: Any) -> list[Message]:
    """While the round is open: a deadline after the KG meeting that treats the case."""
    if view.status != "advice_requested" or kg_meeting is None:
        return []
    found = advice_deadline_warning(view.advice_deadline, kg_meeting.starts_at)
    return [found] if found is not None else []


def _meetings_of(view: CaseView) -> dict[str, Any]:
    """The case's KG and board meetings that the user may see, with their attachments."""
    app = caseflow()
    found: dict[str, Any] = {}
    for key, mid in (("kg", view.kg_meeting_id), ("board", view.board_meeting_id)):
        if mid is not None:
            try:
                found[key] = app.get_meeting(mid, user_id())
            except NotFoundError:
                continue
    return found


def _shown(view: CaseView, ctx: dict[str, Any]) -> Any:
    """A form value as a person reads it: a name for a person or meeting id, a label
    for a stance, a day by the reader's language."""
    options = {**dict(ctx.get("officer_options", [])), **dict(ctx.get("meeting_options", []))}
    if view.case_officer is not None and view.case_officer_name:
        options.setdefault(view.case_officer, view.case_officer_name)
    by_text = {str(k): v for k, v in options.items()}

    def shown(name: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if name == "stance":
            return str(label("stance", str(value)))
        if isinstance(value, date):
            return fmt_day(value)
        return str(by_text.get(str(value), value))

    return shown


def _option(view: CaseView, step: Step) -> Any:
    return next(o for o in view.next_steps if o.step == step.value)


def _step_context(view: CaseView, step: Step) -> dict[str, Any]:
    """What a step's form needs besides the case: choices and defaults."""
    app = caseflow()
    ctx: dict[str, Any] = {}
    if step is Step.ACCEPT:
        officers = [p for p in app.list_people() if "secretariat" in p.system_roles]
        ctx["officer_options"] = [(p.id, p.name) for p in officers]
    if step in (Step.REQUEST_ADVICE, Step.SUBMIT):
        body = MeetingBody.KG if step is Step.REQUEST_ADVICE else MeetingBody.BOARD
        meetings = app.meeting_choices(user_id(), body=body, upcoming=True)
        ctx["meeting_options"] = [(m.id, m.title) for m in meetings]
    if step is Step.ADVICE:
        ctx["stances"] = [s.value for s in Stance]
        ctx["my_advice"] = [a for a in view.advice_history if a.person_id == user_id()]
    return ctx


def _defaults(view: CaseView, step: Step) -> dict[str, Any]:
    if step is Step.DRAFT and view.document:
        return dict(view.document)
    if step is Step.ACCEPT:
        # the acting secretariat user, if they are on the list; else none (a choice)
        return {"case_officer": str(user_id())}
    if step is Step.REQUEST_ADVICE:
        return {
            "deadline": (advice_today() + timedelta(days=14)).isoformat(),
            "kg_meeting_id": "",
        }
    if step is Step.ADVICE:
        mine = [a for a in view.advice if a.person_id == user_id()]
        if mine:
            return {"stance": mine[-1].stance, "text": mine[-1].text}
    return {}


@bp.route("/<ref>/steps/<step>", methods=["GET", "POST"])
@login_required
def step(ref: str, step: str) -> Any:
    try:
        the_step = Step(step)
    except ValueError:
        abort(404)
    app = caseflow()
    view = app.get_case(user_id(), ref)  # 404 when the user may not see the case
    option = _option(view, the_step)
    schema_class = STEP_SCHEMAS[the_step]

    context = _step_context(view, the_step)
    conflict: Conflict | None = None

    def page(form: Form, errors: Errors | None) -> str:
        if conflict is not None and errors:
            # the conflict section says what happened and what to do ("reload" would lose
            # what was typed); field errors, if any, stay beside their fields
            errors = {k: v for k, v in errors.items() if k != "_form"} or None
        return render_template(
            "cases/step.html",
            case=view,
            step=the_step,
            option=option,
            form=form,
            errors=errors,
            regions=region_names(app),
            conflict=conflict,
            advice_round=advice_round_of(app, view) if the_step is Step.CLOSE_ADVICE else None,
            **context,
        )

    def refused(e: CaseflowError, form: Form) -> None:
        # the form keeps the user's (old) expected_version: only "use my text over
        # theirs" submits against the version shown here (web/stale.py)
        nonlocal view, conflict
        if e.code == "stale_version":
            view = app.get_case(user_id(), ref)
            events = app.case_history(user_id(), view.id).events
            conflict = stale.conflict(
                view, the_step, form, events, user_id(), _shown(view, context)
            )

    def take(data: dict[str, Any]) -> CaseView:
        expected = data.pop("expected_version", None)
        confirmed = stale.overwrite_version()
        if confirmed is not None:
            expected = confirmed
        if the_step is Step.ACCEPT and option.allowed and not data.get("case_officer"):
            # the form asks for a choice (a refused step stays the application's refusal)
            raise InvalidInput.field("case_officer", "required")
        return app.take_step(user_id(), view.id, the_step, data, expected)

    def done(result: CaseView) -> str:
        for warning in result.warnings:
            flash(translate_text(warning), "warning")
        return _(
            "%(step)s: done. The case is now “%(status)s”.",
            step=STEP[the_step.value],
            status=label("status", result.status),
        )

    if request.method == "POST":
        return submit(
            schema_class,
            take,
            page=page,
            done=done,
            target=lambda result: url_for("cases.show", ref=result.reference),
            refused=refused,
        )
    form = {**_defaults(view, the_step), "expected_version": view.version}
    return page(form, None), 200 if option.allowed else refusal_status(option)


def refusal_status(option: Any) -> int:
    """The status of the error that refused the step (403 for a permission refusal, 409
    for a step that does not fit the case's state): it travels with the reason."""
    reason = option.reason
    return reason.status if isinstance(reason, Message) and reason.status else 409

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
from caseflow.domain.errors import CaseflowError, Message, NotFoundError
from caseflow.domain.values import CaseKind, FocusArea, MeetingBody, Stance, Step
from web.context import (
    acting_seats,
    actor,
    caseflow,
    read,
    reads_everything,
    user_id,
)
from web.forms import Errors, Form, submit
from web.labels import STEP, label
from web.queries import case_filter, region_names, visible_cases
from web.schemas import STEP_SCHEMAS, CaseQuerySchema, ProposeSchema

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
    return render_template(
        "cases/case.html",
        case=view,
        events=history.events,
        meetings=_meetings_of(view),
        my_advice=[a for a in view.advice_history if a.person_id == user_id()],
        regions=region_names(app),
    )


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
        return {"case_officer": str(user_id())}
    if step is Step.REQUEST_ADVICE:
        return {
            "deadline": (date.today() + timedelta(days=14)).isoformat(),
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

    def page(form: Form, errors: Errors | None) -> str:
        return render_template(
            "cases/step.html",
            case=view,
            step=the_step,
            option=option,
            form=form,
            errors=errors,
            regions=region_names(app),
            **_step_context(view, the_step),
        )

    def refused(e: CaseflowError, form: Form) -> None:
        nonlocal view
        if e.code == "stale_version":
            view = app.get_case(user_id(), ref)
            form["expected_version"] = view.version

    def take(data: dict[str, Any]) -> CaseView:
        expected = data.pop("expected_version", None)
        return app.take_step(user_id(), view.id, the_step, data, expected)

    if request.method == "POST":
        return submit(
            schema_class,
            take,
            page=page,
            done=lambda result: _(
                "%(step)s: done. The case is now “%(status)s”.",
                step=STEP[the_step.value],
                status=label("status", result.status),
            ),
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

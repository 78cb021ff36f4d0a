"""Meeting pages: the list with the next board meeting's deadlines (R16), each meeting's
agenda, invitation status, invitees and attachments, the secretariat's forms (schedule,
add items, put a case on the list, order the waiting agenda, send the invitation, which
numbers it, add supplementary items and send the supplementary invitation, postpone or
withdraw an item, cancel the meeting, upload a file, mark held, record and approve
minutes), the invitation pack (HTML and PDF), the yearly plan (R20) and iCalendar feeds.
Every form carries the meeting's version (``expected_version``): a page gone stale is
refused with 409 instead of changing a meeting the reader did not see.

Every route needs a login; reading shows only meetings the person may see (404 otherwise);
every change is checked again by the application (only the secretariat, 403 otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import Schema

from caseflow.domain import clock
from caseflow.domain.errors import InvalidInput, NotPermitted
from caseflow.domain.meeting import AttachmentKind
from caseflow.domain.values import MeetingBody
from caseflow.readmodels.api import CaseFilter
from web.calendars import calendar_words, feed_name
from web.context import caseflow, read
from web.forms import Errors, Form, submit
from web.presentation.calendar import meetings_calendar
from web.presentation.pack import (
    PdfUnavailable,
    build_pack,
    render_pack_html,
    render_pack_pdf,
    render_pack_zip,
)
from web.presentation.pack_zip import pack_name
from web.schemas_meetings import (
    AgendaItemFormSchema,
    AttachmentFormSchema,
    ButtonFormSchema,
    CancelFormSchema,
    ItemReasonFormSchema,
    MoveItemFormSchema,
    PlaceCaseFormSchema,
    ScheduleFormSchema,
    StandardItemsFormSchema,
)

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

CLOSED = ("declined", "withdrawn", "decided")
#: Cases that wait for a board meeting (the queue, kølista): ready, or postponed.
WAITING = ("ready", "postponed")


def _me() -> UUID:
    return UUID(current_user.id)


def _secretariat() -> bool:
    return "secretariat" in getattr(current_user, "system_roles", [])


# -- reading --------------------------------------------------------------------------------


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    return render_template("meetings/list.html", **_list_page())


def _list_page(form: Form | None = None, errors: Errors | None = None) -> dict[str, Any]:
    """The list page's context; ``form`` and ``errors`` are a refused schedule form's."""
    app = caseflow()
    body = request.args.get("body") or None
    # One year when asked for; else this year and what is planned after it: the page
    # costs the meetings shown and their agendas, not the whole history.
    year = request.args.get("year", type=int)
    if body is not None and body not in {b.value for b in MeetingBody}:
        body = None
    since = None if year else clock.now().year
    meetings = app.list_meetings(_me(), body=body, year=year, from_year=since)
    return {
        "meetings": meetings,
        "bodies": [b.value for b in MeetingBody],
        "body": body,
        "year": year,
        "this_year": clock.now().year,
        "deadlines": app.board_deadlines() if _secretariat() else None,
        "may_manage": _secretariat(),
        "groups": app.list_groups() if _secretariat() else [],
        "form": form if form is not None else {"place": "Oslo rådhus"},
        "errors": errors,
    }


@bp.route("/plan/<int:year>")
@login_required
def plan(year: int) -> ResponseReturnValue:
    app = caseflow()
    visible = {m.id for m in app.list_meetings(_me(), year=year)}
    yearly = app.yearly_plan(year)
    return render_template(
        "meetings/plan.html",
        plan=yearly,
        entries=[e for e in yearly.entries if e.meeting_id in visible],
        visible=visible,
    )


@bp.route("/<uuid:meeting_id>")
@login_required
def show(meeting_id: UUID) -> ResponseReturnValue:
    return render_template("meetings/meeting.html", **_meeting_page(meeting_id))


def _meeting_page(
    meeting_id: UUID, form_name: str = "", form: Form | None = None, errors: Errors | None = None
) -> dict[str, Any]:
    """The meeting page's context; ``form_name``, ``form`` and ``errors`` are a refused
    form's (its fields keep what was typed, its errors stand beside them)."""
    app = caseflow()
    meeting = app.get_meeting(meeting_id, viewer=_me())
    manage = _secretariat()
    cases: list[Any] = []
    if manage and not meeting.held and meeting.status != "cancelled":
        on_agenda = {i.case_id for i in meeting.agenda if not (i.postponed or i.withdrawn)}
        rows = read().cases(CaseFilter(sort="reference", per_page=500)).items
        board = meeting.body == MeetingBody.BOARD.value
        cases = [
            r
            for r in rows
            if r.id not in on_agenda and (r.status in WAITING if board else r.status not in CLOSED)
        ]
    return {
        "m": meeting,
        "may_manage": manage,
        "cases": cases,
        "names": {p: app.person_name(p) for p in meeting.recipients},
        "form_name": form_name,
        "form": form or {},
        "errors": errors,
    }


@bp.route("/<uuid:meeting_id>/attachments/<sha256>")
@login_required
def attachment(meeting_id: UUID, sha256: str) -> ResponseReturnValue:
    meta, data = caseflow().attachment_file(_me(), meeting_id, sha256)
    response = Response(data, mimetype=meta.media_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quote(meta.filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["ETag"] = f'"{meta.sha256}"'
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@bp.route("/<uuid:meeting_id>/pack")
@login_required
def pack(meeting_id: UUID) -> ResponseReturnValue:
    built = build_pack(caseflow(), meeting_id, viewer=_me())
    return render_pack_html(
        built,
        attachment_url=lambda sha: url_for(".attachment", meeting_id=meeting_id, sha256=sha),
        css_href=url_for("static", filename="pack.css"),
        document_url=lambda f: url_for(
            "documents.download", ref=f.case_reference, document_id=f.document_id, number=f.version
        ),
    )


def _pack_pdf(meeting_id: UUID) -> tuple[Any, bytes]:
    built = build_pack(caseflow(), meeting_id, viewer=_me())
    try:
        return built, render_pack_pdf(built)
    except PdfUnavailable as e:
        abort(503, str(e))


@bp.route("/<uuid:meeting_id>/pack.pdf")
@login_required
def pack_pdf(meeting_id: UUID) -> ResponseReturnValue:
    built, pdf = _pack_pdf(meeting_id)
    response = Response(pdf, mimetype="application/pdf")
    name = pack_name(built, ".pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.route("/<uuid:meeting_id>/pack.zip")
@login_required
def pack_zip(meeting_id: UUID) -> ResponseReturnValue:
    """The whole pack: the PDF, every document, the attached minutes, SHA256SUMS."""
    built, pdf = _pack_pdf(meeting_id)
    response = Response(render_pack_zip(built, pdf), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{pack_name(built, ".zip")}"'
    return response


def _ics(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


@bp.route("/calendar/mine.ics")
@login_required
def my_calendar() -> ResponseReturnValue:
    meetings = caseflow().meetings_for_person(_me())
    url = request.url_root.rstrip("/") + "/meetings/{id}"
    return _ics(meetings_calendar(meetings, _("My meetings"), calendar_words(), url), "mine")


@bp.route("/calendar/<body>.ics")
@login_required
def body_calendar(body: str) -> ResponseReturnValue:
    if body not in {b.value for b in MeetingBody}:
        abort(404)
    meetings = caseflow().list_meetings(_me(), body=body)
    url = request.url_root.rstrip("/") + "/meetings/{id}"
    return _ics(meetings_calendar(meetings, feed_name(body), calendar_words(), url), body)


# -- the secretariat's forms ---------------------------------------------------------------


def _change(
    meeting_id: UUID | None,
    form_name: str,
    schema_class: type[Schema],
    command: Callable[[dict[str, Any]], Any],
    done: str,
) -> Any:
    """Submit one of the secretariat's forms (:func:`web.forms.submit`): a refusal shows
    the page again with the errors beside the fields, success goes back to the meeting.
    A refusal for lack of permission stays the 403 error page."""

    def page(form: Form, errors: Errors) -> str:
        if meeting_id is None:
            return render_template("meetings/list.html", **_list_page(form, errors))
        context = _meeting_page(meeting_id, form_name, form, errors)
        return render_template("meetings/meeting.html", **context)

    return submit(
        schema_class,
        command,
        page=page,
        done=lambda _result: done,
        target=lambda result: url_for("meetings.show", meeting_id=meeting_id or result.id),
        code=303,
        reraise=(NotPermitted,),
    )


@bp.route("/", methods=["POST"])
@login_required
def schedule() -> ResponseReturnValue:
    return _change(
        None,
        "schedule",
        ScheduleFormSchema,
        lambda data: caseflow().schedule_meeting(
            _me(),
            MeetingBody(data["body"]),
            data["starts_at"],
            place=data["place"],
            title=data["title"] or None,
            group_id=data["group_id"],
            ends_at=data["ends_at"],
            digital=data["digital"],
        ),
        _("Meeting scheduled"),
    )


@bp.route("/<uuid:meeting_id>/items", methods=["POST"])
@login_required
def add_item(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "item",
        AgendaItemFormSchema,
        lambda data: caseflow().add_standing_item(
            _me(), meeting_id, data["title"], expected_version=data["expected_version"]
        ),
        _("Item added"),
    )


@bp.route("/<uuid:meeting_id>/standard-items", methods=["POST"])
@login_required
def standard_items(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "standard",
        StandardItemsFormSchema,
        lambda data: caseflow().add_standard_items(
            _me(), meeting_id, data["part"], expected_version=data["expected_version"]
        ),
        _("Standing items added"),
    )


@bp.route("/<uuid:meeting_id>/cases", methods=["POST"])
@login_required
def place_case(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "case",
        PlaceCaseFormSchema,
        lambda data: caseflow().add_case_to_meeting(
            _me(), meeting_id, data["case"], expected_version=data["expected_version"]
        ),
        _("Case placed on the agenda"),
    )


@bp.route("/<uuid:meeting_id>/invitation", methods=["POST"])
@login_required
def send_invitation(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "invitation",
        ButtonFormSchema,
        lambda data: caseflow().send_invitation(
            _me(), meeting_id, expected_version=data["expected_version"]
        ),
        _("Invitation sent"),
    )


@bp.route("/<uuid:meeting_id>/attachments", methods=["POST"])
@login_required
def upload(meeting_id: UUID) -> ResponseReturnValue:
    def command(data: dict[str, Any]) -> Any:
        upload_file = data["file"]
        content = upload_file.read()
        if data["kind"] == AttachmentKind.MINUTES.value:
            return caseflow().record_minutes(
                _me(),
                meeting_id,
                upload_file.filename,
                content,
                expected_version=data["expected_version"],
            )
        return caseflow().add_attachment(
            _me(),
            meeting_id,
            upload_file.filename,
            content,
            title=data["title"],
            item_number=data["item_number"],
            expected_version=data["expected_version"],
        )

    return _change(meeting_id, "upload", AttachmentFormSchema, command, _("File attached"))


@bp.route("/<uuid:meeting_id>/held", methods=["POST"])
@login_required
def mark_held(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "held",
        ButtonFormSchema,
        lambda data: caseflow().mark_held(
            _me(), meeting_id, expected_version=data["expected_version"]
        ),
        _("Marked as held"),
    )


@bp.route("/<uuid:meeting_id>/minutes/approve", methods=["POST"])
@login_required
def approve_minutes(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "approve",
        ButtonFormSchema,
        lambda data: caseflow().approve_minutes(
            _me(), meeting_id, expected_version=data["expected_version"]
        ),
        _("Minutes approved"),
    )


# -- the agenda's lifecycle (issue 14) ------------------------------------------------------


def move_offset(direction: str | None) -> int:
    """-1 for up, +1 for down; neither a place nor a direction is refused on ``position``."""
    if direction is None:
        raise InvalidInput.field("position", "give a place (1 = first) or a direction")
    return -1 if direction == "up" else 1


@bp.route("/<uuid:meeting_id>/items/move", methods=["POST"])
@login_required
def move_item(meeting_id: UUID) -> ResponseReturnValue:
    def command(data: dict[str, Any]) -> Any:
        version = data["expected_version"]
        if data["position"] is not None:
            return caseflow().move_item(
                _me(), meeting_id, data["item"], data["position"], expected_version=version
            )
        return caseflow().move_item_by(
            _me(),
            meeting_id,
            data["item"],
            move_offset(data["direction"]),
            expected_version=version,
        )

    return _change(meeting_id, "move", MoveItemFormSchema, command, _("Item moved"))


@bp.route("/<uuid:meeting_id>/supplementary-invitation", methods=["POST"])
@login_required
def send_supplementary_invitation(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "supplement",
        ButtonFormSchema,
        lambda data: caseflow().send_supplementary_invitation(
            _me(), meeting_id, expected_version=data["expected_version"]
        ),
        _("Supplementary invitation sent"),
    )


@bp.route("/<uuid:meeting_id>/items/postpone", methods=["POST"])
@login_required
def postpone_item(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "postpone",
        ItemReasonFormSchema,
        lambda data: caseflow().postpone_item(
            _me(),
            meeting_id,
            data["item"],
            data["reason"],
            expected_version=data["expected_version"],
        ),
        _("Item postponed"),
    )


@bp.route("/<uuid:meeting_id>/items/withdraw", methods=["POST"])
@login_required
def withdraw_item(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "withdraw",
        ItemReasonFormSchema,
        lambda data: caseflow().withdraw_item(
            _me(),
            meeting_id,
            data["item"],
            data["reason"],
            expected_version=data["expected_version"],
        ),
        _("Item withdrawn"),
    )


@bp.route("/<uuid:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "cancel",
        CancelFormSchema,
        lambda data: caseflow().cancel_meeting(
            _me(), meeting_id, data["reason"], expected_version=data["expected_version"]
        ),
        _("Meeting cancelled"),
    )


from web import meetings_minutes  # noqa: E402, F401  (the minutes' routes on this blueprint)

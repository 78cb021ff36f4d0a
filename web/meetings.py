"""Meeting pages: the list with the next board meeting's deadlines (R16), each meeting's
agenda, invitation status, invitees and attachments, the secretariat's forms (schedule,
add items, place a case, send the invitation, upload a file, mark held, record and approve
minutes), the invitation pack (HTML and PDF), the yearly plan (R20) and iCalendar feeds.

Every route needs a login; reading shows only meetings the person may see (404 otherwise);
every change is checked again by the application (only the secretariat, 403 otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow.domain import clock
from caseflow.domain.errors import CaseflowError, InvalidInput, NotPermitted
from caseflow.domain.meeting import AttachmentKind
from caseflow.domain.values import MeetingBody
from caseflow.readmodels.api import CaseFilter
from web.context import caseflow, read
from web.i18n import translate
from web.presentation.calendar import meetings_calendar
from web.presentation.pack import PdfUnavailable, build_pack, render_pack_html, render_pack_pdf

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

OSLO = ZoneInfo("Europe/Oslo")
CLOSED = ("declined", "withdrawn", "decided")


def _me() -> UUID:
    return UUID(current_user.id)


def _secretariat() -> bool:
    return "secretariat" in getattr(current_user, "system_roles", [])


def _change(meeting_id: UUID | None, command: Callable[[], Any], done: str) -> Any:
    """Run a secretariat command from a form: flash the outcome and go back to the
    meeting (or the list). A refusal for lack of permission stays a 403."""
    try:
        result = command()
    except NotPermitted:
        raise
    except CaseflowError as e:
        message = translate(e.message)  # in the user's language, e.g. a refused date
        if e.rule and not message.startswith(e.rule):
            message = f"{e.rule}: {message}"
        flash(f"{_('Not done')}: {message}", "error")
    else:
        flash(done, "success")
        if meeting_id is None and hasattr(result, "id"):
            meeting_id = result.id
    target = url_for("meetings.show", meeting_id=meeting_id) if meeting_id else url_for(".index")
    return redirect(target, code=303)


def _local(text: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput.field(field, "a date and time such as 2026-02-10T12:00") from None
    return value if value.tzinfo else value.replace(tzinfo=OSLO)


# -- reading --------------------------------------------------------------------------------


@bp.route("/")
@login_required
def index() -> Any:
    app = caseflow()
    body = request.args.get("body") or None
    # One year when asked for; else this year and what is planned after it: the page
    # costs the meetings shown and their agendas, not the whole history.
    year = request.args.get("year", type=int)
    if body is not None and body not in {b.value for b in MeetingBody}:
        body = None
    since = None if year else clock.now().year
    meetings = app.list_meetings(_me(), body=body, year=year, from_year=since)
    return render_template(
        "meetings/list.html",
        meetings=meetings,
        bodies=[b.value for b in MeetingBody],
        body=body,
        year=year,
        this_year=clock.now().year,
        deadlines=app.board_deadlines() if _secretariat() else None,
        may_manage=_secretariat(),
        groups=app.list_groups() if _secretariat() else [],
    )


@bp.route("/plan/<int:year>")
@login_required
def plan(year: int) -> Any:
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
def show(meeting_id: UUID) -> Any:
    app = caseflow()
    meeting = app.get_meeting(meeting_id, viewer=_me())
    manage = _secretariat()
    cases: list[Any] = []
    if manage and meeting.body != MeetingBody.BOARD.value and not meeting.held:
        on_agenda = {i.case_id for i in meeting.agenda}
        rows = read().cases(CaseFilter(sort="reference", per_page=500)).items
        cases = [r for r in rows if r.id not in on_agenda and r.status not in CLOSED]
    return render_template(
        "meetings/meeting.html",
        m=meeting,
        may_manage=manage,
        cases=cases,
        names={p: app.person_name(p) for p in meeting.recipients},
    )


@bp.route("/<uuid:meeting_id>/attachments/<sha256>")
@login_required
def attachment(meeting_id: UUID, sha256: str) -> Any:
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
def pack(meeting_id: UUID) -> Any:
    built = build_pack(caseflow(), meeting_id, viewer=_me())
    return render_pack_html(
        built,
        attachment_url=lambda sha: url_for(".attachment", meeting_id=meeting_id, sha256=sha),
    )


@bp.route("/<uuid:meeting_id>/pack.pdf")
@login_required
def pack_pdf(meeting_id: UUID) -> Any:
    built = build_pack(caseflow(), meeting_id, viewer=_me())
    try:
        pdf = render_pack_pdf(built)
    except PdfUnavailable as e:
        abort(503, str(e))
    response = Response(pdf, mimetype="application/pdf")
    name = f"innkalling-{built.meeting.starts_at:%Y-%m-%d}-{built.meeting.body}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _ics(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


@bp.route("/calendar/mine.ics")
@login_required
def my_calendar() -> Any:
    meetings = caseflow().meetings_for_person(_me())
    url = request.url_root.rstrip("/") + "/meetings/{id}"
    return _ics(meetings_calendar(meetings, _("My meetings"), url), "mine")


@bp.route("/calendar/<body>.ics")
@login_required
def body_calendar(body: str) -> Any:
    if body not in {b.value for b in MeetingBody}:
        abort(404)
    meetings = caseflow().list_meetings(_me(), body=body)
    url = request.url_root.rstrip("/") + "/meetings/{id}"
    return _ics(meetings_calendar(meetings, f"Caseflow: {body}", url), body)


# -- the secretariat's forms ---------------------------------------------------------------


@bp.route("/", methods=["POST"])
@login_required
def schedule() -> Any:
    form = request.form

    def command() -> Any:
        starts_at = _local(form.get("starts_at", ""), "starts_at")
        ends_text = form.get("ends_at", "").strip()
        group = form.get("group_id", "").strip()
        return caseflow().schedule_meeting(
            _me(),
            form.get("body", ""),
            starts_at,
            place=form.get("place", ""),
            title=form.get("title", "").strip() or None,
            group_id=UUID(group) if group else None,
            ends_at=_local(ends_text, "ends_at") if ends_text else None,
            digital=form.get("digital") == "on",
        )

    return _change(None, command, _("Meeting scheduled"))


@bp.route("/<uuid:meeting_id>/items", methods=["POST"])
@login_required
def add_item(meeting_id: UUID) -> Any:
    title = request.form.get("title", "")
    return _change(
        meeting_id,
        lambda: caseflow().add_standing_item(_me(), meeting_id, title),
        _("Item added"),
    )


@bp.route("/<uuid:meeting_id>/standard-items", methods=["POST"])
@login_required
def standard_items(meeting_id: UUID) -> Any:
    part = request.form.get("part", "opening")
    return _change(
        meeting_id,
        lambda: caseflow().add_standard_items(_me(), meeting_id, part),
        _("Standing items added"),
    )


@bp.route("/<uuid:meeting_id>/cases", methods=["POST"])
@login_required
def place_case(meeting_id: UUID) -> Any:
    case = request.form.get("case", "").strip()
    return _change(
        meeting_id,
        lambda: caseflow().place_case_on_agenda(_me(), meeting_id, case),
        _("Case placed on the agenda"),
    )


@bp.route("/<uuid:meeting_id>/invitation", methods=["POST"])
@login_required
def send_invitation(meeting_id: UUID) -> Any:
    return _change(
        meeting_id,
        lambda: caseflow().send_invitation(_me(), meeting_id),
        _("Invitation sent"),
    )


@bp.route("/<uuid:meeting_id>/attachments", methods=["POST"])
@login_required
def upload(meeting_id: UUID) -> Any:
    upload_file = request.files.get("file")
    kind = request.form.get("kind", AttachmentKind.DOCUMENT.value)
    item = request.form.get("item_number", "").strip()
    title = request.form.get("title", "")

    def command() -> Any:
        if upload_file is None or not upload_file.filename:
            raise InvalidInput.field("file", "choose a file")
        data = upload_file.read()
        if kind == AttachmentKind.MINUTES.value:
            return caseflow().record_minutes(_me(), meeting_id, upload_file.filename, data)
        return caseflow().add_attachment(
            _me(),
            meeting_id,
            upload_file.filename,
            data,
            title=title,
            item_number=int(item) if item.isdigit() else None,
        )

    return _change(meeting_id, command, _("File attached"))


@bp.route("/<uuid:meeting_id>/held", methods=["POST"])
@login_required
def mark_held(meeting_id: UUID) -> Any:
    return _change(meeting_id, lambda: caseflow().mark_held(_me(), meeting_id), _("Marked as held"))


@bp.route("/<uuid:meeting_id>/minutes/approve", methods=["POST"])
@login_required
def approve_minutes(meeting_id: UUID) -> Any:
    return _change(
        meeting_id,
        lambda: caseflow().approve_minutes(_me(), meeting_id),
        _("Minutes approved"),
    )

"""The minutes (protokoll) of a held meeting on the meeting pages (issue 14): the
secretariat records the attendance and each item's decision (vedtak) — a decision on a
board case's item is that case's *decision* step, in the same save — and
``/meetings/<id>/protokoll`` shows the minutes as a page to print. Registered on the
meetings blueprint (``web/meetings.py`` imports this module)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import fields

from web.context import caseflow
from web.meetings import _change, _me, bp
from web.presentation.pack import PdfUnavailable
from web.presentation.protokoll import protokoll_name, render_protokoll_pdf
from web.schemas import Text
from web.schemas_meetings import VersionedSchema


class AttendanceFormSchema(VersionedSchema):
    """Who was present (checked); the other recipients and invitees were absent."""

    present = fields.List(fields.UUID(), load_default=list)


class DecisionFormSchema(VersionedSchema):
    item = Text(required=True, max_length=40)
    decision = Text(required=True, max_length=20000)


@bp.route("/<uuid:meeting_id>/protokoll")
@login_required
def protokoll(meeting_id: UUID) -> ResponseReturnValue:
    app = caseflow()
    meeting = app.get_meeting(meeting_id, viewer=_me())
    people = [*meeting.present, *meeting.absent]
    return render_template(
        "meetings/protokoll.html",
        m=meeting,
        names={p: app.person_name(p) for p in people},
    )


def protokoll_pdf_bytes(meeting_id: UUID, viewer: UUID | None) -> tuple[Any, bytes]:
    """The meeting as ``viewer`` may see it and its protokoll as PDF (503 without
    WeasyPrint); shared by the page's and the API's download."""
    app = caseflow()
    meeting = app.get_meeting(meeting_id, viewer=viewer)
    names = {p: app.person_name(p) for p in [*meeting.present, *meeting.absent]}
    try:
        return meeting, render_protokoll_pdf(meeting, names)
    except PdfUnavailable as e:
        abort(503, str(e))


def pdf_response(meeting: Any, pdf: bytes) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    name = protokoll_name(meeting)
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.route("/<uuid:meeting_id>/protokoll.pdf")
@login_required
def protokoll_pdf(meeting_id: UUID) -> ResponseReturnValue:
    """The protokoll as PDF (WeasyPrint, like the pack): Oslo times, the attendance,
    each item's number, title, marks and decision."""
    return pdf_response(*protokoll_pdf_bytes(meeting_id, _me()))


@bp.route("/<uuid:meeting_id>/attendance", methods=["POST"])
@login_required
def record_attendance(meeting_id: UUID) -> ResponseReturnValue:
    def command(data: dict[str, Any]) -> Any:
        app = caseflow()
        meeting = app.get_meeting(meeting_id, viewer=_me())
        expected = list(
            dict.fromkeys([*meeting.recipients, *(i.person_id for i in meeting.invitees)])
        )
        present = [p for p in data["present"] if p in expected]
        absent = [p for p in expected if p not in present]
        return app.record_attendance(
            _me(), meeting_id, present, absent, expected_version=data["expected_version"]
        )

    return _change(
        meeting_id, "attendance", AttendanceFormSchema, command, _("Attendance recorded")
    )


@bp.route("/<uuid:meeting_id>/items/decision", methods=["POST"])
@login_required
def record_decision(meeting_id: UUID) -> ResponseReturnValue:
    return _change(
        meeting_id,
        "decision",
        DecisionFormSchema,
        lambda data: caseflow().record_item_decision(
            _me(),
            meeting_id,
            data["item"],
            data["decision"],
            expected_version=data["expected_version"],
        ),
        _("Decision recorded"),
    )

"""The minutes (protokoll) of a held meeting on the meeting pages (issue 14): the
secretariat records the attendance and each item's decision (vedtak) — a decision on a
board case's item is that case's *decision* step, in the same save — and
``/meetings/<id>/protokoll`` shows the minutes as a page to print. Registered on the
meetings blueprint (``web/meetings.py`` imports this module)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import fields

from web.context import caseflow
from web.meetings import _change, _me, bp
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

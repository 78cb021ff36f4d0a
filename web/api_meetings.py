"""The JSON API's meeting operations beyond reading and scheduling (issue 14), on the
``/api/v1`` blueprint, with the pages' and the CLI's checks (the application's): every
change names the meeting's ``expected_version`` (optional; a stale one is 409), only the
secretariat changes meetings (403), and refusals carry their rule or field.

- ``POST /meetings/{id}/items`` — a standing item (``title``);
- ``POST /meetings/{id}/standard-items`` — the body's standard items (``part``);
- ``POST /meetings/{id}/cases`` — a case on the list (``case``: reference or id; a board
  meeting takes it by submission, R1/R2); after the invitation a supplementary item;
- ``POST /meetings/{id}/items/{key}/move`` — ``position`` (1 = first) or ``direction``
  (``up``/``down``; neither: 422 on ``position``);
- ``POST /meetings/{id}/invitation`` — the invitation, numbering the agenda;
- ``POST /meetings/{id}/supplementary-invitation`` — for the supplementary items;
- ``POST /meetings/{id}/items/{key}/postpone`` and ``…/withdraw`` — ``reason``;
- ``POST /meetings/{id}/cancel`` — ``reason``; ``POST /meetings/{id}/held``;
- ``POST /meetings/{id}/attendance`` — ``present``, ``absent`` (person ids), and
  ``POST /meetings/{id}/items/{key}/decision`` — ``decision``: the minutes (protokoll).

Each answers with the meeting as ``GET /meetings/{id}`` reads it, its items' keys and
marks (``supplementary``, ``postponed``, ``withdrawn``) and supplementary invitations
included (``web.schemas_out.MeetingSchema``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import Response
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields, validate

from caseflow.application.views import MeetingView
from caseflow.domain.meeting_files import AttachmentKind
from web.api import api, body, dump
from web.context import after_write, caseflow, user_id
from web.forms import form_input
from web.meetings import move_offset
from web.meetings_minutes import pdf_response, protokoll_pdf_bytes
from web.schemas import InputSchema, Text, one_of
from web.schemas_meetings import AttachmentFormSchema
from web.schemas_out import MeetingSchema

TAGS = ["meetings"]
CHANGE_ERRORS = (401, 403, 404, 409)


#: The answer of every change: the meeting as ``GET /meetings/{id}`` reads it.
LifecycleMeetingSchema = MeetingSchema


class VersionedBodySchema(InputSchema):
    expected_version = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1)
    )


class ItemBodySchema(VersionedBodySchema):
    title = Text(required=True, max_length=300)


class StandardItemsBodySchema(VersionedBodySchema):
    part = fields.String(load_default="opening", validate=one_of(["opening", "closing", "all"]))


class CaseBodySchema(VersionedBodySchema):
    case = Text(required=True, max_length=100)


class MoveBodySchema(VersionedBodySchema):
    position = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=10000)
    )
    direction = fields.String(load_default=None, allow_none=True, validate=one_of(["up", "down"]))


class ReasonBodySchema(VersionedBodySchema):
    reason = Text(required=True, max_length=2000)


def _change(
    schema: type[Schema], command: Callable[[dict[str, Any]], MeetingView]
) -> ResponseReturnValue:
    data = schema().load(body())
    view = command(data)
    after_write()
    return dump(LifecycleMeetingSchema, caseflow().get_meeting(view.id, viewer=user_id()))


def _op(path: str, summary: str, schema: type[Schema]) -> Callable[[Any], Any]:
    return api(
        path,
        "POST",
        summary=summary,
        body=schema,
        response=LifecycleMeetingSchema,
        errors=CHANGE_ERRORS,
        tags=TAGS,
    )


@_op(
    "/meetings/<uuid:id>/items",
    "Add a standing item (supplementary after the invitation)",
    ItemBodySchema,
)
def add_item(id: UUID) -> ResponseReturnValue:
    return _change(
        ItemBodySchema,
        lambda d: caseflow().add_standing_item(
            user_id(), id, d["title"], expected_version=d["expected_version"]
        ),
    )


@_op(
    "/meetings/<uuid:id>/standard-items",
    "Add the body's standard standing items",
    StandardItemsBodySchema,
)
def add_standard_items(id: UUID) -> ResponseReturnValue:
    return _change(
        StandardItemsBodySchema,
        lambda d: caseflow().add_standard_items(
            user_id(), id, d["part"], expected_version=d["expected_version"]
        ),
    )


@_op(
    "/meetings/<uuid:id>/cases",
    "Put a case on the meeting's list (board: submit, R1/R2)",
    CaseBodySchema,
)
def add_case(id: UUID) -> ResponseReturnValue:
    return _change(
        CaseBodySchema,
        lambda d: caseflow().add_case_to_meeting(
            user_id(), id, d["case"], expected_version=d["expected_version"]
        ),
    )


@_op(
    "/meetings/<uuid:id>/items/<key>/move", "Order the waiting agenda: move an item", MoveBodySchema
)
def move_item(id: UUID, key: str) -> ResponseReturnValue:
    def command(d: dict[str, Any]) -> MeetingView:
        version = d["expected_version"]
        if d["position"] is not None:  # a place wins over a direction
            return caseflow().move_item(user_id(), id, key, d["position"], expected_version=version)
        return caseflow().move_item_by(
            user_id(), id, key, move_offset(d["direction"]), expected_version=version
        )

    return _change(MoveBodySchema, command)


@_op(
    "/meetings/<uuid:id>/invitation",
    "Send the invitation: numbers the agenda in printed "
    "order, records the recipients, attaches R14/R15 minutes",
    VersionedBodySchema,
)
def send_invitation(id: UUID) -> ResponseReturnValue:
    return _change(
        VersionedBodySchema,
        lambda d: caseflow().send_invitation(user_id(), id, expected_version=d["expected_version"]),
    )


@_op(
    "/meetings/<uuid:id>/supplementary-invitation",
    "Send the supplementary invitation for the supplementary items added since the last one",
    VersionedBodySchema,
)
def send_supplementary_invitation(id: UUID) -> ResponseReturnValue:
    return _change(
        VersionedBodySchema,
        lambda d: caseflow().send_supplementary_invitation(
            user_id(), id, expected_version=d["expected_version"]
        ),
    )


@_op(
    "/meetings/<uuid:id>/items/<key>/postpone",
    "Postpone an item (kept with its number, marked; its case waits for a later meeting)",
    ReasonBodySchema,
)
def postpone_item(id: UUID, key: str) -> ResponseReturnValue:
    return _change(
        ReasonBodySchema,
        lambda d: caseflow().postpone_item(
            user_id(), id, key, d["reason"], expected_version=d["expected_version"]
        ),
    )


@_op(
    "/meetings/<uuid:id>/items/<key>/withdraw",
    "Withdraw an item from the agenda (kept with its number, marked; its case waits again)",
    ReasonBodySchema,
)
def withdraw_item(id: UUID, key: str) -> ResponseReturnValue:
    return _change(
        ReasonBodySchema,
        lambda d: caseflow().withdraw_item(
            user_id(), id, key, d["reason"], expected_version=d["expected_version"]
        ),
    )


@_op(
    "/meetings/<uuid:id>/cancel",
    "Cancel a meeting not yet held (its cases wait again)",
    ReasonBodySchema,
)
def cancel(id: UUID) -> ResponseReturnValue:
    return _change(
        ReasonBodySchema,
        lambda d: caseflow().cancel_meeting(
            user_id(), id, d["reason"], expected_version=d["expected_version"]
        ),
    )


@_op("/meetings/<uuid:id>/held", "Mark the meeting as held", VersionedBodySchema)
def mark_held(id: UUID) -> ResponseReturnValue:
    return _change(
        VersionedBodySchema,
        lambda d: caseflow().mark_held(user_id(), id, expected_version=d["expected_version"]),
    )


@_op(
    "/meetings/<uuid:id>/minutes/approve",
    "Approve the minutes: the uploaded referat, else the generated protokoll PDF (stored)",
    VersionedBodySchema,
)
def approve_minutes(id: UUID) -> ResponseReturnValue:
    return _change(
        VersionedBodySchema,
        lambda d: caseflow().approve_minutes(user_id(), id, expected_version=d["expected_version"]),
    )


class AttendanceBodySchema(VersionedBodySchema):
    present = fields.List(fields.UUID(), load_default=list)
    absent = fields.List(fields.UUID(), load_default=list)


class DecisionBodySchema(VersionedBodySchema):
    decision = Text(required=True, max_length=20000)


@_op(
    "/meetings/<uuid:id>/attendance",
    "The minutes' attendance of a held meeting (who was present, who absent)",
    AttendanceBodySchema,
)
def record_attendance(id: UUID) -> ResponseReturnValue:
    return _change(
        AttendanceBodySchema,
        lambda d: caseflow().record_attendance(
            user_id(), id, d["present"], d["absent"], expected_version=d["expected_version"]
        ),
    )


@_op(
    "/meetings/<uuid:id>/items/<key>/decision",
    "The minutes' decision (vedtak) on an item; on a board case it is the case's decision",
    DecisionBodySchema,
)
def record_decision(id: UUID, key: str) -> ResponseReturnValue:
    return _change(
        DecisionBodySchema,
        lambda d: caseflow().record_item_decision(
            user_id(), id, key, d["decision"], expected_version=d["expected_version"]
        ),
    )


@api(
    "/meetings/<uuid:id>/protokoll.pdf",
    "GET",
    summary="The minutes (protokoll) as PDF: attendance, each item's number, marks, decision",
    response=None,
    errors=(401, 404),
    tags=TAGS,
)
def protokoll_pdf(id: UUID) -> ResponseReturnValue:
    return pdf_response(*protokoll_pdf_bytes(id, user_id()))


@api(
    "/meetings/<uuid:id>/attachments",
    "POST",
    summary="Attach a file (multipart/form-data: file, kind document|minutes, title, "
    "item_number, expected_version): a document for the meeting or a numbered item, or the "
    "minutes of a held meeting",
    form=AttachmentFormSchema,
    response=LifecycleMeetingSchema,
    status=201,
    errors=CHANGE_ERRORS,
    tags=TAGS,
)
def attach(id: UUID) -> ResponseReturnValue:
    app = caseflow()
    app.get_meeting(id, viewer=user_id())  # 404 before anything else
    data = AttachmentFormSchema().load(form_input(AttachmentFormSchema))
    upload, version = data["file"], data["expected_version"]
    if data["kind"] == AttachmentKind.MINUTES.value:
        app.record_minutes(user_id(), id, upload.filename, upload.read(), expected_version=version)
    else:
        app.add_attachment(
            user_id(),
            id,
            upload.filename,
            upload.read(),
            title=data["title"],
            item_number=data["item_number"],
            expected_version=version,
        )
    after_write()
    return dump(LifecycleMeetingSchema, app.get_meeting(id, viewer=user_id()), 201)


@api(
    "/meetings/<uuid:id>/attachments/<sha256>",
    "GET",
    summary="An attachment's file, by its SHA-256 (for those who may see the meeting and "
    "the item's case)",
    response=None,
    errors=(401, 404),
    tags=TAGS,
)
def attachment(id: UUID, sha256: str) -> ResponseReturnValue:
    meta, data = caseflow().attachment_file(user_id(), id, sha256)
    response = Response(data, mimetype=meta.media_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(meta.filename, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

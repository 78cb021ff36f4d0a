"""The JSON API of Varsler (issue 17), the same calls as the pages (web/notifications.py)
and ``caseflow notify list|choose|failed|retry``: my notifications and marking them read,
my choices per kind and language, and — the secretariat — failed messages and retry."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import BadRequest

from caseflow.notifications import KINDS, MODES, Note
from web.context import actor, user_id
from web.notifications import decide_now, inbox, reader_language
from web.openapi import api_route
from web.schemas import InputSchema

bp = Blueprint("api_notifications", __name__, url_prefix="/api/v1")


class NoteSchema(Schema):
    id = fields.String()
    kind = fields.String(metadata={"enum": ["digest", *KINDS]})
    subject = fields.String(metadata={"description": "in the caller's language"})
    state = fields.String(
        metadata={"enum": ["pending", "sent", "failed", "dead", "digest", "digested", "off"]}
    )
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    read = fields.Boolean()


class FailedSchema(NoteSchema):
    email = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)


class NoteListSchema(Schema):
    items = fields.List(fields.Nested(NoteSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class FailedListSchema(NoteListSchema):
    items = fields.List(fields.Nested(FailedSchema), required=True)


class ModesSchema(InputSchema):
    """Per kind: immediately, digest or off (kinds left out stay as they are)."""

    advice_requested = fields.String(validate=validate.OneOf(MODES))
    advice_reminder = fields.String(validate=validate.OneOf(MODES))
    advice_overdue = fields.String(validate=validate.OneOf(MODES))
    invitation = fields.String(validate=validate.OneOf(MODES))
    case_outcome = fields.String(validate=validate.OneOf(MODES))
    membership = fields.String(validate=validate.OneOf(MODES))


assert set(ModesSchema().fields) == set(KINDS)


class SettingsSchema(InputSchema):
    modes = fields.Nested(ModesSchema, load_default=dict)
    language = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(["nb", "en"])
    )


class ReadSchema(InputSchema):
    ids = fields.List(
        fields.String(),
        load_default=None,
        allow_none=True,
        metadata={"description": "omit: every notification"},
    )


class ReadAnswerSchema(Schema):
    marked = fields.Integer()


def _body() -> dict[str, Any]:
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


def _page(notes: list[Note]) -> dict[str, Any]:
    return {"items": notes, "total": len(notes), "page": 1, "per_page": max(len(notes), 1)}


@api_route(
    bp,
    "/me/notifications",
    "GET",
    summary="The caller's notifications, newest first (at most 100)",
    response=NoteListSchema,
    tags=["notifications"],
)
def my_notifications() -> ResponseReturnValue:
    decide_now()
    return jsonify(NoteListSchema().dump(_page(inbox().mine(user_id().hex, reader_language()))))


@api_route(
    bp,
    "/me/notifications/read",
    "POST",
    summary="Mark the caller's notifications read (the ids given, or all)",
    body=ReadSchema,
    response=ReadAnswerSchema,
    tags=["notifications"],
)
def mark_read() -> ResponseReturnValue:
    data = ReadSchema().load(_body())
    return jsonify({"marked": inbox().mark_read(user_id().hex, data["ids"])})


def _settings() -> dict[str, Any]:
    modes, lang = inbox().preferences(user_id().hex)
    return {"modes": modes, "language": lang}


@api_route(
    bp,
    "/me/notification-settings",
    "GET",
    summary="What the caller gets, and how: per kind immediately, digest or off; language",
    response=SettingsSchema,
    tags=["notifications"],
)
def my_settings() -> ResponseReturnValue:
    return jsonify(_settings())


@api_route(
    bp,
    "/me/notification-settings",
    "PUT",
    summary="Change what the caller gets (the kinds given) and the language",
    body=SettingsSchema,
    response=SettingsSchema,
    tags=["notifications"],
)
def change_settings() -> ResponseReturnValue:
    data = SettingsSchema().load(_body())
    inbox().choose(user_id().hex, data["modes"], data["language"])
    return jsonify(_settings())


@api_route(
    bp,
    "/notifications/failed",
    "GET",
    summary="Messages that failed or went dead (the secretariat)",
    response=FailedListSchema,
    errors=(401, 403),
    tags=["notifications"],
)
def failed() -> ResponseReturnValue:
    return jsonify(FailedListSchema().dump(_page(inbox().problems(actor(), reader_language()))))


@api_route(
    bp,
    "/notifications/<note_id>/retry",
    "POST",
    summary="Send a failed or dead message again (the secretariat)",
    response=ReadAnswerSchema,
    errors=(401, 403, 404),
    tags=["notifications"],
)
def retry(note_id: str) -> ResponseReturnValue:
    inbox().retry(actor(), note_id)
    return jsonify({"marked": 1})

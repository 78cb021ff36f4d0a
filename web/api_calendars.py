"""The caller's calendar subscriptions in the JSON API: ``GET /api/v1/me/calendars``,
``POST /api/v1/me/calendars`` (``{"body": null | "board" | …, "label": "…"}``; a body's
calendar only for the secretariat) and ``DELETE /api/v1/me/calendars/{id}``. The same
checks as ``/meg`` and ``caseflow users calendar`` (``Caseflow.create_calendar`` …).
The secret address is in the answer to ``POST`` only."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import BadRequest

from caseflow.application.calendars import MAX_LABEL
from caseflow.domain.values import MeetingBody
from web.calendars import subscription_url
from web.context import caseflow, user_id
from web.openapi import api_route
from web.schemas import InputSchema, QuerySchema

bp = Blueprint("api_calendars", __name__, url_prefix="/api/v1")


class CalendarSchema(Schema):
    """A calendar subscription without its secret."""

    id = fields.String(metadata={"description": "the subscription's id (for DELETE)"})
    body = fields.String(
        allow_none=True,
        metadata={"description": "the body whose meetings it gives; null: the caller's own"},
    )
    label = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    status = fields.String(metadata={"enum": ["active", "revoked"]})


class NewCalendarSchema(CalendarSchema):
    token = fields.String(metadata={"description": "the secret, shown this once"})
    url = fields.String(metadata={"description": "the address to subscribe to"})


class CalendarListSchema(Schema):
    items = fields.List(fields.Nested(CalendarSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class CalendarCreateSchema(InputSchema):
    body = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf([b.value for b in MeetingBody]),
        metadata={"description": "a body's meetings (the secretariat only); omit: your own"},
    )
    label = fields.String(load_default="", validate=validate.Length(max=MAX_LABEL))


class CalendarPageQuerySchema(QuerySchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


def _body() -> dict[str, Any]:
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


@api_route(
    bp,
    "/me/calendars",
    "GET",
    summary="The caller's calendar subscriptions (never the secret)",
    query=CalendarPageQuerySchema,
    response=CalendarListSchema,
    tags=["calendars"],
)
def my_calendars() -> ResponseReturnValue:
    q = CalendarPageQuerySchema().load(request.args.to_dict())
    items = caseflow().list_calendars(user_id(), user_id())
    start = (q["page"] - 1) * q["per_page"]
    page = {
        "items": items[start : start + q["per_page"]],
        "total": len(items),
        "page": q["page"],
        "per_page": q["per_page"],
    }
    return jsonify(CalendarListSchema().dump(page))


@api_route(
    bp,
    "/me/calendars",
    "POST",
    summary="A new secret calendar address (/kalender/<token>.ics) for the caller's "
    "meetings, or for one body's (the secretariat only); the secret is shown once",
    body=CalendarCreateSchema,
    response=NewCalendarSchema,
    status=201,
    errors=(401, 403),
    tags=["calendars"],
)
def create_calendar() -> ResponseReturnValue:
    data = CalendarCreateSchema().load(_body())
    made = caseflow().create_calendar(user_id(), user_id(), data["body"], data["label"])
    answer = {**asdict(made.calendar), "token": made.token, "url": subscription_url(made.token)}
    return jsonify(NewCalendarSchema().dump(answer)), 201


@api_route(
    bp,
    "/me/calendars/<calendar_id>",
    "DELETE",
    summary="Revoke one of the caller's calendar addresses: it answers 404 from now on "
    "(404 for anyone else's, 409 if already revoked)",
    response=CalendarSchema,
    errors=(401, 404, 409),
    tags=["calendars"],
)
def revoke_calendar(calendar_id: str) -> ResponseReturnValue:
    view = caseflow().revoke_calendar(user_id(), user_id(), calendar_id)
    return jsonify(CalendarSchema().dump(view))

"""``POST /api/v1/me/tokens``: the caller issues a personal API token, as on ``/meg``
(``Caseflow.issue_token`` with the caller as actor and owner; the role recorded is
``self``). The secret is in this answer only; ``GET /api/v1/me/tokens`` lists the tokens
without it and ``DELETE /api/v1/me/tokens/{id}`` revokes one (``web/api.py``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import fields, validate
from werkzeug.exceptions import BadRequest

from caseflow.application.accounts import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from caseflow.application.calendars import MAX_LABEL
from web.context import after_write, caseflow, user_id
from web.openapi import api_route
from web.schemas import InputSchema
from web.schemas_auth import TokenSchema

bp = Blueprint("api_account", __name__, url_prefix="/api/v1")


class TokenCreateSchema(InputSchema):
    label = fields.String(load_default="api", validate=validate.Length(min=1, max=MAX_LABEL))
    expires_days = fields.Integer(
        load_default=DEFAULT_TOKEN_DAYS,
        validate=validate.Range(min=1, max=MAX_TOKEN_DAYS),
        metadata={"description": "days the token is valid"},
    )


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "the secret, shown this once"})


def _body() -> dict[str, Any]:
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


@api_route(
    bp,
    "/me/tokens",
    "POST",
    summary="Issue the caller a new personal API token (the secret is shown once)",
    body=TokenCreateSchema,
    response=NewTokenSchema,
    status=201,
    errors=(401,),
    tags=["me"],
)
def issue_my_token() -> ResponseReturnValue:
    data = TokenCreateSchema().load(_body())
    secret = caseflow().issue_token(
        user_id(), current_user.email, data["label"], expires_days=data["expires_days"]
    )
    after_write()
    issued = next(t for t in caseflow().list_tokens(user_id()) if t.last_four == secret[-4:])
    return jsonify(NewTokenSchema().dump({**asdict(issued), "token": secret})), 201

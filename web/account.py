"""A page of one's own (``/meg``): who I am (name, organisation, memberships and roles as
labels), my API tokens (issue one — shown once —, revoke) and my calendar addresses
(create — shown once —, copy, revoke). The same application calls as the JSON API
(``/api/v1/me/tokens``, ``/api/v1/me/calendars``) and the CLI (``caseflow users
token|calendar …``); every form carries a CSRF token.

A new secret is rendered on the answer to its POST (never flashed: the flash would put
it in the session cookie) and is not shown again."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.wrappers import Response as BaseResponse

from caseflow.application.accounts import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from caseflow.application.calendars import MAX_LABEL
from caseflow.domain.errors import CaseflowError
from caseflow.domain.values import MeetingBody
from web.calendars import subscription_url
from web.context import after_write, caseflow, is_secretariat, user_id
from web.forms import domain_form_errors, form_input
from web.i18n import translate_fields
from web.labels import label, role_label
from web.queries import region_names

bp = Blueprint("account", __name__)

#: A token's or calendar address's status in words.
STATUSES = {"active": _l("Active"), "expired": _l("Expired"), "revoked": _l("Revoked")}


class TokenForm(Schema):
    label = fields.String(
        load_default="web", validate=validate.Length(min=1, max=MAX_LABEL), required=False
    )
    expires = fields.Integer(
        load_default=DEFAULT_TOKEN_DAYS, validate=validate.Range(min=1, max=MAX_TOKEN_DAYS)
    )


class CalendarForm(Schema):
    body = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf([b.value for b in MeetingBody])
    )
    label = fields.String(load_default="", validate=validate.Length(max=MAX_LABEL))


def _page(
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, dict[str, list[str]]] | None = None,
    new_token: str | None = None,
    new_calendar: str | None = None,
) -> ResponseReturnValue:
    app = caseflow()
    me = app.me(user_id())
    groups = {str(g.id): g.name for g in app.list_groups()}
    regions = region_names(app)
    memberships = [
        {
            "group_id": m["group_id"],
            "slug": m["group"],
            "group": groups.get(m["group_id"], m["group"]),
            "role": label("role", m["role"]),
            "on_behalf_of": regions.get(m["on_behalf_of"] or "", m["on_behalf_of"] or "—"),
        }
        for m in me["memberships"]
    ]
    return render_template(
        "account/index.html",
        me=me,
        system_roles=[role_label(r) for r in me["system_roles"]],
        memberships=sorted(memberships, key=lambda m: str(m["group"])),
        regions=regions,
        statuses={k: str(v) for k, v in STATUSES.items()},
        tokens=app.list_tokens(user_id()),
        calendars=app.list_calendars(user_id(), user_id()),
        bodies=[b.value for b in MeetingBody] if is_secretariat() else [],
        form=form or {},
        errors=errors or {},
        new_token=new_token,
        new_calendar=new_calendar,
        default_days=DEFAULT_TOKEN_DAYS,
        max_days=MAX_TOKEN_DAYS,
    ), status


@bp.route("/meg")
@login_required
def index() -> ResponseReturnValue:
    return _page()


def _load(schema: type[Schema], which: str) -> tuple[dict[str, Any], dict[str, Any] | None, Any]:
    """The typed form, the loaded data (None: refused) and the refusal's answer."""
    typed = form_input(schema)
    try:
        return typed, schema().load(typed), None
    except ValidationError as e:
        errors = translate_fields(e.normalized_messages()) or {}
        return typed, None, _page(status=422, form={which: typed}, errors={which: errors})


@bp.route("/meg/tokens", methods=["POST"])
@login_required
def issue_token() -> ResponseReturnValue:
    typed, data, refused = _load(TokenForm, "token")
    if data is None:
        return refused
    try:
        secret = caseflow().issue_token(
            user_id(), current_user.email, data["label"], expires_days=data["expires"]
        )
    except CaseflowError as e:
        errors = {"token": domain_form_errors(e)}
        return _page(status=e.status, form={"token": typed}, errors=errors)
    after_write()
    return _page(new_token=secret)


@bp.route("/meg/tokens/<token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: str) -> BaseResponse:
    caseflow().revoke_token(user_id(), user_id(), token_id, "revoked by its owner on /meg")
    after_write()
    flash(_("The API token is revoked."), "success")
    return redirect(url_for(".index") + "#tokens")


@bp.route("/meg/calendars", methods=["POST"])
@login_required
def create_calendar() -> ResponseReturnValue:
    typed, data, refused = _load(CalendarForm, "calendar")
    if data is None:
        return refused
    try:
        made = caseflow().create_calendar(user_id(), user_id(), data["body"], data["label"])
    except CaseflowError as e:
        errors = {"calendar": domain_form_errors(e)}
        return _page(status=e.status, form={"calendar": typed}, errors=errors)
    return _page(new_calendar=subscription_url(made.token))


@bp.route("/meg/calendars/<calendar_id>/revoke", methods=["POST"])
@login_required
def revoke_calendar(calendar_id: str) -> BaseResponse:
    caseflow().revoke_calendar(user_id(), user_id(), calendar_id)
    flash(_("The calendar address is revoked: it no longer works."), "success")
    return redirect(url_for(".index") + "#calendars")

"""The JSON API under ``/api/v1`` exactly as ../shared/API.md fixes it. Every body and
query is loaded by a marshmallow schema, every answer dumped by one, and the same schemas
generate ``/api/v1/openapi.json``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema
from werkzeug.exceptions import BadRequest

from caseflow.domain.errors import InvalidInput, NotFoundError
from caseflow.domain.text import DATE_REFUSED
from caseflow.domain.values import CaseKind, MeetingBody, Step
from caseflow.ledger import Ledger
from web.audit import audit_filter, in_reader_language, require_auditor
from web.context import actor, after_write, caseflow, read, settings, user_id
from web.messages import N_
from web.openapi import api_route
from web.queries import case_filter, organisations, visible_cases
from web.schemas import (
    STEP_SCHEMAS,
    AuditQuerySchema,
    CaseQuerySchema,
    HistoryQuerySchema,
    MeetingCreateSchema,
    PageQuerySchema,
    ProposeSchema,
)
from web.schemas_auth import TokenListSchema
from web.schemas_out import (
    AuditPageSchema,
    CasePageSchema,
    CaseSchema,
    HistorySchema,
    MeetingPageSchema,
    MeetingSchema,
    MeSchema,
    OrganisationsSchema,
    VerifySchema,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def api(
    path: str, method: str = "GET", **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A route of this blueprint and its OpenAPI operation (:func:`web.openapi.api_route`)."""
    return api_route(bp, path, method, **kwargs)


class MalformedBody(BadRequest):
    description = "The body must be a JSON object."


def body() -> dict[str, Any]:
    """The JSON object in the body ({} when there is none)."""
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise MalformedBody()
    return data


def dump(
    schema: type[Schema], obj: Any, status: int = 200, many: bool = False
) -> tuple[Response, int]:
    return jsonify(schema(many=many).dump(obj)), status


def paged(
    schema: type[Schema], items: Sequence[Any], q: dict[str, Any], dumped: bool = False
) -> tuple[Response, int]:
    """One page of ``items`` in the envelope of every list (``items``, ``total``,
    ``page``, ``per_page``); ``q`` is a loaded :class:`PageQuerySchema`. ``dumped``:
    the items are JSON data already."""
    page, per_page = q["page"], q["per_page"]
    start = (page - 1) * per_page
    window = list(items[start : start + per_page])
    envelope = {"total": len(items), "page": page, "per_page": per_page}
    if dumped:
        answer = schema(exclude=("items",)).dump(envelope)
        return jsonify({"items": window, **answer}), 200
    return dump(schema, {"items": window, **envelope})


# -- the document ------------------------------------------------------------------------


@api(
    "/openapi.json",
    "GET",
    summary="This OpenAPI document",
    response=None,
    errors=(),
    tags=["meta"],
    public=True,
)
def openapi() -> ResponseReturnValue:
    from web.openapi import build_spec

    return jsonify(build_spec())


# -- people and organisation ---------------------------------------------------------------


@api("/me", "GET", summary="The caller, memberships and roles", response=MeSchema)
def me() -> ResponseReturnValue:
    return dump(MeSchema, caseflow().me(user_id()))


@api(
    "/organisations",
    "GET",
    summary="Member municipalities by region, the secretariat, external organisations",
    response=OrganisationsSchema,
)
def organisations_() -> ResponseReturnValue:
    return dump(OrganisationsSchema, organisations(caseflow()))


@api(
    "/me/tokens",
    "GET",
    summary="The caller's API tokens (id, label, created, expires, last four characters; "
    "never the secret)",
    query=PageQuerySchema,
    response=TokenListSchema,
)
def my_tokens() -> ResponseReturnValue:
    q = PageQuerySchema().load(request.args.to_dict())
    return paged(TokenListSchema, caseflow().list_tokens(user_id()), q)


@api(
    "/me/tokens/<token_id>",
    "DELETE",
    summary="Revoke one of the caller's API tokens (404 for anyone else's)",
    response=None,
    status=204,
    errors=(401, 404, 409),
)
def revoke_my_token(token_id: str) -> ResponseReturnValue:
    caseflow().revoke_token(user_id(), user_id(), token_id, "revoked by its owner")
    after_write()
    return "", 204


# -- cases ----------------------------------------------------------------------------------


@api(
    "/cases",
    "POST",
    summary="Propose a case on behalf of a group (R9, R11, R17)",
    body=ProposeSchema,
    response=CaseSchema,
    status=201,
    errors=(401, 403, 404),
)
def propose() -> ResponseReturnValue:
    data = ProposeSchema().load(body())
    view = caseflow().propose_case(
        user_id(),
        data["group_id"],
        data["title"],
        data["summary"],
        CaseKind(data["kind"]),
        data["focus_area"],
    )
    after_write()
    return dump(CaseSchema, view, 201)


@api(
    "/cases",
    "GET",
    summary="The case list (read model), filtered",
    query=CaseQuerySchema,
    response=CasePageSchema,
)
def cases() -> ResponseReturnValue:
    q = CaseQuerySchema().load(request.args.to_dict())
    return dump(CasePageSchema, visible_cases(caseflow(), read(), actor(), case_filter(q)))


@api(
    "/cases/<id>",
    "GET",
    summary="One case (id or reference) with the caller's allowed next steps",
    response=CaseSchema,
    errors=(401, 404),
)
def case(id: str) -> ResponseReturnValue:
    return dump(CaseSchema, caseflow().get_case(user_id(), id))


class ApiHistoryQuerySchema(HistoryQuerySchema):
    """The history's query in the API: ``version`` and ``as_of`` together cut at the
    earlier of the two (the page asks for one)."""

    def one_of_them(self, data: dict[str, Any], **kwargs: Any) -> None:
        return None


@api(
    "/cases/<id>/history",
    "GET",
    summary="The case's events up to a version or moment (default: all) with its state "
    "then; each event with its position in the log",
    query=ApiHistoryQuerySchema,
    response=HistorySchema,
    errors=(401, 404),
)
def history(id: str) -> ResponseReturnValue:
    q = ApiHistoryQuerySchema().load(request.args.to_dict())
    version, as_of = q.get("version"), q.get("as_of")
    try:
        if version is not None and as_of is not None:  # both: the earlier of the two
            moment = caseflow().case_history(user_id(), id, as_of=as_of).at_version
            version, as_of = min(version, moment), None
        view = caseflow().case_history(user_id(), id, version=version, as_of=as_of)
    except InvalidInput as e:
        if e.field_name not in ("version", "as_of") or e.message == DATE_REFUSED:
            raise
        # a version the case has not reached, a moment before it existed: nothing there
        raise NotFoundError(N_("the case has no such version or moment"), case=id) from e
    cut = [e for e in view.events if e.version <= view.at_version]
    return dump(HistorySchema, replace(view, events=cut))


def _step_view(step: Step) -> Callable[[str], ResponseReturnValue]:
    schema_class = STEP_SCHEMAS[step]

    def take(id: str) -> ResponseReturnValue:
        app = caseflow()
        case_id = app.get_case(user_id(), id).id  # 404 before anything else
        data = schema_class().load(body())
        expected = data.pop("expected_version", None)
        view = app.take_step(user_id(), case_id, step, data, expected)
        after_write()
        return dump(CaseSchema, view)

    take.__name__ = f"step_{step.name.lower()}"
    return take


for _step in Step:
    api(
        f"/cases/<id>/{_step.value}",
        "POST",
        summary=f"Case step '{_step.value}'",
        body=STEP_SCHEMAS[_step],
        response=CaseSchema,
        errors=(401, 403, 404, 409),
        tags=["steps"],
    )(_step_view(_step))


# -- meetings -------------------------------------------------------------------------------


@api(
    "/meetings",
    "GET",
    summary="Meetings the caller may see",
    query=PageQuerySchema,
    response=MeetingPageSchema,
)
def meetings() -> ResponseReturnValue:
    q = PageQuerySchema().load(request.args.to_dict())
    return paged(MeetingPageSchema, caseflow().list_meetings(viewer=user_id()), q)


@api(
    "/meetings",
    "POST",
    summary="Schedule a meeting (the secretariat)",
    body=MeetingCreateSchema,
    response=MeetingSchema,
    status=201,
    errors=(401, 403),
)
def schedule() -> ResponseReturnValue:
    data = MeetingCreateSchema().load(body())
    view = caseflow().schedule_meeting(
        user_id(),
        MeetingBody(data["body"]),
        data["starts_at"],
        data["place"] or "Oslo rådhus",
        data["title"],
        data["group_id"],
        ends_at=data["ends_at"],
        digital=data["digital"],
        group_ids=data["group_ids"],
    )
    after_write()
    # The answer is the meeting as a GET reads it (its planning warnings included).
    return dump(MeetingSchema, caseflow().get_meeting(view.id, viewer=user_id()), 201)


@api(
    "/meetings/<uuid:id>",
    "GET",
    summary="One meeting with its agenda",
    response=MeetingSchema,
    errors=(401, 404),
)
def meeting(id: UUID) -> ResponseReturnValue:
    return dump(MeetingSchema, caseflow().get_meeting(id, viewer=user_id()))


# -- audit ----------------------------------------------------------------------------------


@api(
    "/audit",
    "GET",
    summary="The audit trail across all cases (auditors, secretariat)",
    query=AuditQuerySchema,
    response=AuditPageSchema,
    errors=(401, 403, 404),
)
def audit() -> ResponseReturnValue:
    require_auditor()
    args = request.args.to_dict()
    with suppress(KeyError, ValueError):  # a dashed id, as answers write it; events: hex
        args["actor"] = UUID(args["actor"]).hex
    try:
        found = audit_filter(args)
    except InvalidInput as e:
        if e.field_name != "case":
            raise
        raise NotFoundError(N_("case not found"), case=args.get("case", "")) from e
    page = read().audit(found)  # the summary in the reader's language (Accept-Language)
    return dump(AuditPageSchema, replace(page, items=in_reader_language(page.items)))


@api(
    "/audit/verify",
    "GET",
    summary="Hash-chain verification of the stored history",
    response=VerifySchema,
    errors=(401, 403),
)
def verify() -> ResponseReturnValue:
    require_auditor()
    result = Ledger(caseflow(), settings()).verify()
    return dump(VerifySchema, result)


# The other parts of the API register their operations on this blueprint.
from web import api_groups, api_measures, api_meetings  # noqa: E402, F401  (api_meetings: issue 14)

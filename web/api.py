"""The JSON API under ``/api/v1`` exactly as ../shared/API.md fixes it. Every body and
query is loaded by a marshmallow schema, every answer dumped by one, and the same schemas
generate ``/api/v1/openapi.json``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema
from werkzeug.exceptions import BadRequest

from caseflow.application.views import GroupView
from caseflow.domain.errors import NotFoundError
from caseflow.domain.values import CaseKind, GroupRole, MeetingBody, Step, SystemRole
from caseflow.ledger import Ledger
from web.audit import audit_filter, require_auditor
from web.context import actor, after_write, caseflow, read, settings, user_id
from web.messages import N_
from web.openapi import api_route
from web.queries import case_filter, organisations, visible_cases
from web.schemas import (
    STEP_SCHEMAS,
    AppointmentSchema,
    AuditQuerySchema,
    CaseQuerySchema,
    HistoryQuerySchema,
    MeetingCreateSchema,
    MembershipSchema,
    PersonCreateSchema,
    ProposeSchema,
)
from web.schemas_auth import PeopleSchema, TokenListSchema, dump_people
from web.schemas_out import (
    AuditPageSchema,
    CasePageSchema,
    CaseSchema,
    GroupSchema,
    HistorySchema,
    MeetingSchema,
    MeSchema,
    OrganisationsSchema,
    PersonSchema,
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
    response=TokenListSchema,
)
def my_tokens() -> ResponseReturnValue:
    return dump(TokenListSchema, {"items": caseflow().list_tokens(user_id())})


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


@api(
    "/people",
    "GET",
    summary="People: names and organisations; e-mail addresses only for the secretariat, "
    "auditors and the person's fellow group members, system roles only for the "
    "secretariat and auditors",
    response=PeopleSchema(many=True),
)
def people() -> ResponseReturnValue:
    return jsonify(dump_people(caseflow().people_seen_by(user_id())))


@api(
    "/people",
    "POST",
    summary="Register a person (the secretariat)",
    body=PersonCreateSchema,
    response=PersonSchema,
    status=201,
    errors=(401, 403, 409),
)
def register_person() -> ResponseReturnValue:
    data = PersonCreateSchema().load(body())
    view = caseflow().register_person(
        user_id(),
        data["name"],
        data["email"],
        data["organisation"],
        tuple(SystemRole(r) for r in data["roles"]),
    )
    after_write()
    return dump(PersonSchema, view, 201)


# -- groups ---------------------------------------------------------------------------------


def _group_id(id: str) -> UUID:
    try:
        return UUID(id)
    except ValueError:
        return caseflow().group_by_slug(id).id


def group_view(id: str) -> GroupView:
    try:
        return caseflow().get_group(_group_id(id))
    except NotFoundError:
        raise NotFoundError(N_("group not found"), group=id) from None


@api(
    "/groups",
    "GET",
    summary="Groups with members, roles and regional spread",
    response=GroupSchema(many=True),
)
def groups() -> ResponseReturnValue:
    return dump(GroupSchema, caseflow().list_groups(), many=True)


@api(
    "/groups/<id>",
    "GET",
    summary="One group (id or slug)",
    response=GroupSchema,
    errors=(401, 404),
)
def group(id: str) -> ResponseReturnValue:
    return dump(GroupSchema, group_view(id))


@api(
    "/groups/<id>/memberships",
    "POST",
    summary="Add a person to a group (R8, R9, R10, R11)",
    body=MembershipSchema,
    response=GroupSchema,
    errors=(401, 403, 404, 409),
)
def add_membership(id: str) -> ResponseReturnValue:
    gid = group_view(id).id
    data = MembershipSchema().load(body())
    view = caseflow().add_member(
        user_id(),
        gid,
        data["person_id"],
        GroupRole(data["role"]),
        data["on_behalf_of"],
        data["expected_version"],
    )
    after_write()
    return dump(GroupSchema, view)


@api(
    "/groups/<id>/appointments",
    "POST",
    summary="The group's own appointment of its leader or deputy (R4): recorded by another "
    "member, or by the appointee with a second member's confirmation (confirmed_by)",
    body=AppointmentSchema,
    response=GroupSchema,
    errors=(401, 403, 404, 409),
)
def appoint(id: str) -> ResponseReturnValue:
    gid = group_view(id).id
    data = AppointmentSchema().load(body())
    view = caseflow().appoint(
        user_id(),
        gid,
        data["person_id"],
        GroupRole(data["role"]),
        data["expected_version"],
        confirmed_by=data["confirmed_by"],
    )
    after_write()
    return dump(GroupSchema, view)


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
    q = CaseQuerySchema().load({k: v for k, v in request.args.items() if v})
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


@api(
    "/cases/<id>/history",
    "GET",
    summary="The case's events and its state at a version or moment",
    query=HistoryQuerySchema,
    response=HistorySchema,
    errors=(401, 404),
)
def history(id: str) -> ResponseReturnValue:
    q = HistoryQuerySchema().load(request.args.to_dict())
    view = caseflow().case_history(user_id(), id, version=q["version"], as_of=q["as_of"])
    return dump(HistorySchema, view)


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


@api("/meetings", "GET", summary="Meetings", response=MeetingSchema(many=True))
def meetings() -> ResponseReturnValue:
    return dump(MeetingSchema, caseflow().list_meetings(viewer=user_id()), many=True)


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
    return dump(MeetingSchema, view, 201)


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
    errors=(401, 403),
)
def audit() -> ResponseReturnValue:
    require_auditor()
    return dump(AuditPageSchema, read().audit(audit_filter(request.args.to_dict())))


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

"""The JSON API's people and groups (``/api/v1/people``, ``/api/v1/groups…``): the
register, memberships (added and ended) and the groups' own appointments."""

from __future__ import annotations

from uuid import UUID

from flask import request
from flask.typing import ResponseReturnValue

from caseflow.application.views import GroupView
from caseflow.domain.errors import NotFoundError
from caseflow.domain.values import GroupRole, SystemRole
from web.api import api, body, dump, paged
from web.context import after_write, caseflow, user_id
from web.messages import N_
from web.schemas import (
    AppointmentSchema,
    MembershipEndSchema,
    MembershipSchema,
    PageQuerySchema,
    PersonCreateSchema,
)
from web.schemas_auth import PeoplePageSchema, dump_people
from web.schemas_out import GroupPageSchema, GroupSchema, PersonSchema


@api(
    "/people",
    "GET",
    summary="People: names and organisations; e-mail addresses only for the secretariat, "
    "auditors and the person's fellow group members, system roles only for the "
    "secretariat and auditors",
    query=PageQuerySchema,
    response=PeoplePageSchema,
)
def people() -> ResponseReturnValue:
    q = PageQuerySchema().load(request.args.to_dict())
    return paged(
        PeoplePageSchema, dump_people(caseflow().people_seen_by(user_id())), q, dumped=True
    )


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
    query=PageQuerySchema,
    response=GroupPageSchema,
)
def groups() -> ResponseReturnValue:
    q = PageQuerySchema().load(request.args.to_dict())
    return paged(GroupPageSchema, caseflow().list_groups(), q)


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
    caseflow().add_member(
        user_id(),
        gid,
        data["person_id"],
        GroupRole(data["role"]),
        data["on_behalf_of"],
        data["expected_version"],
    )
    after_write()
    return dump(GroupSchema, group_view(str(gid)))


@api(
    "/groups/<id>/memberships/<uuid:person_id>",
    "DELETE",
    summary="End a membership (the secretariat, or the group's leader or deputy); the "
    "history stays, and the person's later proposals and advice for the group are refused",
    query=MembershipEndSchema,
    response=GroupSchema,
    errors=(401, 403, 404, 409),
)
def end_membership(id: str, person_id: UUID) -> ResponseReturnValue:
    gid = group_view(id).id
    q = MembershipEndSchema().load(request.args.to_dict())
    caseflow().remove_member(user_id(), gid, person_id, q["reason"] or "", q["expected_version"])
    after_write()
    return dump(GroupSchema, group_view(str(gid)))


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
    caseflow().appoint(
        user_id(),
        gid,
        data["person_id"],
        GroupRole(data["role"]),
        data["expected_version"],
        confirmed_by=data["confirmed_by"],
    )
    after_write()
    return dump(GroupSchema, group_view(str(gid)))

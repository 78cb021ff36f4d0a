"""Groups: members, roles and regional spread (R6 for KG, R7 for the others), adding a
member (secretariat or the group's leader/deputy) and the group's own appointment of its
leader or deputy (R4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from caseflow.application.views import GroupView
from caseflow.domain.errors import NotFoundError
from caseflow.domain.values import GroupKind, GroupRole
from caseflow.readmodels.api import CaseFilter
from web.context import actor, caseflow, read, user_id
from web.forms import Errors, Form, submit
from web.messages import N_
from web.queries import board_regions, region_names, visible_cases
from web.schemas import AppointmentSchema, MembershipEndFormSchema, MembershipSchema

bp = Blueprint("groups", __name__, url_prefix="/groups")


def _group(slug: str) -> GroupView:
    try:
        return caseflow().group_by_slug(slug)
    except NotFoundError:
        raise NotFoundError(N_("group not found"), group=slug) from None


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    return render_template(
        "groups/list.html",
        groups=caseflow().list_groups(),
        regions=region_names(caseflow()),
        board_regions=board_regions(caseflow()),
    )


def _page(group: GroupView, form_name: str | None = None, **extra: Any) -> dict[str, Any]:
    app = caseflow()
    who = actor()
    seat = who.seat(group.id)
    people = app.list_people()
    members = {m.person_id for m in group.members}
    return {
        "group": group,
        "is_kg": group.kind == GroupKind.KG.value,
        "regions": region_names(app),
        "board_regions": board_regions(app),
        "seat": seat,
        "may_appoint": seat is not None and seat.role is not GroupRole.OBSERVER,
        "may_add": who.is_secretariat
        or (seat is not None and seat.role in (GroupRole.LEADER, GroupRole.DEPUTY)),
        "candidates": [m for m in group.members if m.role != GroupRole.OBSERVER.value],
        "outsiders": sorted((p for p in people if p.id not in members), key=lambda p: p.name),
        "cases": visible_cases(app, read(), who, CaseFilter(group=str(group.id), per_page=50)),
        "form_name": form_name,
        "form": extra.pop("form", {}),
        "errors": extra.pop("errors", None),
        **extra,
    }


@bp.route("/<slug>")
@login_required
def show(slug: str) -> ResponseReturnValue:
    return render_template("groups/group.html", **_page(_group(slug)))


@bp.route("/<slug>/appointments", methods=["POST"])
@login_required
def appoint(slug: str) -> ResponseReturnValue:
    group = _group(slug)
    return submit(
        AppointmentSchema,
        lambda data: caseflow().appoint(
            user_id(),
            group.id,
            data["person_id"],
            GroupRole(data["role"]),
            data["expected_version"],
            confirmed_by=data["confirmed_by"],
        ),
        page=_refused_page(slug, "appoint"),
        done=lambda _view: _("The appointment is recorded."),
        target=lambda _view: url_for("groups.show", slug=slug),
    )


@bp.route("/<slug>/memberships", methods=["POST"])
@login_required
def add_member(slug: str) -> ResponseReturnValue:
    group = _group(slug)
    return submit(
        MembershipSchema,
        lambda data: caseflow().add_member(
            user_id(),
            group.id,
            data["person_id"],
            GroupRole(data["role"]),
            data["on_behalf_of"],
            data["expected_version"],
        ),
        page=_refused_page(slug, "member"),
        done=lambda _view: _("The member is added."),
        target=lambda _view: url_for("groups.show", slug=slug),
    )


@bp.route("/<slug>/memberships/end", methods=["POST"])
@login_required
def end_member(slug: str) -> ResponseReturnValue:
    """End a membership (the same check as the API's DELETE: the secretariat or the
    group's leader or deputy); the membership's history stays."""
    group = _group(slug)
    return submit(
        MembershipEndFormSchema,
        lambda data: caseflow().remove_member(
            user_id(), group.id, data["person_id"], data["reason"], data["expected_version"]
        ),
        page=_refused_page(slug, "end"),
        done=lambda _view: _("The membership has ended."),
        target=lambda _view: url_for("groups.show", slug=slug),
    )


def _refused_page(slug: str, form_name: str) -> Callable[[Form, Errors], str]:
    """The group page again (read afresh) with the refused form's errors and input."""

    def page(form: Form, errors: Errors) -> str:
        return render_template(
            "groups/group.html", **_page(_group(slug), form_name, form=form, errors=errors)
        )

    return page

"""``caseflow group …``: the groups as the API gives them (list, show), memberships
(add-member, remove-member: its history stays in the group's events) and the groups' own
appointments (appoint). Registered by :mod:`caseflow.cli`."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import click

from caseflow.application.views import GroupView


def _app(ctx: Any) -> Any:
    return ctx.app


def _acting(app: Any, email: str | None) -> UUID | None:
    """The acting person for ``--as EMAIL`` (None: the system, with the secretariat's
    powers)."""
    return None if email is None else app.find_person_id(email)


@click.group("group")
def group() -> None:
    """Group memberships and appointments."""


@group.command("add-member")
@click.argument("group_slug", metavar="GROUP")
@click.argument("email")
@click.option(
    "--role", default="member", show_default=True, type=click.Choice(["member", "observer"])
)
@click.option("--on-behalf-of", default=None)
@click.option("--as", "as_email", default=None, help="E-mail of the acting person")
@click.pass_obj
def group_add_member(
    ctx: Any,
    group_slug: str,
    email: str,
    role: str,
    on_behalf_of: str | None,
    as_email: str | None,
) -> None:
    """Place a person in a group (R8, R9, R10, R11)."""
    from caseflow.domain.values import GroupRole

    app = ctx.app
    g = app.group_by_slug(group_slug)
    app.add_member(
        _acting(app, as_email), g.id, app.find_person_id(email), GroupRole(role), on_behalf_of
    )
    click.echo(f"{email} added to {group_slug} as {role}")


@group.command("appoint")
@click.argument("group_slug", metavar="GROUP")
@click.argument("email")
@click.option(
    "--position", default="leader", show_default=True, type=click.Choice(["leader", "deputy"])
)
@click.option("--as", "as_email", required=True, help="E-mail of the group member recording it")
@click.option(
    "--confirmed-by",
    "confirmed_by",
    default=None,
    metavar="EMAIL",
    help="E-mail of a second (non-observer) member who confirms it; required when the "
    "appointee records their own appointment (R4)",
)
@click.pass_obj
def group_appoint(
    ctx: Any,
    group_slug: str,
    email: str,
    position: str,
    as_email: str,
    confirmed_by: str | None,
) -> None:
    """Record the group's own appointment of its leader or deputy (R4): by another
    member of the group, or by the appointee with a second member's confirmation."""
    from caseflow.domain.values import GroupRole

    app = ctx.app
    g = app.group_by_slug(group_slug)
    confirmer = app.find_person_id(confirmed_by) if confirmed_by else None
    app.appoint(
        _acting(app, as_email),
        g.id,
        app.find_person_id(email),
        GroupRole(position),
        confirmed_by=confirmer,
    )
    confirmed = f", confirmed by {confirmed_by}" if confirmed_by else ""
    click.echo(f"{email} appointed {position} of {group_slug}{confirmed}")


def _group_line(g: GroupView) -> str:
    return f"{g.slug:<12} {g.kind:<14} {len(g.members):>3} members  {g.name}"


@group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
@click.pass_obj
def group_list(ctx: Any, as_json: bool) -> None:
    """List the groups (slug, kind, number of members, name)."""
    groups = _app(ctx).list_groups()
    if as_json:
        click.echo(json.dumps([g.as_dict() for g in groups], ensure_ascii=False, indent=2))
        return
    for g in groups:
        click.echo(_group_line(g))


@group.command("show")
@click.argument("group_slug", metavar="GROUP")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
@click.pass_obj
def group_show(ctx: Any, group_slug: str, as_json: bool) -> None:
    """Show a group: members with roles and on whose behalf, leader, deputy, gaps."""
    g = _app(ctx).group_by_slug(group_slug)
    if as_json:
        click.echo(json.dumps(g.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(_group_line(g))
    for m in g.members:
        click.echo(f"  {m.person_id}  {m.role:<8} {m.on_behalf_of or '':<14} {m.name}")
    if g.gaps:
        click.echo("gaps: " + ", ".join(g.gaps))


@group.command("remove-member")
@click.argument("group_slug", metavar="GROUP")
@click.argument("email")
@click.option("--as", "as_email", required=True, help="E-mail of the acting person")
@click.option("--reason", default="", help="Why the membership ends")
@click.option("--expected-version", type=int, default=None)
@click.pass_obj
def group_remove_member(
    ctx: Any,
    group_slug: str,
    email: str,
    as_email: str,
    reason: str,
    expected_version: int | None,
) -> None:
    """End a membership (the secretariat, or the group's leader or deputy); the
    membership's history stays, and the person's later advice and proposals for the
    group are refused."""
    app = _app(ctx)
    g = app.group_by_slug(group_slug)
    view = app.remove_member(
        app.find_person_id(as_email), g.id, app.find_person_id(email), reason, expected_version
    )
    click.echo(f"{email} is no longer a member of {group_slug} (version {view.version})")


commands = [group]

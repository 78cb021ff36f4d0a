"""``caseflow group list|show|remove-member``: the groups as the API gives them, and the
end of a membership (its history stays in the group's events)."""

from __future__ import annotations

import json
from typing import Any

import click

from caseflow.application.views import GroupView


def _app(ctx: Any) -> Any:
    return ctx.app


def _group_line(g: GroupView) -> str:
    return f"{g.slug:<12} {g.kind:<14} {len(g.members):>3} members  {g.name}"


@click.command("list")
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


@click.command("show")
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


@click.command("remove-member")
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


commands = [group_list, group_show, group_remove_member]

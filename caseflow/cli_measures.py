"""``caseflow measure list|show|add|status``: the strategy's measures and KG's follow-up of
them (R18), with the same application checks as the measure pages and the API."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import click

from caseflow.application.views import MeasureView
from caseflow.domain.errors import NotFoundError
from caseflow.domain.measure import MeasureStatus
from caseflow.domain.values import FocusArea


def _measures(app: Any, focus_area: str | None = None) -> list[MeasureView]:
    return [m for area in app.list_measures(focus_area).values() for m in area]


def _one(app: Any, measure_id: str) -> MeasureView:
    try:
        wanted = UUID(measure_id)
    except ValueError:
        raise click.BadParameter(f"not an id: {measure_id!r}") from None
    for m in _measures(app):
        if m.id == wanted:
            return m
    raise NotFoundError("measure not found", id=measure_id)


def _line(m: MeasureView) -> str:
    return f"{m.id}  {m.status:<11} {m.focus_area:<22} {m.title}"


@click.group("measure")
def measure() -> None:
    """The strategy's measures (tiltak) and KG's follow-up (R18)."""


@measure.command("list")
@click.option("--focus-area", type=click.Choice([a.value for a in FocusArea]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
@click.pass_obj
def measure_list(ctx: Any, focus_area: str | None, as_json: bool) -> None:
    """List the measures (id, status, focus area, title)."""
    found = _measures(ctx.app, focus_area)
    if as_json:
        click.echo(json.dumps([m.as_dict() for m in found], ensure_ascii=False, indent=2))
        return
    for m in found:
        click.echo(_line(m))


@measure.command("show")
@click.argument("measure_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
@click.pass_obj
def measure_show(ctx: Any, measure_id: str, as_json: bool) -> None:
    """Show a measure with its follow-up."""
    m = _one(ctx.app, measure_id)
    if as_json:
        click.echo(json.dumps(m.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(_line(m))
    for u in m.updates:
        click.echo(f"  {u.at:%Y-%m-%d}  {u.status:<11} {u.actor_name}: {u.note}")


@measure.command("add")
@click.option("--as", "as_email", required=True, help="E-mail of a KG member")
@click.option("--title", required=True)
@click.option("--focus-area", required=True, type=click.Choice([a.value for a in FocusArea]))
@click.option("--description", default="")
@click.pass_obj
def measure_add(ctx: Any, as_email: str, title: str, focus_area: str, description: str) -> None:
    """Register a measure under a focus area (KG's non-observer members)."""
    app = ctx.app
    m = app.register_measure(app.find_person_id(as_email), title, focus_area, description)
    click.echo(_line(m))


@measure.command("status")
@click.argument("measure_id", metavar="ID")
@click.argument("status", type=click.Choice([s.value for s in MeasureStatus]))
@click.option("--as", "as_email", required=True, help="E-mail of a KG member")
@click.option("--note", default="", help="What changed (required when the status stays)")
@click.option("--meeting", "meeting_id", default=None, help="The KG meeting's id")
@click.option("--expected-version", type=int, default=None)
@click.pass_obj
def measure_status(
    ctx: Any,
    measure_id: str,
    status: str,
    as_email: str,
    note: str,
    meeting_id: str | None,
    expected_version: int | None,
) -> None:
    """Record KG's follow-up of a measure: its status now and what changed."""
    app = ctx.app
    m = _one(app, measure_id)
    meeting = UUID(meeting_id) if meeting_id else None
    done = app.update_measure(
        app.find_person_id(as_email), m.id, status, note, meeting, expected_version
    )
    click.echo(f"{_line(done)} (version {done.version})")


commands = [measure]

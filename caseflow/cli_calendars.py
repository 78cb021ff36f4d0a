"""``caseflow users calendar|calendars|calendar-revoke``: secret calendar addresses
(``/kalender/<token>.ics``) from the command line, with the checks of ``/meg`` and
``/api/v1/me/calendars`` (``Caseflow.create_calendar`` …; the command line acts with the
secretariat's powers, so it may make a body's calendar for anyone).

A composition root like ``caseflow/cli.py`` (which registers these commands in its
``users`` group): it gives the application the calendar table of its store.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

import click

from caseflow.application import Caseflow
from caseflow.application.calendars import CalendarView
from caseflow.domain import localtime
from caseflow.domain.values import MeetingBody
from caseflow.persistence.calendar_tokens import open_calendar_tokens

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


class HasApp(Protocol):
    """What the ``caseflow`` group gives its commands (``caseflow.cli.AppContext``)."""

    @property
    def app(self) -> Caseflow: ...


def _app(ctx: HasApp) -> Caseflow:
    app = ctx.app
    app.use_calendar_store(open_calendar_tokens(app))
    return app


def address(token: str) -> str:
    """The address to subscribe to, on ``CASEFLOW_BASE_URL``."""
    base = (os.environ.get("CASEFLOW_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    return f"{base}/kalender/{token}.ics"


def calendar_line(c: CalendarView) -> str:
    """One subscription in a line; days and times as people read them (CASEFLOW_TIMEZONE)."""
    used = localtime.local_text(c.last_used_at) if c.last_used_at else "never"
    revoked = f", revoked {localtime.local_text(c.revoked_at)}" if c.revoked_at else ""
    what = c.body or "own meetings"
    return (
        f"{c.id}  {c.status:<7}  {what:<13}  created {localtime.local_text(c.created_at)}  "
        f"last used {used}{revoked}  {c.label}"
    )


@click.command("calendar")
@click.argument("email")
@click.option(
    "--body",
    type=click.Choice([b.value for b in MeetingBody]),
    default=None,
    help="A body's meetings (as EMAIL may see them) instead of EMAIL's own",
)
@click.option("--label", default="", help="What the address is for")
@click.pass_obj
def users_calendar(ctx: HasApp, email: str, body: str | None, label: str) -> None:
    """Print a new secret calendar address for EMAIL (shown once)."""
    app = _app(ctx)
    made = app.create_calendar(None, email, body, label)
    click.echo(address(made.token))
    if body is not None and not app.list_meetings(made.calendar.person_id, body=body):
        click.echo(f"note: {email} may see none of {body}'s meetings now", err=True)
    click.echo(
        f"calendar {made.calendar.id} for {email}; revoke it with "
        f"`caseflow users calendar-revoke {email} {made.calendar.id}`",
        err=True,
    )


@click.command("calendars")
@click.argument("email")
@click.pass_obj
def users_calendars(ctx: HasApp, email: str) -> None:
    """List EMAIL's calendar addresses (id, status, meetings, dates, label; never the secret)."""
    found = _app(ctx).list_calendars(None, email)
    for c in found:
        click.echo(calendar_line(c))
    if not found:
        click.echo(f"{email} has no calendar address", err=True)


@click.command("calendar-revoke")
@click.argument("email")
@click.argument("calendar_id", metavar="ID")
@click.pass_obj
def users_calendar_revoke(ctx: HasApp, email: str, calendar_id: str) -> None:
    """Revoke one of EMAIL's calendar addresses: it answers 404 from now on."""
    done = _app(ctx).revoke_calendar(None, email, calendar_id)
    click.echo(f"revoked {done.id} ({done.label or done.body or 'own meetings'})")


#: The commands ``caseflow/cli.py`` adds to its ``users`` group.
commands: list[Any] = [users_calendar, users_calendars, users_calendar_revoke]

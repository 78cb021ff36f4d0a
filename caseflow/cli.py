"""The ``caseflow`` command line (click). A composition root: it picks the store.

Exit status: 0 on success, 1 on a refused or failed operation, 2 on bad usage. Errors go
to stderr in one readable line.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from typing import Any
from uuid import UUID

import click

from caseflow import i18n
from caseflow.application import Caseflow
from caseflow.application.settings import Settings
from caseflow.domain import localtime
from caseflow.domain.errors import CaseflowError
from caseflow.domain.values import Step
from caseflow.i18n import error_text
from caseflow.persistence import StoreSettings, open_application
from caseflow.persistence.attachments import AttachmentStore
from caseflow.persistence.token_uses import open_token_uses


class AppContext:
    """Opens the application lazily, once per command, with the attachment store that
    ``CASEFLOW_ATTACHMENTS_DIR`` names."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._app: Caseflow | None = None
        self.settings: StoreSettings | None = None

    @property
    def app(self) -> Caseflow:
        if self._app is None:
            self._app, self.settings = open_application(self.url, Settings.from_environ(os.environ))
            self._app.use_attachment_store(AttachmentStore.from_environ(os.environ))
            from web.presentation.protokoll import render_protokoll_pdf

            self._app.use_protokoll_renderer(render_protokoll_pdf)  # issue 14: minutes as PDF
            self._app.use_token_use_store(open_token_uses(self._app))  # tokens' last use
        return self._app

    @staticmethod
    def create_read_side(app: Caseflow, settings: StoreSettings) -> None:
        """Create the read side's tables where missing (the read models, their
        bookkeeping and the chain): for `caseflow db migrate|roles`, run as the owner."""
        from caseflow.readmodels import open_read_models

        open_read_models(app, settings)

    def close(self) -> None:
        if self._app is not None:
            self._app.close()


def fail(message: str, code: int = 1) -> None:
    click.echo(f"caseflow: {message}", err=True)
    sys.exit(code)


class CaseflowGroup(click.Group):
    """Turns domain errors into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CaseflowError as e:
            # in the reader's language (CASEFLOW_LANGUAGE, bokmål by default), by key
            fail(error_text(e, i18n.cli_language(os.environ)))
        except ValueError as e:
            fail(str(e), 2)


@click.group(cls=CaseflowGroup)
@click.option(
    "--database-url",
    envvar="CASEFLOW_DATABASE_URL",
    default=None,
    help="sqlite:///path or postgresql://… (default: sqlite:///instance/caseflow.sqlite3)",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Caseflow: board cases of Osloregionen, event-sourced."""
    localtime.use_zone(localtime.zone_from_environ(os.environ))  # CASEFLOW_TIMEZONE
    ctx.obj = AppContext(database_url)
    ctx.call_on_close(ctx.obj.close)


pass_ctx = click.make_pass_decorator(AppContext)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
@pass_ctx
def serve(ctx: AppContext, host: str, port: int, debug: bool) -> None:
    """Serve the web app (development server; production: gunicorn 'web:create_app()')."""
    from web import create_app

    flask_app = create_app({"NOTIFY_THREAD": 1, **({"DATABASE_URL": ctx.url} if ctx.url else {})})
    flask_app.run(host=host, port=port, debug=debug, use_reloader=False, threaded=True)


@main.group()
def users() -> None:
    """Logins and API tokens."""


@users.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name")
@click.option(
    "--organisation",
    default="Sekretariatet",
    show_default=True,
    help="Municipality number or name, 'Sekretariatet', or an external organisation",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(["secretariat", "auditor", "board", "admin"]),
    help="System role(s) to grant to a newly registered person",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input")
@pass_ctx
def users_add(
    ctx: AppContext,
    email: str,
    name: str,
    organisation: str,
    roles: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Create a login (registering the person first if needed)."""
    from caseflow.domain.values import SystemRole

    app = ctx.app
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    person = app.find_person_by_email(email)
    if person is None:
        person = app.register_person(
            None, name, email, organisation, tuple(SystemRole(r) for r in roles)
        )
    app.create_account(None, email, password, person.id)
    click.echo(f"login created for {person.name} <{email}>")


def _token_line(t: Any) -> str:
    last = f"…{t.last_four}" if t.last_four else "…????"
    day = localtime.local_date  # the day people read, in CASEFLOW_TIMEZONE
    revoked = f", revoked {day(t.revoked_at)}" if t.revoked_at else ""
    used = f", last used {localtime.local_text(t.last_used_at)}" if t.last_used_at else ""
    return (
        f"{t.id}  {t.status:<7}  {last}  created {day(t.created_at)}  "
        f"expires {day(t.expires_at)}{revoked}{used}  {t.label}"
    )


@users.command("token")
@click.argument("email")
@click.option("--label", default="cli", show_default=True)
@click.option(
    "--expires",
    "days",
    default=365,
    show_default=True,
    type=click.IntRange(1, 366),
    metavar="DAYS",
    help="Days the token is valid",
)
@pass_ctx
def users_token(ctx: AppContext, email: str, label: str, days: int) -> None:
    """Print a new personal API token (shown once) on stdout; the login's other tokens
    still active are listed on stderr (revoke them with `caseflow users revoke`)."""
    app = ctx.app
    token = app.issue_token(None, email, label, expires_days=days)
    click.echo(token)
    others = [t for t in app.tokens_of(email) if t.status == "active" and t.last_four != token[-4:]]
    if others:
        click.echo(f"{email} has {len(others)} other active token(s):", err=True)
        for t in others:
            click.echo("  " + _token_line(t), err=True)


@users.command("tokens")
@click.argument("email")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
@pass_ctx
def users_tokens(ctx: AppContext, email: str, as_json: bool) -> None:
    """List the login's API tokens (id, status, last four characters, dates, label)."""
    found = ctx.app.tokens_of(email)
    if as_json:
        click.echo(json.dumps([t.as_dict() for t in found], ensure_ascii=False, indent=2))
        return
    for t in found:
        click.echo(_token_line(t))


@users.command("revoke")
@click.argument("email")
@click.option("--token", "token_id", default=None, metavar="ID", help="The token's id")
@click.option("--all", "revoke_all", is_flag=True, help="Every token still active")
@pass_ctx
def users_revoke(ctx: AppContext, email: str, token_id: str | None, revoke_all: bool) -> None:
    """Revoke one API token of a login (--token ID) or all of its active ones (--all)."""
    if (token_id is None) == (not revoke_all):
        fail("give either --token ID or --all", 2)
    done = ctx.app.revoke_token(None, email, token_id, "revoked with caseflow users revoke")
    for t in done:
        click.echo(f"revoked {t.id} ({t.label})")
    if not done:
        click.echo(f"{email} has no active token")


@main.command()
@click.argument("case")
@click.option("--version", "version", type=int, default=None, help="State at this version")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="State at this moment (ISO 8601; without an offset: CASEFLOW_TIMEZONE's time)",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
@pass_ctx
def history(
    ctx: AppContext, case: str, version: int | None, as_of: str | None, as_json: bool
) -> None:
    """Print a case's events (who, in which role, when) and its state then."""
    if version is not None and as_of is not None:
        fail("give --version or --as-of, not both", 2)
    moment = None
    if as_of is not None:
        try:
            moment = datetime.fromisoformat(as_of)
        except ValueError:
            fail(f"--as-of: not an ISO 8601 date-time: {as_of!r}", 2)
        if moment is not None and moment.tzinfo is None:  # wall-clock time people read
            moment = moment.replace(tzinfo=localtime.zone())
    view = ctx.app.case_history(None, case, version=version, as_of=moment)
    if as_json:  # as the API answers: the events up to the cut, and the state then
        data = view.as_dict()
        data["events"] = [e for e in data["events"] if e["version"] <= view.at_version]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    # Piped into a file or another program, rich would fold the table to 80 columns and
    # cut times and names short: give it room for whole values.
    console = Console() if sys.stdout.isatty() else Console(width=200)
    table = Table(title=f"{view.reference}: {view.state.title}")
    for col in ("v", "time", "event", "actor", "role", "on behalf of"):
        table.add_column(col)
    for e in view.events:
        style = (
            "bold"
            if e.version == view.at_version
            else ("dim" if e.version > view.at_version else "")
        )
        table.add_row(
            str(e.version),
            localtime.local_iso(e.time),
            e.type,
            e.actor_name,
            e.role,
            e.on_behalf_of or "",
            style=style,
        )
    console.print(table)
    s = view.state
    console.print(f"[bold]State at version {view.at_version}[/bold]: status {s.status}")
    for label, value in [
        ("title", s.title),
        ("group", s.group_name),
        ("case officer", s.case_officer_name),
        ("document revisions", s.document_revisions),
        ("advice", len(s.advice)),
        ("board number", s.board_number),
        ("resolution", s.resolution),
    ]:
        if value not in (None, "", 0):
            console.print(f"  {label}: {value}")


def _acting(app: Caseflow, email: str | None) -> UUID | None:
    """The acting person for ``--as EMAIL`` (None: the system, with the secretariat's powers)."""
    if email is None:
        return None
    return app.find_person_id(email)


def _parse_fields(fields: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in fields:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="--field")
        data[key.strip()] = value
    return data


@main.group()
def case() -> None:
    """Propose a case, show it, and take its steps (as a given person)."""


@case.command("propose")
@click.option("--as", "as_email", required=True, help="E-mail of the proposing member")
@click.option("--group", "group_slug", required=True, help="Group slug, e.g. atp or kg")
@click.option("--title", required=True)
@click.option("--summary", required=True)
@click.option(
    "--kind",
    default="board_case",
    show_default=True,
    type=click.Choice(["board_case", "theme_speaker", "political_influence"]),
)
@click.option("--focus-area", default=None)
@pass_ctx
def case_propose(
    ctx: AppContext,
    as_email: str,
    group_slug: str,
    title: str,
    summary: str,
    kind: str,
    focus_area: str | None,
) -> None:
    """Propose a case on behalf of a group."""
    from caseflow.domain.values import CaseKind

    app = ctx.app
    group = app.group_by_slug(group_slug)
    view = app.propose_case(
        _acting(app, as_email), group.id, title, summary, CaseKind(kind), focus_area
    )
    click.echo(f"{view.reference} {view.id} {view.status}")


@case.command("step")
@click.argument("case_ref", metavar="CASE")
@click.argument("step", type=click.Choice([s.value for s in Step]))
@click.option("--as", "as_email", default=None, help="E-mail of the acting person")
@click.option(
    "--field",
    "fields",
    multiple=True,
    help="key=value (reason, summary, "
    "resolution, deadline, meeting_id, stance, text, case_officer, document fields)",
)
@click.option("--expected-version", type=int, default=None)
@pass_ctx
def case_step(
    ctx: AppContext,
    case_ref: str,
    step: str,
    as_email: str | None,
    fields: tuple[str, ...],
    expected_version: int | None,
) -> None:
    """Take a step on a case; a refusal prints its rule and exits 1."""
    from datetime import date

    app = ctx.app
    data = _parse_fields(fields)
    for key in ("meeting_id", "kg_meeting_id", "case_officer"):
        if key in data:
            data[key] = parse_uuid(data[key])
    if "deadline" in data:
        data["deadline"] = date.fromisoformat(data["deadline"])
    view = app.take_step(_acting(app, as_email), case_ref, Step(step), data, expected_version)
    click.echo(
        f"{view.reference} {view.status} version {view.version}"
        + (f" {view.board_number}" if view.board_number else "")
    )
    lang = i18n.cli_language(os.environ)
    for warning in view.warnings:  # in CASEFLOW_LANGUAGE, like a refusal
        click.echo(f"warning: {i18n.message_text(warning, lang)}", err=True)


@case.command("show")
@click.argument("case_ref", metavar="CASE")
@click.option("--as", "as_email", default=None)
@click.option(
    "--json", "as_json", is_flag=True, default=True, help="Machine-readable output (the default)"
)
@pass_ctx
def case_show(ctx: AppContext, case_ref: str, as_email: str | None, as_json: bool) -> None:
    """Print a case as JSON, with the next steps the person may take."""
    app = ctx.app
    view = app.get_case(_acting(app, as_email), case_ref)
    click.echo(json.dumps(view.as_dict(), ensure_ascii=False, indent=2))


def _register_contributed() -> None:
    from caseflow import cli_groups, cli_meetings  # cli_meetings: `meeting …` (issue 14)
    from caseflow.demo import cli as demo_cli
    from caseflow.ledger import cli as ledger_cli
    from caseflow.notifications import cli as notify_cli  # issue 17 (adds itself to project)
    from caseflow.readmodels import cli as readmodels_cli

    for module in (demo_cli, readmodels_cli, ledger_cli, cli_meetings, notify_cli):
        for command in module.commands:
            main.add_command(command)
    main.add_command(cli_groups.group)
    from caseflow import cli_measures

    main.add_command(cli_measures.measure)
    from caseflow import cli_calendars  # users calendar|calendars|calendar-revoke

    for command in cli_calendars.commands:
        users.add_command(command)
    from caseflow import cli_meeting_files  # meeting attach|attachment (issue 16)

    for command in cli_meeting_files.commands:
        cli_meetings.meeting.add_command(command)
    from caseflow import cli_documents  # case attach|documents|document (issue 14)

    for command in cli_documents.commands:
        case.add_command(command)
    from caseflow import cli_screening  # case screen|unscreen|legal-bases, meeting … (18)

    for command in cli_screening.case_commands:
        case.add_command(command)
    for command in cli_screening.meeting_commands:
        cli_meetings.meeting.add_command(command)
    from caseflow.archive import cli as archive_cli  # archive noark5|einnsyn, publish (18)

    for command in archive_cli.register():
        main.add_command(command)


_register_contributed()


def parse_uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise click.BadParameter(f"not an id: {value!r}") from None


if __name__ == "__main__":  # pragma: no cover
    main()

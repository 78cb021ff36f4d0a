"""``caseflow meeting …``: every meeting operation of the web pages, with the same checks
(the application's): schedule, list, show, add-case, add-item, add-standard, move, invite
(send the invitation, which numbers the agenda), supplement (send the supplementary
invitation), postpone-item, withdraw-item, cancel, held, and the minutes: attendance,
decide (an item's decision; on a board case the case's decision step), protokoll (the
minutes as PDF), approve-minutes.

Each command takes ``--as EMAIL`` (the acting person; without it the system acts, with the
secretariat's powers) and ``--expected-version N`` (refused when the meeting has changed
since); reads take ``--json``. An ITEM is named by its key (``show`` prints it), its place
on the agenda (``1`` = first) or its number (``"Sak 3/26"``). A refusal prints one line
and exits 1 (the ``caseflow`` group's handler)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import click

from caseflow import i18n
from caseflow.application.views import AgendaItemView, MeetingView
from caseflow.domain import localtime
from caseflow.domain.errors import InvalidInput
from caseflow.domain.values import MeetingBody


def _app(ctx: Any) -> Any:
    return ctx.app


def _actor(ctx: Any, email: str | None) -> UUID | None:
    return None if email is None else _app(ctx).find_person_id(email)


def _meeting_id(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise click.BadParameter(f"not a meeting id: {value!r}") from None


def _when(value: str | None, name: str) -> datetime | None:
    """An ISO time; without an offset it is local time (``CASEFLOW_TIMEZONE``)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO date and time: {value!r}", param_hint=name) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=localtime.zone())


def item_key(view: MeetingView, ref: str) -> str:
    """An item's key from its key, its place (1 = first) or its number (``Sak 3/26``)."""
    for i in view.agenda:
        if ref in (i.key, i.label):
            return i.key
    if ref.isdigit() and 1 <= int(ref) <= len(view.agenda):
        return view.agenda[int(ref) - 1].key
    raise InvalidInput.field("item", "no such item on this meeting's agenda")


def _marks(i: AgendaItemView) -> str:
    marks = [
        name
        for name, on in (
            ("tilleggssak", i.supplementary),
            ("utsatt", i.postponed),
            ("trukket", i.withdrawn),
        )
        if on
    ]
    return f" [{', '.join(marks)}]" if marks else ""


def _summary(view: MeetingView) -> str:
    return f"{view.id} {view.status} version {view.version}"


def _show(view: MeetingView, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(view.as_dict(), ensure_ascii=False, indent=2, default=str))
        return
    when = localtime.local_text(view.starts_at)
    click.echo(f"{view.title} — {when} {localtime.zone_name()}, {view.place}")
    click.echo(f"{view.body} · {view.status} · version {view.version} · {view.id}")
    for i in view.agenda:
        label = i.label or "(unnumbered)"
        title = "(withheld)" if i.withheld else i.title
        ref = f" {i.case_reference}" if i.case_reference else ""
        click.echo(f"{i.position:>3}. {label:<12} {title}{ref}{_marks(i)}  key={i.key}")
        if i.decision and not i.withheld:
            click.echo(f"     vedtak: {i.decision}")
    for s in view.supplements:
        sent = localtime.local_text(s.sent_at)
        click.echo(f"supplementary invitation {sent}: {', '.join(s.item_labels)}")
    if view.cancelled_at is not None:
        click.echo(f"cancelled {localtime.local_text(view.cancelled_at)}: {view.cancel_reason}")
    lang = i18n.cli_language(os.environ)
    for w in view.warnings:  # in CASEFLOW_LANGUAGE, like a refusal
        click.echo(f"warning: {i18n.message_text(w, lang)}", err=True)


def _change(
    ctx: Any, as_email: str | None, command: Callable[[Any, UUID | None], MeetingView]
) -> None:
    view = command(_app(ctx), _actor(ctx, as_email))
    click.echo(_summary(view))


AS = click.option("--as", "as_email", default=None, help="E-mail of the acting person")
VERSION = click.option(
    "--expected-version", type=int, default=None, help="Refuse if the meeting has changed"
)
JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
MEETING = click.argument("meeting", metavar="MEETING_ID")


@click.group("meeting")
def meeting() -> None:
    """Meetings: schedule, agenda, invitation, supplementary items, postponement."""


@meeting.command("schedule")
@click.argument("body", type=click.Choice([b.value for b in MeetingBody]))
@click.argument("starts_at", metavar="STARTS_AT")
@click.option("--place", default="Oslo rådhus", show_default=True)
@click.option("--title", default=None)
@click.option("--group", "group_slug", default=None, help="The group (a group meeting)")
@click.option("--ends-at", default=None, help="ISO date and time")
@click.option("--digital", is_flag=True)
@AS
@click.pass_obj
def schedule(
    ctx: Any,
    body: str,
    starts_at: str,
    place: str,
    title: str | None,
    group_slug: str | None,
    ends_at: str | None,
    digital: bool,
    as_email: str | None,
) -> None:
    """Schedule a meeting (STARTS_AT: ISO, local time unless it has an offset)."""
    app = _app(ctx)
    group_id = app.group_by_slug(group_slug).id if group_slug else None
    start = _when(starts_at, "STARTS_AT")
    assert start is not None
    _change(
        ctx,
        as_email,
        lambda a, who: a.schedule_meeting(
            who,
            MeetingBody(body),
            start,
            place=place,
            title=title,
            group_id=group_id,
            ends_at=_when(ends_at, "--ends-at"),
            digital=digital,
        ),
    )


@meeting.command("list")
@click.option("--body", type=click.Choice([b.value for b in MeetingBody]), default=None)
@click.option("--year", type=int, default=None)
@AS
@JSON
@click.pass_obj
def list_meetings(
    ctx: Any, body: str | None, year: int | None, as_email: str | None, as_json: bool
) -> None:
    """List meetings by date (with --as: those that person may see, as they see them)."""
    views = _app(ctx).list_meetings(_actor(ctx, as_email), body=body, year=year)
    if as_json:
        click.echo(
            json.dumps([v.as_dict() for v in views], ensure_ascii=False, indent=2, default=str)
        )
        return
    for v in views:
        numbered = [i.label for i in v.agenda if i.label]
        span = f"{numbered[0]}–{numbered[-1]}" if numbered else "—"
        when = localtime.local_text(v.starts_at)
        click.echo(f"{v.id} {when} {v.body:<8} {v.status:<16} {span:<18} {v.title}")


@meeting.command("show")
@MEETING
@AS
@JSON
@click.pass_obj
def show(ctx: Any, meeting: str, as_email: str | None, as_json: bool) -> None:
    """Show a meeting: its agenda in printed order (place, number, marks, key)."""
    _show(_app(ctx).get_meeting(_meeting_id(meeting), viewer=_actor(ctx, as_email)), as_json)


@meeting.command("protokoll")
@MEETING
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False))
@AS
@click.pass_obj
def protokoll(ctx: Any, meeting: str, output: str, as_email: str | None) -> None:
    """Write the minutes (protokoll) as PDF to FILE: attendance, each item's number,
    title, marks and decision, times in CASEFLOW_TIMEZONE."""
    from web.presentation.pack import PdfUnavailable
    from web.presentation.protokoll import render_protokoll_pdf

    app = _app(ctx)
    view = app.get_meeting(_meeting_id(meeting), viewer=_actor(ctx, as_email))
    names = {p: app.person_name(p) for p in [*view.present, *view.absent]}
    try:
        pdf = render_protokoll_pdf(view, names)
    except PdfUnavailable as e:
        raise click.ClickException(str(e)) from e
    with open(output, "wb") as f:
        f.write(pdf)
    click.echo(output)


@meeting.command("add-case")
@MEETING
@click.argument("case_ref", metavar="CASE")
@AS
@VERSION
@click.pass_obj
def add_case(
    ctx: Any, meeting: str, case_ref: str, as_email: str | None, expected_version: int | None
) -> None:
    """Put a case on the meeting's list (a board meeting: the submission, R1/R2). Before
    the invitation it waits unnumbered; after it, it is a supplementary item."""
    mid = _meeting_id(meeting)
    _change(
        ctx,
        as_email,
        lambda a, who: a.add_case_to_meeting(who, mid, case_ref, expected_version=expected_version),
    )


@meeting.command("add-item")
@MEETING
@click.argument("title")
@AS
@VERSION
@click.pass_obj
def add_item(
    ctx: Any, meeting: str, title: str, as_email: str | None, expected_version: int | None
) -> None:
    """Add a standing (non-case) item."""
    mid = _meeting_id(meeting)
    _change(
        ctx,
        as_email,
        lambda a, who: a.add_standing_item(who, mid, title, expected_version=expected_version),
    )


@meeting.command("add-standard")
@MEETING
@click.option(
    "--part", type=click.Choice(["opening", "closing", "all"]), default="all", show_default=True
)
@AS
@VERSION
@click.pass_obj
def add_standard(
    ctx: Any, meeting: str, part: str, as_email: str | None, expected_version: int | None
) -> None:
    """Add the body's standard standing items (opening first, closing last)."""
    mid = _meeting_id(meeting)
    _change(
        ctx,
        as_email,
        lambda a, who: a.add_standard_items(who, mid, part, expected_version=expected_version),
    )


@meeting.command("move")
@MEETING
@click.argument("item")
@click.option("--to", "position", type=int, default=None, help="The new place (1 = first)")
@click.option("--up", "direction", flag_value=-1, type=int, default=None)
@click.option("--down", "direction", flag_value=1, type=int)
@AS
@VERSION
@click.pass_obj
def move(
    ctx: Any,
    meeting: str,
    item: str,
    position: int | None,
    direction: int | None,
    as_email: str | None,
    expected_version: int | None,
) -> None:
    """Order the waiting agenda: move ITEM --up, --down or --to a place."""
    if (position is None) == (direction is None):
        raise click.UsageError("give one of --to N, --up, --down")
    mid = _meeting_id(meeting)

    def command(a: Any, who: UUID | None) -> MeetingView:
        key = item_key(a.get_meeting(mid), item)
        if position is not None:
            return a.move_item(who, mid, key, position, expected_version=expected_version)
        return a.move_item_by(who, mid, key, direction, expected_version=expected_version)

    _change(ctx, as_email, command)


@meeting.command("invite")
@MEETING
@AS
@VERSION
@click.pass_obj
def invite(ctx: Any, meeting: str, as_email: str | None, expected_version: int | None) -> None:
    """Send the invitation: numbers the agenda in printed order, records the recipients."""
    mid = _meeting_id(meeting)
    _change(
        ctx,
        as_email,
        lambda a, who: a.send_invitation(who, mid, expected_version=expected_version),
    )


@meeting.command("supplement")
@MEETING
@AS
@VERSION
@click.pass_obj
def supplement(ctx: Any, meeting: str, as_email: str | None, expected_version: int | None) -> None:
    """Send the supplementary invitation for the supplementary items added since the last."""
    mid = _meeting_id(meeting)
    _change(
        ctx,
        as_email,
        lambda a, who: a.send_supplementary_invitation(who, mid, expected_version=expected_version),
    )


def _marking(name: str, method: str, doc: str) -> click.Command:
    @click.command(name, help=doc)
    @MEETING
    @click.argument("item")
    @click.option("--reason", required=True)
    @AS
    @VERSION
    @click.pass_obj
    def command(
        ctx: Any,
        meeting: str,
        item: str,
        reason: str,
        as_email: str | None,
        expected_version: int | None,
    ) -> None:
        mid = _meeting_id(meeting)

        def change(a: Any, who: UUID | None) -> MeetingView:
            key = item_key(a.get_meeting(mid), item)
            result: MeetingView = getattr(a, method)(
                who, mid, key, reason, expected_version=expected_version
            )
            return result

        _change(ctx, as_email, change)

    return command


meeting.add_command(
    _marking(
        "postpone-item",
        "postpone_item",
        "Postpone ITEM (utsatt): it keeps its number here, marked; its case waits again.",
    )
)
meeting.add_command(
    _marking(
        "withdraw-item",
        "withdraw_item",
        "Withdraw ITEM from the agenda (trukket): kept with its number, marked.",
    )
)


@meeting.command("cancel")
@MEETING
@click.option("--reason", required=True)
@AS
@VERSION
@click.pass_obj
def cancel(
    ctx: Any, meeting: str, reason: str, as_email: str | None, expected_version: int | None
) -> None:
    """Cancel a meeting not yet held: its cases go back to wait; numbers stay used."""
    mid = _meeting_id(meeting)
    _change(
        ctx,
        as_email,
        lambda a, who: a.cancel_meeting(who, mid, reason, expected_version=expected_version),
    )


@meeting.command("held")
@MEETING
@AS
@VERSION
@click.pass_obj
def held(ctx: Any, meeting: str, as_email: str | None, expected_version: int | None) -> None:
    """Mark the meeting as held (not before it starts)."""
    mid = _meeting_id(meeting)
    _change(ctx, as_email, lambda a, who: a.mark_held(who, mid, expected_version=expected_version))


@meeting.command("approve-minutes")
@MEETING
@AS
@VERSION
@click.pass_obj
def approve_minutes(
    ctx: Any, meeting: str, as_email: str | None, expected_version: int | None
) -> None:
    """Approve the minutes: the uploaded referat, else the generated protokoll (stored)."""
    mid = _meeting_id(meeting)
    _change(
        ctx, as_email, lambda a, who: a.approve_minutes(who, mid, expected_version=expected_version)
    )


@meeting.command("attendance")
@MEETING
@click.option("--present", "present", multiple=True, help="E-mail of a person present")
@click.option("--absent", "absent", multiple=True, help="E-mail of a person absent")
@AS
@VERSION
@click.pass_obj
def attendance(
    ctx: Any,
    meeting: str,
    present: tuple[str, ...],
    absent: tuple[str, ...],
    as_email: str | None,
    expected_version: int | None,
) -> None:
    """The minutes' attendance of a held meeting."""
    mid = _meeting_id(meeting)
    _change(
        ctx,
        as_email,
        lambda a, who: a.record_attendance(
            who,
            mid,
            [a.find_person_id(e) for e in present],
            [a.find_person_id(e) for e in absent],
            expected_version=expected_version,
        ),
    )


@meeting.command("decide")
@MEETING
@click.argument("item")
@click.option("--decision", required=True, help="The decision (vedtak)")
@AS
@VERSION
@click.pass_obj
def decide(
    ctx: Any,
    meeting: str,
    item: str,
    decision: str,
    as_email: str | None,
    expected_version: int | None,
) -> None:
    """The minutes' decision on ITEM; on a board case it is the case's decision step."""
    mid = _meeting_id(meeting)

    def change(a: Any, who: UUID | None) -> MeetingView:
        key = item_key(a.get_meeting(mid), item)
        view: MeetingView = a.record_item_decision(
            who, mid, key, decision, expected_version=expected_version
        )
        return view

    _change(ctx, as_email, change)


commands = [meeting]

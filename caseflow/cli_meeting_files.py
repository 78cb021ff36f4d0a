"""``caseflow meeting attach`` and ``caseflow meeting attachment``: the meeting page's file
upload and download (issue 16's parity), with the application's checks — a document for
the meeting or for one numbered item, or the minutes (referat) of a held meeting.
Registered on the ``meeting`` group of :mod:`caseflow.cli_meetings`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from caseflow.cli_meetings import AS, MEETING, VERSION, _actor, _app, _change, _meeting_id
from caseflow.domain.meeting_files import AttachmentKind

#: What the page's kind choice offers (the R14/R15 minutes are attached by the invitation).
KINDS = (AttachmentKind.DOCUMENT.value, AttachmentKind.MINUTES.value)


@click.command("attach")
@MEETING
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), default=AttachmentKind.DOCUMENT.value)
@click.option("--title", default="", help="The document's title (default: the file name)")
@click.option("--item", "item_number", type=int, default=None, help="The item's number")
@AS
@VERSION
@click.pass_obj
def attach(
    ctx: Any,
    meeting: str,
    file: Path,
    kind: str,
    title: str,
    item_number: int | None,
    as_email: str | None,
    expected_version: int | None,
) -> None:
    """Attach FILE to a meeting (its type checked by content, as on the page)."""
    mid, data = _meeting_id(meeting), file.read_bytes()
    if kind == AttachmentKind.MINUTES.value:
        _change(
            ctx,
            as_email,
            lambda app, who: app.record_minutes(
                who, mid, file.name, data, expected_version=expected_version
            ),
        )
        return
    _change(
        ctx,
        as_email,
        lambda app, who: app.add_attachment(
            who,
            mid,
            file.name,
            data,
            title=title,
            item_number=item_number,
            expected_version=expected_version,
        ),
    )


@click.command("attachment")
@MEETING
@click.argument("sha256")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@AS
@click.pass_obj
def attachment(ctx: Any, meeting: str, sha256: str, output: Path, as_email: str | None) -> None:
    """Write a meeting's attachment (named by its SHA-256) to OUTPUT."""
    meta, data = _app(ctx).attachment_file(_actor(ctx, as_email), _meeting_id(meeting), sha256)
    output.write_bytes(data)
    click.echo(f"{output}: {meta.filename}, {meta.size} bytes, sha256 {meta.sha256}")


commands = (attach, attachment)

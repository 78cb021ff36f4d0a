"""``caseflow archive einnsyn OUTDIR`` and ``caseflow publish einnsyn --url URL`` (issue 18).

The messages are the catalogs' (``caseflow.i18n``, ``CASEFLOW_LANGUAGE``); errors are one
line on stderr and exit status 1. The application is the one ``caseflow`` opened
(``--database-url`` / ``CASEFLOW_DATABASE_URL``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from caseflow import i18n
from caseflow.archive.einnsyn.client import EinnsynClient
from caseflow.archive.einnsyn.export import write_export
from caseflow.archive.einnsyn.mapping import DEFAULT_BASE_URL, einnsyn_objects
from caseflow.archive.einnsyn.publisher import Publisher, PublishFailed, PublishResult
from caseflow.persistence.einnsyn_sent import open_einnsyn_sent

API_KEY = "CASEFLOW_EINNSYN_API_KEY"

#: Show a progress bar (on a terminal) from this many objects.
PROGRESS_FROM = 200


def say(key: str, **params: Any) -> str:
    return i18n.translate(key, params, i18n.cli_language(os.environ))


def fail(message: str) -> None:
    click.echo(f"caseflow: {message}", err=True)
    sys.exit(1)


def _app(ctx: click.Context) -> Any:
    """The application ``caseflow`` opened for this command (its ``AppContext``)."""
    return ctx.find_root().obj.app


_base_url = click.option(
    "--base-url",
    envvar="CASEFLOW_BASE_URL",
    default=DEFAULT_BASE_URL,
    show_default=True,
    help="Where the public pages are: the base of each published file's address",
)


@click.command("einnsyn")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@_base_url
@click.pass_context
def archive_einnsyn(ctx: click.Context, outdir: Path, base_url: str) -> None:
    """Write eInnsyn's documents (one JSON file per object, in publishing order, and
    index.json) to OUTDIR."""
    objects = _objects(_app(ctx), base_url)
    write_export(objects, outdir)
    click.echo(
        say("%(count)s eInnsyn documents written to %(path)s", count=len(objects), path=outdir)
    )


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None] | None]:
    """A rich progress bar on stderr for a large run on a terminal; else nothing."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    if total < PROGRESS_FROM or not console.is_terminal:
        yield None
        return
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(say("Publishing on eInnsyn"), total=total)
        yield lambda: progress.advance(task)


@contextmanager
def _reading() -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr while a large store's cases are read (a terminal)."""
    from rich.console import Console
    from rich.progress import Progress, TaskID

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with Progress(console=console, transient=True) as progress:
        task: list[TaskID] = []

        def advance(done: int, total: int) -> None:
            if total < PROGRESS_FROM:
                return
            if not task:
                task.append(progress.add_task(say("Reading the cases"), total=total))
            progress.update(task[0], completed=done)

        yield advance


def _objects(app: Any, base_url: str) -> list[Any]:
    with _reading() as progress:
        return einnsyn_objects(app, base_url, progress)


def _summary(result: PublishResult) -> str:
    return say(
        "eInnsyn: %(created)s created, %(updated)s updated, %(deleted)s deleted, "
        "%(unchanged)s unchanged",
        created=result.created + result.adopted,
        updated=result.updated,
        deleted=result.deleted,
        unchanged=result.unchanged,
    )


def _failure(e: PublishFailed) -> str:
    what = f" ({e.obj.entity} {e.obj.label})" if e.obj is not None and e.obj.label else ""
    return say(
        "%(request)s%(what)s failed: %(status)s %(message)s — %(done)s sent before it "
        "are recorded; run the command again to go on",
        request=f"eInnsyn {e.error.method} {e.error.path}",
        what=what,
        status=e.error.status or say("no answer"),
        message=e.error.message,
        done=e.done.created + e.done.updated + e.done.deleted + e.done.adopted,
    )


@click.command("einnsyn")
@click.option("--url", required=True, help="eInnsyn's API, e.g. https://api.einnsyn.no")
@_base_url
@click.option("--retries", default=3, show_default=True, help="Tries again per request")
@click.option("--backoff", default=1.0, show_default=True, help="Seconds before the 1st retry")
@click.option("--dry-run", is_flag=True, help="Say what would be sent; send nothing")
@click.pass_context
def publish_einnsyn(
    ctx: click.Context, url: str, base_url: str, retries: int, backoff: float, dry_run: bool
) -> None:
    """Send the public records to eInnsyn (API key: CASEFLOW_EINNSYN_API_KEY): what it
    has not got, each object once, changes as updates. --dry-run says what that would be
    (from what was recorded as sent; no request, no key needed)."""
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(say("an http:// or https:// address"), param_hint="--url")
    key = (os.environ.get(API_KEY) or "").strip()
    if not key and not dry_run:
        fail(
            say(
                "%(name)s is not set: eInnsyn needs the API key of the publishing body",
                name=API_KEY,
            )
        )
    app = _app(ctx)
    objects = _objects(app, base_url)
    publisher = Publisher(
        EinnsynClient(url, key, retries=retries, backoff=backoff), open_einnsyn_sent(app)
    )
    if dry_run:
        click.echo(say("Nothing sent (--dry-run). It would be:"))
        click.echo(_summary(publisher.plan(objects)))
        return
    try:
        with _progress(len(objects)) as advance:
            result = publisher.publish(objects, advance)
    except PublishFailed as e:
        fail(_failure(e))
        return
    click.echo(_summary(result))


#: Added to ``caseflow archive`` by :func:`caseflow.archive.cli.register`.
archive_commands: list[click.Command] = [archive_einnsyn]
#: Added to ``caseflow publish``.
publish_commands: list[click.Command] = [publish_einnsyn]

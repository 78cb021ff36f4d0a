"""`caseflow` subcommands contributed by :mod:`caseflow.readmodels` (registered by caseflow.cli):
``caseflow project [--once]``, ``caseflow rebuild [NAME…]`` and ``caseflow search QUERY``."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from caseflow.readmodels.service import (
    REPORT_BEHIND,
    TIDY_AFTER,
    ReadModelService,
    projection_names,
)


def _service(ctx: Any) -> ReadModelService:
    from caseflow.readmodels import open_read_models

    app = ctx.app
    return open_read_models(app, ctx.settings)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar over log positions (done of total, events/s, time left); yields
    the ``progress(done, total)`` callback the catch-up and the rebuild take."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} events/s"),
        TimeElapsedColumn(),
        TextColumn("remaining"),
        TimeRemainingColumn(),
    )
    started = time.monotonic()
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(description, total=None, rate="-")

        def progress(done: int, total: int) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=done, total=total, rate=f"{done / elapsed:,.0f}")

        yield progress


def catch_up_with_bar(service: ReadModelService, *, quiet: bool = False) -> int:
    """Catch every read model and follower up with the log, with a progress bar when more
    than a few thousand events are new (none with ``quiet``). Returns events read."""
    behind = service.head() - min(service.positions().values(), default=0)
    if quiet or behind < REPORT_BEHIND:
        read = service.catch_up()
    else:
        with progress_bar("read models") as progress:
            read = service.catch_up(progress=progress)
    if read >= TIDY_AFTER:
        service.tidy()
    return read


@click.command()
@click.option("--once", is_flag=True, help="Catch up with the log and exit")
@click.option(
    "--poll",
    default=0.5,
    show_default=True,
    type=float,
    help="Seconds between looks at the log (SQLite; the runner's check interval on PostgreSQL)",
)
@click.option(
    "--resume",
    "resume",
    multiple=True,
    metavar="NAME",
    help="Try a stopped read model's failing event again (repeatable; 'all' for every one)",
)
@click.pass_obj
def project(ctx: Any, once: bool, poll: float, resume: tuple[str, ...]) -> None:
    """Run every projection and the hash chain: catch up and exit with --once, else follow
    the log until stopped (PostgreSQL: the library's ProjectionRunner per projection,
    restarted with backoff after a dropped connection). A read model that cannot apply an
    event stops there, says where and why, and the others go on (exit 1 with --once)."""
    if resume:
        service = _service(ctx)
        names = [] if "all" in resume else list(resume)
        try:
            resumed = service.resume(names)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--resume") from None
        click.echo(f"resumed: {', '.join(resumed) or 'none was stopped'}", err=True)
    if once:
        service = _service(ctx)
        started = time.monotonic()
        n = catch_up_with_bar(service)
        took = time.monotonic() - started
        positions = ", ".join(f"{k} {v}" for k, v in service.positions().items())
        click.echo(f"processed {n} events in {took:.1f} s; positions: {positions}")
        problems = [
            f"read model {name} stopped at position {st.position}: {st.reason}"
            for name, st in service.stopped.items()
        ] + [f"{name} stopped: {why}" for name, why in service.follower_errors.items()]
        from caseflow.readmodels.runner import LOOP_HOOKS

        for hook in LOOP_HOOKS:  # e.g. the notifier (issue 17)
            hook(service.app, ctx.settings)
        for line in problems:
            click.echo(f"caseflow project: {line}", err=True)
        if problems:
            sys.exit(1)
        return
    from caseflow.ledger import DigestSchedule
    from caseflow.persistence import open_application
    from caseflow.readmodels.runner import follow

    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    url = ctx.url

    def report(line: str) -> None:
        click.echo(f"caseflow project: {line}", err=True)
        sys.stderr.flush()

    follow(
        lambda: open_application(url),
        stop,
        poll=poll,
        report=report,
        hooks=[_signed(DigestSchedule(), report)],
    )


def _signed(schedule: Any, report: Any) -> Any:
    """The follow loop's hook: sign the chain's head when a digest is due
    (``CASEFLOW_DIGEST_MINUTES``; files in ``CASEFLOW_DIGEST_DIR``, outside the database),
    and say so; nothing without a signing key (``caseflow audit keygen``)."""

    def hook(app: Any, settings: Any) -> None:
        signed = schedule(app, settings)
        if signed is not None:
            report(f"signed a digest of the chain at position {signed['position']}")

    return hook


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME…]")
@click.option("--quiet", is_flag=True, help="No progress bar")
@click.pass_obj
def rebuild(ctx: Any, names: tuple[str, ...], quiet: bool) -> None:
    """Rebuild read models (all, or NAME: cases, audit, roles, meetings, search) from the log
    into new tables; the old ones serve until the new are complete, then are swapped."""
    service = _service(ctx)
    chosen = list(service.select(names))
    started = time.monotonic()
    if quiet:
        result = service.rebuild(names)
    else:
        with progress_bar(f"rebuild {', '.join(chosen)}") as progress:
            result = service.rebuild(names, progress=progress)
    service.tidy()
    took = time.monotonic() - started
    for name, position in result.items():
        click.echo(f"{name}: rebuilt to position {position}")
    click.echo(f"done in {took:.1f} s")


@click.command("search")
@click.argument("query")
@click.option("--as", "as_email", default=None, help="The reader's e-mail (default: every case)")
@click.option("--page", type=click.IntRange(1, 10000), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
@click.pass_obj
def search(
    ctx: Any, query: str, as_email: str | None, page: int, per_page: int, as_json: bool
) -> None:
    """Full-text search of the cases (the search page's): titles, summaries, references,
    board numbers ("Sak 62/26") and documents' text, ranked; with --as, only the cases
    that person may see. Matches are shown *like this*."""
    import json

    from caseflow.domain.permissions.visibility import case_visibility
    from caseflow.readmodels.api import CaseFilter

    app = ctx.app
    reader = app.find_person_id(as_email) if as_email else None
    visible = case_visibility(app.actor(reader), app.kg_id()) if reader else None
    service = _service(ctx)
    service.freshen()
    found = service.search(CaseFilter(q=query, visible=visible, page=page, per_page=per_page))
    if as_json:
        items = [
            {
                "id": str(h.case.id),
                "reference": h.case.reference,
                "title": h.case.title,
                "status": h.case.status,
                "board_number": h.case.board_number,
                "source": h.source,
                "snippet": [[text, hit] for text, hit in h.snippet],
            }
            for h in found.items
        ]
        body = {"items": items, "page": page, "per_page": per_page, "total": found.total}
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    click.echo(f"{found.total} case(s) match; page {found.page} of {found.pages}")
    for h in found.items:
        number = f" {h.case.board_number}" if h.case.board_number else ""
        click.echo(f"{h.case.reference}{number} [{h.case.status}] {_starred(h.title)}")
        if h.snippet:
            click.echo(f"    {h.source}: {_starred(h.snippet)}")


def _starred(segments: Any) -> str:
    return "".join(f"*{text}*" if hit else text for text, hit in segments)


#: Commands added to the top-level `caseflow` group.
commands: list[click.Command] = [project, rebuild, search]

__all__ = ["commands", "project", "projection_names", "rebuild", "search"]

"""`caseflow` subcommands contributed by :mod:`caseflow.readmodels` (registered by caseflow.cli):
``caseflow project [--once]`` and ``caseflow rebuild [NAME…]``."""

from __future__ import annotations

import signal
import sys
import threading
import time
from typing import Any

import click

from caseflow.readmodels.service import TIDY_AFTER, ReadModelService, projection_names


def _service(ctx: Any) -> ReadModelService:
    from caseflow.readmodels import open_read_models

    app = ctx.app
    return open_read_models(app, ctx.settings)


@click.command()
@click.option("--once", is_flag=True, help="Catch up with the log and exit")
@click.option(
    "--poll",
    default=0.5,
    show_default=True,
    type=float,
    help="Seconds between looks at the log (SQLite; the runner's check interval on PostgreSQL)",
)
@click.pass_obj
def project(ctx: Any, once: bool, poll: float) -> None:
    """Run every projection: catch up and exit with --once, else follow the log until
    stopped (PostgreSQL: the library's ProjectionRunner per projection, restarted with
    backoff after a dropped connection)."""
    if once:
        service = _service(ctx)
        started = time.monotonic()
        n = service.catch_up()
        if n >= TIDY_AFTER:
            service.tidy()
        took = time.monotonic() - started
        positions = ", ".join(f"{k} {v}" for k, v in service.positions().items())
        click.echo(f"processed {n} events in {took:.1f} s; positions: {positions}")
        return
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

    follow(lambda: open_application(url), stop, poll=poll, report=report)


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME…]")
@click.option("--quiet", is_flag=True, help="No progress bar")
@click.pass_obj
def rebuild(ctx: Any, names: tuple[str, ...], quiet: bool) -> None:
    """Rebuild read models (all, or NAME: cases, audit, roles, meetings) from the log
    into new tables; the old ones serve until the new are complete, then are swapped."""
    service = _service(ctx)
    chosen = list(service.select(names))
    started = time.monotonic()
    if quiet:
        result = service.rebuild(names)
    else:
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
        with Progress(*columns, transient=False) as bar:
            task = bar.add_task(f"rebuild {', '.join(chosen)}", total=None, rate="-")

            def progress(done: int, total: int) -> None:
                elapsed = max(time.monotonic() - started, 1e-6)
                bar.update(task, completed=done, total=total, rate=f"{done / elapsed:,.0f}")

            result = service.rebuild(names, progress=progress)
    service.tidy()
    took = time.monotonic() - started
    for name, position in result.items():
        click.echo(f"{name}: rebuilt to position {position}")
    click.echo(f"done in {took:.1f} s")


#: Commands added to the top-level `caseflow` group.
commands: list[click.Command] = [project, rebuild]

__all__ = ["commands", "project", "projection_names", "rebuild"]

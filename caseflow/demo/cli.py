"""`caseflow` subcommands contributed by :mod:`caseflow.demo` (registered by caseflow.cli)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

import click

#: Commands added to the top-level `caseflow` group.
commands: list[click.Command] = []


def _parse_present(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date-time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command("demo")
@click.option(
    "--scale",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Add N years of a national-sized installation (N=10: ~10,000 cases, ~1M events).",
)
@click.option("--seed", type=int, default=2025, show_default=True, help="Random seed.")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing (exit 0) when the store already has events, instead of refusing.",
)
@click.option(
    "--batch/--no-batch",
    default=None,
    help="Save in large transactions (the default) or one command at a time.",
)
@click.option(
    "--cases-per-year", type=click.IntRange(min=1), default=None, hidden=True
)  # tests: a small fraction of the scale
@click.option("--present", default=None, hidden=True, help="The demo's 'today' (ISO 8601).")
@click.option("--quiet", is_flag=True, hidden=True)
@click.pass_obj
def demo(
    ctx: Any,
    scale: int,
    seed: int,
    if_empty: bool,
    batch: bool | None,
    cases_per_year: int | None,
    present: str | None,
    quiet: bool,
) -> None:
    """Load the demo organisation, accounts, meetings and cases into an empty store and
    print the demo accounts."""
    from rich.console import Console

    from caseflow.demo.batch import BatchedCaseflow
    from caseflow.demo.generator import SCALE_CASES_PER_YEAR, generate, store_is_empty

    moment = _parse_present(present)
    console = Console(stderr=False, quiet=quiet)
    app = ctx.app
    if not store_is_empty(app):
        if if_empty:
            console.print("The store already has events; the demo was not loaded.")
            return
        click.echo(
            "caseflow: the store already has events; `caseflow demo` loads only into an "
            "empty store (point CASEFLOW_DATABASE_URL at a new database)",
            err=True,
        )
        sys.exit(1)
    use_batch = True if batch is None else batch  # the same log, a few times faster
    target = (
        BatchedCaseflow(env=dict(ctx.settings.env), settings=app.settings) if use_batch else app
    )  # the settings the CLI gave
    target.use_attachment_store(app.attachment_store)  # the one the CLI made
    try:
        with _progress(console, quiet) as report:
            result = generate(
                target,
                seed=seed,
                years=scale,
                cases_per_year=cases_per_year or SCALE_CASES_PER_YEAR,
                present=moment,
                progress=report,
            )
    finally:
        if target is not app:
            target.close()
    _catch_up(ctx, quiet)
    _summary(console, result)


def _catch_up(ctx: Any, quiet: bool) -> None:
    """Leave the store with every read model (and the hash chain) caught up, so the first
    page a server shows after the demo is instant and complete."""
    from caseflow.readmodels import open_read_models
    from caseflow.readmodels.cli import catch_up_with_bar
    from caseflow.readmodels.runner import LOADED_HOOKS

    catch_up_with_bar(open_read_models(ctx.app, ctx.settings), quiet=quiet)
    for hook in LOADED_HOOKS:  # e.g. the notifier starts here (issue 17)
        hook(ctx.app, ctx.settings)


commands.append(demo)


class _progress:
    """A rich progress bar over simulated time, with events and events/s."""

    def __init__(self, console: Any, quiet: bool) -> None:
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[events]:>10,} events"),
            TextColumn("{task.fields[rate]:>8,.0f} events/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=quiet,
            transient=False,
        )
        self.task = self.bar.add_task("demo", total=1.0, events=0, rate=0.0)

    def __enter__(self) -> Any:
        import time

        self.bar.__enter__()
        began = time.perf_counter()

        def report(fraction: float, now: datetime, events: int) -> None:
            elapsed = max(time.perf_counter() - began, 1e-9)
            self.bar.update(
                self.task,
                completed=fraction,
                description=f"{now:%Y-%m-%d}",
                events=events,
                rate=events / elapsed,
            )

        return report

    def __exit__(self, *exc: Any) -> None:
        self.bar.__exit__(*exc)


def _summary(console: Any, result: Any) -> None:
    from rich.table import Table

    console.print(
        f"Loaded the demo: {result.cases:,} cases, {result.events:,} events in "
        f"{result.seconds:,.1f} s ({result.events_per_second:,.0f} events/s), "
        f"simulated {result.start:%d.%m.%Y}–{result.present:%d.%m.%Y}, seed {result.seed}."
    )
    statuses = Table(title="Cases by status")
    statuses.add_column("status")
    statuses.add_column("cases", justify="right")
    for status, n in sorted(result.statuses.items()):
        statuses.add_row(status, f"{n:,}")
    console.print(statuses)
    table = Table(title="Demo accounts (password: demo)")
    table.add_column("e-mail")
    table.add_column("name")
    table.add_column("who")
    for acc in result.accounts:
        table.add_row(acc.email, acc.name, acc.who)
    console.print(table)

"""``caseflow archive noark5 OUTDIR [--year YYYY]`` (issue 18)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from caseflow import i18n


def _standards(value: Path | None) -> Path | None:
    """The published schemas to copy into the package: ``--schemas``, else
    ``CASEFLOW_STANDARDS_DIR`` when it holds them."""
    if value is not None:
        return value
    configured = os.environ.get("CASEFLOW_STANDARDS_DIR")
    if configured and (Path(configured) / "noark5" / "v5.0").is_dir():
        return Path(configured)
    return None


@click.command("noark5")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--year", type=click.IntRange(1900, 2200), default=None, help="Only that year")
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder with noark5/v5.0 and addml/v8.3: the schemas go into the package",
)
@click.pass_obj
def noark5(ctx: Any, outdir: Path, year: int | None, schemas: Path | None) -> None:
    """Write a Noark 5 v5.0 arkivuttrekk of the store into OUTDIR."""
    from caseflow.archive.noark5 import export_noark5

    if outdir.exists() and any(outdir.iterdir()):
        raise click.UsageError(
            i18n.translate(
                "%(folder)s is not empty: give a new or empty folder",
                {"folder": str(outdir)},
                i18n.cli_language(os.environ),
            )
        )
    report = export_noark5(ctx.app, outdir, year=year, standards=_standards(schemas))
    click.echo(
        i18n.translate(
            "Noark 5 extract in %(folder)s: %(cases)s cases, %(meetings)s meetings, "
            "%(documents)s files, %(changes)s changes (%(seconds)s s)",
            {
                "folder": str(report.directory),
                "cases": report.cases,
                "meetings": report.meetings,
                "documents": report.documents,
                "changes": report.changes,
                "seconds": round(report.seconds, 1),
            },
            i18n.cli_language(os.environ),
        )
    )


#: Added to ``caseflow archive`` by :func:`caseflow.archive.cli.register`.
archive_commands: list[click.Command] = [noark5]

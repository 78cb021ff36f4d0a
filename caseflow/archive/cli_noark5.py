"""``caseflow archive noark5 OUTDIR [--year YYYY]`` (issue 18)."""

from __future__ import annotations

import click

#: Added to ``caseflow archive`` by :func:`caseflow.archive.cli.register`.
archive_commands: list[click.Command] = []

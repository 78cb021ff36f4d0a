"""``caseflow archive einnsyn OUTDIR`` and ``caseflow publish einnsyn --url URL`` (issue 18)."""

from __future__ import annotations

import click

#: Added to ``caseflow archive`` by :func:`caseflow.archive.cli.register`.
archive_commands: list[click.Command] = []
#: Added to ``caseflow publish``.
publish_commands: list[click.Command] = []

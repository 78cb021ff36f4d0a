"""`caseflow` subcommands contributed by :mod:`caseflow.ledger` (registered by caseflow.cli)."""

from __future__ import annotations

import click

#: Commands added to the top-level `caseflow` group.
commands: list[click.Command] = []

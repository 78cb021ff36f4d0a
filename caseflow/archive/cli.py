"""``caseflow archive …`` and ``caseflow publish …`` (issue 18).

The groups are declared here; their commands live beside what they write
(:mod:`caseflow.archive.cli_noark5`, :mod:`caseflow.archive.cli_einnsyn`) and are added
to these groups by :func:`register`, which ``caseflow/cli.py`` calls.
"""

from __future__ import annotations

import click


@click.group()
def archive() -> None:
    """Write archive extracts: Noark 5 (arkivuttrekk) and eInnsyn's documents."""


@click.group()
def publish() -> None:
    """Send what the public may read to a publishing service (eInnsyn)."""


def register() -> list[click.Command]:
    """The two groups, each with its commands."""
    from caseflow.archive import cli_einnsyn, cli_noark5

    for command in cli_noark5.archive_commands + cli_einnsyn.archive_commands:
        archive.add_command(command)
    for command in cli_einnsyn.publish_commands:
        publish.add_command(command)
    return [archive, publish]

"""`caseflow` subcommands contributed by :mod:`caseflow.ledger` (registered by caseflow.cli):
``caseflow audit verify|digest|keygen|export`` and ``caseflow db harden|roles|migrate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from caseflow.ledger import digest as digests


def _ledger(ctx: Any, key: str | None = None) -> Any:
    from caseflow.ledger import Ledger

    return Ledger(ctx.app, ctx.settings, key_path=key)


def _fail(message: str, code: int = 1) -> None:
    """One readable line on stderr (a database's multi-line error folded), then exit."""
    click.echo("caseflow: " + " ".join(str(message).split()), err=True)
    sys.exit(code)


def checked_text(ledger: Any, result: Any) -> str:
    """What verification checked (events, the chain, signed digests) and, when no digest
    was checked, what a digest is and how to file one."""
    files = len(list(ledger.digest_dir.glob("*.json")))
    stored = len(ledger.digests())
    lines = [
        "checked:",
        f"  events   {result.events} stored events read again from their stored bytes",
        f"  chain    every hash recomputed from its event and the hash before it, and "
        f"compared with the stored chain up to position {result.head_position or 0}",
        f"  digests  {result.digests_checked} signed digest(s) checked "
        f"({files} file(s) in {ledger.digest_dir}, {stored} in the database)",
    ]
    if not result.digests_checked:
        lines += [
            "",
            "No signed digest was checked, so only the database's own chain was compared:",
            "someone who can write the database could change an event and re-chain it.",
            "A signed digest is the chain's head (position, hash, time) signed with the",
            "audit key, which is kept outside the database. To file one:",
            "  caseflow audit keygen     (once: the signing key, CASEFLOW_AUDIT_KEY)",
            "  caseflow audit digest     (writes it to CASEFLOW_DIGEST_DIR and the database)",
            "and keep a copy elsewhere; later: caseflow audit verify --digest FILE.",
            "'caseflow project' signs one every CASEFLOW_DIGEST_MINUTES (60) when it has a key.",
        ]
    return "\n".join(lines)


key_option = click.option(
    "--key",
    "key",
    default=None,
    envvar="CASEFLOW_AUDIT_KEY",
    help=f"Ed25519 private key file (default: {digests.DEFAULT_KEY_PATH})",
)


@click.group()
def audit() -> None:
    """Verifiable history: hash chain, signed digests, verification, export."""


@audit.command("verify")
@click.option(
    "--digest",
    "digest_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A digest filed elsewhere (JSON, as printed by 'caseflow audit digest')",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
@click.pass_obj
def verify(ctx: Any, digest_file: Path | None, as_json: bool) -> None:
    """Re-read the log, recompute the chain and compare it with the stored chain and the
    digests. Exit 0 if the history is intact, 1 naming the first position that differs."""
    given = None
    if digest_file is not None:
        try:
            given = json.loads(digest_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            _fail(f"--digest: cannot read {digest_file}: {e}", 2)
        if not isinstance(given, dict):
            _fail(f"--digest: {digest_file} is not a digest (a JSON object)", 2)
    from eventsourcing.persistence import PersistenceError

    ledger = _ledger(ctx)
    try:
        result = ledger.verify(given)
    except PersistenceError as e:
        _fail(f"cannot verify: the store did not answer ({type(e).__name__}: {e})")
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    elif result.ok:
        click.echo(
            f"ok: {result.events} events, head position {result.head_position}, "
            f"hash {result.head_hash}"
            + (f", {result.digests_checked} digest(s) match" if result.digests_checked else "")
        )
        click.echo(checked_text(ledger, result))
    if not result.ok:
        _fail(
            f"history differs at position {result.first_bad_position} "
            f"({result.kind}): {result.message}"
        )


@audit.command("digest")
@key_option
@click.option("--list", "list_all", is_flag=True, help="Print every stored digest instead")
@click.option("--no-verify", is_flag=True, help="Sign the head without verifying the log first")
@click.pass_obj
def digest(ctx: Any, key: str | None, list_all: bool, no_verify: bool) -> None:
    """Sign the chain head (position, hash, time), store the digest (in the digest table and
    as a file in CASEFLOW_DIGEST_DIR) and print it as JSON (with the public key): file it
    somewhere the database owner cannot reach too. 'caseflow project' signs one every
    CASEFLOW_DIGEST_MINUTES (60) when there are new events and a key."""
    ledger = _ledger(ctx, key)
    if list_all:
        click.echo(json.dumps(ledger.digests(), indent=2))
        return
    click.echo(json.dumps(ledger.sign_digest(verify=not no_verify), indent=2))
    click.echo(f"written to {ledger.last_digest_file} and the digest table", err=True)


@audit.command("keygen")
@key_option
@click.option("--force", is_flag=True, help="Replace an existing key")
def keygen(key: str | None, force: bool) -> None:
    """Make the Ed25519 signing key (file mode 0600), outside the database."""
    path = digests.key_path(key)
    public = digests.generate_key(path, force=force)
    click.echo(f"wrote {path} (public key {public})")


@audit.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output)",
)
@click.pass_obj
def export(ctx: Any, fmt: str, output: Path | None) -> None:
    """Write the audit trail with chain hashes, for re-verification elsewhere."""
    ledger = _ledger(ctx)
    if output is None:
        count = ledger.export(fmt, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as out:
            count = ledger.export(fmt, out)
        click.echo(f"wrote {count} events to {output}", err=True)


@click.group()
def db() -> None:
    """Database administration."""


@db.command("harden")
@click.pass_obj
def harden(ctx: Any) -> None:
    """Make the stored events (and the chain and digests) refuse UPDATE and DELETE."""
    for what in _ledger(ctx).harden():
        click.echo(f"refused from now on: {what}")


@db.command("roles")
@click.option("--owner", required=True, help="The role that owns the tables (DDL, migrations)")
@click.option("--app", "app_role", required=True, help="The role the application connects as")
@click.option(
    "--owner-password-stdin",
    is_flag=True,
    help="Read the owner's password from the first line of standard input (it may log in)",
)
@click.option(
    "--app-password-stdin",
    is_flag=True,
    help="Read the application role's password from standard input (the next line)",
)
@click.pass_obj
def roles(
    ctx: Any, owner: str, app_role: str, owner_password_stdin: bool, app_password_stdin: bool
) -> None:
    """PostgreSQL least privilege: create (or bring back in line) an owner role and an
    application role in the database and schema of CASEFLOW_DATABASE_URL, connected as a
    superuser; create the missing tables, install the guards, give the owner every object
    and the application role only what it uses. Idempotent: run again after an upgrade."""
    import psycopg

    from caseflow.ledger.roles import RolesError, setup_roles

    lines = sys.stdin.read().splitlines() if owner_password_stdin or app_password_stdin else []
    passwords: dict[str, str | None] = {"owner": None, "app": None}
    for which, wanted in (("owner", owner_password_stdin), ("app", app_password_stdin)):
        if wanted:
            if not lines or not lines[0]:
                _fail(f"--{which}-password-stdin: no password on standard input", 2)
            passwords[which] = lines.pop(0)
    try:
        done = setup_roles(
            ctx.url,
            owner,
            app_role,
            owner_password=passwords["owner"],
            app_password=passwords["app"],
            create_read_side=ctx.create_read_side,
        )
    except RolesError as e:
        _fail(str(e))
    except psycopg.Error as e:
        _fail(f"PostgreSQL refused: {e}")
    for line in done:
        click.echo(line)
    click.echo(
        f"now connect the web app and 'caseflow project' as {app_role}, and run "
        f"'caseflow db migrate' and 'caseflow rebuild' as {owner}"
    )


@db.command("migrate")
@click.pass_obj
def migrate(ctx: Any) -> None:
    """Create the tables a new release needs and install the guards: run as the owner role
    (the application role may not create tables, and says so when one is missing)."""
    from caseflow.ledger.roles import migrate as run_migrations

    app = ctx.app
    settings = ctx.settings
    if settings is not None and settings.env.get("CREATE_TABLE") == "n":
        _fail(
            "'caseflow db migrate' must run as the owner role: the role of "
            "CASEFLOW_DATABASE_URL may not create tables in this schema"
        )
    for line in run_migrations(app, settings, create_read_side=ctx.create_read_side):
        click.echo(line)


#: Commands added to the top-level `caseflow` group.
commands: list[click.Command] = [audit, db]

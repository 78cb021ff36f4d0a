"""Least privilege on PostgreSQL: an owner role for DDL and migrations, and an application
role that appends events, reads, and writes the read models and the chain — and nothing
else (docs/auditors-guide.md, "Least privilege on PostgreSQL").

:func:`setup_roles` (``caseflow db roles``) runs once as a superuser on the database and
schema of ``CASEFLOW_DATABASE_URL`` and again after every upgrade; it is idempotent:

1. creates the two roles if missing (neither superuser, CREATEDB, CREATEROLE, REPLICATION
   nor BYPASSRLS; the application role is not a member of the owner);
2. gives the owner ``USAGE, CREATE`` on the schema, the application ``USAGE`` only;
3. creates every missing table (:func:`migrate`) and installs the guards
   (:meth:`caseflow.ledger.store.PostgresChainRecorder.harden`);
4. makes the owner own every table, sequence, type and function of the schema;
5. grants the application role exactly what it uses:

   - events: ``SELECT``; ``INSERT`` of the four columns the event store writes (never the
     position: it comes from the sequence); ``UPDATE``, which PostgreSQL requires for the
     event store's ``LOCK TABLE … IN EXCLUSIVE MODE`` and the guard refuses as a statement;
   - ``caseflow_chain``, ``caseflow_digests``: ``SELECT, INSERT``; the chain's tracking:
     ``SELECT, INSERT, UPDATE`` (forward only, by the guard);
   - every other table (read models and their tracking, the projection bookkeeping):
     ``SELECT, INSERT, UPDATE, DELETE``, also by default for tables the owner creates later
     (``caseflow rebuild``, a new read model);
   - ``USAGE`` on the sequences (``nextval``, not ``setval``).

No ``TRUNCATE``, ``TRIGGER``, ``REFERENCES``, no ownership: so the application role cannot
drop or disable a guard (``ALTER TABLE … DISABLE TRIGGER`` needs ownership), cannot ``SET
session_replication_role`` (superuser), and the guards fire on every row it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg import sql

from caseflow.ledger.store import CHAIN_TABLE, DIGESTS_TABLE, TRACKING_TABLE

#: An object of the schema that no extension installed.
_NOT_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = {oid} AND e.deptype = 'e')"

#: What a role must not have, and ``ALTER ROLE`` enforces.
NO_POWERS = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"


class RolesError(Exception):
    """The roles cannot be set up as asked (the message says why)."""


def migrate(
    app: Any,
    settings: Any,
    *,
    harden: bool = True,
    create_read_side: Callable[[Any, Any], Any] | None = None,
) -> list[str]:
    """Create every table Caseflow needs that is missing (events by opening ``app``, the
    chain, the read models and their bookkeeping through ``create_read_side``, which the
    composition root gives, the login throttle, the calendar subscriptions, the API
    tokens' last uses and what was sent to eInnsyn) and, with ``harden``, install the
    guards. Run by the owner role (``caseflow db migrate``) or a superuser; returns what
    was done."""
    from caseflow.ledger import Ledger

    done = ["tables: events, chain, digests, read models (created where missing)"]
    ledger = Ledger(app, settings)
    if create_read_side is not None:
        create_read_side(app, settings)
    for extra in _other_tables():
        extra(app)
    if harden:
        done += [f"refused from now on: {what}" for what in ledger.harden()]
    return done


def _other_tables() -> list[Callable[[Any], Any]]:
    """Creators of further tables opened outside the ledger and read models."""
    found: list[Callable[[Any], Any]] = []
    try:
        from caseflow.persistence import throttle
    except ImportError:  # pragma: no cover - depends on the release
        return found
    opener = getattr(throttle, "open_login_throttle", None)
    if callable(opener):
        found.append(opener)
    from caseflow.persistence.calendar_tokens import open_calendar_tokens

    found.append(open_calendar_tokens)  # calendar subscriptions (docs/security.md)
    from caseflow.persistence.token_uses import open_token_uses

    found.append(open_token_uses)  # API tokens' last use
    from caseflow.persistence.einnsyn_sent import open_einnsyn_sent

    found.append(open_einnsyn_sent)  # what was sent to eInnsyn (docs/einnsyn.md)
    return found


def setup_roles(
    url: str | None,
    owner: str,
    app_role: str,
    *,
    owner_password: str | None = None,
    app_password: str | None = None,
    create_read_side: Callable[[Any, Any], Any] | None = None,
) -> list[str]:
    """Create and grant the owner and application roles in the database and schema of
    ``url`` (or ``CASEFLOW_DATABASE_URL``), connected as a superuser. Idempotent. Returns
    what was done, one line each."""
    import psycopg

    from caseflow.persistence import ensure_schema, open_application, parse_database_url

    settings = parse_database_url(url)
    if not settings.is_postgres:
        raise RolesError("database roles exist on PostgreSQL only (this store is SQLite)")
    if owner == app_role:
        raise RolesError("the owner and the application role must be two different roles")
    assert settings.postgres_dsn is not None
    schema = settings.schema or "public"
    done: list[str] = []
    with psycopg.connect(settings.postgres_dsn) as conn:
        me, superuser = conn.execute(
            "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() or ("?", False)
        if not superuser:
            raise RolesError(
                f"'caseflow db roles' must connect as a superuser (it connected as {me})"
            )
        if me in (owner, app_role):
            raise RolesError(f"connect as a superuser other than {me} to set up {me}")
        done += _roles(conn, owner, app_role, owner_password, app_password)
        conn.commit()
    ensure_schema(settings)
    with psycopg.connect(settings.postgres_dsn) as conn:
        done += _schema(conn, schema, owner, app_role)
        conn.commit()
    app, opened = open_application(settings.url)
    try:
        events_table: str = app.recorder.events_table_name  # type: ignore[attr-defined]
        done += migrate(app, opened, create_read_side=create_read_side)
    finally:
        app.close()
    with psycopg.connect(settings.postgres_dsn) as conn:
        done += _ownership(conn, schema, owner)
        done += _grants(conn, schema, owner, app_role, events_table)
        conn.commit()
    return done


def _has_role(conn: Any, name: str) -> tuple[bool, bool]:
    """(exists, is superuser)."""
    row = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    return (row is not None, bool(row and row[0]))


def _roles(
    conn: Any,
    owner: str,
    app_role: str,
    owner_password: str | None,
    app_password: str | None,
) -> list[str]:
    done = []
    for name, login, password in ((owner, False, owner_password), (app_role, True, app_password)):
        exists, superuser = _has_role(conn, name)
        if superuser:
            raise RolesError(f"role {name} is a superuser: choose a role of its own")
        ident = sql.Identifier(name)
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} " + NO_POWERS).format(ident))
            done.append(f"created role {name}")
        conn.execute(sql.SQL("ALTER ROLE {} " + NO_POWERS).format(ident))
        if password is not None:
            conn.execute(
                sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password))
            )
            done.append(f"role {name} logs in with the password given")
        elif login:
            conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(ident))
    member = conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (app_role, owner)).fetchone()
    if member and member[0]:
        conn.execute(
            sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(owner), sql.Identifier(app_role))
        )
        again = conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (app_role, owner)).fetchone()
        if again and again[0]:
            raise RolesError(
                f"role {app_role} is a member of {owner} through another role: it must not "
                "be able to act as the owner"
            )
        done.append(f"role {app_role} is no longer a member of {owner}")
    done.append(f"roles {owner} (owner) and {app_role} (application): no superuser powers")
    return done


def _schema(conn: Any, schema: str, owner: str, app_role: str) -> list[str]:
    s, o, a = sql.Identifier(schema), sql.Identifier(owner), sql.Identifier(app_role)
    current = conn.execute(
        "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s", (schema,)
    ).fetchone()
    if current and current[0] == app_role:
        conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(s, o))
    for statement in (
        "GRANT USAGE, CREATE ON SCHEMA {s} TO {o}",
        "REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        "REVOKE ALL ON SCHEMA {s} FROM {a}",
        "GRANT USAGE ON SCHEMA {s} TO {a}",
    ):
        conn.execute(sql.SQL(statement).format(s=s, o=o, a=a))
    return [f"schema {schema}: {owner} may create, {app_role} may only use"]


def _ownership(conn: Any, schema: str, owner: str) -> list[str]:
    """Make ``owner`` own every table, view, sequence, type and function of ``schema``."""
    o = sql.Identifier(owner)
    moved = 0
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "f": "TABLE"}
    rows = conn.execute(
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r','p','v','m','f') "
        "AND pg_get_userbyid(c.relowner) <> %s AND " + _NOT_EXTENSION.format(oid="c.oid") + " "
        "ORDER BY c.relname",
        (schema, owner),
    ).fetchall()
    for name, kind in rows:
        conn.execute(
            sql.SQL("ALTER " + kinds[kind] + " {}.{} OWNER TO {}").format(
                sql.Identifier(schema), sql.Identifier(name), o
            )
        )
        moved += 1
    # Sequences that belong to no column (those that do moved with their table).
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> %s "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
        "AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))",
        (schema, owner),
    ).fetchall()
    for (name,) in rows:
        conn.execute(
            sql.SQL("ALTER SEQUENCE {}.{} OWNER TO {}").format(
                sql.Identifier(schema), sql.Identifier(name), o
            )
        )
        moved += 1
    rows = conn.execute(
        "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "JOIN pg_class c ON c.oid = t.typrelid WHERE n.nspname = %s AND t.typtype = 'c' "
        "AND c.relkind = 'c' AND pg_get_userbyid(t.typowner) <> %s AND "
        + _NOT_EXTENSION.format(oid="t.oid"),
        (schema, owner),
    ).fetchall()
    for (name,) in rows:
        conn.execute(
            sql.SQL("ALTER TYPE {}.{} OWNER TO {}").format(
                sql.Identifier(schema), sql.Identifier(name), o
            )
        )
        moved += 1
    rows = conn.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
        "ON n.oid = p.pronamespace WHERE n.nspname = %s AND pg_get_userbyid(p.proowner) <> %s "
        "AND p.prokind IN ('f', 'p') AND " + _NOT_EXTENSION.format(oid="p.oid"),
        (schema, owner),
    ).fetchall()
    for (signature,) in rows:
        conn.execute(sql.SQL("ALTER ROUTINE " + signature + " OWNER TO {}").format(o))
        moved += 1
    return [f"schema {schema}: {owner} owns every object ({moved} moved)"]


def _grants(conn: Any, schema: str, owner: str, app_role: str, events_table: str) -> list[str]:
    s, o, a = sql.Identifier(schema), sql.Identifier(owner), sql.Identifier(app_role)

    def table(name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(s, sql.Identifier(name))

    for statement in (
        "REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC, {a}",
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM PUBLIC, {a}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {a}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {a}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} "
        "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} "
        "GRANT USAGE, SELECT ON SEQUENCES TO {a}",
    ):
        conn.execute(sql.SQL(statement).format(s=s, o=o, a=a))
    # The stored history: narrower than the read models.
    events, chain, digests, tracking = (
        table(events_table),
        table(CHAIN_TABLE),
        table(DIGESTS_TABLE),
        table(TRACKING_TABLE),
    )
    for statement, target in (
        ("REVOKE ALL ON {t} FROM {a}", events),
        ("GRANT SELECT, UPDATE ON {t} TO {a}", events),
        ("GRANT INSERT (originator_id, originator_version, topic, state) ON {t} TO {a}", events),
        ("REVOKE ALL ON {t} FROM {a}", chain),
        ("GRANT SELECT, INSERT ON {t} TO {a}", chain),
        ("REVOKE ALL ON {t} FROM {a}", digests),
        ("GRANT SELECT, INSERT ON {t} TO {a}", digests),
        ("REVOKE ALL ON {t} FROM {a}", tracking),
        ("GRANT SELECT, INSERT, UPDATE ON {t} TO {a}", tracking),
    ):
        conn.execute(sql.SQL(statement).format(t=target, a=a))
    # Sequences: nextval only (no setval to move positions).
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = 'S'",
        (schema,),
    ).fetchall()
    for (name,) in rows:
        conn.execute(sql.SQL("REVOKE ALL ON SEQUENCE {} FROM {}").format(table(name), a))
        conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(table(name), a))
    for function in (
        "caseflow_refuse_change",
        "caseflow_events_append_only",
        "caseflow_chain_append_only",
        "caseflow_tracking_forward_only",
    ):
        conn.execute(sql.SQL("REVOKE ALL ON FUNCTION {}() FROM PUBLIC").format(table(function)))
    return [
        f"{app_role}: appends events (at the end only) and chain rows, reads everything, "
        "writes the read models; no UPDATE/DELETE/TRUNCATE of the history, no DDL, no "
        "ownership",
        f"{app_role}: SELECT, INSERT, UPDATE, DELETE on tables {owner} creates later "
        "(default privileges)",
    ]

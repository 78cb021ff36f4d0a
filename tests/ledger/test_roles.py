"""Issue 12, finding 8: least privilege on PostgreSQL. After ``caseflow db roles`` the
application's own role appends events (at the end only), reads, and writes the read models
and the chain, and can do nothing else to the stored history; the owner role runs
migrations and rebuilds. Each test makes roles of its own and drops them after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql

from caseflow.cli import main
from caseflow.ledger import Ledger
from caseflow.ledger.store import CHAIN_TABLE, TRACKING_TABLE
from caseflow.persistence import OwnerRequired, open_application, parse_database_url
from tests.conftest import POSTGRES_URL, drop_schema, require_postgres
from tests.world import World

pytestmark = pytest.mark.postgres

EVENTS = "caseflow_events"


@dataclass
class Roles:
    schema: str
    owner: str
    app: str
    admin_url: str
    owner_url: str
    app_url: str
    world: dict[str, Any] = field(default_factory=dict)

    def connect(self, url: str) -> psycopg.Connection[Any]:
        dsn = parse_database_url(url).postgres_dsn
        assert dsn is not None
        return psycopg.connect(dsn, autocommit=True)

    def table(self, name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(name))


def _url(user: str | None, schema: str) -> str:
    base = POSTGRES_URL
    if user is not None:
        scheme, rest = base.split("://", 1)
        host = rest.split("@", 1)[-1]
        base = f"{scheme}://{user}:secret@{host}"
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}schema={schema}"


def cli(url: str, *args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, ["--database-url", url, *args], input=input)


def run_roles(r: Roles) -> Any:
    return cli(
        r.admin_url,
        "db",
        "roles",
        "--owner",
        r.owner,
        "--app",
        r.app,
        "--owner-password-stdin",
        "--app-password-stdin",
        input="secret\nsecret\n",
    )


@pytest.fixture
def roles() -> Iterator[Roles]:
    """A schema where the superuser wrote a first event (as before least privilege), then
    ``caseflow db roles``, then the application role wrote a small organisation and a
    submitted case and chained everything."""
    require_postgres()
    tag = uuid.uuid4().hex[:10]
    schema = f"t_roles_{tag}"
    r = Roles(
        schema,
        f"cf_owner_{tag}",
        f"cf_app_{tag}",
        _url(None, schema),
        _url(f"cf_owner_{tag}", schema),
        _url(f"cf_app_{tag}", schema),
    )
    try:
        app, _ = open_application(r.admin_url)
        try:
            app.register_person(None, "Før Rollene", "for@test.caseflow.no", "Oslo", ())
        finally:
            app.close()
        result = run_roles(r)
        assert result.exit_code == 0, result.output
        app, settings = open_application(r.app_url)
        try:
            w = World.build(app)
            w.submitted()
            r.world = {"people": w.people, "groups": w.groups, "meetings": w.meetings}
            assert Ledger(app, settings).catch_up() > 50  # chained by the application role
        finally:
            app.close()
        yield r
    finally:
        drop_schema(schema)
        with r.connect(_url(None, "public")) as conn:
            for role in (r.app, r.owner):
                exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
                if exists.fetchone():
                    conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
                    conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def positions(r: Roles) -> list[int]:
    with r.connect(r.admin_url) as conn:
        rows = conn.execute(
            sql.SQL("SELECT notification_id FROM {} ORDER BY 1").format(r.table(EVENTS))
        ).fetchall()
    return [row[0] for row in rows]


def refused_statements(r: Roles) -> dict[str, sql.Composable]:
    events, chain, tracking = r.table(EVENTS), r.table(CHAIN_TABLE), r.table(TRACKING_TABLE)
    digests = r.table("caseflow_digests")
    ps = positions(r)
    p = ps[len(ps) // 2]
    forged = (
        "(originator_id, originator_version, topic, state, notification_id) "
        "VALUES (gen_random_uuid(), 1, 'forged', '\\x00', {})"
    )
    return {
        "update an event": sql.SQL(
            "UPDATE {} SET state = '\\x00' WHERE notification_id = {}"
        ).format(events, sql.Literal(p)),
        "delete an event": sql.SQL("DELETE FROM {} WHERE notification_id = {}").format(
            events, sql.Literal(p)
        ),
        "insert an event in the middle": sql.SQL("INSERT INTO {} " + forged).format(
            events, sql.Literal(ps[0] - 1)
        ),
        "insert an event at a chosen position after the end": sql.SQL(
            "INSERT INTO {} " + forged
        ).format(events, sql.Literal(ps[-1] + 10)),
        "move the chain tracking back": sql.SQL(
            "UPDATE {} SET notification_id = {} WHERE application_name <> '__migration__'"
        ).format(tracking, sql.Literal(p)),
        "delete the chain tracking": sql.SQL("DELETE FROM {}").format(tracking),
        "edit a chain hash": sql.SQL(
            "UPDATE {} SET hash = repeat('ab', 32) WHERE position = {}"
        ).format(chain, sql.Literal(p)),
        "delete a chain row": sql.SQL("DELETE FROM {} WHERE position = {}").format(
            chain, sql.Literal(p)
        ),
        "insert a chain row in the middle": sql.SQL(
            "INSERT INTO {} (position, previous, hash, originator_id, version, topic) "
            "VALUES ({}, {}, repeat('ab', 32), 'x', 1, 'forged')"
        ).format(chain, sql.Literal(ps[0] - 1), sql.Literal(None)),
        "delete digests": sql.SQL("DELETE FROM {}").format(digests),
        "disable the events guard": sql.SQL("ALTER TABLE {} DISABLE TRIGGER ALL").format(events),
        "disable the chain guard": sql.SQL(
            "ALTER TABLE {} DISABLE TRIGGER caseflow_append_at_end"
        ).format(chain),
        "disable the tracking guard": sql.SQL(
            "ALTER TABLE {} DISABLE TRIGGER caseflow_forward_only"
        ).format(tracking),
        "drop the guard": sql.SQL("DROP TRIGGER caseflow_append_only ON {}").format(events),
        "replace the guard function": sql.SQL(
            "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RETURN NULL; END $$"
        ).format(r.table("caseflow_refuse_change")),
        "switch triggers off": sql.SQL("SET session_replication_role = replica"),
        "truncate the events": sql.SQL("TRUNCATE {}").format(events),
        "truncate the chain": sql.SQL("TRUNCATE {}").format(chain),
        "take the events table": sql.SQL("ALTER TABLE {} OWNER TO {}").format(
            events, sql.Identifier(r.app)
        ),
        "move the position sequence": sql.SQL(
            "SELECT setval(pg_get_serial_sequence({}, {}), 1)"
        ).format(sql.Literal(f"{r.schema}.{EVENTS}"), sql.Literal("notification_id")),
        "create a table": sql.SQL("CREATE TABLE {} (a int)").format(r.table("forged")),
    }


NAMES = [
    "update an event",
    "delete an event",
    "insert an event in the middle",
    "insert an event at a chosen position after the end",
    "move the chain tracking back",
    "delete the chain tracking",
    "edit a chain hash",
    "delete a chain row",
    "insert a chain row in the middle",
    "delete digests",
    "disable the events guard",
    "disable the chain guard",
    "disable the tracking guard",
    "drop the guard",
    "replace the guard function",
    "switch triggers off",
    "truncate the events",
    "truncate the chain",
    "take the events table",
    "move the position sequence",
    "create a table",
]


def test_the_application_role_cannot_change_the_stored_history(roles: Roles) -> None:
    statements = refused_statements(roles)
    assert sorted(statements) == sorted(NAMES)
    for name in NAMES:
        with roles.connect(roles.app_url) as conn:
            with pytest.raises(psycopg.Error) as refused:
                conn.execute(statements[name])
            assert isinstance(
                refused.value,
                psycopg.errors.InsufficientPrivilege
                | psycopg.errors.IntegrityConstraintViolation
                | psycopg.errors.RaiseException,
            ), (name, refused.value)
    app, settings = open_application(roles.app_url)
    try:
        result = Ledger(app, settings).verify()
        assert result.ok, result.message
    finally:
        app.close()


def test_the_guards_hold_for_the_owner_too_until_it_drops_them(roles: Roles) -> None:
    """The guard itself (not only missing privileges) refuses an insert in the middle and
    moving the tracking back; only the owner can drop it, and it fires in replica mode."""
    ps = positions(roles)
    with roles.connect(roles.owner_url) as conn:
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="appended after"):
            conn.execute(
                sql.SQL(
                    "INSERT INTO {} (originator_id, originator_version, topic, state, "
                    "notification_id) VALUES (gen_random_uuid(), 1, 'forged', '\\x00', {})"
                ).format(roles.table(EVENTS), sql.Literal(ps[0] - 1))
            )
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="back"):
            conn.execute(
                sql.SQL("UPDATE {} SET notification_id = 1 WHERE application_name <> {}").format(
                    roles.table(TRACKING_TABLE), sql.Literal("__migration__")
                )
            )
    with roles.connect(roles.admin_url) as conn:  # a superuser may switch triggers off…
        conn.execute("SET session_replication_role = replica")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute(sql.SQL("DELETE FROM {}").format(roles.table(EVENTS)))  # …not ours


def test_a_position_taken_early_cannot_be_committed_late(roles: Roles) -> None:
    """Commit order is position order: a writer that took a position from the sequence
    before another writer's event was committed cannot use it afterwards (the guard
    compares with the newest committed event under the event store's lock). Shown with
    the owner, who may name a position; the application role may not even do that."""
    events = roles.table(EVENTS)
    with roles.connect(roles.owner_url) as early:
        taken = early.execute(
            sql.SQL("SELECT nextval(pg_get_serial_sequence({}, 'notification_id'))").format(
                sql.Literal(f"{roles.schema}.{EVENTS}")
            )
        ).fetchone()
        assert taken is not None
        with roles.connect(roles.app_url) as later:
            row = later.execute(
                sql.SQL(
                    "INSERT INTO {} (originator_id, originator_version, topic, state) "
                    "VALUES (gen_random_uuid(), 1, 'later', '\\x00') RETURNING notification_id"
                ).format(events)
            ).fetchone()
            assert row is not None
            assert row[0] > taken[0]
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="appended after"):
            early.execute(
                sql.SQL(
                    "INSERT INTO {} (originator_id, originator_version, topic, state, "
                    "notification_id) VALUES (gen_random_uuid(), 1, 'early', '\\x00', {})"
                ).format(events, sql.Literal(taken[0]))
            )


def test_the_application_role_runs_the_application(roles: Roles) -> None:
    from caseflow.readmodels import open_read_models
    from caseflow.readmodels.api import CaseFilter

    app, settings = open_application(roles.app_url)
    try:
        assert settings.env.get("CREATE_TABLE") == "n"  # it creates nothing
        world = World(app, **roles.world)
        case = world.proposed(title="Sak foreslått av applikasjonsrollen")
        service = open_read_models(app, settings)
        assert service.catch_up() > 0
        titles = [row.title for row in service.cases(CaseFilter()).items]
        assert "Sak foreslått av applikasjonsrollen" in titles
        ledger = Ledger(app, settings)
        ledger.catch_up()
        result = ledger.verify()
        assert result.ok, result.message
        assert ledger.chain_hash(result.head_position or 0) == result.head_hash
        assert case.id
    finally:
        app.close()
    assert cli(roles.app_url, "audit", "verify").exit_code == 0


def test_rebuild_and_migrate_need_the_owner(roles: Roles) -> None:
    refused = cli(roles.app_url, "rebuild", "cases", "--quiet")
    assert refused.exit_code == 1, refused.output
    assert "owner" in refused.output
    assert "Traceback" not in refused.output
    assert len(refused.output.strip().splitlines()) == 1

    migrate = cli(roles.app_url, "db", "migrate")
    assert migrate.exit_code == 1
    assert "owner" in migrate.output

    rebuilt = cli(roles.owner_url, "rebuild", "cases", "--quiet")
    assert rebuilt.exit_code == 0, rebuilt.output
    # The rebuilt table belongs to the owner, and the application role may use it.
    assert cli(roles.app_url, "project", "--once").exit_code == 0


def test_a_missing_table_names_the_owner_and_migrate_creates_it(roles: Roles) -> None:
    with roles.connect(roles.admin_url) as conn:
        for table in (CHAIN_TABLE, TRACKING_TABLE):  # as if a release brought them
            conn.execute(sql.SQL("DROP TABLE {}").format(roles.table(table)))
    app, settings = open_application(roles.app_url)
    try:
        with pytest.raises(OwnerRequired, match="caseflow db migrate"):
            Ledger(app, settings)
    finally:
        app.close()
    migrated = cli(roles.owner_url, "db", "migrate")
    assert migrated.exit_code == 0, migrated.output
    app, settings = open_application(roles.app_url)
    try:
        ledger = Ledger(app, settings)
        assert ledger.catch_up() > 0
        assert ledger.verify().ok
    finally:
        app.close()


def test_roles_is_idempotent_and_refuses_a_superuser(roles: Roles) -> None:
    again = run_roles(roles)
    assert again.exit_code == 0, again.output
    assert "created role" not in again.output
    with roles.connect(roles.app_url) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
            "FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert row == (False, False, False, False, False)
    superuser = cli(roles.admin_url, "db", "roles", "--owner", roles.owner, "--app", "postgres")
    assert superuser.exit_code == 1
    assert "superuser" in superuser.output
    same = cli(roles.admin_url, "db", "roles", "--owner", roles.app, "--app", roles.app)
    assert same.exit_code == 1
    sqlite = cli("sqlite:///unused.sqlite3", "db", "roles", "--owner", "a", "--app", "b")
    assert sqlite.exit_code == 1
    assert "PostgreSQL" in sqlite.output


def test_the_guides_sql_gives_the_same_least_privilege() -> None:
    """The SQL of docs/auditors-guide.md, run by hand on a hardened store, refuses the
    application role the same changes as ``caseflow db roles``."""
    import re
    from pathlib import Path

    require_postgres()
    guide = Path(__file__).resolve().parents[2] / "docs" / "auditors-guide.md"
    block = re.findall(r"```sql\n(.*?)```", guide.read_text(encoding="utf-8"), flags=re.S)[0]
    tag = uuid.uuid4().hex[:10]
    schema = f"t_guide_{tag}"
    r = Roles(
        schema,
        f"cf_owner_{tag}",
        f"cf_app_{tag}",
        _url(None, schema),
        _url(f"cf_owner_{tag}", schema),
        _url(f"cf_app_{tag}", schema),
    )
    script = (
        block.replace("caseflow_owner", r.owner)
        .replace("caseflow_app", r.app)
        .replace("SCHEMA public", f"SCHEMA {schema}")
        .replace("'…'", "'secret'")
    )
    try:
        app, settings = open_application(r.admin_url)
        try:
            World.build(app).submitted()
            ledger = Ledger(app, settings)
            ledger.catch_up()
            ledger.harden()
        finally:
            app.close()
        with r.connect(r.admin_url) as conn:
            conn.execute(sql.SQL("SET search_path = {}").format(sql.Identifier(schema)))
            conn.execute(script)
        statements = refused_statements(r)
        for name in NAMES:
            with r.connect(r.app_url) as conn, pytest.raises(psycopg.Error):
                conn.execute(statements[name])
        app, settings = open_application(r.app_url)
        try:
            app.register_person(None, "Etter SQL", "sql@test.caseflow.no", "Oslo", ())
            ledger = Ledger(app, settings)
            assert ledger.catch_up() > 0
            assert ledger.verify().ok
        finally:
            app.close()
    finally:
        drop_schema(schema)
        with r.connect(_url(None, "public")) as conn:
            for role in (r.app, r.owner):
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                    conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
                    conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))

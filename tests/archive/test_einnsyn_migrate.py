"""Issue 18 follow-up: ``caseflow db migrate`` creates ``caseflow_einnsyn_sent`` (on
PostgreSQL, where the application role may not create tables), so ``caseflow publish
einnsyn`` finds it under a least-privilege setup."""

from __future__ import annotations

import psycopg
import pytest

from caseflow.persistence.einnsyn_sent import TABLE
from tests.archive.einnsyn_server import caseflow_cli
from tests.conftest import POSTGRES_URL, postgres_schema


def _tables(schema: str) -> set[str]:
    dsn = POSTGRES_URL.split("?", 1)[0]
    with psycopg.connect(dsn.replace("postgresql+psycopg", "postgresql")) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
    return {name for (name,) in rows}


@pytest.mark.postgres
def test_db_migrate_creates_the_einnsyn_table() -> None:
    with postgres_schema("einm_") as url:
        schema = url.rsplit("schema=", 1)[1]
        assert TABLE not in _tables(schema)
        result = caseflow_cli(url, "db", "migrate")
        assert result.exit_code == 0, result.output
        tables = _tables(schema)
        assert TABLE in tables, sorted(tables)
        again = caseflow_cli(url, "db", "migrate")  # idempotent
        assert again.exit_code == 0, again.output

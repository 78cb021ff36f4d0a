"""Rebuild: from the whole log into new tables, while the old ones keep serving; then one
swap. The result equals a replay, and the live model keeps following the log."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from caseflow.application import Caseflow
from caseflow.cli import main
from caseflow.persistence import parse_database_url
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import CaseFilter
from tests.readmodels.replay import assert_matches_replay, varied_history
from tests.world import World


def test_rebuild_matches_a_replay_and_old_tables_serve_until_the_swap(
    app: Caseflow, world: World, read: ReadModelService, tmp_path: Path
) -> None:
    varied_history(world, tmp_path)
    read.catch_up()
    total = read.cases(CaseFilter()).total
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, of: int) -> None:
        # Mid-rebuild, pages still read the old, complete tables.
        seen.append((done, of, read.cases(CaseFilter()).total))

    result = read.rebuild(progress=progress, batch_size=10)
    assert len(seen) > 3
    assert all(n == total for _, _, n in seen)
    assert seen[-1][0] == seen[-1][1] == app.recorder.max_notification_id()
    assert set(result.values()) == {app.recorder.max_notification_id()}
    assert_matches_replay(app, read)
    # The swapped-in tables follow the log as before, and can be rebuilt again.
    world.proposed(title="Etter ombyggingen")
    read.catch_up()
    assert read.cases(CaseFilter(q="ombyggingen")).total == 1
    read.rebuild(["cases", "rm_audit"])
    assert_matches_replay(app, read)


def test_rebuild_catches_up_events_saved_during_the_rebuild(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    world.advised()
    read.catch_up()
    added: list[int] = []

    def progress(done: int, of: int) -> None:
        if not added:
            world.proposed(title="Midt i ombyggingen")
            added.append(app.last_position or 0)

    read.rebuild(["cases"], progress=progress, batch_size=5)
    assert read.cases(CaseFilter(q="midt i")).total == 1
    read.catch_up()
    assert_matches_replay(app, read)


def test_cli_project_once_and_rebuild(app: Caseflow, world: World, store_url: str) -> None:
    world.submitted()
    runner = CliRunner()
    once = runner.invoke(main, ["--database-url", store_url, "project", "--once"])
    assert once.exit_code == 0, once.output
    end = app.recorder.max_notification_id()
    assert f"cases {end}" in once.output
    rebuilt = runner.invoke(main, ["--database-url", store_url, "rebuild", "cases", "roles"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"cases: rebuilt to position {end}" in rebuilt.output
    assert "roles: rebuilt" in rebuilt.output
    assert "audit" not in rebuilt.output.split("\n")[-3]
    wrong = runner.invoke(main, ["--database-url", store_url, "rebuild", "nope"])
    assert wrong.exit_code == 2
    assert "no read model 'nope'" in wrong.output


@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)
def test_tidy_vacuums_and_analyses_every_read_model_table(
    read: ReadModelService, world: World, store_url: str
) -> None:
    """After a rebuild or a large catch-up, PostgreSQL's statistics and visibility map
    are brought up to date at once rather than when autovacuum comes round."""
    import psycopg

    world.submitted()
    read.catch_up()
    read.tidy()
    settings = parse_database_url(store_url)
    assert settings.postgres_dsn is not None
    assert settings.schema is not None
    with psycopg.connect(settings.postgres_dsn) as conn:
        rows = conn.execute(
            "SELECT relname, last_vacuum, last_analyze FROM pg_stat_user_tables "
            "WHERE schemaname = %s AND relname LIKE 'rm\\_%%' "
            "AND relname NOT IN ('rm_runners', 'rm_stopped')",
            (settings.schema,),
        ).fetchall()
    missed = [name for name, vacuumed, analysed in rows if not (vacuumed and analysed)]
    assert rows, missed
    assert not missed, missed

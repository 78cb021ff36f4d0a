"""A rebuild (one transaction per batch for every read model, rows written in batches,
indexes after the load) leaves exactly the tables a catch-up leaves: every row of every
read-model table compared, on both stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseflow.application import Caseflow
from caseflow.persistence import parse_database_url
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.rebuild import batches
from tests.readmodels.replay import varied_history
from tests.world import World


def _tables(read: ReadModelService) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read-model table (tracking included), by logical table name."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for short, projection in read.projections.items():
        with projection.view.reading() as tx:
            for key, table in projection.view.names.items():
                rows = tx.all(f"SELECT * FROM {table}")
                out[f"{short}.{key}"] = sorted(rows, key=repr)
    return out


def test_a_rebuild_leaves_the_tables_a_catch_up_leaves(
    app: Caseflow, world: World, read: ReadModelService, store_url: str, tmp_path: Path
) -> None:
    varied_history(world, tmp_path / "files")
    # The catch-up in small batches: state carried from batch to batch is exercised too.
    small = ReadModelService(app, parse_database_url(store_url), batch_size=7)
    assert small.catch_up() == app.recorder.max_notification_id()
    caught_up = _tables(read)
    assert sum(len(rows) for rows in caught_up.values()) > 100

    positions = read.rebuild(batch_size=13)
    assert set(positions.values()) == {app.recorder.max_notification_id()}
    rebuilt = _tables(read)
    assert rebuilt.keys() == caught_up.keys()
    differ = [name for name in caught_up if rebuilt[name] != caught_up[name]]
    assert differ == []


def test_the_load_reads_every_batch_once_in_order(app: Caseflow, world: World) -> None:
    world.advised()
    end = app.recorder.max_notification_id() or 0
    ids = [n.id for batch in batches(app.recorder, 4) for n in batch]
    assert ids == [n.id for n in app.recorder.select_notifications(start=1, limit=end)]
    assert [len(b) for b in batches(app.recorder, 4, start=end - 2)] == [2]

"""``caseflow rebuild``: read models rebuilt from the whole log into new tables while the
old ones keep serving; then, per read model, one transaction locks the old tables, brings
the new ones up to the old position (and the end of the log), drops the old and renames
the new into place. Indexes are created after the load, at the swap."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from uuid import uuid4

from caseflow.readmodels.base import ReadModelProjection
from caseflow.readmodels.sql import Tx

if TYPE_CHECKING:
    from caseflow.readmodels.service import ReadModelService


def rebuild(
    service: ReadModelService,
    names: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 2000,
) -> dict[str, int]:
    """Rebuild ``names`` (all when empty) of ``service``; returns each one's position."""
    app = service.app
    chosen = service.select(names)
    token = uuid4().hex[:8]
    builds = {
        s: type(p)(service.view_for(type(p), prefix=f"{p.name}__{token}", indexes=False))
        for s, p in chosen.items()
    }
    try:
        for b in builds.values():
            b.view.create_table()
        total = app.recorder.max_notification_id() or 0
        position = 0
        while True:
            notifications = app.recorder.select_notifications(start=position + 1, limit=batch_size)
            if not notifications:
                break
            batch = service.decode(notifications)
            for b in builds.values():
                b.process_batch(batch)
            position = notifications[-1].id
            if progress is not None:
                progress(position, max(total, position))
        result = {}
        for short, live in chosen.items():
            result[short] = _swap(service, live, builds.pop(short), batch_size)
        return result
    finally:
        for b in builds.values():  # only those not swapped in
            with b.view.transaction() as tx:
                b.view.drop_tables(tx)


def _swap(
    service: ReadModelService, live: ReadModelProjection, build: ReadModelProjection, batch: int
) -> int:
    app = service.app
    name = app.name
    with live.view.transaction() as tx:
        live.view.lock_tables(tx)
        btx: Tx = tx.with_names(build.view.names)
        target = max(live.view.position_in(tx, name), app.recorder.max_notification_id() or 0)
        position = build.view.position_in(btx, name)
        while position < target:
            notifications = app.recorder.select_notifications(
                start=position + 1, limit=batch, stop=target
            )
            if not notifications:
                break
            build.process_batch_in(btx, service.decode(notifications))
            position = notifications[-1].id
        live.view.drop_tables(tx)
        build.view.rename_to(tx, live.view.prefix)
        live.view.create_indexes_in(tx, live.view.prefix)
        return position

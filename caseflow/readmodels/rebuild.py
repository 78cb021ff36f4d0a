"""``caseflow rebuild``: read models rebuilt from the whole log into new tables while the
old ones keep serving; then, per read model, one transaction locks the old tables, brings
the new ones up to the old position (and the end of the log), drops the old and renames
the new into place. Indexes are created after the load, at the swap.

The load reads the log in batches, the next batch read on another thread while this one
is applied (the drivers wait for the database outside the GIL); each batch is decoded
once and applied by every read model being rebuilt in **one** transaction (the new tables
are seen by nobody until the swap, so one commit per batch is enough); rows are written
in batches by the projections (``COPY`` on PostgreSQL, ``executemany`` on SQLite). On
SQLite the load's transactions commit with ``synchronous=NORMAL`` (no fsync per commit;
WAL mode stays consistent after a crash, and a crashed rebuild is started again anyway);
the swap commits as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING
from uuid import uuid4

from eventsourcing.persistence import ApplicationRecorder, Notification

from caseflow.readmodels.base import ReadModelProjection
from caseflow.readmodels.sql import Tx

if TYPE_CHECKING:
    from caseflow.readmodels.service import ReadModelService

#: Events per batch of the load (one transaction for every read model being rebuilt).
DEFAULT_BATCH = 5000
#: Batches between two collections of the young generations during the load.
_COLLECT_EVERY = 20


def rebuild(
    service: ReadModelService,
    names: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = DEFAULT_BATCH,
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
        _load(service, list(builds.values()), total, progress, batch_size)
        result = {}
        for short, live in chosen.items():
            result[short] = _swap(service, live, builds.pop(short), batch_size)
        return result
    finally:
        for b in builds.values():  # only those not swapped in
            with b.view.transaction() as tx:
                b.view.drop_tables(tx)


def _load(
    service: ReadModelService,
    builds: Sequence[ReadModelProjection],
    total: int,
    progress: Callable[[int, int], None] | None,
    batch_size: int,
) -> None:
    """Every batch of the log, decoded once, applied by every build in one transaction."""
    if not builds:
        return
    first = builds[0].view
    with _quiet_collector(), first.bulk_load() as transaction:
        for n, notifications in enumerate(batches(service.app.recorder, batch_size), 1):
            batch = service.decode(notifications)
            with transaction() as tx:
                for b in builds:
                    b.process_batch_in(tx.with_names(b.view.names), batch)
            if n % _COLLECT_EVERY == 0:
                gc.collect(1)  # any cycles the last batches left (the young generations)
            if progress is not None:
                position = notifications[-1].id
                progress(position, max(total, position))


def batches(
    recorder: ApplicationRecorder, size: int, start: int = 0
) -> Iterator[Sequence[Notification]]:
    """The notification log after ``start`` in batches of ``size``, each next batch
    read on another thread while the caller works on this one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild-read") as reader:

        def read(after: int) -> Sequence[Notification]:
            return recorder.select_notifications(start=after + 1, limit=size)

        pending = reader.submit(read, start)
        while True:
            notifications = pending.result()
            if not notifications:
                return
            pending = reader.submit(read, notifications[-1].id)
            yield notifications


@contextmanager
def _quiet_collector() -> Iterator[None]:
    """The cyclic garbage collector frozen and switched off for the load: it would walk
    every object the process holds (the application, the projections' buffers) again and
    again, and each batch's thousands of decoded events several times while they are
    alive (a third of the decoding's time, issue 19); reference counting frees them as
    before, and the load collects the young generations every few batches."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


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

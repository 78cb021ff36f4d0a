"""A decoded batch's events indexed by type, shared by every read model of one catch-up
or rebuild (issue 19): a handler of a few event types visits only their events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Tracking

Batch = Sequence[tuple[Any, Tracking]]

#: The batch last indexed by :func:`by_type` and its index (every read model of a
#: rebuild or a catch-up is handed the same decoded batch); one tuple, replaced whole.
_indexed: tuple[Any, dict[type, list[int]]] = (None, {})


def by_type(batch: Batch) -> dict[type, list[int]]:
    """The places of ``batch``'s events by event type, in log order (a handler of a few
    types then visits only their events, not every event of the batch)."""
    global _indexed
    last = _indexed
    if last[0] is batch:
        return last[1]
    index: dict[type, list[int]] = {}
    for i, (event, _) in enumerate(batch):
        places = index.get(type(event))
        if places is None:
            index[type(event)] = [i]
        else:
            places.append(i)
    _indexed = (batch, index)
    return index

"""The ledger's tables and rows, shared by both chain stores: the table names, a chained
row (:class:`ChainRow`), an event-log row (:class:`LogRow`), a signed head
(:class:`StoredDigest`) and what the ledger asks of a store (:class:`ChainStore`)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from eventsourcing.persistence import Tracking

CHAIN_TABLE = "caseflow_chain"
DIGESTS_TABLE = "caseflow_digests"
TRACKING_TABLE = "caseflow_chain_tracking"

_CHAIN_COLUMNS = "position, previous, hash, originator_id, version, topic, time, actor"


@dataclass(frozen=True)
class ChainRow:
    """One link: the event at ``position`` and the chain hash up to and including it.
    ``previous`` is the position of the event chained just before (None for the first)."""

    position: int
    previous: int | None
    hash: str
    originator_id: str
    version: int
    topic: str
    time: str | None
    actor: str | None

    def as_tuple(self) -> tuple[Any, ...]:
        return (
            self.position,
            self.previous,
            self.hash,
            self.originator_id,
            self.version,
            self.topic,
            self.time,
            self.actor,
        )


class LogRow(NamedTuple):
    """A stored event as the chain sees it: raw values, no decoding."""

    position: int
    originator_id: str
    version: int
    topic: str
    state: bytes


def _log_row(position: int, oid: Any, version: int, topic: Any, state: Any) -> LogRow:
    """Normalise what the database returned. SQLite keeps UUIDs as 32 hex digits; a
    value someone wrote by hand may be text where bytes belong: hash what is there."""
    if isinstance(oid, UUID):
        text = str(oid)
    else:
        text = str(oid)
        if len(text) == 32:
            with contextlib.suppress(ValueError):
                text = str(UUID(hex=text))
    if isinstance(state, str):
        state = state.encode()
    elif state is None:
        state = b""
    return LogRow(position, text, version, "" if topic is None else str(topic), bytes(state))


@dataclass(frozen=True)
class StoredDigest:
    position: int
    hash: str
    time: str
    public_key: str
    signature: str


def _row(r: Any) -> ChainRow:
    return ChainRow(
        position=r["position"],
        previous=r["previous"],
        hash=r["hash"],
        originator_id=r["originator_id"],
        version=r["version"],
        topic=r["topic"],
        time=r["time"],
        actor=r["actor"],
    )


def _head(r: Any) -> tuple[int | None, ChainRow | None]:
    if r is None:
        return None, None
    tracked = r["tracked"]
    return (None if tracked is None else int(tracked)), (None if r["position"] is None else _row(r))


def _log_row_at(store: ChainStore, position: int) -> LogRow | None:
    found = store.log_rows(position - 1, position, 1)
    return found[0] if found and found[0].position == position else None


#: The tracking row the library keeps for its own table migrations (not a position).
MIGRATION_ROW = "__migration__"


def _digest(r: Any) -> StoredDigest:
    return StoredDigest(r["position"], r["hash"], r["time"], r["public_key"], r["signature"])


class ChainStore(Protocol):
    """What the ledger needs from a store."""

    events_table: str

    def tracked(self, application_name: str) -> int | None: ...

    def head(self, application_name: str) -> tuple[int | None, ChainRow | None]: ...

    def row(self, position: int) -> ChainRow | None: ...

    def last_row(self) -> ChainRow | None: ...

    def append(self, rows: Sequence[ChainRow], tracking: Tracking) -> None: ...

    def rows(self, after: int | None, stop: int, limit: int) -> list[ChainRow]: ...

    def log_rows(self, after: int | None, stop: int | None, limit: int) -> list[LogRow]: ...

    def log_row(self, position: int) -> LogRow | None: ...

    def position_of(self, originator_id: str, version: int) -> int | None: ...

    def log_position_of(self, originator_id: str, version: int) -> int | None: ...

    def add_digest(self, d: StoredDigest) -> None: ...

    def digests(self) -> list[StoredDigest]: ...

    def harden(self) -> list[str]: ...

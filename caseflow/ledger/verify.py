"""Verification: re-read the log, recompute the chain, compare it with the stored chain and
with signed digests, and name the first position where the history differs.

Streams both the log and the chain in batches (memory does not grow with the log).

Kinds of difference, at the first position ``p`` where the log and the chain disagree:

``edited``     the log has an event at ``p`` that the chain has, but its bytes (or the event
               itself) changed.
``deleted``    the chain has an event at ``p`` that is not in the log any more.
``inserted``   the log has an event at ``p`` (at or below the chain's head) the chain never saw.
``reordered``  the event at ``p`` is in the log or the chain at another position.
``chain``      the chain table itself was altered (a chain row removed or rewritten).
``rewritten``  log and chain agree, but not with a signed digest: everything was re-chained
               after that digest. ``p`` is the first position after the last digest that
               still matches; the change is at or after it.
``signature``  a digest's signature does not verify.
"""

from __future__ import annotations

import dataclasses
import hashlib
import struct
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from caseflow.ledger.canonical import GENESIS
from caseflow.ledger.digest import check_signature
from caseflow.ledger.store import ChainRow, ChainStore, LogRow

EDITED = "edited"
DELETED = "deleted"
INSERTED = "inserted"
REORDERED = "reordered"
CHAIN = "chain"
REWRITTEN = "rewritten"
SIGNATURE = "signature"

BATCH = 2000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    head_position: int | None
    head_hash: str | None
    first_bad_position: int | None = None
    kind: str | None = None
    message: str = ""
    digests_checked: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class Difference(Exception):
    """Raised inside the walk at the first difference."""

    def __init__(self, position: int | None, kind: str, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.kind = kind
        self.message = message


def log_stream(store: ChainStore, stop: int | None, batch: int = BATCH) -> Iterator[LogRow]:
    """Every stored event with notification id <= ``stop``, in order, in batches.
    Starts below 1 too: a row forged at id 0 or below is still seen. Reads raw rows
    (not the library's notifications) so that a malformed forged row is reported, not
    a crash."""
    after: int | None = None
    while True:
        page = store.log_rows(after, stop, batch)
        yield from page
        if len(page) < batch:
            return
        after = page[-1].position


def chain_stream(store: ChainStore, stop: int, batch: int = BATCH) -> Iterator[ChainRow]:
    after: int | None = None
    while True:
        page = store.rows(after, stop, batch)
        yield from page
        if len(page) < batch:
            return
        after = page[-1].position


@dataclass
class _Digest:
    position: int
    hash: str
    time: str
    source: str


def _prepare_digests(digests: Sequence[tuple[str, Mapping[str, Any]]]) -> list[_Digest]:
    prepared = []
    for source, d in digests:
        problem = check_signature(d)
        if problem is not None:
            raise Difference(_int_or_none(d.get("position")), SIGNATURE, f"{source}: {problem}")
        prepared.append(_Digest(int(d["position"]), str(d["hash"]), str(d["time"]), source))
    prepared.sort(key=lambda x: x.position)
    return prepared


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def verify_chain(
    store: ChainStore,
    head: int | None,
    digests: Sequence[tuple[str, Mapping[str, Any]]] = (),
    batch: int = BATCH,
) -> VerifyResult:
    """Walk the log and the stored chain up to ``head`` (the chain's tracked position)
    side by side. ``digests`` are (where it came from, digest) pairs."""
    walk = _Walk(store)
    try:
        checked = _prepare_digests(digests)
        if head is not None:
            walk.run(log_stream(store, head, batch), chain_stream(store, head, batch), checked)
        walk.finish(checked)
    except Difference as d:
        return VerifyResult(
            ok=False,
            events=walk.count,
            head_position=walk.last,
            head_hash=walk.hash.hex() if walk.last is not None else None,
            first_bad_position=d.position,
            kind=d.kind,
            message=d.message,
            digests_checked=walk.digests_ok,
        )
    return VerifyResult(
        ok=True,
        events=walk.count,
        head_position=walk.last,
        head_hash=walk.hash.hex() if walk.last is not None else None,
        message=(
            f"{walk.count} events verified, head at position {walk.last}"
            if walk.last is not None
            else "the log is empty"
        )
        + (f"; {walk.digests_ok} signed digest(s) match" if walk.digests_ok else ""),
        digests_checked=walk.digests_ok,
    )


_U64 = struct.Struct(">Q").pack
_U32 = struct.Struct(">I").pack
_sha256 = hashlib.sha256


class _Walk:
    """The state of one verification walk."""

    def __init__(self, store: ChainStore) -> None:
        self.store = store
        self.hash = GENESIS
        self.last: int | None = None  # last log position verified
        self.count = 0
        self.digests_ok = 0
        self.digest_index = 0
        self.unsealed_from: int | None = None  # first position after the last good digest

    def run(
        self,
        log: Iterator[LogRow],
        chain: Iterator[ChainRow],
        digests: list[_Digest],
    ) -> None:
        n = next(log, None)
        c = next(chain, None)
        h = self.hash
        while n is not None or c is not None:
            if c is None or (n is not None and n.position < c.position):
                assert n is not None
                self._log_only(n, c)
            if n is None or (c is not None and c.position < n.position):
                assert c is not None
                self._chain_only(c)
            assert n is not None and c is not None
            p = n.position
            if c.previous != self.last:
                self._wrong_predecessor(c)
            oid = n.originator_id.encode()
            topic = n.topic.encode()
            state = n.state
            h = _sha256(
                h
                + _U64(p)
                + _U32(len(oid))
                + oid
                + _U64(n.version)
                + _U32(len(topic))
                + topic
                + _U32(len(state))
                + state
            ).digest()
            if h.hex() != c.hash:
                self._differs(n, c)
            self.hash = h
            self.last = p
            self.count += 1
            if self.unsealed_from is None:
                self.unsealed_from = p
            if self.digest_index < len(digests) and digests[self.digest_index].position <= p:
                self._check_digests(digests)
            n = next(log, None)
            c = next(chain, None)

    # -- the kinds of difference -------------------------------------------------------

    def _log_only(self, n: LogRow, c: ChainRow | None) -> NoReturn:
        p = n.position
        oid = n.originator_id
        q = self.store.position_of(oid, n.version)
        if q is not None and q != p:
            raise Difference(
                p,
                REORDERED,
                f"position {p}: event {oid} v{n.version} was chained at position {q}, not here",
            )
        if c is not None and c.previous == p:
            raise Difference(
                p, CHAIN, f"position {p}: the event is in the log but its chain row was removed"
            )
        raise Difference(
            p,
            INSERTED,
            f"position {p}: event {oid} v{n.version} ({n.topic}) is not in the "
            "chain: it was inserted after the chain passed this position",
        )

    def _chain_only(self, c: ChainRow) -> NoReturn:
        p = c.position
        q = self.store.log_position_of(c.originator_id, c.version)
        if q is not None and q != p:
            raise Difference(
                p,
                REORDERED,
                f"position {p}: event {c.originator_id} v{c.version} was moved to position {q}",
            )
        raise Difference(
            p,
            DELETED,
            f"position {p}: event {c.originator_id} v{c.version} ({c.topic}) is missing "
            "from the log",
        )

    def _wrong_predecessor(self, c: ChainRow) -> NoReturn:
        if c.previous is not None and (self.last is None or c.previous > self.last):
            raise Difference(
                c.previous,
                DELETED,
                f"position {c.previous}: an event chained there is missing from the log "
                "(and its chain row was removed too)",
            )
        raise Difference(
            c.position,
            CHAIN,
            f"position {c.position}: the chain row names position {c.previous} as its "
            f"predecessor, the log has {self.last}",
        )

    def _differs(self, n: LogRow, c: ChainRow) -> NoReturn:
        p = n.position
        oid = n.originator_id
        if (oid, n.version) != (c.originator_id, c.version):
            q = self.store.position_of(oid, n.version)
            if q is not None and q != p:
                raise Difference(
                    p,
                    REORDERED,
                    f"position {p}: holds event {oid} v{n.version}, which was "
                    f"chained at position {q} (chained here: {c.originator_id} v{c.version})",
                )
            raise Difference(
                p,
                EDITED,
                f"position {p}: event {c.originator_id} v{c.version} was replaced by "
                f"{oid} v{n.version}",
            )
        what = "topic" if n.topic != c.topic else "stored bytes"
        raise Difference(p, EDITED, f"position {p}: event {oid} v{n.version}: its {what} changed")

    def _check_digests(self, digests: list[_Digest]) -> None:
        assert self.last is not None
        while self.digest_index < len(digests):
            d = digests[self.digest_index]
            if d.position > self.last:
                return
            if d.position != self.last or d.hash != self.hash.hex():
                raise Difference(
                    self.unsealed_from,
                    REWRITTEN,
                    f"the {d.source} signed at {d.time} for position {d.position} no longer "
                    f"matches: the history from position {self.unsealed_from} to "
                    f"{d.position} was rewritten and re-chained",
                )
            self.digest_index += 1
            self.digests_ok += 1
            self.unsealed_from = None

    def finish(self, digests: list[_Digest]) -> None:
        if self.digest_index < len(digests):
            d = digests[self.digest_index]
            raise Difference(
                d.position,
                DELETED,
                f"the {d.source} signed at {d.time} covers position {d.position}, "
                f"but the verified log ends at {self.last}",
            )

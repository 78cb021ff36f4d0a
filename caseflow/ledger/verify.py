"""Verification: re-read the log, recompute the chain, compare it with the stored chain and
with signed digests, and name the first position where the history differs.

Streams both the log and the chain in batches (memory does not grow with the log). Never
raises for what it finds: every inconsistency is a :class:`VerifyResult` with a position and
one of the kinds below.

Kinds of difference, at the first position ``p`` where the log and the chain disagree:

``edited``     the log has an event at ``p`` that the chain has, but its bytes (or the event
               itself) changed.
``deleted``    the chain has an event at ``p`` that is not in the log any more.
``inserted``   the log has an event at ``p`` (at or below the chain's head) the chain never saw.
``reordered``  the event at ``p`` is in the log or the chain at another position.
``chain``      the chain table itself was altered: a chain row removed, inserted or
               rewritten (its hash or what it says about the event), or the chain's
               tracking position moved.
``rewritten``  log and chain agree, but not with a signed digest: everything was re-chained
               after that digest. ``p`` is the first position after the last digest that
               still matches; the change is at or after it.
``signature``  a digest's signature does not verify (or a digest cannot be read).

Telling an edited event from an edited chain hash: the stored chain row after ``p`` was
computed from the true hash at ``p``. If the next link follows from the hash recomputed from
the log, the event is intact and the chain row at ``p`` was altered; if it follows from the
stored hash, the event changed. For the last chained event a digest at that position
decides; without one the finding says that either changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import struct
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, TypeVar

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


def log_stream(
    store: ChainStore, stop: int | None, batch: int = BATCH, after: int | None = None
) -> Iterator[LogRow]:
    """Every stored event after ``after`` with notification id <= ``stop``, in order, in
    batches. From the very first when ``after`` is None: a row forged at id 0 or below is
    still seen. Reads raw rows (not the library's notifications) so that a malformed
    forged row is reported, not a crash."""
    while True:
        page = store.log_rows(after, stop, batch)
        yield from page
        if len(page) < batch:
            return
        after = page[-1].position


def chain_stream(
    store: ChainStore, stop: int, batch: int = BATCH, after: int | None = None
) -> Iterator[ChainRow]:
    while True:
        page = store.rows(after, stop, batch)
        yield from page
        if len(page) < batch:
            return
        after = page[-1].position


T = TypeVar("T")


class _Peekable(Generic[T]):
    """An iterator that can look one item ahead."""

    def __init__(self, items: Iterator[T]) -> None:
        self._items = items
        self._next: list[T] = []

    def next(self) -> T | None:
        if self._next:
            return self._next.pop()
        return next(self._items, None)

    def peek(self) -> T | None:
        if not self._next:
            item = next(self._items, None)
            if item is None:
                return None
            self._next.append(item)
        return self._next[0]


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
    *,
    start: tuple[int, str] | None = None,
) -> VerifyResult:
    """Walk the log and the stored chain up to ``head`` side by side. ``digests`` are
    (where it came from, digest) pairs. ``start`` (position, hash) begins the walk after a
    position whose chain hash is already trusted (e.g. from a verified digest); only
    digests after it are then checked."""
    walk = _Walk(store)
    try:
        checked = _prepare_digests(digests)
        after: int | None = None
        if start is not None:
            after, walk.hash = start[0], bytes.fromhex(start[1])
            walk.last = after
            checked = [d for d in checked if d.position > after]
        if head is not None and (after is None or head > after):
            walk.run(
                log_stream(store, head, batch, after),
                chain_stream(store, head, batch, after),
                checked,
            )
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


def _link(h: bytes, n: LogRow) -> bytes | None:
    """The chain hash after ``n`` given the hash before it (None if ``n`` cannot be
    encoded: a negative or huge position or version)."""
    oid = n.originator_id.encode()
    topic = n.topic.encode()
    state = n.state
    try:
        return _sha256(
            h
            + _U64(n.position)
            + _U32(len(oid))
            + oid
            + _U64(n.version)
            + _U32(len(topic))
            + topic
            + _U32(len(state))
            + state
        ).digest()
    except struct.error:
        return None


def _hash_bytes(text: str) -> bytes | None:
    try:
        raw = bytes.fromhex(text)
    except (TypeError, ValueError):
        return None
    return raw if len(raw) == 32 else None


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
        self.digests: list[_Digest] = []

    def run(
        self,
        log_rows: Iterator[LogRow],
        chain_rows: Iterator[ChainRow],
        digests: list[_Digest],
    ) -> None:
        self.digests = digests
        log = _Peekable(log_rows)
        chain = _Peekable(chain_rows)
        n = log.next()
        c = chain.next()
        while n is not None or c is not None:
            if c is None or (n is not None and n.position < c.position):
                assert n is not None
                self._log_only(n, c)
            if n is None or (c is not None and c.position < n.position):
                assert c is not None
                self._chain_only(c, chain.peek())
            assert n is not None
            assert c is not None
            p = n.position
            if c.previous != self.last:
                self._wrong_predecessor(c)
            h = _link(self.hash, n)
            if h is None or h.hex() != c.hash:
                self._differs(n, c, h, log.peek(), chain.peek())
            if (n.originator_id, n.version, n.topic) != (c.originator_id, c.version, c.topic):
                raise Difference(
                    p,
                    CHAIN,
                    f"the chain table was altered at position {p}: its row names event "
                    f"{c.originator_id} v{c.version} ({c.topic}), the log and the hash have "
                    f"{n.originator_id} v{n.version} ({n.topic})",
                )
            self.hash = h
            self.last = p
            self.count += 1
            if self.unsealed_from is None:
                self.unsealed_from = p
            if self.digest_index < len(digests) and digests[self.digest_index].position <= p:
                self._check_digests(digests)
            n = log.next()
            c = chain.next()

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
                p,
                CHAIN,
                f"the chain table was altered at position {p}: the event is in the log but "
                "its chain row was removed",
            )
        raise Difference(
            p,
            INSERTED,
            f"position {p}: event {oid} v{n.version} ({n.topic}) is not in the "
            "chain: it was inserted after the chain passed this position",
        )

    def _chain_only(self, c: ChainRow, after: ChainRow | None) -> NoReturn:
        p = c.position
        if after is not None and after.previous != p and after.previous == c.previous:
            raise Difference(
                p,
                CHAIN,
                f"the chain table was altered at position {p}: a chain row was inserted "
                f"there (the next row, at {after.position}, follows position {after.previous})",
            )
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
            f"the chain table was altered at position {c.position}: its row names position "
            f"{c.previous} as its predecessor, the log has {self.last}",
        )

    def _differs(
        self,
        n: LogRow,
        c: ChainRow,
        h: bytes | None,
        n2: LogRow | None,
        c2: ChainRow | None,
    ) -> NoReturn:
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
        if n.topic != c.topic:
            raise Difference(
                p, EDITED, f"position {p}: event {oid} v{n.version}: its topic changed"
            )
        stored = _hash_bytes(c.hash)
        altered = Difference(
            p,
            CHAIN,
            f"the chain table was altered at position {p}: its hash was changed (event "
            f"{oid} v{n.version} is intact; the next link follows from its true hash)",
        )
        edited = Difference(
            p, EDITED, f"position {p}: event {oid} v{n.version}: its stored bytes changed"
        )
        if stored is None:
            altered.message = (
                f"the chain table was altered at position {p}: its hash {c.hash!r} is not a "
                "SHA-256 hash"
            )
            raise altered
        if h is None:
            raise edited
        if n2 is not None and c2 is not None and n2.position == c2.position and c2.previous == p:
            if _link(h, n2) == _hash_bytes(c2.hash):
                raise altered
            raise edited
        sealed = [d for d in self.digests if d.position == p]
        if any(d.hash == h.hex() for d in sealed):
            altered.message += " (a signed digest has the true hash)"
            raise altered
        if any(d.hash == c.hash for d in sealed):
            raise edited
        raise Difference(
            p,
            EDITED,
            f"position {p}: event {oid} v{n.version}: its stored bytes or its chain hash "
            "changed (the last chained event: nothing after it tells which)",
        )

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

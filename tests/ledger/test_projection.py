"""The chain projection: the hash rule, exactly-once, resumable, safe to run twice at once."""

from __future__ import annotations

import hashlib
import struct
import threading
import tracemalloc
from collections.abc import Sequence
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from caseflow.ledger import Ledger
from caseflow.ledger.store import ChainRow
from tests.ledger.conftest import Store
from tests.ledger.helpers import fill


def independent_chain(store: Store) -> dict[int, str]:
    """The chain recomputed from the library's own notifications, by the documented rule."""
    h = bytes(32)
    out = {}
    for n in store.app.recorder.select_notifications(start=None, limit=10**9):
        oid, topic = str(n.originator_id).encode(), n.topic.encode()
        h = hashlib.sha256(
            h
            + struct.pack(">Q", n.id)
            + struct.pack(">I", len(oid))
            + oid
            + struct.pack(">Q", n.originator_version)
            + struct.pack(">I", len(topic))
            + topic
            + struct.pack(">I", len(n.state))
            + n.state
        ).digest()
        out[n.id] = h.hex()
    return out


def stored_chain(store: Store) -> dict[int, str]:
    return dict(store.raw.execute("SELECT position, hash FROM {chain} ORDER BY position"))


def test_chain_follows_the_documented_rule(populated: Store) -> None:
    ledger = populated.ledger()
    assert ledger.catch_up() == len(populated.raw.positions())
    assert stored_chain(populated) == independent_chain(populated)
    first = populated.raw.positions()[0]
    row = populated.raw.execute(
        "SELECT previous, originator_id, version, time, actor FROM {chain} WHERE position = ?",
        [first],
    )[0]
    assert row[0] is None
    assert row[2] == 1
    assert row[3]
    assert row[4] == "system"


def test_catch_up_is_exactly_once_and_incremental(populated: Store) -> None:
    ledger = populated.ledger(batch=7)
    n = ledger.catch_up()
    assert n == len(populated.raw.positions())
    assert ledger.catch_up() == 0
    populated.app.register_person(None, "Ny Person", "ny@test.caseflow.no", "Oslo", ())
    assert ledger.catch_up() == 2  # the person, and the e-mail index
    assert ledger.tracked() == populated.raw.positions()[-1]
    assert stored_chain(populated) == independent_chain(populated)


class Crash(Exception):
    pass


def test_a_crash_between_batches_resumes_without_loss_or_duplicates(store: Store) -> None:
    fill(store.app, 95)
    ledger = store.ledger(batch=10)
    real_append = ledger.store.append
    calls = {"n": 0}

    def append(rows: Sequence[ChainRow], tracking: Tracking) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise Crash
        real_append(rows, tracking)

    ledger.store.append = append  # type: ignore[method-assign]
    with pytest.raises(Crash):
        ledger.catch_up()
    assert ledger.tracked() == 30
    assert len(stored_chain(store)) == 30  # rows and tracking committed together

    resumed = store.ledger(batch=10)
    assert resumed.catch_up() == 65
    assert stored_chain(store) == independent_chain(store)
    assert resumed.verify().ok


def test_two_processes_catching_up_at_once(store: Store) -> None:
    fill(store.app, 400)
    ledgers = [store.ledger(batch=25) for _ in range(3)]
    errors: list[BaseException] = []

    def run(ledger: Ledger) -> None:
        try:
            ledger.catch_up()
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(lg,)) for lg in ledgers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert stored_chain(store) == independent_chain(store)
    assert ledgers[0].verify().ok


def peak_verify_memory(store: Store, events: int) -> int:
    fill(store.app, events)
    ledger = store.ledger(batch=100)
    ledger.catch_up()
    tracemalloc.start()
    try:
        result = ledger.verify(catch_up=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.ok
    return peak


def test_verify_memory_does_not_grow_with_the_log(store: Store) -> None:
    small = peak_verify_memory(store, 1000)
    large = peak_verify_memory(store, 7000)  # 8000 events in all
    assert large < small * 1.5 + 64 * 1024, (small, large)


def test_chain_hash_and_head(populated: Store) -> None:
    ledger = populated.ledger()
    assert ledger.head() is None
    ledger.catch_up()
    head: Any = ledger.head()
    assert head.position == populated.raw.positions()[-1]
    assert ledger.chain_hash(head.position) == head.hash
    assert ledger.chain_hash(10**9) is None

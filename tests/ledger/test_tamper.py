"""Tampering with the stored events directly in the database (SQLite and PostgreSQL) is
detected at the right position, with the right kind; an untouched store verifies."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from caseflow.ledger import (
    CHAIN,
    DELETED,
    EDITED,
    INSERTED,
    REORDERED,
    REWRITTEN,
    SIGNATURE,
    Ledger,
)
from caseflow.ledger.digest import generate_key
from tests.ledger.conftest import Store


def chained(store: Store) -> Ledger:
    ledger = store.ledger()
    ledger.catch_up()
    return ledger


def middle(store: Store, fraction: float = 0.5) -> int:
    positions = store.raw.positions()
    return positions[int(len(positions) * fraction)]


def test_untouched_store_verifies(populated: Store) -> None:
    ledger = chained(populated)
    result = ledger.verify()
    positions = populated.raw.positions()
    assert result.ok, result.message
    assert result.events == len(positions) > 50
    assert result.head_position == positions[-1]
    assert result.head_hash == ledger.chain_hash(positions[-1])
    assert result.first_bad_position is None and result.kind is None


def test_edited_state_bytes(populated: Store) -> None:
    ledger = chained(populated)
    p = middle(populated)
    state = bytes(populated.raw.row(p)[3])
    populated.raw.set_state(p, state.replace(b'"system"', b'"forged"', 1) + b" ")
    result = ledger.verify()
    assert not result.ok
    assert (result.first_bad_position, result.kind) == (p, EDITED)
    assert result.events == len([q for q in populated.raw.positions() if q < p])


def test_edited_first_and_last_event(populated: Store) -> None:
    ledger = chained(populated)
    positions = populated.raw.positions()
    for p in (positions[0], positions[-1]):
        original = bytes(populated.raw.row(p)[3])
        populated.raw.set_state(p, original + b" ")
        result = ledger.verify()
        assert (result.first_bad_position, result.kind) == (p, EDITED)
        populated.raw.set_state(p, original)
        assert ledger.verify().ok


def test_deleted_row(populated: Store) -> None:
    ledger = chained(populated)
    p = middle(populated, 0.3)
    populated.raw.delete(p)
    result = ledger.verify()
    assert (result.ok, result.first_bad_position, result.kind) == (False, p, DELETED)


def test_deleted_last_row(populated: Store) -> None:
    ledger = chained(populated)
    last = populated.raw.positions()[-1]
    populated.raw.delete(last)
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (last, DELETED)


def test_deleted_row_and_its_chain_row(populated: Store) -> None:
    ledger = chained(populated)
    p = middle(populated, 0.4)
    populated.raw.delete(p)
    populated.raw.execute("DELETE FROM {chain} WHERE position = ?", [p])
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (p, DELETED)


def test_gaps_are_normal_and_an_inserted_row_in_a_gap_is_found(populated: Store) -> None:
    gap = middle(populated, 0.6)
    populated.raw.delete(gap)  # before chaining: the gap a rolled-back insert leaves
    ledger = chained(populated)
    assert ledger.verify().ok
    assert ledger.chain_hash(gap) is None

    donor = populated.raw.row(middle(populated, 0.2))
    forged_id: object = uuid.uuid4() if populated.raw.is_postgres else uuid.uuid4().hex
    populated.raw.insert(gap, forged_id, 1, donor[2], bytes(donor[3]))
    result = ledger.verify()
    assert (result.ok, result.first_bad_position, result.kind) == (False, gap, INSERTED)


def test_inserted_row_before_the_first(populated: Store) -> None:
    ledger = chained(populated)
    donor = populated.raw.row(middle(populated))
    forged_id: object = uuid.uuid4() if populated.raw.is_postgres else uuid.uuid4().hex
    populated.raw.insert(0, forged_id, 1, donor[2], bytes(donor[3]))
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (0, INSERTED)


def test_swapped_rows(populated: Store) -> None:
    ledger = chained(populated)
    p, q = middle(populated, 0.25), middle(populated, 0.75)
    populated.raw.swap(p, q)
    result = ledger.verify()
    assert (result.ok, result.first_bad_position, result.kind) == (False, p, REORDERED)


def test_adjacent_rows_swapped(populated: Store) -> None:
    ledger = chained(populated)
    positions = populated.raw.positions()
    p, q = positions[10], positions[11]
    populated.raw.swap(p, q)
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (p, REORDERED)


def test_removed_chain_row_is_reported_as_chain_damage(populated: Store) -> None:
    ledger = chained(populated)
    p = middle(populated)
    populated.raw.execute("DELETE FROM {chain} WHERE position = ?", [p])
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (p, CHAIN)


def rechain_from(store: Store, p: int) -> None:
    """What a database owner can do: drop the chain from ``p`` on and let it be rebuilt."""
    previous = max(q for q in store.raw.positions() if q < p)
    store.raw.execute("DELETE FROM {chain} WHERE position >= ?", [p])
    store.raw.execute("UPDATE {tracking} SET notification_id = ?", [previous])


def test_rechained_history_is_caught_by_a_digest(populated: Store) -> None:
    generate_key(Path(populated.key))
    ledger = chained(populated)
    filed = ledger.sign_digest()
    p = middle(populated)
    state = bytes(populated.raw.row(p)[3])
    populated.raw.set_state(p, state + b" ")
    rechain_from(populated, p)

    result = ledger.verify()  # the stored digest still catches it
    assert (result.ok, result.kind) == (False, REWRITTEN)
    assert result.first_bad_position is not None and result.first_bad_position <= p

    # The owner also deletes the stored digests: only a digest filed elsewhere helps.
    populated.raw.execute("DELETE FROM {digests}")
    assert ledger.verify().ok
    result = ledger.verify(filed)
    assert (result.ok, result.kind) == (False, REWRITTEN)
    assert "given digest" in result.message


def test_later_digests_narrow_the_rewritten_range(populated: Store) -> None:
    generate_key(Path(populated.key))
    ledger = chained(populated)
    first = ledger.sign_digest()
    populated.app.register_person(None, "Ny Person", "ny@test.caseflow.no", "Oslo", ())
    second = ledger.sign_digest()
    assert second["position"] > first["position"]
    p = populated.raw.positions()[-1]
    populated.raw.set_state(p, bytes(populated.raw.row(p)[3]) + b" ")
    rechain_from(populated, p)
    result = ledger.verify()
    assert result.kind == REWRITTEN
    assert first["position"] < result.first_bad_position <= p  # type: ignore[operator]
    assert result.digests_checked == 1


def test_forged_digest_signature(populated: Store) -> None:
    generate_key(Path(populated.key))
    ledger = chained(populated)
    digest = ledger.sign_digest()
    forged = dict(digest, hash="0" * 64)
    result = ledger.verify(forged)
    assert (result.ok, result.kind) == (False, SIGNATURE)


@pytest.mark.parametrize("fraction", [0.1, 0.9])
def test_tampering_after_more_events_still_found(populated: Store, fraction: float) -> None:
    ledger = chained(populated)
    p = middle(populated, fraction)
    populated.app.register_person(None, "Sen Person", "sen@test.caseflow.no", "Asker", ())
    populated.raw.delete(p)
    result = ledger.verify()  # catches up the new events first
    assert (result.first_bad_position, result.kind) == (p, DELETED)
    assert result.events == len([q for q in populated.raw.positions() if q < p])

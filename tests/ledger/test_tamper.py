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
    LedgerError,
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
    assert result.first_bad_position is None
    assert result.kind is None


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
    assert result.first_bad_position is not None
    assert result.first_bad_position <= p

    # The owner also deletes the stored digests: the digest file outside the database
    # still catches it.
    populated.raw.execute("DELETE FROM {digests}")
    result = ledger.verify()
    assert (result.ok, result.kind) == (False, REWRITTEN)
    assert "digest file" in result.message

    # Without the digest files too, only a digest filed elsewhere helps.
    for path in Path(populated.digests).iterdir():
        path.unlink()
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


# -- issue 12, finding 8: every inconsistency is a finding, never a crash ------------------


def test_tracking_moved_back_is_a_chain_finding_not_a_crash(populated: Store) -> None:
    ledger = chained(populated)
    positions = populated.raw.positions()
    back = middle(populated)
    populated.raw.execute("UPDATE {tracking} SET notification_id = ?", [back])
    after = next(q for q in positions if q > back)

    with pytest.raises(LedgerError) as refused:  # not an IntegrityError on duplicate rows
        ledger.catch_up()
    assert refused.value.params["position"] == after

    result = ledger.verify()
    assert (result.ok, result.first_bad_position, result.kind) == (False, after, CHAIN)
    assert f"the chain table was altered at position {after}" in result.message
    assert f"moved back to {back}" in result.message


def test_tracking_row_deleted(populated: Store) -> None:
    ledger = chained(populated)
    first = populated.raw.positions()[0]
    populated.raw.execute("DELETE FROM {tracking} WHERE application_name <> '__migration__'")
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (first, CHAIN)
    assert "tracking position is missing" in result.message


def test_tracking_moved_forward_past_the_log(populated: Store) -> None:
    ledger = chained(populated)
    last = populated.raw.positions()[-1]
    populated.raw.execute("UPDATE {tracking} SET notification_id = ?", [last + 50])
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (last + 50, CHAIN)


def test_last_chain_row_removed(populated: Store) -> None:
    ledger = chained(populated)
    last = populated.raw.positions()[-1]
    populated.raw.execute("DELETE FROM {chain} WHERE position = ?", [last])
    result = ledger.verify()
    assert (result.ok, result.first_bad_position, result.kind) == (False, last, CHAIN)
    assert "rows after" in result.message


def test_whole_chain_removed(populated: Store) -> None:
    ledger = chained(populated)
    first = populated.raw.positions()[0]
    populated.raw.execute("DELETE FROM {chain}")
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (first, CHAIN)


def test_edited_chain_hash_is_a_chain_edit_not_stored_bytes(populated: Store) -> None:
    ledger = chained(populated)
    p = middle(populated)
    populated.raw.execute("UPDATE {chain} SET hash = ? WHERE position = ?", ["ab" * 32, p])
    result = ledger.verify()
    assert (result.ok, result.first_bad_position, result.kind) == (False, p, CHAIN)
    assert f"the chain table was altered at position {p}" in result.message
    assert "stored bytes" not in result.message


def test_malformed_chain_hash(populated: Store) -> None:
    ledger = chained(populated)
    p = middle(populated, 0.2)
    populated.raw.execute("UPDATE {chain} SET hash = ? WHERE position = ?", ["not hex", p])
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (p, CHAIN)


def test_edited_chain_hash_of_the_last_event_with_a_digest(populated: Store) -> None:
    generate_key(Path(populated.key))
    ledger = chained(populated)
    ledger.sign_digest()
    last = populated.raw.positions()[-1]
    populated.raw.execute("UPDATE {chain} SET hash = ? WHERE position = ?", ["cd" * 32, last])
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (last, CHAIN)


def test_edited_last_event_is_still_an_edit_and_the_chain_is_not_extended(
    populated: Store,
) -> None:
    chained(populated)
    last = populated.raw.positions()[-1]
    populated.raw.set_state(last, bytes(populated.raw.row(last)[3]) + b" ")
    fresh = populated.ledger()  # another process: it checks the head before extending
    populated.app.register_person(None, "Ny Person", "ny2@test.caseflow.no", "Oslo", ())
    with pytest.raises(LedgerError):
        fresh.catch_up()
    result = fresh.verify()
    assert (result.first_bad_position, result.kind) == (last, EDITED)


def test_edited_chain_row_fields(populated: Store) -> None:
    ledger = chained(populated)
    p = middle(populated, 0.7)
    populated.raw.execute("UPDATE {chain} SET topic = ? WHERE position = ?", ["forged", p])
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (p, CHAIN)


def test_chain_row_inserted_in_a_gap(populated: Store) -> None:
    gap = middle(populated, 0.6)
    populated.raw.delete(gap)  # a gap, as a rolled-back insert leaves one
    ledger = chained(populated)
    before = max(q for q in populated.raw.positions() if q < gap)
    donor = populated.raw.execute(
        "SELECT originator_id, version, topic FROM {chain} WHERE position = ?", [before]
    )[0]
    populated.raw.execute(
        "INSERT INTO {chain} (position, previous, hash, originator_id, version, topic) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [gap, before, "ef" * 32, *donor],
    )
    result = ledger.verify()
    assert (result.ok, result.first_bad_position, result.kind) == (False, gap, CHAIN)
    assert "inserted" in result.message


def test_chain_row_inserted_beyond_the_head(populated: Store) -> None:
    ledger = chained(populated)
    last = populated.raw.positions()[-1]
    populated.raw.execute(
        "INSERT INTO {chain} (position, previous, hash, originator_id, version, topic) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [last + 7, last, "ef" * 32, str(uuid.uuid4()), 1, "forged"],
    )
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (last + 7, CHAIN)


def test_event_with_an_impossible_version_is_a_finding(populated: Store) -> None:
    ledger = chained(populated)
    p = middle(populated)
    populated.raw.execute("UPDATE {events} SET originator_version = -3 WHERE {id} = ?", [p])
    result = ledger.verify()
    assert (result.first_bad_position, result.kind) == (p, EDITED)


def test_unchainable_event_after_the_head_is_a_finding(populated: Store) -> None:
    ledger = chained(populated)
    last = populated.raw.positions()[-1]
    donor = populated.raw.row(last)
    forged_id: object = uuid.uuid4() if populated.raw.is_postgres else uuid.uuid4().hex
    populated.raw.insert(last + 1, forged_id, -1, donor[2], bytes(donor[3]))
    result = ledger.verify()
    assert (result.ok, result.first_bad_position, result.kind) == (False, last + 1, INSERTED)


def test_malformed_digest_file_is_a_signature_finding(populated: Store) -> None:
    ledger = chained(populated)
    Path(populated.digests).mkdir(parents=True, exist_ok=True)
    (Path(populated.digests) / "digest-broken.json").write_text("{not json", encoding="utf-8")
    result = ledger.verify()
    assert (result.ok, result.kind) == (False, SIGNATURE)
    assert "digest-broken.json" in result.message

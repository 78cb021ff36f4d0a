"""Issue 12, finding 8: signed digests on a schedule, kept outside the event tables
(``Ledger.sign_if_due``, the projection loop's hook), and checked by verification."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from caseflow.ledger import REWRITTEN, DigestSchedule
from caseflow.ledger.digest import digest_dir, digest_interval, generate_key
from caseflow.persistence import parse_database_url
from tests.ledger.conftest import Store

HOUR = timedelta(hours=1)
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def files(store: Store) -> list[Path]:
    d = Path(store.digests)
    return sorted(d.glob("*.json")) if d.is_dir() else []


def test_without_a_key_nothing_is_signed_and_it_is_said_once(
    populated: Store, caplog: pytest.LogCaptureFixture
) -> None:
    ledger = populated.ledger()
    with caplog.at_level(logging.WARNING, logger="caseflow.ledger"):
        assert ledger.sign_if_due(HOUR, T0) is None
        assert ledger.sign_if_due(HOUR, T0 + 2 * HOUR) is None
        assert populated.ledger().sign_if_due(HOUR, T0 + 3 * HOUR) is None
    said = [r for r in caplog.records if "no audit signing key" in r.getMessage()]
    assert len(said) == 1
    assert "caseflow audit keygen" in said[0].getMessage()
    assert files(populated) == []
    assert ledger.digests() == []


def test_signs_when_due_and_new_events_exist(populated: Store) -> None:
    generate_key(Path(populated.key))
    ledger = populated.ledger()
    first = ledger.sign_if_due(HOUR, T0)  # no digest yet: due now
    assert first is not None
    head = populated.raw.positions()[-1]
    assert first["position"] == head
    assert first["time"] == T0.isoformat()
    [written] = files(populated)
    assert json.loads(written.read_text(encoding="utf-8")) == first
    assert ledger.digests() == [first]  # the table has it too

    assert ledger.sign_if_due(HOUR, T0 + timedelta(minutes=59)) is None  # not due
    assert ledger.sign_if_due(HOUR, T0 + 2 * HOUR) is None  # due, but nothing new
    populated.app.register_person(None, "Ny Person", "ny@test.caseflow.no", "Oslo", ())
    assert ledger.sign_if_due(HOUR, T0 + timedelta(minutes=30)) is None  # new, not due
    second = ledger.sign_if_due(HOUR, T0 + 2 * HOUR)
    assert second is not None
    assert second["position"] > first["position"]
    assert len(files(populated)) == 2

    # Another process (the next start of 'caseflow project') finds the newest digest.
    again = populated.ledger()
    assert again.sign_if_due(HOUR, T0 + 2 * HOUR + timedelta(minutes=1)) is None
    result = again.verify()
    assert result.ok, result.message
    assert result.digests_checked == 2, result.message


def test_does_not_seal_a_tampered_log(populated: Store, caplog: pytest.LogCaptureFixture) -> None:
    generate_key(Path(populated.key))
    ledger = populated.ledger()
    assert ledger.sign_if_due(HOUR, T0) is not None
    populated.app.register_person(None, "Ny Person", "ny@test.caseflow.no", "Oslo", ())
    ledger.catch_up()
    p = populated.raw.positions()[-1]
    populated.raw.set_state(p, bytes(populated.raw.row(p)[3]) + b" ")
    with caplog.at_level(logging.ERROR, logger="caseflow.ledger"):
        assert ledger.sign_if_due(HOUR, T0 + 2 * HOUR) is None
        assert ledger.sign_if_due(HOUR, T0 + 3 * HOUR) is None
    refused = [r for r in caplog.records if "not signing a digest" in r.getMessage()]
    assert len(refused) == 1  # said once, not every loop
    assert len(files(populated)) == 1


def test_digest_files_catch_a_rechained_history_after_the_table_is_emptied(
    populated: Store,
) -> None:
    generate_key(Path(populated.key))
    ledger = populated.ledger()
    ledger.sign_if_due(HOUR, T0)
    p = populated.raw.positions()[len(populated.raw.positions()) // 2]
    populated.raw.set_state(p, bytes(populated.raw.row(p)[3]) + b" ")
    previous = max(q for q in populated.raw.positions() if q < p)
    populated.raw.execute("DELETE FROM {chain} WHERE position >= ?", [p])
    populated.raw.execute("UPDATE {tracking} SET notification_id = ?", [previous])
    populated.raw.execute("DELETE FROM {digests}")
    result = populated.ledger().verify()
    assert (result.ok, result.kind) == (False, REWRITTEN)
    assert "digest file" in result.message


def test_the_hook_for_the_projection_loop(populated: Store) -> None:
    generate_key(Path(populated.key))
    hook = DigestSchedule(HOUR, key_path=populated.key, digest_dir=populated.digests)
    assert hook(populated.app, populated.settings) is not None
    assert hook(populated.app, populated.settings) is None  # not due
    assert len(files(populated)) == 1


def test_interval_and_directory_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("CASEFLOW_DIGEST_MINUTES", raising=False)
    assert digest_interval() == timedelta(minutes=60)
    monkeypatch.setenv("CASEFLOW_DIGEST_MINUTES", "15")
    assert digest_interval() == timedelta(minutes=15)
    for bad in ("0", "-5", "soon"):
        monkeypatch.setenv("CASEFLOW_DIGEST_MINUTES", bad)
        with pytest.raises(ValueError, match="CASEFLOW_DIGEST_MINUTES"):
            digest_interval()

    monkeypatch.delenv("CASEFLOW_DIGEST_DIR", raising=False)
    sqlite = parse_database_url(f"sqlite:///{tmp_path}/x/caseflow.sqlite3")
    assert digest_dir(None, sqlite) == tmp_path / "x" / "digests"
    pg = parse_database_url("postgresql://u@h/db?schema=s1")
    assert digest_dir(None, pg) == Path("instance/digests/s1")
    assert digest_dir(None, parse_database_url("postgresql://u@h/db")) == Path("instance/digests")
    monkeypatch.setenv("CASEFLOW_DIGEST_DIR", str(tmp_path / "elsewhere"))
    assert digest_dir(None, pg) == tmp_path / "elsewhere"

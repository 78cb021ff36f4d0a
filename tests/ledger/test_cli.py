"""`caseflow audit …` and `caseflow db harden` through click, on real stores."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from caseflow.cli import main
from tests.ledger.conftest import Store

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "auditors-guide.md"


def cli(store: Store, *args: str) -> Any:
    runner = CliRunner()
    return runner.invoke(
        main,
        ["--database-url", store.url, *args],
        env={"CASEFLOW_AUDIT_KEY": store.key, "CASEFLOW_DIGEST_DIR": store.digests},
        catch_exceptions=False,
    )


def test_keygen_writes_a_private_key_once(populated: Store) -> None:
    result = cli(populated, "audit", "keygen")
    assert result.exit_code == 0, result.output
    mode = stat.S_IMODE(os.stat(populated.key).st_mode)
    assert mode == 0o600
    before = Path(populated.key).read_bytes()
    again = cli(populated, "audit", "keygen")
    assert again.exit_code == 1
    assert "--force" in again.output
    assert Path(populated.key).read_bytes() == before
    forced = cli(populated, "audit", "keygen", "--force")
    assert forced.exit_code == 0
    assert Path(populated.key).read_bytes() != before


def test_verify_digest_and_verify_against_a_filed_digest(populated: Store, tmp_path) -> None:
    ok = cli(populated, "audit", "verify")
    assert ok.exit_code == 0, ok.output
    head = populated.raw.positions()[-1]
    assert f"{len(populated.raw.positions())} events" in ok.output
    assert f"head position {head}" in ok.output

    assert cli(populated, "audit", "digest").exit_code == 1  # no key yet
    cli(populated, "audit", "keygen")
    signed = cli(populated, "audit", "digest")
    assert signed.exit_code == 0, signed.output
    digest = json.loads(signed.stdout)
    assert digest["position"] == head
    assert len(digest["public_key"]) == 64
    assert digest["hash"] == populated.ledger().chain_hash(head)
    filed = tmp_path / "filed.json"
    filed.write_text(signed.stdout)
    listed = json.loads(cli(populated, "audit", "digest", "--list").output)
    assert listed == [digest]

    checked = cli(populated, "audit", "verify", "--digest", str(filed), "--json")
    assert checked.exit_code == 0
    assert json.loads(checked.output)["digests_checked"] == 2

    p = populated.raw.positions()[20]
    populated.raw.set_state(p, bytes(populated.raw.row(p)[3]) + b" ")
    bad = cli(populated, "audit", "verify")
    assert bad.exit_code == 1
    assert f"history differs at position {p} (edited)" in bad.output
    as_json = json.loads(cli(populated, "audit", "verify", "--json").stdout)
    assert as_json["ok"] is False
    assert as_json["first_bad_position"] == p
    refused = cli(populated, "audit", "digest")
    assert refused.exit_code == 1
    assert "refusing to sign" in refused.output


def test_export_csv_and_json(populated: Store, tmp_path) -> None:
    out = tmp_path / "trail.csv"
    result = cli(populated, "audit", "export", "--format", "csv", "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    positions = populated.raw.positions()
    assert [int(r["position"]) for r in rows] == positions
    ledger = populated.ledger()
    assert all(r["hash"] == ledger.chain_hash(int(r["position"])) for r in rows)
    proposed = [r for r in rows if r["type"] == "Proposed"]
    assert proposed
    assert proposed[0]["role"]
    assert proposed[0]["actor"] != "system"

    printed = cli(populated, "audit", "export", "--format", "json")
    data = json.loads(printed.stdout)
    assert [e["position"] for e in data["events"]] == positions
    assert set(data["events"][0]) >= {
        "position",
        "time",
        "actor",
        "role",
        "on_behalf_of",
        "type",
        "originator",
        "version",
        "state",
        "hash",
    }


def guide_procedure() -> dict[str, Any]:
    """The plain-Python procedure exactly as written in docs/auditors-guide.md."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    code = next(b for b in blocks if "def verify_export" in b)
    namespace: dict[str, Any] = {}
    exec(compile(code, str(GUIDE), "exec"), namespace)
    return namespace


def test_the_guides_procedure_re_verifies_an_export(populated: Store, tmp_path) -> None:
    verify_export = guide_procedure()["verify_export"]
    cli(populated, "audit", "keygen")
    digest = json.loads(cli(populated, "audit", "digest").stdout)
    populated.app.register_person(None, "Etter Digest", "etter@test.caseflow.no", "Oslo", ())
    out = tmp_path / "trail.json"
    assert cli(populated, "audit", "export", "--output", str(out)).exit_code == 0

    events, head, head_hash = verify_export(str(out), digest)
    positions = populated.raw.positions()
    assert (events, head) == (len(positions), positions[-1])
    assert head_hash == populated.ledger().chain_hash(positions[-1])
    assert json.loads(out.read_text())["digests"] == [digest]

    data = json.loads(out.read_text())
    data["events"][5]["state"] = data["events"][5]["state"][:-4] + "IA=="
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=f"position {data['events'][5]['position']}"):
        verify_export(str(tampered))
    with pytest.raises(ValueError, match="digest"):
        verify_export(str(out), dict(digest, hash="0" * 64))


def test_harden_refuses_update_and_delete(populated: Store) -> None:
    populated.ledger().catch_up()
    result = cli(populated, "db", "harden")
    assert result.exit_code == 0, result.output
    assert "UPDATE" in result.output
    p = populated.raw.positions()[3]
    refused = (sqlite3.DatabaseError, psycopg.errors.InsufficientPrivilege)
    with pytest.raises(refused, match="append-only"):
        populated.raw.set_state(p, b"{}")
    with pytest.raises(refused, match="append-only"):
        populated.raw.delete(p)
    with pytest.raises(refused, match="append-only"):
        populated.raw.execute("DELETE FROM {chain}")
    # The application still records events, and the ledger still chains them.
    populated.app.register_person(None, "Etter Herding", "herdet@test.caseflow.no", "Oslo", ())
    assert populated.ledger().verify().ok
    assert cli(populated, "db", "harden").exit_code == 0  # idempotent


def test_verify_reports_a_moved_back_tracking_in_one_line(populated: Store) -> None:
    """Issue 12, finding 8: this was an IntegrityError traceback."""
    populated.ledger().catch_up()
    positions = populated.raw.positions()
    back = positions[len(positions) // 2]
    populated.raw.execute("UPDATE {tracking} SET notification_id = ?", [back])
    result = CliRunner().invoke(
        main,
        ["--database-url", populated.url, "audit", "verify"],
        env={"CASEFLOW_AUDIT_KEY": populated.key, "CASEFLOW_DIGEST_DIR": populated.digests},
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    after = next(q for q in positions if q > back)
    assert lines == [
        f"caseflow: history differs at position {after} (chain): the chain table was "
        f"altered at position {after}: the chain's tracking position was moved back to "
        f"{back}, but the chain has rows up to position {positions[-1]}"
    ]


def test_harden_keeps_the_history_append_only(populated: Store) -> None:
    populated.ledger().catch_up()
    assert cli(populated, "db", "harden").exit_code == 0
    positions = populated.raw.positions()
    donor = populated.raw.row(positions[5])
    forged_id: object = uuid.uuid4() if populated.raw.is_postgres else uuid.uuid4().hex
    refused = (sqlite3.DatabaseError, psycopg.errors.IntegrityConstraintViolation)
    with pytest.raises(refused, match="appended"):
        populated.raw.insert(positions[0] - 1, forged_id, 1, donor[2], bytes(donor[3]))
    with pytest.raises(refused, match="back"):
        populated.raw.execute("UPDATE {tracking} SET notification_id = ?", [positions[3]])
    with pytest.raises((sqlite3.DatabaseError, psycopg.errors.InsufficientPrivilege)):
        populated.raw.execute("DELETE FROM {tracking}")
    # The application and the chain go on.
    populated.app.register_person(None, "Etter Herding", "herdet2@test.caseflow.no", "Oslo", ())
    assert populated.ledger().catch_up() > 0
    assert populated.ledger().verify().ok

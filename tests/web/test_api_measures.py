"""Issue 16, measures in the API and the CLI (R18): the same checks as the measure pages —
KG's members and readers of everything read, KG's non-observer members and the
secretariat register and follow up, others are refused (nothing recorded)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from caseflow.cli import main
from tests.web.conftest import Site, email

READERS = {"sekretariat", "revisor", "kg-leder", "kg", "kg-obs"}
CHANGERS = {"sekretariat", "kg-leder", "kg"}


def bearer(site: Site, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.app.issue_token(None, email(key), 'test')}"}


@pytest.mark.parametrize("role", ["sekretariat", "revisor", "kg", "kg-obs", "atp"])
def test_measures_per_role(fresh: Site, role: str) -> None:
    http = fresh.flask.test_client()
    who = bearer(fresh, role)
    created = http.post(
        "/api/v1/measures",
        json={"title": "Felles innspill", "focus_area": "transport", "description": "D"},
        headers=who,
    )
    listed = http.get("/api/v1/measures?focus_area=transport", headers=who)
    if role not in READERS:
        assert created.status_code == 403
        assert listed.status_code == 403
        assert fresh.app.list_measures("transport")["transport"] == []
        return
    assert listed.status_code == 200
    if role not in CHANGERS:
        assert created.status_code == 403
        assert created.get_json()["error"]["rule"] in {"R9", "R18"}
        assert listed.get_json()["items"] == []
        return
    assert created.status_code == 201, created.get_json()
    measure = created.get_json()
    assert measure["status"] == "planned"
    one = http.get(f"/api/v1/measures/{measure['id']}", headers=who)
    assert one.get_json() == measure
    assert listed.get_json()["items"] == [measure]
    assert listed.get_json()["total"] == 1
    path = f"/api/v1/measures/{measure['id']}/status"
    stale = http.post(path, json={"status": "in_progress", "expected_version": 9}, headers=who)
    assert stale.status_code == 409
    moved = http.post(
        path,
        json={"status": "in_progress", "note": "Startet", "expected_version": 1},
        headers=who,
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["status"] == "in_progress"
    assert moved.get_json() == http.get(f"/api/v1/measures/{measure['id']}", headers=who).get_json()
    bad = http.post(path, json={"status": "nope"}, headers=who)
    assert bad.status_code == 422
    assert "status" in bad.get_json()["error"]["fields"]


def test_cli_measures(fresh_sqlite: Site) -> None:
    url = fresh_sqlite.flask.config["DATABASE_URL"]
    runner = CliRunner()
    base = ["--database-url", url, "measure"]
    refused = runner.invoke(
        main, [*base, "add", "--as", email("atp"), "--title", "T", "--focus-area", "klima"]
    )
    assert refused.exit_code == 1
    added = runner.invoke(
        main, [*base, "add", "--as", email("kg"), "--title", "Klimatiltak", "--focus-area", "klima"]
    )
    assert added.exit_code == 0, added.output
    mid = added.output.split()[0]
    done = runner.invoke(
        main, [*base, "status", mid, "done", "--as", email("kg-leder"), "--note", "Ferdig"]
    )
    assert done.exit_code == 0, done.output
    listed = json.loads(runner.invoke(main, [*base, "list", "--json"]).output)
    assert [(m["id"], m["status"]) for m in listed] == [(mid, "done")]
    shown = json.loads(runner.invoke(main, [*base, "show", mid, "--json"]).output)
    assert shown["updates"][-1]["note"] == "Ferdig"

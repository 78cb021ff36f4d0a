"""Issue 16, memberships end: ``DELETE /api/v1/groups/{id}/memberships/{person_id}``, the
group page's form and ``caseflow group remove-member`` — with the same check (the
secretariat or the group's leader or deputy), the history kept, and the person's later
advice refused at once, also by another process on the same store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from caseflow.cli import main
from tests.web.conftest import Site, email
from web import create_app


def bearer(site: Site, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.app.issue_token(None, email(key), 'test')}"}


def members(group: dict[str, Any]) -> set[str]:
    return {m["person_id"] for m in group["members"]}


def test_ending_a_membership_over_the_api(fresh: Site, tmp_path: Path) -> None:
    http = fresh.flask.test_client()
    sek, atp = bearer(fresh, "sekretariat"), bearer(fresh, "atp")
    kg_member = str(fresh.world["kg"])
    group = http.get("/api/v1/groups/kg", headers=sek).get_json()
    path = f"/api/v1/groups/{group['id']}/memberships/{kg_member}"
    # not permitted for an ordinary member of another group; nothing recorded
    refused = http.delete(path, headers=atp)
    assert refused.status_code == 403
    stale = http.delete(f"{path}?expected_version={group['version'] + 5}", headers=sek)
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "stale_version"
    assert kg_member in members(http.get("/api/v1/groups/kg", headers=sek).get_json())

    # a second process on the same store, which has the case and the group cached
    other = create_app(
        {
            "DATABASE_URL": fresh.flask.config["DATABASE_URL"],
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "LANGUAGE": "en",
            "INSTANCE_PATH": str(tmp_path / "other"),
        }
    )
    try:
        far = other.test_client()
        kg = bearer(fresh, "kg")
        ref = fresh.cases["advice"].reference
        seen = far.get(f"/api/v1/cases/{ref}", headers=kg).get_json()
        assert {s["step"]: s["allowed"] for s in seen["next_steps"]}["advice"] is True

        ended = http.delete(
            f"{path}?expected_version={group['version']}&reason=Slutter", headers=sek
        )
        assert ended.status_code == 200, ended.get_json()
        assert kg_member not in members(ended.get_json())
        assert ended.get_json() == http.get("/api/v1/groups/kg", headers=sek).get_json()

        advice = far.post(f"/api/v1/cases/{ref}/advice", json={"stance": "no_comment"}, headers=kg)
        assert advice.status_code in (403, 404), advice.get_json()
        assert fresh.app.get_case(None, ref).advice == []
    finally:
        other.extensions["caseflow"].close()

    # the history stays: the membership's start and its end are both in the trail
    trail = http.get("/api/v1/audit?type=MemberRemoved", headers=sek).get_json()
    assert [row["aggregate_id"] for row in trail["items"]] == [group["id"]]
    again = http.delete(path, headers=sek)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "invalid_state"


def test_the_group_page_ends_a_membership(fresh_sqlite: Site) -> None:
    site = fresh_sqlite
    client = site.client("sekretariat")
    page = client.get("/groups/atp").get_data(as_text=True)
    assert 'action="/groups/atp/memberships/end"' in page
    group = site.app.group_by_slug("atp")
    person = str(site.world["atp"])
    stale = client.post(
        "/groups/atp/memberships/end",
        {"person_id": person, "expected_version": str(group.version + 3), "reason": "Ut"},
    )
    assert stale.status_code == 409
    assert 'value="Ut"' in stale.get_data(as_text=True)  # what the user typed is kept
    done = client.post(
        "/groups/atp/memberships/end",
        {"person_id": person, "expected_version": str(group.version), "reason": "Ut"},
    )
    assert done.status_code == 302
    assert person not in {str(m.person_id) for m in site.app.group_by_slug("atp").members}
    observer = site.client("observator")
    refused = observer.post(
        "/groups/atp/memberships/end", {"person_id": str(site.world["atp-leder"])}
    )
    assert refused.status_code == 403


def test_cli_group_list_show_and_remove_member(fresh_sqlite: Site) -> None:
    url = fresh_sqlite.flask.config["DATABASE_URL"]
    runner = CliRunner()
    listed = runner.invoke(main, ["--database-url", url, "group", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "atp" in {g["slug"] for g in json.loads(listed.output)}
    shown = runner.invoke(main, ["--database-url", url, "group", "show", "atp", "--json"])
    assert json.loads(shown.output)["slug"] == "atp"
    args = ["--database-url", url, "group", "remove-member", "atp", email("atp")]
    refused = runner.invoke(main, [*args, "--as", email("observator")])
    assert refused.exit_code == 1
    done = runner.invoke(main, [*args, "--as", email("atp-leder"), "--reason", "Slutter"])
    assert done.exit_code == 0, done.output
    after = runner.invoke(main, ["--database-url", url, "group", "show", "atp", "--json"])
    assert str(fresh_sqlite.world["atp"]) not in {
        m["person_id"] for m in json.loads(after.output)["members"]
    }

"""The JSON API of API.md: bearer tokens, structured errors (400/401/403/404/409/422),
expected_version, and the OpenAPI document generated from the same schemas."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.web.conftest import Site, email


def bearer(site: Site, key: str) -> dict[str, str]:
    token = site.app.issue_token(None, email(key), "test")
    return {"Authorization": f"Bearer {token}"}


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()["error"]
    assert set(body) == {"code", "message", "rule", "fields"}
    assert body["code"] == code
    return body


def test_bearer_token_authenticates_and_skips_csrf(fresh: Site) -> None:
    headers = bearer(fresh, "atp")
    http = fresh.flask.test_client()
    me = http.get("/api/v1/me", headers=headers).get_json()
    assert me["email"] == email("atp")
    assert {m["group"] for m in me["memberships"]} == {"atp"}
    response = http.post(
        "/api/v1/cases",
        json={"title": "Via API", "summary": "S", "group_id": str(fresh.world.groups["atp"])},
        headers=headers,
    )
    assert response.status_code == 201
    case = response.get_json()
    assert case["status"] == "proposed"
    assert case["version"] == 1
    # read your own writes: the list (read model) has it at once
    listed = http.get("/api/v1/cases?q=Via API", headers=headers).get_json()
    assert case["reference"] in {i["reference"] for i in listed["items"]}


def test_wrong_token_is_401(site: Site) -> None:
    http = site.flask.test_client()
    error(http.get("/api/v1/me", headers={"Authorization": "Bearer nope"}), 401, "unauthorized")


def test_session_json_needs_csrf_token(fresh: Site) -> None:
    client = fresh.client("atp")
    body = {"title": "T", "summary": "S", "group_id": str(fresh.world.groups["atp"])}
    refused = client.http.post("/api/v1/cases", json=body)
    error(refused, 400, "csrf")
    assert client.post_json("/api/v1/cases", body).status_code == 201


def test_form_without_csrf_token_is_refused(fresh: Site) -> None:
    client = fresh.client("sekretariat")
    ref = fresh.cases["proposed"].reference
    response = client.http.post(f"/cases/{ref}/steps/decline", data={"reason": "Nei"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert fresh.app.get_case(None, ref).status == "proposed"
    login = fresh.flask.test_client().post(
        "/login", data={"email": email("atp"), "password": "pw-atp"}
    )
    assert login.status_code == 400


def test_error_bodies(fresh: Site) -> None:
    http = fresh.flask.test_client()
    sek, atp, kg = bearer(fresh, "sekretariat"), bearer(fresh, "atp"), bearer(fresh, "kg")
    ref = fresh.cases["proposed"].reference
    # 400: not JSON
    response = http.post(
        f"/api/v1/cases/{ref}/decline",
        data="{nope",
        headers={**sek, "Content-Type": "application/json"},
    )
    error(response, 400, "bad_request")
    # 422: a required field missing, a field of the wrong type
    body = error(http.post(f"/api/v1/cases/{ref}/decline", json={}, headers=sek), 422, "invalid")
    assert "reason" in body["fields"]
    body = error(
        http.post(
            f"/api/v1/cases/{ref}/decline",
            json={"reason": "x", "expected_version": "abc"},
            headers=sek,
        ),
        422,
        "invalid",
    )
    assert "expected_version" in body["fields"]
    # 403 with the rule
    body = error(
        http.post(f"/api/v1/cases/{ref}/decline", json={"reason": "x"}, headers=atp),
        403,
        "not_permitted",
    )
    assert body["rule"] == "R5"
    # 404: KG may not see a proposed case at all
    error(
        http.post(f"/api/v1/cases/{ref}/decline", json={"reason": "x"}, headers=kg),
        404,
        "not_found",
    )
    error(http.get("/api/v1/cases/OR-1999-001", headers=sek), 404, "not_found")
    error(http.get("/api/v1/nothing-here", headers=sek), 404, "not_found")
    # 409: wrong state
    body = error(
        http.post(f"/api/v1/cases/{ref}/ready", json={}, headers=sek), 409, "invalid_state"
    )
    # 409: stale expected_version
    error(
        http.post(f"/api/v1/cases/{ref}/accept", json={"expected_version": 7}, headers=sek),
        409,
        "stale_version",
    )
    accepted = http.post(f"/api/v1/cases/{ref}/accept", json={"expected_version": 1}, headers=sek)
    assert accepted.status_code == 200
    assert accepted.get_json()["version"] == 2
    assert fresh.app.get_case(None, ref).status == "under_preparation"


def test_case_has_next_steps_with_reasons(site: Site) -> None:
    http = site.flask.test_client()
    case = http.get(
        f"/api/v1/cases/{site.cases['advice'].reference}", headers=bearer(site, "kg-obs")
    ).get_json()
    steps = {s["step"]: s for s in case["next_steps"]}
    assert not steps["advice"]["allowed"]
    assert steps["advice"]["rule"] == "R9"
    assert steps["submit"]["rule"] is None or steps["submit"]["rule"] == "R1"
    assert all(s["reason"] for s in case["next_steps"] if not s["allowed"])


def test_full_step_flow_over_api(fresh: Site) -> None:
    http = fresh.flask.test_client()
    sek, kg, leader = (bearer(fresh, k) for k in ("sekretariat", "kg", "kg-leder"))
    ref = fresh.cases["proposed"].reference
    deadline = (date.today() + timedelta(days=7)).isoformat()
    steps: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("accept", {}, sek),
        ("draft", {"background": "B", "political_involvement": "IPU"}, sek),
        (
            "request-advice",
            {"deadline": deadline, "kg_meeting_id": str(fresh.world.meetings["kg"])},
            sek,
        ),
        ("advice", {"stance": "supports_with_changes", "text": "Endre litt"}, kg),
        ("close-advice", {"summary": "KG støtter"}, leader),
        ("ready", {}, sek),
        ("submit", {"meeting_id": str(fresh.world.meetings["board"])}, sek),
        ("postpone", {"reason": "Tid"}, sek),
        ("submit", {"meeting_id": str(fresh.world.meetings["board2"])}, sek),
        ("decision", {"resolution": "Vedtatt"}, sek),
    ]
    for step, body, headers in steps:
        response = http.post(f"/api/v1/cases/{ref}/{step}", json=body, headers=headers)
        assert response.status_code == 200, (step, response.get_json())
    final = response.get_json()
    assert final["status"] == "decided"
    assert final["resolution"] == "Vedtatt"
    history = http.get(f"/api/v1/cases/{ref}/history?version=2", headers=sek).get_json()
    assert history["at_version"] == 2
    assert history["state"]["status"] == "under_preparation"
    assert history["events"][0]["type"] == "Proposed"
    audit = http.get(f"/api/v1/audit?case={ref}&per_page=100", headers=sek).get_json()
    assert {"Decided", "Postponed"} <= {i["type"] for i in audit["items"]}


def test_groups_people_meetings(fresh: Site) -> None:
    http = fresh.flask.test_client()
    sek, kg = bearer(fresh, "sekretariat"), bearer(fresh, "kg")
    kg_group = http.get("/api/v1/groups/kg", headers=kg).get_json()
    assert kg_group["gaps"] == []
    assert kg_group["spread"]["oslo"] == 1
    created = http.post(
        "/api/v1/people",
        json={"name": "Ny Person", "email": "ny@test.caseflow.no", "organisation": "3201"},
        headers=sek,
    )
    assert created.status_code == 201
    pid = created.get_json()["id"]
    error(
        http.post(
            "/api/v1/people",
            json={"name": "X", "email": "bad", "organisation": "Oslo"},
            headers=sek,
        ),
        422,
        "invalid",
    )
    error(
        http.post(
            "/api/v1/people",
            json={"name": "X", "email": "x@y.no", "organisation": "Oslo"},
            headers=kg,
        ),
        403,
        "not_permitted",
    )
    group = http.post(
        f"/api/v1/groups/{kg_group['id']}/memberships",
        json={"person_id": pid, "expected_version": kg_group["version"]},
        headers=sek,
    )
    assert group.status_code == 200
    stale = http.post(
        f"/api/v1/groups/{kg_group['id']}/appointments",
        json={"person_id": pid, "role": "deputy", "expected_version": kg_group["version"]},
        headers=kg,
    )
    error(stale, 409, "stale_version")
    appointed = http.post(
        "/api/v1/groups/kg/appointments", json={"person_id": pid, "role": "deputy"}, headers=kg
    )
    assert appointed.status_code == 200
    assert appointed.get_json()["deputy"] == pid
    body = error(
        http.post(
            "/api/v1/groups/kg/appointments", json={"person_id": pid, "role": "leader"}, headers=sek
        ),
        403,
        "not_permitted",
    )
    assert body["rule"] == "R4"
    meeting = http.post(
        "/api/v1/meetings",
        json={"body": "board", "starts_at": "2099-06-01T10:00:00+02:00"},
        headers=sek,
    )
    assert meeting.status_code == 201
    mid = meeting.get_json()["id"]
    assert http.get(f"/api/v1/meetings/{mid}", headers=kg).get_json()["body"] == "board"
    error(
        http.post(
            "/api/v1/meetings",
            json={"body": "board", "starts_at": "2099-06-01T10:00:00"},
            headers=sek,
        ),
        422,
        "invalid",
    )
    orgs = http.get("/api/v1/organisations", headers=kg).get_json()
    assert {r["slug"] for r in orgs["regions"]} == {"oslo", "follo", "asker-baerum"}
    assert "Statens vegvesen" in {o["name"] for o in orgs["external"]}


def test_audit_verify(site: Site) -> None:
    http = site.flask.test_client()
    result = http.get("/api/v1/audit/verify", headers=bearer(site, "revisor")).get_json()
    assert result["ok"] is True
    assert result["events"] > 0


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_errors_in_the_callers_language(site: Site, lang: str) -> None:
    http = site.flask.test_client()
    ref = site.cases["proposed"].reference
    body = http.post(
        f"/api/v1/cases/{ref}/submit",
        json={"meeting_id": str(site.world.meetings["board"])},
        headers={**bearer(site, "atp"), "Accept-Language": lang},
    ).get_json()["error"]
    expected = {
        "nb": "Bare sekretariatet fremmer saker for styret.",
        "en": "Only the secretariat submits cases to the board.",
    }
    assert body["message"] == expected[lang]
    assert body["rule"] == "R1"


def test_openapi_document_covers_api_md(site: Site) -> None:
    doc = site.flask.test_client().get("/api/v1/openapi.json").get_json()
    paths = doc["paths"]
    for path, method in [
        ("/openapi.json", "get"),
        ("/me", "get"),
        ("/organisations", "get"),
        ("/people", "get"),
        ("/people", "post"),
        ("/groups", "get"),
        ("/groups/{id}", "get"),
        ("/groups/{id}/memberships", "post"),
        ("/groups/{id}/appointments", "post"),
        ("/cases", "post"),
        ("/cases", "get"),
        ("/cases/{id}", "get"),
        ("/cases/{id}/history", "get"),
        ("/meetings", "get"),
        ("/meetings", "post"),
        ("/meetings/{id}", "get"),
        ("/audit", "get"),
        ("/audit/verify", "get"),
    ]:
        assert method in paths[path], (path, method)
    for step in (
        "accept",
        "decline",
        "draft",
        "request-advice",
        "advice",
        "close-advice",
        "waive-advice",
        "ready",
        "submit",
        "decision",
        "postpone",
        "withdraw",
    ):
        assert "post" in paths[f"/cases/{{id}}/{step}"]
    advice = doc["components"]["schemas"]["Advice"]
    assert advice["properties"]["stance"]["enum"] == [
        "supports",
        "supports_with_changes",
        "does_not_support",
        "no_comment",
    ]
    assert "409" in paths["/cases/{id}/advice"]["post"]["responses"]


def test_a_bearer_request_is_never_the_session_user(fresh: Site) -> None:
    """A request with an Authorization header acts as that token's person (and skips CSRF),
    so a session cookie can never be used without a CSRF token by adding a bogus header."""
    client = fresh.client("sekretariat")
    ref = fresh.cases["proposed"].reference
    response = client.http.post(
        f"/api/v1/cases/{ref}/decline",
        json={"reason": "Nei"},
        headers={"Authorization": "Bearer not-a-token"},
    )
    error(response, 401, "unauthorized")
    assert fresh.app.get_case(None, ref).status == "proposed"

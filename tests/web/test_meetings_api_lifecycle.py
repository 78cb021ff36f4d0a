"""The agenda's lifecycle in the JSON API (issue 14, ``web/api_meetings.py``): a case
waits unnumbered, the agenda is ordered, the invitation numbers it, a supplementary item
goes out in a supplementary invitation, an item is postponed, a meeting cancelled; every
change takes ``expected_version``; refusals are structured and record nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from caseflow.domain.values import MeetingBody
from tests.web.conftest import Site, email


class Api:
    def __init__(self, site: Site, key: str) -> None:
        self.site = site
        token = site.app.issue_token(None, email(key), "test")
        self.headers = {"Authorization": f"Bearer {token}"}
        self.http = site.flask.test_client()

    def get(self, mid: UUID) -> dict[str, Any]:
        r = self.http.get(f"/api/v1/meetings/{mid}", headers=self.headers)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.http.post(f"/api/v1{path}", json=body or {}, headers=self.headers)


@pytest.fixture
def api(fresh: Site) -> Api:
    return Api(fresh, "sekretariat")


def test_the_lifecycle_through_the_api(api: Api, fresh: Site) -> None:
    mid = fresh.world.meetings["board"]
    ready = fresh.cases["ready"]
    r = api.post(f"/meetings/{mid}/standard-items", {"part": "opening"})
    assert r.status_code == 200, r.get_json()
    r = api.post(f"/meetings/{mid}/cases", {"case": ready.reference})
    assert r.status_code == 200, r.get_json()
    agenda = r.get_json()["agenda"]
    assert [(i["number"], i["label"]) for i in agenda] == [(None, "")] * 3
    key = agenda[2]["key"]
    version = r.get_json()["version"]
    r = api.post(f"/meetings/{mid}/items/{key}/move", {"position": 1, "expected_version": version})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["agenda"][0]["key"] == key
    # a stale version: 409, structured, nothing recorded
    position = fresh.app.recorder.max_notification_id()
    r = api.post(
        f"/meetings/{mid}/items/{key}/move", {"direction": "down", "expected_version": version}
    )
    assert r.status_code == 409
    assert set(r.get_json()["error"]) >= {"code", "message", "rule", "fields"}
    assert fresh.app.recorder.max_notification_id() == position
    r = api.post(f"/meetings/{mid}/invitation")
    assert r.status_code == 200, r.get_json()
    sent = r.get_json()
    assert [i["label"] for i in sent["agenda"]] == [f"Sak {n}/99" for n in range(1, 8)]
    assert sent["status"] == "invitation_sent"
    # moving now is refused
    r = api.post(f"/meetings/{mid}/items/{key}/move", {"direction": "down"})
    assert r.status_code == 409
    # a supplementary item and its supplementary invitation, twice
    r = api.post(f"/meetings/{mid}/items", {"title": "Orientering om budsjett"})
    item = r.get_json()["agenda"][-1]
    assert (item["label"], item["supplementary"]) == ("Sak 8/99", True)
    assert r.get_json()["unsent_supplementary"] == [item["key"]]
    assert api.post(f"/meetings/{mid}/supplementary-invitation").status_code == 200
    api.post(f"/meetings/{mid}/items", {"title": "Orientering om nytt lokale"})
    r = api.post(f"/meetings/{mid}/supplementary-invitation")
    assert [s["item_labels"] for s in r.get_json()["supplements"]] == [["Sak 8/99"], ["Sak 9/99"]]
    r = api.post(f"/meetings/{mid}/supplementary-invitation")
    assert r.status_code == 409
    # postpone the case: kept with its number, marked; the case waits
    r = api.post(f"/meetings/{mid}/items/{key}/postpone", {"reason": ""})
    assert r.status_code == 422
    assert "reason" in r.get_json()["error"]["fields"]
    r = api.post(f"/meetings/{mid}/items/{key}/postpone", {"reason": "Mer utredning"})
    first = r.get_json()["agenda"][0]
    assert (first["label"], first["postponed"], first["note"]) == (
        "Sak 1/99",
        True,
        "Mer utredning",
    )
    assert api.get(mid)["agenda"][0]["postponed"] is True
    assert fresh.app.get_case(fresh.world["sekretariat"], ready.id).status == "postponed"


def test_cancel_and_permissions(api: Api, fresh: Site) -> None:
    mid = fresh.world.meetings["board2"]
    ready = fresh.cases["ready"]
    api.post(f"/meetings/{mid}/cases", {"case": ready.reference})
    member = Api(fresh, "kg")
    position = fresh.app.recorder.max_notification_id()
    r = member.post(f"/meetings/{mid}/cancel", {"reason": "Nei"})
    assert r.status_code == 403
    assert fresh.app.recorder.max_notification_id() == position
    r = api.post(f"/meetings/{mid}/cancel", {"reason": "Styreleder er syk"})
    assert r.status_code == 200, r.get_json()
    assert (r.get_json()["status"], r.get_json()["cancel_reason"]) == (
        "cancelled",
        "Styreleder er syk",
    )
    assert fresh.app.get_case(fresh.world["sekretariat"], ready.id).status == "ready"
    assert api.post(f"/meetings/{mid}/held").status_code == 409
    r = api.post(f"/meetings/{mid}/items/nope/move", {})
    assert r.status_code == 422  # neither position nor direction


def test_minutes_through_the_api(api: Api, fresh: Site) -> None:
    w = fresh.world
    mid = w.app.schedule_meeting(
        w["sekretariat"], MeetingBody.BOARD, datetime(2025, 2, 10, 11, tzinfo=UTC)
    ).id
    ready = fresh.cases["ready"]
    key = api.post(f"/meetings/{mid}/cases", {"case": ready.reference}).get_json()["agenda"][0][
        "key"
    ]
    assert api.post(f"/meetings/{mid}/items/{key}/decision", {"decision": "x"}).status_code == 409
    api.post(f"/meetings/{mid}/invitation")
    api.post(f"/meetings/{mid}/held")
    r = api.post(f"/meetings/{mid}/attendance", {"present": [str(w["sekretariat"])]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["present"] == [str(w["sekretariat"])]
    r = api.post(f"/meetings/{mid}/items/{key}/decision", {"decision": "Styret vedtar."})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["agenda"][0]["decision"] == "Styret vedtar."
    assert fresh.app.get_case(w["sekretariat"], ready.id).resolution == "Styret vedtar."

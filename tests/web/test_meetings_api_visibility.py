"""The JSON API's meetings (``/api/v1/meetings…``) show exactly what the meeting pages show:
the list leaves out meetings the caller may not see, and one such meeting answers 404 with
the same body as a meeting that does not exist (by session and by bearer token alike)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from caseflow.domain.values import MeetingBody
from tests.web.conftest import ACCOUNTS, Site, email

KG = {"kg-leder", "kg", "kg-obs"}
ATP = {"atp-leder", "atp", "observator"}
EVERYTHING = {"sekretariat", "revisor"}

#: meeting key -> who may see it (besides the secretariat and auditors).
VISIBLE: dict[str, set[str]] = {
    "board": KG,  # political bodies: board members and KG (no board member has a login here)
    "kg": KG,
    "ipu": KG,
    "atp": ATP,
    "ntp": {"ntp"},
    "ntp-with-guest": {"ntp", "atp-leder"},  # atp-leder is invited
    "joint-atp-ntp": ATP | {"ntp"},
    "joint-all": KG | ATP | {"ntp"},  # a joint gathering naming no groups: every group member
}


@pytest.fixture(scope="module")
def meetings(site: Site) -> dict[str, UUID]:
    app, w = site.app, site.world
    sek = w["sekretariat"]

    def at(day: int) -> datetime:
        return datetime(2099, 10, day, 9, tzinfo=UTC)

    found = {"board": w.meetings["board"], "kg": w.meetings["kg"]}
    found["ipu"] = app.schedule_meeting(sek, MeetingBody.IPU, at(1)).id
    found["atp"] = app.schedule_meeting(sek, MeetingBody.GROUP, at(2), group_id=w.groups["atp"]).id
    found["ntp"] = app.schedule_meeting(sek, MeetingBody.GROUP, at(3), group_id=w.groups["ntp"]).id
    guest = app.schedule_meeting(sek, MeetingBody.GROUP, at(4), group_id=w.groups["ntp"]).id
    app.invite(sek, guest, w["atp-leder"], "Innspill om ATP-saken")
    found["ntp-with-guest"] = guest
    found["joint-atp-ntp"] = app.schedule_meeting(
        sek,
        MeetingBody.JOINT,
        at(5),
        ends_at=at(6),
        group_ids=(w.groups["atp"], w.groups["ntp"]),
    ).id
    found["joint-all"] = app.schedule_meeting(sek, MeetingBody.JOINT, at(7), ends_at=at(8)).id
    return found


def visible_to(role: str) -> set[str]:
    return {k for k, who in VISIBLE.items() if role in EVERYTHING or role in who}


def bearer(site: Site, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.app.issue_token(None, email(role), 'test')}"}


@pytest.mark.parametrize("role", ACCOUNTS)
def test_list_leaves_out_what_the_caller_may_not_see(
    site: Site, meetings: dict[str, UUID], role: str
) -> None:
    response = site.client(role).get("/api/v1/meetings")
    assert response.status_code == 200
    listed = {UUID(m["id"]) for m in response.get_json()["items"]}
    assert {k for k, mid in meetings.items() if mid in listed} == visible_to(role)


@pytest.mark.parametrize("role", ACCOUNTS)
def test_list_is_the_same_as_the_meetings_page(
    site: Site, meetings: dict[str, UUID], role: str
) -> None:
    client = site.client(role)
    api = {m["id"] for m in client.get("/api/v1/meetings").get_json()["items"]}
    page = client.get("/meetings/").get_data(as_text=True)
    everything = {str(m.id) for m in site.app.list_meetings()}
    assert api == {mid for mid in everything if f'id="m-{mid}"' in page}


@pytest.mark.parametrize("role", ACCOUNTS)
def test_one_meeting_is_404_unless_the_caller_may_see_it(
    site: Site, meetings: dict[str, UUID], role: str
) -> None:
    client = site.client(role)
    missing = client.get(f"/api/v1/meetings/{uuid.uuid4()}")
    assert missing.status_code == 404
    for key, mid in meetings.items():
        api = client.get(f"/api/v1/meetings/{mid}")
        web = client.get(f"/meetings/{mid}")
        if key in visible_to(role):
            assert api.status_code == 200, key
            assert api.get_json()["id"] == str(mid)
        else:
            assert api.status_code == 404, key
            # indistinguishable from a meeting that does not exist
            assert api.get_json() == missing.get_json(), key
        assert web.status_code == api.status_code, key


@pytest.mark.parametrize("role", ["atp", "ntp", "kg", "revisor"])
def test_bearer_tokens_see_the_same(site: Site, meetings: dict[str, UUID], role: str) -> None:
    http = site.flask.test_client()
    headers = bearer(site, role)
    answer = http.get("/api/v1/meetings", headers=headers).get_json()
    listed = {UUID(m["id"]) for m in answer["items"]}
    assert {k for k, mid in meetings.items() if mid in listed} == visible_to(role)
    for key, mid in meetings.items():
        status = http.get(f"/api/v1/meetings/{mid}", headers=headers).status_code
        assert status == (200 if key in visible_to(role) else 404), key


def test_error_body_of_a_hidden_meeting(site: Site, meetings: dict[str, UUID]) -> None:
    body: dict[str, Any] = site.client("atp").get(f"/api/v1/meetings/{meetings['kg']}").get_json()
    assert body["error"]["code"] == "not_found"
    assert set(body["error"]) == {"code", "message", "rule", "fields"}
    assert str(meetings["kg"]) not in str(body)


def test_an_invitation_makes_the_meeting_visible(fresh: Site) -> None:
    app, w = fresh.app, fresh.world
    mid = app.schedule_meeting(
        w["sekretariat"],
        MeetingBody.GROUP,
        datetime(2099, 9, 1, 9, tzinfo=UTC),
        group_id=w.groups["ntp"],
    ).id
    client = fresh.client("observator")
    assert client.get(f"/api/v1/meetings/{mid}").status_code == 404
    assert str(mid) not in {m["id"] for m in client.get("/api/v1/meetings").get_json()["items"]}
    app.invite(w["sekretariat"], mid, w["observator"], "Fagkunnskap om jernbane")
    assert client.get(f"/api/v1/meetings/{mid}").status_code == 200
    assert str(mid) in {m["id"] for m in client.get("/api/v1/meetings").get_json()["items"]}

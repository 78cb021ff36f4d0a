"""Issue 12, finding 7: R4 as the group's act, through the API and the form.

A plain member who records their own appointment alone is refused with R4 (in bokmål and
English) and nothing is recorded; with a second non-observer member's confirmation it is
recorded, the confirmation with it. A confirmation by an observer, by the appointee or by
someone outside the group is refused the same way. The secretariat still does not appoint.
"""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Site

REFUSED_ALONE = {
    "en": "A member does not appoint themselves alone",
    "nb": "Et medlem utnevner ikke seg selv alene",
}


def _api(site: Site, who: str, body: dict[str, Any], lang: str = "en") -> Any:
    client = site.client(who)
    gid = site.world.groups["atp"]
    return client.post_json(
        f"/api/v1/groups/{gid}/appointments", body, headers={"Accept-Language": lang}
    )


def test_api_refuses_a_member_appointing_themselves_alone(fresh: Site) -> None:
    w, app = fresh.world, fresh.app
    before = app.recorder.max_notification_id()
    me = str(w["atp"])
    for lang in ("en", "nb"):
        r = _api(fresh, "atp", {"person_id": me, "role": "leader"}, lang)
        assert r.status_code == 403
        error = r.get_json()["error"]
        assert (error["code"], error["rule"]) == ("not_permitted", "R4")
        assert REFUSED_ALONE[lang] in error["message"]
    for confirmer in ("observator", "atp", "kg", "sekretariat"):
        body = {"person_id": me, "role": "leader", "confirmed_by": str(w[confirmer])}
        r = _api(fresh, "atp", body)
        assert r.status_code == 403, confirmer
        assert r.get_json()["error"]["rule"] == "R4", confirmer
    assert app.recorder.max_notification_id() == before  # nothing recorded
    group = app.group_by_slug("atp")
    assert (group.leader, group.deputy) == (w["atp-leder"], None)


def test_api_records_a_self_appointment_with_a_second_members_confirmation(
    fresh: Site,
) -> None:
    w = fresh.world
    body = {"person_id": str(w["atp"]), "role": "deputy", "confirmed_by": str(w["atp-leder"])}
    r = _api(fresh, "atp", body)
    assert r.status_code == 200, r.get_json()
    group = r.get_json()
    assert group["deputy"] == str(w["atp"])
    record = next(a for a in group["appointments"] if a["position"] == "deputy")
    assert record["recorded_by"] == str(w["atp"])
    assert record["recorded_as"] == "atp:member"
    assert record["confirmed_by"] == str(w["atp-leder"])
    assert record["confirmed_by_name"] == "Anne Areal"
    # the confirmation is on the stored event, which auditors read
    event = list(fresh.app.events.get(w.groups["atp"]))[-1]
    assert type(event).__name__ == "Appointed"
    assert event.confirmed_by == w["atp-leder"]
    page = fresh.client("revisor").get("/groups/atp").get_data(as_text=True)
    assert "confirmed by Anne Areal" in page


def test_api_another_member_still_records_an_appointment_alone(fresh: Site) -> None:
    w = fresh.world
    r = _api(fresh, "atp-leder", {"person_id": str(w["atp"]), "role": "deputy"})
    assert r.status_code == 200
    assert r.get_json()["deputy"] == str(w["atp"])
    refused = _api(fresh, "sekretariat", {"person_id": str(w["atp"]), "role": "leader"})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["rule"] == "R4"


def test_form_refuses_alone_and_records_with_confirmation(fresh: Site) -> None:
    w, app = fresh.world, fresh.app
    atp = fresh.client("atp")
    page = atp.get("/groups/atp").get_data(as_text=True)
    assert 'name="confirmed_by"' in page
    before = app.recorder.max_notification_id()
    alone = {"person_id": str(w["atp"]), "role": "leader"}
    refused = atp.post("/groups/atp/appointments", alone)
    assert refused.status_code == 403
    html = refused.get_data(as_text=True)
    assert "R4" in html
    assert REFUSED_ALONE["en"] in html
    nb = atp.post("/groups/atp/appointments", alone, headers={"Accept-Language": "nb"})
    assert nb.status_code == 403
    assert REFUSED_ALONE["nb"] in nb.get_data(as_text=True)
    by_observer = {**alone, "confirmed_by": str(w["observator"])}
    assert atp.post("/groups/atp/appointments", by_observer).status_code == 403
    by_myself = {**alone, "confirmed_by": str(w["atp"])}
    assert atp.post("/groups/atp/appointments", by_myself).status_code == 403
    assert app.recorder.max_notification_id() == before
    assert app.group_by_slug("atp").leader == w["atp-leder"]

    confirmed = {**alone, "confirmed_by": str(w["atp-leder"])}
    done = atp.post("/groups/atp/appointments", confirmed)
    assert done.status_code == 302
    group = app.group_by_slug("atp")
    assert group.leader == w["atp"]
    record = next(a for a in group.appointments if a.position == "leader")
    assert (record.recorded_by, record.confirmed_by) == (w["atp"], w["atp-leder"])

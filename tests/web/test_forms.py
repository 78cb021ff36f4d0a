"""The pages' forms: the secretariat's steps, KG advice with validation and revisions,
proposing, groups (R4, R10), stale versions, read-your-writes, overview and history."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from caseflow.domain import clock
from caseflow.domain.values import Stance
from tests.web.conftest import Site


def test_secretariat_takes_a_case_from_proposal_to_submission(fresh: Site) -> None:
    ref = fresh.cases["proposed"].reference
    sek, kg, leader = fresh.client("sekretariat"), fresh.client("kg"), fresh.client("kg-leder")
    page = sek.get(f"/cases/{ref}").get_data(as_text=True)
    assert f"/cases/{ref}/steps/accept" in page
    assert f"/cases/{ref}/steps/submit" not in page.split("Why other steps")[0]

    def step(client, name: str, data: dict[str, str]) -> str:
        response = client.post(f"/cases/{ref}/steps/{name}", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return client.get(response.headers["Location"]).get_data(as_text=True)

    step(sek, "accept", {"case_officer": str(fresh.world["sekretariat"])})
    step(
        sek,
        "draft",
        {
            "background": "Bakgrunn",
            "assessment": "Vurdering",
            "proposed_resolution": "Vedtak",
            "political_involvement": "Drøftes i IPU",
        },
    )
    deadline = (date.today() + timedelta(days=10)).isoformat()
    step(sek, "request-advice", {"deadline": deadline, "kg_meeting_id": ""})
    step(kg, "advice", {"stance": "supports", "text": "Godt forslag"})
    step(leader, "close-advice", {"summary": "KG støtter"})
    step(sek, "ready", {})
    page = step(sek, "submit", {"meeting_id": str(fresh.world.meetings["board"])})
    assert not re.search(r"Sak \d+/99", page)  # waits on the list (issue 14)
    board = fresh.world.meetings["board"]
    assert sek.post(f"/meetings/{board}/invitation").status_code == 303  # numbers it
    assert re.search(r"Sak \d+/99", sek.get(f"/cases/{ref}").get_data(as_text=True))
    # read your own writes: the list (read model) shows the new status at once
    listing = sek.get("/cases/?status=submitted").get_data(as_text=True)
    assert ref in listing


def test_advice_form_validates_keeps_input_and_shows_revisions(fresh: Site) -> None:
    ref = fresh.cases["advice"].reference
    kg = fresh.client("kg")
    assert ref in kg.get("/advice/").get_data(as_text=True)
    response = kg.post(f"/cases/{ref}/steps/advice", {"stance": "does_not_support", "text": "  "})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="text-errors"' in html
    assert "Explain the stance" in html
    assert re.search(r'value="does_not_support"[^>]*checked', html)
    assert fresh.app.get_case(None, ref).advice == []

    response = kg.post(f"/cases/{ref}/steps/advice", {"text": "Uten standpunkt"})
    assert response.status_code == 422
    assert 'id="stance-errors"' in response.get_data(as_text=True)
    assert "Uten standpunkt" in response.get_data(as_text=True)

    for text in ("Første versjon", "Andre versjon"):
        assert (
            kg.post(f"/cases/{ref}/steps/advice", {"stance": "supports", "text": text}).status_code
            == 302
        )
    form = kg.get(f"/cases/{ref}/steps/advice").get_data(as_text=True)
    assert "Første versjon" in form
    assert "Andre versjon" in form
    assert "Revision</strong> 2" in form or "Revision 2" in form


def test_observer_in_kg_cannot_give_advice(fresh: Site) -> None:
    ref = fresh.cases["advice"].reference
    response = fresh.client("kg-obs").post(
        f"/cases/{ref}/steps/advice", {"stance": "supports", "text": "x"}
    )
    assert response.status_code == 403
    assert "R9" in response.get_data(as_text=True)


def test_stale_expected_version_is_a_conflict(fresh: Site) -> None:
    ref = fresh.cases["advice"].reference
    kg = fresh.client("kg")
    response = kg.post(
        f"/cases/{ref}/steps/advice",
        {"stance": "supports", "text": "Gammel versjon", "expected_version": "1"},
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Gammel versjon" in html  # what was typed is kept
    assert "What changed since you opened the form" in html  # and what changed is shown
    assert 'name="expected_version" value="1"' in html  # the user's version, until confirmed


def test_propose_form_errors_beside_fields(fresh: Site) -> None:
    atp = fresh.client("atp")
    group = str(fresh.world.groups["atp"])
    response = atp.post("/cases/new", {"group_id": group, "title": "", "summary": "Noe"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="title-errors"' in html
    assert ">Noe</textarea>" in html
    response = atp.post("/cases/new", {"group_id": group, "title": "Ny sak", "summary": "Noe"})
    assert response.status_code == 302
    assert "Ny sak" in atp.get(response.headers["Location"]).get_data(as_text=True)


def test_observer_may_not_propose(fresh: Site) -> None:
    response = fresh.client("observator").post(
        "/cases/new",
        {"group_id": str(fresh.world.groups["atp"]), "title": "T", "summary": "S"},
    )
    assert response.status_code == 403
    assert "R9" in response.get_data(as_text=True)


def test_group_appoints_its_own_deputy_r4(fresh: Site) -> None:
    kg, sek = fresh.client("kg"), fresh.client("sekretariat")
    data = {"person_id": str(fresh.world["kg2"]), "role": "deputy"}
    refused = sek.post("/groups/kg/appointments", data)
    assert refused.status_code == 403
    assert "R4" in refused.get_data(as_text=True)
    response = kg.post("/groups/kg/appointments", data)
    assert response.status_code == 302
    assert fresh.app.group_by_slug("kg").deputy == fresh.world["kg2"]
    bad = kg.post("/groups/kg/appointments", {"person_id": "", "role": "chair"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="appoint-person_id-errors"' in html
    assert 'id="appoint-role-errors"' in html


def test_non_member_municipality_cannot_join_r10(fresh: Site) -> None:
    sek = fresh.client("sekretariat")
    response = sek.post(
        "/groups/atp/memberships", {"person_id": str(fresh.world["halden"]), "role": "observer"}
    )
    assert response.status_code == 403
    assert "R10" in response.get_data(as_text=True)


def test_group_page_shows_spread_and_gaps(site: Site) -> None:
    html = site.client("kg").get("/groups/kg").get_data(as_text=True)
    assert "R6" in html
    assert "Asker og Bærum regionråd" in html
    atp = site.client("kg").get("/groups/atp").get_data(as_text=True)
    assert "R7" in atp
    assert "no member (warning)" in atp


def test_overview_counts_overdue_and_next_meeting(fresh: Site) -> None:
    app, w = fresh.app, fresh.world
    with clock.frozen_at(lambda: datetime.now(UTC) - timedelta(days=7)):  # asked a week ago
        late = w.drafted(title="Sen sak")
        app.request_advice(w["sekretariat"], late.id, date.today() - timedelta(days=2))
    html = fresh.client("sekretariat").get("/").get_data(as_text=True)
    assert "Status overview" in html
    assert "Sen sak" in html.split("Advice deadline passed")[1]
    assert "08.12.2099" in html or "12/8/99" in html  # the next board meeting


def test_history_steps_through_versions_and_as_of(site: Site) -> None:
    ref = site.cases["ready"].reference
    client = site.client("revisor")
    first = client.get(f"/cases/{ref}/history?version=1").get_data(as_text=True)
    assert "version 1 of" in first
    assert "Proposed" in first
    second = client.get(f"/cases/{ref}/history?version=2").get_data(as_text=True)
    assert "What changed at this step" in second
    assert re.search(r"<td>Status</td>\s*<td>Proposed</td>\s*<td>Under preparation</td>", second)
    early = client.get(f"/cases/{ref}/history?as_of=2000-01-01T00:00:00")
    assert early.status_code == 422
    assert "did not exist yet" in early.get_data(as_text=True)
    bad = client.get(f"/cases/{ref}/history?version=999")
    assert bad.status_code == 422


def test_audit_trail_filters_and_exports(site: Site) -> None:
    client = site.client("revisor")
    ref = site.cases["ready"].reference
    page = client.get(f"/audit?case={ref}").get_data(as_text=True)
    assert "MarkedReady" in page
    assert "Proposed" in page
    csv_text = client.get(f"/audit/export.csv?case={ref}").get_data(as_text=True)
    header, *lines = csv_text.strip().splitlines()
    assert header.startswith("position,time,type")
    assert any("MarkedReady" in line for line in lines)
    data = client.get("/audit/export.json?type=MarkedReady").get_json()
    assert data["events"]
    assert {e["type"] for e in data["events"]} == {"MarkedReady"}
    assert client.get("/audit?since=not-a-date").status_code == 422


def test_advice_list_for_kg_member(site: Site) -> None:
    html = site.client("kg").get("/advice/").get_data(as_text=True)
    assert site.cases["advice"].reference in html
    assert site.cases["ready"].reference not in html
    none = site.client("ntp").get("/advice/").get_data(as_text=True)
    assert site.cases["advice"].reference not in none


def test_stance_labels_are_used(site: Site) -> None:
    ref = site.cases["ready"].reference
    html = site.client("sekretariat").get(f"/cases/{ref}").get_data(as_text=True)
    assert "Supports" in html
    assert Stance.SUPPORTS.value not in html.split("<main")[1].split("Timeline")[0]


def test_empty_filters_are_ignored_and_filters_apply(site: Site) -> None:
    client = site.client("sekretariat")
    html = client.get("/cases/?status=&group=&focus_area=&meeting=&q=").get_data(as_text=True)
    assert "Some filters were invalid" not in html
    assert all(c.reference in html for c in site.cases.values())
    ready = client.get("/cases/?status=ready").get_data(as_text=True)
    assert site.cases["ready"].reference in ready
    assert site.cases["proposed"].reference not in ready
    ntp = client.get("/cases/?group=ntp").get_data(as_text=True)
    assert site.cases["ntp"].reference in ntp
    assert site.cases["ready"].reference not in ntp
    bad = client.get("/cases/?status=nonsense").get_data(as_text=True)
    assert "Some filters were invalid" in bad

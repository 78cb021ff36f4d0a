"""The status overview and the audit trail show the first of each list and link to the
rest ("and N more", the case list filtered the same way; the trail's pages), with bounded
queries whatever the size of the store."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from caseflow.domain import clock
from tests.web.conftest import Site


def test_overview_lists_the_first_overdue_and_links_to_the_rest(
    fresh: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("web.queries.OVERVIEW_LIMIT", 2)
    app, w = fresh.app, fresh.world
    late = []
    for n in range(3):
        with clock.frozen_at(lambda: datetime.now(UTC) - timedelta(days=7)):  # a week ago
            case = w.drafted(title=f"Sen sak {n}")
            app.request_advice(w["sekretariat"], case.id, date.today() - timedelta(days=3 - n))
        late.append(case)
    client = fresh.client("sekretariat")
    html = client.get("/").get_data(as_text=True)
    section = html.split("Advice deadline passed")[1].split("Idle for")[0]
    assert "(3)" in section
    assert "Sen sak 0" in section
    assert "Sen sak 1" in section
    assert "Sen sak 2" not in section
    assert "and 1 more" in section
    assert "/cases/?overdue=1" in section

    listed = client.get("/cases/?overdue=1").get_data(as_text=True)
    assert all(c.reference in listed for c in late)
    assert fresh.cases["advice"].reference not in listed  # its deadline is ahead
    api = client.get("/api/v1/cases?overdue=true").get_json()
    assert {c["reference"] for c in api["items"]} == {c.reference for c in late}


def test_overview_idle_cases_and_the_idle_case_list(
    fresh: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("web.queries.OVERVIEW_LIMIT", 1)
    client = fresh.client("sekretariat")
    html = client.get("/").get_data(as_text=True)
    assert "None." in html.split("Idle for 21 days or more")[1]

    later = clock.now() + timedelta(days=30)
    with clock.frozen_at(lambda: later):
        month_on = fresh.client("sekretariat")  # a session ends after 12 hours: log in anew
        html = month_on.get("/").get_data(as_text=True)
        idle = html.split("Idle for 21 days or more")[1]
        # Open cases: proposed, advice requested, ready, and the NTP group's proposal.
        assert "(4)" in idle
        assert "and 3 more" in idle
        assert "/cases/?idle=21" in idle
        listed = month_on.get("/cases/?idle=21").get_data(as_text=True)
        assert all(c.reference in listed for c in fresh.cases.values())
    assert fresh.cases["ready"].reference not in client.get("/cases/?idle=21").get_data(
        as_text=True
    )
    assert client.get("/api/v1/cases?idle=0").status_code == 422


def test_overview_agenda_of_the_next_board_meeting(fresh: Site) -> None:
    w = fresh.world
    submitted = w.submitted(title="Til styret")
    w.app.send_invitation(w["sekretariat"], w.meetings["board"])  # numbers it (issue 14)
    number = w.app.get_case(w["sekretariat"], submitted.id).board_number
    html = fresh.client("revisor").get("/").get_data(as_text=True)
    agenda = html.split("On the agenda")[1].split("How ready the pipeline is")[0]
    assert "(1)" in agenda
    assert "Til styret" in agenda
    assert number == "Sak 1/99"
    assert number in agenda


def test_member_lists_are_filtered_in_sql(site: Site) -> None:
    """The member's overview and the case list show what they may see (R: may_see)."""
    html = site.client("ntp").get("/").get_data(as_text=True)
    assert "NTP-sak" in html
    assert "Foreslått sak" not in html
    cases = site.client("kg").get("/cases/").get_data(as_text=True)
    assert "Sak til råd" in cases
    assert "Foreslått sak" not in cases


def test_audit_trail_newest_first_with_a_capped_count(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = site.client("revisor")
    html = client.get("/audit?per_page=5").get_data(as_text=True)
    positions = [int(p) for p in re.findall(r"<tr><td>(\d+)</td>", html)]
    assert len(positions) == 5
    assert positions == sorted(positions, reverse=True)
    assert "Page 1 of" in html
    assert 'rel="next"' in html

    monkeypatch.setattr("web.audit.COUNT_LIMIT", 7)
    capped = client.get("/audit?per_page=5").get_data(as_text=True)
    assert "more than 7" in capped
    assert "Page 1<" in capped
    assert 'rel="next"' in capped
    second = client.get("/audit?per_page=5&page=2").get_data(as_text=True)
    assert 'rel="prev"' in second
    assert 'rel="next"' in second
    assert [int(p) for p in re.findall(r"<tr><td>(\d+)</td>", second)] == [p - 5 for p in positions]
    # The actor filter lists the people from the read model.
    assert "Sara Sekretær" in capped.split('id="a-actor"')[1].split("</select>")[0]
    # A filtered trail under the limit is counted exactly.
    ref = site.cases["ready"].reference
    case = client.get(f"/audit?case={ref}").get_data(as_text=True)
    assert "more than" not in case
    assert 'rel="next"' not in case


def test_audit_export_pages_through_the_whole_trail(site: Site) -> None:
    client = site.client("revisor")
    everything = client.get("/api/v1/audit?per_page=500").get_json()
    data = client.get("/audit/export.json").get_json()
    positions = [e["position"] for e in data["events"]]
    assert positions == sorted(positions)
    assert len(positions) == everything["total"]
    assert datetime.fromisoformat(data["events"][0]["time"]) <= datetime.fromisoformat(
        data["events"][-1]["time"]
    )

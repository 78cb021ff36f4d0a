"""Issue 12, finding 6: a meeting shows a reader only the cases that reader may see.

An expert-group leader invited to a KG meeting (R13) sees that meeting, but of its agenda only
her own group's case: every other item is withheld ("Unntatt"/"Withheld": its number kept, no
title, no reference, no group), and so are the invitation naming another group's case and the
files attached to such an item. The same holds on the meeting page, in the meetings API (list
and one), in the invitation pack and in the calendar feeds, for exactly the cases whose own
page answers her 404. The secretariat, auditors and KG's members still see everything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from caseflow.domain.errors import NotFoundError
from caseflow.domain.values import GroupRole, MeetingBody
from caseflow.persistence.attachments import AttachmentStore
from tests.web.conftest import Site
from web.presentation.pack import build_pack, render_pack_html

PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass(frozen=True)
class Agenda:
    meeting: UUID
    own: Any  # the ATP case: atp-leder's own group's
    other: Any  # the NTP case: another group's
    other_number: int
    attachment: str  # SHA-256 of the file attached to the NTP item


@pytest.fixture(scope="module")
def agenda(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Agenda:
    app, w = site.app, site.world
    sek = w["sekretariat"]
    app.use_attachment_store(AttachmentStore(tmp_path_factory.mktemp("attachments")))
    # NTP gets a leader too (appointed by another of its members, R4), so that each case on
    # the agenda invites its own group's leader (R13).
    app.add_member(sek, w.groups["ntp"], w["kg2"])
    app.appoint(w["kg2"], w.groups["ntp"], w["ntp"], GroupRole.LEADER)
    own = w.drafted(title="Regional areal- og transportplan til KG")
    other = w.drafted(group="ntp", by="ntp", title="Jernbaneinnspill fra NTP-gruppen")
    mid = app.schedule_meeting(sek, MeetingBody.KG, datetime(2099, 11, 10, 12, tzinfo=UTC)).id
    app.place_case_on_agenda(sek, mid, own.id)
    app.place_case_on_agenda(sek, mid, other.id)
    view = app.send_invitation(sek, mid)  # numbers the agenda (issue 14)
    number = next(i.number for i in view.agenda if i.case_id == other.id)
    attached = app.add_attachment(
        sek, mid, "ntp-notat.pdf", PDF, title="Notat om jernbaneinnspillet", item_number=number
    )
    sha = next(a.sha256 for a in attached.attachments if a.item_number == number)
    return Agenda(mid, own, other, number, sha)


def secrets(a: Agenda) -> list[str]:
    """What a reader who may not see the NTP case must not read anywhere."""
    return [a.other.title, a.other.reference, "Notat om jernbaneinnspillet", "ntp-notat.pdf"]


def assert_withheld(text: str, a: Agenda) -> None:
    for secret in secrets(a):
        assert secret not in text, secret
    assert a.own.title in text
    assert a.own.reference in text


def test_the_invited_leader_may_not_open_the_other_case(site: Site, agenda: Agenda) -> None:
    """The premise: she is invited (R13) and sees the meeting; the other case is 404."""
    app, w = site.app, site.world
    meeting = app.get_meeting(agenda.meeting)
    assert w["atp-leder"] in {i.person_id for i in meeting.invitees}
    leader = site.client("atp-leder")
    assert leader.get(f"/meetings/{agenda.meeting}").status_code == 200
    assert leader.get(f"/cases/{agenda.other.reference}").status_code == 404
    assert leader.get(f"/api/v1/cases/{agenda.other.id}").status_code == 404
    assert leader.get(f"/cases/{agenda.own.reference}").status_code == 200


def test_meeting_page_withholds_the_other_groups_item(site: Site, agenda: Agenda) -> None:
    page = site.client("atp-leder").get(f"/meetings/{agenda.meeting}").get_data(as_text=True)
    assert_withheld(page, agenda)
    assert "Withheld" in page
    assert f"Sak {agenda.other_number}" in page  # the item's number stays


def test_meetings_api_withholds_the_other_groups_item(site: Site, agenda: Agenda) -> None:
    client = site.client("atp-leder")
    one = client.get(f"/api/v1/meetings/{agenda.meeting}")
    assert one.status_code == 200
    listed = [
        m
        for m in client.get("/api/v1/meetings").get_json()["items"]
        if m["id"] == str(agenda.meeting)
    ]
    assert len(listed) == 1
    for body in (one.get_json(), listed[0]):
        assert_withheld(json.dumps(body, ensure_ascii=False), agenda)
        assert str(agenda.other.id) not in json.dumps(body)
        item = next(i for i in body["agenda"] if i["number"] == agenda.other_number)
        assert item["withheld"] is True
        assert (item["title"], item["case_id"], item["case_reference"]) == ("", None, None)
        own = next(i for i in body["agenda"] if i["case_id"] == str(agenda.own.id))
        assert own["withheld"] is False
        assert own["title"] == agenda.own.title
        assert [i["withheld"] for i in body["invitees"] if i["reason"] == ""] == [True]


def test_pack_withholds_the_other_groups_item(site: Site, agenda: Agenda) -> None:
    client = site.client("atp-leder")
    html = client.get(f"/meetings/{agenda.meeting}/pack").get_data(as_text=True)
    assert_withheld(html, agenda)
    assert "Unntatt" in html
    # the PDF is rendered from this same pack (render_pack_pdf(build_pack(...)))
    pack = build_pack(site.app, agenda.meeting, viewer=site.world["atp-leder"])
    withheld = [i for i in pack.items if i.withheld]
    assert [(i.title, i.case, i.attachments) for i in withheld] == [("Unntatt", None, [])]
    assert_withheld(render_pack_html(pack), agenda)


@pytest.mark.parametrize("feed", ["mine", "kg"])
def test_calendars_withhold_the_other_groups_item(site: Site, agenda: Agenda, feed: str) -> None:
    client = site.client("atp-leder")
    for language, withheld in (("nb", "Unntatt"), ("en", "Withheld")):
        ics = client.get(f"/meetings/calendar/{feed}.ics", headers={"Accept-Language": language})
        assert ics.status_code == 200
        text = ics.get_data(as_text=True).replace("\r\n ", "")  # unfold RFC 5545 lines
        for secret in secrets(agenda):
            assert secret not in text, secret
        assert agenda.own.title in text
        assert f"Sak {agenda.other_number} {withheld}" in text


def test_the_other_items_file_is_not_served(site: Site, agenda: Agenda) -> None:
    url = f"/meetings/{agenda.meeting}/attachments/{agenda.attachment}"
    assert site.client("atp-leder").get(url).status_code == 404
    assert site.client("kg").get(url).status_code == 200
    with pytest.raises(NotFoundError):
        site.app.attachment_file(site.world["atp-leder"], agenda.meeting, agenda.attachment)


def test_the_other_leader_sees_it_the_other_way_round(site: Site, agenda: Agenda) -> None:
    body = site.client("ntp").get(f"/api/v1/meetings/{agenda.meeting}").get_json()
    text = json.dumps(body, ensure_ascii=False)
    assert agenda.other.title in text
    assert agenda.own.title not in text
    assert agenda.own.reference not in text


@pytest.mark.parametrize("role", ["sekretariat", "revisor", "kg", "kg-leder"])
def test_secretariat_auditors_and_kg_see_every_item(site: Site, agenda: Agenda, role: str) -> None:
    client = site.client(role)
    texts = [
        client.get(f"/meetings/{agenda.meeting}").get_data(as_text=True),
        json.dumps(client.get(f"/api/v1/meetings/{agenda.meeting}").get_json(), ensure_ascii=False),
        client.get(f"/meetings/{agenda.meeting}/pack").get_data(as_text=True),
        client.get("/meetings/calendar/kg.ics").get_data(as_text=True).replace("\r\n ", ""),
    ]
    for text in texts:
        for case in (agenda.own, agenda.other):
            assert case.title in text
        assert "Unntatt" not in text
        assert "Withheld" not in text


def test_every_reader_sees_exactly_the_cases_they_may_open(site: Site, agenda: Agenda) -> None:
    """The meeting view and the case page give one answer, for every person of the world
    who may see the meeting."""
    app = site.app
    for person in site.world.people.values():
        try:
            view = app.get_meeting(agenda.meeting, viewer=person)
        except NotFoundError:
            continue
        for case in (agenda.own, agenda.other):
            try:
                app.get_case(person, case.id)
                visible = True
            except NotFoundError:
                visible = False
            shown = any(i.case_id == case.id for i in view.agenda)
            assert shown == visible, (person, case.reference)


def test_withheld_in_norwegian(site: Site, agenda: Agenda) -> None:
    page = site.client("atp-leder").get(
        f"/meetings/{agenda.meeting}", headers={"Accept-Language": "nb"}
    )
    assert "Unntatt" in page.get_data(as_text=True)

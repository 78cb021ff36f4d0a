"""Meeting pages: reading only what one may see, the secretariat's forms (with CSRF),
uploads, the invitation pack (HTML and PDF) and iCalendar feeds."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from caseflow.domain.values import MeetingBody
from caseflow.persistence.attachments import AttachmentStore
from tests.web.conftest import Site

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def s(fresh: Site, tmp_path: Path) -> Site:
    fresh.app.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    return fresh


def test_list_shows_only_visible_meetings_and_the_schedule_form(s: Site) -> None:
    w = s.world
    group = s.app.schedule_meeting(
        w["sekretariat"],
        MeetingBody.GROUP,
        datetime(2099, 3, 1, 9, tzinfo=UTC),
        group_id=w.groups["ntp"],
    ).id
    page = s.client("sekretariat").get("/meetings/").get_data(as_text=True)
    assert f"m-{w.meetings['kg']}" in page
    assert f"m-{group}" in page
    assert 'name="csrf_token"' in page
    assert "Schedule a meeting" in page
    atp = s.client("atp").get("/meetings/").get_data(as_text=True)
    assert f"m-{w.meetings['kg']}" not in atp
    assert "Schedule a meeting" not in atp
    assert s.client().get("/meetings/").status_code in (302, 401)


def test_secretariat_schedules_through_the_form(s: Site) -> None:
    c = s.client("sekretariat")
    before = len(s.app.list_meetings())
    r = c.post(
        "/meetings/",
        {"body": "kg", "starts_at": "2099-05-05T12:00", "place": "Oslo rådhus"},
    )
    assert r.status_code == 303
    new = [m for m in s.app.list_meetings() if m.starts_at.month == 5]
    assert len(s.app.list_meetings()) == before + 1
    assert new[0].starts_at == datetime(2099, 5, 5, 10, tzinfo=UTC)  # Oslo summer time
    assert r.headers["Location"].endswith(f"/meetings/{new[0].id}")


def test_changes_need_the_secretariat_and_a_csrf_token(s: Site) -> None:
    position = s.app.recorder.max_notification_id()
    kg = s.client("kg-leder")
    assert kg.post("/meetings/", {"body": "kg", "starts_at": "2099-05-05T12:00"}).status_code == 403
    mid = s.world.meetings["kg"]
    assert kg.post(f"/meetings/{mid}/items", {"title": "Eget punkt"}).status_code == 403
    bare = s.client("sekretariat").http
    assert bare.post(f"/meetings/{mid}/items", data={"title": "Uten token"}).status_code == 400
    assert s.app.recorder.max_notification_id() == position


def test_meeting_page_is_404_for_those_who_may_not_see_it(s: Site) -> None:
    mid = s.world.meetings["kg"]
    assert s.client("atp").get(f"/meetings/{mid}").status_code == 404
    assert s.client("kg").get(f"/meetings/{mid}").status_code == 200
    assert s.client("atp").get(f"/meetings/{mid}/pack").status_code == 404


def test_agenda_invitation_upload_download_and_pack(s: Site) -> None:
    c = s.client("sekretariat")
    mid = s.world.meetings["kg"]
    assert c.post(f"/meetings/{mid}/standard-items", {"part": "opening"}).status_code == 303
    early = c.post(  # issue 14: items are numbered by the invitation
        f"/meetings/{mid}/attachments",
        {"file": (io.BytesIO(PDF), "notat.pdf"), "title": "Notat", "item_number": "2"},
        content_type="multipart/form-data",
    )
    assert early.status_code == 422
    assert 'id="upload-item_number-errors"' in early.get_data(as_text=True)
    assert c.post(f"/meetings/{mid}/invitation").status_code == 303
    r = c.post(
        f"/meetings/{mid}/attachments",
        {"file": (io.BytesIO(PDF), "notat.pdf"), "title": "Notat", "item_number": "2"},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    bad = c.post(
        f"/meetings/{mid}/attachments",
        {"file": (io.BytesIO(b"MZ\x90\x00"), "x.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "only PDF, DOCX, ODT, TXT, PNG and JPEG" in bad.get_data(as_text=True)
    page = c.get(f"/meetings/{mid}").get_data(as_text=True)
    view = s.app.get_meeting(mid)
    sha = view.attachments[0].sha256
    assert view.status == "invitation_sent"
    assert len(view.attachments) == 1
    assert "Sak 2" in page
    assert sha in page
    download = s.client("kg").get(f"/meetings/{mid}/attachments/{sha}")
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "notat.pdf" in download.headers["Content-Disposition"]
    pack = c.get(f"/meetings/{mid}/pack").get_data(as_text=True)
    assert sha in pack
    assert '<link rel="stylesheet" href="/static/pack.css">' in pack  # CSP: style-src self
    pdf = c.get(f"/meetings/{mid}/pack.pdf")
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")


def test_held_minutes_and_approval_through_the_forms(s: Site) -> None:
    w = s.world
    c = s.client("sekretariat")
    mid = s.app.schedule_meeting(
        w["sekretariat"], MeetingBody.KG, datetime(2025, 11, 12, 12, tzinfo=UTC)
    ).id
    c.post(f"/meetings/{mid}/standard-items", {"part": "all"})
    c.post(f"/meetings/{mid}/held")
    c.post(
        f"/meetings/{mid}/attachments",
        {"file": (io.BytesIO(b"Referat"), "referat.txt"), "kind": "minutes"},
        content_type="multipart/form-data",
    )
    c.post(f"/meetings/{mid}/minutes/approve")
    view = s.app.get_meeting(mid)
    assert view.status == "minutes_approved"
    assert view.approved_minutes == view.attachments[0].sha256


def test_calendar_feeds(s: Site) -> None:
    body = s.client("kg").get("/meetings/calendar/kg.ics")
    assert body.mimetype == "text/calendar"
    events = Calendar.from_ical(body.data).walk("VEVENT")
    assert [str(e["UID"]).split("@")[0] for e in events] == [str(s.world.meetings["kg"])]
    mine = Calendar.from_ical(s.client("atp").get("/meetings/calendar/mine.ics").data)
    assert mine.walk("VEVENT") == []
    assert s.client("kg").get("/meetings/calendar/nope.ics").status_code == 404


def test_yearly_plan_page(s: Site) -> None:
    page = s.client("sekretariat").get("/meetings/plan/2098").get_data(as_text=True)
    assert "R20" in page
    assert re.search(r"Yearly plan\s+2098", page)


def test_list_shows_this_year_and_later_unless_a_year_is_chosen(s: Site) -> None:
    w = s.world
    this_year = datetime.now(UTC).year
    old = s.app.schedule_meeting(
        w["sekretariat"], MeetingBody.KG, datetime(this_year - 3, 3, 1, 9, tzinfo=UTC)
    ).id
    later = s.app.schedule_meeting(
        w["sekretariat"], MeetingBody.KG, datetime(this_year + 1, 3, 1, 9, tzinfo=UTC)
    ).id
    c = s.client("sekretariat")
    page = c.get("/meetings/").get_data(as_text=True)
    assert f"m-{later}" in page
    assert f"m-{old}" not in page
    assert f"Showing {this_year} and later" in page
    chosen = c.get(f"/meetings/?year={this_year - 3}").get_data(as_text=True)
    assert f"m-{old}" in chosen
    assert f"m-{later}" not in chosen

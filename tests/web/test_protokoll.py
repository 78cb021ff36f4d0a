"""The minutes (protokoll) as PDF (issue 14), from the page, the JSON API and the same
renderer the CLI uses: the text of the PDF (read back with pypdf) holds the meeting's
time in Oslo time, the attendance, each item's number, title, marks and decision."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from pypdf import PdfReader

from caseflow.domain.values import MeetingBody, SystemRole
from caseflow.persistence.attachments import AttachmentStore
from tests.web.conftest import Site


@pytest.fixture
def s(fresh: Site, tmp_path: Path) -> Site:
    fresh.app.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    return fresh


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def held_board_meeting(s: Site) -> UUID:
    """A board meeting at 12:00 Oslo time (11:00 UTC) in February: a case decided, a
    tilleggssak postponed, one person present and one absent."""
    w = s.world
    sek = w["sekretariat"]
    w.person("styre", "Siri Styremedlem", "Asker", SystemRole.BOARD)
    w.person("styre2", "Stig Styremedlem", "Ås", SystemRole.BOARD)
    mid = s.app.schedule_meeting(sek, MeetingBody.BOARD, datetime(2025, 2, 10, 11, tzinfo=UTC)).id
    ready = s.cases["ready"]
    s.app.submit_case(sek, ready.id, mid)
    s.app.send_invitation(sek, mid)
    late = w.ready(title="Sen sak om kollektivtrafikk")
    s.app.submit_case(sek, late.id, mid)
    meeting = s.app.get_meeting(mid)
    late_key = next(i.key for i in meeting.agenda if i.title == late.title)
    s.app.postpone_item(sek, mid, late_key, "Venter på høringen")
    s.app.mark_held(sek, mid)
    recipients = s.app.get_meeting(mid).recipients
    s.app.record_attendance(sek, mid, recipients[:1], recipients[1:])
    key = next(i.key for i in s.app.get_meeting(mid).agenda if i.title == ready.title)
    s.app.record_item_decision(sek, mid, key, "Styret vedtar forslaget som fremmet.")
    return mid


def test_the_protokoll_pdf_holds_decisions_marks_attendance_and_oslo_time(s: Site) -> None:
    mid = held_board_meeting(s)
    c = s.client("sekretariat")
    r = c.get(f"/meetings/{mid}/protokoll.pdf")
    assert r.status_code == 200
    assert r.mimetype == "application/pdf"
    assert "protokoll-board-2025-02-10.pdf" in r.headers["Content-Disposition"]
    text = text_of(r.get_data())
    assert "Protokoll" in text
    assert "10.02.2025 kl. 12:00" in text  # 11:00 UTC is 12:00 in Oslo in February
    assert "kl. 11:00" not in text
    assert "Styret vedtar forslaget som fremmet." in text
    assert "Sak 1/25" in text
    assert "Klar sak" in text
    assert "Sen sak om kollektivtrafikk" in text
    assert "TILLEGGSSAK UTSATT" in text.upper()  # the marks (printed in capitals)
    assert "Venter på høringen" in text
    assert "Til stede" in text
    assert "Forfall" in text
    meeting = s.app.get_meeting(mid)
    before, after = text.split("Forfall")
    assert s.app.person_name(meeting.present[0]) in before
    assert s.app.person_name(meeting.absent[0]) in after
    page = c.get(f"/meetings/{mid}/protokoll", headers={"Accept-Language": "nb"})
    assert "Protokollen som PDF" in page.get_data(as_text=True)


def test_the_api_gives_the_same_protokoll_and_hides_it_from_strangers(s: Site) -> None:
    mid = held_board_meeting(s)
    r = s.client("sekretariat").get(f"/api/v1/meetings/{mid}/protokoll.pdf")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert "Styret vedtar forslaget som fremmet." in text_of(r.get_data())
    anonymous = s.client().get(f"/api/v1/meetings/{mid}/protokoll.pdf")
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"]["code"]
    missing = s.client("sekretariat").get(
        "/api/v1/meetings/00000000-0000-0000-0000-000000000000/protokoll.pdf"
    )
    assert missing.status_code == 404


def test_the_api_approves_the_minutes_storing_the_protokoll(s: Site) -> None:
    mid = held_board_meeting(s)
    c = s.client("sekretariat")
    version = s.app.get_meeting(mid).version
    r = c.post_json(f"/api/v1/meetings/{mid}/minutes/approve", {"expected_version": version})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    answer = r.get_json()
    assert answer["status"] == "minutes_approved"
    [minutes] = [a for a in answer["attachments"] if a["kind"] == "minutes"]
    assert minutes["sha256"] == answer["approved_minutes"]
    again = c.post_json(f"/api/v1/meetings/{mid}/minutes/approve", {})
    assert again.status_code == 409
    assert set(again.get_json()["error"]) == {"code", "message", "rule", "fields"}

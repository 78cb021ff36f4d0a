"""The secretariat's meeting forms go through marshmallow schemas and the one submit
helper (web.forms.submit): a refusal shows the same page again with the error beside the
field and the typed text kept, and records nothing; success redirects (303)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from caseflow.domain.values import MeetingBody
from caseflow.persistence.attachments import AttachmentStore
from tests.web.conftest import Site


@pytest.fixture
def s(fresh: Site, tmp_path: Path) -> Site:
    fresh.app.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    return fresh


def test_a_malformed_start_is_shown_beside_the_field_with_the_text_kept(s: Site) -> None:
    c = s.client("sekretariat")
    position = s.app.recorder.max_notification_id()
    r = c.post(
        "/meetings/",
        {"body": "kg", "starts_at": "tirsdag kl 12", "place": "Rådhuset", "title": "Mitt møte"},
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="schedule-starts_at-errors"' in page
    assert "Not a valid datetime." in page
    assert 'value="tirsdag kl 12"' in page
    assert 'value="Rådhuset"' in page
    assert 'value="Mitt møte"' in page
    assert s.app.recorder.max_notification_id() == position


def test_a_blank_item_title_and_a_missing_file_are_refused_on_the_meeting_page(s: Site) -> None:
    c = s.client("sekretariat")
    mid = s.world.meetings["kg"]
    position = s.app.recorder.max_notification_id()
    r = c.post(f"/meetings/{mid}/items", {"title": "   "})
    assert r.status_code == 422
    assert 'id="item-title-errors"' in r.get_data(as_text=True)
    r = c.post(
        f"/meetings/{mid}/attachments",
        {"title": "Notat uten fil", "item_number": "2"},
        content_type="multipart/form-data",
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="upload-file-errors"' in page
    assert 'value="Notat uten fil"' in page
    assert s.app.recorder.max_notification_id() == position


def test_a_refused_step_shows_the_rule_or_reason_at_the_top(s: Site) -> None:
    w = s.world
    c = s.client("sekretariat")
    mid = s.app.schedule_meeting(
        w["sekretariat"], MeetingBody.KG, datetime(2025, 11, 12, 12, tzinfo=UTC)
    ).id
    assert c.post(f"/meetings/{mid}/held").status_code == 303
    position = s.app.recorder.max_notification_id()
    r = c.post(f"/meetings/{mid}/held")  # held already
    assert r.status_code in (409, 422)
    assert 'class="error-summary"' in r.get_data(as_text=True)
    assert s.app.recorder.max_notification_id() == position


def test_success_still_redirects_to_the_meeting(s: Site) -> None:
    c = s.client("sekretariat")
    mid = s.world.meetings["kg"]
    r = c.post(f"/meetings/{mid}/items", {"title": "Orientering"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/meetings/{mid}")
    assert c.post(f"/meetings/{mid}/invitation").status_code == 303  # numbers item 1
    r = c.post(
        f"/meetings/{mid}/attachments",
        {"file": (io.BytesIO(b"Tekst"), "notat.txt"), "item_number": "1"},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303

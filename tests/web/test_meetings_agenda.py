"""The agenda's lifecycle on the meeting page (issue 14): the secretariat puts a case on
the list (unnumbered), orders the waiting agenda with buttons, sends the invitation that
numbers it, adds a supplementary item and sends the supplementary invitation, postpones
an item and cancels a meeting. Every form carries CSRF and the meeting's version; a
refusal shows the error beside the field and records nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest

from caseflow.domain.values import MeetingBody, SystemRole
from caseflow.persistence.attachments import AttachmentStore
from tests.web.conftest import Client, Site


@pytest.fixture
def s(fresh: Site, tmp_path: Path) -> Site:
    fresh.app.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    return fresh


def _version(s: Site, mid: UUID) -> str:
    return str(s.app.get_meeting(mid).version)


def _key(s: Site, mid: UUID, title: str) -> str:
    return next(i.key for i in s.app.get_meeting(mid).agenda if i.title == title)


def _post(c: Client, s: Site, mid: UUID, path: str, **data: str) -> object:
    return c.post(f"/meetings/{mid}/{path}", {"expected_version": _version(s, mid), **data})


def test_order_invite_supplement_and_postpone_from_the_page(s: Site) -> None:
    c = s.client("sekretariat")
    mid = s.world.meetings["board"]
    ready = s.cases["ready"]
    assert _post(c, s, mid, "standard-items", part="opening").status_code == 303
    assert _post(c, s, mid, "cases", case=ready.reference).status_code == 303
    page = c.get(f"/meetings/{mid}", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "Ikke nummerert ennå" in page
    assert "Flytt opp" in page
    listed = c.get("/meetings/?year=2099", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "Ikke nummerert ennå (3)" in listed
    assert 'name="expected_version"' in page
    # order: the case up before the minutes item
    key = _key(s, mid, ready.title)
    assert _post(c, s, mid, "items/move", item=key, direction="up").status_code == 303
    titles = [i.title for i in s.app.get_meeting(mid).agenda]
    assert titles.index(ready.title) == 1
    assert _post(c, s, mid, "items/move", item=key, position="3").status_code == 303
    assert [i.title for i in s.app.get_meeting(mid).agenda].index(ready.title) == 2
    # the invitation numbers the agenda in printed order
    assert _post(c, s, mid, "invitation").status_code == 303
    agenda = s.app.get_meeting(mid).agenda
    assert [i.label for i in agenda] == [f"Sak {n}/99" for n in range(1, 8)]
    assert s.app.get_case(s.world["sekretariat"], ready.id).board_number == "Sak 3/99"
    listed = c.get("/meetings/?year=2099").get_data(as_text=True)
    assert "Sak 1/99–Sak 7/99" in listed
    # a supplementary item, marked, and its supplementary invitation
    assert _post(c, s, mid, "items", title="Orientering om budsjett").status_code == 303
    page = c.get(f"/meetings/{mid}", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "Tilleggssak" in page
    assert "Send tilleggsinnkalling" in page
    assert _post(c, s, mid, "supplementary-invitation").status_code == 303
    view = s.app.get_meeting(mid)
    assert [x.item_labels for x in view.supplements] == [["Sak 8/99"]]
    assert "Tilleggsinnkallinger" in c.get(
        f"/meetings/{mid}", headers={"Accept-Language": "nb"}
    ).get_data(as_text=True)
    # postponing needs a reason: refused beside the field, nothing recorded
    position = s.app.recorder.max_notification_id()
    r = _post(c, s, mid, "items/postpone", item=key, reason="  ")
    assert r.status_code == 422
    assert f'id="reason-{key}-reason-errors"' in r.get_data(as_text=True)
    assert s.app.recorder.max_notification_id() == position
    r = _post(c, s, mid, "items/postpone", item=key, reason="Mer utredning")
    assert r.status_code == 303
    item = next(i for i in s.app.get_meeting(mid).agenda if i.key == key)
    assert (item.label, item.postponed, item.note) == ("Sak 3/99", True, "Mer utredning")
    assert s.app.get_case(s.world["sekretariat"], ready.id).status == "postponed"
    page = c.get(f"/meetings/{mid}", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert re.search(r"Sak 3/99.*Utsatt", page, re.S)


def test_a_stale_page_is_refused_and_nothing_recorded(s: Site) -> None:
    c = s.client("sekretariat")
    mid = s.world.meetings["kg"]
    stale = _version(s, mid)
    assert _post(c, s, mid, "items", title="Første punkt").status_code == 303
    position = s.app.recorder.max_notification_id()
    r = c.post(f"/meetings/{mid}/items", {"title": "Andre punkt", "expected_version": stale})
    assert r.status_code == 409
    assert 'value="Andre punkt"' in r.get_data(as_text=True)
    assert s.app.recorder.max_notification_id() == position


def test_moving_after_the_invitation_is_refused(s: Site) -> None:
    c = s.client("sekretariat")
    mid = s.world.meetings["kg"]
    _post(c, s, mid, "standard-items", part="all")
    _post(c, s, mid, "invitation")
    key = _key(s, mid, "Eventuelt")
    position = s.app.recorder.max_notification_id()
    r = _post(c, s, mid, "items/move", item=key, direction="up")
    assert r.status_code == 409
    assert 'class="error-summary"' in r.get_data(as_text=True)
    assert s.app.recorder.max_notification_id() == position
    assert "Flytt opp" not in c.get(f"/meetings/{mid}", headers={"Accept-Language": "nb"}).get_data(
        as_text=True
    )


def test_cancel_sends_the_case_back_to_wait(s: Site) -> None:
    c = s.client("sekretariat")
    w = s.world
    mid = s.app.schedule_meeting(
        w["sekretariat"], MeetingBody.BOARD, datetime(2099, 6, 1, 10, tzinfo=UTC)
    ).id
    ready = s.cases["ready"]
    _post(c, s, mid, "cases", case=ready.reference)
    r = _post(c, s, mid, "cancel", reason="")
    assert r.status_code == 422
    assert 'id="cancel-reason-errors"' in r.get_data(as_text=True)
    assert _post(c, s, mid, "cancel", reason="Styreleder er syk").status_code == 303
    page = c.get(f"/meetings/{mid}", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "Avlyst" in page
    assert "Styreleder er syk" in page
    assert s.app.get_case(w["sekretariat"], ready.id).status == "ready"


def test_only_the_secretariat_changes_the_agenda(s: Site) -> None:
    c = s.client("kg")
    mid = s.world.meetings["kg"]
    position = s.app.recorder.max_notification_id()
    assert _post(c, s, mid, "cancel", reason="Nei").status_code == 403
    assert s.app.recorder.max_notification_id() == position
    assert c.post(f"/meetings/{mid}/cancel", {"reason": "x"}, headers={}).status_code == 403
    anonymous = s.client()
    r = anonymous.http.post(f"/meetings/{mid}/cancel", data={"reason": "x"})
    assert r.status_code in (302, 400)  # no login / no CSRF token


def test_minutes_attendance_and_decisions_from_the_page(s: Site) -> None:
    c = s.client("sekretariat")
    w = s.world
    mid = s.app.schedule_meeting(
        w["sekretariat"], MeetingBody.BOARD, datetime(2025, 2, 10, 11, tzinfo=UTC)
    ).id
    w.person("styre", "Siri Styremedlem", "Asker", SystemRole.BOARD)
    w.person("styre2", "Stig Styremedlem", "Ås", SystemRole.BOARD)
    ready = s.cases["ready"]
    _post(c, s, mid, "cases", case=ready.reference)
    _post(c, s, mid, "invitation")
    _post(c, s, mid, "held")
    page = c.get(f"/meetings/{mid}", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "Registrer oppmøte" in page
    recipients = s.app.get_meeting(mid).recipients
    r = c.http.post(
        f"/meetings/{mid}/attendance",
        data={
            "csrf_token": c.token(),
            "expected_version": _version(s, mid),
            "present": [str(recipients[0])],
        },
    )
    assert r.status_code == 303
    view = s.app.get_meeting(mid)
    assert view.present == [recipients[0]]
    assert view.absent == recipients[1:]
    key = _key(s, mid, ready.title)
    position = s.app.recorder.max_notification_id()
    r = _post(c, s, mid, "items/decision", item=key, decision=" ")
    assert r.status_code == 422
    assert f'id="decision-{key}-decision-errors"' in r.get_data(as_text=True)
    assert s.app.recorder.max_notification_id() == position
    r = _post(c, s, mid, "items/decision", item=key, decision="Styret vedtar forslaget.")
    assert r.status_code == 303
    assert s.app.get_case(w["sekretariat"], ready.id).status == "decided"
    protokoll = c.get(f"/meetings/{mid}/protokoll", headers={"Accept-Language": "nb"})
    text = protokoll.get_data(as_text=True)
    assert protokoll.status_code == 200
    assert "Til stede" in text
    assert "Styret vedtar forslaget." in text
    assert "Sak 1/25" in text

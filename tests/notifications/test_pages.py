"""Varsler on the web (both stores): the in-app list with read/unread, the settings form
(errors beside the field, what was typed kept), the one-click unsubscribe without a
session or CSRF token, the secretariat's failed messages and retry, the JSON API, and the
.eml outbox when no SMTP server is set."""

from __future__ import annotations

import re
from datetime import date, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.web.conftest import Site, build_site, store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    with store(request.param, tmp_path) as url:
        s = build_site(url, tmp_path, LANGUAGE="nb")
        yield s
        s.app.close()


def request_advice(site: Site) -> str:
    w = site.world
    case = w.drafted(title="Varslet sak")
    site.app.request_advice(w["sekretariat"], case.id, date.today() + timedelta(days=10))
    return str(case.reference)


def test_the_list_settings_and_unsubscribe(site: Site, tmp_path: Path) -> None:
    kg = site.client("kg")
    site.flask.extensions["caseflow_notifier"].decide()  # a notifier starts: at the head
    assert kg.get("/varsler").status_code == 200
    reference = request_advice(site)
    page = kg.get("/varsler").get_data(as_text=True)
    assert f"Råd etterspurt: {reference} Varslet sak" in page
    assert "Ulest" in page
    assert "advice_requested" not in page  # no codes on Norwegian pages
    assert kg.post("/varsler/lest").status_code == 302
    assert "Ulest" not in kg.get("/varsler").get_data(as_text=True)

    bad = kg.post("/varsler/innstillinger", {"invitation": "weekly", "membership": "off"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "velg straks, daglig oppsummering eller av" in text
    assert re.search(r'<option value="off" selected>', text)  # what was typed is kept
    ok = kg.post("/varsler/innstillinger", {"invitation": "digest", "language": "en"})
    assert ok.status_code == 302
    notifier = site.flask.extensions["caseflow_notifier"]
    from caseflow.notifications import open_inbox

    inbox = open_inbox(notifier)
    modes, lang = inbox.preferences(site.world["kg"].hex)
    assert modes["invitation"] == "digest"
    assert lang == "en"

    notifier.send_due()  # no CASEFLOW_SMTP_URL: .eml files in instance/outbox/
    files = list((tmp_path / "instance" / "outbox").glob("*.eml"))
    assert len(files) == 4
    mails = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    mail = next(m for m in mails if str(m["To"]) == "Knut Kommune <kg@test.caseflow.no>")
    link = re.search(r"<https?://[^/]+(/varsler/avmeld/[^>]+)>", str(mail["List-Unsubscribe"]))
    assert link is not None
    path = link.group(1)
    anonymous = site.flask.test_client()
    assert "Meld av" in anonymous.get(path).get_data(as_text=True)
    assert anonymous.post(path).status_code == 200  # no session, no CSRF token: the token
    assert inbox.preferences(site.world["kg"].hex)[0]["advice_requested"] == "off"
    assert anonymous.post(path[:-3] + "xyz").status_code == 404

    body = kg.get("/api/v1/me/notifications").get_json()  # the JSON API: the same
    assert body["total"] == 1
    assert body["items"][0]["kind"] == "advice_requested"
    put = kg.http.put(
        "/api/v1/me/notification-settings",
        json={"modes": {"invitation": "never"}},
        headers={"X-CSRFToken": kg.token()},
    )
    assert put.status_code == 422
    assert "modes" in put.get_json()["error"]["fields"]


def test_failed_messages_are_the_secretariats_to_retry(site: Site) -> None:
    staff = site.client("sekretariat")
    notifier = site.flask.extensions["caseflow_notifier"]
    notifier.decide()  # a notifier starts: at the head
    site.app.register_person(None, "Uten Adresse", "ugyldig@adresse", "Oslo", ())
    person = site.app.find_person_by_email("ugyldig@adresse")
    site.app.add_member(None, site.world.groups["ntp"], person.id)
    notifier.decide()
    assert notifier.send_due().failed == 1
    page = staff.get("/varsler").get_data(as_text=True)
    assert "Meldinger som ikke kom fram" in page
    found = re.search(r'action="(/varsler/[0-9a-f]+/prov-igjen)"', page)
    assert found is not None
    kg = site.client("kg")
    assert kg.post(found.group(1)).status_code == 403  # permission on the server
    assert kg.get("/api/v1/notifications/failed").status_code == 403
    assert staff.get("/api/v1/notifications/failed").get_json()["total"] == 1
    assert staff.post(found.group(1)).status_code == 302
    assert notifier.send_due().failed == 1  # tried again (the address is still bad)

"""Calendars people subscribe to (issue 14): a secret, revocable address per person and
per body (``/kalender/<token>.ics``), fetched without a login; made and revoked on
``/meg``, through ``/api/v1/me/calendars`` and with ``caseflow users calendar…`` — on
SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from caseflow.cli import main
from caseflow.domain.errors import NotFoundError
from caseflow.domain.values import GroupRole, MeetingBody
from caseflow.notifications import open_inbox
from caseflow.persistence import open_application
from caseflow.persistence.calendar_tokens import open_calendar_tokens
from caseflow.persistence.token_uses import open_token_uses
from tests.ledger.test_roles import Roles, roles  # noqa: F401 (the least-privilege fixture)
from tests.web.conftest import Site, email


def address_on(page: Any) -> str:
    """The path of the new address shown (once) on /meg's answer."""
    found = re.search(r'id="new-calendar" type="url" readonly value="([^"]+)"', page.get_data(True))
    assert found, "no new calendar address on the page"
    return found.group(1).removeprefix("http://localhost")


def uids(data: bytes) -> list[str]:
    return sorted(str(e["UID"]).split("@")[0] for e in Calendar.from_ical(data).walk("VEVENT"))


def stored_rows(site: Site) -> list[tuple[Any, ...]]:
    """Every row of the subscriptions table, as the database holds it."""
    table = site.app.calendars.store
    with table.datastore.transaction(commit=False) as c:
        c.execute(f"SELECT * FROM {table._table}")
        return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in c.fetchall()]


def test_a_personal_address_works_without_login_until_revoked(site: Site) -> None:
    kg = site.client("kg")
    made = kg.post("/meg/calendars", {"label": "Outlook"})
    assert made.status_code == 200
    path = address_on(made)
    token = path.removeprefix("/kalender/").removesuffix(".ics")
    assert len(token) >= 43  # secrets.token_urlsafe(32): 256 bits

    anonymous = site.client()
    feed = anonymous.get(path)
    assert feed.status_code == 200  # no redirect to /login
    assert feed.mimetype == "text/calendar"
    assert uids(feed.data) == uids(kg.get("/meetings/calendar/mine.ics").data)
    assert str(site.world.meetings["kg"]) in uids(feed.data)
    assert "Set-Cookie" not in feed.headers

    # stored hashed: the table has the SHA-256, never the secret
    rows = stored_rows(site)
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert [row for row in rows if digest in row]
    assert not any(token in str(value) for row in rows for value in row)
    # the use is recorded, and the page shows the address without its secret
    listed = site.app.list_calendars(site.world["kg"], site.world["kg"])
    assert listed[0].last_used_at is not None
    assert token not in kg.get("/meg").get_data(True)

    revoked = kg.post(f"/meg/calendars/{listed[0].id}/revoke")
    assert revoked.status_code == 302
    gone, unknown = anonymous.get(path), anonymous.get("/kalender/" + "x" * 43 + ".ics")
    assert gone.status_code == unknown.status_code == 404
    assert gone.data == unknown.data  # revoked and unknown cannot be told apart
    assert "/login" not in gone.headers.get("Location", "")


def test_a_feed_is_what_its_owner_may_see_now(fresh: Site) -> None:
    w, app = fresh.world, fresh.app
    made = app.create_calendar(w["kg"], w["kg"])
    path = f"/kalender/{made.token}.ics"
    anonymous = fresh.client()
    assert str(w.meetings["kg"]) in uids(anonymous.get(path).data)
    # an expert-group member never sees the board's meetings through a board address
    board = app.create_calendar(None, email("atp"), "board")
    assert uids(anonymous.get(f"/kalender/{board.token}.ics").data) == []
    # the KG member leaves KG: the KG meeting goes from their address at once
    app.remove_member(w["sekretariat"], w.groups["kg"], w["kg"])
    assert str(w.meetings["kg"]) not in uids(anonymous.get(path).data)


def test_body_calendars_are_made_by_the_secretariat(site: Site) -> None:
    leader, sek = site.client("atp-leder"), site.client("sekretariat")
    refused = leader.post_json("/api/v1/me/calendars", {"body": "board"})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "not_permitted"
    assert site.app.list_calendars(None, email("atp-leder")) == []  # nothing recorded

    made = sek.post_json("/api/v1/me/calendars", {"body": "board", "label": "Styret"})
    assert made.status_code == 201
    answer = made.get_json()
    assert answer["url"].endswith(f"/kalender/{answer['token']}.ics")
    feed = site.client().get(f"/kalender/{answer['token']}.ics")
    board = {str(site.world.meetings["board"]), str(site.world.meetings["board2"])}
    assert set(uids(feed.data)) == board
    assert b"X-WR-CALNAME:Caseflow: " in feed.data

    bad = sek.post_json("/api/v1/me/calendars", {"body": "nope"})
    assert bad.status_code == 422
    assert "body" in bad.get_json()["error"]["fields"]


def test_the_api_lists_and_revokes_the_callers_own(site: Site) -> None:
    kg, atp = site.client("kg-obs"), site.client("atp")
    assert site.client().get("/api/v1/me/calendars").status_code == 401
    made = kg.post_json("/api/v1/me/calendars", {"label": "Telefon"}).get_json()
    listed = kg.get("/api/v1/me/calendars").get_json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == made["id"]
    assert "token" not in listed["items"][0]
    assert made["token"] not in kg.get("/api/v1/me/calendars").get_data(True)

    headers = {"X-CSRFToken": atp.token()}
    others = atp.http.delete(f"/api/v1/me/calendars/{made['id']}", headers=headers)
    assert others.status_code == 404  # someone else's is not found
    assert site.client().get(f"/kalender/{made['token']}.ics").status_code == 200

    headers = {"X-CSRFToken": kg.token()}
    revoked = kg.http.delete(f"/api/v1/me/calendars/{made['id']}", headers=headers)
    assert revoked.status_code == 200
    assert revoked.get_json()["status"] == "revoked"
    again = kg.http.delete(f"/api/v1/me/calendars/{made['id']}", headers=headers)
    assert again.status_code == 409
    assert site.client().get(f"/kalender/{made['token']}.ics").status_code == 404


def test_forms_need_csrf_and_refuse_bad_input(site: Site) -> None:
    kg = site.client("ntp")
    kg.get("/meg")
    no_token = kg.http.post("/meg/calendars", data={"label": "x"})
    assert no_token.status_code == 400
    too_long = kg.post("/meg/calendars", {"label": "k" * 101})
    assert too_long.status_code == 422
    page = too_long.get_data(True)
    assert 'id="calendar-label-errors"' in page
    assert "k" * 101 in page  # what was typed is kept
    assert site.app.list_calendars(None, email("ntp")) == []


def test_the_command_line_makes_lists_and_revokes(site: Site) -> None:
    url = site.flask.config["DATABASE_URL"]
    runner = CliRunner()

    def cli(*args: str) -> Any:
        return runner.invoke(main, ["--database-url", url, *args])

    made = cli("users", "calendar", email("kg-leder"), "--body", "kg", "--label", "KG")
    assert made.exit_code == 0, made.output
    address = made.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"http://127\.0\.0\.1:5000/kalender/[\w-]{43,}\.ics", address)
    path = address.removeprefix("http://127.0.0.1:5000")
    assert str(site.world.meetings["kg"]) in uids(site.client().get(path).data)

    listed = cli("users", "calendars", email("kg-leder"))
    assert listed.exit_code == 0
    assert " active " in listed.stdout
    assert path.removeprefix("/kalender/").removesuffix(".ics") not in listed.stdout
    calendar_id = listed.stdout.split()[0]

    assert cli("users", "calendar", email("kg"), "--body", "nope").exit_code == 2
    blind = cli("users", "calendar", email("observator"), "--body", "board")
    assert blind.exit_code == 0
    assert "may see none of board's meetings" in blind.stderr
    assert cli("users", "calendar", "nobody@test.caseflow.no").exit_code == 1

    revoked = cli("users", "calendar-revoke", email("kg-leder"), calendar_id)
    assert revoked.exit_code == 0, revoked.output
    assert site.client().get(path).status_code == 404
    again = cli("users", "calendar-revoke", email("kg-leder"), calendar_id)
    assert again.exit_code == 1
    # one line, in the CLI's language (nb by default once the CLI translates, else en)
    assert len(again.output.strip().splitlines()) == 1
    assert any(t in again.output for t in ("already revoked", "allerede trukket tilbake"))


def test_the_application_role_uses_the_tables_the_owner_made(roles: Roles) -> None:  # noqa: F811
    """After `caseflow db roles` the least-privilege application role (which may create
    nothing) makes, reads, uses and revokes calendar addresses and records token uses."""
    app, settings = open_application(roles.app_url)
    try:
        assert settings.env.get("CREATE_TABLE") == "n"
        app.use_calendar_store(open_calendar_tokens(app))
        app.use_token_use_store(open_token_uses(app))
        kg = roles.world["people"]["kg"]
        made = app.create_calendar(kg, kg)
        assert str(roles.world["meetings"]["kg"]) in {
            str(m.id) for m in app.calendar_feed(made.token).meetings
        }
        assert app.list_calendars(kg, kg)[0].last_used_at is not None
        app.revoke_calendar(kg, kg, made.calendar.id)
        with pytest.raises(NotFoundError):
            app.calendar_feed(made.token)
        assert app.accounts.uses is not None
        app.accounts.uses.used("0" * 64, datetime.now(UTC))
        assert "0" * 64 in app.accounts.uses.last_used(["0" * 64])
    finally:
        app.close()


def test_the_feed_marks_a_supplementary_item_and_a_cancelled_meeting(site: Site) -> None:
    """Issue 14: a tilleggssak is marked in every feed, and a cancelled meeting reads
    CANCELLED in calendar clients."""
    app, w = site.app, site.world
    sek = w["sekretariat"]
    kg = app.schedule_meeting(sek, MeetingBody.KG, datetime(2099, 10, 20, 12, tzinfo=UTC)).id
    app.add_standard_items(sek, kg, "all")
    app.send_invitation(sek, kg)
    app.add_standing_item(sek, kg, "Orientering om budsjettet")
    made = app.create_calendar(None, email("kg"))
    feed = Calendar.from_ical(site.client().get(f"/kalender/{made.token}.ics").data)
    (event,) = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith(str(kg))]
    lines = str(event["DESCRIPTION"]).splitlines()
    assert any(line.endswith("Orientering om budsjettet (tilleggssak)") for line in lines)
    assert str(event["STATUS"]) == "CONFIRMED"

    app.cancel_meeting(sek, kg, "Flyttet")
    feed = Calendar.from_ical(site.client().get(f"/kalender/{made.token}.ics").data)
    (event,) = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith(str(kg))]
    assert str(event["STATUS"]) == "CANCELLED"


def test_an_address_withholds_the_cases_its_owner_may_not_see(site: Site) -> None:
    """An expert-group leader invited to a KG meeting for her group's case (R13) sees
    that case through her address; another group's case on the same agenda is «Unntatt»."""
    app, w = site.app, site.world
    sek = w["sekretariat"]
    app.add_member(sek, w.groups["ntp"], w["kg2"])
    app.appoint(w["kg2"], w.groups["ntp"], w["ntp"], GroupRole.LEADER)
    own = w.drafted(title="Arealplan til KG via abonnement")
    other = w.drafted(group="ntp", by="ntp", title="Hemmelig jernbaneinnspill")
    mid = app.schedule_meeting(sek, MeetingBody.KG, datetime(2099, 11, 3, 12, tzinfo=UTC)).id
    app.place_case_on_agenda(sek, mid, own.id)
    app.place_case_on_agenda(sek, mid, other.id)
    made = app.create_calendar(None, email("atp-leder"))
    text = site.client().get(f"/kalender/{made.token}.ics").get_data(True).replace("\r\n ", "")
    assert own.title in text
    assert "Unntatt" in text
    assert other.title not in text
    assert other.reference not in text


def test_a_feed_reads_in_its_owners_language(site: Site) -> None:
    """Every word of a feed comes from the catalogs: an owner who reads English (chosen on
    /varsler/innstillinger) gets an English agenda heading, marks and body; bokmål by
    default. A category is the body's name (``KG``), not its code (``kg``)."""
    app, w = site.app, site.world
    sek = w["sekretariat"]
    kg = app.schedule_meeting(sek, MeetingBody.KG, datetime(2099, 10, 21, 12, tzinfo=UTC)).id
    app.add_standard_items(sek, kg, "all")
    app.send_invitation(sek, kg)
    app.add_standing_item(sek, kg, "Orientering om budsjettet")

    def event_of(token: str) -> Any:
        feed = Calendar.from_ical(site.client().get(f"/kalender/{token}.ics").data)
        (event,) = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith(str(kg))]
        return event

    made = app.create_calendar(None, email("kg"))
    norwegian = event_of(made.token)
    assert str(norwegian["DESCRIPTION"]).startswith("Saksliste:\n")
    assert "(tilleggssak)" in str(norwegian["DESCRIPTION"])
    assert [str(c) for c in norwegian["CATEGORIES"].cats] == ["KG"]

    open_inbox(site.flask.extensions["caseflow_notifier"]).choose(w["kg"].hex, {}, "en")
    english = event_of(made.token)
    assert str(english["DESCRIPTION"]).startswith("Agenda:\n")
    assert "(supplementary item)" in str(english["DESCRIPTION"])
    assert "tilleggssak" not in str(english["DESCRIPTION"])
    assert [str(c) for c in english["CATEGORIES"].cats] == ["KG"]


def test_a_body_calendar_is_named_by_the_body_not_its_code(site: Site) -> None:
    client = site.client("sekretariat")
    for language, name in (("en", "Board"), ("nb", "Styret")):
        data = client.get("/meetings/calendar/board.ics", headers={"Accept-Language": language})
        feed = Calendar.from_ical(data.data)
        assert str(feed["X-WR-CALNAME"]) == f"Caseflow: {name}"
        for event in feed.walk("VEVENT"):
            assert [str(c) for c in event["CATEGORIES"].cats] == [name]

"""A page of one's own (``/meg``, issue 14): who I am, my memberships and roles as labels,
my API tokens (issued once, revoked for real) and my calendar addresses, in bokmål and
English, with CSRF on every form — on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from click.testing import CliRunner

from caseflow.cli import main
from tests.web.conftest import Site, email


def new_token_on(page: str) -> str:
    found = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', page)
    assert found, "no new token on the page"
    return found.group(1)


def test_the_page_says_who_i_am_in_labels(site: Site) -> None:
    kg = site.client("kg-leder")
    page = kg.get("/meg").get_data(True)
    assert "Kari Leder" in page
    assert email("kg-leder") in page
    assert "Oslo" in page  # the organisation, and its region by name
    assert "Administrativ koordineringsgruppe" in page
    assert "Leader" in page  # a role by its label, not its code
    assert ">leader<" not in page
    assert 'href="/meg"' in page  # the menu links to it

    kg.post("/language", {"lang": "nb", "next": "/meg"})
    norsk = kg.get("/meg").get_data(True)
    assert "Min side" in norsk
    assert "API-nøkler" in norsk
    assert "Kalenderabonnementer" in norsk
    assert "My page" not in norsk
    assert "Calendar subscriptions" not in norsk

    sek = site.client("sekretariat").get("/meg").get_data(True)
    assert "Secretariat" in sek  # a system role as a label
    assert 'name="body"' in sek  # the secretariat may make a body's calendar
    assert 'name="body"' not in page


def test_only_a_logged_in_person_has_a_page(site: Site) -> None:
    anonymous = site.client()
    answer = anonymous.get("/meg")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]
    assert anonymous.http.post("/meg/tokens", data={"label": "x"}).status_code in (302, 400)


def test_a_token_is_shown_once_and_revoking_it_stops_it(site: Site) -> None:
    atp = site.client("atp")
    issued = atp.post("/meg/tokens", {"label": "Skript", "expires": "30"})
    assert issued.status_code == 200
    secret = new_token_on(issued.get_data(True))
    bearer = {"Authorization": f"Bearer {secret}"}
    assert site.client().get("/api/v1/me", headers=bearer).get_json()["email"] == email("atp")

    again = atp.get("/meg").get_data(True)
    assert secret not in again  # shown once
    assert "Skript" in again
    assert f"…{secret[-4:]}" in again
    token_id = site.app.list_tokens(site.world["atp"])[0].id

    no_csrf = atp.http.post(f"/meg/tokens/{token_id}/revoke")
    assert no_csrf.status_code == 400
    assert site.client().get("/api/v1/me", headers=bearer).status_code == 200

    revoked = atp.post(f"/meg/tokens/{token_id}/revoke")
    assert revoked.status_code == 302
    refused = site.client().get("/api/v1/me", headers=bearer)
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "token_revoked"
    # recorded as the person's own act
    events = [e for e in site.app.list_tokens(site.world["atp"]) if e.id == token_id]
    assert events[0].status == "revoked"


def test_a_bad_token_form_keeps_what_was_typed(site: Site) -> None:
    kg = site.client("ntp")
    refused = kg.post("/meg/tokens", {"label": "Mitt skript", "expires": "0"})
    assert refused.status_code == 422
    page = refused.get_data(True)
    assert 'id="token-expires-errors"' in page
    assert 'value="Mitt skript"' in page
    assert 'value="0"' in page
    assert site.app.list_tokens(site.world["ntp"]) == []  # nothing recorded


def test_someone_elses_token_or_calendar_cannot_be_revoked_from_my_page(site: Site) -> None:
    w, app = site.world, site.app
    app.issue_token(None, email("observator"), "obs-skript")
    token_id = app.list_tokens(w["observator"])[0].id
    calendar = app.create_calendar(None, email("observator"))
    atp = site.client("atp-leder")
    assert atp.post(f"/meg/tokens/{token_id}/revoke").status_code == 404
    assert atp.post(f"/meg/calendars/{calendar.calendar.id}/revoke").status_code == 404
    assert app.list_tokens(w["observator"])[0].status == "active"
    assert site.client().get(f"/kalender/{calendar.token}.ics").status_code == 200


def test_a_tokens_last_use_is_shown(site: Site) -> None:
    secret = site.app.issue_token(None, email("kg-obs"), "skript")
    assert site.app.list_tokens(site.world["kg-obs"])[0].last_used_at is None
    kg = site.client("kg-obs")
    assert "never" in kg.get("/meg").get_data(True)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert site.client().get("/api/v1/me", headers=bearer).status_code == 200
    used = site.app.list_tokens(site.world["kg-obs"])[0].last_used_at
    assert used is not None
    listed = site.client().get("/api/v1/me/tokens", headers=bearer).get_json()["items"]
    assert listed[0]["last_used_at"] is not None


def test_the_command_line_lists_a_tokens_last_use(site: Site) -> None:
    secret = site.app.issue_token(None, email("atp-leder"), "cli-skript")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert site.client().get("/api/v1/me", headers=bearer).status_code == 200
    url = site.flask.config["DATABASE_URL"]
    listed = CliRunner().invoke(
        main, ["--database-url", url, "users", "tokens", email("atp-leder")]
    )
    assert listed.exit_code == 0, listed.output
    line = next(t for t in listed.stdout.splitlines() if "cli-skript" in t)
    assert re.search(r"last used \d\d\.\d\d\.\d{4} \d\d:\d\d", line)


def test_the_api_issues_my_own_token_as_the_page_does(site: Site) -> None:
    kg = site.client("kg-leder")
    issued = kg.post_json("/api/v1/me/tokens", {"label": "Integrasjon", "expires_days": 7})
    assert issued.status_code == 201
    answer = issued.get_json()
    assert answer["label"] == "Integrasjon"
    assert answer["token"].endswith(answer["last_four"])
    bearer = {"Authorization": f"Bearer {answer['token']}"}
    me = site.client().get("/api/v1/me", headers=bearer).get_json()
    assert me["email"] == email("kg-leder")
    listed = site.client().get("/api/v1/me/tokens", headers=bearer).get_json()["items"]
    assert answer["token"] not in str(listed)
    refused = kg.post_json("/api/v1/me/tokens", {"expires_days": 0})
    assert refused.status_code == 422
    assert "expires_days" in refused.get_json()["error"]["fields"]
    assert site.client().http.post("/api/v1/me/tokens", json={}).status_code == 401

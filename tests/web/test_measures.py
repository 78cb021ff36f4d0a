"""Measures on the web (R18): who reads them, who registers a measure and changes its
status (exactly ``may_follow_up_measures``: KG's non-observer members and the secretariat;
observers R9, others R18), validation errors beside the fields with what was typed kept,
CSRF refusal, bokmål, and the ``/healthz`` liveness route used by docker-compose."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from caseflow.application.views import MeasureView
from tests.web.conftest import ACCOUNTS, Site
from tests.web.test_accessibility import Page

#: Who reads the measures pages (KG's members, observers too; the secretariat; auditors).
READERS = {"sekretariat", "revisor", "kg-leder", "kg", "kg-obs"}
#: Who registers and updates measures, and the rule that refuses the others.
CHANGERS = {"sekretariat", "kg-leder", "kg"}
REFUSAL_RULE = {"revisor": "R18", "kg-obs": "R9"}


def expected(role: str, ok: int) -> int:
    if role not in READERS:
        return 403
    return ok if role in CHANGERS else 403


@pytest.fixture(scope="module")
def measure(site: Site) -> MeasureView:
    """A measure on the module's shared site, registered by the secretariat."""
    view = site.app.register_measure(
        site.world["sekretariat"], "Felles innspill til NTP", "transport", "Regionens innspill"
    )
    return view


def position(site: Site) -> Any:
    return site.app.recorder.max_notification_id()


def html(response: Any) -> str:
    return str(response.get_data(as_text=True))


# -- reading, per role ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ACCOUNTS)
def test_pages_per_role(site: Site, measure: MeasureView, role: str) -> None:
    client = site.client(role)
    ok = 200 if role in READERS else 403
    listing = client.get("/measures/")
    assert listing.status_code == ok
    assert client.get(f"/measures/{measure.id}").status_code == ok
    unknown = client.get(f"/measures/{uuid.uuid4()}")
    assert unknown.status_code == (404 if role in READERS else 403)
    if role in READERS:
        assert measure.title in html(listing)
    else:
        assert "R18" in html(listing)
        assert measure.title not in html(listing)


@pytest.mark.parametrize("role", ACCOUNTS)
def test_navigation_link_only_for_readers(site: Site, role: str) -> None:
    page = html(site.client(role).get("/groups/"))
    assert ('href="/measures/"' in page) == (role in READERS)


def test_anonymous_is_sent_to_login(site: Site, measure: MeasureView) -> None:
    for url in ("/measures/", f"/measures/{measure.id}"):
        response = site.client().get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    assert 'href="/measures/"' not in html(site.client().get("/login"))


def test_list_groups_by_focus_area_with_status(site: Site, measure: MeasureView) -> None:
    page = html(site.client("kg").get("/measures/"))
    for heading in (
        "Transport and mobility",
        "Urban and regional development",
        "Climate, environment and nature",
        "Competitiveness and business development",
    ):
        assert heading in page
    transport = page[page.index('id="fa-transport"') : page.index('id="fa-by-region"')]
    row = re.search(rf'<tr id="measure-{measure.id}">.*?</tr>', transport, re.S)
    assert row is not None
    assert "Planned" in row.group(0)


@pytest.mark.parametrize("role", sorted(READERS))
def test_forms_shown_exactly_as_the_rules_allow(
    site: Site, measure: MeasureView, role: str
) -> None:
    client = site.client(role)
    listing = html(client.get("/measures/"))
    page = html(client.get(f"/measures/{measure.id}"))
    if role in CHANGERS:
        assert 'action="/measures/"' in listing
        assert "Register a measure" in listing
        assert f'action="/measures/{measure.id}/status"' in page
        assert 'id="refusal"' not in listing + page
    else:
        assert 'action="/measures/"' not in listing
        assert f'action="/measures/{measure.id}/status"' not in page
        for text in (listing, page):
            refusal = text[text.index('id="refusal"') :][:400]
            assert REFUSAL_RULE[role] in refusal


# -- changing, per role -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ACCOUNTS)
def test_register_per_role(site: Site, role: str) -> None:
    before = position(site)
    title = f"Tiltak fra {role}"
    response = site.client(role).post(
        "/measures/", {"title": title, "focus_area": "klima", "description": "Beskrivelse"}
    )
    assert response.status_code == expected(role, 303), html(response)[:500]
    listed = [m for m in site.app.list_measures()["klima"] if m.title == title]
    if response.status_code == 303:
        assert len(listed) == 1
        assert response.headers["Location"].endswith(f"/measures/{listed[0].id}")
    else:
        assert listed == []
        assert position(site) == before
        assert REFUSAL_RULE.get(role, "R18") in html(response)


@pytest.mark.parametrize("role", ACCOUNTS)
def test_change_status_per_role(site: Site, role: str) -> None:
    target = site.app.register_measure(None, f"Status fra {role}", "naering")
    before = position(site)
    response = site.client(role).post(
        f"/measures/{target.id}/status", {"status": "in_progress", "note": "Arbeidet er i gang"}
    )
    assert response.status_code == expected(role, 303), html(response)[:500]
    now = next(m for m in site.app.list_measures()["naering"] if m.id == target.id)
    if response.status_code == 303:
        assert now.status == "in_progress"
        assert now.updates[-1].note == "Arbeidet er i gang"
    else:
        assert now.status == "planned"
        assert position(site) == before
        assert REFUSAL_RULE.get(role, "R18") in html(response)


def test_status_at_a_kg_meeting_is_shown_with_the_update(site: Site) -> None:
    target = site.app.register_measure(None, "Oppfølging i KG-møte", "by-region")
    kg_meeting = site.world.meetings["kg"]
    client = site.client("kg-leder")
    response = client.post(
        f"/measures/{target.id}/status",
        {"status": "done", "note": "Levert", "meeting_id": str(kg_meeting)},
    )
    assert response.status_code == 303
    page = html(client.get(response.headers["Location"]))
    assert f'href="/meetings/{kg_meeting}"' in page
    assert "Levert" in page
    assert "Kari Leder" in page
    now = next(m for m in site.app.list_measures()["by-region"] if m.id == target.id)
    assert now.status == "done"
    assert now.updates[-1].meeting_id == kg_meeting


def test_unknown_measure_is_404_for_a_changer(site: Site) -> None:
    response = site.client("kg").post(f"/measures/{uuid.uuid4()}/status", {"status": "done"})
    assert response.status_code == 404


# -- validation: errors beside the fields, what was typed kept -------------------------------------


def field_error(page: str, name: str) -> str:
    found = re.search(rf'<ul class="field-errors" id="{name}-errors">(.*?)</ul>', page, re.S)
    assert found, f"no error beside {name}"
    assert f'aria-describedby="{name}-errors"' in page
    return found.group(1)


def test_register_validation_errors_keep_what_was_typed(site: Site) -> None:
    before = position(site)
    response = site.client("sekretariat").post(
        "/measures/",
        {"title": "  ", "focus_area": "verdensrommet", "description": "Det jeg skrev"},
    )
    assert response.status_code == 422
    page = html(response)
    assert "This field is required." in field_error(page, "title")
    assert "Choose one of the options." in field_error(page, "focus_area")
    assert ">Det jeg skrev</textarea>" in page
    assert 'class="error-summary"' in page
    assert position(site) == before


def test_register_keeps_the_title_when_only_the_area_is_missing(site: Site) -> None:
    response = site.client("kg").post("/measures/", {"title": "Halvferdig tiltak"})
    assert response.status_code == 422
    page = html(response)
    assert 'value="Halvferdig tiltak"' in page
    assert "This field is required." in field_error(page, "focus_area")


def test_same_status_needs_a_note_beside_the_field(site: Site, measure: MeasureView) -> None:
    before = position(site)
    current = next(m for m in site.app.list_measures()["transport"] if m.id == measure.id)
    response = site.client("kg").post(
        f"/measures/{measure.id}/status", {"status": current.status, "note": ""}
    )
    assert response.status_code == 422
    assert "say what changed" in field_error(html(response), "note")
    assert position(site) == before


def test_status_validation(site: Site, measure: MeasureView) -> None:
    client = site.client("sekretariat")
    bad = client.post(f"/measures/{measure.id}/status", {"status": "forgotten", "note": "Tekst"})
    assert bad.status_code == 422
    page = html(bad)
    assert "Choose one of the options." in field_error(page, "status")
    assert ">Tekst</textarea>" in page
    board = site.world.meetings["board"]
    not_kg = client.post(
        f"/measures/{measure.id}/status",
        {"status": "paused", "note": "Tekst", "meeting_id": str(board)},
    )
    assert not_kg.status_code == 422
    assert "Choose one of the options." in field_error(html(not_kg), "meeting_id")
    junk = client.post(f"/measures/{measure.id}/status", {"status": "paused", "meeting_id": "x"})
    assert junk.status_code == 422
    assert "Not a valid UUID." in field_error(html(junk), "meeting_id")


# -- CSRF ---------------------------------------------------------------------------------------


def test_posts_without_csrf_token_are_refused(site: Site, measure: MeasureView) -> None:
    before = position(site)
    bare = site.client("sekretariat").http
    r1 = bare.post("/measures/", data={"title": "Uten token", "focus_area": "klima"})
    r2 = bare.post(f"/measures/{measure.id}/status", data={"status": "done", "note": "x"})
    r3 = bare.post("/measures/", data={"csrf_token": "forged", "title": "X", "focus_area": "klima"})
    assert (r1.status_code, r2.status_code, r3.status_code) == (400, 400, 400)
    assert "reload" in html(r1)
    assert position(site) == before


# -- languages ----------------------------------------------------------------------------------


def test_bokmal_pages_and_refusals(site: Site, measure: MeasureView) -> None:
    kg = site.client("kg")
    kg.post("/language", {"lang": "nb"})
    page = html(kg.get("/measures/"))
    assert "Tiltak" in page
    assert "Transport og mobilitet" in page
    assert "Registrer et tiltak" in page
    obs = site.client("kg-obs")
    obs.post("/language", {"lang": "nb"})
    refusal = html(obs.get(f"/measures/{measure.id}"))
    assert "R9: Observatører i KG leser, men følger ikke opp tiltak." in refusal
    atp = site.client("atp")
    atp.post("/language", {"lang": "nb"})
    refused = html(atp.get("/measures/"))
    assert "Tiltakene følges opp av KG" in refused
    assert "R18" in refused


# -- accessibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["sekretariat", "kg-obs"])
def test_pages_are_accessible(site: Site, measure: MeasureView, role: str) -> None:
    client = site.client(role)
    pages = [
        client.get("/measures/"),
        client.get(f"/measures/{measure.id}"),
        client.post("/measures/", {"title": "", "focus_area": "x"}),
        client.post(f"/measures/{measure.id}/status", {"status": "x"}),
    ]
    for response in pages:
        page = Page()
        page.feed(html(response))
        assert len(page.ids) == len(set(page.ids)), response.request.path
        unlabelled = [
            n for n, wrapped, fid in page.fields if not wrapped and fid not in page.label_for
        ]
        assert unlabelled == []
        assert page.h1 == 1
        assert page.lang in ("nb", "en")


# -- /healthz -------------------------------------------------------------------------------------


def test_healthz_answers_ok_without_login_or_database(site: Site) -> None:
    http = site.flask.test_client()
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok"
    assert "Set-Cookie" not in response.headers

    class Unreachable:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"/healthz touched the application ({name})")

    saved = site.flask.extensions["caseflow"]
    site.flask.extensions["caseflow"] = Unreachable()
    try:
        assert http.get("/healthz").get_data(as_text=True) == "ok"
    finally:
        site.flask.extensions["caseflow"] = saved

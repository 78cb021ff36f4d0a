"""Every page and API read checks permission on the server: parametrised over paths and
roles. 404 for a case the person may not even see, 403 for a step they may not take."""

from __future__ import annotations

import pytest

from tests.web.conftest import Site

ALL = (
    "sekretariat",
    "revisor",
    "kg-leder",
    "kg",
    "kg-obs",
    "atp-leder",
    "atp",
    "observator",
    "ntp",
)
EVERYONE = dict.fromkeys(ALL, 200)


def expect(default: int, **overrides: int) -> dict[str, int]:
    found = dict.fromkeys(ALL, default)
    found.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return found


#: path template -> expected status per role. {proposed}: ATP's proposed case; {advice}: an
#: ATP case in KG's advice round (ATP's leader invited, R13); {ntp}: NTP's proposed case.
PAGES: dict[str, dict[str, int]] = {
    "/": EVERYONE,
    "/cases/": EVERYONE,
    "/cases/new": EVERYONE,
    "/advice/": EVERYONE,
    "/groups/": EVERYONE,
    "/groups/kg": EVERYONE,
    "/groups/no-such-group": expect(404),
    "/cases/OR-1999-999": expect(404),
    "/cases/{proposed}": expect(
        404, sekretariat=200, revisor=200, atp_leder=200, atp=200, observator=200
    ),
    "/cases/{proposed}/history": expect(
        404, sekretariat=200, revisor=200, atp_leder=200, atp=200, observator=200
    ),
    "/cases/{advice}": expect(200, ntp=404),
    "/cases/{ntp}": expect(404, sekretariat=200, revisor=200, ntp=200),
    "/cases/{proposed}/steps/accept": expect(
        404, sekretariat=200, revisor=403, atp_leder=403, atp=403, observator=403
    ),
    "/cases/{proposed}/steps/no-such-step": expect(404),
    "/cases/{advice}/steps/advice": expect(403, kg_leder=200, kg=200, atp_leder=200, ntp=404),
    "/cases/{advice}/steps/close-advice": expect(403, sekretariat=200, kg_leder=200, ntp=404),
    "/cases/{advice}/steps/accept": expect(409, ntp=404),
    "/cases/{ready}/steps/submit": expect(403, sekretariat=200, ntp=404),
    "/audit": expect(403, sekretariat=200, revisor=200),
    "/audit/export.csv": expect(403, sekretariat=200, revisor=200),
    "/audit/export.json": expect(403, sekretariat=200, revisor=200),
    "/audit/export.xml": expect(403, sekretariat=404, revisor=404),
    "/audit/verify": expect(403, sekretariat=200, revisor=200),
    "/api/v1/me": EVERYONE,
    "/api/v1/organisations": EVERYONE,
    "/api/v1/people": EVERYONE,
    "/api/v1/groups": EVERYONE,
    "/api/v1/groups/kg": EVERYONE,
    "/api/v1/meetings": EVERYONE,
    "/api/v1/cases": EVERYONE,
    "/api/v1/cases/{proposed}": expect(
        404, sekretariat=200, revisor=200, atp_leder=200, atp=200, observator=200
    ),
    "/api/v1/cases/{advice}/history": expect(200, ntp=404),
    "/api/v1/cases/{ntp}": expect(404, sekretariat=200, revisor=200, ntp=200),
    "/api/v1/audit": expect(403, sekretariat=200, revisor=200),
    "/api/v1/audit/verify": expect(403, sekretariat=200, revisor=200),
}


def fill(site: Site, template: str) -> str:
    return template.format(**{k: v.reference for k, v in site.cases.items()})


@pytest.mark.parametrize("template", list(PAGES))
@pytest.mark.parametrize("role", ALL)
def test_status_per_role(site: Site, template: str, role: str) -> None:
    client = site.client(role)
    response = client.get(fill(site, template))
    assert response.status_code == PAGES[template][role], response.get_data(as_text=True)[:500]
    if template.startswith("/api/") and response.status_code >= 400:
        body = response.get_json()
        assert set(body["error"]) == {"code", "message", "rule", "fields"}


@pytest.mark.parametrize("template", [t for t in PAGES if "no-such" not in t])
def test_anonymous_is_sent_to_login_or_gets_401(site: Site, template: str) -> None:
    response = site.client().get(fill(site, template))
    if template.startswith("/api/"):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    else:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_openapi_document_is_public(site: Site) -> None:
    response = site.client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.")


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("sekretariat", {"proposed", "advice", "ready", "ntp"}),
        ("revisor", {"proposed", "advice", "ready", "ntp"}),
        ("kg", {"advice", "ready"}),
        ("atp", {"proposed", "advice", "ready"}),
        ("ntp", {"ntp"}),
    ],
)
def test_case_lists_show_only_what_the_person_may_see(
    site: Site, role: str, visible: set[str]
) -> None:
    client = site.client(role)
    refs = {c.reference: key for key, c in site.cases.items()}
    body = client.get("/api/v1/cases?per_page=200").get_json()
    listed = {refs[i["reference"]] for i in body["items"] if i["reference"] in refs}
    assert listed == visible
    page = client.get("/cases/?per_page=200").get_data(as_text=True)
    for key, case in site.cases.items():
        assert (case.reference in page) == (key in visible), key


def test_hidden_buttons_are_not_the_check(site: Site) -> None:
    """An ATP member who forges the secretariat's accept form is refused by the server."""
    client = site.client("atp")
    ref = site.cases["proposed"].reference
    response = client.post(f"/cases/{ref}/steps/accept", {"case_officer": ""})
    assert response.status_code == 403
    assert "R5" in response.get_data(as_text=True)
    assert site.app.get_case(None, ref).status == "proposed"

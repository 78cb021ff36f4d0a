"""Issue 18: screening through two doors of the web app — the case page's "Skjerming"
panel (CSRF, the public title shown before saving, errors beside the fields, lifting)
and the JSON API (``/api/v1/cases/{id}/screening``, documents, free agenda items) — with
the application's checks: the secretariat only, nothing recorded when refused. On a real
SQLite file and PostgreSQL."""

from __future__ import annotations

from typing import Any

from caseflow.demo.documents import minimal_pdf
from caseflow.domain.screening import MASK
from tests.web.conftest import Site, email

PDF = minimal_pdf("Tilbud", ["Tilbud fra Bygg AS."])
TITLE = "Avtale med Bygg AS om lokaler"


def bearer(site: Site, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.app.issue_token(None, email(key), 'test')}"}


def _case(site: Site) -> Any:
    return site.world.accepted(title=TITLE)


# -- the case page -------------------------------------------------------------------------


def test_the_secretariat_sees_the_public_title_before_saving(site: Site) -> None:
    case = _case(site)
    c = site.client("sekretariat")
    page = c.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert 'id="screening-h"' in page
    shown = c.post(
        f"/cases/{case.reference}/screening",
        {"legal_basis": "offl-23", "words": "Bygg AS", "action": "preview"},
    )
    assert shown.status_code == 200
    assert f"Avtale med {MASK} om lokaler" in shown.get_data(as_text=True)
    assert site.app.get_case(None, case.id).version == case.version  # nothing recorded


def test_the_secretariat_screens_and_lifts_on_the_case_page(site: Site) -> None:
    case = _case(site)
    c = site.client("sekretariat")
    done = c.post(
        f"/cases/{case.reference}/screening",
        {"legal_basis": "offl-23", "words": "Bygg AS", "expected_version": str(case.version)},
    )
    assert done.status_code == 303
    screened = site.app.get_case(None, case.id)
    assert screened.public_title == f"Avtale med {MASK} om lokaler"
    page = c.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Offl. § 23" in page
    lifted = c.post(
        f"/cases/{case.reference}/screening/lift",
        {"reason": "Avtalen er signert", "expected_version": str(screened.version)},
    )
    assert lifted.status_code == 303
    assert site.app.get_case(None, case.id).screening is None


def test_free_text_is_the_fallback_on_the_page(site: Site) -> None:
    case = _case(site)
    c = site.client("sekretariat")
    c.post(
        f"/cases/{case.reference}/screening",
        {"legal_basis": "other", "legal_basis_other": "Sikkerhetsloven § 5-3", "words": "Bygg AS"},
    )
    found = site.app.get_case(None, case.id).screening
    assert (found or {}).get("legal_basis") == "Sikkerhetsloven § 5-3"


def test_a_refused_form_shows_the_error_beside_the_field_and_keeps_what_was_typed(
    site: Site,
) -> None:
    case = _case(site)
    c = site.client("sekretariat")
    refused = c.post(
        f"/cases/{case.reference}/screening", {"legal_basis": "offl-23", "words": "Rør AS"}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="case-words-errors"' in page
    assert "Rør AS" in page
    assert site.app.get_case(None, case.id).version == case.version


def test_someone_else_is_refused_and_nothing_is_recorded(site: Site) -> None:
    case = site.world.accepted(by="atp", title=TITLE)
    c = site.client("atp")
    page = c.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "screening/lift" not in page
    assert 'name="words"' not in page
    refused = c.post(
        f"/cases/{case.reference}/screening", {"legal_basis": "offl-23", "words": "Bygg AS"}
    )
    assert refused.status_code == 403
    assert site.app.get_case(None, case.id).version == case.version


def test_without_csrf_nothing_is_recorded(site: Site) -> None:
    case = _case(site)
    c = site.client("sekretariat")
    refused = c.http.post(
        f"/cases/{case.reference}/screening", data={"legal_basis": "offl-23", "words": "Bygg AS"}
    )
    assert refused.status_code == 400
    assert site.app.get_case(None, case.id).version == case.version


def test_a_document_is_screened_on_the_case_page(site: Site) -> None:
    case = _case(site)
    added = site.app.documents.add_document(
        site.world["sekretariat"], case.id, "t.pdf", PDF, kind="vedlegg", title="Tilbud fra Bygg AS"
    )
    doc = added.document
    c = site.client("sekretariat")
    done = c.post(
        f"/cases/{case.reference}/documents/{doc.id}/screening",
        {"legal_basis": "offl-13-fvl-13-1-2", "words": "Bygg AS"},
    )
    assert done.status_code == 303
    (found,) = site.app.documents.case_documents(None, case.id).documents
    assert found.public_title == f"Tilbud fra {MASK}"


def test_the_panel_is_in_norwegian(site: Site) -> None:
    case = _case(site)
    c = site.client("sekretariat")
    c.post("/language", {"lang": "nb"})
    page = c.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Skjerm saken" in page
    assert "Vis den offentlige tittelen" in page


# -- the JSON API ------------------------------------------------------------------------------


def test_the_api_screens_and_lifts_a_case(site: Site) -> None:
    case = _case(site)
    auth = bearer(site, "sekretariat")
    done = c_json(site).post(
        f"/api/v1/cases/{case.id}/screening",
        json={"legal_basis": "Offl. § 23", "words": ["Bygg AS"], "expected_version": case.version},
        headers=auth,
    )
    assert done.status_code == 200
    assert done.get_json()["screening"]["public_title"] == f"Avtale med {MASK} om lokaler"
    read = c_json(site).get(f"/api/v1/cases/{case.id}", headers=auth).get_json()
    assert read["public_title"] == f"Avtale med {MASK} om lokaler"
    lifted = c_json(site).delete(
        f"/api/v1/cases/{case.id}/screening?reason=Signert&expected_version={read['version']}",
        headers=auth,
    )
    assert lifted.status_code == 200
    assert lifted.get_json()["screening"] is None


def test_the_api_refuses_a_non_secretariat_with_the_role(site: Site) -> None:
    case = site.world.accepted(by="atp", title=TITLE)
    refused = c_json(site).post(
        f"/api/v1/cases/{case.id}/screening",
        json={"legal_basis": "offl-23", "words": ["Bygg AS"]},
        headers=bearer(site, "atp"),
    )
    assert refused.status_code == 403
    assert "secretariat" in refused.get_json()["error"]["message"]
    assert site.app.get_case(None, case.id).version == case.version


def test_the_api_names_the_refused_fields(site: Site) -> None:
    case = _case(site)
    refused = c_json(site).post(
        f"/api/v1/cases/{case.id}/screening",
        json={"legal_basis": "offl-23", "words": ["Rør AS"]},
        headers=bearer(site, "sekretariat"),
    )
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"words"}


def test_the_api_screens_a_document(site: Site) -> None:
    case = _case(site)
    added = site.app.documents.add_document(
        site.world["sekretariat"], case.id, "t.pdf", PDF, kind="vedlegg", title="Tilbud fra Bygg AS"
    )
    done = c_json(site).post(
        f"/api/v1/cases/{case.id}/documents/{added.document.id}/screening",
        json={"legal_basis": "offl-23", "words": ["Bygg AS"]},
        headers=bearer(site, "sekretariat"),
    )
    assert done.status_code == 200
    assert done.get_json()["document"]["public_title"] == f"Tilbud fra {MASK}"


def test_the_api_screens_a_free_agenda_item(site: Site) -> None:
    meeting = site.app.add_standing_item(
        site.world["sekretariat"], site.world.meetings["board2"], "Orientering om Rør AS"
    )
    key = meeting.agenda[-1].key
    done = c_json(site).post(
        f"/api/v1/meetings/{meeting.id}/items/{key}/screening",
        json={"legal_basis": "offl-23", "words": ["Rør AS"]},
        headers=bearer(site, "sekretariat"),
    )
    assert done.status_code == 200
    item = next(i for i in done.get_json()["agenda"] if i["key"] == key)
    assert item["public_title"] == f"Orientering om {MASK}"


def test_the_api_lists_the_legal_bases(site: Site) -> None:
    found = (
        c_json(site)
        .get("/api/v1/screening/legal-bases", headers=bearer(site, "sekretariat"))
        .get_json()
    )
    assert {"key": "offl-14", "text": "Offl. § 14"}.items() <= found["items"][3].items()


def c_json(site: Site) -> Any:
    return site.flask.test_client()

"""Issue 14: case documents on the case page and in the JSON API — upload with CSRF,
errors beside the field with what was typed kept, every version downloadable by those
who may see the case, the same checks (R1, R9, stale versions) through both doors. On a
real SQLite file and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

from caseflow.demo.documents import minimal_pdf
from tests.web.conftest import Site, email

PDF = minimal_pdf("Saksframlegg", ["Bakgrunn for saken."])
PDF2 = minimal_pdf("Saksframlegg", ["Revidert bakgrunn."])


def bearer(site: Site, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.app.issue_token(None, email(key), 'test')}"}


def upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def test_the_secretariat_uploads_a_document_and_a_new_version_on_the_case_page(
    site: Site,
) -> None:
    case = site.world.accepted(title="Sak med saksframlegg")
    c = site.client("sekretariat")
    page = c.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert 'id="documents-h"' in page
    assert 'enctype="multipart/form-data"' in page
    # no CSRF token: refused, nothing recorded
    no_csrf = c.http.post(
        f"/cases/{case.reference}/documents",
        data={"file": upload(PDF, "s.pdf"), "kind": "saksframlegg", "title": "S"},
    )
    assert no_csrf.status_code == 400
    assert site.app.get_case(None, case.id).version == case.version
    done = c.post(
        f"/cases/{case.reference}/documents",
        {
            "file": upload(PDF, "saksframlegg.pdf"),
            "kind": "saksframlegg",
            "title": "Saksframlegg til styret",
            "expected_version": str(case.version),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    found = site.app.documents.case_documents(None, case.id)
    (doc,) = found.documents
    page = c.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Saksframlegg til styret" in page
    assert hashlib.sha256(PDF).hexdigest() in page
    assert f"/cases/{case.reference}/documents/{doc.id}/versions/1" in page
    again = c.post(
        f"/cases/{case.reference}/documents/{doc.id}/versions",
        {"file": upload(PDF2, "saksframlegg-2.pdf"), "expected_version": found.case_version},
        content_type="multipart/form-data",
    )
    assert again.status_code == 303
    first = c.get(f"/cases/{case.reference}/documents/{doc.id}/versions/1")
    assert first.status_code == 200
    assert first.data == PDF
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert "saksframlegg.pdf" in first.headers["Content-Disposition"]
    assert c.get(f"/cases/{case.reference}/documents/{doc.id}/versions/2").data == PDF2
    assert c.get(f"/cases/{case.reference}/documents/{doc.id}/versions/3").status_code == 404


def test_a_refused_upload_shows_the_error_beside_the_field_and_keeps_the_title(
    site: Site,
) -> None:
    case = site.world.accepted(title="Sak med feil fil")
    c = site.client("sekretariat")
    refused = c.post(
        f"/cases/{case.reference}/documents",
        {"file": upload(b"just some text\n", "notat.pdf"), "kind": "vedlegg", "title": "Notat"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    errors = re.search(r'<ul class="field-errors" id="doc-file-errors">(.*?)</ul>', page, re.S)
    assert errors is not None
    assert "XLSX" in errors.group(1)
    assert 'value="Notat"' in page
    assert site.app.get_case(None, case.id).version == case.version


def test_the_section_and_its_refusals_speak_bokmal(site: Site) -> None:
    case = site.world.accepted(title="Sak på norsk")
    c = site.client("sekretariat")
    nb = {"Accept-Language": "nb"}
    page = c.get(f"/cases/{case.reference}", headers=nb).get_data(as_text=True)
    assert ">Dokumenter<" in page
    assert "Legg til et dokument" in page
    assert "Add a document" not in page
    refused = c.post(
        f"/cases/{case.reference}/documents",
        {"file": upload(b"tekst\n", "notat.txt"), "kind": "vedlegg", "title": "Notat"},
        content_type="multipart/form-data",
        headers=nb,
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "bare PDF-, DOCX-, ODT-, XLSX-, PNG- og JPEG-filer" in text
    assert "only PDF" not in text


def test_observers_read_but_do_not_add_and_others_do_not_see(site: Site) -> None:
    case = site.world.proposed(title="Sak med vedlegg")
    added = site.app.documents.add_document(
        site.world["sekretariat"], case.id, "v.pdf", PDF, kind="vedlegg", title="Vedlegg"
    )
    assert added.document is not None
    url = f"/cases/{case.reference}/documents/{added.document.id}/versions/1"
    observer = site.client("observator")
    page = observer.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Vedlegg" in page
    assert f'action="/cases/{case.reference}/documents"' not in page
    assert observer.get(url).data == PDF
    refused = observer.post(
        f"/cases/{case.reference}/documents",
        {"file": upload(PDF, "o.pdf"), "kind": "vedlegg", "title": "O"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403
    assert "R9" in refused.get_data(as_text=True)
    outsider = site.client("kg")  # KG does not see a proposal yet
    assert outsider.get(url).status_code == 404


def test_the_api_adds_lists_and_downloads_with_the_same_checks(site: Site) -> None:
    case = site.world.accepted(title="Sak via API")
    http = site.flask.test_client()
    headers = bearer(site, "sekretariat")
    base = f"/api/v1/cases/{case.reference}/documents"
    created = http.post(
        base,
        data={
            "file": upload(PDF, "saksframlegg.pdf"),
            "kind": "saksframlegg",
            "title": "Saksframlegg",
            "screened": "true",
            "legal_basis": "Offl. § 14",
            "expected_version": str(case.version),
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    body: dict[str, Any] = created.get_json()
    assert body["case_version"] == case.version + 1
    doc = body["document"]
    assert doc["screened"] is True
    assert doc["legal_basis"] == "Offl. § 14"
    assert doc["versions"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert doc["versions"][0]["role"] == "secretariat"
    stale = http.post(
        f"{base}/{doc['id']}/versions",
        data={"file": upload(PDF2, "s2.pdf"), "expected_version": str(case.version)},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert stale.status_code == 409
    bad = http.post(
        base,
        data={"file": upload(b"MZ\x90\x00", "x.pdf"), "kind": "vedlegg", "title": "X"},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "file" in bad.get_json()["error"]["fields"]
    listed = http.get(base, headers=bearer(site, "revisor")).get_json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == doc["id"]
    got = http.get(f"{base}/{doc['id']}/versions/1", headers=bearer(site, "revisor"))
    assert got.data == PDF
    forbidden = http.post(
        base,
        data={"file": upload(PDF, "k.pdf"), "kind": "vedlegg", "title": "K"},
        headers=bearer(site, "kg"),
        content_type="multipart/form-data",
    )
    assert forbidden.status_code == 403
    assert forbidden.get_json()["error"]["rule"] == "R1"
    assert http.get(base).status_code == 401
    assert site.app.get_case(None, case.id).version == case.version + 1


def test_the_agenda_item_shows_its_cases_documents(site: Site) -> None:
    case = site.world.ready(title="Sak på sakslisten")
    added = site.app.documents.add_document(
        site.world["sekretariat"],
        case.id,
        "saksframlegg.pdf",
        PDF,
        kind="saksframlegg",
        title="Saksframlegg til møtet",
    )
    assert added.document is not None
    site.app.submit_case(site.world["sekretariat"], case.id, site.world.meetings["board2"])
    meeting = site.world.meetings["board2"]
    page = site.client("sekretariat").get(f"/meetings/{meeting}").get_data(as_text=True)
    assert "Saksframlegg til møtet" in page
    assert f"/cases/{case.reference}/documents/{added.document.id}/versions/1" in page

"""Issue 18: ``caseflow archive einnsyn OUTDIR`` on the demo (both stores) — every file
valid against the request schema of the endpoint it is posted to and the schema of its
type in Digdir's OpenAPI document (OpenAPI 3.0 write rules), identical on a second
export, a Moetemappe per published meeting; no screened word and no name of the people
register in any ``offentligTittel``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from caseflow.archive.einnsyn.mapping import einnsyn_objects, register_names
from caseflow.archive.einnsyn.meetings import published
from caseflow.archive.einnsyn.titles import PublicTitles
from caseflow.demo.documents import minimal_pdf
from caseflow.domain.case import Case
from caseflow.domain.documents import documents_of
from caseflow.persistence import open_application
from tests.archive.einnsyn_server import ENTITY, Spec, caseflow_cli, load_demo
from tests.conftest import postgres_schema
from tests.world import World

#: Each demo store's attachment folder, by its URL.
ATTACHMENTS: dict[str, Path] = {}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("einnsyn-export")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp}/demo.sqlite3"
        ATTACHMENTS[url] = tmp / "attachments"
        load_demo(url, tmp / "attachments")
        yield url
        return
    with postgres_schema("einx_") as url:
        ATTACHMENTS[url] = tmp / "attachments"
        load_demo(url, tmp / "attachments")
        yield url


def export(url: str, outdir: Path) -> list[dict[str, Any]]:
    result = caseflow_cli(url, "archive", "einnsyn", str(outdir))
    assert result.exit_code == 0, result.output
    index = json.loads((outdir / "index.json").read_text(encoding="utf-8"))
    assert index["count"] == len(index["objects"])
    return index["objects"]


def create_schema(spec: Spec, path: str) -> dict[str, Any]:
    found = spec.operation("POST", path.replace("{id}", "x"))
    assert found is not None, path
    schema = spec.request_schema(found[1])
    assert schema is not None, path
    return schema


def test_the_demo_export_validates_against_einnsyn_schemas(
    demo_url: str, tmp_path: Path, standards_dir: Path
) -> None:
    spec = Spec(standards_dir / "einnsyn" / "einnsyn.openapi.yml")
    entries = export(demo_url, tmp_path / "a")
    assert [e["entity"] for e in entries[:2]] == ["arkiv", "arkivdel"]
    errors = {}
    for entry in entries:
        body = json.loads((tmp_path / "a" / entry["file"]).read_text(encoding="utf-8"))
        found = spec.validator(create_schema(spec, entry["path"])).iter_errors(body)
        messages = [e.message for e in found]  # the request schema of its endpoint
        name = ENTITY[entry["entity"]]
        messages += spec.schema_errors(f"{name}.{name}", body)  # and its type's own
        if messages:
            errors[entry["file"]] = messages
    assert errors == {}
    kinds = {e["entity"] for e in entries}
    assert {"moetemappe", "moetesak", "moetedokument", "saksmappe", "journalpost"} <= kinds
    assert {"dokumentbeskrivelse", "dokumentobjekt"} <= kinds


def test_a_second_export_is_identical(demo_url: str, tmp_path: Path) -> None:
    first = export(demo_url, tmp_path / "a")
    second = export(demo_url, tmp_path / "b")
    assert first == second
    for entry in first:
        assert (tmp_path / "a" / entry["file"]).read_bytes() == (
            tmp_path / "b" / entry["file"]
        ).read_bytes()


def test_a_moetemappe_per_published_meeting_with_its_items(demo_url: str) -> None:
    app, _ = open_application(demo_url)
    try:
        objects = einnsyn_objects(app)
        with app.reading():
            meetings = [m for m in app.meeting_queries.all_meetings() if published(m)]
    finally:
        app.close()
    mapper = {o.body["externalId"].split(":")[2]: o for o in objects if o.entity == "moetemappe"}
    assert len(mapper) == len(meetings) > 0
    for m in meetings:
        mappe = mapper[str(m.id)]
        assert mappe.body["moetedato"] == m.starts_at.isoformat()
        saker = [o for o in objects if o.entity == "moetesak" and o.parent is mappe]
        assert len(saker) == sum(1 for i in m.items if i.number is not None)


def screened_words(app: Any) -> set[str]:
    """Every screened word of every case, document and agenda item in the store."""
    words: set[str] = set()
    for case_id in app.case_ids():
        with app.reading():
            case = app.for_query(Case, case_id)
            if case.screening is not None:
                words.update(case.screening.words)
            for d in documents_of(case).values():
                if d.screening is not None:
                    words.update(d.screening.words)
    with app.reading():
        for m in app.meeting_queries.all_meetings():
            for i in m.items:
                if i.screening is not None:
                    words.update(i.screening.words)
    return words


def public_texts(objects: list[Any]) -> list[str]:
    """What stays public and searchable: offentligTittel, a document's public tittel."""
    return [
        str(o.body[field])
        for o in objects
        for field in ("offentligTittel", "tittel")
        if field in o.body and o.entity != "arkiv" and o.entity != "arkivdel"
    ]


def assert_clean(texts: list[str], words: set[str], titles: PublicTitles) -> None:
    for text in texts:
        assert not titles.has_name(text), text
        lowered = text.lower()
        assert not [w for w in words if w.lower() in lowered], text


def test_no_screened_word_nor_name_in_the_demo_offentlig_tittel(demo_url: str) -> None:
    app, _ = open_application(demo_url)
    try:
        objects = einnsyn_objects(app)
        words = screened_words(app)
        titles = PublicTitles(register_names(app))
    finally:
        app.close()
    assert words  # the fixture screened a case and its document
    assert [o for o in objects if o.entity == "skjerming"]
    sensitive = [
        o for o in objects if words & set(str(o.body.get("offentligTittelSensitiv")).split())
    ]
    assert sensitive  # the full titles are there, for those who may read them
    assert_clean(public_texts(objects), words, titles)


def test_screened_words_and_names_are_masked_the_sensitive_title_keeps_them(
    app: Any, tmp_path: Path
) -> None:
    w = World.build(app)
    case = w.submitted(title="Avtale med Tor Transport om leie hos Hemmelig Eiendom AS")
    app.screen_case(w["sekretariat"], case.id, "Offl. § 23", ["Hemmelig Eiendom AS"])
    pdf = minimal_pdf("Vedlegg", ["Tilbud fra Hemmelig Eiendom AS"])
    app.documents.add_document(
        w["sekretariat"],
        case.id,
        "tilbud.pdf",
        pdf,
        kind="vedlegg",
        title="Tilbud fra Hemmelig Eiendom AS ved Anne Areal",
    )
    documents = app.documents.case_documents(None, case.id).documents
    app.screen_document(
        w["sekretariat"], case.id, documents[0].id, "Offl. § 13 jf. fvl. § 13", ["Tilbud"]
    )
    app.send_invitation(w["sekretariat"], w.meetings["board"])
    objects = einnsyn_objects(app)
    saksmappe = next(o for o in objects if o.entity == "saksmappe")
    assert "Tor Transport" not in saksmappe.body["offentligTittel"]
    assert "Hemmelig" not in saksmappe.body["offentligTittel"]
    assert saksmappe.body["offentligTittelSensitiv"] == case.title
    journalpost = next(o for o in objects if o.entity == "journalpost")
    assert "Anne Areal" in journalpost.body["offentligTittelSensitiv"]
    skjerming = next(o for o in objects if o.entity == "skjerming")
    assert skjerming.body["skjermingshjemmel"] == "Offl. § 13 jf. fvl. § 13"
    assert skjerming.body["tilgangsrestriksjon"] == "13"
    assert not [o for o in objects if o.entity == "dokumentobjekt"]  # nothing public to fetch
    moetesak = next(
        o for o in objects if o.entity == "moetesak" and o.body["moetesakstype"] == "politisk"
    )
    assert "Hemmelig" not in moetesak.body["offentligTittel"]
    words = {"Hemmelig Eiendom AS", "Tilbud"}
    assert_clean(public_texts(objects), words, PublicTitles(register_names(app)))
    assert datetime.now(UTC)  # the export reads no clock


def test_every_dokumentobjekt_is_the_file_the_public_pages_serve(
    demo_url: str, tmp_path: Path
) -> None:
    from caseflow.persistence.attachments import AttachmentStore
    from web import create_app

    flask_app = create_app(
        {
            "DATABASE_URL": demo_url,
            "SECRET_KEY": "einnsyn-secret",
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    app = flask_app.extensions["caseflow"]
    app.use_attachment_store(AttachmentStore.from_settings(str(ATTACHMENTS[demo_url])))
    try:
        objects = einnsyn_objects(app, "http://localhost")
        client = flask_app.test_client()
        files = [o for o in objects if o.entity == "dokumentobjekt"]
        assert files
        for o in files:
            answer = client.get(o.body["referanseDokumentfil"].removeprefix("http://localhost"))
            assert answer.status_code == 200, o.body["referanseDokumentfil"]
            assert hashlib.sha256(answer.data).hexdigest() == o.body["sjekksum"]
        screened = [o for o in objects if o.entity == "skjerming"]
        for o in screened:  # no file for a screened document, and the pages serve none
            _, _, case_id, document_id = o.external_id.split(":")
            assert client.get(f"/offentlig/dokumenter/{case_id}/{document_id}").status_code == 404
    finally:
        app.close()

"""Issue 14: case documents (saksframlegg, vedlegg) — files checked by content, kept in
every version with SHA-256, who and when; permission (R1, R9) in the application; a
refusal records nothing and stores no file. On a real SQLite file and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from caseflow.application import Caseflow
from caseflow.application.files import DOCX, ODT, PDF, XLSX, sniff_media_type
from caseflow.demo.documents import minimal_pdf
from caseflow.domain.case import Case
from caseflow.domain.documents import documents_of
from caseflow.domain.errors import (
    InvalidInput,
    InvalidTransition,
    NotFoundError,
    NotPermitted,
    StaleVersion,
)
from caseflow.persistence.document_text import document_text
from tests.world import World

SAKSFRAMLEGG = minimal_pdf("Saksframlegg", ["Bakgrunn for saken om Oslofjorden."])


def office_zip(kind: str, text: str = "Hei verden") -> bytes:
    """A minimal DOCX, XLSX or ODT: the ZIP members that tell them apart."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        if kind == "odt":
            z.writestr("mimetype", ODT)
            z.writestr(
                "content.xml",
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                'xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body>"
                "</office:document-content>",
            )
        else:
            z.writestr("[Content_Types].xml", "<Types/>")
            if kind == "docx":
                z.writestr(
                    "word/document.xml",
                    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                    f'2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>'
                    "</w:document>",
                )
            else:
                z.writestr("xl/workbook.xml", "<workbook/>")
                z.writestr("xl/sharedStrings.xml", f"<sst><si><t>{text}</t></si></sst>")
    return buffer.getvalue()


def files_in(app: Caseflow) -> list[Path]:
    root = Path(app.attachment_store.directory)  # type: ignore[attr-defined]
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_case_document_is_kept_in_versions_with_hash_who_and_when(world: World) -> None:
    app = world.app
    case = world.accepted()
    first = app.documents.add_document(
        world["sekretariat"],
        case.id,
        "saksframlegg.pdf",
        SAKSFRAMLEGG,
        kind="saksframlegg",
        title="Saksframlegg",
        expected_version=case.version,
    )
    doc = first.document
    assert doc is not None
    assert first.case_version == case.version + 1
    second_pdf = minimal_pdf("Saksframlegg", ["Revidert."])
    again = app.documents.add_version(
        world["sekretariat"],
        case.id,
        doc.id,
        "saksframlegg-v2.pdf",
        second_pdf,
        expected_version=first.case_version,
    )
    assert again.document is not None
    assert again.document.id == doc.id
    versions = again.document.versions
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].sha256 == hashlib.sha256(SAKSFRAMLEGG).hexdigest()
    assert versions[1].size == len(second_pdf)
    assert versions[1].media_type == PDF
    assert versions[1].actor == world["sekretariat"].hex
    assert versions[1].role == "secretariat"
    assert versions[1].at >= versions[0].at
    # older versions stay downloadable, hash-verified
    _, v1, data = app.documents.document_file(world["revisor"], case.id, doc.id, 1)
    assert data == SAKSFRAMLEGG
    assert v1.filename == "saksframlegg.pdf"
    assert app.documents.document_file(world["revisor"], case.id, doc.id, 2)[2] == second_pdf
    with pytest.raises(NotFoundError):
        app.documents.document_file(world["revisor"], case.id, doc.id, 3)
    # the history replays from the store (a fresh read, not the cache)
    stored = app.repository.get(case.id)
    assert isinstance(stored, Case)
    assert documents_of(stored)[doc.id].versions == versions


def test_a_second_case_document_is_a_new_version_not_a_new_document(world: World) -> None:
    app = world.app
    case = world.accepted()
    app.documents.add_document(
        world["sekretariat"], case.id, "a.pdf", SAKSFRAMLEGG, kind="saksframlegg", title="S"
    )
    with pytest.raises(InvalidTransition, match="new version"):
        app.documents.add_document(
            world["sekretariat"], case.id, "b.pdf", SAKSFRAMLEGG, kind="saksframlegg", title="S"
        )
    vedlegg = app.documents.add_document(
        world["sekretariat"],
        case.id,
        "tall.xlsx",
        office_zip("xlsx"),
        kind="vedlegg",
        title="Tall",
        screened=True,
        legal_basis="Offl. § 14",
    )
    assert [d.kind.value for d in vedlegg.documents] == ["saksframlegg", "vedlegg"]
    assert vedlegg.document is not None
    assert vedlegg.document.screened
    assert vedlegg.document.legal_basis == "Offl. § 14"
    assert vedlegg.document.current.media_type == XLSX


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("notat.txt", b"just text\n", "only PDF, DOCX, ODT, XLSX, PNG and JPEG"),
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "only PDF, DOCX, ODT, XLSX, PNG and JPEG"),
        ("fake.docx", b"PK\x03\x04 broken zip", "only PDF, DOCX, ODT, XLSX, PNG and JPEG"),
        ("saksframlegg.docx", SAKSFRAMLEGG, "its name must end in .pdf"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_file_is_checked_by_its_content_and_a_refusal_records_nothing(
    world: World, name: str, data: bytes, why: str
) -> None:
    app = world.app
    case = world.accepted()
    with pytest.raises(InvalidInput, match=why) as refused:
        app.documents.add_document(
            world["sekretariat"], case.id, name, data, kind="vedlegg", title="Vedlegg"
        )
    assert refused.value.fields is not None
    assert "file" in refused.value.fields
    assert app.get_case(world["sekretariat"], case.id).version == case.version
    assert files_in(app) == []


def test_the_size_limit_comes_from_the_settings(world: World) -> None:
    app = world.app
    case = world.accepted()
    app.settings = replace(app.settings, document_max_bytes=len(SAKSFRAMLEGG) - 1)
    with pytest.raises(InvalidInput, match="larger than") as refused:
        app.documents.add_document(
            world["sekretariat"], case.id, "s.pdf", SAKSFRAMLEGG, kind="saksframlegg", title="S"
        )
    assert refused.value.fields is not None
    assert list(refused.value.fields) == ["file"]
    assert files_in(app) == []


def test_fields_are_checked_and_named(world: World) -> None:
    app = world.app
    case = world.accepted()
    with pytest.raises(InvalidInput) as refused:
        app.documents.add_document(
            world["sekretariat"],
            case.id,
            "s.pdf",
            SAKSFRAMLEGG,
            kind="protokoll",
            title=" ",
            legal_basis="Offl. § 14",
        )
    assert refused.value.fields is not None
    assert set(refused.value.fields) == {"kind", "title", "legal_basis"}
    assert files_in(app) == []


def test_the_proposing_group_adds_documents_until_the_case_is_ready(world: World) -> None:
    app = world.app
    case = world.proposed()
    added = app.documents.add_document(
        world["atp"], case.id, "innspill.docx", office_zip("docx"), kind="vedlegg", title="Innspill"
    )
    assert added.document is not None
    assert added.document.current.role == "atp:member"
    assert added.document.current.media_type == DOCX
    with pytest.raises(NotPermitted) as observer:
        app.documents.add_document(
            world["observator"], case.id, "o.pdf", SAKSFRAMLEGG, kind="vedlegg", title="O"
        )
    assert observer.value.rule == "R9"
    with pytest.raises(NotFoundError):  # KG does not see a proposal yet
        app.documents.add_document(
            world["kg"], case.id, "k.pdf", SAKSFRAMLEGG, kind="vedlegg", title="K"
        )
    app.accept_case(world["sekretariat"], case.id, world["sekretariat"])
    with pytest.raises(NotPermitted) as outsider:
        app.documents.add_document(
            world["kg"], case.id, "k.pdf", SAKSFRAMLEGG, kind="vedlegg", title="K"
        )
    assert outsider.value.rule == "R1"
    ready = world.ready()
    with pytest.raises(NotPermitted) as late:
        app.documents.add_document(
            world["atp"], ready.id, "sent.pdf", SAKSFRAMLEGG, kind="vedlegg", title="Sent"
        )
    assert late.value.rule == "R1"
    assert app.get_case(world["sekretariat"], ready.id).version == ready.version


def test_a_stale_version_and_a_closed_case_are_refused(world: World) -> None:
    app = world.app
    case = world.accepted()
    with pytest.raises(StaleVersion):
        app.documents.add_document(
            world["sekretariat"],
            case.id,
            "s.pdf",
            SAKSFRAMLEGG,
            kind="saksframlegg",
            title="S",
            expected_version=case.version - 1,
        )
    closed = app.withdraw_case(world["sekretariat"], case.id, "Trukket av gruppen")
    with pytest.raises(InvalidTransition):
        app.documents.add_document(
            world["sekretariat"], closed.id, "s.pdf", SAKSFRAMLEGG, kind="vedlegg", title="S"
        )
    assert files_in(app) == []


def test_documents_are_read_as_the_case_is_seen(world: World) -> None:
    app = world.app
    case = world.proposed()  # KG does not see a proposal yet
    added = app.documents.add_document(
        world["sekretariat"], case.id, "s.pdf", SAKSFRAMLEGG, kind="saksframlegg", title="S"
    )
    assert added.document is not None
    with pytest.raises(NotFoundError):
        app.documents.case_documents(world["kg"], case.id)
    with pytest.raises(NotFoundError):
        app.documents.document_file(world["kg"], case.id, added.document.id, 1)
    assert app.documents.documents_by_case(world["kg"], [case.id]) == {}
    seen = app.documents.documents_by_case(world["atp"], [case.id])
    assert [d.title for d in seen[case.id]] == ["S"]
    assert len(app.documents.case_documents(world["observator"], case.id).documents) == 1


def test_document_text_reads_pdf_docx_odt_and_xlsx() -> None:
    assert "Oslofjorden" in document_text(PDF, SAKSFRAMLEGG)
    assert document_text(DOCX, office_zip("docx", "Grønn næringstransport")) == (
        "Grønn næringstransport"
    )
    assert document_text(ODT, office_zip("odt", "Kraft og energi")) == "Kraft og energi"
    assert document_text(XLSX, office_zip("xlsx", "Sum")) == "Sum"
    assert document_text("image/png", b"\x89PNG\r\n\x1a\n") == ""
    assert document_text(PDF, b"%PDF-1.4 damaged") == ""
    assert sniff_media_type(office_zip("xlsx")) == XLSX
    assert sniff_media_type(office_zip("odt")) == ODT


def test_the_cli_attaches_lists_and_writes_documents_with_the_same_checks(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from caseflow.cli import main
    from caseflow.persistence import open_application

    monkeypatch.setenv("CASEFLOW_ATTACHMENTS_DIR", str(tmp_path / "files"))
    app, _ = open_application(store_url)
    try:
        world = World.build(app)
        case = world.accepted()
    finally:
        app.close()

    def cli(*args: str) -> Any:
        return CliRunner().invoke(main, ["--database-url", store_url, "case", *args])

    pdf = tmp_path / "saksframlegg.pdf"
    pdf.write_bytes(SAKSFRAMLEGG)
    as_secretariat = ("--as", "sekretariat@test.caseflow.no")
    done = cli(
        "attach",
        case.reference,
        str(pdf),
        "--kind",
        "saksframlegg",
        "--title",
        "S",
        *as_secretariat,
    )
    assert done.exit_code == 0, done.output
    document_id = done.output.split()[1]
    assert hashlib.sha256(SAKSFRAMLEGG).hexdigest() in done.output
    text = tmp_path / "notat.txt"
    text.write_bytes(b"bare tekst\n")
    refused = cli("attach", case.reference, str(text), "--title", "T", *as_secretariat)
    assert refused.exit_code == 1
    assert "XLSX" in refused.output
    observer = cli(
        "attach", case.reference, str(pdf), "--title", "O", "--as", "observator@test.caseflow.no"
    )
    assert observer.exit_code == 1
    assert "R9" in observer.output
    version = cli(
        "attach", case.reference, str(pdf), "--document", document_id, "--screened", *as_secretariat
    )
    assert version.exit_code == 0, version.output
    assert "version 2" in version.output
    listed = json.loads(cli("documents", case.reference, "--json").output)
    assert [len(d["versions"]) for d in listed["documents"]] == [2]
    out = tmp_path / "out.pdf"
    written = cli("document", case.reference, document_id, "--version", "1", "-o", str(out))
    assert written.exit_code == 0, written.output
    assert out.read_bytes() == SAKSFRAMLEGG

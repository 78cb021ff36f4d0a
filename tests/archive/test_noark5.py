"""Issue 18: the Noark 5 v5.0 arkivuttrekk of the demo (loaded through the application,
with a screened case and a screened document) on SQLite and PostgreSQL — valid against
Arkivverket's schemas, every checksum right, systemIDs stable across exports, screened
entries carrying skjerming and the public journal without a screened word, the
endringslogg matching the events, ``--year`` keeping to its year."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from caseflow.application import Settings
from caseflow.archive.noark5 import export_noark5
from caseflow.archive.noark5.changes import STATUS_AFTER
from caseflow.archive.noark5.values import local_year, status_label
from caseflow.cli import main
from caseflow.domain.errors import InvalidInput
from caseflow.persistence import open_application
from caseflow.persistence.attachments import AttachmentStore
from tests.conftest import postgres_schema

PRESENT = "2026-11-28T12:00:00+00:00"
SECRETARIAT = "sekretariat@demo.caseflow.no"
NS = {
    "a": "http://www.arkivverket.no/standarder/noark5/arkivstruktur",
    "e": "http://www.arkivverket.no/standarder/noark5/endringslogg",
    "o": "http://www.arkivverket.no/standarder/noark5/offentligJournal",
    "l": "http://www.arkivverket.no/standarder/noark5/loependeJournal",
    "d": "http://www.arkivverket.no/standarder/addml",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
SCHEMAS = {
    "arkivstruktur.xml": "noark5/v5.0/arkivstruktur.xsd",
    "endringslogg.xml": "noark5/v5.0/endringslogg.xsd",
    "loependeJournal.xml": "noark5/v5.0/loependeJournal.xsd",
    "offentligJournal.xml": "noark5/v5.0/offentligJournal.xsd",
    "arkivuttrekk.xml": "addml/v8.3/addml.xsd",
}


def _own_word(case: Any, document: Any, cases: list[Any]) -> str | None:
    """A word (five letters or more) of both the case's and the document's title that no
    other case's title or document title has."""
    others = " ".join(
        title
        for c in cases
        if c.id != case.id
        for title in [c.title, *(d.title for d in getattr(c, "case_documents", {}).values())]
    ).casefold()
    for word in sorted(case.title.split(), key=len, reverse=True):
        word = word.strip(".,:;()–-")
        if len(word) >= 5 and word in document.title and word.casefold() not in others:
            return word
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Demo:
    """The demo store, with one case screened by the secretariat (for a word of its title
    and of its document's that no other title has) and a document of another case."""

    def __init__(self, url: str, attachments: Path) -> None:
        self.url, self.attachments = url, attachments
        self.app, _ = open_application(url, Settings())
        self.app.use_attachment_store(AttachmentStore(attachments))
        secretariat = self.app.find_person_by_email(SECRETARIAT)
        assert secretariat is not None
        self.secretariat = secretariat.id
        cases = [self.app.load_case(cid) for cid in self.app.case_ids()]
        self.case, self.document, word = next(
            (c, d, w)
            for c in cases
            for d in getattr(c, "case_documents", {}).values()
            if (w := _own_word(c, d, cases))
        )
        self.app.screen_case(self.secretariat, self.case.id, "Offl. § 23", [word])
        # the case's own document stays unscreened (the case's words are masked in its
        # public title); a document of another case is screened
        self.document_case = next(
            c for c in cases if c.id != self.case.id and getattr(c, "case_documents", None)
        )
        self.document = next(iter(self.document_case.case_documents.values()))
        self.doc_word = max(self.document.title.split(), key=len)
        self.app.screen_document(
            self.secretariat,
            self.document_case.id,
            self.document.id,
            "Offl. § 13 jf. fvl. § 13",
            [self.doc_word],
        )
        self.word = word
        self.case = self.app.load_case(self.case.id)

    def close(self) -> None:
        self.app.close()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("noark5-demo")
    attachments = folder / "attachments"

    def load(url: str) -> Iterator[Demo]:
        env = {**os.environ, "CASEFLOW_ATTACHMENTS_DIR": str(attachments)}
        result = CliRunner(env=env).invoke(
            main, ["--database-url", url, "demo", "--present", PRESENT, "--quiet"]
        )
        assert result.exit_code == 0, result.output
        loaded = Demo(url, attachments)
        try:
            yield loaded
        finally:
            loaded.close()

    if request.param == "sqlite":
        yield from load(f"sqlite:///{folder}/caseflow.sqlite3")
        return
    with postgres_schema("n5_") as url:
        yield from load(url)


@pytest.fixture(scope="module")
def extracts(demo: Demo, tmp_path_factory: Any, standards_dir: Path) -> tuple[Path, Path]:
    """The demo exported twice (the schemas copied into the package)."""
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    export_noark5(demo.app, first, standards=standards_dir)
    export_noark5(demo.app, second, standards=standards_dir)
    return first, second


def parse(folder: Path, name: str) -> Any:
    return etree.parse(str(folder / name))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_file_validates_against_the_published_schema(
    extracts: tuple[Path, Path], standards_dir: Path, name: str
) -> None:
    schema = etree.XMLSchema(etree.parse(str(standards_dir / SCHEMAS[name])))
    valid = schema.validate(parse(extracts[0], name))
    assert valid, [str(e) for e in list(schema.error_log)[:5]]


def test_every_document_file_is_there_with_its_checksum_and_size(
    extracts: tuple[Path, Path],
) -> None:
    folder = extracts[0]
    objects = parse(folder, "arkivstruktur.xml").xpath("//a:dokumentobjekt", namespaces=NS)
    assert len(objects) > 50
    for o in objects:
        path = folder / o.findtext("a:referanseDokumentfil", namespaces=NS)
        assert o.findtext("a:sjekksumAlgoritme", namespaces=NS) == "SHA-256"
        assert _sha256(path) == o.findtext("a:sjekksum", namespaces=NS), path
        assert path.stat().st_size == int(o.findtext("a:filstoerrelse", namespaces=NS))


def test_the_package_description_gives_every_file_its_sha256(extracts: tuple[Path, Path]) -> None:
    folder = extracts[0]
    listed: dict[str, str] = {}
    for f in parse(folder, "arkivuttrekk.xml").xpath(
        "//d:property[@name='file']/d:properties", namespaces=NS
    ):
        name = f.xpath("d:property[@name='name']/d:value/text()", namespaces=NS)[0]
        sha = f.xpath(
            "d:property[@name='checksum']//d:property[@name='value']/d:value/text()",
            namespaces=NS,
        )
        listed[name] = sha[0]
    documents = {f"DOKUMENT/{p.name}" for p in (folder / "DOKUMENT").iterdir()}
    xml = {p.name for p in folder.glob("*.x*")} - {"arkivuttrekk.xml", "addml.xsd"}
    assert set(listed) == documents | xml
    for name, sha in listed.items():
        assert _sha256(folder / name) == sha, name


def _system_ids(folder: Path) -> list[str]:
    return parse(folder, "arkivstruktur.xml").xpath("//a:systemID/text()", namespaces=NS)


def test_system_ids_are_stable_across_exports_and_unique(extracts: tuple[Path, Path]) -> None:
    first, second = (_system_ids(f) for f in extracts)
    assert first == second
    assert len(set(first)) == len(first)


def test_a_case_is_a_saksmappe_with_its_id_and_a_meeting_a_moetemappe(
    extracts: tuple[Path, Path], demo: Demo
) -> None:
    tree = parse(extracts[0], "arkivstruktur.xml")
    folder = tree.xpath(f"//a:mappe[a:systemID='{demo.case.id}']", namespaces=NS)[0]
    assert folder.get(f"{{{NS['xsi']}}}type") == "saksmappe"
    assert folder.findtext("a:mappeID", namespaces=NS) == demo.case.reference
    meetings = tree.xpath("//a:mappe[@xsi:type='moetemappe']", namespaces=NS)
    assert meetings
    codes = set(tree.xpath("//a:moeteregistreringstype/text()", namespaces=NS))
    assert {"Saksliste", "Møteinnkalling", "Saksframlegg", "Saksprotokoll"} <= codes


def test_screened_entries_carry_skjerming_with_their_legal_basis(
    extracts: tuple[Path, Path], demo: Demo
) -> None:
    tree = parse(extracts[0], "arkivstruktur.xml")
    folder = tree.xpath(f"//a:mappe[a:systemID='{demo.case.id}']", namespaces=NS)[0]
    assert folder.findtext("a:skjerming/a:skjermingshjemmel", namespaces=NS) == "Offl. § 23"
    assert folder.findtext("a:skjerming/a:tilgangsrestriksjon", namespaces=NS) == "23"
    assert folder.findtext("a:offentligTittel", namespaces=NS) == demo.case.public_title
    assert "****" in demo.case.public_title
    doc = tree.xpath(
        f"//a:registrering[a:dokumentbeskrivelse/a:tittel='{demo.document.title}']", namespaces=NS
    )[0]
    basis = doc.findtext("a:skjerming/a:skjermingshjemmel", namespaces=NS)
    assert basis == "Offl. § 13 jf. fvl. § 13"
    assert "****" in doc.findtext("a:offentligTittel", namespaces=NS)
    assert demo.doc_word not in doc.findtext("a:offentligTittel", namespaces=NS)


def test_the_public_journal_has_public_titles_only(extracts: tuple[Path, Path], demo: Demo) -> None:
    text = (extracts[0] / "offentligJournal.xml").read_text(encoding="utf-8")
    assert demo.word.casefold() not in text.casefold()  # nor in its document's entry
    assert "<tittel>" not in text
    assert "Offl. § 23" in text
    assert demo.word in (extracts[0] / "loependeJournal.xml").read_text(encoding="utf-8")


def test_the_endringslogg_matches_the_events(extracts: tuple[Path, Path], demo: Demo) -> None:
    events = list(demo.app.events.get(demo.case.id))
    moves = [type(e).__name__ for e in events if type(e).__name__ in STATUS_AFTER]
    tree = parse(extracts[0], "endringslogg.xml")
    mine = tree.xpath(f"//e:endring[e:referanseArkivenhet='{demo.case.id}']", namespaces=NS)
    status = [e for e in mine if e.findtext("e:referanseMetadata", namespaces=NS) == "saksstatus"]
    assert len(status) == len(moves)
    assert status[0].findtext("e:tidligereVerdi", namespaces=NS) == status_label("proposed")
    assert status[-1].findtext("e:nyVerdi", namespaces=NS) == status_label(demo.case.status)
    titles = [
        e for e in mine if e.findtext("e:referanseMetadata", namespaces=NS) == "offentligTittel"
    ]
    assert [t.findtext("e:tidligereVerdi", namespaces=NS) for t in titles] == [demo.case.title]
    assert titles[0].findtext("e:endretAv", namespaces=NS) == "Hanne Lund"


def test_a_year_extract_holds_that_years_cases_and_meetings(
    demo: Demo, tmp_path: Path, standards_dir: Path
) -> None:
    year = local_year(demo.case.status_since or demo.app.load_case(demo.case.id).status_since)
    report = export_noark5(demo.app, tmp_path, year=year)
    assert report.cases > 0
    tree = parse(tmp_path, "arkivstruktur.xml")
    created = tree.xpath("//a:mappe[@xsi:type='saksmappe']/a:opprettetDato/text()", namespaces=NS)
    assert {c[:4] for c in created} == {str(year)}
    days = tree.xpath("//a:moetedato/text()", namespaces=NS)
    assert {d[:4] for d in days} == {str(year)}
    schema = etree.XMLSchema(etree.parse(str(standards_dir / SCHEMAS["arkivstruktur.xml"])))
    assert schema.validate(tree)


def test_a_year_without_cases_is_refused_naming_the_year(demo: Demo, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="nothing to extract") as refused:
        export_noark5(demo.app, tmp_path / "empty", year=1999)
    assert refused.value.field_name == "year"
    assert not (tmp_path / "empty").exists()


def test_the_command_line_writes_the_extract_into_an_empty_folder(
    demo: Demo, tmp_path: Path
) -> None:
    if not demo.url.startswith("sqlite"):
        pytest.skip("the command line is the same on both stores: run once, on SQLite")
    env = {**os.environ, "CASEFLOW_ATTACHMENTS_DIR": str(demo.attachments)}
    out = tmp_path / "uttrekk"
    result = CliRunner(env=env).invoke(
        main, ["--database-url", demo.url, "archive", "noark5", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "arkivuttrekk.xml").exists()
    again = CliRunner(env=env).invoke(
        main, ["--database-url", demo.url, "archive", "noark5", str(out)]
    )
    assert again.exit_code == 2


def test_every_decided_case_has_a_saksprotokoll_in_its_meeting(
    extracts: tuple[Path, Path], demo: Demo
) -> None:
    tree = parse(extracts[0], "arkivstruktur.xml")
    decided = [
        c for cid in demo.app.case_ids() if (c := demo.app.load_case(cid)).status.value == "decided"
    ]
    assert decided
    for case in decided:
        meeting = tree.xpath(f"//a:mappe[a:systemID='{case.submission.meeting_id}']", namespaces=NS)
        found = meeting[0].xpath(
            "a:registrering[a:moeteregistreringstype='Saksprotokoll']"
            f"[a:kryssreferanse/a:referanseTilMappe='{case.id}']",
            namespaces=NS,
        )
        assert len(found) == 1, case.reference

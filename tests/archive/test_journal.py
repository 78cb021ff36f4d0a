"""Issue 18 follow-up: one journal numbering for the Noark 5 extract and the eInnsyn export
(``caseflow/archive/journal.py``) — the sequence restarts each journal year in Oslo time,
follows the log, and a number once given never changes when a later document arrives; on
the demo (both stores) the two exports give every document journalpost the same
journalaar and journalsekvensnummer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from lxml import etree

from caseflow.archive import journal as j
from caseflow.archive.einnsyn.mapping import einnsyn_objects
from caseflow.archive.noark5 import export_noark5, ids
from caseflow.archive.noark5.cases import JOURNALLED
from caseflow.demo.documents import minimal_pdf
from caseflow.domain.documents import documents_of
from caseflow.persistence import open_application
from caseflow.persistence.attachments import AttachmentStore
from tests.archive.einnsyn_server import SECRETARIAT, load_demo
from tests.conftest import postgres_schema

A = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
L = "http://www.arkivverket.no/standarder/noark5/loependeJournal"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

Numbers = dict[str, tuple[int, int]]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_the_sequence_restarts_each_oslo_year_in_log_order() -> None:
    document = uuid4()
    registrations = [
        j.Registration(1, at("2025-03-01T10:00:00+01:00")),
        j.Registration(2, at("2025-12-31T22:00:00+00:00")),
        j.Registration(3, at("2025-12-31T22:59:00+00:00"), document),
        j.Registration(4, at("2026-01-01T00:30:00+01:00")),  # 2025-12-31 23:30 UTC
        j.Registration(7, at("2026-02-01T10:00:00+01:00")),
    ]
    numbered = j.number(registrations)
    assert [numbered.at(p) for p in (1, 2, 3, 4, 7)] == [
        j.JournalNumber(2025, 1),
        j.JournalNumber(2025, 2),
        j.JournalNumber(2025, 3),
        j.JournalNumber(2026, 1),  # Oslo's new year
        j.JournalNumber(2026, 2),
    ]
    assert numbered.of_document(document) == j.JournalNumber(2025, 3)
    with pytest.raises(KeyError):
        numbered.at(5)  # no registration there
    later = j.number([*registrations, j.Registration(9, at("2026-06-01T10:00:00+00:00"))])
    # appended at the log's end, a registration never renumbers the earlier ones
    assert [later.at(p) for p in (1, 2, 3, 4, 7)] == [numbered.at(p) for p in (1, 2, 3, 4, 7)]
    assert later.at(9) == j.JournalNumber(2026, 3)


def test_registrations_out_of_log_order_are_refused() -> None:
    with pytest.raises(ValueError, match="log order"):
        j.number(
            [
                j.Registration(2, at("2025-01-02T10:00:00+00:00")),
                j.Registration(1, at("2025-01-01T10:00:00+00:00")),
            ]
        )


def test_the_journal_numbers_every_step_the_extract_journals() -> None:
    assert set(JOURNALLED) == set(j.JOURNALLED_STEPS)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("journal")
    attachments = tmp / "attachments"

    def opened(url: str) -> Iterator[Any]:
        load_demo(url, attachments)
        app, _ = open_application(url)
        app.use_attachment_store(AttachmentStore(attachments))
        try:
            yield app
        finally:
            app.close()

    if request.param == "sqlite":
        yield from opened(f"sqlite:///{tmp}/demo.sqlite3")
        return
    with postgres_schema("jnl_") as url:
        yield from opened(url)


def noark_numbers(app: Any, outdir: Path) -> tuple[Numbers, Numbers]:
    """Every journalpost's (journalaar, journalsekvensnummer) by systemID, in the
    arkivstruktur and in the løpende journal."""
    export_noark5(app, outdir)
    structure: Numbers = {}
    for r in etree.parse(str(outdir / "arkivstruktur.xml")).iter(f"{{{A}}}registrering"):
        if r.get(XSI_TYPE) == "journalpost":
            structure[r.findtext(f"{{{A}}}systemID")] = (
                int(r.findtext(f"{{{A}}}journalaar")),
                int(r.findtext(f"{{{A}}}journalsekvensnummer")),
            )
    journal: Numbers = {}
    for p in etree.parse(str(outdir / "loependeJournal.xml")).iter(f"{{{L}}}journalpost"):
        journal[p.findtext(f"{{{L}}}systemID")] = (
            int(p.findtext(f"{{{L}}}journalaar")),
            int(p.findtext(f"{{{L}}}journalsekvensnummer")),
        )
    return structure, journal


def einnsyn_numbers(app: Any) -> Numbers:
    """Every eInnsyn journalpost's numbers by the systemID Noark gives the same document."""
    found: Numbers = {}
    for o in einnsyn_objects(app):
        if o.entity == "journalpost":
            _, _, case_id, document_id = o.external_id.split(":")
            key = ids.entry_id(UUID(case_id), ids.journalpost_role("document", document_id))
            found[key] = (o.body["journalaar"], o.body["journalsekvensnummer"])
    return found


def assert_a_journal(numbers: Numbers) -> None:
    """Each year's sequence is 1, 2, … n: unique and without a gap (the extract holds
    every registration of the whole archive)."""
    by_year: dict[int, list[int]] = {}
    for year, sequence in numbers.values():
        by_year.setdefault(year, []).append(sequence)
    for year, sequences in by_year.items():
        assert sorted(sequences) == list(range(1, len(sequences) + 1)), year


def test_both_exports_give_each_document_the_same_numbers(demo: Any, tmp_path: Path) -> None:
    structure, journal = noark_numbers(demo, tmp_path / "noark5")
    assert structure == journal
    assert_a_journal(structure)
    published = einnsyn_numbers(demo)
    assert published  # the demo's cases have documents
    assert published.keys() <= structure.keys()
    assert {k: structure[k] for k in published} == published


def test_a_later_document_renumbers_nothing(demo: Any, tmp_path: Path) -> None:
    before, _ = noark_numbers(demo, tmp_path / "before")
    published_before = einnsyn_numbers(demo)
    secretariat = demo.find_person_by_email(SECRETARIAT)
    assert secretariat is not None
    cases = [demo.load_case(cid) for cid in demo.case_ids()]
    case = next(c for c in cases if not c.status.is_final)  # the first case still open
    known = set(documents_of(case))
    pdf = minimal_pdf("Tilleggsnotat", ["Et senere vedlegg."])
    demo.documents.add_document(
        secretariat.id, case.id, "tillegg.pdf", pdf, kind="vedlegg", title="Tilleggsnotat"
    )
    (added,) = set(documents_of(demo.load_case(case.id))) - known
    after, _ = noark_numbers(demo, tmp_path / "after")
    published_after = einnsyn_numbers(demo)
    assert {k: after[k] for k in before} == before
    assert {k: published_after[k] for k in published_before} == published_before
    new = ids.entry_id(case.id, ids.journalpost_role("document", str(added)))
    year, sequence = after[new]
    assert sequence == 1 + max((s for y, s in before.values() if y == year), default=0)
    assert published_after[new] == after[new]
    assert_a_journal(after)

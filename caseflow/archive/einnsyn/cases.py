"""A case as a Saksmappe, each case document as a Journalpost with its Skjerming (when
screened), Dokumentbeskrivelse and Dokumentobjekt (the current version's file: its
address, SHA-256 and media type) where the public pages serve the file: a case on a
published agenda, neither it nor the document screened (``web/public.py``'s rule).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from caseflow.archive.einnsyn.objects import EinnsynObject, make
from caseflow.archive.einnsyn.titles import (
    SCREENED_DOCUMENT,
    PublicTitles,
    screened_words,
    tilgangsrestriksjon,
)
from caseflow.archive.journal import Journal
from caseflow.domain.case import Case
from caseflow.domain.documents import CaseDocument, DocumentKind, documents_of
from caseflow.domain.localtime import local_date

#: A case document's public address, from the case's and the document's ids.
FileUrl = Callable[[UUID, UUID], str]

JOURNALPOSTTYPE = {
    DocumentKind.SAKSFRAMLEGG: "saksframlegg",
    DocumentKind.VEDLEGG: "organinternt_dokument_uten_oppfoelging",
}


@dataclass(frozen=True)
class CaseFacts:
    """What the export needs of one case (read once, kept small)."""

    id: UUID
    reference: str
    title: str
    public_title: str  # screened words masked (names not yet)
    words: tuple[str, ...]
    proposed_on: datetime
    documents: tuple[CaseDocument, ...]
    decided_at: UUID | None = None  # the meeting whose decision the case records
    resolution: str = ""
    screened: bool = False

    @property
    def year_and_number(self) -> tuple[int, int]:
        """``OR-2025-007`` → (2025, 7)."""
        _, year, number = self.reference.rsplit("-", 2)
        return int(year), int(number)


def case_facts(case: Case) -> CaseFacts:
    words = screened_words(case.screening)
    documents = sorted(documents_of(case).values(), key=lambda d: (d.versions[0].at, str(d.id)))
    return CaseFacts(
        id=case.id,
        reference=case.reference,
        title=case.title,
        public_title=case.public_title,
        words=words,
        proposed_on=case.created_on,
        documents=tuple(documents),
        decided_at=case.submission.meeting_id if case.resolution and case.submission else None,
        resolution=case.resolution or "",
        screened=case.screening is not None,
    )


def case_objects(
    case: CaseFacts,
    arkivdel: EinnsynObject,
    titles: PublicTitles,
    journal: Journal,
    file_url: FileUrl | None,
) -> Iterator[EinnsynObject]:
    """The case's Saksmappe, then per document its Journalpost and children."""
    year, number = case.year_and_number
    saksmappe = make(
        "saksmappe",
        (case.id,),
        arkivdel,
        {
            "offentligTittel": titles.public(case.public_title, case.words),
            "offentligTittelSensitiv": case.title,
            "saksaar": year,
            "sakssekvensnummer": number,
            "saksdato": local_date(case.proposed_on).isoformat(),
        },
        label=case.reference,
    )
    yield saksmappe
    for position, document in enumerate(case.documents, start=1):
        yield from document_objects(case, document, position, saksmappe, titles, journal, file_url)


def document_objects(
    case: CaseFacts,
    document: CaseDocument,
    position: int,
    saksmappe: EinnsynObject,
    titles: PublicTitles,
    journal: Journal,
    file_url: FileUrl | None,
) -> Iterator[EinnsynObject]:
    """A document's Journalpost, Skjerming, Dokumentbeskrivelse and (with ``file_url``:
    the file is public) Dokumentobjekt."""
    first = document.versions[0]
    registered = local_date(first.at)
    number = journal.of_document(document.id)
    public_title = _document_public_title(case, document, titles)
    label = f"{case.reference} #{position}"
    journalpost = make(
        "journalpost",
        (case.id, document.id),
        saksmappe,
        {
            "offentligTittel": public_title,
            "offentligTittelSensitiv": document.title,
            "journalaar": number.year,
            "journalsekvensnummer": number.sequence,
            "journalpostnummer": position,
            "journalposttype": JOURNALPOSTTYPE[document.kind],
            "journaldato": registered.isoformat(),
        },
        label=label,
    )
    yield journalpost
    if document.screened:
        yield make(
            "skjerming",
            (case.id, document.id),
            journalpost,
            {
                "tilgangsrestriksjon": tilgangsrestriksjon(document.legal_basis),
                "skjermingshjemmel": document.legal_basis,
            },
            label=label,
        )
    beskrivelse = make(
        "dokumentbeskrivelse",
        (case.id, document.id),
        journalpost,
        {
            "tittel": public_title,
            "tittelSensitiv": document.title,
            "dokumentnummer": 1,
            "dokumenttype": document.kind.value,
            "tilknyttetRegistreringSom": "hoveddokument",
        },
        label=label,
    )
    yield beskrivelse
    if file_url is not None and not document.screened and not case.screened:
        current = document.current
        yield make(
            "dokumentobjekt",
            (case.id, document.id),
            beskrivelse,
            {
                "referanseDokumentfil": file_url(case.id, document.id),
                "format": current.media_type,
                "sjekksum": current.sha256,
                "sjekksumAlgoritme": "SHA-256",
            },
            label=label,
        )


def _document_public_title(case: CaseFacts, document: CaseDocument, titles: PublicTitles) -> str:
    """A public document keeps its title, a screened one shows its screening's public
    title (or :data:`SCREENED_DOCUMENT` when screened at upload without one); the case's
    and the document's screened words and the names masked."""
    words = case.words + screened_words(document.screening)
    if document.screened:
        public = document.public_title if document.screening is not None else SCREENED_DOCUMENT
        return titles.public(public, words)
    return titles.public(document.title, words)

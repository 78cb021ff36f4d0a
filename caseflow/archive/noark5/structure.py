"""``arkivstruktur.xml``: arkiv → arkivdel → a saksmappe per case and a møtemappe per
meeting, written by streaming — one mappe (one aggregate) is built, written and dropped
at a time. The element order is the schema's (an extension's own elements follow its
base's, so a saksmappe's registreringer come before its saksaar)."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from caseflow.archive.noark5 import ids
from caseflow.archive.noark5 import values as v
from caseflow.archive.noark5.records import (
    DocumentRecord,
    Entry,
    FileVersion,
    Folder,
    Screen,
    journal_number,
)
from caseflow.archive.noark5.xml import Maker, RawWriter, document

M = Maker(v.NS_ARKIVSTRUKTUR)


@dataclass(frozen=True)
class ArchiveFacts:
    """The arkiv and its one arkivdel."""

    title: str
    part_title: str
    part_key: str
    opened_at: datetime
    closed_at: datetime
    period_start: str | None
    period_end: str | None
    closed: bool


def skjerming(parent: Any, screen: Screen | None) -> None:
    if screen is None:
        return
    s = M.add(parent, "skjerming")
    M.add(s, "tilgangsrestriksjon", screen.restriction)
    M.add(s, "skjermingshjemmel", screen.basis)
    for name in screen.metadata:
        M.add(s, "skjermingMetadata", name)
    if screen.whole_document:
        M.add(s, "skjermingDokument", v.HELE_DOKUMENTET)


def dokumentobjekt(parent: Any, file: FileVersion) -> None:
    o = M.add(parent, "dokumentobjekt")
    M.add(o, "systemID", file.system_id)
    M.add(o, "versjonsnummer", file.number)
    M.add(o, "variantformat", v.PRODUKSJONSFORMAT)
    M.add(o, "format", file.format)
    M.add(o, "formatDetaljer", file.media_type)
    M.add(o, "opprettetDato", v.when(file.at))
    M.add(o, "opprettetAv", file.by)
    M.add(o, "referanseDokumentfil", file.path)
    M.add(o, "sjekksum", file.sha256)
    M.add(o, "sjekksumAlgoritme", v.SHA256)
    M.add(o, "filstoerrelse", file.size)


def dokumentbeskrivelse(parent: Any, doc: DocumentRecord) -> None:
    d = M.add(parent, "dokumentbeskrivelse")
    M.add(d, "systemID", doc.system_id)
    M.add(d, "dokumenttype", doc.kind)
    M.add(d, "dokumentstatus", v.DOKUMENT_FERDIG)
    M.add(d, "tittel", v.nonblank(doc.title, doc.kind))
    M.add(d, "opprettetDato", v.when(doc.at))
    M.add(d, "opprettetAv", doc.by)
    M.add(d, "tilknyttetRegistreringSom", doc.role)
    M.add(d, "dokumentnummer", doc.number)
    M.add(d, "tilknyttetDato", v.when(doc.at))
    M.add(d, "tilknyttetAv", doc.by)
    skjerming(d, doc.screen)
    for file in doc.files:
        dokumentobjekt(d, file)


def registrering(parent: Any, entry: Entry, folder: Folder) -> None:
    """A journalpost (a case's) or a møteregistrering (a meeting's)."""
    meeting = entry.meeting_type is not None
    r = M.add(parent, "registrering")
    r.set(f"{{{v.XSI}}}type", "moeteregistrering" if meeting else "journalpost")
    M.add(r, "systemID", entry.system_id)
    M.add(r, "opprettetDato", v.when(entry.at))
    M.add(r, "opprettetAv", entry.by)
    M.add(r, "arkivertDato", v.when(entry.at))
    M.add(r, "arkivertAv", entry.by)
    skjerming(r, entry.screen)
    for doc in entry.documents:
        dokumentbeskrivelse(r, doc)
    M.add(r, "tittel", v.nonblank(entry.title, folder.title))
    if entry.screen is not None or entry.public_title != entry.title:
        M.add(r, "offentligTittel", v.nonblank(entry.public_title, "****"))
    M.opt(r, "beskrivelse", entry.description)
    if entry.refers_to_folder is not None:
        ref = M.add(r, "kryssreferanse")
        M.add(ref, "referanseTilMappe", entry.refers_to_folder)
    if meeting:
        assert entry.meeting_type is not None
        M.add(r, "moeteregistreringstype", v.MOETEREGISTRERINGSTYPE[entry.meeting_type])
        M.opt(r, "moeteregistreringsstatus", entry.status)
        M.add(r, "administrativEnhet", folder.unit)
        M.add(r, "saksbehandler", folder.responsible)
        return
    k = M.add(r, "korrespondansepart")
    M.add(k, "korrespondanseparttype", v.INTERN_AVSENDER)
    M.add(k, "korrespondansepartNavn", entry.party)
    number = journal_number(entry)
    M.add(r, "journalaar", number.year)
    M.add(r, "journalsekvensnummer", number.sequence)
    M.add(r, "journalpostnummer", entry.number)
    M.add(r, "journalposttype", entry.journal_type)
    M.add(r, "journalstatus", v.JOURNALFOERT)
    M.add(r, "journaldato", v.day(entry.at))
    M.add(r, "dokumentetsDato", v.day(entry.at))
    M.add(r, "antallVedlegg", sum(len(d.files) for d in entry.documents))


def mappe(folder: Folder) -> Any:
    """A saksmappe or møtemappe element, ready to write."""
    meeting = folder.meeting
    m = M.root("mappe", "moetemappe" if meeting is not None else "saksmappe")
    M.add(m, "systemID", folder.system_id)
    M.add(m, "mappeID", folder.folder_id)
    M.add(m, "tittel", v.nonblank(folder.title, folder.folder_id))
    if folder.screen is not None or folder.public_title != folder.title:
        M.add(m, "offentligTittel", v.nonblank(folder.public_title, "****"))
    M.opt(m, "beskrivelse", folder.description)
    M.add(m, "opprettetDato", v.when(folder.at))
    M.add(m, "opprettetAv", folder.by)
    M.add(m, "avsluttetDato", v.when(folder.closed_at))
    M.add(m, "avsluttetAv", folder.closed_by)
    skjerming(m, folder.screen)
    for entry in folder.entries:
        registrering(m, entry, folder)
    if meeting is not None:
        M.add(m, "moetenummer", meeting.number)
        M.add(m, "utvalg", meeting.body)
        M.add(m, "moetedato", meeting.day.isoformat())
        M.opt(m, "moetested", meeting.place)
        for name in meeting.participants:
            M.add(M.add(m, "moetedeltaker"), "moetedeltakerNavn", name)
        return m
    M.add(m, "saksaar", folder.year)
    M.add(m, "sakssekvensnummer", folder.sequence)
    M.add(m, "saksdato", v.day(folder.at))
    M.add(m, "administrativEnhet", folder.unit)
    M.add(m, "saksansvarlig", folder.responsible)
    M.add(m, "saksstatus", folder.status)
    return m


class StructureWriter:
    """Writes ``arkivstruktur.xml`` one mappe at a time and counts what it wrote (for
    ``arkivuttrekk.xml``'s numberOfOccurrences)."""

    def __init__(self, out: RawWriter) -> None:
        self.out = out
        self.counts: Counter[str] = Counter()

    def write(self, folder: Folder) -> None:
        element = mappe(folder)
        self.counts["mappe"] += 1
        self.counts["saksmappe" if folder.meeting is None else "moetemappe"] += 1
        for entry in folder.entries:
            self.counts["registrering"] += 1
            self.counts["journalpost" if entry.meeting_type is None else "moeteregistrering"] += 1
            for doc in entry.documents:
                self.counts["dokumentbeskrivelse"] += 1
                self.counts["dokumentobjekt"] += len(doc.files)
        self.out.write(element)


def _header(parent: Any, facts: ArchiveFacts) -> None:
    M.add(parent, "opprettetDato", v.when(facts.opened_at))
    M.add(parent, "opprettetAv", v.ARCHIVE_CREATOR)
    M.add(parent, "avsluttetDato", v.when(facts.closed_at))
    M.add(parent, "avsluttetAv", v.ARCHIVE_CREATOR)


@contextlib.contextmanager
def arkivstruktur(path: Path, facts: ArchiveFacts) -> Iterator[StructureWriter]:
    """Open ``arkivstruktur.xml`` at ``path``; the writer takes the mapper."""
    with document(path, M, "arkiv", "arkivstruktur.xsd") as out:
        head = M.root("head")
        M.add(head, "systemID", ids.archive_id("arkiv"))
        M.add(head, "tittel", facts.title)
        M.add(head, "arkivstatus", "Avsluttet" if facts.closed else "Opprettet")
        _header(head, facts)
        creator = M.add(head, "arkivskaper")
        M.add(creator, "arkivskaperID", v.ARCHIVE_CREATOR)
        M.add(creator, "arkivskaperNavn", v.ARCHIVE_CREATOR)
        for child in head:
            out.write(child)
        out.open("arkivdel")
        part = M.root("head")
        M.add(part, "systemID", ids.archive_id(f"arkivdel:{facts.part_key}"))
        M.add(part, "tittel", facts.part_title)
        M.add(part, "arkivdelstatus", "Avsluttet periode" if facts.closed else "Aktiv periode")
        _header(part, facts)
        M.opt(part, "arkivperiodeStartDato", facts.period_start)
        M.opt(part, "arkivperiodeSluttDato", facts.period_end)
        for child in part:
            out.write(child)
        yield StructureWriter(out)
        out.close("arkivdel")

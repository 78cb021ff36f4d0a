"""``loependeJournal.xml`` and ``offentligJournal.xml``: one journalregistrering per
journalpost of the extract's saksmapper. The public journal carries public titles only
(a screened case's or document's words never appear in it), no person's name, and the
skjerming's legal basis.

Both files begin with a journalhode that counts the entries and gives the first and last
journal day, known only at the end: the entries are streamed to a part file beside the
journal as they come, and the journal is assembled from its head and that part."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, BinaryIO

from caseflow.archive.noark5 import values as v
from caseflow.archive.noark5.records import Entry, Folder, journal_number
from caseflow.archive.noark5.xml import Maker, RawWriter, document


class JournalWriter:
    """One journal, public (``offentligJournal``) or not (``loependeJournal``)."""

    def __init__(self, directory: Path, public: bool) -> None:
        self.public = public
        self.name = "offentligJournal" if public else "loependeJournal"
        self.maker = Maker(v.NS_OFFENTLIG if public else v.NS_LOEPENDE)
        self.path = directory / f"{self.name}.xml"
        self.part_path = directory / f".{self.name}.part"
        self.part: BinaryIO = self.part_path.open("wb")
        self.raw = RawWriter(self.part, self.maker)
        self.count = 0
        self.first: str | None = None
        self.last: str | None = None

    def write(self, folder: Folder) -> None:
        for entry in folder.entries:
            if entry.meeting_type is not None:
                continue
            self.raw.write(self.registration(folder, entry))
            self.count += 1
            journal_day = v.day(entry.at)
            self.first = min(self.first or journal_day, journal_day)
            self.last = max(self.last or journal_day, journal_day)

    def registration(self, folder: Folder, entry: Entry) -> Any:
        m, public = self.maker, self.public
        r = m.root("journalregistrering")
        s = m.add(r, "saksmappe")
        m.add(s, "mappeID", folder.folder_id)
        m.add(s, "saksaar", folder.year)
        m.add(s, "sakssekvensnummer", folder.sequence)
        if not public:
            m.add(s, "tittel", v.nonblank(folder.title, folder.folder_id))
        m.add(s, "offentligTittel", v.nonblank(folder.public_title, "****"))
        if not public and folder.screen is not None:
            m.add(s, "skjermingMetadata", folder.screen.metadata[0])
        m.add(s, "administrativEnhet", folder.unit)
        if not public:
            m.add(s, "saksansvarlig", folder.responsible)
        elif folder.screen is not None:
            m.add(s, "tilgangsrestriksjon", folder.screen.restriction)
            m.add(s, "skjermingshjemmel", folder.screen.basis)
        j = m.add(r, "journalpost")
        m.add(j, "systemID", entry.system_id)
        number = journal_number(entry)
        m.add(j, "journalaar", number.year)
        m.add(j, "journalsekvensnummer", number.sequence)
        m.add(j, "journalpostnummer", entry.number)
        if not public:
            m.add(j, "tittel", v.nonblank(entry.title, folder.title))
        m.add(j, "offentligTittel", v.nonblank(entry.public_title, "****"))
        if entry.screen is not None:
            m.add(j, "skjermingMetadata", entry.screen.metadata[0])
        m.add(j, "journaldato", v.day(entry.at))
        m.add(j, "dokumentetsDato", v.day(entry.at))
        if not public:
            m.add(j, "antallVedlegg", sum(len(d.files) for d in entry.documents))
        m.add(j, "administrativEnhet", folder.unit)
        if not public:
            m.add(j, "saksbehandler", entry.by)
        if entry.screen is not None:
            m.add(j, "tilgangsrestriksjon", entry.screen.restriction)
            m.add(j, "skjermingshjemmel", entry.screen.basis)
        k = m.add(j, "korrespondansepart")
        m.add(k, "korrespondanseparttype", v.INTERN_AVSENDER)
        m.add(k, "korrespondansepartNavn", entry.party)
        return r

    def close(self, selection: str) -> Path:
        """Assemble the journal (its head, then the streamed entries)."""
        self.part.close()
        m = self.maker
        head = m.root("journalhode")
        m.add(head, "journalStartDato", self.first or "1970-01-01")
        m.add(head, "journalSluttDato", self.last or self.first or "1970-01-01")
        m.add(head, "seleksjon", selection)
        m.add(head, "antallJournalposter", self.count)
        creator = m.add(head, "arkivskaper")
        m.add(creator, "arkivskaperID", v.ARCHIVE_CREATOR)
        m.add(creator, "arkivskaperNavn", v.ARCHIVE_CREATOR)
        with document(self.path, m, self.name, f"{self.name}.xsd") as out:
            out.write(head)
            with self.part_path.open("rb") as part:
                shutil.copyfileobj(part, out.out, 1 << 20)
        self.part_path.unlink()
        return self.path

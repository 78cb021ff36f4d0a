"""The extract's entries as plain values: a skjerming, a file's version (dokumentobjekt),
a document (dokumentbeskrivelse), a journalpost or møteregistrering, a saksmappe or
møtemappe. :mod:`.cases` and :mod:`.meetings` build them from one aggregate's events;
:mod:`.structure` and :mod:`.journals` write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from caseflow.archive.journal import JournalNumber
from caseflow.archive.noark5 import values as v


@dataclass(frozen=True)
class Screen:
    """A skjerming: the access restriction, its legal basis, what it hides."""

    basis: str
    metadata: tuple[str, ...]
    whole_document: bool = False

    @property
    def restriction(self) -> str:
        return v.tilgangsrestriksjon(self.basis)


@dataclass(frozen=True)
class FileVersion:
    """One version of a document's file (a dokumentobjekt)."""

    system_id: str
    number: int
    sha256: str
    size: int
    media_type: str
    filename: str
    at: datetime
    by: str

    @property
    def format(self) -> str:
        from caseflow.domain.meeting_files import MEDIA_TYPES

        return MEDIA_TYPES.get(self.media_type, self.media_type)

    @property
    def path(self) -> str:
        """Where the file is in the extract (content-addressed: a file used twice is
        copied once)."""
        suffix = self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else "bin"
        return f"DOKUMENT/{self.sha256}.{suffix}"


@dataclass(frozen=True)
class DocumentRecord:
    """A dokumentbeskrivelse with its file's versions."""

    system_id: str
    number: int
    kind: str
    role: str
    title: str
    at: datetime
    by: str
    files: tuple[FileVersion, ...]
    screen: Screen | None = None


@dataclass(frozen=True)
class Entry:
    """A registrering: a journalpost of a case, or a møteregistrering of a meeting
    (``meeting_type`` one of :data:`~.values.MOETEREGISTRERINGSTYPE`'s codes). A
    journalpost's ``journal`` is its number in the journal (:mod:`caseflow.archive.journal`,
    the same as in the eInnsyn export); ``position`` is the event's place in the log."""

    system_id: str
    at: datetime
    by: str
    title: str
    public_title: str
    position: int
    number: int
    journal_type: str = v.INTERNT_UTEN_OPPFOELGING
    meeting_type: str | None = None
    status: str | None = None
    description: str | None = None
    party: str = v.ARCHIVE_CREATOR
    refers_to_folder: str | None = None
    screen: Screen | None = None
    documents: tuple[DocumentRecord, ...] = ()
    journal: JournalNumber | None = None


@dataclass(frozen=True)
class Folder:
    """A mappe: a case's saksmappe or a meeting's møtemappe (``meeting`` set)."""

    system_id: str
    folder_id: str
    title: str
    public_title: str
    at: datetime
    by: str
    closed_at: datetime
    closed_by: str
    unit: str
    responsible: str
    year: int
    sequence: int
    status: str
    description: str | None = None
    screen: Screen | None = None
    entries: tuple[Entry, ...] = ()
    meeting: MeetingFacts | None = None


@dataclass(frozen=True)
class MeetingFacts:
    """What only a møtemappe has."""

    number: str
    body: str
    day: date
    place: str | None
    participants: tuple[str, ...] = field(default=())


def files_of(folder: Folder) -> list[FileVersion]:
    """Every file version of a folder's entries."""
    return [f for e in folder.entries for d in e.documents for f in d.files]


def journal_number(entry: Entry) -> JournalNumber:
    """A journalpost's journalaar and journalsekvensnummer (given by the case's builder)."""
    if entry.journal is None:
        raise ValueError(f"journalpost {entry.system_id} has no journal number")
    return entry.journal

"""A case as a saksmappe: its journalposter (the proposal, each case document, KG's
advice, the decision, a decline or withdrawal), each document's versions as
dokumentobjekter, and its skjerming — from one case's events, replayed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from caseflow.archive.noark5 import ids
from caseflow.archive.noark5 import values as v
from caseflow.archive.noark5.records import DocumentRecord, Entry, FileVersion, Folder, Screen
from caseflow.archive.noark5.source import Source
from caseflow.domain.documents import documents_of
from caseflow.domain.screening import mask
from caseflow.domain.values import CaseStatus

#: The case's steps worth journalling: event class name → (role, title key, type); the
#: same steps as :data:`caseflow.archive.journal.JOURNALLED_STEPS` numbers.
JOURNALLED: dict[str, tuple[str, str, str]] = {
    "Proposed": ("proposal", "Proposal: %(title)s", v.INTERNT_FOR_OPPFOELGING),
    "AdviceClosed": ("advice", "KG's advice: %(title)s", v.INTERNT_UTEN_OPPFOELGING),
    "AdviceWaived": ("advice", "KG's advice waived: %(title)s", v.INTERNT_UTEN_OPPFOELGING),
    "Decided": ("decision", "Decision: %(title)s", v.INTERNT_UTEN_OPPFOELGING),
    "Declined": ("closing", "Declined: %(title)s", v.INTERNT_UTEN_OPPFOELGING),
    "Withdrawn": ("closing", "Withdrawn: %(title)s", v.INTERNT_UTEN_OPPFOELGING),
}

#: What each journalled step's text is (the entry's beskrivelse).
_DESCRIPTION = {
    "Proposed": "summary",
    "AdviceClosed": "summary",
    "AdviceWaived": "reason",
    "Decided": "resolution",
    "Declined": "reason",
    "Withdrawn": "reason",
}


def case_screen(case: Any) -> Screen | None:
    """The case's skjerming (issue 18's ``case.screening``), or None while public."""
    screening = getattr(case, "screening", None)
    if screening is None:
        return None
    return Screen(screening.legal_basis, (v.SKJERM_TITTEL_MAPPE,))


def public_title(case: Any) -> str:
    screening = getattr(case, "screening", None)
    return screening.public_title if screening is not None else case.title


def build_case(source: Source, case: Any, events: list[Any], closed_at: datetime) -> Folder:
    """The saksmappe of ``case`` (the aggregate its ``events`` make)."""
    positions = source.positions(case.id)
    position: Callable[[Any], int] = lambda e: positions.get(  # noqa: E731
        e.originator_version, e.originator_version
    )
    journal = source.journal
    screen = case_screen(case)
    title, shown = case.title, public_title(case)
    by = source.name
    group = source.group_name(case.group_id) or v.text(v.SECRETARIAT)
    entries: list[Entry] = []
    documents = documents_of(case)
    first = events[0]
    for event in events:
        kind = type(event).__name__
        if kind in JOURNALLED:
            role, key, journal_type = JOURNALLED[kind]
            entries.append(
                Entry(
                    system_id=ids.entry_id(case.id, ids.journalpost_role(role)),
                    at=event.timestamp,
                    by=by(event.actor),
                    title=v.text(key, {"title": title}),
                    public_title=v.text(key, {"title": shown}),
                    position=position(event),
                    number=len(entries) + 1,
                    journal_type=journal_type,
                    description=_text(getattr(event, _DESCRIPTION[kind], None)),
                    party=group if kind == "Proposed" else v.text(v.SECRETARIAT),
                    screen=_entry_screen(screen),
                    journal=journal.at(positions[event.originator_version]),
                )
            )
        elif kind == "DocumentAdded" and event.document_id in documents:
            entry = document_entry(source, case, documents[event.document_id], event, len(entries))
            entry = replace(entry, journal=journal.at(positions[event.originator_version]))
            entries.append(_in_case(entry, position(event), case))
    final = case.status.is_final
    return Folder(
        system_id=ids.folder_id(case.id),
        folder_id=case.reference,
        title=title,
        public_title=shown,
        at=first.timestamp,
        by=by(first.actor),
        closed_at=case.status_since if final and case.status_since else closed_at,
        closed_by=by(events[-1].actor) if final else v.ARCHIVE_CREATOR,
        unit=group,
        responsible=by(case.case_officer.hex) if case.case_officer else v.text(v.SECRETARIAT),
        year=_reference_year(case.reference, first.timestamp),
        sequence=_reference_number(case.reference),
        status=v.saksstatus(CaseStatus(case.status)),
        description=_text(case.summary),
        screen=screen,
        entries=tuple(entries),
    )


def document_entry(source: Source, case: Any, document: Any, event: Any, index: int) -> Entry:
    """The journalpost of one case document, its versions as dokumentobjekter."""
    key = str(document.id)
    screened = bool(getattr(document, "screened", False))
    basis = getattr(document, "legal_basis", None)
    shown = getattr(document, "public_title", None) or ("****" if screened else document.title)
    screen = None
    if screened:
        screen = Screen(
            v.nonblank(basis, "Offl."),
            (v.SKJERM_TITTEL_REGISTRERING, v.SKJERM_TITTEL_DOKUMENT),
            whole_document=True,
        )
    files = tuple(
        FileVersion(
            system_id=ids.entry_id(case.id, ids.dokumentobjekt_role(key, version.number)),
            number=version.number,
            sha256=version.sha256,
            size=version.size,
            media_type=version.media_type,
            filename=version.filename,
            at=version.at,
            by=source.name(version.actor),
        )
        for version in document.versions
    )
    kind = document.kind.value
    record = DocumentRecord(
        system_id=ids.entry_id(case.id, ids.dokumentbeskrivelse_role(key)),
        number=1,
        kind=v.SAKSFRAMLEGG if kind == "saksframlegg" else v.VEDLEGG,
        role=v.HOVEDDOKUMENT,
        title=document.title,
        at=event.timestamp,
        by=source.name(event.actor),
        files=files,
        screen=screen,
    )
    return Entry(
        system_id=ids.entry_id(case.id, ids.journalpost_role("document", key)),
        at=event.timestamp,
        by=source.name(event.actor),
        title=document.title,
        public_title=shown,
        position=0,
        number=index + 1,
        journal_type=v.SAKSFRAMLEGG if kind == "saksframlegg" else v.INTERNT_UTEN_OPPFOELGING,
        party=v.text(v.SECRETARIAT),
        screen=screen,
        documents=(record,),
    )


def _in_case(entry: Entry, position: int, case: Any) -> Entry:
    """A document's journalpost in its case: its place in the log and, in a screened
    case, the case's skjerming too and the case's words masked in its public title."""
    screening = getattr(case, "screening", None)
    if screening is None:
        return replace(entry, position=position)
    return replace(
        entry,
        position=position,
        public_title=mask(entry.public_title, screening.words),
        screen=entry.screen or _entry_screen(case_screen(case)),
    )


def _entry_screen(screen: Screen | None) -> Screen | None:
    """A screened case's entries hide the same words in their titles."""
    if screen is None:
        return None
    return Screen(screen.basis, (v.SKJERM_TITTEL_REGISTRERING,))


def _text(value: Any) -> str | None:
    value = " ".join(str(value or "").split())
    return value or None


def _reference_year(reference: str, at: datetime) -> int:
    parts = reference.split("-")
    if len(parts) >= 2 and parts[1].isdigit():
        return int(parts[1])
    return v.local_year(at)


def _reference_number(reference: str) -> int:
    tail = reference.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0

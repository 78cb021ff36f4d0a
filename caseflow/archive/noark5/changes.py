"""``endringslogg.xml`` from the event history: the log is read in order, one decoded
batch at a time, and each event that changes a value an extract shows gives one
``endring`` per changed value — which arkivenhet (its systemID), which Noark metadata
element, when, by whom, the value before and after.

To name the value before, the log's reader keeps, per case and meeting in the
selection, the few values it tracks (status, case officer, skjerming, public title, a
document's versions, an item's title): a handful of short strings per aggregate, not
the aggregates. docs/archivists-guide.md has the table event → endring."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from caseflow.archive.noark5 import ids
from caseflow.archive.noark5 import values as v
from caseflow.archive.noark5.xml import Maker, document
from caseflow.domain.case import Case
from caseflow.domain.meeting import Meeting

M = Maker(v.NS_ENDRINGSLOGG)

#: A case event that moves its status → the status it moves to.
STATUS_AFTER: dict[str, str] = {
    "Accepted": "under_preparation",
    "Declined": "declined",
    "AdviceRequested": "advice_requested",
    "AdviceClosed": "advice_closed",
    "AdviceWaived": "advice_closed",
    "MarkedReady": "ready",
    "SubmittedToBoard": "submitted",
    "SubmittedToMeeting": "submitted",
    "ReturnedToWait": "ready",
    "Decided": "decided",
    "Postponed": "postponed",
    "Withdrawn": "withdrawn",
}

_ITEM_ADDED = ("ItemAdded", "ItemQueued", "SupplementaryItemAdded")
_ITEM_STATE = {"ItemPostponed": "Utsatt", "ItemWithdrawn": "Trukket"}


@dataclass(frozen=True)
class Change:
    """One endring."""

    unit: str
    metadata: str
    at: datetime
    by: str
    before: str
    after: str


@dataclass(slots=True)
class _CaseTrack:
    status: str
    title: str
    basis: str | None = None
    public_title: str | None = None
    officer: str | None = None
    #: document id → [versions, legal basis, public title, title] (None: no document yet)
    documents: dict[UUID, list[Any]] | None = None


@dataclass(slots=True)
class _MeetingTrack:
    #: item key → [title, state, legal basis, public title]
    items: dict[str, list[Any]] = field(default_factory=dict)


class ChangeLog:
    """Derives the endringer from the log; ``selected(event)`` says whether a created
    aggregate belongs to the extract (``--year``)."""

    def __init__(self, name: Callable[[str | None], str], selected: Callable[[Any], bool]):
        self.name = name
        self.selected = selected
        self.cases: dict[UUID, _CaseTrack] = {}
        self.meetings: dict[UUID, _MeetingTrack] = {}

    def changes(self, batches: Iterable[list[Any]]) -> Iterator[Change]:
        for batch in batches:
            for event in batch:
                yield from self.of(event)

    def of(self, event: Any) -> Iterator[Change]:
        oid = event.originator_id
        if isinstance(event, Case.Proposed):
            if self.selected(event):
                self.cases[oid] = _CaseTrack("proposed", event.title)
            return
        if isinstance(event, Meeting.Scheduled):
            if self.selected(event):
                self.meetings[oid] = _MeetingTrack()
            return
        case = self.cases.get(oid)
        if case is not None:
            yield from self._case(event, oid, case)
            return
        meeting = self.meetings.get(oid)
        if meeting is not None:
            yield from self._meeting(event, oid, meeting)

    def _change(self, unit: str, metadata: str, event: Any, before: Any, after: Any) -> Change:
        return Change(
            unit,
            metadata,
            event.timestamp,
            self.name(event.actor),
            v.nonblank(None if before is None else str(before), v.NO_VALUE),
            v.nonblank(None if after is None else str(after), v.NO_VALUE),
        )

    def _case(self, event: Any, oid: UUID, case: _CaseTrack) -> Iterator[Change]:
        kind = type(event).__name__
        folder = ids.folder_id(oid)
        after = STATUS_AFTER.get(kind)
        if after is not None:
            yield self._change(
                folder, "saksstatus", event, v.status_label(case.status), v.status_label(after)
            )
            case.status = after
        if kind == "Accepted":
            officer = self.name(event.case_officer.hex)
            yield self._change(folder, "saksansvarlig", event, case.officer, officer)
            case.officer = officer
        elif kind in ("Screened", "ScreeningLifted"):
            basis = getattr(event, "legal_basis", None)
            shown = getattr(event, "public_title", None) or case.title
            yield self._change(folder, "skjermingshjemmel", event, case.basis, basis)
            yield self._change(
                folder, "offentligTittel", event, case.public_title or case.title, shown
            )
            case.basis, case.public_title = basis, (shown if basis else None)
        else:
            yield from self._document(event, kind, oid, case)

    def _document(self, event: Any, kind: str, oid: UUID, case: _CaseTrack) -> Iterator[Change]:
        if kind == "DocumentAdded":
            shown = "****" if event.screened else event.title
            if case.documents is None:
                case.documents = {}
            case.documents[event.document_id] = [1, event.legal_basis, shown, event.title]
            return
        document_id = getattr(event, "document_id", None)
        doc = case.documents.get(document_id) if case.documents and document_id else None
        if doc is None:
            return
        key = str(event.document_id)
        if kind == "DocumentVersionAdded":
            unit = ids.entry_id(oid, ids.dokumentbeskrivelse_role(key))
            yield self._change(unit, "versjonsnummer", event, doc[0], doc[0] + 1)
            doc[0] += 1
        elif kind in ("DocumentScreened", "DocumentScreeningLifted"):
            unit = ids.entry_id(oid, ids.journalpost_role("document", key))
            basis = getattr(event, "legal_basis", None)
            shown = getattr(event, "public_title", None) or doc[3]
            yield self._change(unit, "skjermingshjemmel", event, doc[1], basis)
            yield self._change(unit, "offentligTittel", event, doc[2], shown)
            doc[1], doc[2] = basis, shown

    def _meeting(self, event: Any, oid: UUID, meeting: _MeetingTrack) -> Iterator[Change]:
        kind = type(event).__name__
        if kind in _ITEM_ADDED:
            key = getattr(event, "key", None) or str(event.number)
            meeting.items[key] = [event.title, None, None, event.title]
            return
        item = meeting.items.get(getattr(event, "key", ""))
        if item is None:
            return
        unit = ids.entry_id(oid, ids.moeteregistrering_role("SF", f"item:{event.key}"))
        if kind in _ITEM_STATE:
            after = _ITEM_STATE[kind]
            yield self._change(unit, "moeteregistreringsstatus", event, item[1], after)
            item[1] = after
        elif kind in ("ItemScreened", "ItemScreeningLifted"):
            basis = getattr(event, "legal_basis", None)
            shown = getattr(event, "public_title", None) or item[0]
            yield self._change(unit, "skjermingshjemmel", event, item[2], basis)
            yield self._change(unit, "offentligTittel", event, item[3], shown)
            item[2], item[3] = basis, shown


def endring(change: Change) -> Any:
    e = M.root("endring")
    M.add(e, "referanseArkivenhet", change.unit)
    M.add(e, "referanseMetadata", change.metadata)
    M.add(e, "endretDato", v.when(change.at))
    M.add(e, "endretAv", change.by)
    M.add(e, "tidligereVerdi", change.before)
    M.add(e, "nyVerdi", change.after)
    return e


def write_endringslogg(path: Path, changes: Iterable[Change]) -> int:
    """Write ``endringslogg.xml``; returns how many endringer it holds."""
    count = 0
    with document(path, M, "endringslogg", "endringslogg.xsd") as out:
        for change in changes:
            out.write(endring(change))
            count += 1
    return count

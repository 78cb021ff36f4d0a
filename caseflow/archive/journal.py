"""The one journal numbering of Caseflow's journalposter, shared by the Noark 5 extract and
the eInnsyn export (a journalpost is the same registration in both, so it carries the
same ``journalaar`` and ``journalsekvensnummer`` in both).

A registration is a case's journalled step: its proposal, each case document (the
``DocumentAdded`` event), KG's advice (closed or waived), the decision, a decline or a
withdrawal. Numbered in log order, the sequence restarting each journal year (the
registration's year in Oslo time), as Noark 5 asks. :func:`number` is a pure function of
the registrations; because the log only grows at its end, a number once given never
changes when later events arrive. :func:`read_journal` reads the registrations from the
store's log (only the journalled events' notifications, one batch at a time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from caseflow.domain.case import Case
from caseflow.domain.localtime import local_date

#: The case's journalled steps (event class names) besides its documents.
JOURNALLED_STEPS: tuple[str, ...] = (
    "Proposed",
    "AdviceClosed",
    "AdviceWaived",
    "Decided",
    "Declined",
    "Withdrawn",
)

#: The event that registers a case document.
DOCUMENT_ADDED = "DocumentAdded"

#: Journalled notifications read per batch.
BATCH = 2000


@dataclass(frozen=True, slots=True)
class Registration:
    """One journalled event: where it sits in the log, when, and whose (a case document's
    registration names its document)."""

    position: int
    at: datetime
    case_id: UUID
    version: int
    document_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class JournalNumber:
    """A journalpost's ``journalaar`` and ``journalsekvensnummer``."""

    year: int
    sequence: int


@dataclass
class Journal:
    """Every registration's number, by its event and (a case document's) by its document."""

    by_event: dict[tuple[UUID, int], JournalNumber] = field(default_factory=dict)
    by_document: dict[tuple[UUID, UUID], JournalNumber] = field(default_factory=dict)

    def of_event(self, case_id: UUID, version: int) -> JournalNumber:
        """The number of the case's event at ``version`` (a journalled one)."""
        return self.by_event[(case_id, version)]

    def of_document(self, case_id: UUID, document_id: UUID) -> JournalNumber:
        """The number of the case document's registration."""
        return self.by_document[(case_id, document_id)]

    def __len__(self) -> int:
        return len(self.by_event)


def number(registrations: Iterable[Registration]) -> Journal:
    """Number ``registrations`` in log order, from 1 in each Oslo year."""
    journal = Journal()
    per_year: dict[int, int] = {}
    cases: dict[UUID, UUID] = {}  # one id object per case (a decoded event brings its own)
    for r in sorted(registrations, key=lambda r: r.position):
        year = local_date(r.at).year
        per_year[year] = per_year.get(year, 0) + 1
        given = JournalNumber(year, per_year[year])
        case_id = cases.setdefault(r.case_id, r.case_id)
        journal.by_event[(case_id, r.version)] = given
        if r.document_id is not None:
            journal.by_document.setdefault((case_id, r.document_id), given)
    return journal


def journalled_topics() -> tuple[str, ...]:
    """The topics of the journalled events (with any older topic registered for them)."""
    from caseflow.application.topics import MOVED_TOPICS

    classes = [getattr(Case, name) for name in (*JOURNALLED_STEPS, DOCUMENT_ADDED)]
    topics = [get_topic(cls) for cls in classes]
    topics += [old for old, cls in MOVED_TOPICS.items() if cls in classes]
    return tuple(topics)


def registrations(app: Any, batch: int = BATCH) -> Iterable[Registration]:
    """The store's registrations in log order (only the journalled notifications are read
    and decoded, one batch at a time)."""
    recorder: Any = app.recorder
    topics = journalled_topics()
    position = 0
    while True:
        page = recorder.select_notifications(start=position + 1, limit=batch, topics=topics)
        if not page:
            return
        position = page[-1].id
        for notification in page:
            event: Any = app.mapper.to_domain_event(notification)
            document = getattr(event, "document_id", None)
            yield Registration(
                position=notification.id,
                at=event.timestamp,
                case_id=event.originator_id,
                version=event.originator_version,
                document_id=document if type(event).__name__ == DOCUMENT_ADDED else None,
            )


def read_journal(app: Any) -> Journal:
    """The store's journal numbering."""
    return number(registrations(app))

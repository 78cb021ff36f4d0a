"""The one journal numbering of Caseflow's journalposter, shared by the Noark 5 extract and
the eInnsyn export (a journalpost is the same registration in both, so it carries the
same ``journalaar`` and ``journalsekvensnummer`` in both).

A registration is a case's journalled step: its proposal, each case document (the
``DocumentAdded`` event), KG's advice (closed or waived), the decision, a decline or a
withdrawal. Numbered in log order, the sequence restarting each journal year (the
registration's year in Oslo time), as Noark 5 asks. :func:`number` is a pure function of
the registrations in log order; because the log only grows at its end, a number once
given never changes when later events arrive. :func:`read_journal` reads the registrations
from the store's log (only the journalled events' notifications, one batch at a time)."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
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
    """One journalled event: where it sits in the log (its notification id), when, and
    (a case document's registration) which document it registers."""

    position: int
    at: datetime
    document_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class JournalNumber:
    """A journalpost's ``journalaar`` and ``journalsekvensnummer``."""

    year: int
    sequence: int


class Journal:
    """Every registration's number, found by its log position (the Noark 5 extract knows
    each event's) or by its document (the eInnsyn export). Kept compact: three arrays
    in log order (position, year, sequence) and one small entry per document — some
    15 bytes a registration and 0.2 KiB a document."""

    def __init__(self) -> None:
        self._positions = array("q")
        self._years = array("H")
        self._sequences = array("I")
        self._documents: dict[UUID, int] = {}

    def add(self, position: int, year: int, sequence: int, document_id: UUID | None) -> None:
        if self._positions and position <= self._positions[-1]:
            raise ValueError(f"registrations must come in log order ({position} came late)")
        self._positions.append(position)
        self._years.append(year)
        self._sequences.append(sequence)
        if document_id is not None:
            self._documents.setdefault(document_id, position)

    def at(self, position: int) -> JournalNumber:
        """The number of the registration at ``position`` in the log."""
        i = bisect_left(self._positions, position)
        if i == len(self._positions) or self._positions[i] != position:
            raise KeyError(f"no journalled event at log position {position}")
        return JournalNumber(self._years[i], self._sequences[i])

    def of_document(self, document_id: UUID) -> JournalNumber:
        """The number of the case document's registration."""
        return self.at(self._documents[document_id])

    def __len__(self) -> int:
        return len(self._positions)


def number(registrations: Iterable[Registration]) -> Journal:
    """Number ``registrations`` (in log order) from 1 in each Oslo year."""
    journal = Journal()
    per_year: dict[int, int] = {}
    for r in registrations:
        year = local_date(r.at).year
        per_year[year] = per_year.get(year, 0) + 1
        journal.add(r.position, year, per_year[year], r.document_id)
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
                document_id=document if type(event).__name__ == DOCUMENT_ADDED else None,
            )


def read_journal(app: Any) -> Journal:
    """The store's journal numbering."""
    return number(registrations(app))

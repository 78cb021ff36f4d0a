"""Screening a case and its documents (issue 18): the events and commands of
:class:`~caseflow.domain.case.Case` that screen and lift (the values and checks are
:mod:`caseflow.domain.screening`).

:class:`Screenable` is mixed into ``Case``: eventsourcing defines each event declared here
on the aggregate too, so they are stored as ``caseflow.domain.case:Case.Screened``,
``Case.ScreeningLifted``, ``Case.DocumentScreened`` and ``Case.DocumentScreeningLifted``
(new event classes: the events stored before issue 18 replay unchanged).

A screened case shows the public its public title and no summary; its agenda items follow
it. A document screened at upload (``screened`` without a screening) shows
:data:`~caseflow.domain.screening.MASK` until the secretariat gives it a public title.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.documents import document_screened, find_document
from caseflow.domain.errors import InvalidInput, InvalidTransition
from caseflow.domain.screening import (
    Screening,
    check_reason,
    check_screening,
    contains_any,
    screening_of,
)

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant


class Screenable:
    """A case's screening (None: public), its events and commands."""

    title: str
    summary: str
    #: Also the value of a case object made before issue 18.
    screening: Screening | None = None

    class Screened(CaseflowAggregate.Event):
        """Screened with a legal basis; ``words`` are never shown publicly."""

        legal_basis: str
        public_title: str
        words: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.screening = screening_of(self)

    class ScreeningLifted(CaseflowAggregate.Event):
        """Public again (the reason is for the audit trail)."""

        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.screening = None

    class DocumentScreened(CaseflowAggregate.Event):
        """One of the case's documents screened after upload (or screened anew)."""

        document_id: UUID
        legal_basis: str
        public_title: str
        words: list[str]

        def apply(self, aggregate: Any) -> None:
            document_screened(aggregate, self.document_id, screening_of(self))

    class DocumentScreeningLifted(CaseflowAggregate.Event):
        document_id: UUID
        reason: str

        def apply(self, aggregate: Any) -> None:
            document_screened(aggregate, self.document_id, None)

    # -- queries ---------------------------------------------------------------------

    @property
    def screened(self) -> bool:
        return self.screening is not None

    @property
    def public_title(self) -> str:
        """The title the public sees: the title, or the screening's public title."""
        return self.screening.public_title if self.screening is not None else self.title

    @property
    def public_summary(self) -> str:
        """The summary the public sees: none of a screened case."""
        return "" if self.screening is not None else self.summary

    def check_public_text(self, field: str, text: str) -> None:
        """Text the public reads of a screened case (the board's resolution) names none
        of its screened words: refused naming ``field`` (nothing is recorded)."""
        leaked = contains_any(text, self.screening.words) if self.screening else []
        if leaked:
            raise InvalidInput.field(
                field,
                "the text is public but names the screened words %(words)s",
                words=", ".join(leaked),
            )

    # -- commands (the caller has checked :func:`~caseflow.domain.screening.may_screen`) --

    def screen(
        self,
        legal_basis: str | None,
        words: Iterable[str],
        by: Grant,
        public_title: str | None = None,
    ) -> Screening:
        """Screen the case (or change how it is screened); returns the screening."""
        found = check_screening(self.title, legal_basis, words, public_title)
        self._trigger(self.Screened, by, found)
        return found

    def lift_screening(self, reason: str | None, by: Grant) -> None:
        if self.screening is None:
            raise InvalidTransition("the case is not screened")
        _record(self, self.ScreeningLifted, by, reason=check_reason(reason))

    def screen_document(
        self,
        document_id: UUID,
        legal_basis: str | None,
        words: Iterable[str],
        by: Grant,
        public_title: str | None = None,
    ) -> Screening:
        """Screen one of the case's documents (404 if it has no such document)."""
        document = find_document(self, document_id)
        found = check_screening(document.title, legal_basis, words, public_title)
        self._trigger(self.DocumentScreened, by, found, document_id=document_id)
        return found

    def lift_document_screening(self, document_id: UUID, reason: str | None, by: Grant) -> None:
        if not find_document(self, document_id).screened:
            raise InvalidTransition("the document is not screened")
        _record(
            self,
            self.DocumentScreeningLifted,
            by,
            document_id=document_id,
            reason=check_reason(reason),
        )

    def _trigger(self, event: type[Any], by: Grant, found: Screening, **more: Any) -> None:
        _record(
            self,
            event,
            by,
            legal_basis=found.legal_basis,
            public_title=found.public_title,
            words=list(found.words),
            **more,
        )


def _record(aggregate: Any, event: type[Any], by: Grant, **values: Any) -> None:
    """``CaseflowAggregate._record`` on the aggregate the mixin is part of."""
    aggregate._record(event, by, **values)

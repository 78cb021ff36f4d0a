"""Screening (skjerming, issue 18): the secretariat screens a case, one of its documents or
a meeting's free agenda item with a legal basis (hjemmel) and a public title in which the
screened words are replaced, and lifts a screening. Each command checks the
``expected_version`` of the case or meeting, that the reader may see it (else 404) and
that they are the secretariat (:func:`~caseflow.domain.screening.may_screen`, 403), and
records nothing when refused. The values, list of legal bases and checks are
:mod:`caseflow.domain.screening`; the events are the aggregates'."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar
from uuid import UUID

from caseflow.application.case_queries import CaseQueries
from caseflow.application.core import CaseflowCore
from caseflow.application.documents import CaseDocuments, ordered
from caseflow.application.meeting_queries import MeetingQueries
from caseflow.application.views import AgendaItemView, CaseView, MeetingView
from caseflow.domain.case import Case
from caseflow.domain.documents import documents_of
from caseflow.domain.errors import NotFoundError, NotPermitted
from caseflow.domain.meeting import Meeting
from caseflow.domain.permissions import Actor
from caseflow.domain.permissions.meetings import may_see_meeting
from caseflow.domain.screening import (
    LEGAL_BASES,
    LegalBasis,
    Screening,
    check_screening,
    may_screen,
)

__all__ = ["ScreeningService"]

T = TypeVar("T")


class ScreeningService:
    """Screening and lifting the screening of cases, documents and free agenda items."""

    def __init__(
        self, core: CaseflowCore, queries: CaseQueries, meeting_queries: MeetingQueries
    ) -> None:
        self.core = core
        self.queries = queries
        self.meeting_queries = meeting_queries

    @staticmethod
    def legal_bases() -> tuple[LegalBasis, ...]:
        """The maintained list of legal bases (the free-text fallback is any other text)."""
        return LEGAL_BASES

    # -- cases ---------------------------------------------------------------------------

    def screen_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        legal_basis: str | None,
        words: Iterable[str],
        *,
        public_title: str | None = None,
        expected_version: int | None = None,
    ) -> CaseView:
        """Screen the case (or change how it is screened): its public title, no summary."""
        chosen = list(words)

        def change(agg: Case, grant: Any) -> None:
            agg.screen(legal_basis, chosen, grant, public_title)

        return self._on_case(actor_id, case, expected_version, change, self._case_view)

    def lift_case_screening(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> CaseView:
        """Make the case public again, saying why."""

        def change(agg: Case, grant: Any) -> None:
            agg.lift_screening(reason, grant)

        return self._on_case(actor_id, case, expected_version, change, self._case_view)

    # -- case documents ------------------------------------------------------------------

    def screen_document(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        document_id: UUID,
        legal_basis: str | None,
        words: Iterable[str],
        *,
        public_title: str | None = None,
        expected_version: int | None = None,
    ) -> CaseDocuments:
        """Screen one of the case's documents after upload (``expected_version``: the
        case's, as for adding a document)."""
        chosen = list(words)

        def change(agg: Case, grant: Any) -> None:
            agg.screen_document(document_id, legal_basis, chosen, grant, public_title)

        return self._on_case(actor_id, case, expected_version, change, _documents_view(document_id))

    def lift_document_screening(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        document_id: UUID,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> CaseDocuments:
        """Make one of the case's documents public again, saying why."""

        def change(agg: Case, grant: Any) -> None:
            agg.lift_document_screening(document_id, reason, grant)

        return self._on_case(actor_id, case, expected_version, change, _documents_view(document_id))

    # -- a meeting's free items ----------------------------------------------------------

    def screen_item(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        key: str,
        legal_basis: str | None,
        words: Iterable[str],
        *,
        public_title: str | None = None,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Screen a free item of the meeting's agenda (an item for a case follows it)."""
        chosen = list(words)

        def change(meeting: Meeting, grant: Any) -> None:
            meeting.screen_item(key, legal_basis, chosen, grant, public_title)

        return self._on_meeting(actor_id, meeting_id, expected_version, change)

    def lift_item_screening(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        key: str,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Make a free item public again, saying why."""

        def change(meeting: Meeting, grant: Any) -> None:
            meeting.lift_item_screening(key, reason, grant)

        return self._on_meeting(actor_id, meeting_id, expected_version, change)

    # -- queries -------------------------------------------------------------------------

    def public_agenda(self, view: MeetingView) -> list[AgendaItemView]:
        """The agenda of ``view`` with each case's item following its case: the case's
        screening and public title (a free item keeps its own)."""
        items: list[AgendaItemView] = []
        with self.core.reading():
            for item in view.agenda:
                agg = (
                    self.core.for_query(Case, item.case_id, optional=True)
                    if item.case_id is not None
                    else None
                )
                if agg is not None:
                    item = replace(
                        item,
                        screening=agg.screening.as_dict() if agg.screening else None,
                        public_title=agg.public_title,
                    )
                items.append(item)
        return items

    def preview(
        self,
        actor_id: UUID | str | None,
        title: str,
        legal_basis: str | None,
        words: Iterable[str],
        public_title: str | None = None,
    ) -> Screening:
        """The screening of something titled ``title`` as it would be recorded (its
        public title shown before saving), for the secretariat; records nothing."""
        may_screen(self.core.actor(actor_id, groups=()))
        return check_screening(title, legal_basis, words, public_title)

    def may_screen(self, actor_id: UUID | str | None) -> bool:
        """Whether the actor may screen (to offer the forms; the commands check again)."""
        try:
            may_screen(self.core.actor(actor_id, groups=()))
        except NotPermitted:
            return False
        return True

    # -- the unit of work ----------------------------------------------------------------

    def _case_view(self, agg: Case, actor: Actor) -> CaseView:
        return self.queries.case_view(agg, actor)

    def _on_case(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        expected_version: int | None,
        change: Callable[[Case, Any], None],
        answer: Callable[[Case, Actor], T],
    ) -> T:
        """Load the case, check that the actor sees it (404), its version (409) and that
        they are the secretariat (403), change and save it: a refusal stores nothing."""
        case_id = self.queries.case_id(case)

        def command() -> T:
            agg = self.core.for_command(Case, case_id, "case")
            actor = self.queries.case_actor(actor_id, agg)
            if not self.queries.may_see(actor, agg):
                raise NotFoundError("case not found", case=str(case))
            self.core.check_version(agg, expected_version)
            change(agg, may_screen(actor))
            self.core.save_all(agg)
            return answer(agg, actor)

        return self.core.retrying(command)

    def _on_meeting(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        expected_version: int | None,
        change: Callable[[Meeting, Any], None],
    ) -> MeetingView:
        def command() -> MeetingView:
            meeting = self.core.for_command(Meeting, meeting_id, "meeting")
            actor = self.core.actor(actor_id)
            if not may_see_meeting(actor, meeting, self.core.kg_id()):
                raise NotFoundError("meeting not found", id=str(meeting_id))
            self.core.check_version(meeting, expected_version)
            change(meeting, may_screen(actor))
            self.core.save_all(meeting)
            return self.meeting_queries.meeting_view(meeting)

        return self.core.retrying(command)


def _documents_view(document_id: UUID) -> Callable[[Case, Actor], CaseDocuments]:
    def answer(agg: Case, actor: Actor) -> CaseDocuments:
        return CaseDocuments(
            agg.id, agg.reference, agg.version, ordered(agg), documents_of(agg)[document_id]
        )

    return answer

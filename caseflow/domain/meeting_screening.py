"""Screening a meeting's free agenda items (issue 18): the items that are not cases (the
standing items and any other item the secretariat adds) are screened on the meeting, by
item key; an item for a case follows its case (:mod:`caseflow.domain.case_screening`).

:class:`ItemScreenable` is mixed into :class:`~caseflow.domain.meeting.Meeting`; its
events are stored as ``caseflow.domain.meeting:Meeting.ItemScreened`` and
``Meeting.ItemScreeningLifted`` (new event classes: older meetings replay unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from caseflow.domain import agenda as ag
from caseflow.domain.agenda import AgendaItem
from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.errors import InvalidInput, InvalidTransition
from caseflow.domain.screening import Screening, check_reason, check_screening, screening_of

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant


class ItemScreenable:
    """Screening and lifting the screening of a meeting's free items."""

    items: list[AgendaItem]

    class ItemScreened(CaseflowAggregate.Event):
        """A free item screened; ``words`` are never shown publicly."""

        key: str
        legal_basis: str
        public_title: str
        words: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.items = ag.screened(aggregate.items, self.key, screening_of(self))

    class ItemScreeningLifted(CaseflowAggregate.Event):
        key: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.items = ag.screened(aggregate.items, self.key, None)

    def free_item(self, key: str) -> AgendaItem:
        """The item ``key``, if it is not a case's (422 naming the field otherwise)."""
        found = ag.find(self.items, key)
        if found is None:
            raise InvalidInput.field("item", "no such item on this meeting's agenda")
        if found.case_id is not None:
            raise InvalidTransition("an item for a case follows its case: screen the case instead")
        return found

    def screen_item(
        self,
        key: str,
        legal_basis: str | None,
        words: Iterable[str],
        by: Grant,
        public_title: str | None = None,
    ) -> Screening:
        """Screen a free item (or change how it is screened)."""
        item = self.free_item(key)
        found = check_screening(item.title, legal_basis, words, public_title)
        self._screening_event(
            self.ItemScreened,
            by,
            key=key,
            legal_basis=found.legal_basis,
            public_title=found.public_title,
            words=list(found.words),
        )
        return found

    def lift_item_screening(self, key: str, reason: str | None, by: Grant) -> None:
        if self.free_item(key).screening is None:
            raise InvalidTransition("the item is not screened")
        self._screening_event(self.ItemScreeningLifted, by, key=key, reason=check_reason(reason))

    def _screening_event(self, event: type[Any], by: Grant, **values: Any) -> None:
        aggregate: Any = self
        aggregate._record(event, by, **values)

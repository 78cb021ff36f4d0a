"""Replaying a case's history: its events with who, in which role, when; and the case as
it was at a version or a moment. Replays on purpose (auditors' views), never for lists."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from caseflow.application.cases import CaseCommands
from caseflow.application.views import EventView, HistoryView
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput, NotFoundError

_BASE_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor",
    "role",
    "on_behalf_of",
}


def event_data(event: Any) -> dict[str, Any]:
    """An event's own fields (without the envelope)."""
    return {
        f.name: getattr(event, f.name)
        for f in dataclasses.fields(event)
        if f.name not in _BASE_FIELDS
    }


class HistoryQueries(CaseCommands):
    """Auditors' replay of any case."""

    def case_events(self, case_id: UUID) -> list[Any]:
        return list(self.events.get(case_id))

    def case_history(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        *,
        version: int | None = None,
        as_of: datetime | None = None,
    ) -> HistoryView:
        """The case's events and its state at ``version`` or ``as_of`` (default: now).

        ``as_of`` includes every event whose time is at or before it, so two events in the
        same second are told apart by their microseconds."""
        agg = self.load_case(case)
        actor = self._case_actor(actor_id, agg)
        if not self.may_see(actor, agg):
            raise NotFoundError("case not found", case=str(case))
        events = self.case_events(agg.id)
        cut = len(events)
        if version is not None:
            if not 1 <= version <= len(events):
                raise InvalidInput.field("version", f"must be between 1 and {len(events)}")
            cut = version
        elif as_of is not None:
            moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
            cut = sum(1 for e in events if e.timestamp <= moment)
            if cut == 0:
                raise InvalidInput.field("as_of", "the case did not exist yet at that moment")
        state: Any = self.repository.get(agg.id, version=cut)
        assert isinstance(state, Case)
        views = [
            EventView(
                version=e.originator_version,
                type=type(e).__name__,
                time=e.timestamp,
                actor=e.actor,
                actor_name=self.person_name(e.actor),
                role=e.role,
                on_behalf_of=e.on_behalf_of,
                data=event_data(e),
            )
            for e in events
        ]
        return HistoryView(
            case_id=agg.id,
            reference=agg.reference,
            events=views,
            at_version=cut,
            state=self.case_view(state),
        )

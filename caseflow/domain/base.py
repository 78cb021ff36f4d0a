"""The aggregate base class shared by every Caseflow aggregate.

Every event records who did it (``actor``: a person id as hex, or ``"system"``), the role
that allowed the step (``role``) and on whose behalf (``on_behalf_of``). The time is the
library's ``timestamp``, taken from :mod:`caseflow.domain.clock` so that the demo can
replay a plausible year.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from caseflow.domain import clock

SYSTEM = "system"


class CaseflowAggregate(Aggregate):
    """Base aggregate: events carry actor, role and on-behalf-of."""

    class Event(Aggregate.Event):
        actor: str
        role: str
        on_behalf_of: str | None

        @staticmethod
        def create_timestamp() -> datetime:
            return clock.now()

    class Created(Event, Aggregate.Created):
        pass

    def _record(self, event_class: type[Aggregate.Event], by: Any, **kwargs: Any) -> None:
        """Trigger ``event_class`` stamped with the grant ``by`` (see :class:`Grant`)."""
        self.trigger_event(
            event_class, actor=by.actor, role=by.role, on_behalf_of=by.on_behalf_of, **kwargs
        )

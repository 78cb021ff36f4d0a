"""The aggregate base class shared by every Caseflow aggregate.

Every event records who did it (``actor``: a person id as hex, or ``"system"``), the role
that allowed the step (``role``) and on whose behalf (``on_behalf_of``). The time is the
library's ``timestamp``, taken from :mod:`caseflow.domain.clock` so that the demo can
replay a plausible year.

Every event passes :func:`caseflow.domain.text.check_values` before it is built: text
with NUL, control characters, lone surrogates or non-characters, and dates outside
1900–2200, are refused with ``InvalidInput`` (422) naming the field, and nothing is
recorded — whichever door (web, API, CLI, script) the command came through. Stored
events are replayed without the check (``mutate``), so history written earlier still
loads.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from eventsourcing.domain import Aggregate

from caseflow.domain import clock
from caseflow.domain.text import check_values

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant

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

    @classmethod
    def _create(
        cls,
        event_class: type[Any],
        *,
        id: Any = None,
        **kwargs: Any,
    ) -> Self:
        """Create the aggregate, once its first event's values may be recorded."""
        check_values(kwargs)
        return super()._create(event_class, id=id, **kwargs)

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        """Record an event, once its values may be recorded (nothing changes otherwise)."""
        check_values(kwargs)
        super().trigger_event(event_class, **kwargs)

    def _record(self, event_class: type[Aggregate.Event], by: Grant, **kwargs: Any) -> None:
        """Trigger ``event_class`` stamped with the grant ``by`` (see :class:`Grant`)."""
        self.trigger_event(
            event_class, actor=by.actor, role=by.role, on_behalf_of=by.on_behalf_of, **kwargs
        )

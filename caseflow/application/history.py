"""Replaying a case's history: its events with who, in which role, when; and the case as
it was at a version or a moment. Replays on purpose (auditors' views), never for lists."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from caseflow.application.case_queries import CaseQueries
from caseflow.application.core import CaseflowCore
from caseflow.application.views import EventView, HistoryView
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput, NotFoundError
from caseflow.domain.text import DATE_REFUSED, in_date_range

if TYPE_CHECKING:
    from eventsourcing.persistence import StoredEvent

_BASE_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor",
    "role",
    "on_behalf_of",
}

#: An event class's own field names (without the envelope), by class.
_OWN_FIELDS: dict[type, tuple[str, ...]] = {}


def _own_fields(cls: type) -> tuple[str, ...]:
    names = _OWN_FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls) if f.name not in _BASE_FIELDS)
        _OWN_FIELDS[cls] = names
    return names


class LogPositions(Protocol):
    """Where an aggregate's events sit in the one log: its notification id by version.
    The adapter: :class:`caseflow.persistence.positions.RecorderPositions`."""

    def positions(self, originator_id: UUID) -> dict[int, int]: ...

    def events(self, originator_id: UUID) -> tuple[list[StoredEvent], list[int]]:
        """The aggregate's stored events in version order and each one's notification
        id, read together."""
        ...


#: EventView's fields in order. When they are these and nothing runs on construction,
#: an entry is made as the library's mapper makes an event (its ``__dict__`` given whole),
#: which skips the frozen dataclass's nine ``object.__setattr__`` calls; else by calling it.
_ENTRY_FIELDS = (
    "version",
    "type",
    "time",
    "actor",
    "actor_name",
    "role",
    "on_behalf_of",
    "data",
    "position",
)
_ENTRY_BY_DICT = (
    tuple(f.name for f in dataclasses.fields(EventView)) == _ENTRY_FIELDS
    and not hasattr(EventView, "__post_init__")
    and not hasattr(EventView, "__slots__")
)


def dashed(actor: str | None) -> str | None:
    """An event's actor (a person's id as 32 hex digits, or ``system``) as the API and
    the CLI show every id: a dashed UUID (``system`` stays as it is)."""
    if actor is None:
        return None
    try:
        return str(UUID(actor))
    except ValueError:
        return actor


class HistoryService:
    """Auditors' replay of any case."""

    def __init__(self, core: CaseflowCore, cases: CaseQueries) -> None:
        self.core = core
        self.cases = cases
        self.log: LogPositions | None = None

    def use_log_positions(self, log: LogPositions) -> None:
        """Give each event of a history its position in the log (None without it)."""
        self.log = log

    def case_events(self, case_id: UUID) -> list[Any]:
        return list(self.core.events.get(case_id))

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
        same second are told apart by their microseconds; a moment outside 1900–2200 is
        refused (``InvalidInput`` on ``as_of``, like the domain's dates).

        The events are read (with their log positions, in the same statement) and decoded
        once and replayed onto a fresh aggregate, as the library's repository does
        (``event.mutate``, starting from None); the state at the cut is taken on the way."""
        with self.core.reading():
            case_id = self.cases.case_id(case)
            events, positions = self._read(case_id)
            if not events:
                raise NotFoundError("case not found", case=str(case))
            # A refusal is raised only to those who may see the case (below).
            cut, refused = history_cut(events, version, as_of)
            agg: Any = events[0].mutate(None)
            if not isinstance(agg, Case):
                raise NotFoundError("case not found", case=str(case))
            for event in events[1:cut]:
                agg = event.mutate(agg)
            state = self.cases.case_view(agg) if refused is None else None  # plain data
            for event in events[max(cut, 1) :]:
                agg = event.mutate(agg)
            actor = self.cases.case_actor(actor_id, agg)
            if not self.cases.may_see(actor, agg):
                raise NotFoundError("case not found", case=str(case))
            if refused is not None:
                raise refused
            assert state is not None
            return HistoryView(
                case_id=agg.id,
                reference=agg.reference,
                events=self._entries(events, positions),
                at_version=cut,
                state=state,
            )

    def _read(self, case_id: UUID) -> tuple[list[Any], Sequence[int | None]]:
        """The case's events, decoded, and each one's position in the log (None without
        the log's adapter): with it, one query for both."""
        log = self.log
        if log is None:
            events = self.case_events(case_id)
            return events, [None] * len(events)
        stored, positions = log.events(case_id)
        decode = self.core.mapper.to_domain_event
        return [decode(s) for s in stored], positions

    def _entries(self, events: list[Any], positions: Sequence[int | None]) -> list[EventView]:
        """One entry per event: its actor's dashed id and name and its class's name and
        field names looked up once per call, not once per event."""
        person_name = self.core.person_name
        actors: dict[str | None, tuple[str, str]] = {}
        kinds: dict[type, tuple[str, tuple[str, ...]]] = {}
        new, put = object.__new__, object.__setattr__
        views = []
        for e, position in zip(events, positions, strict=True):
            actor = e.actor
            who = actors.get(actor)
            if who is None:
                who = actors[actor] = (dashed(actor) or "", person_name(actor))
            cls = type(e)
            kind = kinds.get(cls)
            if kind is None:
                kind = kinds[cls] = (cls.__name__, _own_fields(cls))
            fields = {
                "version": e.originator_version,
                "type": kind[0],
                "time": e.timestamp,
                "actor": who[0],
                "actor_name": who[1],
                "role": e.role,
                "on_behalf_of": e.on_behalf_of,
                "data": {name: getattr(e, name) for name in kind[1]},
                "position": position,
            }
            if _ENTRY_BY_DICT:
                view = new(EventView)
                put(view, "__dict__", fields)
            else:
                view = EventView(**fields)
            views.append(view)
        return views


def history_cut(
    events: list[Any], version: int | None, as_of: datetime | None
) -> tuple[int, InvalidInput | None]:
    """How many of ``events`` the state at ``version`` or ``as_of`` includes (all when
    neither is given), or why that point is refused."""
    if version is not None:
        if not 1 <= version <= len(events):
            return len(events), InvalidInput.field(
                "version", "must be between 1 and %(n)s", n=len(events)
            )
        return version, None
    if as_of is None:
        return len(events), None
    if not in_date_range(as_of):
        return len(events), InvalidInput.field("as_of", DATE_REFUSED)
    moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    cut = sum(1 for e in events if e.timestamp <= moment)
    if cut == 0:
        return cut, InvalidInput.field("as_of", "the case did not exist yet at that moment")
    return cut, None

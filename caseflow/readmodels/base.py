"""The base of every Caseflow projection: event dispatch, the shared name book, and
conversions between domain values and columns.

A projection is an ``eventsourcing.projection.Projection`` whose view is one of the
tracking-recorder views of :mod:`caseflow.readmodels.sql`. The same projection object is
driven by the library's ``ProjectionRunner`` (one event at a time, PostgreSQL) and by the
catch-up driver (batches read from the notification log, both stores). Events of types
a projection does not know are tracked and otherwise ignored, so new event types never
stop a projection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from caseflow.domain.organisation import Group, MemberRegister, Person
from caseflow.readmodels.sql import Batch, ReadModelView, TableSchema, Tx

F = TypeVar("F", bound=Callable[..., None])

#: The name book each projection keeps of people and groups (names, group slugs).
NAMES_TABLE = ("names", "id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT, slug TEXT")


def on(*event_classes: type) -> Callable[[F], F]:
    """Mark a projection method as the handler of ``event_classes``."""

    def mark(fn: F) -> F:
        fn._handles = event_classes  # type: ignore[attr-defined]
        return fn

    return mark


class ReadModelProjection(Projection[Any]):
    """A projection writing rows and tracking in one transaction per batch."""

    #: Table prefix and the library's projection name (lower case: it names tables).
    name: str = ""
    #: The name used on the command line (``caseflow rebuild cases``).
    short: ClassVar[str] = ""
    schema: ClassVar[TableSchema]
    _handlers: ClassVar[dict[type, Callable[..., None]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type, Callable[..., None]] = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                for event_class in getattr(attr, "_handles", ()):
                    handlers[event_class] = attr
        cls._handlers = handlers

    @property
    def dispatch(self) -> dict[type, Callable[..., None]] | None:
        """The handlers by event type, for the view to call directly (skipping the types
        without one) — None when the class has an :meth:`apply` of its own, which then
        sees every event."""
        return self._handlers if type(self).apply is ReadModelProjection.apply else None

    @property
    def view(self) -> ReadModelView:
        return cast(ReadModelView, self._view)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """One event (how ``ProjectionRunner`` drives us): applied and tracked at once."""
        self.view.process([(domain_event, tracking)], self)

    def process_batch(self, batch: Batch) -> int:
        return self.view.process(batch, self)

    def process_batch_in(self, tx: Tx, batch: Batch) -> int:
        return self.view.process_in(tx, batch, self)

    def apply(self, tx: Tx, event: Any, position: int) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, tx, event, position)

    def begin(self, tx: Tx) -> None:
        """Reset per-batch buffers (default: none)."""

    def finish(self, tx: Tx) -> None:
        """Flush anything buffered during a batch (default: nothing)."""


class NamesMixin:
    """Keeps the projection's own name book (``{t_names}``): people and groups."""

    @on(Person.Registered)
    def _person_registered(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_names} (id, kind, name, slug) VALUES (?, 'person', ?, NULL) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            (hexid(e.originator_id), e.name),
        )

    @on(Group.Established)
    def _group_established(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_names} (id, kind, name, slug) VALUES (?, 'group', ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, slug = excluded.slug",
            (hexid(e.originator_id), e.name, e.slug),
        )

    @on(MemberRegister.RegionDefined)
    def _region_defined(self, tx: Tx, e: Any, position: int) -> None:
        """A region by its slug (summaries name a region, never its slug: issue 15)."""
        tx.execute(
            "INSERT INTO {t_names} (id, kind, name, slug) VALUES (?, 'region', ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            (e.slug, e.name, e.slug),
        )


# -- conversions ---------------------------------------------------------------------------


#: The column form of the ids seen lately (``UUID.hex`` formats a 128-bit number each
#: time; projections ask for the same people, groups and cases again and again).
_HEX: dict[int | str, str] = {}
_HEX_MAX = 20_000


def hexid(value: UUID | str | None) -> str | None:
    """The column form of an id: 32 hex digits (``system`` and other words stay)."""
    if value is None:
        return None
    if value.__class__ is UUID:
        number = value.int
        found = _HEX.get(number)
        if found is None:
            if len(_HEX) >= _HEX_MAX:
                _HEX.clear()
            found = _HEX[number] = f"{number:032x}"
        return found
    if isinstance(value, UUID):
        return value.hex
    if len(value) == 32 and value.isalnum():
        # already the column form (actors are stored like this): one string per id, not
        # one per event (a case list keeps its cases' advisers)
        found = _HEX.get(value)
        if found is None:
            if len(_HEX) >= _HEX_MAX:
                _HEX.clear()
            found = _HEX[value] = value.lower()
        return found
    try:
        return UUID(str(value)).hex
    except ValueError:
        return str(value)


def as_uuid(value: str | None) -> UUID | None:
    return UUID(value) if value else None


#: The text of the minutes seen lately ("2026-12-02T07:40:"), by minute since year 1:
#: ``isoformat`` with a time zone costs twice a formatting of seconds and microseconds,
#: and a projection formats every event's timestamp (issue 19).
_MINUTES: dict[int, str] = {}
_MINUTES_MAX = 5_000


def iso(value: datetime | None) -> str | None:
    """Timestamps as sortable text: UTC, microseconds (``isoformat``'s text)."""
    if value is None:
        return None
    tz = value.tzinfo
    if tz is not UTC:
        value = value.replace(tzinfo=UTC) if tz is None else value.astimezone(UTC)
    minute = value.toordinal() * 1440 + value.hour * 60 + value.minute
    prefix = _MINUTES.get(minute)
    if prefix is None:
        if len(_MINUTES) >= _MINUTES_MAX:
            _MINUTES.clear()
        prefix = _MINUTES[minute] = value.isoformat(timespec="microseconds")[:17]
    return f"{prefix}{value.second:02d}.{value.microsecond:06d}+00:00"


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def day(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def from_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def like(text: str) -> str:
    """A ``LIKE … ESCAPE '\\'`` pattern matching ``text`` anywhere (lower case)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

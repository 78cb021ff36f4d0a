"""Calendar subscriptions: a secret, revocable address per person (their meetings, as
``/calendar/mine.ics`` gives them) or for one body's meetings (made by the secretariat),
that a calendar application fetches without logging in (``/kalender/<token>.ics``).

The secret is ``secrets.token_urlsafe(32)`` (256 bits), shown once; only its SHA-256 is
kept, in a table of its own behind the :class:`CalendarTokenStorage` port (the adapter:
``caseflow.persistence.calendar_tokens``), with who made it and when, its last use and
its revocation. A feed is what its owner may see *now* (the same visibility as their
pages: ``meetings_for_person``, ``list_meetings(viewer=…)``), so a person who loses a
seat loses those meetings from every address. An unknown and a revoked address are the
same 404.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol
from uuid import UUID

from caseflow.application.core import CaseflowCore
from caseflow.application.meeting_queries import MeetingQueries
from caseflow.application.views import MeetingView, Plain
from caseflow.domain import clock
from caseflow.domain.base import SYSTEM
from caseflow.domain.errors import InvalidInput, InvalidTransition, NotFoundError
from caseflow.domain.organisation import Person
from caseflow.domain.permissions import may_manage_meetings
from caseflow.domain.text import check_text
from caseflow.domain.values import MeetingBody

#: Bytes of randomness in a calendar address's secret.
TOKEN_BYTES = 32

#: The longest label a subscription may have.
MAX_LABEL = 100


@dataclass(frozen=True)
class CalendarRecord:
    """One subscription as the store keeps it (the secret itself is never kept)."""

    id: str
    token_hash: str
    person_id: UUID
    body: str | None
    label: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_by: str | None = None


class CalendarTokenStorage(Protocol):
    """Where calendar subscriptions live (a table of their own, both stores)."""

    def add(self, record: CalendarRecord) -> None: ...

    def by_hash(self, token_hash: str) -> CalendarRecord | None: ...

    def get(self, calendar_id: str) -> CalendarRecord | None: ...

    def of_person(self, person_id: UUID) -> list[CalendarRecord]: ...

    def revoke(self, calendar_id: str, at: datetime, by: str) -> bool:
        """Mark it revoked unless it already is; whether it was changed."""
        ...

    def used(self, calendar_id: str, at: datetime) -> None: ...


@dataclass(frozen=True)
class CalendarView(Plain):
    """A subscription as its owner (and the secretariat) sees it: never the secret."""

    id: str
    person_id: UUID
    body: str | None
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    status: str  # active | revoked


@dataclass(frozen=True)
class NewCalendar:
    """A subscription just made, with its secret (shown once)."""

    token: str
    calendar: CalendarView


@dataclass(frozen=True)
class CalendarFeed:
    """What an address gives: the subscription and its owner's meetings, as they see them."""

    calendar: CalendarView
    meetings: list[MeetingView]


def calendar_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_view(r: CalendarRecord) -> CalendarView:
    return CalendarView(
        id=r.id,
        person_id=r.person_id,
        body=r.body,
        label=r.label,
        created_at=r.created_at,
        last_used_at=r.last_used_at,
        revoked_at=r.revoked_at,
        status="revoked" if r.revoked_at is not None else "active",
    )


class CalendarService:
    """Making, listing, revoking and reading calendar subscriptions."""

    def __init__(self, core: CaseflowCore, meetings: MeetingQueries) -> None:
        self.core = core
        self.meetings = meetings
        self._store: CalendarTokenStorage | None = None

    def use_calendar_store(self, store: CalendarTokenStorage) -> None:
        """Give the adapter (composition roots: ``open_calendar_tokens(app)``)."""
        self._store = store

    @property
    def store(self) -> CalendarTokenStorage:
        if self._store is None:
            raise RuntimeError(
                "no calendar token store: the composition root must call "
                "use_calendar_store(open_calendar_tokens(app))"
            )
        return self._store

    # -- who ------------------------------------------------------------------------

    def _owner(self, owner: UUID | str) -> UUID:
        """A person id, or the id of the person with that e-mail (404 otherwise)."""
        if isinstance(owner, UUID):
            person = self.core.for_query(Person, owner, "person", optional=True)
            if person is None:
                raise NotFoundError("%(what)s not found", what="person")
            return owner
        return self.core.for_query(Person, Person.create_id(owner.strip().lower()), "person").id

    def _acting_for(self, actor_id: UUID | str | None, owner: UUID, body: str | None) -> str:
        """Who is recorded as having acted. A person keeps their own calendar; anyone
        else, and anyone making a body's calendar, must be the secretariat (the command
        line acts as the system, with the secretariat's powers)."""
        if actor_id is None or actor_id == SYSTEM:
            return SYSTEM
        pid = actor_id if isinstance(actor_id, UUID) else UUID(str(actor_id))
        if pid != owner or body is not None:
            may_manage_meetings(self.core.actor(pid, groups=()))
        return pid.hex

    # -- commands -------------------------------------------------------------------

    def create_calendar(
        self,
        actor_id: UUID | str | None,
        owner: UUID | str,
        body: MeetingBody | str | None = None,
        label: str = "",
    ) -> NewCalendar:
        """A new address for ``owner``'s meetings (or, with ``body``, that body's
        meetings as the owner may see them). Returns the secret once."""
        wanted = _body(body)
        label = label.strip()
        check_text("label", label)
        if len(label) > MAX_LABEL:
            raise InvalidInput.field("label", "at most %(n)s characters", n=MAX_LABEL)
        with self.core.reading():
            person_id = self._owner(owner)
            by = self._acting_for(actor_id, person_id, wanted)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        record = CalendarRecord(
            id=secrets.token_hex(6),
            token_hash=calendar_hash(token),
            person_id=person_id,
            body=wanted,
            label=label,
            created_at=clock.now(),
            created_by=by,
        )
        self.store.add(record)
        return NewCalendar(token, calendar_view(record))

    def list_calendars(self, actor_id: UUID | str | None, owner: UUID | str) -> list[CalendarView]:
        """The owner's subscriptions, newest first (revoked ones too)."""
        with self.core.reading():
            person_id = self._owner(owner)
            self._acting_for(actor_id, person_id, None)
        found = self.store.of_person(person_id)
        return [calendar_view(r) for r in sorted(found, key=lambda r: r.created_at, reverse=True)]

    def revoke_calendar(
        self, actor_id: UUID | str | None, owner: UUID | str, calendar_id: str
    ) -> CalendarView:
        """Revoke one of the owner's subscriptions: its address answers 404 from now on.
        Someone else's (or an unknown id) is not found; a revoked one is 409."""
        with self.core.reading():
            person_id = self._owner(owner)
            by = self._acting_for(actor_id, person_id, None)
        record = self.store.get(calendar_id)
        if record is None or record.person_id != person_id:
            raise NotFoundError("calendar not found")
        if not self.store.revoke(calendar_id, clock.now(), by):
            raise InvalidTransition("the calendar address is already revoked")
        revoked = self.store.get(calendar_id)
        assert revoked is not None
        return calendar_view(revoked)

    # -- the feed -------------------------------------------------------------------

    def calendar_feed(self, token: str) -> CalendarFeed:
        """The meetings behind a secret address, as its owner may see them now; the use
        is recorded. Unknown or revoked: the same 404."""
        record = self.store.by_hash(calendar_hash(token)) if token else None
        if record is None or record.revoked_at is not None:
            raise NotFoundError("calendar not found")
        if record.body is not None:
            meetings = self.meetings.list_meetings(record.person_id, body=record.body)
        else:
            meetings = self.meetings.meetings_for_person(record.person_id)
        now = clock.now()
        self.store.used(record.id, now)
        return CalendarFeed(replace(calendar_view(record), last_used_at=now), meetings)


def _body(body: MeetingBody | str | None) -> str | None:
    if body is None or body == "":
        return None
    if isinstance(body, MeetingBody):
        return body.value
    try:
        return MeetingBody(body).value
    except ValueError:
        raise InvalidInput.field("body", "unknown body %(value)r", value=body) from None

"""The read side's public interface: what web pages, the API and the CLI may ask.

The implementation (projections over the notification log, tracking, catch-up and the
runner) lives beside this module; callers depend only on these types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from caseflow.application.views import CaseFields
from caseflow.domain.errors import CaseflowError
from caseflow.domain.permissions.visibility import CaseVisibility

T = TypeVar("T")


@dataclass(frozen=True)
class Stop:
    """A projection stopped at the event it could not apply."""

    name: str
    position: int
    reason: str
    at: str


class ReadModelStopped(CaseflowError):
    """A page needs a read model that stopped at an event it could not apply (503)."""

    status = 503
    code = "read_model_stopped"

    def __init__(self, stop: Stop) -> None:
        super().__init__(
            f"the read model {stop.name!r} stopped at position {stop.position}: {stop.reason}"
        )
        self.stop = stop


#: The pseudo-group under which :class:`RoleSpan` records system roles (secretariat,
#: auditor, board, admin); its ``group_slug`` is ``"system"``.
SYSTEM_GROUP_ID = UUID(int=0)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
    #: ``total`` is a lower bound: the count stopped there (``AuditFilter.count_limit``).
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.capped or self.page * self.per_page < self.total


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    group: str | None = None  # group id (hex or uuid string) or slug
    focus_area: str | None = None
    meeting: str | None = None  # board meeting id
    q: str | None = None  # free text over title, summary, reference
    #: In an open advice round whose deadline is before this day.
    advice_overdue_on: date | None = None
    #: Open (not final, not submitted) and in its status since this moment or earlier.
    idle_before: datetime | None = None
    #: Only what this reader may see (None: everything).
    visible: CaseVisibility | None = None
    #: Issue 18: only screened cases (True), only public ones (False), or both (None).
    screened: bool | None = None
    sort: str = "-last_change"  # a column name, '-' for descending
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True, kw_only=True)
class CaseRow(CaseFields):
    """A case as the list shows it: the shared :class:`CaseFields` and the list's own."""

    status_since: datetime  # a row always has one
    advice_received: int
    advice_expected: int
    last_change: datetime
    #: R13: the leaders invited to give input (they may see the case).
    invited: frozenset[UUID] = frozenset()
    #: Issue 18: screened (skjermet) with ``legal_basis``; ``public_title`` (of the shared
    #: fields) is the title the public sees (the title itself when public).
    screened: bool = False
    legal_basis: str | None = None


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None  # person id
    since: datetime | None = None
    until: datetime | None = None
    type: str | None = None  # event type name, e.g. "SubmittedToBoard"
    case: str | None = None  # case id
    before: int | None = None  # only positions below this one (keyset paging)
    after: int | None = None  # only positions above this one (keyset paging)
    page: int = 1
    per_page: int = 50
    newest_first: bool = False  # default: log order (oldest first)
    #: Count matching events only up to this many (or up to the end of the page asked
    #: for, if further); ``Page.capped`` says the count stopped. None: an exact count.
    count_limit: int | None = None


@dataclass(frozen=True)
class AuditRow:
    position: int
    time: datetime
    actor: str
    actor_name: str
    role: str
    on_behalf_of: str | None
    type: str
    aggregate_type: str
    aggregate_id: UUID
    version: int
    summary: str
    case_id: UUID | None = None
    chain_hash: str | None = None
    #: The summary in English (``rm_audit_en``); None for a row projected before it.
    summary_en: str | None = None


@dataclass(frozen=True)
class PersonName:
    id: UUID
    name: str


@dataclass(frozen=True)
class RoleSpan:
    """Who held which role in which group, from when to when (``until`` None: still)."""

    person_id: UUID
    group_id: UUID
    group_slug: str
    role: str
    on_behalf_of: str | None
    since: datetime
    until: datetime | None


@dataclass(frozen=True)
class MeetingRow:
    id: UUID
    body: str
    title: str
    starts_at: datetime
    place: str
    group_id: UUID | None
    status: str
    agenda: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class AgendaPlace:
    """Where a case stands on a numbered agenda (issue 18, the public pages): the meeting
    (a :class:`MeetingRow` without agenda or attachments) and the item's label there."""

    meeting: MeetingRow
    case_id: UUID
    label: str


#: Text in segments, each (text, whether it is a match): search snippets, escaped and
#: marked by whoever shows them.
Marked = tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class SearchHit:
    """A case found by full-text search: its list row, its title with the matches marked,
    the best snippet and which text the snippet is from (``summary``, ``documents`` or
    ``numbers``)."""

    case: CaseRow
    title: Marked
    snippet: Marked
    source: str


class ReadModels(Protocol):
    """What the read side answers. Every method reads tables, never replays aggregates."""

    def cases(self, f: CaseFilter) -> Page[CaseRow]: ...

    def search(self, f: CaseFilter, ranked: bool = True) -> Page[SearchHit]:
        """Cases matching ``f.q`` (full text) and the list's filters, ranked, with snippets.
        ``cases(f)`` with a ``q`` answers from the same index."""
        ...

    def status_counts(self, f: CaseFilter | None = None) -> dict[str, int]: ...

    def advice_totals(self, f: CaseFilter | None = None) -> tuple[int, int]:
        """Advice received and advice expected, summed over the cases matching ``f``."""
        ...

    def audit(self, f: AuditFilter) -> Page[AuditRow]: ...

    def people(self) -> list[PersonName]:
        """Every registered person (id and name), by name: the audit trail's actors."""
        ...

    def roles(
        self, person_id: UUID | None = None, group_id: UUID | None = None
    ) -> list[RoleSpan]: ...

    def role_at(self, person_id: UUID, group_id: UUID, at: datetime) -> RoleSpan | None: ...

    def roles_at(self, person_id: UUID, at: datetime) -> list[RoleSpan]:
        """Every role (group and system roles) the person held at ``at``."""
        ...

    def meetings(self, body: str | None = None) -> list[MeetingRow]: ...

    def next_meeting(self, body: str, at_or_after: datetime) -> MeetingRow | None:
        """The first meeting of ``body`` starting at or after the moment, with its agenda
        and attachments."""
        ...

    def meeting_list(self, bodies: Sequence[str]) -> list[MeetingRow]:
        """The meetings of ``bodies`` by start, without agendas or attachments (one query:
        the public pages' lists, issue 18)."""
        ...

    def agenda_places(
        self, bodies: Sequence[str], statuses: Sequence[str], case_id: UUID | None = None
    ) -> list[AgendaPlace]:
        """Every numbered case item on the agendas of ``bodies``' meetings in one of
        ``statuses`` (of ``case_id`` only, if given), by meeting start (one query)."""
        ...

    def catch_up(self) -> int:
        """Process any new events (the SQLite way of being driven); returns how many."""
        ...

    def wait_for(self, position: int, timeout: float = 2.0) -> bool:
        """Read your own writes: wait (bounded) until every projection has processed
        ``position``. True if reached."""
        ...

    def positions(self) -> dict[str, int]:
        """Each projection's tracked notification id (by short name: cases, audit, …)."""
        ...

    def head(self) -> int:
        """The log's newest notification id (one indexed query; 0 for an empty log): the
        public pages' ETag (issue 18, ``web/public_cache.py``)."""
        ...

    def freshen(self) -> bool:
        """Before a page: catch up if any process wrote since this one last looked (one
        indexed query when nothing is new). True when current."""
        ...

    def start(self, *, report: Callable[[str], None] | None = None) -> int:
        """At process start: catch up every follower, reporting progress when far behind."""
        ...

    def health(self) -> dict[str, Any]:
        """``{"status": "ok" | "degraded", "stopped": {...}, "followers": {...}}``."""
        ...

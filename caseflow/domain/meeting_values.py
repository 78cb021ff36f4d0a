"""Plain values of a meeting (moved from ``caseflow.domain.meeting``, which re-exports
them): where it stands, a supplementary invitation, an invitee, the attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class MeetingStatus(StrEnum):
    """Where a meeting stands."""

    PLANNED = "planned"
    INVITATION_SENT = "invitation_sent"
    HELD = "held"
    MINUTES_APPROVED = "minutes_approved"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Supplement:
    """A supplementary invitation (tilleggsinnkalling): when, to whom, which items."""

    at: datetime
    recipients: list[UUID]
    item_keys: list[str]


@dataclass(frozen=True)
class Invitee:
    """A person invited beyond the body's own members, and why (e.g. R13)."""

    person_id: UUID
    reason: str
    rule: str | None
    case_id: UUID | None

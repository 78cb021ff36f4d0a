"""Meetings and their agendas (saksliste), invitations, attachments and minutes; the
per-year item numbering of the board, the interest-policy committee and the council of
representatives; and the measures (tiltak) KG follows up (R18).

Board items are numbered in one sequence per calendar year across all that year's board
meetings (``Sak 38/25``); a number once given is never reused or changed. KG and group
meetings number their items 1, 2, … afresh at each meeting.

**Numbering and order.** A number is issued when an item is added, and the printed agenda
is ordered by number. To get the order of a real board agenda (opening items, the cases,
the briefings, "Eventuelt"), the standard items come in two parts (:func:`standard_items`):
the opening part is added when the agenda is opened, the closing part when the invitation
is sent. A case added after the invitation takes the next number and is printed last,
as a late item (tilleggssak) is.

A meeting goes planned → invitation sent → held → minutes approved. Attachments are
stored elsewhere, content-addressed by SHA-256; the events record the hash, filename, size
and media type, never the bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from caseflow.domain import clock
from caseflow.domain.base import SYSTEM, CaseflowAggregate
from caseflow.domain.errors import InvalidInput, InvalidTransition, NotPermitted
from caseflow.domain.permissions import Actor, Grant, may_read_everything
from caseflow.domain.values import FocusArea, GroupRole, MeetingBody, SystemRole, stable_id


class MeetingStatus(StrEnum):
    """Where a meeting stands."""

    PLANNED = "planned"
    INVITATION_SENT = "invitation_sent"
    HELD = "held"
    MINUTES_APPROVED = "minutes_approved"


class AttachmentKind(StrEnum):
    """Why a file is attached to a meeting."""

    DOCUMENT = "document"  # a paper for the meeting (saksdokument, vedlegg)
    MINUTES = "minutes"  # this meeting's own minutes (referat)
    KG_MINUTES = "kg_minutes"  # R15: the newest approved KG minutes
    WORKING_GROUP_MINUTES = "working_group_minutes"  # R14: cross-cutting groups' minutes


#: Media types an attachment may have (checked against the file's magic bytes).
MEDIA_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "text/plain": "TXT",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class AgendaItem:
    number: int
    year: int | None
    title: str
    case_id: UUID | None
    standing: bool

    @property
    def label(self) -> str:
        if self.year is not None:
            return f"Sak {self.number}/{self.year % 100:02d}"
        return f"Sak {self.number}"


@dataclass(frozen=True)
class Attachment:
    """A stored file's metadata; the bytes live in the attachment store under ``sha256``."""

    sha256: str
    filename: str
    size: int
    media_type: str
    kind: AttachmentKind
    title: str
    item_number: int | None
    source_meeting_id: UUID | None
    rule: str | None
    added_at: datetime


@dataclass(frozen=True)
class Invitee:
    """A person invited beyond the body's own members, and why (e.g. R13)."""

    person_id: UUID
    reason: str
    rule: str | None
    case_id: UUID | None


class Meeting(CaseflowAggregate):
    """A meeting of one body: when, where, its agenda, invitation, attachments, minutes."""

    class Scheduled(CaseflowAggregate.Created):
        body: str
        title: str
        starts_at: datetime
        place: str
        group_id: UUID | None
        ends_at: datetime | None
        digital: bool
        group_ids: list[UUID]

    def __init__(
        self,
        body: str,
        title: str,
        starts_at: datetime,
        place: str,
        group_id: UUID | None,
        ends_at: datetime | None = None,
        digital: bool = False,
        group_ids: list[UUID] | None = None,
    ) -> None:
        self.body = MeetingBody(body)
        self.title = title
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.place = place
        self.digital = digital
        self.group_id = group_id
        self.group_ids: list[UUID] = list(group_ids or [])
        self.items: list[AgendaItem] = []
        self.status = MeetingStatus.PLANNED
        self.invitees: dict[UUID, Invitee] = {}
        self.attachments: list[Attachment] = []
        self.recipients: list[UUID] = []
        self.invitation_sent_at: datetime | None = None
        self.held_at: datetime | None = None
        self.approved_minutes: str | None = None

    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    # -- events ---------------------------------------------------------------------

    class ItemAdded(CaseflowAggregate.Event):
        number: int
        year: int | None
        title: str
        case_id: UUID | None
        standing: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.items.append(
                AgendaItem(self.number, self.year, self.title, self.case_id, self.standing)
            )

    class Invited(CaseflowAggregate.Event):
        person_id: UUID
        reason: str
        rule: str | None
        case_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            aggregate.invitees[self.person_id] = Invitee(
                self.person_id, self.reason, self.rule, self.case_id
            )

    class AttachmentAdded(CaseflowAggregate.Event):
        sha256: str
        filename: str
        size: int
        media_type: str
        kind: str
        title: str
        item_number: int | None
        source_meeting_id: UUID | None
        rule: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.attachments.append(
                Attachment(
                    self.sha256,
                    self.filename,
                    self.size,
                    self.media_type,
                    AttachmentKind(self.kind),
                    self.title,
                    self.item_number,
                    self.source_meeting_id,
                    self.rule,
                    self.timestamp,
                )
            )

    class InvitationSent(CaseflowAggregate.Event):
        recipients: list[UUID]

        def apply(self, aggregate: Any) -> None:
            aggregate.recipients = list(self.recipients)
            aggregate.invitation_sent_at = self.timestamp
            aggregate.status = MeetingStatus.INVITATION_SENT

    class Held(CaseflowAggregate.Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.status = MeetingStatus.HELD
            aggregate.held_at = self.timestamp

    class MinutesApproved(CaseflowAggregate.Event):
        sha256: str

        def apply(self, aggregate: Any) -> None:
            aggregate.approved_minutes = self.sha256
            aggregate.status = MeetingStatus.MINUTES_APPROVED

    # -- queries ----------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.starts_at.year

    @property
    def held(self) -> bool:
        return self.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)

    @property
    def ends(self) -> datetime:
        """When the meeting ends: as scheduled, else two hours after it starts."""
        return self.ends_at or self.starts_at + timedelta(hours=2)

    @property
    def minutes(self) -> Attachment | None:
        """The latest minutes attached to this meeting, approved or not."""
        found = [a for a in self.attachments if a.kind is AttachmentKind.MINUTES]
        return found[-1] if found else None

    def has_attachment(self, sha256: str, kind: AttachmentKind | None = None) -> bool:
        return any(
            a.sha256 == sha256 and (kind is None or a.kind is kind) for a in self.attachments
        )

    def item_titled(self, prefix: str) -> AgendaItem | None:
        """The first item whose title starts with ``prefix`` (case-insensitive)."""
        for item in self.items:
            if item.title.lower().startswith(prefix.lower()):
                return item
        return None

    def participating_groups(self) -> list[UUID]:
        """The groups whose members this meeting is for (a group meeting's group, or the
        groups of a joint session)."""
        groups = list(self.group_ids)
        if self.group_id is not None and self.group_id not in groups:
            groups.insert(0, self.group_id)
        return groups

    # -- commands (the caller has checked permissions and passes the grant) -----------

    def check_open_for_items(self) -> None:
        if self.held:
            raise InvalidTransition("the meeting has been held; its agenda is closed")

    def add_item(
        self,
        title: str,
        by: Any,
        *,
        case_id: UUID | None = None,
        standing: bool = False,
        sequence: AgendaSequence | None = None,
    ) -> AgendaItem:
        """Add an item. Per-year bodies take their number from ``sequence``."""
        self.check_open_for_items()
        if not title.strip():
            raise InvalidInput.field("title", "required")
        if case_id is not None and any(i.case_id == case_id for i in self.items):
            raise InvalidTransition("the case is already on this meeting's agenda")
        if self.body.numbers_per_year:
            if sequence is None or sequence.year != self.year or sequence.body != self.body:
                raise ValueError("a per-year body needs its sequence of the meeting's year")
            number = sequence.issue(by)
            year: int | None = self.year
        else:
            number = len(self.items) + 1
            year = None
        self._record(
            self.ItemAdded,
            by,
            number=number,
            year=year,
            title=title.strip(),
            case_id=case_id,
            standing=standing,
        )
        return self.items[-1]

    def invite(
        self,
        person_id: UUID,
        reason: str,
        by: Any,
        *,
        rule: str | None = None,
        case_id: UUID | None = None,
    ) -> bool:
        """Invite a person; returns False (and records nothing) if already invited."""
        self.check_open_for_items()
        if person_id in self.invitees:
            return False
        if not reason.strip():
            raise InvalidInput.field("reason", "say why the person is invited")
        self._record(
            self.Invited, by, person_id=person_id, reason=reason.strip(), rule=rule, case_id=case_id
        )
        return True

    def attach(
        self,
        *,
        sha256: str,
        filename: str,
        size: int,
        media_type: str,
        kind: AttachmentKind,
        by: Any,
        title: str = "",
        item_number: int | None = None,
        source_meeting_id: UUID | None = None,
        rule: str | None = None,
    ) -> Attachment:
        """Record a stored file. Minutes are attached once the meeting is held; nothing
        is attached after the minutes are approved."""
        if self.status is MeetingStatus.MINUTES_APPROVED:
            raise InvalidTransition("the minutes are approved; the meeting's record is closed")
        if kind is AttachmentKind.MINUTES and not self.held:
            raise InvalidTransition("minutes are attached after the meeting is held")
        if not _SHA256.match(sha256):
            raise InvalidInput.field("sha256", "a SHA-256 hex digest (64 lower-case hex digits)")
        if media_type not in MEDIA_TYPES:
            allowed = ", ".join(MEDIA_TYPES.values())
            raise InvalidInput.field("file", f"only {allowed} files can be attached")
        if size <= 0:
            raise InvalidInput.field("file", "the file is empty")
        name = filename.strip().replace("\\", "/").rsplit("/", 1)[-1]
        if not name:
            raise InvalidInput.field("filename", "required")
        if item_number is not None and not any(i.number == item_number for i in self.items):
            raise InvalidInput.field("item_number", "no such item on this meeting's agenda")
        if self.has_attachment(sha256, kind):
            raise InvalidTransition("that file is already attached to this meeting")
        self._record(
            self.AttachmentAdded,
            by,
            sha256=sha256,
            filename=name,
            size=size,
            media_type=media_type,
            kind=kind.value,
            title=title.strip() or name,
            item_number=item_number,
            source_meeting_id=source_meeting_id,
            rule=rule,
        )
        return self.attachments[-1]

    def send_invitation(self, recipients: list[UUID], by: Any) -> None:
        if self.status is not MeetingStatus.PLANNED:
            raise InvalidTransition(
                f"the invitation can only be sent while the meeting is planned "
                f"(it is {self.status.value})",
                status=self.status.value,
            )
        if not self.items:
            raise InvalidTransition("the agenda is empty; add items before inviting")
        self._record(self.InvitationSent, by, recipients=sorted(set(recipients), key=str))

    def mark_held(self, by: Any) -> None:
        if self.held:
            raise InvalidTransition("the meeting is already marked as held")
        if clock.now() < self.starts_at:
            raise InvalidTransition("a meeting cannot be marked as held before it starts")
        self._record(self.Held, by)

    def approve_minutes(self, by: Any) -> None:
        if self.status is MeetingStatus.MINUTES_APPROVED:
            raise InvalidTransition("the minutes are already approved")
        if not self.held:
            raise InvalidTransition("minutes are approved after the meeting is held")
        minutes = self.minutes
        if minutes is None:
            raise InvalidTransition("attach the minutes (referat) before approving them")
        self._record(self.MinutesApproved, by, sha256=minutes.sha256)


class AgendaSequence(CaseflowAggregate):
    """The next item number of one body in one calendar year. Saved together with the
    meeting (and case) it numbers, so two concurrent submissions cannot share a number."""

    class Started(CaseflowAggregate.Created):
        body: str
        year: int

    def __init__(self, body: str, year: int) -> None:
        self.body = MeetingBody(body)
        self.year = year
        self.last = 0

    @staticmethod
    def create_id(body: str, year: int) -> UUID:
        return stable_id("agenda-sequence", body, str(year))

    class NumberIssued(CaseflowAggregate.Event):
        number: int

        def apply(self, aggregate: Any) -> None:
            aggregate.last = self.number

    def issue(self, by: Any) -> int:
        self._record(self.NumberIssued, by, number=self.last + 1)
        return self.last


# -- standard agenda items ----------------------------------------------------------------

#: Opening and closing standing items of a real board agenda (styremøte 8.12.2025:
#: Sak 38/25 "Godkjenning av innkalling" … Sak 47/25 "Eventuelt").
BOARD_CLOSING = (
    "Orientering fra styrets medlemmer",
    "Orientering fra interessepolitisk utvalg",
    "Orientering fra sekretariatet",
    "Eventuelt",
)

#: The standing item the R15 KG minutes are attached to.
SECRETARIAT_BRIEFING = "Orientering fra sekretariatet"

_BODY_NOUN = {
    MeetingBody.BOARD: "styremøte",
    MeetingBody.KG: "KG-møte",
    MeetingBody.IPU: "møte i interessepolitisk utvalg",
    MeetingBody.COUNCIL: "representantskapsmøte",
    MeetingBody.GROUP: "gruppemøte",
    MeetingBody.JOINT: "felles samling",
}


def standard_items(
    body: MeetingBody, previous: datetime | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The standing items of a body's agenda as (opening, closing). ``previous`` is the
    date of the body's previous meeting, whose minutes the opening part approves."""
    noun = _BODY_NOUN[body]
    minutes = (
        f"Godkjenning av referat fra {noun} {previous:%d.%m.%Y}"
        if previous is not None
        else "Godkjenning av referat fra forrige møte"
    )
    if body is MeetingBody.BOARD:
        return ("Godkjenning av innkalling", minutes), BOARD_CLOSING
    if body is MeetingBody.JOINT:
        return ("Velkommen og program",), ("Oppsummering og veien videre",)
    return ("Godkjenning av innkalling og saksliste", minutes), ("Eventuelt",)


# -- planning (R16) -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanningRules:
    """R16: how far ahead of the board meeting KG should meet (days, inclusive), and the
    deadlines derived from a board meeting. Configurable; the defaults follow practice
    (the KG gap has been two to four weeks)."""

    kg_min_days: int = 10
    kg_max_days: int = 30
    advice_days_before_kg: int = 1
    papers_days_before_board: int = 7

    @classmethod
    def parse(cls, window: str | None = None, papers_days: str | None = None) -> PlanningRules:
        """From settings such as ``"10-30"`` (KG window) and ``"7"`` (papers)."""
        rules = cls()
        if window:
            low, _, high = window.partition("-")
            try:
                lo, hi = int(low), int(high or low)
            except ValueError:
                raise ValueError(f"KG window must look like '10-30', not {window!r}") from None
            if not 0 <= lo <= hi:
                raise ValueError(f"KG window must have 0 <= min <= max, not {window!r}")
            rules = cls(lo, hi, rules.advice_days_before_kg, rules.papers_days_before_board)
        if papers_days:
            rules = cls(
                rules.kg_min_days, rules.kg_max_days, rules.advice_days_before_kg, int(papers_days)
            )
        return rules


def kg_gap_warning(
    kg_start: datetime | None, board_start: datetime, rules: PlanningRules
) -> str | None:
    """R16: a warning when the KG meeting preparing a board meeting is not within the
    window before it (or there is none)."""
    if kg_start is None:
        return (
            f"R16: no KG meeting prepares the board meeting of {board_start:%d.%m.%Y} "
            f"(KG meets {rules.kg_min_days}–{rules.kg_max_days} days before)"
        )
    gap = (board_start.date() - kg_start.date()).days
    if rules.kg_min_days <= gap <= rules.kg_max_days:
        return None
    return (
        f"R16: the KG meeting of {kg_start:%d.%m.%Y} is {gap} days before the board meeting "
        f"of {board_start:%d.%m.%Y}; KG should meet about two weeks before "
        f"({rules.kg_min_days}–{rules.kg_max_days} days)"
    )


# -- who may do what with meetings ---------------------------------------------------------


def may_manage_meetings(actor: Actor) -> Grant:
    """The secretariat schedules meetings, keeps agendas, sends invitations and records
    minutes."""
    if actor.is_system:
        return Grant(SYSTEM, SYSTEM, None)
    if actor.is_secretariat:
        return Grant(actor.id, SystemRole.SECRETARIAT.value, "sekretariatet")
    raise NotPermitted(
        "Only the secretariat schedules meetings, keeps their agendas and sends invitations.",
        rule=None,
    )


def may_see_meeting(actor: Actor, meeting: Meeting, kg_id: UUID) -> bool:
    """Secretariat and auditors see every meeting; invitees and recipients see theirs;
    board members see the political bodies' meetings; KG members see KG's and the political
    bodies' meetings (KG prepares their cases); a group's members see its meetings;
    any group member sees joint gatherings."""
    if may_read_everything(actor):
        return True
    if actor.is_system:
        return True
    pid = UUID(actor.id)
    if pid in meeting.invitees or pid in meeting.recipients:
        return True
    political = (MeetingBody.BOARD, MeetingBody.IPU, MeetingBody.COUNCIL)
    if meeting.body in political:
        return SystemRole.BOARD in actor.system_roles or actor.seat(kg_id) is not None
    if meeting.body is MeetingBody.KG:
        return actor.seat(kg_id) is not None
    if meeting.body is MeetingBody.JOINT:
        groups = meeting.participating_groups()
        return bool(actor.seats) if not groups else any(actor.seat(g) for g in groups)
    return any(actor.seat(g) is not None for g in meeting.participating_groups())


def takes_part(actor: Actor, meeting: Meeting, kg_id: UUID) -> bool:
    """Whether a meeting belongs in the person's own calendar: the secretariat's staff
    take part in every meeting; others in their groups' and bodies' meetings and in those
    they are invited to."""
    if actor.is_secretariat:
        return True
    pid = UUID(actor.id)
    if pid in meeting.invitees or pid in meeting.recipients:
        return True
    if meeting.body in (MeetingBody.BOARD, MeetingBody.IPU, MeetingBody.COUNCIL):
        return SystemRole.BOARD in actor.system_roles
    if meeting.body is MeetingBody.KG:
        return actor.seat(kg_id) is not None
    groups = meeting.participating_groups()
    if meeting.body is MeetingBody.JOINT and not groups:
        return bool(actor.seats)
    return any(actor.seat(g) is not None for g in groups)


# -- the yearly plan (R20) -------------------------------------------------------------------


def parse_years(text: str | None) -> frozenset[int] | None:
    """Years from a setting such as ``"2025,2027"``; None when not set."""
    if not text or not text.strip():
        return None
    try:
        return frozenset(int(part) for part in text.replace(";", ",").split(",") if part.strip())
    except ValueError:
        raise ValueError(f"years must look like '2025,2027', not {text!r}") from None


def is_best_year(year: int, best_years: frozenset[int] | None = None) -> bool:
    """Whether the BEST conference is held in ``year``. The mandate says only that the
    joint gathering is held every other year, in the years without BEST; BEST was held in
    2021 (KG agenda 7.9.2021), so without configured years we assume odd years."""
    if best_years is not None:
        return year in best_years
    return year % 2 == 1


# -- measures (R18) -------------------------------------------------------------------------


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    PAUSED = "paused"


@dataclass(frozen=True)
class MeasureUpdate:
    status: MeasureStatus
    note: str
    meeting_id: UUID | None
    actor: str
    at: datetime


class Measure(CaseflowAggregate):
    """A measure (tiltak) tied to a focus area of the strategy, followed up by KG (R18)."""

    class Registered(CaseflowAggregate.Created):
        title: str
        focus_area: str
        description: str

    def __init__(self, title: str, focus_area: str, description: str) -> None:
        self.title = title
        self.focus_area = FocusArea(focus_area)
        self.description = description
        self.status = MeasureStatus.PLANNED
        self.updates: list[MeasureUpdate] = []

    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    class StatusUpdated(CaseflowAggregate.Event):
        status: str
        note: str
        meeting_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            aggregate.status = MeasureStatus(self.status)
            aggregate.updates.append(
                MeasureUpdate(
                    MeasureStatus(self.status),
                    self.note,
                    self.meeting_id,
                    self.actor,
                    self.timestamp,
                )
            )

    def update(self, status: MeasureStatus, note: str, meeting_id: UUID | None, by: Any) -> None:
        if status is self.status and not note.strip():
            raise InvalidInput.field("note", "say what changed when the status stays the same")
        self._record(
            self.StatusUpdated, by, status=status.value, note=note.strip(), meeting_id=meeting_id
        )


def may_follow_up_measures(actor: Actor, kg_id: UUID) -> Grant:
    """R18: KG's (non-observer) members and the secretariat follow up measures."""
    if actor.is_system or actor.is_secretariat:
        return may_manage_meetings(actor)
    seat = actor.seat(kg_id)
    if seat is not None and seat.role is not GroupRole.OBSERVER:
        return Grant(actor.id, seat.label, seat.on_behalf_of)
    if seat is not None:
        raise NotPermitted("Observers in KG read but do not follow up measures.", rule="R9")
    raise NotPermitted("KG follows up the measures tied to the strategies.", rule="R18")

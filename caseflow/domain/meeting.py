"""A meeting of one body (the board, KG, the interest-policy committee, the council of
representatives, a group, a joint gathering): when and where, its agenda, invitees,
invitation, attachments and minutes.

A meeting goes planned → invitation sent → held → minutes approved, or is cancelled before
it is held. Items wait unnumbered until the invitation numbers them; the agenda's items and
numbering: :mod:`caseflow.domain.agenda`, its later steps :mod:`caseflow.domain.agenda_steps`.
Files (:mod:`caseflow.domain.meeting_files`) are stored by SHA-256; who may see and change
meetings: :mod:`caseflow.domain.permissions.meetings`; R16, R20: :mod:`caseflow.domain.planning`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from caseflow.domain import agenda as ag
from caseflow.domain import clock
from caseflow.domain.agenda import AgendaItem, AgendaSequence, ItemState, Section
from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.errors import InvalidInput, InvalidTransition
from caseflow.domain.localtime import local_date
from caseflow.domain.meeting_files import MEDIA_TYPES, Attachment, AttachmentKind, check_file
from caseflow.domain.meeting_screening import ItemScreenable
from caseflow.domain.meeting_values import Invitee, MeetingStatus, Supplement
from caseflow.domain.values import MeetingBody

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant

__all__ = [
    "MEDIA_TYPES",
    "Attachment",
    "AttachmentKind",
    "Invitee",
    "Meeting",
    "MeetingStatus",
    "Supplement",
]


class Meeting(ItemScreenable, CaseflowAggregate):
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
        self.supplements: list[Supplement] = []
        self.cancelled_at: datetime | None = None
        self.cancel_reason: str | None = None
        self.present: list[UUID] = []
        self.absent: list[UUID] = []

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
                AgendaItem(
                    self.number,
                    self.year,
                    self.title,
                    self.case_id,
                    self.standing,
                    key=str(self.number),
                )
            )

    # Issue 14: new event classes, so that the ones above (numbered when added) replay as-is.

    class ItemQueued(CaseflowAggregate.Event):
        """An item waits on the agenda, unnumbered, at ``position`` (0 = first)."""

        key: str
        title: str
        case_id: UUID | None
        standing: bool
        section: str
        position: int

        def apply(self, aggregate: Any) -> None:
            item = AgendaItem(
                None,
                None,
                self.title,
                self.case_id,
                self.standing,
                key=self.key,
                section=Section(self.section),
            )
            aggregate.items.insert(self.position, item)

    class ItemMoved(CaseflowAggregate.Event):
        key: str
        position: int

        def apply(self, aggregate: Any) -> None:
            aggregate.items = ag.moved(aggregate.items, self.key, self.position)

    class AgendaNumbered(CaseflowAggregate.Event):
        """The invitation numbers the waiting items in printed order (key → number)."""

        numbers: dict[str, int]
        year: int | None

        def apply(self, aggregate: Any) -> None:
            aggregate.items = ag.numbered(aggregate.items, self.numbers, self.year)

    class SupplementaryItemAdded(CaseflowAggregate.Event):
        """A tilleggssak: added after the invitation, with the next free number."""

        key: str
        number: int
        year: int | None
        title: str
        case_id: UUID | None
        standing: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.items.append(
                AgendaItem(
                    self.number,
                    self.year,
                    self.title,
                    self.case_id,
                    self.standing,
                    key=self.key,
                    supplementary=True,
                )
            )

    class SupplementaryInvitationSent(CaseflowAggregate.Event):
        recipients: list[UUID]
        item_keys: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.supplements.append(
                Supplement(self.timestamp, list(self.recipients), list(self.item_keys))
            )

    class ItemPostponed(CaseflowAggregate.Event):
        """Utsatt: a numbered item stays on the record, marked; an unnumbered one leaves."""

        key: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.items = ag.marked(aggregate.items, self.key, ItemState.POSTPONED, self.reason)

    class ItemWithdrawn(CaseflowAggregate.Event):  # trukket; applied as ItemPostponed is
        key: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.items = ag.marked(aggregate.items, self.key, ItemState.WITHDRAWN, self.reason)

    class AttendanceRecorded(CaseflowAggregate.Event):
        """The minutes' attendance (who was there, who sent apologies); the last counts."""

        present: list[UUID]
        absent: list[UUID]

        def apply(self, aggregate: Any) -> None:
            aggregate.present, aggregate.absent = list(self.present), list(self.absent)

    class ItemDecided(CaseflowAggregate.Event):
        """The minutes' decision (vedtak) on an item; a board case is decided with it."""

        key: str
        decision: str

        def apply(self, aggregate: Any) -> None:
            aggregate.items = ag.decided(aggregate.items, self.key, self.decision)

    class Cancelled(CaseflowAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status = MeetingStatus.CANCELLED
            aggregate.cancelled_at = self.timestamp
            aggregate.cancel_reason = self.reason

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
        """The calendar year as people read it (00:30 Oslo on 1 January is the new year)."""
        return local_date(self.starts_at).year

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

    @property
    def cancelled(self) -> bool:
        return self.status is MeetingStatus.CANCELLED

    def check_open_for_items(self) -> None:
        if self.cancelled:
            raise InvalidTransition("the meeting is cancelled; its agenda is closed")
        if self.held:
            raise InvalidTransition("the meeting has been held; its agenda is closed")

    def item(self, key: str) -> AgendaItem:
        found = ag.find(self.items, key)
        if found is None:
            raise InvalidInput.field("item", "no such item on this meeting's agenda")
        return found

    def active_items(self) -> list[AgendaItem]:
        return [i for i in self.items if i.active]

    def add_item(
        self,
        title: str,
        by: Grant,
        *,
        case_id: UUID | None = None,
        standing: bool = False,
        sequence: AgendaSequence | None = None,
    ) -> AgendaItem:
        """Add an item: before the invitation it waits unnumbered in its section; after
        it, it is a supplementary item (tilleggssak) with the next free number (per-year
        bodies take it from ``sequence``)."""
        self.check_open_for_items()
        if not title.strip():
            raise InvalidInput.field("title", "required")
        if case_id is not None and any(i.case_id == case_id for i in self.active_items()):
            raise InvalidTransition("the case is already on this meeting's agenda")
        key = uuid4().hex[:12]
        if self.status is MeetingStatus.PLANNED:
            section = ag.section_of(title.strip(), standing=standing)
            self._record(
                self.ItemQueued,
                by,
                key=key,
                title=title.strip(),
                case_id=case_id,
                standing=standing,
                section=section.value,
                position=ag.insert_position(self.items, section),
            )
            return self.item(key)
        number, year = self._next_number(sequence, by)
        self._record(
            self.SupplementaryItemAdded,
            by,
            key=key,
            number=number,
            year=year,
            title=title.strip(),
            case_id=case_id,
            standing=standing,
        )
        return self.items[-1]

    def _next_number(self, sequence: AgendaSequence | None, by: Grant) -> tuple[int, int | None]:
        if not self.body.numbers_per_year:
            return ag.next_free(self.items), None
        if sequence is None or sequence.year != self.year or sequence.body != self.body:
            raise ValueError("a per-year body needs its sequence of the meeting's year")
        return sequence.issue(by), self.year

    def check_planned(self) -> None:
        if self.status is not MeetingStatus.PLANNED:
            raise InvalidTransition(
                "the invitation can only be sent while the meeting is planned (it is %(state)s)",
                status=self.status.value,
                state=self.status.value,
            )

    def unsent_supplementary_items(self) -> list[AgendaItem]:
        sent = {k for s in self.supplements for k in s.item_keys}
        return [i for i in self.items if i.supplementary and i.key not in sent]

    def invite(
        self,
        person_id: UUID,
        reason: str,
        by: Grant,
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
        by: Grant,
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
        name = check_file(sha256, filename, size, media_type)
        if item_number is not None and not any(i.number == item_number for i in self.items):
            if self.status is MeetingStatus.PLANNED:  # issue 14: numbered by the invitation
                raise InvalidInput.field("item_number", "items are numbered by the invitation")
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

    def send_invitation(self, recipients: list[UUID], by: Grant) -> None:
        """Record the invitation; :meth:`number_agenda` has numbered the agenda."""
        self.check_planned()
        if not self.active_items():
            raise InvalidTransition("the agenda is empty; add items before inviting")
        if any(i.number is None for i in self.active_items()):
            raise ValueError("number the agenda before sending the invitation")
        self._record(self.InvitationSent, by, recipients=sorted(set(recipients), key=str))

    def mark_held(self, by: Grant) -> None:
        if self.cancelled:
            raise InvalidTransition("the meeting is cancelled; its agenda is closed")
        if self.held:
            raise InvalidTransition("the meeting is already marked as held")
        if clock.now() < self.starts_at:
            raise InvalidTransition("a meeting cannot be marked as held before it starts")
        self._record(self.Held, by)

    def approve_minutes(self, by: Grant) -> None:
        if self.status is MeetingStatus.MINUTES_APPROVED:
            raise InvalidTransition("the minutes are already approved")
        if not self.held:
            raise InvalidTransition("minutes are approved after the meeting is held")
        minutes = self.minutes
        if minutes is None:
            raise InvalidTransition("attach the minutes (referat) before approving them")
        self._record(self.MinutesApproved, by, sha256=minutes.sha256)

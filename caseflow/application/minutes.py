"""Invitations, attachments and minutes of meetings: the invitation's automatic
attachments (R14, R15) and recipients, files (bytes behind the core's attachment port),
the minutes recorded and approved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from caseflow.application.case_queries import CaseQueries
from caseflow.application.core import CaseflowCore
from caseflow.application.meeting_queries import R15_BODIES, MeetingQueries
from caseflow.application.meetings import POLITICAL_BODIES, MeetingService
from caseflow.application.numbering import agenda_sequence, number_cases
from caseflow.application.ports import ProtokollRenderer
from caseflow.application.views import AttachmentView, MeetingView
from caseflow.domain.agenda import SECRETARIAT_BRIEFING
from caseflow.domain.agenda_steps import number_agenda
from caseflow.domain.errors import InvalidInput, NotFoundError
from caseflow.domain.localtime import local_text
from caseflow.domain.meeting import AttachmentKind, Meeting, MeetingStatus
from caseflow.domain.organisation import Group, Person
from caseflow.domain.permissions import Grant
from caseflow.domain.values import GroupKind, MeetingBody, SystemRole


class MinutesService:
    """What goes out with an invitation, and what comes back as minutes."""

    def __init__(
        self,
        core: CaseflowCore,
        cases: CaseQueries,
        meetings: MeetingService,
        views: MeetingQueries,
    ) -> None:
        self.core = core
        self.cases = cases
        self.meetings = meetings
        self.views = views
        self._protokoll_renderer: ProtokollRenderer | None = None

    def send_invitation(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Send the invitation: complete the standard items, number the agenda in printed
        order (continuing the body's sequence; board cases get their numbers), attach the
        newest approved KG minutes to board and committee invitations (R15) and the
        cross-cutting working groups' newest approved minutes to expert-group invitations
        (R14), and record the recipients (the body's members and the invitees)."""

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            meeting.check_planned()
            others: list[Any] = []
            if meeting.item_titled("Godkjenning av innkalling") is not None:
                others += self.meetings.add_missing_items(
                    meeting, self.meetings.standard_items(meeting)[1], grant
                )
            per_year = meeting.body.numbers_per_year
            sequence = agenda_sequence(self.core, meeting, grant) if per_year else None
            numbers = number_agenda(meeting, sequence, grant)
            if numbers:
                others += [sequence, *number_cases(self.core, meeting, numbers, grant)]
            everything = self.views.all_meetings()
            if meeting.body in R15_BODIES:
                self._attach_kg_minutes(meeting, everything, grant)
            if meeting.body is MeetingBody.GROUP and self._is_expert_meeting(meeting):
                self._attach_working_group_minutes(meeting, everything, grant)
            meeting.send_invitation(self.recipients(meeting), grant)
            return others

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    def recipients(self, meeting: Meeting) -> list[UUID]:
        """The body's members and the invitees."""
        return self._body_members(meeting) + list(meeting.invitees)

    def _attach_kg_minutes(self, meeting: Meeting, everything: list[Meeting], grant: Grant) -> None:
        """R15: the newest approved KG minutes (of a KG meeting before this meeting)."""
        kg = _newest_approved(
            m for m in everything if m.body is MeetingBody.KG and m.starts_at < meeting.starts_at
        )
        if kg is None:
            return
        briefing = meeting.item_titled(SECRETARIAT_BRIEFING)
        _attach_minutes_of(
            meeting,
            kg,
            AttachmentKind.KG_MINUTES,
            "R15",
            f"Referat fra administrativ koordineringsgruppe {local_text(kg.starts_at, '%d.%m.%Y')}",
            briefing.number if briefing else None,
            grant,
        )

    def _is_expert_meeting(self, meeting: Meeting) -> bool:
        group = (
            self.core.for_query(Group, meeting.group_id, optional=True)
            if meeting.group_id
            else None
        )
        return group is not None and group.kind is GroupKind.EXPERT

    def _attach_working_group_minutes(
        self, meeting: Meeting, everything: list[Meeting], grant: Grant
    ) -> None:
        """R14: each cross-cutting working group's newest approved minutes."""
        for group in self.core.shared_groups():
            if group.kind is not GroupKind.CROSS_CUTTING:
                continue
            source = _newest_approved(
                m
                for m in everything
                if m.body is MeetingBody.GROUP
                and m.group_id == group.id
                and m.starts_at < meeting.starts_at
            )
            if source is not None:
                _attach_minutes_of(
                    meeting,
                    source,
                    AttachmentKind.WORKING_GROUP_MINUTES,
                    "R14",
                    f"Referat fra {group.name} {local_text(source.starts_at, '%d.%m.%Y')}",
                    None,
                    grant,
                )

    def _body_members(self, meeting: Meeting) -> list[UUID]:
        """Who a meeting's invitation goes to, besides its invitees."""
        if meeting.body in POLITICAL_BODIES:
            directory = self.core.shared_directory()
            people = [self.core.for_query(Person, pid, optional=True) for pid in directory.people]
            return [p.id for p in people if p is not None and SystemRole.BOARD in p.system_roles]
        if meeting.body is MeetingBody.KG:
            group_ids = [self.core.kg_id()]
        elif meeting.body is MeetingBody.JOINT and not meeting.participating_groups():
            group_ids = list(self.core.shared_directory().groups.values())
        else:
            group_ids = meeting.participating_groups()
        members: list[UUID] = []
        for gid in group_ids:
            group = self.core.for_query(Group, gid, optional=True)
            if group is not None:
                members += [pid for pid in group.members if pid not in members]
        return members

    def add_attachment(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        filename: str,
        data: bytes,
        *,
        kind: AttachmentKind = AttachmentKind.DOCUMENT,
        title: str = "",
        item_number: int | None = None,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Store a file (content-addressed, size- and type-checked) and record its hash,
        name, size and media type on the meeting. The file is written only after every
        check has passed, and before the event that names it is saved."""
        if kind in (AttachmentKind.KG_MINUTES, AttachmentKind.WORKING_GROUP_MINUTES):
            raise InvalidInput.field("kind", "other meetings' minutes are attached by the rules")
        store = self.core.attachment_store

        def mutate(meeting: Meeting, grant: Grant) -> None:
            checked = store.check(filename, data)
            meeting.attach(
                sha256=checked.sha256,
                filename=checked.filename,
                size=checked.size,
                media_type=checked.media_type,
                kind=kind,
                title=title,
                item_number=item_number,
                by=grant,
            )
            store.put(filename, data)

        return self.meetings.manage(actor_id, meeting_id, mutate, expected_version)

    def record_minutes(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        filename: str,
        data: bytes,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Attach the minutes (referat) of a held meeting."""
        meeting = self.core.for_query(Meeting, meeting_id, "meeting")
        title = f"Referat fra {meeting.title}"
        return self.add_attachment(
            actor_id,
            meeting_id,
            filename,
            data,
            kind=AttachmentKind.MINUTES,
            title=title,
            expected_version=expected_version,
        )

    def approve_minutes(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Record that the minutes were approved (usually at the body's next meeting).
        Without an uploaded minutes file, the protokoll generated from the recorded
        attendance and decisions is stored (SHA-256) and attached as the minutes first,
        in the same save (:meth:`approve_with_protokoll`)."""
        return self.meetings.manage(
            actor_id, meeting_id, lambda m, g: self.approve_with_protokoll(m, g), expected_version
        )

    def use_protokoll_renderer(self, renderer: ProtokollRenderer) -> None:
        """How the protokoll becomes a PDF (a composition root gives
        ``web.presentation.protokoll.render_protokoll_pdf``)."""
        self._protokoll_renderer = renderer

    def approvable(self, meeting: Meeting) -> bool:
        """Whether ``meeting``'s minutes can be approved now: held, with a minutes file or
        a recorded protokoll that can be rendered (else standing item 2 only records its
        decision)."""
        if not meeting.held or meeting.status is MeetingStatus.MINUTES_APPROVED:
            return False
        return meeting.minutes is not None or (
            self._protokoll_renderer is not None and self._has_protokoll(meeting)
        )

    def _has_protokoll(self, meeting: Meeting) -> bool:
        view = self.views.meeting_view(meeting)
        return bool(view.present or view.absent or any(i.decision for i in view.agenda))

    def approve_with_protokoll(self, meeting: Meeting, grant: Grant) -> None:
        """Approve ``meeting``'s minutes; when none are attached and its protokoll was
        recorded (attendance or a decision) and a renderer is set, the protokoll PDF is
        stored and attached as the minutes first (R15 can then attach it)."""
        renderer = self._protokoll_renderer
        if (
            meeting.minutes is None
            and meeting.held
            and renderer is not None
            and self._has_protokoll(meeting)
        ):
            view = self.views.meeting_view(meeting)
            people = [*view.present, *view.absent]
            pdf = renderer(view, {p: self.core.person_name(p) for p in people})
            day = local_text(meeting.starts_at, "%Y-%m-%d")
            name = f"protokoll-{meeting.body.value}-{day}.pdf"
            store = self.core.attachment_store  # our own file: no upload limit
            checked = store.check(name, pdf, max_bytes=len(pdf))
            meeting.attach(
                sha256=checked.sha256,
                filename=checked.filename,
                size=checked.size,
                media_type=checked.media_type,
                kind=AttachmentKind.MINUTES,
                title=f"Protokoll fra {meeting.title}",
                by=grant,
            )
            store.put(name, pdf, max_bytes=len(pdf))
        meeting.approve_minutes(grant)

    def previous_unapproved(self, meeting: Meeting) -> Meeting | None:
        """The body's latest held meeting before ``meeting`` whose minutes wait for
        approval (the one its standing item 2 approves), if any."""
        earlier = [
            m
            for m in self.views.all_meetings()
            if m.body is meeting.body
            and m.group_id == meeting.group_id
            and m.starts_at < meeting.starts_at
            and m.status is not MeetingStatus.CANCELLED
        ]
        latest = max(earlier, key=lambda m: m.starts_at, default=None)
        if latest is None or latest.status is not MeetingStatus.HELD:
            return None
        return self.core.for_command(Meeting, latest.id, "meeting")

    def mark_held(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        return self.meetings.manage(
            actor_id, meeting_id, lambda m, g: m.mark_held(g), expected_version
        )

    def attachment_file(
        self, viewer: UUID | str | None, meeting_id: UUID, sha256: str
    ) -> tuple[AttachmentView, bytes]:
        """An attachment's metadata and its (hash-verified) bytes, for those who may see
        the meeting (and, for an item's attachment, that item's case)."""
        meeting = self.views.visible(viewer, meeting_id)
        view = self.views.for_reader(
            self.views.meeting_view(meeting), self.cases.case_reader(viewer)
        )
        for a in view.attachments:
            if a.sha256 == sha256:
                return a, self.core.attachment_store.get(sha256)
        raise NotFoundError("no such attachment on this meeting", sha256=sha256)


def _newest_approved(meetings: Iterable[Meeting]) -> Meeting | None:
    approved = [m for m in meetings if m.status is MeetingStatus.MINUTES_APPROVED]
    return max(approved, key=lambda m: m.starts_at) if approved else None


def _attach_minutes_of(
    meeting: Meeting,
    source: Meeting,
    kind: AttachmentKind,
    rule: str,
    title: str,
    item_number: int | None,
    grant: Grant,
) -> None:
    minutes = next(a for a in source.attachments if a.sha256 == source.approved_minutes)
    if meeting.has_attachment(minutes.sha256, kind):
        return
    meeting.attach(
        sha256=minutes.sha256,
        filename=minutes.filename,
        size=minutes.size,
        media_type=minutes.media_type,
        kind=kind,
        by=grant,
        title=title,
        item_number=item_number,
        source_meeting_id=source.id,
        rule=rule,
    )

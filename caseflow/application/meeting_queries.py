"""Reading meetings: every meeting from the cache, one meeting's view (agenda with case
references, invitees, attachments, R15/R16 warnings), as a given reader may see it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from caseflow.application.case_queries import CaseQueries
from caseflow.application.core import CaseflowCore
from caseflow.application.views import (
    AgendaItemView,
    AttachmentView,
    InviteeView,
    MeetingView,
    SupplementView,
)
from caseflow.domain.agenda import ItemState
from caseflow.domain.agenda_steps import unsent_supplementary_items
from caseflow.domain.case import Case
from caseflow.domain.errors import Message, NotFoundError
from caseflow.domain.meeting import Attachment, AttachmentKind, Meeting, MeetingStatus
from caseflow.domain.permissions import may_see_meeting, takes_part
from caseflow.domain.planning import kg_gap_warning
from caseflow.domain.values import MeetingBody


@dataclass(frozen=True)
class MeetingChoice:
    """A meeting as a form or filter offers it."""

    id: UUID
    body: str
    title: str
    starts_at: datetime
    held: bool


#: Case references and kinds remembered for agendas (two short strings each).
CASE_IDENTITIES_KEPT = 20_000

#: Bodies whose invitations carry the newest approved KG minutes (R15).
R15_BODIES = (MeetingBody.BOARD, MeetingBody.IPU)


class MeetingQueries:
    """Meetings as their readers may see them."""

    def __init__(self, core: CaseflowCore, cases: CaseQueries) -> None:
        self.core = core
        self.cases = cases
        self._case_identities: OrderedDict[UUID, tuple[str | None, str | None]] = OrderedDict()

    def all_meetings(self) -> list[Meeting]:
        """Every meeting, shared from the aggregate cache: read them, never change them
        (a command changes its own private copy of the one meeting it manages)."""
        directory = self.core.shared_directory()
        found = [self.core.for_query(Meeting, mid, optional=True) for mid in directory.meetings]
        return sorted((m for m in found if m is not None), key=lambda m: m.starts_at)

    def previous_meeting(self, meeting: Meeting) -> Meeting | None:
        earlier = [
            m
            for m in self.all_meetings()
            if m.body is meeting.body
            and m.group_id == meeting.group_id
            and m.starts_at < meeting.starts_at
        ]
        return earlier[-1] if earlier else None

    def visible(self, viewer: UUID | str | None, meeting_id: UUID) -> Meeting:
        meeting = self.core.for_query(Meeting, meeting_id, "meeting")
        if viewer is not None and not may_see_meeting(
            self.core.actor(viewer), meeting, self.core.kg_id()
        ):
            raise NotFoundError("meeting not found", id=str(meeting_id))
        return meeting

    def meeting_view(
        self, meeting: Meeting, everything: list[Meeting] | None = None
    ) -> MeetingView:
        everything = self.all_meetings() if everything is None else everything
        agenda = []
        for position, i in enumerate(meeting.items, start=1):  # in printed order
            reference, kind = self._case_identity(i.case_id) if i.case_id else (None, None)
            agenda.append(
                AgendaItemView(
                    i.number,
                    i.label,
                    i.title,
                    i.case_id,
                    i.standing,
                    reference,
                    kind,
                    key=i.key,
                    position=position,
                    supplementary=i.supplementary,
                    postponed=i.state is ItemState.POSTPONED,
                    withdrawn=i.state is ItemState.WITHDRAWN,
                    note=i.note,
                    decision=i.decision,
                    screening=i.screening.as_dict() if i.screening is not None else None,
                    public_title=i.public_title,
                )
            )
        labels = {i.key: i.label for i in meeting.items}
        return MeetingView(
            id=meeting.id,
            body=meeting.body.value,
            title=meeting.title,
            starts_at=meeting.starts_at,
            place=meeting.place,
            group_id=meeting.group_id,
            held=meeting.held,
            agenda=agenda,
            version=meeting.version,
            status=meeting.status.value,
            ends_at=meeting.ends_at,
            digital=meeting.digital,
            group_ids=list(meeting.group_ids),
            invitees=[
                InviteeView(
                    i.person_id, self.core.person_name(i.person_id), i.reason, i.rule, i.case_id
                )
                for i in meeting.invitees.values()
            ],
            attachments=[_attachment_view(a) for a in meeting.attachments],
            recipients=list(meeting.recipients),
            invitation_sent_at=meeting.invitation_sent_at,
            approved_minutes=meeting.approved_minutes,
            warnings=self._warnings(meeting, everything),
            supplements=[
                SupplementView(
                    s.at, list(s.recipients), list(s.item_keys), [labels[k] for k in s.item_keys]
                )
                for s in meeting.supplements
            ],
            unsent_supplementary=[i.key for i in unsent_supplementary_items(meeting)],
            cancelled_at=meeting.cancelled_at,
            cancel_reason=meeting.cancel_reason,
            present=list(meeting.present),
            absent=list(meeting.absent),
        )

    def _case_identity(self, case_id: UUID) -> tuple[str | None, str | None]:
        """A case's reference and kind, which never change after it is proposed: read
        from its first event only and remembered (an agenda of a hundred cases does not
        replay a hundred cases, nor push the organisation out of the aggregate cache)."""
        memo = self._case_identities
        found = memo.get(case_id)
        if found is None:
            first = next(iter(self.core.events.get(case_id, lte=1)), None)
            if not isinstance(first, Case.Proposed):
                return (None, None)
            found = (first.reference, str(first.kind))
            memo[case_id] = found
            if len(memo) > CASE_IDENTITIES_KEPT:
                memo.popitem(last=False)
        return found

    def _warnings(self, meeting: Meeting, everything: list[Meeting]) -> list[Message]:
        rules = self.core.settings.planning_rules
        warnings: list[Message] = []
        if meeting.body is MeetingBody.BOARD:
            kg = _preparing_kg(meeting, everything)
            warning = kg_gap_warning(kg.starts_at if kg else None, meeting.starts_at, rules)
            if warning:
                warnings.append(warning)
        elif meeting.body is MeetingBody.KG:
            board = next(
                (
                    m
                    for m in everything
                    if m.body is MeetingBody.BOARD and m.starts_at > meeting.starts_at
                ),
                None,
            )
            if board is not None:
                warning = kg_gap_warning(meeting.starts_at, board.starts_at, rules)
                preparing = _preparing_kg(board, everything)
                if warning and preparing is not None and preparing.id == meeting.id:
                    warnings.append(warning)
        if meeting.body.numbers_per_year and meeting.status is MeetingStatus.PLANNED:
            numbered_later = any(
                m.body is meeting.body
                and m.year == meeting.year
                and m.starts_at > meeting.starts_at
                and m.status not in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED)
                for m in everything
            )
            if numbered_later:  # issue 14: invitations in date order read consecutively
                warnings.append(
                    Message(
                        "a later meeting's agenda is numbered already: this one's numbers "
                        "will follow it (send the invitations in date order)"
                    )
                )
        if (
            meeting.body in R15_BODIES
            and meeting.status is not MeetingStatus.PLANNED
            and not any(a.kind is AttachmentKind.KG_MINUTES for a in meeting.attachments)
        ):
            warnings.append(
                Message("the invitation went out without approved KG minutes", rule="R15")
            )
        return warnings

    @staticmethod
    def for_reader(view: MeetingView, may_see_case: Callable[[UUID], bool]) -> MeetingView:
        """The meeting as one reader sees it (``may_see_case``: :meth:`case_reader`).
        An agenda item whose case the reader may not see is withheld: its number and
        label stay, its title (the public one too), case, reference, kind and screening
        go; so go the reason and case of an invitation for that case (R13 names the group
        and the case) and the files attached to that item."""
        hidden_keys = {i.key for i in view.agenda if i.case_id and not may_see_case(i.case_id)}
        hidden = {i.number for i in view.agenda if i.key in hidden_keys and i.number is not None}
        hidden_invitations = [i for i in view.invitees if i.case_id and not may_see_case(i.case_id)]
        if not hidden_keys and not hidden_invitations:
            return view
        return replace(
            view,
            agenda=[
                replace(
                    i,
                    title="",
                    case_id=None,
                    case_reference=None,
                    case_kind=None,
                    note="",
                    decision="",
                    withheld=True,
                    public_title="",  # issue 18's title names the case too
                    screening=None,
                )
                if i.key in hidden_keys
                else i
                for i in view.agenda
            ],
            invitees=[
                replace(i, reason="", case_id=None, withheld=True) if i in hidden_invitations else i
                for i in view.invitees
            ],
            attachments=[a for a in view.attachments if a.item_number not in hidden],
        )

    def get_meeting(self, meeting_id: UUID, viewer: UUID | str | None = None) -> MeetingView:
        """One meeting; with ``viewer``, 404 unless that person may see it, and as they
        see it (:meth:`for_reader`)."""
        with self.core.reading():
            view = self.meeting_view(self.visible(viewer, meeting_id))
            return self.for_reader(view, self.cases.case_reader(viewer))

    def list_meetings(
        self,
        viewer: UUID | str | None = None,
        *,
        body: MeetingBody | str | None = None,
        year: int | None = None,
        group_id: UUID | None = None,
        from_year: int | None = None,
    ) -> list[MeetingView]:
        """Meetings by date; with ``viewer``, only those the person may see, as they see
        them (:meth:`for_reader`); ``year`` one calendar year, ``from_year`` that year
        and every later one."""
        with self.core.reading():
            everything = self.all_meetings()
            actor = self.core.actor(viewer) if viewer is not None else None
            wanted = MeetingBody(body) if body else None
            may_see_case = self.cases.case_reader(viewer)
            return [
                self.for_reader(self.meeting_view(m, everything), may_see_case)
                for m in everything
                if (wanted is None or m.body is wanted)
                and (year is None or m.year == year)
                and (from_year is None or m.year >= from_year)
                and (group_id is None or group_id in m.participating_groups())
                and (actor is None or may_see_meeting(actor, m, self.core.kg_id()))
            ]

    def meeting_choices(
        self,
        viewer: UUID | str,
        *,
        body: MeetingBody | str | None = None,
        upcoming: bool = False,
    ) -> list[MeetingChoice]:
        """The meetings a person may see, as choices for a form or a filter: no agenda,
        no cases loaded (a page listing them costs what the meetings cost, not the cases)."""
        actor = self.core.actor(viewer)
        wanted = MeetingBody(body) if body else None
        kg = self.core.kg_id()
        return [
            MeetingChoice(m.id, m.body.value, m.title, m.starts_at, m.held)
            for m in self.all_meetings()
            if (wanted is None or m.body is wanted)
            and not (upcoming and m.held)
            and may_see_meeting(actor, m, kg)
        ]

    def meetings_for_person(self, person_id: UUID | str) -> list[MeetingView]:
        """The meetings a person takes part in (their groups', their bodies', those they
        are invited to), as they see them (:meth:`for_reader`); the secretariat's staff
        get every meeting."""
        with self.core.reading():
            everything = self.all_meetings()
            actor = self.core.actor(person_id)
            may_see_case = self.cases.case_reader(person_id)
            return [
                self.for_reader(self.meeting_view(m, everything), may_see_case)
                for m in everything
                if takes_part(actor, m, self.core.kg_id())
            ]


def _attachment_view(a: Attachment) -> AttachmentView:
    return AttachmentView(
        a.sha256,
        a.filename,
        a.size,
        a.media_type,
        a.kind.value,
        a.title,
        a.item_number,
        a.source_meeting_id,
        a.rule,
        a.added_at,
    )


def _preparing_kg(board: Meeting, everything: list[Meeting]) -> Meeting | None:
    """The KG meeting that prepares a board meeting: the last KG meeting before it and
    after the previous board meeting."""
    previous_board = max(
        (
            m.starts_at
            for m in everything
            if m.body is MeetingBody.BOARD and m.starts_at < board.starts_at
        ),
        default=None,
    )
    candidates = [
        m
        for m in everything
        if m.body is MeetingBody.KG
        and m.starts_at < board.starts_at
        and (previous_board is None or m.starts_at > previous_board)
    ]
    return candidates[-1] if candidates else None

"""Commands and queries on meetings and their agendas."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from caseflow.application.history import HistoryQueries
from caseflow.application.views import AgendaItemView, MeetingView
from caseflow.domain.errors import InvalidInput
from caseflow.domain.index import Directory
from caseflow.domain.meeting import Meeting
from caseflow.domain.permissions import may_manage_organisation
from caseflow.domain.values import MeetingBody


class MeetingCommands(HistoryQueries):
    """The secretariat schedules meetings and keeps their agendas."""

    def schedule_meeting(
        self,
        actor_id: UUID | str | None,
        body: MeetingBody,
        starts_at: datetime,
        place: str = "Oslo rådhus",
        title: str | None = None,
        group_id: UUID | None = None,
    ) -> MeetingView:
        if starts_at.tzinfo is None:
            raise InvalidInput.field("starts_at", "give a time zone")
        if body is MeetingBody.GROUP and group_id is None:
            raise InvalidInput.field("group_id", "a group meeting names its group")

        def command() -> MeetingView:
            grant = may_manage_organisation(self.actor(actor_id, groups=()))
            meeting = Meeting._create(
                Meeting.Scheduled,
                body=body.value,
                title=(title or _default_title(body, starts_at)).strip(),
                starts_at=starts_at,
                place=place,
                group_id=group_id,
                actor=grant.actor,
                role=grant.role,
                on_behalf_of=grant.on_behalf_of,
            )
            directory = self.directory()
            directory.list_meeting(meeting.id, grant)
            self.save_all(meeting, directory)
            return self.meeting_view(meeting)

        return self.retrying(command)

    def add_standing_item(
        self, actor_id: UUID | str | None, meeting_id: UUID, title: str
    ) -> MeetingView:
        def command() -> MeetingView:
            grant = may_manage_organisation(self.actor(actor_id, groups=()))
            meeting = self.load(Meeting, meeting_id, "meeting")
            sequence = (
                self.agenda_sequence(meeting, grant) if meeting.body.numbers_per_year else None
            )
            meeting.add_item(title, grant, standing=True, sequence=sequence)
            self.save_all(meeting, sequence)
            return self.meeting_view(meeting)

        return self.retrying(command)

    def mark_held(self, actor_id: UUID | str | None, meeting_id: UUID) -> MeetingView:
        def command() -> MeetingView:
            grant = may_manage_organisation(self.actor(actor_id, groups=()))
            meeting = self.load(Meeting, meeting_id, "meeting")
            meeting.mark_held(grant)
            self.save_all(meeting)
            return self.meeting_view(meeting)

        return self.retrying(command)

    def meeting_view(self, meeting: Meeting) -> MeetingView:
        return MeetingView(
            id=meeting.id,
            body=meeting.body.value,
            title=meeting.title,
            starts_at=meeting.starts_at,
            place=meeting.place,
            group_id=meeting.group_id,
            held=meeting.held,
            agenda=[
                AgendaItemView(i.number, i.label, i.title, i.case_id, i.standing)
                for i in meeting.items
            ],
            version=meeting.version,
        )

    def get_meeting(self, meeting_id: UUID) -> MeetingView:
        return self.meeting_view(self.load(Meeting, meeting_id, "meeting"))

    def list_meetings(self) -> list[MeetingView]:
        directory: Directory = self.directory()
        meetings = [self.load(Meeting, mid, "meeting") for mid in directory.meetings]
        return [self.meeting_view(m) for m in sorted(meetings, key=lambda m: m.starts_at)]


BODY_TITLES = {
    MeetingBody.BOARD: "Styremøte",
    MeetingBody.KG: "Møte i administrativ koordineringsgruppe",
    MeetingBody.IPU: "Møte i interessepolitisk utvalg",
    MeetingBody.COUNCIL: "Representantskapsmøte",
    MeetingBody.GROUP: "Gruppemøte",
    MeetingBody.JOINT: "Felles samling",
}


def _default_title(body: MeetingBody, starts_at: datetime) -> str:
    return f"{BODY_TITLES[body]} {starts_at:%d.%m.%Y}"

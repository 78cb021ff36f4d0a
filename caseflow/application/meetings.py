"""Commands on meetings: scheduling and agendas (items wait unnumbered until the
invitation numbers them; ``agenda.py`` orders, postpones, withdraws, cancels), R13
invitations of expert-group leaders to KG, and other invitees. Invitations, attachments
and minutes: ``minutes.py``; reading meetings: ``meeting_queries.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from caseflow.application.case_queries import CaseQueries
from caseflow.application.core import CaseflowCore
from caseflow.application.meeting_queries import MeetingChoice, MeetingQueries
from caseflow.application.numbering import numbering_sequence, stamp
from caseflow.application.views import MeetingView
from caseflow.domain import clock, localtime
from caseflow.domain.agenda import standard_items
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput, InvalidTransition
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Group, Person
from caseflow.domain.permissions import Grant, may_manage_meetings, may_take_secretariat_step
from caseflow.domain.values import CaseStatus, GroupRole, MeetingBody, Step

__all__ = ["POLITICAL_BODIES", "MeetingChoice", "MeetingService"]

POLITICAL_BODIES = (MeetingBody.BOARD, MeetingBody.IPU, MeetingBody.COUNCIL)


class MeetingService:
    """The secretariat schedules meetings and keeps their agendas."""

    def __init__(self, core: CaseflowCore, cases: CaseQueries, views: MeetingQueries) -> None:
        self.core = core
        self.cases = cases
        self.views = views

    def schedule_meeting(
        self,
        actor_id: UUID | str | None,
        body: MeetingBody | str,
        starts_at: datetime,
        place: str = "Oslo rådhus",
        title: str | None = None,
        group_id: UUID | None = None,
        *,
        ends_at: datetime | None = None,
        digital: bool = False,
        group_ids: Iterable[UUID] = (),
    ) -> MeetingView:
        """Schedule a meeting. A group meeting names its group; a joint session or
        gathering may name the groups taking part (none: all groups)."""
        may_manage_meetings(self.core.actor(actor_id, groups=()))  # refuse before validating
        try:
            body = MeetingBody(body)
        except ValueError:
            raise InvalidInput.field("body", "unknown body %(value)r", value=body) from None
        if starts_at.tzinfo is None:
            raise InvalidInput.field("starts_at", "give a time zone")
        if ends_at is not None and (ends_at.tzinfo is None or ends_at <= starts_at):
            raise InvalidInput.field("ends_at", "must be after the start, with a time zone")
        if body is MeetingBody.GROUP and group_id is None:
            raise InvalidInput.field("group_id", "a group meeting names its group")
        if body is not MeetingBody.GROUP and group_id is not None:
            raise InvalidInput.field("group_id", "only group meetings name a group")
        if not (place or "").strip():
            if not digital:
                raise InvalidInput.field("place", "required (or mark the meeting as digital)")
            place = "Teams"
        groups = list(dict.fromkeys(group_ids))
        if groups and body is not MeetingBody.JOINT:
            raise InvalidInput.field("group_ids", "only joint sessions name several groups")

        def command() -> MeetingView:
            grant = may_manage_meetings(self.core.actor(actor_id, groups=()))
            for gid in [g for g in (group_id, *groups) if g is not None]:
                if self.core.for_query(Group, gid, optional=True) is None:
                    raise InvalidInput.field("group_id", "no group %(id)s", id=str(gid))
            meeting = Meeting._create(
                Meeting.Scheduled,
                body=body.value,
                title=(title or _default_title(body, starts_at)).strip(),
                starts_at=starts_at,
                place=place.strip(),
                group_id=group_id,
                ends_at=ends_at,
                digital=digital,
                group_ids=groups,
                **stamp(grant),
            )
            directory = self.core.directory()
            directory.list_meeting(meeting.id, grant)
            self.core.save_all(meeting, directory)
            return self.views.meeting_view(meeting)

        return self.core.retrying(command)

    def manage(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        mutate: Callable[[Meeting, Grant], list[Any] | None],
        expected_version: int | None = None,
    ) -> MeetingView:
        """Load the meeting, check that the actor is the secretariat and that the meeting
        is at ``expected_version`` (if given), let ``mutate`` change it (returning other
        aggregates to save atomically with it), save, retry."""

        def command() -> MeetingView:
            grant = may_manage_meetings(self.core.actor(actor_id, groups=()))
            meeting = self.core.for_command(Meeting, meeting_id, "meeting")
            self.core.check_version(meeting, expected_version)
            others = mutate(meeting, grant) or []
            self.core.save_all(meeting, *others)
            return self.views.meeting_view(meeting)

        return self.core.retrying(command)

    def add_standing_item(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        title: str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """A standing (non-case) item: it waits unnumbered before the invitation, and is a
        supplementary item with the next number after it."""

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            sequence = numbering_sequence(self.core, meeting, grant)
            meeting.add_item(title, grant, standing=True, sequence=sequence)
            return [sequence]

        return self.manage(actor_id, meeting_id, mutate, expected_version)

    def add_standard_items(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        part: str = "opening",
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Add the body's standard standing items: ``opening`` ("Godkjenning av
        innkalling", "Godkjenning av referat fra …"), ``closing`` (the briefings and
        "Eventuelt") or ``all``. Items already on the agenda are skipped. Each waits in
        its section (opening first, closing last, the cases between them); the closing
        part is added by ``send_invitation`` when the opening part is there."""
        if part not in ("opening", "closing", "all"):
            raise InvalidInput.field("part", "opening, closing or all")

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            opening, closing = self.standard_items(meeting)
            titles = {"opening": opening, "closing": closing, "all": opening + closing}[part]
            return self.add_missing_items(meeting, titles, grant)

        return self.manage(actor_id, meeting_id, mutate, expected_version)

    def standard_items(self, meeting: Meeting) -> tuple[tuple[str, ...], tuple[str, ...]]:
        previous = self.views.previous_meeting(meeting)
        return standard_items(meeting.body, previous.starts_at if previous else None)

    def add_missing_items(self, meeting: Meeting, titles: Iterable[str], grant: Grant) -> list[Any]:
        sequence = numbering_sequence(self.core, meeting, grant)
        for title in titles:
            if meeting.item_titled(_item_key(title)) is None:
                meeting.add_item(title, grant, standing=True, sequence=sequence)
        return [sequence]

    def place_case_on_agenda(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        case: UUID | str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Put a case on a KG, committee, council, group or joint meeting's agenda (a
        board meeting takes cases by submission, R1/R2). Proposals of themes and speakers
        and political-influence initiatives go on agendas like board cases (R17).

        On a KG agenda, the proposing group's leader is invited to the meeting for that
        case (R13); a case still under preparation is thereby sent to KG for advice at
        that meeting, which lets the invited leader give input on it."""
        case_id = self.cases.case_id(case)

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            if meeting.body is MeetingBody.BOARD:
                raise InvalidInput.field(
                    "meeting_id",
                    "cases reach a board meeting when the secretariat submits them",
                    rule="R2",
                )
            agg = self.core.for_command(Case, case_id, "case")
            if agg.status.is_final:
                raise InvalidTransition("The case is “%(status)s”.", status=agg.status.value)
            if meeting.body in POLITICAL_BODIES and agg.status is CaseStatus.PROPOSED:
                raise InvalidTransition(
                    "the secretariat accepts a proposal before it goes to a political body",
                    rule="R5",
                )
            if (
                meeting.body is MeetingBody.GROUP
                and agg.group_id not in meeting.participating_groups()
            ):
                raise InvalidInput.field("case_id", "a group meeting takes the group's own cases")
            sequence = numbering_sequence(self.core, meeting, grant)
            meeting.add_item(agg.title, grant, case_id=agg.id, sequence=sequence)
            others: list[Any] = [sequence]
            if meeting.body is MeetingBody.KG:
                others += self._invite_leader_to_kg(actor_id, meeting, agg, grant)
            return others

        return self.manage(actor_id, meeting_id, mutate, expected_version)

    def _invite_leader_to_kg(
        self, actor_id: UUID | str | None, meeting: Meeting, agg: Case, grant: Grant
    ) -> list[Any]:
        """R13: the proposing group's leader is invited to the KG meeting for the case."""
        group = self.core.for_query(Group, agg.group_id, "group")
        if group.id == self.core.kg_id():
            return []
        leader = group.holder(GroupRole.LEADER)
        if leader is None:
            return []
        meeting.invite(
            leader,
            f"Leder av {group.short_name or group.name}, for sak {agg.reference}",
            grant,
            rule="R13",
            case_id=agg.id,
        )
        if agg.status is CaseStatus.UNDER_PREPARATION and agg.documents:
            actor = self.cases.case_actor(actor_id, agg)
            deadline = max(  # never in the past (a KG meeting a few days away); Oslo days
                localtime.local_date(
                    meeting.starts_at
                    - timedelta(days=self.core.settings.planning_rules.advice_days_before_kg)
                ),
                localtime.local_date(clock.now()),
            )
            agg.request_advice(
                deadline,
                meeting.id,
                [leader],
                may_take_secretariat_step(actor, Step.REQUEST_ADVICE),
            )
            return [agg]
        if agg.status is CaseStatus.ADVICE_REQUESTED and leader not in agg.invited:
            agg.invite_leader(leader, grant)
            return [agg]
        return []

    def invite(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        person_id: UUID,
        reason: str,
        *,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Invite a person beyond the body's own members."""

        def mutate(meeting: Meeting, grant: Grant) -> None:
            self.core.for_query(Person, person_id, "person")
            meeting.invite(person_id, reason, grant)

        return self.manage(actor_id, meeting_id, mutate, expected_version)


BODY_TITLES = {
    MeetingBody.BOARD: "Styremøte",
    MeetingBody.KG: "Møte i administrativ koordineringsgruppe",
    MeetingBody.IPU: "Møte i interessepolitisk utvalg",
    MeetingBody.COUNCIL: "Representantskapsmøte",
    MeetingBody.GROUP: "Gruppemøte",
    MeetingBody.JOINT: "Felles samling",
}


def _default_title(body: MeetingBody, starts_at: datetime) -> str:
    return f"{BODY_TITLES[body]} {localtime.local_text(starts_at, '%d.%m.%Y')}"  # Oslo day


def _item_key(title: str) -> str:
    """What identifies a standard item already on the agenda ("Godkjenning av referat
    fra …" is present whatever date it names)."""
    return title.split(" fra ")[0] if title.startswith("Godkjenning av referat") else title

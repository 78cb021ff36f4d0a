"""Commands and queries on meetings: scheduling, agendas (numbered per body and year),
invitations with their automatic attachments (R14, R15), R13 invitations of expert-group
leaders to KG, minutes, the R16 planning rhythm and deadlines, the R20 yearly plan, and
the R18 follow-up of measures.

Configuration (read through the eventsourcing environment, i.e. ``os.environ``):
``CASEFLOW_KG_WINDOW_DAYS`` (R16, default ``10-30``), ``CASEFLOW_PAPERS_DAYS`` (papers due
this many days before the board meeting, default 7) and ``CASEFLOW_BEST_YEARS`` (R20,
e.g. ``2025,2027``; default: odd years). Attachment bytes go to the
:class:`~caseflow.application.ports.AttachmentStorage` that the composition root gives
with :meth:`MeetingCommands.use_attachment_store` (it reads ``CASEFLOW_ATTACHMENTS_DIR``
and ``CASEFLOW_ATTACHMENTS_MAX_BYTES``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from caseflow.application.history import HistoryQueries
from caseflow.application.ports import AttachmentStorage
from caseflow.application.views import (
    AgendaItemView,
    AttachmentView,
    DeadlinesView,
    InviteeView,
    MeasureUpdateView,
    MeasureView,
    MeetingView,
    PlanEntryView,
    YearPlanView,
)
from caseflow.domain import clock
from caseflow.domain.agenda import SECRETARIAT_BRIEFING, standard_items
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput, InvalidTransition, NotFoundError
from caseflow.domain.index import Directory
from caseflow.domain.measure import Measure, MeasureStatus
from caseflow.domain.meeting import Attachment, AttachmentKind, Meeting, MeetingStatus
from caseflow.domain.organisation import Group, Person
from caseflow.domain.permissions import (
    Grant,
    may_follow_up_measures,
    may_manage_meetings,
    may_see_meeting,
    may_take_secretariat_step,
    takes_part,
)
from caseflow.domain.planning import PlanningRules, is_best_year, kg_gap_warning, parse_years
from caseflow.domain.values import (
    CaseStatus,
    FocusArea,
    GroupKind,
    GroupRole,
    MeetingBody,
    Step,
    SystemRole,
)


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
POLITICAL_BODIES = (MeetingBody.BOARD, MeetingBody.IPU, MeetingBody.COUNCIL)


class MeetingCommands(HistoryQueries):
    """The secretariat schedules meetings and keeps their agendas, invitations and
    minutes; KG follows up measures."""

    # -- configuration --------------------------------------------------------------------

    @property
    def attachment_store(self) -> AttachmentStorage:
        """Where attachment bytes live: the store the composition root gave
        (:meth:`use_attachment_store`)."""
        store: AttachmentStorage | None = self.__dict__.get("_attachment_store")
        if store is None:
            raise RuntimeError(
                "no attachment store: the composition root gives one with "
                "use_attachment_store(AttachmentStore.from_environ(os.environ))"
            )
        return store

    def use_attachment_store(self, store: AttachmentStorage) -> None:
        """The composition root (web, CLI, tests) chooses where attachment bytes live."""
        self.__dict__["_attachment_store"] = store

    @property
    def planning_rules(self) -> PlanningRules:
        """R16: KG window and deadlines (``CASEFLOW_KG_WINDOW_DAYS``, ``CASEFLOW_PAPERS_DAYS``)."""
        rules = self.__dict__.get("_planning_rules")
        if rules is None:
            rules = PlanningRules.parse(
                self.env.get("CASEFLOW_KG_WINDOW_DAYS"), self.env.get("CASEFLOW_PAPERS_DAYS")
            )
            self.__dict__["_planning_rules"] = rules
        return rules

    def use_planning_rules(self, rules: PlanningRules) -> None:
        self.__dict__["_planning_rules"] = rules

    @property
    def best_years(self) -> frozenset[int] | None:
        """R20: the years with the BEST conference, if configured (else: odd years)."""
        return parse_years(self.env.get("CASEFLOW_BEST_YEARS"))

    # -- scheduling -----------------------------------------------------------------------

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
        may_manage_meetings(self.actor(actor_id, groups=()))  # refuse before validating
        try:
            body = MeetingBody(body)
        except ValueError:
            raise InvalidInput.field("body", f"unknown body {body!r}") from None
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
            grant = may_manage_meetings(self.actor(actor_id, groups=()))
            for gid in [g for g in (group_id, *groups) if g is not None]:
                if self.find(Group, gid) is None:
                    raise InvalidInput.field("group_id", f"no group {gid}")
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
                **_stamp(grant),
            )
            directory = self.directory()
            directory.list_meeting(meeting.id, grant)
            self.save_all(meeting, directory)
            return self.meeting_view(meeting)

        return self.retrying(command)

    # -- agendas --------------------------------------------------------------------------

    def _manage(
        self,
        actor_id: UUID | str | None,
        meeting_id: UUID,
        mutate: Callable[[Meeting, Grant], list[Any] | None],
    ) -> MeetingView:
        """Load the meeting, check that the actor is the secretariat, let ``mutate`` change
        it (returning other aggregates to save atomically with it), save, retry."""

        def command() -> MeetingView:
            grant = may_manage_meetings(self.actor(actor_id, groups=()))
            meeting = self.load(Meeting, meeting_id, "meeting")
            others = mutate(meeting, grant) or []
            self.save_all(meeting, *others)
            return self.meeting_view(meeting)

        return self.retrying(command)

    def add_standing_item(
        self, actor_id: UUID | str | None, meeting_id: UUID, title: str
    ) -> MeetingView:
        """A standing (non-case) item; per-year bodies number it in the year's sequence."""

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            sequence = (
                self.agenda_sequence(meeting, grant) if meeting.body.numbers_per_year else None
            )
            meeting.add_item(title, grant, standing=True, sequence=sequence)
            return [sequence]

        return self._manage(actor_id, meeting_id, mutate)

    def add_standard_items(
        self, actor_id: UUID | str | None, meeting_id: UUID, part: str = "opening"
    ) -> MeetingView:
        """Add the body's standard standing items: ``opening`` ("Godkjenning av
        innkalling", "Godkjenning av referat fra …"), ``closing`` (the briefings and
        "Eventuelt") or ``all``. Items already on the agenda are skipped. The closing part
        is added by :meth:`send_invitation` when the opening part is there, so the printed
        agenda (ordered by number) has the cases between them."""
        if part not in ("opening", "closing", "all"):
            raise InvalidInput.field("part", "opening, closing or all")

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            opening, closing = self._standard_items(meeting)
            titles = {"opening": opening, "closing": closing, "all": opening + closing}[part]
            return self._add_missing_items(meeting, titles, grant)

        return self._manage(actor_id, meeting_id, mutate)

    def _standard_items(self, meeting: Meeting) -> tuple[tuple[str, ...], tuple[str, ...]]:
        previous = self._previous_meeting(meeting)
        return standard_items(meeting.body, previous.starts_at if previous else None)

    def _add_missing_items(
        self, meeting: Meeting, titles: Iterable[str], grant: Grant
    ) -> list[Any]:
        sequence = self.agenda_sequence(meeting, grant) if meeting.body.numbers_per_year else None
        for title in titles:
            if meeting.item_titled(_item_key(title)) is None:
                meeting.add_item(title, grant, standing=True, sequence=sequence)
        return [sequence]

    def place_case_on_agenda(
        self, actor_id: UUID | str | None, meeting_id: UUID, case: UUID | str
    ) -> MeetingView:
        """Put a case on a KG, committee, council, group or joint meeting's agenda (a
        board meeting takes cases by submission, R1/R2). Proposals of themes and speakers
        and political-influence initiatives go on agendas like board cases (R17).

        On a KG agenda, the proposing group's leader is invited to the meeting for that
        case (R13); a case still under preparation is thereby sent to KG for advice at
        that meeting, which lets the invited leader give input on it."""
        case_id = self.case_id(case)

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            if meeting.body is MeetingBody.BOARD:
                raise InvalidInput.field(
                    "meeting_id",
                    "cases reach a board meeting when the secretariat submits them",
                    rule="R2",
                )
            agg = self.load(Case, case_id, "case")
            if agg.status.is_final:
                raise InvalidTransition(f"the case is {agg.status.value}")
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
            sequence = (
                self.agenda_sequence(meeting, grant) if meeting.body.numbers_per_year else None
            )
            meeting.add_item(agg.title, grant, case_id=agg.id, sequence=sequence)
            others: list[Any] = [sequence]
            if meeting.body is MeetingBody.KG:
                others += self._invite_leader_to_kg(actor_id, meeting, agg, grant)
            return others

        return self._manage(actor_id, meeting_id, mutate)

    def _invite_leader_to_kg(
        self, actor_id: UUID | str | None, meeting: Meeting, agg: Case, grant: Grant
    ) -> list[Any]:
        """R13: the proposing group's leader is invited to the KG meeting for the case."""
        group = self.load(Group, agg.group_id, "group")
        if group.id == self.kg_id():
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
            actor = self._case_actor(actor_id, agg)
            deadline = (
                meeting.starts_at - timedelta(days=self.planning_rules.advice_days_before_kg)
            ).date()
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
    ) -> MeetingView:
        """Invite a person beyond the body's own members."""

        def mutate(meeting: Meeting, grant: Grant) -> None:
            self.load(Person, person_id, "person")
            meeting.invite(person_id, reason, grant)

        return self._manage(actor_id, meeting_id, mutate)

    # -- invitations, attachments, minutes ---------------------------------------------------

    def send_invitation(self, actor_id: UUID | str | None, meeting_id: UUID) -> MeetingView:
        """Send the invitation: complete the standard items, attach the newest approved KG
        minutes to board and committee invitations (R15) and the cross-cutting working
        groups' newest approved minutes to expert-group invitations (R14), and record the
        recipients (the body's members and the invitees)."""

        def mutate(meeting: Meeting, grant: Grant) -> list[Any]:
            others: list[Any] = []
            if meeting.item_titled("Godkjenning av innkalling") is not None:
                others += self._add_missing_items(meeting, self._standard_items(meeting)[1], grant)
            everything = self._all_meetings()
            if meeting.body in R15_BODIES:
                self._attach_kg_minutes(meeting, everything, grant)
            if meeting.body is MeetingBody.GROUP and self._is_expert_meeting(meeting):
                self._attach_working_group_minutes(meeting, everything, grant)
            recipients = self._body_members(meeting) + list(meeting.invitees)
            meeting.send_invitation(recipients, grant)
            return others

        return self._manage(actor_id, meeting_id, mutate)

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
            f"Referat fra administrativ koordineringsgruppe {kg.starts_at:%d.%m.%Y}",
            briefing.number if briefing else None,
            grant,
        )

    def _is_expert_meeting(self, meeting: Meeting) -> bool:
        group = self.find(Group, meeting.group_id) if meeting.group_id else None
        return group is not None and group.kind is GroupKind.EXPERT

    def _attach_working_group_minutes(
        self, meeting: Meeting, everything: list[Meeting], grant: Grant
    ) -> None:
        """R14: each cross-cutting working group's newest approved minutes."""
        for group in self.groups():
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
                    f"Referat fra {group.name} {source.starts_at:%d.%m.%Y}",
                    None,
                    grant,
                )

    def _body_members(self, meeting: Meeting) -> list[UUID]:
        """Who a meeting's invitation goes to, besides its invitees."""
        if meeting.body in POLITICAL_BODIES:
            people = [self.find(Person, pid) for pid in self.directory().people]
            return [p.id for p in people if p is not None and SystemRole.BOARD in p.system_roles]
        if meeting.body is MeetingBody.KG:
            group_ids = [self.kg_id()]
        elif meeting.body is MeetingBody.JOINT and not meeting.participating_groups():
            group_ids = list(self.directory().groups.values())
        else:
            group_ids = meeting.participating_groups()
        members: list[UUID] = []
        for gid in group_ids:
            group = self.find(Group, gid)
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
    ) -> MeetingView:
        """Store a file (content-addressed, size- and type-checked) and record its hash,
        name, size and media type on the meeting. The file is written only after every
        check has passed, and before the event that names it is saved."""
        if kind in (AttachmentKind.KG_MINUTES, AttachmentKind.WORKING_GROUP_MINUTES):
            raise InvalidInput.field("kind", "other meetings' minutes are attached by the rules")
        store = self.attachment_store

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

        return self._manage(actor_id, meeting_id, mutate)

    def record_minutes(
        self, actor_id: UUID | str | None, meeting_id: UUID, filename: str, data: bytes
    ) -> MeetingView:
        """Attach the minutes (referat) of a held meeting."""
        meeting = self.load(Meeting, meeting_id, "meeting")
        title = f"Referat fra {meeting.title}"
        return self.add_attachment(
            actor_id, meeting_id, filename, data, kind=AttachmentKind.MINUTES, title=title
        )

    def approve_minutes(self, actor_id: UUID | str | None, meeting_id: UUID) -> MeetingView:
        """Record that the minutes were approved (usually at the body's next meeting)."""
        return self._manage(actor_id, meeting_id, lambda m, g: m.approve_minutes(g))

    def mark_held(self, actor_id: UUID | str | None, meeting_id: UUID) -> MeetingView:
        return self._manage(actor_id, meeting_id, lambda m, g: m.mark_held(g))

    def attachment_file(
        self, viewer: UUID | str | None, meeting_id: UUID, sha256: str
    ) -> tuple[AttachmentView, bytes]:
        """An attachment's metadata and its (hash-verified) bytes, for those who may see
        the meeting (and, for an item's attachment, that item's case)."""
        meeting = self._visible(viewer, meeting_id)
        view = self.for_reader(self.meeting_view(meeting), self.case_reader(viewer))
        for a in view.attachments:
            if a.sha256 == sha256:
                return a, self.attachment_store.get(sha256)
        raise NotFoundError("no such attachment on this meeting", sha256=sha256)

    # -- queries ----------------------------------------------------------------------------

    def _all_meetings(self) -> list[Meeting]:
        """Every meeting, shared from the aggregate cache: read them, never change them
        (a command changes its own private copy of the one meeting it manages)."""
        directory: Directory = self.directory()
        found = [self.peek_or_none(Meeting, mid) for mid in directory.meetings]
        return sorted((m for m in found if m is not None), key=lambda m: m.starts_at)

    def _previous_meeting(self, meeting: Meeting) -> Meeting | None:
        earlier = [
            m
            for m in self._all_meetings()
            if m.body is meeting.body
            and m.group_id == meeting.group_id
            and m.starts_at < meeting.starts_at
        ]
        return earlier[-1] if earlier else None

    def _visible(self, viewer: UUID | str | None, meeting_id: UUID) -> Meeting:
        meeting = self.load(Meeting, meeting_id, "meeting")
        if viewer is not None and not may_see_meeting(self.actor(viewer), meeting, self.kg_id()):
            raise NotFoundError("meeting not found", id=str(meeting_id))
        return meeting

    def meeting_view(
        self, meeting: Meeting, everything: list[Meeting] | None = None
    ) -> MeetingView:
        everything = self._all_meetings() if everything is None else everything
        agenda = []
        for i in sorted(meeting.items, key=lambda i: i.number):
            reference, kind = self._case_identity(i.case_id) if i.case_id else (None, None)
            agenda.append(
                AgendaItemView(i.number, i.label, i.title, i.case_id, i.standing, reference, kind)
            )
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
                InviteeView(i.person_id, self.person_name(i.person_id), i.reason, i.rule, i.case_id)
                for i in meeting.invitees.values()
            ],
            attachments=[_attachment_view(a) for a in meeting.attachments],
            recipients=list(meeting.recipients),
            invitation_sent_at=meeting.invitation_sent_at,
            approved_minutes=meeting.approved_minutes,
            warnings=self._warnings(meeting, everything),
        )

    def _case_identity(self, case_id: UUID) -> tuple[str | None, str | None]:
        """A case's reference and kind, which never change after it is proposed: read
        from its first event only and remembered (an agenda of a hundred cases does not
        replay a hundred cases, nor push the organisation out of the aggregate cache)."""
        memo: OrderedDict[UUID, tuple[str | None, str | None]] = self.__dict__.setdefault(
            "_case_identities", OrderedDict()
        )
        found = memo.get(case_id)
        if found is None:
            first = next(iter(self.events.get(case_id, lte=1)), None)
            if not isinstance(first, Case.Proposed):
                return (None, None)
            found = (first.reference, str(first.kind))
            memo[case_id] = found
            if len(memo) > CASE_IDENTITIES_KEPT:
                memo.popitem(last=False)
        return found

    def _warnings(self, meeting: Meeting, everything: list[Meeting]) -> list[str]:
        rules = self.planning_rules
        warnings = []
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
        if (
            meeting.body in R15_BODIES
            and meeting.status is not MeetingStatus.PLANNED
            and not any(a.kind is AttachmentKind.KG_MINUTES for a in meeting.attachments)
        ):
            warnings.append("R15: the invitation went out without approved KG minutes")
        return warnings

    @staticmethod
    def for_reader(view: MeetingView, may_see_case: Callable[[UUID], bool]) -> MeetingView:
        """The meeting as one reader sees it (``may_see_case``: :meth:`case_reader`).
        An agenda item whose case the reader may not see is withheld: its number and
        label stay, its title, case, reference and kind go; so go the reason and case of
        an invitation for that case (R13 names the group and the case) and the files
        attached to that item."""
        hidden = {i.number for i in view.agenda if i.case_id and not may_see_case(i.case_id)}
        hidden_invitations = [i for i in view.invitees if i.case_id and not may_see_case(i.case_id)]
        if not hidden and not hidden_invitations:
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
                    withheld=True,
                )
                if i.number in hidden
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
        with self.reading():
            view = self.meeting_view(self._visible(viewer, meeting_id))
            return self.for_reader(view, self.case_reader(viewer))

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
        with self.reading():
            everything = self._all_meetings()
            actor = self.actor(viewer) if viewer is not None else None
            wanted = MeetingBody(body) if body else None
            may_see_case = self.case_reader(viewer)
            return [
                self.for_reader(self.meeting_view(m, everything), may_see_case)
                for m in everything
                if (wanted is None or m.body is wanted)
                and (year is None or m.year == year)
                and (from_year is None or m.year >= from_year)
                and (group_id is None or group_id in m.participating_groups())
                and (actor is None or may_see_meeting(actor, m, self.kg_id()))
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
        actor = self.actor(viewer)
        wanted = MeetingBody(body) if body else None
        kg = self.kg_id()
        return [
            MeetingChoice(m.id, m.body.value, m.title, m.starts_at, m.held)
            for m in self._all_meetings()
            if (wanted is None or m.body is wanted)
            and not (upcoming and m.held)
            and may_see_meeting(actor, m, kg)
        ]

    def meetings_for_person(self, person_id: UUID | str) -> list[MeetingView]:
        """The meetings a person takes part in (their groups', their bodies', those they
        are invited to), as they see them (:meth:`for_reader`); the secretariat's staff
        get every meeting."""
        with self.reading():
            everything = self._all_meetings()
            actor = self.actor(person_id)
            may_see_case = self.case_reader(person_id)
            return [
                self.for_reader(self.meeting_view(m, everything), may_see_case)
                for m in everything
                if takes_part(actor, m, self.kg_id())
            ]

    def board_deadlines(self, after: datetime | None = None) -> DeadlinesView | None:
        """R16: the next board meeting (after ``after``, default now), the KG meeting that
        prepares it, when KG's advice and the board papers are due, and warnings."""
        moment = after or clock.now()
        everything = self._all_meetings()
        board = next(
            (m for m in everything if m.body is MeetingBody.BOARD and m.starts_at > moment), None
        )
        if board is None:
            return None
        rules = self.planning_rules
        kg = _preparing_kg(board, everything)
        papers_due = (board.starts_at - timedelta(days=rules.papers_days_before_board)).date()
        if kg is not None:
            advice_due = (kg.starts_at - timedelta(days=rules.advice_days_before_kg)).date()
        else:
            advice_due = papers_due - timedelta(days=rules.kg_min_days)
        warning = kg_gap_warning(kg.starts_at if kg else None, board.starts_at, rules)
        return DeadlinesView(
            board_meeting_id=board.id,
            board_title=board.title,
            board_starts_at=board.starts_at,
            kg_meeting_id=kg.id if kg else None,
            kg_starts_at=kg.starts_at if kg else None,
            gap_days=(board.starts_at.date() - kg.starts_at.date()).days if kg else None,
            advice_due=advice_due,
            papers_due=papers_due,
            warnings=[warning] if warning else [],
        )

    def yearly_plan(self, year: int) -> YearPlanView:
        """R20: the year's meetings (møteplan); the two-day joint gathering in years
        without the BEST conference; joint sessions when groups meet physically."""
        everything = [m for m in self._all_meetings() if m.year == year]
        names = {g.id: g.short_name or g.name for g in self.groups()}
        entries = [_plan_entry(m) for m in everything]
        best = is_best_year(year, self.best_years)
        gathering = next(
            (
                m
                for m in everything
                if m.body is MeetingBody.JOINT and m.ends_at and m.ends_at - m.starts_at >= _DAY
            ),
            None,
        )
        warnings = []
        if not best and gathering is None:
            warnings.append(
                f"R20: {year} has no BEST conference; plan the two-day joint gathering "
                "of the groups (felles fagsamling)"
            )
        if best and gathering is not None:
            warnings.append(
                f"R20: {year} is a BEST conference year; the joint gathering is held in "
                "the years between"
            )
        sessions = [
            _plan_entry(m) for m in everything if m.body is MeetingBody.JOINT and m is not gathering
        ]
        by_day: dict[date, list[Meeting]] = {}
        for m in everything:
            if m.body is MeetingBody.GROUP and not m.digital:
                by_day.setdefault(m.starts_at.date(), []).append(m)
        for day, meetings in sorted(by_day.items()):
            groups = {gid for m in meetings for gid in m.participating_groups()}
            if len(groups) < 2:
                continue
            joint = [
                m
                for m in everything
                if m.body is MeetingBody.JOINT
                and m.starts_at.date() == day
                and (not m.group_ids or groups <= set(m.participating_groups()))
            ]
            if joint:
                continue
            label = ", ".join(sorted(names.get(g, str(g)) for g in groups))
            sessions.append(
                PlanEntryView(
                    meeting_id=None,
                    body=MeetingBody.JOINT.value,
                    title=f"Felles faggruppedel ({label})",
                    starts_at=min(m.starts_at for m in meetings),
                    ends_at=None,
                    place=meetings[0].place,
                    digital=False,
                    status="expected",
                    joint=True,
                    note="R20: groups meeting physically hold a joint session",
                )
            )
            warnings.append(
                f"R20: {label} meet physically on {day:%d.%m.%Y}; schedule their joint session"
            )
        return YearPlanView(
            year=year,
            best_conference=best,
            joint_gathering_due=not best,
            joint_gathering=_plan_entry(gathering) if gathering else None,
            entries=entries,
            joint_sessions=sorted(sessions, key=lambda e: e.starts_at),
            warnings=warnings,
        )

    # -- measures (R18) ------------------------------------------------------------------------

    def register_measure(
        self,
        actor_id: UUID | str | None,
        title: str,
        focus_area: FocusArea | str,
        description: str = "",
    ) -> MeasureView:
        """Register a measure (tiltak) of the strategy under a focus area."""
        if not title.strip():
            raise InvalidInput.field("title", "required")
        try:
            area = FocusArea(focus_area)
        except ValueError:
            raise InvalidInput.field("focus_area", f"unknown focus area {focus_area!r}") from None

        def command() -> MeasureView:
            grant = may_follow_up_measures(
                self.actor(actor_id, groups=[self.kg_id()]), self.kg_id()
            )
            measure = Measure._create(
                Measure.Registered,
                title=title.strip(),
                focus_area=area.value,
                description=description.strip(),
                **_stamp(grant),
            )
            directory = self.directory()
            directory.list_measure(measure.id, grant)
            self.save_all(measure, directory)
            return self.measure_view(measure)

        return self.retrying(command)

    def update_measure(
        self,
        actor_id: UUID | str | None,
        measure_id: UUID,
        status: MeasureStatus | str,
        note: str = "",
        meeting_id: UUID | None = None,
    ) -> MeasureView:
        """KG's follow-up of a measure (R18), optionally at a KG meeting."""
        try:
            new_status = MeasureStatus(status)
        except ValueError:
            raise InvalidInput.field("status", f"unknown status {status!r}") from None

        def command() -> MeasureView:
            grant = may_follow_up_measures(
                self.actor(actor_id, groups=[self.kg_id()]), self.kg_id()
            )
            if meeting_id is not None:
                meeting = self.load(Meeting, meeting_id, "meeting")
                if meeting.body is not MeetingBody.KG:
                    raise InvalidInput.field(
                        "meeting_id", "measures are followed up at KG meetings"
                    )
            measure = self.load(Measure, measure_id, "measure")
            measure.update(new_status, note, meeting_id, grant)
            self.save_all(measure)
            return self.measure_view(measure)

        return self.retrying(command)

    def measure_view(self, measure: Measure) -> MeasureView:
        return MeasureView(
            id=measure.id,
            title=measure.title,
            focus_area=measure.focus_area.value,
            description=measure.description,
            status=measure.status.value,
            updates=[
                MeasureUpdateView(
                    u.status.value, u.note, u.meeting_id, self.person_name(u.actor), u.at
                )
                for u in measure.updates
            ],
            version=measure.version,
        )

    def list_measures(
        self, focus_area: FocusArea | str | None = None
    ) -> dict[str, list[MeasureView]]:
        """Measures by focus area (every focus area is present, possibly empty)."""
        grouped: dict[str, list[MeasureView]] = {a.value: [] for a in FocusArea}
        for mid in self.directory().measures:
            measure = self.find(Measure, mid)
            if measure is not None:
                grouped[measure.focus_area.value].append(self.measure_view(measure))
        if focus_area is not None:
            key = FocusArea(focus_area).value
            return {key: grouped[key]}
        return grouped


_DAY = timedelta(days=1)

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


def _stamp(grant: Grant) -> dict[str, Any]:
    return {"actor": grant.actor, "role": grant.role, "on_behalf_of": grant.on_behalf_of}


def _item_key(title: str) -> str:
    """What identifies a standard item already on the agenda ("Godkjenning av referat
    fra …" is present whatever date it names)."""
    return title.split(" fra ")[0] if title.startswith("Godkjenning av referat") else title


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


def _plan_entry(m: Meeting) -> PlanEntryView:
    return PlanEntryView(
        meeting_id=m.id,
        body=m.body.value,
        title=m.title,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        place=m.place,
        digital=m.digital,
        status=m.status.value,
        joint=m.body is MeetingBody.JOINT,
    )

"""The Caseflow application: one eventsourcing ``Application`` holding every aggregate,
so that every event has one place in one total order (the notification log).

:class:`Caseflow` is the core (:class:`~caseflow.application.core.CaseflowCore`: the one
log, the two readers, the unit of work, the actor) and a thin facade over services of one
concern each, built here by composition — each service is given the core and the other
services it uses, never reaching them through inheritance:

- ``app.case_queries`` — reading cases (``case_queries.py``): core
- ``app.cases`` — the case lifecycle (``cases.py``): core, case_queries
- ``app.advice`` — advice rounds (``advice.py``): core, cases
- ``app.steps`` — a step by name (``steps.py``): cases, advice
- ``app.documents`` — case documents, files in versions (``documents.py``): core,
  case_queries
- ``app.history`` — auditors' replay (``history.py``): core, case_queries
- ``app.meeting_queries`` — reading meetings (``meeting_queries.py``): core, case_queries
- ``app.meetings`` — scheduling and agendas (``meetings.py``): core, case_queries,
  meeting_queries
- ``app.minutes`` — invitations, files, minutes (``minutes.py``): core, case_queries,
  meetings, meeting_queries
- ``app.agenda`` — ordering, supplementary invitations, postponement, withdrawal,
  cancellation (``agenda.py``): core, case_queries, cases, meetings, minutes
- ``app.plans`` — R16 deadlines, R20 plan (``plans.py``): core, meeting_queries
- ``app.measures`` — R18 measures (``measures.py``): core
- ``app.organisation`` — register, people, groups (``organisation.py``): core
- ``app.people`` — the people list for a reader (``people.py``): core, organisation
- ``app.accounts`` — logins, sessions, API tokens (``accounts.py``): core
- ``app.calendars`` — secret calendar addresses (``calendars.py``): core, meeting_queries
- ``app.screening`` — screening cases, documents, free agenda items (``screening.py``):
  core, case_queries, meeting_queries

Today's callers (web, CLI, demo, tests) use the facade's one-line delegations below
(``app.propose_case(...)``); new code may call the service (``app.cases.propose_case``).
Commands take the acting person's id first and return plain views (never aggregates).
"""

from __future__ import annotations

from caseflow.application.accounts import AccountService
from caseflow.application.advice import AdviceService
from caseflow.application.agenda import AgendaService
from caseflow.application.calendars import CalendarService
from caseflow.application.case_queries import CaseQueries
from caseflow.application.cases import CaseService
from caseflow.application.core import CaseflowCore
from caseflow.application.documents import DocumentService
from caseflow.application.history import HistoryService
from caseflow.application.measures import MeasureService
from caseflow.application.meeting_queries import MeetingQueries
from caseflow.application.meetings import MeetingService
from caseflow.application.minutes import MinutesService
from caseflow.application.organisation import OrganisationService
from caseflow.application.people import PeopleService
from caseflow.application.plans import PlanService
from caseflow.application.screening import ScreeningService
from caseflow.application.settings import Settings
from caseflow.application.steps import StepService


class Caseflow(CaseflowCore):
    """Cases, groups, people, memberships, meetings and login accounts in one application."""

    name = "Caseflow"

    #: How cases are read and shown; a subclass may give its own (the demo's batch).
    case_queries_class: type[CaseQueries] = CaseQueries

    def __init__(self, env: dict[str, str] | None = None, settings: Settings | None = None) -> None:
        super().__init__(env, settings)
        # -- the services, each given what it depends on --------------------------------
        self.case_queries = self.case_queries_class(self)
        self.cases = CaseService(self, self.case_queries)
        self.advice = AdviceService(self, self.cases)
        self.steps = StepService(self.cases, self.advice)
        self.history = HistoryService(self, self.case_queries)
        self.documents = DocumentService(self, self.case_queries)
        self.meeting_queries = MeetingQueries(self, self.case_queries)
        self.meetings = MeetingService(self, self.case_queries, self.meeting_queries)
        self.minutes = MinutesService(self, self.case_queries, self.meetings, self.meeting_queries)
        self.agenda = AgendaService(
            self, self.case_queries, self.cases, self.meetings, self.minutes
        )
        self.plans = PlanService(self, self.meeting_queries)
        self.measures = MeasureService(self)
        self.organisation = OrganisationService(self)
        self.people = PeopleService(self, self.organisation)
        self.accounts = AccountService(self)
        self.calendars = CalendarService(self, self.meeting_queries)
        self.screening = ScreeningService(self, self.case_queries, self.meeting_queries)

        # -- the facade: today's public methods, one delegation each ---------------------
        # cases (reading)
        self.case_id = self.case_queries.case_id
        self.load_case = self.case_queries.load_case
        self.may_see = self.case_queries.may_see
        self.case_reader = self.case_queries.case_reader
        self.get_case = self.case_queries.get_case
        self.next_steps = self.case_queries.next_steps
        self.case_view = self.case_queries.case_view
        self.case_ids = self.case_queries.case_ids
        # cases (commands)
        self.propose_case = self.cases.propose_case
        self.accept_case = self.cases.accept_case
        self.decline_case = self.cases.decline_case
        self.draft_case = self.cases.draft_case
        self.mark_ready = self.cases.mark_ready
        self.submit_case = self.cases.submit_case
        self.record_decision = self.cases.record_decision
        self.postpone_case = self.cases.postpone_case
        self.withdraw_case = self.cases.withdraw_case
        self.request_advice = self.advice.request_advice
        self.give_advice = self.advice.give_advice
        self.close_advice = self.advice.close_advice
        self.waive_advice = self.advice.waive_advice
        self.take_step = self.steps.take_step
        # history
        self.case_events = self.history.case_events
        self.case_history = self.history.case_history
        # meetings
        self.get_meeting = self.meeting_queries.get_meeting
        self.list_meetings = self.meeting_queries.list_meetings
        self.meeting_choices = self.meeting_queries.meeting_choices
        self.meetings_for_person = self.meeting_queries.meetings_for_person
        self.meeting_view = self.meeting_queries.meeting_view
        self.for_reader = self.meeting_queries.for_reader
        self.schedule_meeting = self.meetings.schedule_meeting
        self.add_standing_item = self.meetings.add_standing_item
        self.add_standard_items = self.meetings.add_standard_items
        self.place_case_on_agenda = self.meetings.place_case_on_agenda
        self.invite = self.meetings.invite
        self.send_invitation = self.minutes.send_invitation
        self.add_attachment = self.minutes.add_attachment
        self.record_minutes = self.minutes.record_minutes
        self.approve_minutes = self.minutes.approve_minutes
        self.use_protokoll_renderer = self.minutes.use_protokoll_renderer
        self.mark_held = self.minutes.mark_held
        self.attachment_file = self.minutes.attachment_file
        self.move_item = self.agenda.move_item
        self.move_item_by = self.agenda.move_item_by
        self.add_case_to_meeting = self.agenda.add_case
        self.send_supplementary_invitation = self.agenda.send_supplementary_invitation
        self.postpone_item = self.agenda.postpone_item
        self.withdraw_item = self.agenda.withdraw_item
        self.cancel_meeting = self.agenda.cancel_meeting
        self.record_attendance = self.agenda.record_attendance
        self.record_item_decision = self.agenda.record_item_decision
        self.board_deadlines = self.plans.board_deadlines
        self.yearly_plan = self.plans.yearly_plan
        # measures
        self.register_measure = self.measures.register_measure
        self.update_measure = self.measures.update_measure
        self.measure_view = self.measures.measure_view
        self.list_measures = self.measures.list_measures
        # organisation
        self.open_register = self.organisation.open_register
        self.define_region = self.organisation.define_region
        self.join_osloregionen = self.organisation.join_osloregionen
        self.leave_osloregionen = self.organisation.leave_osloregionen
        self.resolve_organisation = self.organisation.resolve_organisation
        self.register_person = self.organisation.register_person
        self.grant_role = self.organisation.grant_role
        self.revoke_role = self.organisation.revoke_role
        self.person_view = self.organisation.person_view
        self.get_person = self.organisation.get_person
        self.find_person_by_email = self.organisation.find_person_by_email
        self.list_people = self.organisation.list_people
        self.establish_group = self.organisation.establish_group
        self.record_financing = self.organisation.record_financing
        self.add_member = self.organisation.add_member
        self.remove_member = self.organisation.remove_member
        self.appoint = self.organisation.appoint
        self.group_view = self.organisation.group_view
        self.get_group = self.organisation.get_group
        self.group_by_slug = self.organisation.group_by_slug
        self.list_groups = self.organisation.list_groups
        self.me = self.organisation.me
        self.people_seen_by = self.people.people_seen_by
        # accounts
        self.create_account = self.accounts.create_account
        self.find_person_id = self.accounts.find_person_id
        self.login = self.accounts.login
        self.authenticate = self.accounts.authenticate
        self.session_epoch = self.accounts.session_epoch
        self.end_sessions = self.accounts.end_sessions
        self.account_of = self.accounts.account_of
        self.issue_token = self.accounts.issue_token
        self.check_token = self.accounts.check_token
        self.person_for_token = self.accounts.person_for_token
        self.list_tokens = self.accounts.list_tokens
        self.tokens_of = self.accounts.tokens_of
        self.revoke_token = self.accounts.revoke_token
        self.use_token_use_store = self.accounts.use_token_use_store
        # calendar subscriptions
        self.use_calendar_store = self.calendars.use_calendar_store
        self.create_calendar = self.calendars.create_calendar
        self.list_calendars = self.calendars.list_calendars
        self.revoke_calendar = self.calendars.revoke_calendar
        self.calendar_feed = self.calendars.calendar_feed
        # screening (issue 18)
        self.screen_case = self.screening.screen_case
        self.lift_case_screening = self.screening.lift_case_screening
        self.screen_document = self.screening.screen_document
        self.lift_document_screening = self.screening.lift_document_screening
        self.screen_item = self.screening.screen_item
        self.lift_item_screening = self.screening.lift_item_screening


__all__ = ["Caseflow", "Settings"]

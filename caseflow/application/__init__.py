"""The Caseflow application: one eventsourcing ``Application`` holding every aggregate,
so that every event has one place in one total order (the notification log).

Commands take the acting person's id first and return plain views (never aggregates).
"""

from __future__ import annotations

from caseflow.application.accounts import AccountCommands
from caseflow.application.meetings import MeetingCommands
from caseflow.application.organisation import OrganisationCommands
from caseflow.application.people import PeopleQueries


class Caseflow(MeetingCommands, PeopleQueries, OrganisationCommands, AccountCommands):
    """Cases, groups, people, memberships, meetings and login accounts in one application."""

    name = "Caseflow"


__all__ = ["Caseflow"]

"""The Caseflow application: one eventsourcing ``Application`` holding every aggregate,
so that every event has one place in one total order (the notification log).

Commands take the acting person's id first and return plain views (never aggregates).
"""

from __future__ import annotations

from caseflow.application.meetings import MeetingCommands
from caseflow.application.organisation import OrganisationCommands


class Caseflow(MeetingCommands, OrganisationCommands):
    """Cases, groups, people, memberships and meetings in one application."""

    name = "Caseflow"


__all__ = ["Caseflow"]

"""The year's agenda numbering of a body (R2: a board case's number is its place in the
year's sequence): shared by submitting a case and by keeping an agenda."""

from __future__ import annotations

from typing import Any

from caseflow.application.core import CaseflowCore
from caseflow.domain.agenda import AgendaSequence
from caseflow.domain.meeting import Meeting
from caseflow.domain.permissions import Grant


def stamp(grant: Grant) -> dict[str, Any]:
    """Who did it, in which role, on whose behalf: the fields every created event takes."""
    return {"actor": grant.actor, "role": grant.role, "on_behalf_of": grant.on_behalf_of}


def agenda_sequence(core: CaseflowCore, meeting: Meeting, grant: Grant) -> AgendaSequence:
    """The meeting's body's sequence for its year (a private copy, or a new one)."""
    seq_id = AgendaSequence.create_id(meeting.body.value, meeting.year)
    return core.for_command(AgendaSequence, seq_id, optional=True) or AgendaSequence._create(
        AgendaSequence.Started, body=meeting.body.value, year=meeting.year, **stamp(grant)
    )

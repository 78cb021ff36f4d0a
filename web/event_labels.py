"""Human names of the domain's event types, translated (nb and en).

An event type is named by its class: the audit trail stores the class name (``type``,
e.g. ``SubmittedToBoard``) and the aggregate's (``aggregate_type``, e.g. ``Case``); a
stored topic is ``module:Aggregate.Event``. Three class names are shared by two or three
aggregates (``Opened``, ``Registered``, ``Started``): ``event_label(type, aggregate)``
tells them apart, and the trail's filter (which filters by class name only) shows them
together ("Login created / Directory created / …").

``tests/web/test_audit_pages.py`` checks that every event class of ``caseflow.domain``
(and every old topic of ``caseflow.application.topics``) has a label here.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from caseflow.application.topics import MOVED_TOPICS

#: Event label by the event class's qualified name (``Aggregate.Event``).
EVENT_LABELS: dict[str, LazyString] = {
    "Case.Proposed": _l("Case proposed"),
    "Case.Accepted": _l("Case accepted for preparation"),
    "Case.Declined": _l("Case declined"),
    "Case.Drafted": _l("Case document revised"),
    "Case.AdviceRequested": _l("KG advice requested"),
    "Case.LeaderInvited": _l("Group leader invited to give input"),
    "Case.AdviceGiven": _l("Advice given"),
    "Case.AdviceClosed": _l("Advice round closed"),
    "Case.AdviceWaived": _l("KG advice waived"),
    "Case.MarkedReady": _l("Case ready for the board"),
    "Case.SubmittedToBoard": _l("Case submitted to the board"),
    "Case.SubmittedToMeeting": _l("Submitted to a board meeting, waiting for its number"),
    "Case.NumberGiven": _l("Board number given"),
    "Case.ReturnedToWait": _l("Back to wait for a board meeting"),
    "Case.Decided": _l("Board decision recorded"),
    "Case.Postponed": _l("Case postponed"),
    "Case.Withdrawn": _l("Case withdrawn"),
    "Case.DocumentAdded": _l("Case document added"),
    "Case.DocumentVersionAdded": _l("New version of a case document"),
    "Case.Screened": _l("Case screened"),
    "Case.ScreeningLifted": _l("Case screening lifted"),
    "Case.DocumentScreened": _l("Case document screened"),
    "Case.DocumentScreeningLifted": _l("Case document screening lifted"),
    "Person.Registered": _l("Person registered"),
    "Person.RoleGranted": _l("Role granted"),
    "Person.RoleRevoked": _l("Role revoked"),
    "Person.OrganisationChanged": _l("Person's organisation changed"),
    "Group.Established": _l("Group established"),
    "Group.MemberAdded": _l("Group member added"),
    "Group.MemberRemoved": _l("Group member removed"),
    "Group.Appointed": _l("Leader or deputy appointed"),
    "Group.FinancingRecorded": _l("Project financing recorded"),
    "MemberRegister.Opened": _l("Member register created"),
    "MemberRegister.RegionDefined": _l("Region defined"),
    "MemberRegister.Joined": _l("Municipality joined"),
    "MemberRegister.Left": _l("Municipality left"),
    "Account.Opened": _l("Login created"),
    "Account.PasswordChanged": _l("Password changed"),
    "Account.TokenIssued": _l("API token issued"),
    "Account.TokenRevoked": _l("API token revoked"),
    "Account.SessionsEnded": _l("All sessions ended"),
    "Index.Indexed": _l("Lookup key registered"),
    "Counter.Started": _l("Counter started"),
    "Counter.Incremented": _l("Counter incremented"),
    "Directory.Opened": _l("Directory created"),
    "Directory.GroupListed": _l("Group listed in the directory"),
    "Directory.PersonListed": _l("Person listed in the directory"),
    "Directory.MeetingListed": _l("Meeting listed in the directory"),
    "Directory.MeasureListed": _l("Measure listed in the directory"),
    "Meeting.Scheduled": _l("Meeting scheduled"),
    "Meeting.ItemAdded": _l("Item added to the agenda"),
    "Meeting.Invited": _l("Person invited to the meeting"),
    "Meeting.AttachmentAdded": _l("Attachment added"),
    "Meeting.InvitationSent": _l("Invitation sent"),
    "Meeting.Held": _l("Meeting held"),
    "Meeting.MinutesApproved": _l("Minutes approved"),
    "Meeting.ItemQueued": _l("Item waiting on the agenda"),
    "Meeting.ItemMoved": _l("Agenda item moved"),
    "Meeting.AgendaNumbered": _l("Agenda numbered"),
    "Meeting.SupplementaryItemAdded": _l("Supplementary item added"),
    "Meeting.SupplementaryInvitationSent": _l("Supplementary invitation sent"),
    "Meeting.ItemPostponed": _l("Agenda item postponed"),
    "Meeting.ItemWithdrawn": _l("Agenda item withdrawn"),
    "Meeting.Cancelled": _l("Meeting cancelled"),
    "Meeting.AttendanceRecorded": _l("Attendance recorded in the minutes"),
    "Meeting.ItemDecided": _l("Decision recorded in the minutes"),
    "Meeting.ItemScreened": _l("Agenda item screened"),
    "Meeting.ItemScreeningLifted": _l("Agenda item screening lifted"),
    "AgendaSequence.Started": _l("Agenda numbering started"),
    "AgendaSequence.NumberIssued": _l("Agenda number issued"),
    "Measure.Registered": _l("Measure registered"),
    "Measure.StatusUpdated": _l("Measure status updated"),
}

#: Shown for an event type this module does not know (a newer release's event).
UNKNOWN = _l("Other event")


def event_label(type_name: str, aggregate_type: str | None = None) -> str:
    """The label of an event type: by ``Aggregate.Event`` when the aggregate is given (or
    ``type_name`` is already qualified), else by class name (shared names joined)."""
    if aggregate_type and "." not in type_name:
        type_name = f"{aggregate_type}.{type_name}"
    if "." in type_name:
        found = EVENT_LABELS.get(type_name)
        return str(found) if found is not None else str(UNKNOWN)
    labels = [str(v) for k, v in EVENT_LABELS.items() if k.split(".", 1)[1] == type_name]
    return " / ".join(labels) if labels else str(UNKNOWN)


def topic_label(topic: str) -> str:
    """The label of a stored topic (``module:Aggregate.Event``), old topics included."""
    moved = MOVED_TOPICS.get(topic)
    qualname = moved.__qualname__ if moved is not None else topic.rsplit(":", 1)[-1]
    return event_label(qualname)


def type_choices() -> list[tuple[str, str]]:
    """The audit filter's options: (class name, label), by label in the reader's language."""
    names = sorted({k.split(".", 1)[1] for k in EVENT_LABELS})
    return sorted(((n, event_label(n)) for n in names), key=lambda c: c[1].casefold())

"""Plain data returned by the application: never aggregates, so callers cannot mutate
state or trigger events by accident."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from caseflow.domain.errors import Message
from caseflow.domain.localtime import local_text


def _plain(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


class Plain:
    """Mixin: ``as_dict()`` gives JSON-ready data."""

    def as_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))  # type: ignore[call-overload]


@dataclass(frozen=True)
class PersonView(Plain):
    id: UUID
    name: str
    email: str
    organisation: dict[str, Any]
    region: str | None
    system_roles: list[str]
    version: int


@dataclass(frozen=True)
class MemberView(Plain):
    person_id: UUID
    name: str
    role: str
    on_behalf_of: str
    since: datetime


@dataclass(frozen=True)
class AppointmentView(Plain):
    """How the current leader or deputy was appointed (R4): who recorded it, in which
    role, and who confirmed it when the appointee recorded it."""

    position: str
    person_id: UUID
    name: str
    recorded_by: UUID | None
    recorded_by_name: str
    recorded_as: str
    confirmed_by: UUID | None
    confirmed_by_name: str | None
    at: datetime


@dataclass(frozen=True)
class GroupView(Plain):
    id: UUID
    slug: str
    name: str
    short_name: str
    kind: str
    focus_area: str | None
    financing: dict[str, Any] | None
    members: list[MemberView]
    leader: UUID | None
    deputy: UUID | None
    spread: dict[str, int]
    gaps: list[str]
    version: int
    appointments: list[AppointmentView] = field(default_factory=list)


@dataclass(frozen=True)
class AdviceView(Plain):
    person_id: UUID
    name: str
    stance: str
    text: str
    on_behalf_of: str
    as_invited_leader: bool
    revision: int
    at: datetime


@dataclass(frozen=True)
class StepOption(Plain):
    """A step and whether the caller may take it now (with the reason if not)."""

    step: str
    allowed: bool
    rule: str | None = None
    #: Why not (a message key with parameters; its text is the English sentence).
    reason: Message | None = None


@dataclass(frozen=True, kw_only=True)
class CaseFields(Plain):
    """The case fields every reading of a case has — the full case (:class:`CaseView`),
    the read model's list row (``caseflow.readmodels.api.CaseRow``) and the API schemas
    derived from them (``web.schemas_out``): declared here once."""

    id: UUID
    reference: str
    kind: str
    title: str
    focus_area: str | None
    group_id: UUID
    group_name: str
    status: str
    status_since: datetime | None
    case_officer: UUID | None
    case_officer_name: str | None
    advice_deadline: date | None
    board_meeting_id: UUID | None
    board_number: str | None
    version: int
    #: Issue 18: the title the public sees (the title, or a screened case's public title).
    public_title: str = ""


@dataclass(frozen=True, kw_only=True)
class CaseView(CaseFields):
    """One case as its reader may see it, with the steps the reader may take."""

    summary: str
    proposed_at: datetime
    modified_at: datetime
    decline_reason: str | None
    document: dict[str, str] | None
    document_revisions: int
    kg_meeting_id: UUID | None
    invited: list[UUID]
    advice: list[AdviceView]
    advice_history: list[AdviceView]
    advice_summary: str | None
    advice_waived: str | None
    resolution: str | None
    postponements: list[str]
    withdraw_reason: str | None
    next_steps: list[StepOption] = field(default_factory=list)
    #: Warnings of the step that made this view (e.g. an advice deadline after the KG
    #: meeting, issue 15); empty when the case is read.
    warnings: list[Message] = field(default_factory=list)
    #: Issue 18: how the case is screened (``Screening.as_dict()``: legal basis, its key,
    #: public title, the screened words), None when public.
    screening: dict[str, Any] | None = None


@dataclass(frozen=True)
class EventView(Plain):
    """One event of an aggregate's history, as an auditor reads it."""

    version: int
    type: str
    time: datetime
    actor: str
    actor_name: str
    role: str
    on_behalf_of: str | None
    data: dict[str, Any]
    position: int | None = None


@dataclass(frozen=True)
class HistoryView(Plain):
    case_id: UUID
    reference: str
    events: list[EventView]
    at_version: int
    state: CaseView


@dataclass(frozen=True)
class AgendaItemView(Plain):
    """One agenda item. ``withheld``: the reader may not see its case, so the item keeps
    only its number and label (no title, case, reference or kind)."""

    number: int | None  # None while the item waits for the invitation (issue 14)
    label: str
    title: str
    case_id: UUID | None
    standing: bool
    case_reference: str | None = None
    case_kind: str | None = None
    withheld: bool = False
    #: Issue 14: the item's identity whatever its number, its place (1 = first), and its
    #: marks: a supplementary item (tilleggssak), postponed (utsatt) or withdrawn (trukket)
    #: with the reason given.
    key: str = ""
    position: int = 0
    supplementary: bool = False
    postponed: bool = False
    withdrawn: bool = False
    note: str = ""
    decision: str = ""  # the minutes' vedtak (protokoll)
    #: Issue 18: a free item's screening and the title the public sees; an item for a
    #: case follows its case (``app.screening.public_agenda`` fills these from the case).
    screening: dict[str, Any] | None = None
    public_title: str = ""


@dataclass(frozen=True)
class AttachmentView(Plain):
    """A file attached to a meeting: its metadata and SHA-256 (the bytes are in the store)."""

    sha256: str
    filename: str
    size: int
    media_type: str
    kind: str
    title: str
    item_number: int | None
    source_meeting_id: UUID | None
    rule: str | None
    added_at: datetime


@dataclass(frozen=True)
class InviteeView(Plain):
    """A person invited beyond the body's members. ``withheld``: the invitation is for a
    case the reader may not see, so its reason and case are left out."""

    person_id: UUID
    name: str
    reason: str
    rule: str | None
    case_id: UUID | None
    withheld: bool = False


@dataclass(frozen=True)
class SupplementView(Plain):
    """A supplementary invitation (tilleggsinnkalling): when, to whom, which items."""

    sent_at: datetime
    recipients: list[UUID]
    item_keys: list[str]
    item_labels: list[str]


@dataclass(frozen=True)
class MeetingView(Plain):
    id: UUID
    body: str
    title: str
    starts_at: datetime
    place: str
    group_id: UUID | None
    held: bool
    agenda: list[AgendaItemView]
    version: int
    status: str = "planned"
    ends_at: datetime | None = None
    digital: bool = False
    group_ids: list[UUID] = field(default_factory=list)
    invitees: list[InviteeView] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)
    recipients: list[UUID] = field(default_factory=list)
    invitation_sent_at: datetime | None = None
    approved_minutes: str | None = None
    #: Planning warnings (R15, R16, R20) computed when the view is made.
    warnings: list[Message] = field(default_factory=list)
    #: Issue 14: supplementary invitations sent, supplementary items not yet in one, and
    #: the cancellation (when and why).
    supplements: list[SupplementView] = field(default_factory=list)
    unsent_supplementary: list[str] = field(default_factory=list)
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    #: The minutes' attendance (issue 14): who was there, who was not.
    present: list[UUID] = field(default_factory=list)
    absent: list[UUID] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.title} ({local_text(self.starts_at, '%d.%m.%Y')})"  # the Oslo day


@dataclass(frozen=True)
class DeadlinesView(Plain):
    """R16: the next board meeting, the KG meeting preparing it and the deadlines."""

    board_meeting_id: UUID
    board_title: str
    board_starts_at: datetime
    kg_meeting_id: UUID | None
    kg_starts_at: datetime | None
    gap_days: int | None
    advice_due: date
    papers_due: date
    warnings: list[Message]


@dataclass(frozen=True)
class PlanEntryView(Plain):
    """One line of the yearly plan (møteplan)."""

    meeting_id: UUID | None
    body: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    digital: bool
    status: str
    joint: bool
    note: str = ""


@dataclass(frozen=True)
class YearPlanView(Plain):
    """R20: a year's meetings, whether a joint two-day gathering is due (years without the
    BEST conference), joint sessions, and planning warnings."""

    year: int
    best_conference: bool
    joint_gathering_due: bool
    joint_gathering: PlanEntryView | None
    entries: list[PlanEntryView]
    joint_sessions: list[PlanEntryView]
    warnings: list[Message]


@dataclass(frozen=True)
class MeasureUpdateView(Plain):
    status: str
    note: str
    meeting_id: UUID | None
    actor_name: str
    at: datetime


@dataclass(frozen=True)
class MeasureView(Plain):
    """A measure (tiltak) of the strategy, followed up by KG (R18)."""

    id: UUID
    title: str
    focus_area: str
    description: str
    status: str
    updates: list[MeasureUpdateView]
    version: int

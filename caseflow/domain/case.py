"""The board case (styresak) aggregate: from proposal to decision.

State guards (``check_…``) say whether a step fits the case's state and raise
:class:`InvalidTransition` (HTTP 409) when not. *Who* may take a step is decided by
:mod:`caseflow.domain.permissions`, before any of these methods is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from caseflow.domain import clock, localtime
from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.case_screening import Screenable
from caseflow.domain.documents import document_added, document_version_added
from caseflow.domain.errors import InvalidInput, InvalidTransition, Message
from caseflow.domain.reasons import why_not
from caseflow.domain.values import CaseKind, CaseStatus, Document, Stance, Step

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant

S = CaseStatus

#: Which statuses each step may start from.
ALLOWED_FROM: dict[Step, frozenset[CaseStatus]] = {
    Step.ACCEPT: frozenset({S.PROPOSED}),
    Step.DECLINE: frozenset({S.PROPOSED}),
    Step.DRAFT: frozenset({S.UNDER_PREPARATION, S.ADVICE_REQUESTED, S.ADVICE_CLOSED, S.POSTPONED}),
    Step.REQUEST_ADVICE: frozenset({S.UNDER_PREPARATION}),
    Step.ADVICE: frozenset({S.ADVICE_REQUESTED}),
    Step.CLOSE_ADVICE: frozenset({S.ADVICE_REQUESTED}),
    Step.WAIVE_ADVICE: frozenset({S.UNDER_PREPARATION, S.ADVICE_REQUESTED}),
    Step.READY: frozenset({S.ADVICE_CLOSED}),
    Step.SUBMIT: frozenset({S.READY, S.POSTPONED}),
    Step.DECISION: frozenset({S.SUBMITTED}),
    Step.POSTPONE: frozenset({S.SUBMITTED}),
    Step.WITHDRAW: frozenset(
        {S.PROPOSED, S.UNDER_PREPARATION, S.ADVICE_REQUESTED, S.ADVICE_CLOSED, S.READY}
    ),
}


@dataclass(frozen=True)
class Advice:
    """One revision of one adviser's advice."""

    person_id: UUID
    stance: Stance
    text: str
    on_behalf_of: str
    as_invited_leader: bool
    revision: int
    at: datetime


@dataclass(frozen=True)
class Submission:
    """The board meeting a case is submitted to; numbered when the invitation goes out."""

    meeting_id: UUID
    number: int | None
    year: int | None

    @property
    def label(self) -> str | None:
        """Printed board number, e.g. ``Sak 38/25``; None while unnumbered (issue 14)."""
        if self.number is None or self.year is None:
            return None
        return f"Sak {self.number}/{self.year % 100:02d}"


def _require(name: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput.field(name, "required")
    return value


def check_advice_deadline(deadline: date, today: date | None = None) -> None:
    """An advice deadline is today or later (``today``: the clock's day where people read
    times, ``CASEFLOW_TIMEZONE``): a past deadline is refused naming the field, so that no
    door records a round already late."""
    if deadline < (today or localtime.local_date(clock.now())):
        raise InvalidInput.field("deadline", "the deadline has passed: give today or a later day")


def advice_deadline_warning(
    deadline: date | None, kg_meeting_at: datetime | None
) -> Message | None:
    """A deadline after the KG meeting that should treat the case is allowed, with a
    warning: KG would meet before the advice is in."""
    if deadline is None or kg_meeting_at is None:
        return None
    meeting_day = localtime.local_date(kg_meeting_at)
    if deadline <= meeting_day:
        return None
    return Message(
        "the advice deadline %(deadline)s is after the KG meeting of %(meeting)s that "
        "should treat the case",
        {"deadline": deadline, "meeting": meeting_day},
    )


class Case(Screenable, CaseflowAggregate):
    """A board case, theme/speaker proposal or political-influence initiative; public
    unless screened (issue 18: events and commands in :mod:`~caseflow.domain.case_screening`)."""

    class Proposed(CaseflowAggregate.Created):
        kind: str
        title: str
        summary: str
        focus_area: str | None
        group_id: UUID
        reference: str

    def __init__(
        self,
        kind: str,
        title: str,
        summary: str,
        focus_area: str | None,
        group_id: UUID,
        reference: str,
    ) -> None:
        self.kind = CaseKind(kind)
        self.title = title
        self.summary = summary
        self.focus_area = focus_area
        self.group_id = group_id
        self.reference = reference
        self.status = CaseStatus.PROPOSED
        self.status_since: datetime | None = None
        self.case_officer: UUID | None = None
        self.decline_reason: str | None = None
        self.documents: list[Document] = []
        self.advice_deadline: date | None = None
        self.kg_meeting_id: UUID | None = None
        self.invited: set[UUID] = set()
        self.advice: dict[UUID, list[Advice]] = {}
        self.advice_summary: str | None = None
        self.advice_waived: str | None = None
        self.submission: Submission | None = None
        self.submissions: list[Submission] = []
        self.resolution: str | None = None
        self.postponements: list[str] = []
        self.withdraw_reason: str | None = None

    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    # -- events ---------------------------------------------------------------

    class Accepted(CaseflowAggregate.Event):
        case_officer: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.case_officer = self.case_officer
            aggregate._move(CaseStatus.UNDER_PREPARATION, self.timestamp)

    class Declined(CaseflowAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.decline_reason = self.reason
            aggregate._move(CaseStatus.DECLINED, self.timestamp)

    class Drafted(CaseflowAggregate.Event):
        background: str
        assessment: str
        proposed_resolution: str
        political_involvement: str

        def apply(self, aggregate: Any) -> None:
            aggregate.documents.append(
                Document(
                    self.background,
                    self.assessment,
                    self.proposed_resolution,
                    self.political_involvement,
                )
            )

    class AdviceRequested(CaseflowAggregate.Event):
        deadline: date
        kg_meeting_id: UUID | None
        invited: list[UUID]

        def apply(self, aggregate: Any) -> None:
            aggregate.advice_deadline = self.deadline
            aggregate.kg_meeting_id = self.kg_meeting_id
            aggregate.invited = set(self.invited)
            aggregate._move(CaseStatus.ADVICE_REQUESTED, self.timestamp)

    class LeaderInvited(CaseflowAggregate.Event):
        """R13: an expert-group leader invited to give input on this case in KG."""

        person_id: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.invited.add(self.person_id)

    class AdviceGiven(CaseflowAggregate.Event):
        stance: str
        text: str
        as_invited_leader: bool

        def apply(self, aggregate: Any) -> None:
            person = UUID(self.actor)
            revisions = aggregate.advice.setdefault(person, [])
            revisions.append(
                Advice(
                    person,
                    Stance(self.stance),
                    self.text,
                    self.on_behalf_of or "",
                    self.as_invited_leader,
                    len(revisions) + 1,
                    self.timestamp,
                )
            )

    class AdviceClosed(CaseflowAggregate.Event):
        summary: str

        def apply(self, aggregate: Any) -> None:
            aggregate.advice_summary = self.summary
            aggregate._move(CaseStatus.ADVICE_CLOSED, self.timestamp)

    class AdviceWaived(CaseflowAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.advice_waived = self.reason
            aggregate._move(CaseStatus.ADVICE_CLOSED, self.timestamp)

    class MarkedReady(CaseflowAggregate.Event):
        def apply(self, aggregate: Any) -> None:
            aggregate._move(CaseStatus.READY, self.timestamp)

    class SubmittedToBoard(CaseflowAggregate.Event):
        meeting_id: UUID
        number: int
        year: int

        def apply(self, aggregate: Any) -> None:
            aggregate.submission = Submission(self.meeting_id, self.number, self.year)
            aggregate.submissions.append(aggregate.submission)
            aggregate._move(CaseStatus.SUBMITTED, self.timestamp)

    # Issue 14: a case waits on the meeting's list and is numbered at the invitation.

    class SubmittedToMeeting(CaseflowAggregate.Event):
        meeting_id: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.submission = Submission(self.meeting_id, None, None)
            aggregate.submissions.append(aggregate.submission)
            aggregate._move(CaseStatus.SUBMITTED, self.timestamp)

    class NumberGiven(CaseflowAggregate.Event):
        meeting_id: UUID
        number: int
        year: int

        def apply(self, aggregate: Any) -> None:
            aggregate.submission = Submission(self.meeting_id, self.number, self.year)
            aggregate.submissions[-1] = aggregate.submission

    class ReturnedToWait(CaseflowAggregate.Event):
        """Off the meeting's agenda (withdrawn from it, or the meeting cancelled)."""

        meeting_id: UUID
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.submission = None
            aggregate._move(CaseStatus.READY, self.timestamp)

    class Decided(CaseflowAggregate.Event):
        resolution: str

        def apply(self, aggregate: Any) -> None:
            aggregate.resolution = self.resolution
            aggregate._move(CaseStatus.DECIDED, self.timestamp)

    class Postponed(CaseflowAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.postponements.append(self.reason)
            aggregate._move(CaseStatus.POSTPONED, self.timestamp)

    class Withdrawn(CaseflowAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.withdraw_reason = self.reason
            aggregate._move(CaseStatus.WITHDRAWN, self.timestamp)

    # -- case documents: files in versions (commands in caseflow/domain/documents.py) --

    class DocumentAdded(CaseflowAggregate.Event):
        """A new document, with its first version."""

        document_id: UUID
        kind: str
        title: str
        screened: bool
        legal_basis: str | None
        sha256: str
        filename: str
        size: int
        media_type: str

        def apply(self, aggregate: Any) -> None:
            document_added(aggregate, self)

    class DocumentVersionAdded(CaseflowAggregate.Event):
        """The next version of a document's file (the older ones stay)."""

        document_id: UUID
        sha256: str
        filename: str
        size: int
        media_type: str

        def apply(self, aggregate: Any) -> None:
            document_version_added(aggregate, self)

    def _move(self, status: CaseStatus, at: datetime) -> None:
        self.status = status
        self.status_since = at

    # -- queries --------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        """The current revision of the case document."""
        return self.documents[-1] if self.documents else None

    def current_advice(self) -> dict[UUID, Advice]:
        """Each adviser's latest revision."""
        return {pid: revs[-1] for pid, revs in self.advice.items()}

    def step_state(self) -> tuple[CaseStatus, bool, bool]:
        """Everything :meth:`check_step` reads: the status, whether a document exists,
        whether it assesses the politicians' involvement (R19). Two cases with the same
        step state get the same answer from :meth:`check_step` for every step, so a
        reader may remember the answers by it (the allowed next steps do)."""
        doc = self.document
        return (
            self.status,
            doc is not None,
            doc is not None and bool(doc.political_involvement.strip()),
        )

    def check_step(self, step: Step) -> None:
        """Raise :class:`InvalidTransition` unless ``step`` fits the current status.
        Reads only what :meth:`step_state` returns."""
        if self.status.is_final:
            raise InvalidTransition(
                "The case is “%(status)s”; no further steps are possible.",
                status=self.status.value,
            )
        if self.status not in ALLOWED_FROM[step]:
            first = why_not(step, self.status)  # what has to happen first (issue 15)
            if first is not None:
                raise InvalidTransition(first, status=self.status.value, step=step.value)
            raise InvalidTransition(
                "“%(step)s” is not possible while the case is “%(status)s”.",
                status=self.status.value,
                step=step.value,
            )
        if step is Step.REQUEST_ADVICE and not self.documents:
            raise InvalidTransition("draft the case document before requesting KG advice")
        if step in (Step.READY, Step.SUBMIT):
            self.check_political_involvement()

    def check_political_involvement(self) -> None:
        """R19: how the region's politicians are involved is assessed before the board."""
        doc = self.document
        if doc is None or not doc.political_involvement.strip():
            raise InvalidTransition(
                "the case document must assess how the region's politicians "
                "should be involved before the case goes to the board",
                rule="R19",
            )

    # -- commands (the caller has checked permissions and passes the grant) ---

    def accept(self, case_officer: UUID, by: Grant) -> None:
        self.check_step(Step.ACCEPT)
        self._record(self.Accepted, by, case_officer=case_officer)

    def decline(self, reason: str, by: Grant) -> None:
        self.check_step(Step.DECLINE)
        self._record(self.Declined, by, reason=_require("reason", reason))

    def draft(self, document: Document, by: Grant) -> None:
        self.check_step(Step.DRAFT)
        if not any(document.as_dict().values()):
            raise InvalidInput.field("background", "the document is empty")
        self._record(self.Drafted, by, **document.as_dict())

    def request_advice(
        self, deadline: date, kg_meeting_id: UUID | None, invited: list[UUID], by: Grant
    ) -> None:
        self.check_step(Step.REQUEST_ADVICE)
        check_advice_deadline(deadline)
        self._record(
            self.AdviceRequested,
            by,
            deadline=deadline,
            kg_meeting_id=kg_meeting_id,
            invited=sorted(invited, key=str),
        )

    def invite_leader(self, person_id: UUID, by: Grant) -> None:
        """Invite a group leader to give input during an open advice round (R13)."""
        self.check_step(Step.ADVICE)
        if person_id in self.invited:
            raise InvalidTransition("the leader is already invited to give input", rule="R13")
        self._record(self.LeaderInvited, by, person_id=person_id)

    def give_advice(self, stance: Stance, text: str, as_invited_leader: bool, by: Grant) -> None:
        self.check_step(Step.ADVICE)
        if stance is not Stance.NO_COMMENT and not text.strip():
            raise InvalidInput.field("text", "explain the stance (required unless no comment)")
        self._record(
            self.AdviceGiven,
            by,
            stance=stance.value,
            text=text.strip(),
            as_invited_leader=as_invited_leader,
        )

    def close_advice(self, summary: str, by: Grant) -> None:
        self.check_step(Step.CLOSE_ADVICE)
        self._record(self.AdviceClosed, by, summary=_require("summary", summary))

    def waive_advice(self, reason: str, by: Grant) -> None:
        self.check_step(Step.WAIVE_ADVICE)
        self._record(self.AdviceWaived, by, reason=_require("reason", reason))

    def mark_ready(self, by: Grant) -> None:
        self.check_step(Step.READY)
        self._record(self.MarkedReady, by)

    def submit(self, meeting_id: UUID, number: int | None, year: int | None, by: Grant) -> None:
        """Submit to a board meeting: with a number (a supplementary item), or to wait on
        its list until the invitation numbers it (``number`` None)."""
        self.check_step(Step.SUBMIT)
        if number is None or year is None:
            self._record(self.SubmittedToMeeting, by, meeting_id=meeting_id)
        else:
            self._record(self.SubmittedToBoard, by, meeting_id=meeting_id, number=number, year=year)

    def give_number(self, meeting_id: UUID, number: int, year: int, by: Grant) -> None:
        """The invitation numbered the case's item on the meeting it waits on."""
        if self.submission is None or self.submission.meeting_id != meeting_id:
            raise InvalidTransition("the case is not on that meeting's agenda", rule="R2")
        self._record(self.NumberGiven, by, meeting_id=meeting_id, number=number, year=year)

    def return_to_wait(self, meeting_id: UUID, reason: str, by: Grant) -> None:
        """Back to wait for a board meeting (ready), off this one's agenda."""
        if self.submission is None or self.submission.meeting_id != meeting_id:
            raise InvalidTransition("the case is not on that meeting's agenda", rule="R2")
        self._record(self.ReturnedToWait, by, meeting_id=meeting_id, reason=reason)

    def decide(self, resolution: str, by: Grant) -> None:
        self.check_step(Step.DECISION)
        self.check_public_text("resolution", resolution)  # issue 18: decisions are public
        self._record(self.Decided, by, resolution=_require("resolution", resolution))

    def postpone(self, reason: str, by: Grant) -> None:
        self.check_step(Step.POSTPONE)
        self._record(self.Postponed, by, reason=_require("reason", reason))

    def withdraw(self, reason: str, by: Grant) -> None:
        self.check_step(Step.WITHDRAW)
        self._record(self.Withdrawn, by, reason=_require("reason", reason))

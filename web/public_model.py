"""What the public sees (issue 18, ``/offentlig/``): a meeting of an open body, its agenda
once the invitation is sent, the public documents and the decisions after the meeting —
built from the application's views and the case list's rows, with every screened thing
(a case, a case document, a free agenda item) shown by its public title and legal basis
only. Nothing here is a page: :mod:`web.public` renders these values.

What is left out on purpose: e-mail addresses and names of people (invitees, case
officers, advisers, attendance), KG's advice and summary, the items' notes, meeting
attachments (KG minutes are KG's internal advice; other files carry no screening of their
own), and of a screened case everything but its number, public title and legal basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from caseflow.application.views import AgendaItemView, MeetingView
from caseflow.domain.errors import NotFoundError
from caseflow.domain.screening import mask
from caseflow.domain.values import MeetingBody
from caseflow.readmodels.api import CaseFilter, MeetingRow, ReadModels

#: The bodies whose meetings are open (kommuneloven § 11-5: the political bodies). KG
#: and the administrative groups advise the secretariat; their meetings are internal.
PUBLIC_BODIES: tuple[str, ...] = (
    MeetingBody.BOARD.value,
    MeetingBody.IPU.value,
    MeetingBody.COUNCIL.value,
)

#: A meeting's read-model status once its agenda is published (the invitation is sent).
PUBLISHED = ("invitation_sent", "held", "minutes_approved")
HELD = ("held", "minutes_approved")


@dataclass(frozen=True)
class CaseFacts:
    """A case as the public may know it: public title, screened or not (with the legal
    basis), and — of a public case only — its summary and proposed resolution."""

    id: UUID
    title: str
    screened: bool
    legal_basis: str | None
    summary: str = ""
    proposed_resolution: str = ""
    resolution: str = ""
    #: The board meeting that decided the case (its ``resolution``), if decided.
    decided_at: UUID | None = None
    #: Read from the case's view (with summary and resolution), not its list row.
    full: bool = False
    #: A screened case's words: never shown, only masked in its decision.
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicDocument:
    """A case document as the public sees it: a public one can be downloaded (its current
    version); a screened one shows its public title and legal basis, never its file."""

    case_id: UUID
    document_id: UUID
    title: str
    kind: str
    screened: bool
    legal_basis: str | None
    filename: str = ""
    media_type: str = ""
    size: int = 0


@dataclass(frozen=True)
class PublicItem:
    label: str
    number: int | None
    title: str
    screened: bool = False
    legal_basis: str | None = None
    supplementary: bool = False
    postponed: bool = False
    withdrawn: bool = False
    case_id: UUID | None = None
    summary: str = ""
    proposed_resolution: str = ""
    decision: str = ""
    documents: list[PublicDocument] = field(default_factory=list)


@dataclass(frozen=True)
class PublicMeeting:
    id: UUID
    body: str
    title: str
    starts_at: datetime
    place: str
    status: str
    ends_at: datetime | None = None
    digital: bool = False
    version: int = 0
    #: The agenda (empty until the invitation is sent).
    items: list[PublicItem] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.status in PUBLISHED

    @property
    def held(self) -> bool:
        return self.status in HELD

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def decided(self) -> list[PublicItem]:
        return [i for i in self.items if i.decision]


def _screening(thing: Any) -> tuple[bool, str | None, str | None]:
    """(screened, legal basis, public title) of whatever may carry a screening: a view's
    ``screening`` dict (``CaseView``, ``AgendaItemView``), a ``Screening`` value
    (``CaseDocument``), or ``screened``/``legal_basis``/``public_title`` fields
    (``CaseRow``; a document screened at upload without a screening)."""
    screening = getattr(thing, "screening", None)
    if isinstance(screening, dict):
        title = screening.get("public_title") or getattr(thing, "public_title", "")
        return True, screening.get("legal_basis"), title
    if screening is not None:
        return True, screening.legal_basis, screening.public_title
    if getattr(thing, "screened", False):
        return True, getattr(thing, "legal_basis", None), getattr(thing, "public_title", None)
    return False, None, None


def facts_of(thing: Any) -> CaseFacts:
    """A case's public facts from its view (``CaseView``, ``full``) or its list row
    (``CaseRow``). Of a screened case: its public title, legal basis and — after the
    meeting — its resolution, each screened word masked (the case refuses a resolution
    that names one; a screening added after the decision is masked here)."""
    screened, basis, public_title = _screening(thing)
    full = hasattr(thing, "summary")
    decided_at = thing.board_meeting_id if getattr(thing, "status", "") == "decided" else None
    resolution = getattr(thing, "resolution", None) or ""
    if screened:
        words = tuple((getattr(thing, "screening", None) or {}).get("words", ()))
        return CaseFacts(
            thing.id,
            public_title or "",
            True,
            basis,
            resolution=mask(resolution, words),
            decided_at=decided_at,
            full=full,
            words=words,
        )
    document = getattr(thing, "document", None) or {}
    return CaseFacts(
        thing.id,
        thing.title,
        False,
        None,
        summary=getattr(thing, "summary", "") or "",
        proposed_resolution=str(document.get("proposed_resolution") or ""),
        resolution=resolution,
        decided_at=decided_at,
        full=full,
    )


class CaseBook:
    """The public facts of cases, looked up once per request: a board meeting's cases from
    the case list (one query per meeting), any other case from its view."""

    def __init__(self, app: Any, read: ReadModels) -> None:
        self.app = app
        self.read = read
        self.known: dict[UUID, CaseFacts] = {}

    def meeting(self, meeting_id: UUID) -> None:
        """Remember the facts of every case the case list places at ``meeting_id``."""
        rows = self.read.cases(CaseFilter(meeting=str(meeting_id), per_page=500)).items
        for row in rows:
            self.known.setdefault(row.id, facts_of(row))

    def case(self, case_id: UUID, full: bool = False) -> CaseFacts | None:
        """The facts of one case (``full``: from its view, with summary and resolution);
        None for a case that is not there."""
        found = self.known.get(case_id)
        if found is not None and (not full or found.full):
            return found
        try:
            view = self.app.get_case(None, case_id)
        except NotFoundError:
            return None
        facts = facts_of(view)
        self.known[case_id] = facts
        return facts


def _decision(i: AgendaItemView, facts: CaseFacts, meeting_id: UUID) -> str:
    """The item's decision: the minutes' vedtak, else the case's resolution when this
    meeting decided it (not an item postponed or withdrawn here)."""
    if i.decision:
        return i.decision
    if i.postponed or i.withdrawn or facts.decided_at != meeting_id:
        return ""
    return facts.resolution


def _item(
    i: AgendaItemView, facts: CaseFacts | None, decided: bool, meeting_id: UUID
) -> PublicItem:
    base = PublicItem(
        i.label,
        i.number,
        "",
        supplementary=i.supplementary,
        postponed=i.postponed,
        withdrawn=i.withdrawn,
    )
    if i.case_id is None:  # a free item: screened on the meeting, else public
        screened, basis, public_title = _screening(i)
        if screened:
            return replace(base, title=public_title or "", screened=True, legal_basis=basis)
        return replace(base, title=i.title, decision=i.decision if decided else "")
    if facts is None:  # an unknown case is withheld like a screened one
        return replace(base, screened=True)
    if facts.screened:  # its public title, legal basis and (masked) decision
        decision = mask(_decision(i, facts, meeting_id), facts.words) if decided else ""
        return replace(
            base, title=facts.title, screened=True, legal_basis=facts.legal_basis, decision=decision
        )
    return replace(
        base,
        title=facts.title,
        case_id=i.case_id,
        summary=facts.summary,
        proposed_resolution=facts.proposed_resolution,
        decision=_decision(i, facts, meeting_id) if decided else "",
    )


def _meeting(view: MeetingView, items: list[PublicItem]) -> PublicMeeting:
    return PublicMeeting(
        view.id,
        view.body,
        view.title,
        view.starts_at,
        view.place,
        view.status,
        ends_at=view.ends_at,
        digital=view.digital,
        version=view.version,
        items=items,
    )


def meeting_view(app: Any, meeting_id: UUID) -> MeetingView:
    """One meeting as the application views it, without the planning warnings (R15, R16:
    they compare every meeting of the store, and the public never sees them)."""
    queries = app.meeting_queries
    view: MeetingView = queries.meeting_view(queries.visible(None, meeting_id), everything=[])
    return view


def public_meeting(
    app: Any, read: ReadModels, meeting_id: UUID, *, full: bool = True
) -> PublicMeeting:
    """One meeting of an open body as the public sees it (404 for any other meeting);
    ``full``: with each public case's summary, proposed resolution, the decision recorded
    on the case and its documents (each case's view: the page of one meeting)."""
    view = meeting_view(app, meeting_id)
    if view.body not in PUBLIC_BODIES:
        raise NotFoundError("meeting not found", id=str(meeting_id))
    return from_view(app, read, view, full=full)


def from_view(
    app: Any, read: ReadModels, view: MeetingView, *, full: bool, book: CaseBook | None = None
) -> PublicMeeting:
    """``view`` (an open body's meeting, as the application sees it) for the public."""
    if view.status not in PUBLISHED:
        return _meeting(view, [])
    book = book or CaseBook(app, read)
    if view.body == MeetingBody.BOARD.value:
        book.meeting(view.id)
    decided = view.status in HELD  # the minutes' vedtak; with ``full``, the case's too
    unsent = set(view.unsent_supplementary)  # published with their supplementary invitation
    items = [
        _item(i, book.case(i.case_id, full) if i.case_id else None, decided, view.id)
        for i in view.agenda
        if i.key not in unsent
    ]
    if full:
        items = _with_documents(app, items)
    return _meeting(view, items)


def _with_documents(app: Any, items: list[PublicItem]) -> list[PublicItem]:
    """Each public case's documents: public ones to download, screened ones by title."""
    ids = [i.case_id for i in items if i.case_id is not None]
    if not ids:
        return items
    documents = app.documents.documents_by_case(None, ids)
    out = []
    for item in items:
        found = documents.get(item.case_id, []) if item.case_id else []
        out.append(_replace_documents(item, [public_document(item.case_id, d) for d in found]))
    return out


def _replace_documents(item: PublicItem, documents: list[PublicDocument]) -> PublicItem:
    return replace(item, documents=documents)


def public_document(case_id: Any, d: Any) -> PublicDocument:
    """A case document (``CaseDocument``) as the public sees it."""
    screened, basis, public_title = _screening(d)
    if screened:
        return PublicDocument(case_id, d.id, public_title or "", d.kind.value, True, basis)
    current = d.current
    return PublicDocument(
        case_id,
        d.id,
        d.title,
        d.kind.value,
        False,
        None,
        filename=current.filename,
        media_type=current.media_type,
        size=current.size,
    )


# -- lists from the read model ---------------------------------------------------------------


def meeting_rows(read: ReadModels) -> list[MeetingRow]:
    """Every meeting of the open bodies, by start, without agendas (one query)."""
    return read.meeting_list(PUBLIC_BODIES)


def is_published_case(read: ReadModels, case_id: UUID) -> bool:
    """Whether the case is on a published agenda of an open body (so its public
    documents may be downloaded)."""
    return bool(read.agenda_places(PUBLIC_BODIES, PUBLISHED, case_id))

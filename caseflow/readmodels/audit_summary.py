"""The audit trail's summaries by message key (issue 15): each event type's line is an
English msgid with ``%(name)s`` parameters, its bokmål text the catalogs' translation
(``web/translations``, read through :mod:`caseflow.i18n`, no Flask). A code in a
parameter (a stance, position, role, body, status, kind) is a :class:`Word`: its label
is translated too, so no code reaches what people read.

Summaries never repeat secrets (password and token hashes) and stay short; an event type
without a summary of its own gets a generic one, so new event types appear at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from caseflow.domain.localtime import local_text
from caseflow.i18n import catalog
from caseflow.readmodels.base import hexid


class Word(str):
    """A parameter that is a label (a msgid of the catalogs), translated before use."""


def _word(table: Mapping[str, str], code: Any) -> str:
    found = table.get(str(code))
    return Word(found) if found is not None else str(code)


STANCES = {
    "supports": "supports",
    "supports_with_changes": "supports with changes",
    "does_not_support": "does not support",
    "no_comment": "no comment",
}
POSITIONS = {
    "leader": "leader",
    "deputy": "deputy leader",
    "member": "member",
    "observer": "observer",
}
SYSTEM_ROLES = {
    "secretariat": "the secretariat",
    "auditor": "auditor",
    "board": "board member",
    "admin": "administrator",
}
BODIES = {
    "board": "the board",
    "kg": "KG",
    "ipu": "the interest-policy committee",
    "council": "the council of representatives",
    "group": "the group meetings",
    "joint": "the joint gatherings",
}
MEASURE_STATUSES = {
    "planned": "planned",
    "in_progress": "in progress",
    "done": "done",
    "paused": "paused",
}
INDEX_KINDS = {"case": "case reference", "token": "API key"}
DOCUMENT_KINDS = {"saksframlegg": "case document", "vedlegg": "attachment"}


def _short(text: Any, limit: int = 80) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _or(name: Callable[[Any], str], value: Any, fallback: str) -> str:
    """``value``'s name from the name book, or ``fallback`` while the book has none."""
    found = name(value)
    return fallback if found in ("", hexid(value)) else found


def _yy(year: Any) -> str:
    return "/" + format(year % 100, "02d") if year else ""


Line = tuple[str, dict[str, Any]]
Summary = Callable[[Any, Callable[[Any], str]], Line]


def _k(key: str, **params: Any) -> Line:
    return key, params


#: Summaries by event class qualname (``Aggregate.Event``); ``name`` looks up a person.
SUMMARIES: dict[str, Summary] = {
    "Case.Proposed": lambda e, n: _k(
        "Proposed case %(reference)s: %(title)s", reference=e.reference, title=_short(e.title)
    ),
    "Case.Accepted": lambda e, n: _k(
        "Took the case into preparation; case officer %(officer)s", officer=n(e.case_officer)
    ),
    "Case.Declined": lambda e, n: _k("Declined the case: %(reason)s", reason=_short(e.reason)),
    "Case.Drafted": lambda e, n: _k("New revision of the case document"),
    "Case.AdviceRequested": lambda e, n: _k(
        "Asked KG for advice by %(deadline)s", deadline=f"{e.deadline:%d.%m.%Y}"
    ),
    "Case.AdviceGiven": lambda e, n: _k(
        "Gave input: %(stance)s" if e.as_invited_leader else "Gave advice: %(stance)s",
        stance=_word(STANCES, e.stance),
    ),
    "Case.LeaderInvited": lambda e, n: _k(
        "Invited the group leader %(person)s to give input", person=n(e.person_id)
    ),
    "Case.AdviceClosed": lambda e, n: _k(
        "Closed the advice round: %(summary)s", summary=_short(e.summary)
    ),
    "Case.AdviceWaived": lambda e, n: _k("Waived KG's advice: %(reason)s", reason=_short(e.reason)),
    "Case.MarkedReady": lambda e, n: _k("The case is ready for the board"),
    "Case.SubmittedToBoard": lambda e, n: _k(
        "Submitted to the board as Case %(number)s%(year)s", number=e.number, year=_yy(e.year)
    ),
    "Case.SubmittedToMeeting": lambda e, n: _k(
        "Submitted to the board meeting (awaiting a number)"
    ),
    "Case.NumberGiven": lambda e, n: _k(
        "Got board number Case %(number)s%(year)s", number=e.number, year=_yy(e.year)
    ),
    "Case.ReturnedToWait": lambda e, n: _k(
        "Taken off the agenda, waiting again: %(reason)s", reason=_short(e.reason, 60)
    ),
    "Case.Decided": lambda e, n: _k(
        "The board's decision recorded: %(resolution)s", resolution=_short(e.resolution)
    ),
    "Case.Postponed": lambda e, n: _k("Postponed: %(reason)s", reason=_short(e.reason)),
    "Case.Withdrawn": lambda e, n: _k("Withdrawn: %(reason)s", reason=_short(e.reason)),
    "Case.DocumentAdded": lambda e, n: _k(
        "Added %(kind)s: %(title)s (%(filename)s)",
        kind=_word(DOCUMENT_KINDS, e.kind),
        title=_short(e.title),
        filename=e.filename,
    ),
    "Case.DocumentVersionAdded": lambda e, n: _k(
        "New version of a document: %(filename)s", filename=e.filename
    ),
    "Case.Screened": lambda e, n: _k(
        "Screened the case under %(basis)s; public title: %(title)s",
        basis=e.legal_basis,
        title=_short(e.public_title),
    ),
    "Case.ScreeningLifted": lambda e, n: _k(
        "Lifted the case's screening: %(reason)s", reason=_short(e.reason)
    ),
    "Case.DocumentScreened": lambda e, n: _k(
        "Screened a document under %(basis)s; public title: %(title)s",
        basis=e.legal_basis,
        title=_short(e.public_title),
    ),
    "Case.DocumentScreeningLifted": lambda e, n: _k(
        "Lifted a document's screening: %(reason)s", reason=_short(e.reason)
    ),
    "Person.Registered": lambda e, n: _k("Registered %(name)s", name=e.name),
    "Person.RoleGranted": lambda e, n: _k(
        "Granted the role %(role)s to %(person)s",
        role=_word(SYSTEM_ROLES, e.granted),
        person=n(e.originator_id),
    ),
    "Person.RoleRevoked": lambda e, n: _k(
        "Removed the role %(role)s from %(person)s",
        role=_word(SYSTEM_ROLES, e.revoked),
        person=n(e.originator_id),
    ),
    "Person.OrganisationChanged": lambda e, n: _k(
        "New organisation for %(person)s: %(organisation)s",
        person=n(e.originator_id),
        organisation=e.organisation.get("name"),
    ),
    "Group.Established": lambda e, n: _k("Established the group %(name)s", name=e.name),
    "Group.MemberAdded": lambda e, n: _k(
        "Added %(person)s as %(position)s on behalf of %(party)s",
        person=n(e.person_id),
        position=_word(POSITIONS, e.member_role),
        party=n(e.member_on_behalf_of),
    ),
    "Group.MemberRemoved": lambda e, n: _k(
        "Removed %(person)s from the group", person=n(e.person_id)
    ),
    "Group.Appointed": lambda e, n: (
        _k(
            "Appointed %(person)s %(position)s, confirmed by %(confirmer)s",
            person=n(e.person_id),
            position=_word(POSITIONS, e.position),
            confirmer=n(e.confirmed_by),
        )
        if getattr(e, "confirmed_by", None)
        else _k(
            "Appointed %(person)s %(position)s",
            person=n(e.person_id),
            position=_word(POSITIONS, e.position),
        )
    ),
    "Group.FinancingRecorded": lambda e, n: _k("Recorded the financing and the Oslo region's role"),
    "MemberRegister.Opened": lambda e, n: _k("Opened the member register"),
    "MemberRegister.RegionDefined": lambda e, n: _k("Defined the region %(name)s", name=e.name),
    "MemberRegister.Joined": lambda e, n: _k(
        "Municipality %(number)s became a member in %(region)s", number=e.number, region=n(e.region)
    ),
    "MemberRegister.Left": lambda e, n: _k(
        "Municipality %(number)s left the Oslo region", number=e.number
    ),
    "Account.Opened": lambda e, n: _k("Opened a login for %(person)s", person=n(e.person_id)),
    "Account.PasswordChanged": lambda e, n: _k("Changed the password"),
    "Account.TokenIssued": lambda e, n: _k(
        "Issued an API key (%(label)s)", label=_short(e.label, 40)
    ),
    "Account.TokenRevoked": lambda e, n: _k(
        "Revoked an API key: %(reason)s", reason=_short(e.reason, 60)
    ),
    "Account.SessionsEnded": lambda e, n: _k(
        "Ended all logins: %(reason)s", reason=_short(e.reason, 60)
    ),
    "Index.Indexed": lambda e, n: _k(
        "Registered a key (%(kind)s)", kind=_word(INDEX_KINDS, e.kind)
    ),
    "Counter.Started": lambda e, n: _k("Started the counter %(name)s", name=e.name),
    "Counter.Incremented": lambda e, n: _k("The counter stands at %(value)s", value=e.value),
    "Directory.Opened": lambda e, n: _k("Opened the directory"),
    "Directory.GroupListed": lambda e, n: _k(
        "Listed the group %(group)s", group=_or(n, e.group_id, e.slug)
    ),
    "Directory.PersonListed": lambda e, n: _k("Listed %(person)s", person=n(e.person_id)),
    "Directory.MeetingListed": lambda e, n: _k("Listed a meeting"),
    "Directory.MeasureListed": lambda e, n: _k("Listed a measure"),
    "Meeting.Scheduled": lambda e, n: _k(
        "Scheduled %(title)s %(day)s",
        title=_short(e.title),
        day=local_text(e.starts_at, "%d.%m.%Y"),
    ),
    "Meeting.ItemAdded": lambda e, n: _k(
        "Put on the agenda: Case %(number)s%(year)s %(title)s",
        number=e.number,
        year=_yy(e.year),
        title=_short(e.title),
    ),
    "Meeting.Invited": lambda e, n: _k(
        "Invited %(person)s: %(reason)s", person=n(e.person_id), reason=_short(e.reason)
    ),
    "Meeting.AttachmentAdded": lambda e, n: _k("Attached %(filename)s", filename=e.filename),
    "Meeting.InvitationSent": lambda e, n: _k(
        "Sent the notice of meeting to %(n)s recipients", n=len(e.recipients)
    ),
    "Meeting.Held": lambda e, n: _k("The meeting has been held"),
    "Meeting.MinutesApproved": lambda e, n: _k("The minutes are approved"),
    "Meeting.ItemQueued": lambda e, n: _k(
        "Put on the agenda (unnumbered): %(title)s", title=_short(e.title)
    ),
    "Meeting.ItemMoved": lambda e, n: _k(
        "Moved an item to place %(place)s on the agenda", place=e.position + 1
    ),
    "Meeting.AgendaNumbered": lambda e, n: _k(
        "Numbered the agenda (%(n)s items)", n=len(e.numbers)
    ),
    "Meeting.SupplementaryItemAdded": lambda e, n: _k(
        "Supplementary item: Case %(number)s%(year)s %(title)s",
        number=e.number,
        year=_yy(e.year),
        title=_short(e.title),
    ),
    "Meeting.SupplementaryInvitationSent": lambda e, n: _k(
        "Sent a supplementary notice to %(n)s recipients", n=len(e.recipients)
    ),
    "Meeting.ItemPostponed": lambda e, n: _k(
        "Postponed an item: %(reason)s", reason=_short(e.reason, 60)
    ),
    "Meeting.ItemWithdrawn": lambda e, n: _k(
        "Withdrew an item from the agenda: %(reason)s", reason=_short(e.reason, 60)
    ),
    "Meeting.Cancelled": lambda e, n: _k(
        "Cancelled the meeting: %(reason)s", reason=_short(e.reason, 60)
    ),
    "Meeting.AttendanceRecorded": lambda e, n: _k(
        "Recorded the attendance: %(n)s present", n=len(e.present)
    ),
    "Meeting.ItemDecided": lambda e, n: _k(
        "Recorded a decision: %(decision)s", decision=_short(e.decision, 60)
    ),
    "Meeting.ItemScreened": lambda e, n: _k(
        "Screened an agenda item under %(basis)s; public title: %(title)s",
        basis=e.legal_basis,
        title=_short(e.public_title, 60),
    ),
    "Meeting.ItemScreeningLifted": lambda e, n: _k(
        "Lifted an agenda item's screening: %(reason)s", reason=_short(e.reason, 60)
    ),
    "AgendaSequence.Started": lambda e, n: _k(
        "Started the case numbering for %(body)s %(year)s",
        body=_word(BODIES, e.body),
        year=e.year,
    ),
    "AgendaSequence.NumberIssued": lambda e, n: _k(
        "Issued case number %(number)s", number=e.number
    ),
    "Measure.Registered": lambda e, n: _k(
        "Registered the measure %(title)s", title=_short(e.title)
    ),
    "Measure.StatusUpdated": lambda e, n: _k(
        "The measure has the status %(status)s", status=_word(MEASURE_STATUSES, e.status)
    ),
}

GENERIC = "Event %(name)s"


def summary_line(event: Any, name: Callable[[Any], str]) -> Line:
    """``event``'s summary as a message key and its parameters (generic for unknown types)."""
    fn = SUMMARIES.get(type(event).__qualname__)
    if fn is not None:
        try:
            return fn(event, name)
        except (AttributeError, KeyError, TypeError, ValueError):
            pass  # an older or newer shape of the event: fall back to the generic line
    return _k(GENERIC, name=type(event).__name__)


def render(line: Line, lang: str) -> str:
    """A summary line in ``lang`` (``nb`` or ``en``), its words translated too."""
    key, params = line
    t = catalog(lang)
    text = t.gettext(key)
    values = {k: t.gettext(v) if isinstance(v, Word) else v for k, v in params.items()}
    try:
        return text % values if params else text
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
        return key % values if params else key


#: Rendered lines by key and parameters (the trail writes the same few lines again and
#: again: "Gave advice: supports"), for the catalogs they were rendered with.
_RENDERED: dict[Any, tuple[str, str]] = {}
_RENDERED_WITH: list[Any] = [None, None]
_RENDERED_MAX = 10_000


def render_both(line: Line) -> tuple[str, str]:
    """``line`` in bokmål and in English (:func:`render`), remembered per message key and
    parameters (their types too: a :class:`Word` is translated, the same text as a plain
    string is not)."""
    key, params = line
    check_catalogs()
    memo: Any = (key, *params.items(), *map(type, params.values())) if params else key
    try:
        found = _RENDERED.get(memo)
    except TypeError:  # a parameter that cannot be a key (never seen): rendered each time
        return render(line, "nb"), render(line, "en")
    if found is None:
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        found = _RENDERED[memo] = (render(line, "nb"), render(line, "en"))
    return found


#: The values a frequent event type's summary is made of, for the types whose summary
#: looks nobody up in the name book (issue 19: the trail's line for each such type is
#: rendered once per values, not once per event; most of a log is revised advice).
MEMO_FIELDS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "Case.AdviceGiven": lambda e: (e.as_invited_leader, str(e.stance)),
    "Index.Indexed": lambda e: (str(e.kind),),
    **{
        qualname: lambda e: ()
        for qualname in (
            "Case.Drafted",
            "Case.MarkedReady",
            "Case.SubmittedToMeeting",
            "Meeting.Held",
            "Meeting.MinutesApproved",
            "Directory.MeetingListed",
            "Directory.MeasureListed",
        )
    },
}

Both = Callable[[Any, Callable[[Any], str]], tuple[str, str]]

#: The memo of every prepared function (:func:`prepared`), emptied with the catalogs.
_MEMOS: list[dict[Any, tuple[str, str]]] = []


def _both(event: Any, name: Callable[[Any], str]) -> tuple[str, str]:
    return render_both(summary_line(event, name))


def prepared(cls: type) -> Both:
    """The summary of ``cls``'s events in bokmål and English as one function, the same
    as ``render_both(summary_line(event, name))``: for a type of :data:`MEMO_FIELDS`,
    remembered per its values (call :func:`check_catalogs` once per batch)."""
    fields = MEMO_FIELDS.get(cls.__qualname__)
    if fields is None:
        return _both
    memo: dict[Any, tuple[str, str]] = {}
    _MEMOS.append(memo)

    def both(event: Any, name: Callable[[Any], str]) -> tuple[str, str]:
        try:
            key = fields(event)
            found = memo.get(key)
        except (AttributeError, TypeError):  # another shape of the event, or an odd value
            return _both(event, name)
        if found is None:
            if len(memo) >= _RENDERED_MAX:
                memo.clear()
            found = memo[key] = _both(event, name)
        return found

    return both


def check_catalogs() -> None:
    """Forget every rendered line if the catalogs are not those they were rendered with."""
    if _RENDERED_WITH[0] is not catalog("nb") or _RENDERED_WITH[1] is not catalog("en"):
        _RENDERED.clear()
        _RENDERED_WITH[:] = [catalog("nb"), catalog("en")]
        for memo in _MEMOS:
            memo.clear()


def summarise(event: Any, name: Callable[[Any], str], lang: str = "nb") -> str:
    """A short summary of ``event`` in ``lang`` (bokmål by default)."""
    return render(summary_line(event, name), lang)

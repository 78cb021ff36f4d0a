"""The audit trail: one row per event of every aggregate, in log order, with who did it,
in which role, on whose behalf, and a short summary in Norwegian.

Summaries never repeat secrets (password and token hashes) and stay short; an event type
without a summary of its own gets a generic one, so new event types appear at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from caseflow.domain.case import Case, Submission
from caseflow.domain.localtime import local_text
from caseflow.readmodels.api import AuditFilter, AuditRow, Page, PersonName
from caseflow.readmodels.base import (
    NAMES_TABLE,
    NamesMixin,
    ReadModelProjection,
    from_iso,
    hexid,
    iso,
)
from caseflow.readmodels.sql import TableSchema, Tx

SCHEMA = TableSchema(
    tables=(
        (
            "",
            "position INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL, "
            "actor_name TEXT NOT NULL, role TEXT NOT NULL, on_behalf_of TEXT, "
            "type TEXT NOT NULL, aggregate_type TEXT NOT NULL, aggregate_id TEXT NOT NULL, "
            "version INTEGER NOT NULL, summary TEXT NOT NULL, case_id TEXT",
        ),
        NAMES_TABLE,
    ),
    indexes=(
        ("actor", "", "actor, position"),
        ("time", "", "time"),
        ("type", "", "type, position"),
        ("case", "", "case_id, position"),
    ),
)

STANCES = {
    "supports": "støtter",
    "supports_with_changes": "støtter med endringer",
    "does_not_support": "støtter ikke",
    "no_comment": "ingen merknad",
}
POSITIONS = {"leader": "leder", "deputy": "nestleder", "member": "medlem", "observer": "observatør"}
#: Codes a summary names in words (issue 15: no codes in what people read).
SYSTEM_ROLES = {
    "secretariat": "sekretariatet",
    "auditor": "revisor",
    "board": "styremedlem",
    "admin": "administrator",
}
BODIES = {
    "board": "styret",
    "kg": "KG",
    "ipu": "interessepolitisk utvalg",
    "council": "representantskapet",
    "group": "gruppemøtene",
    "joint": "fellessamlingene",
}
MEASURE_STATUSES = {
    "planned": "planlagt",
    "in_progress": "pågår",
    "done": "gjennomført",
    "paused": "satt på vent",
}
INDEX_KINDS = {"case": "saksreferanse", "token": "API-nøkkel"}


def _short(text: Any, limit: int = 80) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _or(name: Callable[[Any], str], value: Any, fallback: str) -> str:
    """``value``'s name from the name book, or ``fallback`` while the book has none."""
    found = name(value)
    return fallback if found in ("", hexid(value)) else found


Summary = Callable[[Any, Callable[[Any], str]], str]

#: Summaries by event class qualname (``Aggregate.Event``); ``name`` looks up a person.
SUMMARIES: dict[str, Summary] = {
    "Case.Proposed": lambda e, n: f"Foreslo sak {e.reference}: {_short(e.title)}",
    "Case.Accepted": lambda e, n: f"Tok saken til forberedelse; saksbehandler {n(e.case_officer)}",
    "Case.Declined": lambda e, n: f"Avviste saken: {_short(e.reason)}",
    "Case.Drafted": lambda e, n: "Ny revisjon av saksframlegget",
    "Case.AdviceRequested": lambda e, n: f"Ba KG om råd innen {e.deadline:%d.%m.%Y}",
    "Case.AdviceGiven": lambda e, n: (
        f"Ga {'innspill' if e.as_invited_leader else 'råd'}: {STANCES.get(e.stance, e.stance)}"
    ),
    "Case.LeaderInvited": lambda e, n: (
        f"Inviterte gruppelederen {n(e.person_id)} til å gi innspill"
    ),
    "Case.AdviceClosed": lambda e, n: f"Avsluttet rådsrunden: {_short(e.summary)}",
    "Case.AdviceWaived": lambda e, n: f"Frafalt KGs råd: {_short(e.reason)}",
    "Case.MarkedReady": lambda e, n: "Saken er klar for styret",
    "Case.SubmittedToBoard": lambda e, n: (
        f"Fremmet for styret som {Submission(e.meeting_id, e.number, e.year).label}"
    ),
    "Case.SubmittedToMeeting": lambda e, n: "Fremmet for styremøtet (venter på nummer)",
    "Case.NumberGiven": lambda e, n: f"Fikk styrenummer Sak {e.number}/{e.year % 100:02d}",
    "Case.ReturnedToWait": lambda e, n: f"Tatt av sakslisten, venter igjen: {_short(e.reason, 60)}",
    "Case.Decided": lambda e, n: f"Styrets vedtak registrert: {_short(e.resolution)}",
    "Case.Postponed": lambda e, n: f"Utsatt: {_short(e.reason)}",
    "Case.Withdrawn": lambda e, n: f"Trukket: {_short(e.reason)}",
    "Case.DocumentAdded": lambda e, n: f"La til {e.kind}: {_short(e.title)} ({e.filename})",
    "Case.DocumentVersionAdded": lambda e, n: f"Ny versjon av et dokument: {e.filename}",
    "Person.Registered": lambda e, n: f"Registrerte {e.name}",
    "Person.RoleGranted": lambda e, n: (
        f"Ga rollen {SYSTEM_ROLES.get(e.granted, e.granted)} til {n(e.originator_id)}"
    ),
    "Person.RoleRevoked": lambda e, n: (
        f"Fjernet rollen {SYSTEM_ROLES.get(e.revoked, e.revoked)} fra {n(e.originator_id)}"
    ),
    "Person.OrganisationChanged": lambda e, n: (
        f"Ny organisasjon for {n(e.originator_id)}: {e.organisation.get('name')}"
    ),
    "Group.Established": lambda e, n: f"Opprettet gruppen {e.name}",
    "Group.MemberAdded": lambda e, n: (
        f"La til {n(e.person_id)} som {POSITIONS.get(e.member_role, e.member_role)}"
        f" på vegne av {n(e.member_on_behalf_of)}"
    ),
    "Group.MemberRemoved": lambda e, n: f"Fjernet {n(e.person_id)} fra gruppen",
    "Group.Appointed": lambda e, n: (
        f"Utnevnte {n(e.person_id)} til {POSITIONS.get(e.position, e.position)}"
        + (f", bekreftet av {n(e.confirmed_by)}" if getattr(e, "confirmed_by", None) else "")
    ),
    "Group.FinancingRecorded": lambda e, n: "Registrerte finansiering og Osloregionens rolle",
    "MemberRegister.Opened": lambda e, n: "Opprettet medlemsregisteret",
    "MemberRegister.RegionDefined": lambda e, n: f"Definerte regionen {e.name}",
    "MemberRegister.Joined": lambda e, n: f"Kommune {e.number} ble medlem i {n(e.region)}",
    "MemberRegister.Left": lambda e, n: f"Kommune {e.number} gikk ut av Osloregionen",
    "Account.Opened": lambda e, n: f"Opprettet innlogging for {n(e.person_id)}",
    "Account.PasswordChanged": lambda e, n: "Endret passord",
    "Account.TokenIssued": lambda e, n: f"Utstedte API-nøkkel ({_short(e.label, 40)})",
    "Account.TokenRevoked": lambda e, n: f"Trakk tilbake en API-nøkkel: {_short(e.reason, 60)}",
    "Account.SessionsEnded": lambda e, n: f"Avsluttet alle innlogginger: {_short(e.reason, 60)}",
    "Index.Indexed": lambda e, n: f"Registrerte nøkkel ({INDEX_KINDS.get(e.kind, e.kind)})",
    "Counter.Started": lambda e, n: f"Startet telleren {e.name}",
    "Counter.Incremented": lambda e, n: f"Telleren står på {e.value}",
    "Directory.Opened": lambda e, n: "Opprettet katalogen",
    "Directory.GroupListed": lambda e, n: f"Katalogførte gruppen {_or(n, e.group_id, e.slug)}",
    "Directory.PersonListed": lambda e, n: f"Katalogførte {n(e.person_id)}",
    "Directory.MeetingListed": lambda e, n: "Katalogførte et møte",
    "Directory.MeasureListed": lambda e, n: "Katalogførte et tiltak",
    "Meeting.Scheduled": lambda e, n: (
        f"Planla {_short(e.title)} {local_text(e.starts_at, '%d.%m.%Y')}"
    ),
    "Meeting.ItemAdded": lambda e, n: (
        f"Satte på sakslisten: Sak {e.number}"
        f"{'/' + format(e.year % 100, '02d') if e.year else ''} {_short(e.title)}"
    ),
    "Meeting.Invited": lambda e, n: f"Inviterte {n(e.person_id)}: {_short(e.reason)}",
    "Meeting.AttachmentAdded": lambda e, n: f"La ved {e.filename}",
    "Meeting.InvitationSent": lambda e, n: f"Sendte innkallingen til {len(e.recipients)} mottakere",
    "Meeting.Held": lambda e, n: "Møtet er holdt",
    "Meeting.MinutesApproved": lambda e, n: "Referatet er godkjent",
    "Meeting.ItemQueued": lambda e, n: f"Satte på sakslisten (unummerert): {_short(e.title)}",
    "Meeting.ItemMoved": lambda e, n: f"Flyttet en sak til plass {e.position + 1} på sakslisten",
    "Meeting.AgendaNumbered": lambda e, n: f"Nummererte sakslisten ({len(e.numbers)} saker)",
    "Meeting.SupplementaryItemAdded": lambda e, n: (
        f"Tilleggssak: Sak {e.number}"
        f"{'/' + format(e.year % 100, '02d') if e.year else ''} {_short(e.title)}"
    ),
    "Meeting.SupplementaryInvitationSent": lambda e, n: (
        f"Sendte tilleggsinnkalling til {len(e.recipients)} mottakere"
    ),
    "Meeting.ItemPostponed": lambda e, n: f"Utsatte en sak: {_short(e.reason, 60)}",
    "Meeting.ItemWithdrawn": lambda e, n: f"Trakk en sak fra sakslisten: {_short(e.reason, 60)}",
    "Meeting.Cancelled": lambda e, n: f"Avlyste møtet: {_short(e.reason, 60)}",
    "Meeting.AttendanceRecorded": lambda e, n: f"Førte oppmøtet: {len(e.present)} til stede",
    "Meeting.ItemDecided": lambda e, n: f"Førte vedtak: {_short(e.decision, 60)}",
    "AgendaSequence.Started": lambda e, n: (
        f"Startet saksnummereringen for {BODIES.get(e.body, e.body)} {e.year}"
    ),
    "AgendaSequence.NumberIssued": lambda e, n: f"Tildelte saksnummer {e.number}",
    "Measure.Registered": lambda e, n: f"Registrerte tiltaket {_short(e.title)}",
    "Measure.StatusUpdated": lambda e, n: (
        f"Tiltaket har status {MEASURE_STATUSES.get(e.status, e.status)}"
    ),
}


def summarise(event: Any, name: Callable[[Any], str]) -> str:
    """A short Norwegian summary of ``event`` (generic for unknown types)."""
    fn = SUMMARIES.get(type(event).__qualname__)
    if fn is not None:
        try:
            return fn(event, name)
        except (AttributeError, KeyError, TypeError, ValueError):
            pass  # an older or newer shape of the event: fall back to the generic line
    return f"Hendelse {type(event).__name__}"


class AuditTrailProjection(NamesMixin, ReadModelProjection):
    """Audit trail (``rm_audit``); rows are written once per batch."""

    name = "rm_audit"
    short = "audit"
    schema = SCHEMA

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self._rows: list[tuple[Any, ...]] = []
        self._names: dict[str, str] = {}
        self._tx: Tx | None = None

    def apply(self, tx: Tx, event: Any, position: int) -> None:
        super().apply(tx, event, position)  # the name book
        self._tx = tx
        cls = type(event)
        aggregate_id = event.originator_id.hex
        actor = str(getattr(event, "actor", "") or "system")
        self._rows.append(
            (
                position,
                iso(event.timestamp),
                actor,
                self.lookup_name(actor),
                str(getattr(event, "role", "") or ""),
                getattr(event, "on_behalf_of", None),
                cls.__name__,
                cls.__qualname__.split(".", 1)[0],
                aggregate_id,
                event.originator_version,
                summarise(event, self.lookup_name),
                aggregate_id if isinstance(event, Case.Event) else None,
            )
        )

    def lookup_name(self, value: Any) -> str:
        """A person's (or group's) name from the name book, for summaries."""
        return self._name(self._tx, value)

    def _name(self, tx: Tx | None, value: Any) -> str:
        if value is None or tx is None:
            return ""
        key = hexid(value) or ""
        if key == "system":
            return "Caseflow"
        if key not in self._names:
            found = tx.scalar("SELECT name FROM {t_names} WHERE id = ?", (key,))
            if found is None:
                return key
            self._names[key] = str(found)
        return self._names[key]

    def begin(self, tx: Tx) -> None:
        self._tx = tx
        self._rows = []
        self._names.clear()

    def finish(self, tx: Tx) -> None:
        rows, self._rows = self._rows, []
        tx.insert_rows("{t}", _COLUMNS.split(", "), rows)


# -- queries ---------------------------------------------------------------------------------

_COLUMNS = (
    "position, time, actor, actor_name, role, on_behalf_of, type, aggregate_type, "
    "aggregate_id, version, summary, case_id"
)


def _utc(value: datetime) -> str:
    return iso(value if value.tzinfo else value.replace(tzinfo=UTC)) or ""


def query_audit(tx: Tx, f: AuditFilter) -> Page[AuditRow]:
    """A page of the trail. The count is exact unless ``f.count_limit`` is given: then it
    stops at the limit (or at the end of the asked page, if further), so a page of an
    unfiltered million-event trail never counts the whole table."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.actor:
        clauses.append("actor = ?")
        params.append(hexid(f.actor))
    if f.since is not None:
        clauses.append("time >= ?")
        params.append(_utc(f.since))
    if f.until is not None:
        clauses.append("time <= ?")
        params.append(_utc(f.until))
    if f.type:
        clauses.append("type = ?")
        params.append(f.type)
    if f.case:
        clauses.append("case_id = ?")
        params.append(hexid(f.case))
    if f.before is not None:
        clauses.append("position < ?")
        params.append(int(f.before))
    if f.after is not None:
        clauses.append("position > ?")
        params.append(int(f.after))
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    per_page = max(1, min(int(f.per_page), 1000))
    page = max(1, int(f.page))
    offset = (page - 1) * per_page
    order = "DESC" if getattr(f, "newest_first", False) else "ASC"
    capped = False
    if f.count_limit is None:
        total = int(tx.scalar(f"SELECT COUNT(*) FROM {{t}}{where}", params) or 0)
    else:
        limit = max(int(f.count_limit), offset + per_page)
        total = int(
            tx.scalar(
                f"SELECT COUNT(*) FROM (SELECT position FROM {{t}}{where} "
                f"ORDER BY position {order} LIMIT ?) AS counted",
                [*params, limit + 1],
            )
            or 0
        )
        if total > limit:
            total, capped = limit, True
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM {{t}}{where} ORDER BY position {order} LIMIT ? OFFSET ?",
        [*params, per_page, offset],
    )
    return Page([_row(r) for r in rows], total, page, per_page, capped)


def query_people(tx: Tx) -> list[PersonName]:
    """Every person in the trail's name book (one row per registered person)."""
    rows = tx.all("SELECT id, name FROM {t_names} WHERE kind = 'person' ORDER BY name, id")
    return [PersonName(UUID(i), str(n or "")) for i, n in rows]


def _row(r: tuple[Any, ...]) -> AuditRow:
    time = from_iso(r[1])
    assert time is not None
    return AuditRow(
        position=int(r[0]),
        time=time,
        actor=r[2],
        actor_name=r[3],
        role=r[4],
        on_behalf_of=r[5],
        type=r[6],
        aggregate_type=r[7],
        aggregate_id=UUID(r[8]),
        version=int(r[9]),
        summary=r[10],
        case_id=UUID(r[11]) if r[11] else None,
    )

"""A meeting as a møtemappe: its møteregistreringer with Noark's codes — the agenda (SL
saksliste), the invitation (MI møteinnkalling), each item (SF saksframlegg, pointing to
its case's saksmappe) and its decision (SP saksprotokoll), the minutes (MP møteprotokoll)
and the papers (VL vedlegg) with their files — from one meeting's events, replayed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from caseflow.archive.noark5 import ids
from caseflow.archive.noark5 import values as v
from caseflow.archive.noark5.records import (
    DocumentRecord,
    Entry,
    FileVersion,
    Folder,
    MeetingFacts,
    Screen,
)
from caseflow.archive.noark5.source import Source

_ITEM_EVENTS = ("ItemAdded", "ItemQueued", "SupplementaryItemAdded")


@dataclass(frozen=True)
class Decision:
    """A case's decision (``Case.Decided``) at a meeting."""

    at: datetime
    by: str
    resolution: str


_ITEM_STATUS = {"postponed": "Utsatt", "withdrawn": "Trukket"}


class Screened(Protocol):
    """A screened case's public title and legal basis by its id (None: not screened)."""

    def get(self, case_id: UUID) -> tuple[str, str] | None: ...


def body_name(source: Source, meeting: Any) -> str:
    """The utvalg: a group's meeting is its group's, the others their body's."""
    if meeting.body.value == "group" and meeting.group_id is not None:
        return source.group_name(meeting.group_id) or v.text(v.BODY_LABEL["group"])
    return v.text(v.BODY_LABEL.get(meeting.body.value, meeting.body.value))


class MeetingBuilder:
    """Builds one møtemappe; ``screened`` gives a screened case's public title and legal
    basis by case id (an item for a case follows its case)."""

    def __init__(
        self,
        source: Source,
        meeting: Any,
        events: list[Any],
        screened: Screened,
        decisions: Mapping[tuple[UUID, UUID], Decision] | None = None,
    ) -> None:
        self.source, self.meeting, self.events, self.screened = source, meeting, events, screened
        self.decisions = decisions or {}
        self.decided: set[str] = set()
        positions = source.positions(meeting.id)
        self.position = lambda e: positions.get(e.originator_version, e.originator_version)
        self.entries: list[Entry] = []

    def entry(
        self, role: str, code: str, event: Any, title: str, by: str | None = None, **more: Any
    ) -> None:
        self.entries.append(
            Entry(
                system_id=ids.entry_id(self.meeting.id, ids.moeteregistrering_role(code, role)),
                at=event.timestamp,
                by=by or self.source.name(event.actor),
                title=title,
                public_title=more.pop("public_title", title),
                position=self.position(event) if hasattr(event, "originator_version") else 0,
                number=len(self.entries) + 1,
                meeting_type=code,
                **more,
            )
        )

    def build(self, number: str, closed_at: datetime) -> Folder:
        m, first = self.meeting, self.events[0]
        name = {"title": m.title}
        for event in self.events:
            kind = type(event).__name__
            if kind == "InvitationSent":
                self.entry("agenda", "SL", event, v.text("Agenda: %(title)s", name))
                self.entry("invitation", "MI", event, v.text("Invitation: %(title)s", name))
            elif kind in _ITEM_EVENTS:
                self.item(event)
            elif kind == "ItemDecided":
                self.decision(event)
            elif kind == "AttachmentAdded":
                self.attachment(event)
        self.case_decisions()
        closed = m.status.value in ("minutes_approved", "cancelled")
        return Folder(
            system_id=ids.folder_id(m.id),
            folder_id=f"{body_name(self.source, m)} {number}",
            title=m.title,
            public_title=m.title,
            at=first.timestamp,
            by=self.source.name(first.actor),
            closed_at=self.events[-1].timestamp if closed else closed_at,
            closed_by=self.source.name(self.events[-1].actor) if closed else v.ARCHIVE_CREATOR,
            unit=body_name(self.source, m),
            responsible=v.text(v.SECRETARIAT),
            year=v.local_year(m.starts_at),
            sequence=0,
            status=m.status.value,
            entries=tuple(self.entries),
            meeting=MeetingFacts(
                number=number,
                body=body_name(self.source, m),
                day=v.local_date(m.starts_at),
                place=(m.place or "").strip() or None,
                participants=tuple(self.source.name(p.hex) for p in m.present),
            ),
        )

    def _item(self, key: str) -> Any:
        for item in self.meeting.items:
            if item.key == key:
                return item
        return None

    def _titles(self, item: Any) -> tuple[str, str, Screen | None]:
        """An item's title, public title and skjerming (its own, or its case's)."""
        label = f"{item.label} " if item.label else ""
        found = self.screened.get(item.case_id) if item.case_id is not None else None
        if found is not None:
            shown, basis = found
            return label + item.title, label + shown, Screen(basis, (v.SKJERM_TITTEL_REGISTRERING,))
        screening = getattr(item, "screening", None)
        if screening is not None:
            return (
                label + item.title,
                label + screening.public_title,
                Screen(screening.legal_basis, (v.SKJERM_TITTEL_REGISTRERING,)),
            )
        return label + item.title, label + item.title, None

    def item(self, event: Any) -> None:
        key = getattr(event, "key", None) or str(event.number)
        item = self._item(key)
        if item is None:
            return
        title, shown, screen = self._titles(item)
        self.entry(
            f"item:{key}",
            "SF",
            event,
            title,
            public_title=shown,
            screen=screen,
            status=_ITEM_STATUS.get(item.state.value),
            refers_to_folder=str(item.case_id) if item.case_id else None,
        )

    def case_decisions(self) -> None:
        """A saksprotokoll for each case decided at this meeting whose item the minutes
        did not decide themselves (the case's ``Decided`` event)."""
        for item in self.meeting.items:
            found = self.decisions.get((self.meeting.id, item.case_id))
            if item.case_id is None or item.key in self.decided or found is None:
                continue
            self.decision(_Decided(item.key, found.resolution, found.at), by=found.by)

    def decision(self, event: Any, by: str | None = None) -> None:
        item = self._item(event.key)
        if item is None:
            return
        self.decided.add(item.key)
        title, shown, screen = self._titles(item)
        self.entry(
            f"decision:{event.key}",
            "SP",
            event,
            v.text("Minutes of the item: %(title)s", {"title": title}),
            by=by,
            public_title=v.text("Minutes of the item: %(title)s", {"title": shown}),
            screen=screen,
            description=" ".join(event.decision.split()) or None,
            refers_to_folder=str(item.case_id) if item.case_id else None,
        )

    def attachment(self, event: Any) -> None:
        minutes = event.kind == "minutes"
        code = "MP" if minutes else "VL"
        role = f"file:{event.sha256}"
        file = FileVersion(
            system_id=ids.entry_id(self.meeting.id, ids.dokumentobjekt_role(role, 1)),
            number=1,
            sha256=event.sha256,
            size=event.size,
            media_type=event.media_type,
            filename=event.filename,
            at=event.timestamp,
            by=self.source.name(event.actor),
        )
        document = DocumentRecord(
            system_id=ids.entry_id(self.meeting.id, ids.dokumentbeskrivelse_role(role)),
            number=1,
            kind=v.MOETEREGISTRERINGSTYPE[code],
            role=v.HOVEDDOKUMENT,
            title=event.title or event.filename,
            at=event.timestamp,
            by=self.source.name(event.actor),
            files=(file,),
        )
        approved = minutes and self.meeting.approved_minutes == event.sha256
        self.entry(
            role,
            code,
            event,
            event.title or event.filename,
            status="Godkjent" if approved else None,
            documents=(document,),
        )


def meeting_numbers(meetings: list[tuple[UUID, str, datetime]]) -> dict[UUID, str]:
    """Each meeting's number, ``n/yyyy``: its place among its body's meetings of the year
    (a group's meetings among its group's), by starting time."""
    seen: dict[tuple[str, int], int] = {}
    numbers: dict[UUID, str] = {}
    for meeting_id, body, starts_at in sorted(meetings, key=lambda m: (m[2], str(m[0]))):
        year = v.local_year(starts_at)
        n = seen[(body, year)] = seen.get((body, year), 0) + 1
        numbers[meeting_id] = f"{n}/{year}"
    return numbers


@dataclass(frozen=True)
class _Decided:
    """A case's decision in the shape of ``Meeting.ItemDecided``."""

    key: str
    decision: str
    timestamp: datetime

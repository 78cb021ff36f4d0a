"""A meeting of an open body as a Moetemappe, once its invitation is sent: a Moetesak per
numbered agenda item (its decision as Vedtak after the meeting) and a Moetedokument for
the invitation and, once approved, the protokoll (described; its file is not on the
public pages, whose decisions are the Moetesaker's Vedtak)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from caseflow.archive.einnsyn.cases import CaseFacts
from caseflow.archive.einnsyn.objects import EinnsynObject, make
from caseflow.archive.einnsyn.titles import PublicTitles, screened_words
from caseflow.domain.agenda import AgendaItem, ItemState, Section
from caseflow.domain.localtime import local_date
from caseflow.domain.meeting import Meeting, MeetingStatus
from caseflow.domain.values import MeetingBody

#: The bodies whose meetings are open (kommuneloven § 11-5: the political bodies), with
#: the name eInnsyn shows as ``utvalg``. KG and the groups are administrative.
OPEN_BODIES: dict[MeetingBody, str] = {
    MeetingBody.BOARD: "Styret",
    MeetingBody.IPU: "Interessepolitisk utvalg",
    MeetingBody.COUNCIL: "Representantskapet",
}

#: An item's mark on the record, as its Moetesak's beskrivelse.
ITEM_STATES = {ItemState.POSTPONED: "Utsatt", ItemState.WITHDRAWN: "Trukket"}


def published(meeting: Meeting) -> bool:
    """A meeting is published once its invitation is sent (a cancelled one is not)."""
    return (
        meeting.body in OPEN_BODIES
        and meeting.invitation_sent_at is not None
        and meeting.status is not MeetingStatus.CANCELLED
    )


def meeting_numbers(meetings: list[Meeting]) -> dict[Any, str]:
    """``moetenummer``: the meeting's place among its body's meetings of the year
    (cancelled ones not counted), e.g. ``3/2025``."""
    counts: dict[tuple[MeetingBody, int], int] = {}
    numbers = {}
    for m in sorted(meetings, key=lambda m: (m.starts_at, str(m.id))):
        if m.status is MeetingStatus.CANCELLED:
            continue
        key = (m.body, m.year)
        counts[key] = counts.get(key, 0) + 1
        numbers[m.id] = f"{counts[key]}/{m.year}"
    return numbers


def meeting_objects(
    meeting: Meeting,
    moetenummer: str,
    arkivdel: EinnsynObject,
    titles: PublicTitles,
    cases: Callable[[Any], CaseFacts | None],
) -> Iterator[EinnsynObject]:
    """The Moetemappe, its Moetesaker in printed order, then its Moetedokumenter."""
    utvalg = OPEN_BODIES[meeting.body]
    mappe = make(
        "moetemappe",
        (meeting.id,),
        arkivdel,
        {
            "offentligTittel": titles.public(meeting.title),
            "offentligTittelSensitiv": meeting.title,
            "moetenummer": moetenummer,
            "utvalg": utvalg,
            "moetedato": meeting.starts_at.isoformat(),
            "moetested": meeting.place or None,
        },
        label=meeting.title,
    )
    yield mappe
    for item in meeting.items:
        if item.number is not None:
            yield item_object(meeting, item, mappe, utvalg, titles, cases(item.case_id))
    yield make(
        "moetedokument",
        (meeting.id, "innkalling"),
        mappe,
        {
            "offentligTittel": titles.public(f"Innkalling – {meeting.title}"),
            "offentligTittelSensitiv": f"Innkalling – {meeting.title}",
            "moetedokumenttype": "innkalling",
        },
        label=meeting.title,
    )
    if meeting.approved_minutes:
        yield from protokoll_objects(meeting, mappe, titles)


def item_object(
    meeting: Meeting,
    item: AgendaItem,
    mappe: EinnsynObject,
    utvalg: str,
    titles: PublicTitles,
    case: CaseFacts | None,
) -> EinnsynObject:
    """One numbered agenda item; an item for a screened case shows the case's public
    title, a screened item its own."""
    words = (case.words if case else ()) + screened_words(item.screening)
    public = case.public_title if case is not None else item.public_title
    fields: dict[str, Any] = {
        "offentligTittel": titles.public(f"{item.label} {public}", words),
        "offentligTittelSensitiv": f"{item.label} {item.title}",
        "moetesakstype": _moetesakstype(item),
        "moetesaksaar": item.year or meeting.year,
        "moetesakssekvensnummer": item.number,
        "utvalg": utvalg,
        "beskrivelse": ITEM_STATES.get(item.state),
    }
    decision = item.decision or (
        case.resolution if case is not None and case.decided_at == meeting.id else ""
    )
    if decision:
        fields["vedtak"] = {
            "vedtakstekst": titles.public(decision, words) if words else decision,
            "dato": local_date(meeting.starts_at).isoformat(),
        }
    return make("moetesak", (meeting.id, item.key), mappe, fields, label=item.label)


def _moetesakstype(item: AgendaItem) -> str:
    if item.case_id is not None:
        return "politisk"
    title = item.title.lower()
    if item.section is Section.OPENING and title.startswith("godkjenning"):
        return "godkjenning"
    if title.startswith("orientering"):
        return "orientering"
    return "annet"


def protokoll_objects(
    meeting: Meeting, mappe: EinnsynObject, titles: PublicTitles
) -> Iterator[EinnsynObject]:
    """The approved minutes (protokoll): a Moetedokument and its Dokumentbeskrivelse."""
    title = f"Protokoll – {meeting.title}"
    dokument = make(
        "moetedokument",
        (meeting.id, "protokoll"),
        mappe,
        {
            "offentligTittel": titles.public(title),
            "offentligTittelSensitiv": title,
            "moetedokumenttype": "protokoll",
        },
        label=meeting.title,
    )
    yield dokument
    yield make(
        "dokumentbeskrivelse",
        (meeting.id, "protokoll"),
        dokument,
        {
            "tittel": titles.public(title),
            "tittelSensitiv": title,
            "dokumentnummer": 1,
            "dokumenttype": "protokoll",
            "tilknyttetRegistreringSom": "hoveddokument",
        },
        label=meeting.title,
    )

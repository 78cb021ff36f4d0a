"""iCalendar (RFC 5545) feeds of meetings, made with the ``icalendar`` package: one
VEVENT per meeting, with a stable UID (the meeting id), SEQUENCE (the meeting's version,
so calendar clients take updates) and the agenda in the description, as the reader sees
it: an item whose case they may not see reads "Unntatt" (see ``Caseflow.for_reader``).

Times are wall-clock times of ``CASEFLOW_TIMEZONE`` (``DTSTART;TZID=Europe/Oslo:…``)
with the zone's VTIMEZONE (its daylight-saving changes over the feed's years), so a
meeting at 12:00 in Oslo is at 12:00 in every client, in December (+01:00) as in June
(+02:00). A time that cannot be put in the zone is given in UTC (``…Z``).

Every word a person reads in the feed (the agenda's heading, an item's marks, "digital",
"withheld", the body) is given in the reader's language (:class:`CalendarWords`, made
from the catalogs by ``web.calendars.calendar_words``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from caseflow.application.views import AgendaItemView, MeetingView
from caseflow.domain import clock
from caseflow.domain.localtime import to_local, zone

PRODID = "-//Osloregionen//Caseflow//NB"

#: A meeting's status as a calendar client reads it (a cancelled meeting is CANCELLED).
STATUS = {"planned": "TENTATIVE", "cancelled": "CANCELLED"}

UID_DOMAIN = "caseflow.osloregionen"


@dataclass(frozen=True)
class CalendarWords:
    """The words of a feed in one language."""

    agenda: str
    digital: str
    withheld: str
    #: (the item's attribute, its mark): supplementary, postponed, withdrawn
    marks: tuple[tuple[str, str], ...]
    #: a meeting body's name by its code
    bodies: dict[str, str]


def meetings_calendar(
    meetings: Iterable[MeetingView],
    name: str,
    words: CalendarWords,
    url: str | None = None,
) -> bytes:
    """A VCALENDAR of ``meetings`` named ``name`` with ``words`` in the reader's language
    (``web.calendars.calendar_words``); ``url``, if given, is each meeting's page
    (``url.format(id=...)``)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = clock.now().astimezone(UTC)
    days: list[date] = []
    for m in meetings:
        event, day = _event(m, stamp, url, words)
        cal.add_component(event)
        if day is not None:
            days.append(day)
    if days:  # the zone's rules over the feed's years (a year either side)
        first, last = min(days), max(days)
        cal.add_missing_timezones(date(first.year - 1, 1, 1), date(last.year + 2, 1, 1))
    return bytes(cal.to_ical())


def _times(m: MeetingView) -> tuple[datetime, datetime, date | None]:
    """Start and end in the readers' zone (the end: as scheduled, else two hours after
    the start) and the start's day. Defensive: a time stored before dates were limited
    to 1900–2200 (e.g. in year 9999, issue 12 finding 3) is given in UTC as stored, its
    end no later than the calendar allows, rather than failing the whole feed (no day:
    no zone rules are needed for it)."""
    try:
        start = m.starts_at.astimezone(UTC).astimezone(zone())
    except (OverflowError, ValueError):
        start = m.starts_at
        return start, start, None
    try:
        end = to_local(m.ends_at or m.starts_at + timedelta(hours=2))
    except (OverflowError, ValueError):
        end = start
    if not 1900 <= start.year <= 2200:
        return start.astimezone(UTC), end.astimezone(UTC), None
    return start, end, start.date()


def _event(
    m: MeetingView, stamp: datetime, url: str | None, words: CalendarWords
) -> tuple[Event, date | None]:
    event = Event()
    event.add("uid", f"{m.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    start, end, day = _times(m)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", m.title)
    event.add("location", m.place + (f" ({words.digital})" if m.digital else ""))
    event.add("sequence", m.version)
    event.add("status", STATUS.get(m.status, "CONFIRMED"))
    event.add("categories", [words.bodies.get(m.body, m.body)])
    lines = [
        f"{i.label} {words.withheld if i.withheld else i.title}{_marks(i, words)}".strip()
        for i in m.agenda
    ]
    if lines:
        event.add("description", f"{words.agenda}:\n" + "\n".join(lines))
    if url:
        event.add("url", url.format(id=m.id))
    return event, day


def _marks(item: AgendaItemView, words: CalendarWords) -> str:
    """`` (tilleggssak)``, `` (utsatt)``, `` (trukket)``: the item's marks, if any."""
    found = [word for name, word in words.marks if getattr(item, name)]
    return f" ({', '.join(found)})" if found else ""

"""iCalendar (RFC 5545) feeds of meetings, made with the ``icalendar`` package: one
VEVENT per meeting, with a stable UID (the meeting id), SEQUENCE (the meeting's version,
so calendar clients take updates) and the agenda in the description, as the reader sees
it: an item whose case they may not see reads "Unntatt" (see ``Caseflow.for_reader``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from caseflow.application.views import MeetingView
from caseflow.domain import clock
from web.presentation.pack import WITHHELD

PRODID = "-//Osloregionen//Caseflow//NB"
UID_DOMAIN = "caseflow.osloregionen"


def meetings_calendar(meetings: Iterable[MeetingView], name: str, url: str | None = None) -> bytes:
    """A VCALENDAR of ``meetings`` named ``name``; ``url``, if given, is each meeting's
    page (``url.format(id=...)``)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = clock.now().astimezone(UTC)
    for m in meetings:
        cal.add_component(_event(m, stamp, url))
    return bytes(cal.to_ical())


def _times(m: MeetingView) -> tuple[datetime, datetime]:
    """Start and end in UTC (the end: as scheduled, else two hours after the start).
    Defensive: a time stored before dates were limited to 1900–2200 (e.g. in year 9999,
    issue 12 finding 3) is given as stored, its end no later than the calendar allows,
    rather than failing the whole feed."""
    try:
        start = m.starts_at.astimezone(UTC)
    except (OverflowError, ValueError):
        start = m.starts_at
    try:
        end = (m.ends_at or m.starts_at + timedelta(hours=2)).astimezone(UTC)
    except (OverflowError, ValueError):
        end = start
    return start, end


def _event(m: MeetingView, stamp: datetime, url: str | None) -> Event:
    event = Event()
    event.add("uid", f"{m.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    start, end = _times(m)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", m.title)
    event.add("location", m.place + (" (digitalt)" if m.digital else ""))
    event.add("sequence", m.version)
    event.add("status", "CONFIRMED" if m.status != "planned" else "TENTATIVE")
    event.add("categories", [m.body])
    lines = [f"{i.label} {WITHHELD if i.withheld else i.title}" for i in m.agenda]
    if lines:
        event.add("description", "Saksliste:\n" + "\n".join(lines))
    if url:
        event.add("url", url.format(id=m.id))
    return event

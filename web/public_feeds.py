"""The public feeds (issue 18): an Atom feed (RFC 4287) of published agendas and decisions,
and ``kalender.ics`` (RFC 5545) of the open bodies' meetings — both made of the same
public values as the pages (:mod:`web.public_model`), so they show no more than the pages
do. Called inside a request (``web.public``): texts in the reader's language, addresses
of this server as requested."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from flask import request, url_for
from flask_babel import gettext as _

from caseflow.application.views import AgendaItemView, MeetingView
from caseflow.domain import clock
from caseflow.domain.localtime import zone
from web.calendars import calendar_words
from web.context import caseflow, read
from web.labels import label
from web.presentation.calendar import meetings_calendar
from web.public_model import (
    PUBLISHED,
    CaseBook,
    PublicItem,
    PublicMeeting,
    from_view,
    meeting_rows,
    meeting_view,
)

ATOM = "http://www.w3.org/2005/Atom"
#: The newest published meetings the feed holds.
FEED_MEETINGS = 20


def _url(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def item_line(item: PublicItem) -> str:
    """One agenda item as a line of text: label, public title, marks, legal basis."""
    marks = [
        word
        for flag, word in (
            (item.supplementary, _("supplementary item")),
            (item.postponed, _("postponed")),
            (item.withdrawn, _("withdrawn")),
        )
        if flag
    ]
    text = f"{item.label} {item.title}".strip()
    if marks:
        text += f" ({', '.join(marks)})"
    if item.screened:
        text += " — " + screened_text(item.legal_basis)
    return text


def screened_text(basis: str | None) -> str:
    """ "Unntatt offentlighet, jf. Offl. § 23" (or without a basis)."""
    if basis:
        return _("Exempt from public disclosure, cf. %(basis)s", basis=basis)
    return _("Exempt from public disclosure")


def _published_views() -> list[MeetingView]:
    app = caseflow()
    rows = [r for r in meeting_rows(read()) if r.status in PUBLISHED]
    newest = sorted(rows, key=lambda r: r.starts_at, reverse=True)[:FEED_MEETINGS]
    return [meeting_view(app, r.id) for r in newest]


def _entry(feed: ET.Element, key: str, title: str, updated: datetime, link: str, text: str) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = key
    ET.SubElement(entry, f"{{{ATOM}}}title").text = title
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated.astimezone(UTC).isoformat()
    ET.SubElement(entry, f"{{{ATOM}}}link", href=link, rel="alternate", type="text/html")
    content = ET.SubElement(entry, f"{{{ATOM}}}content", type="text")
    content.text = text


def atom_feed() -> bytes:
    """Per published meeting an entry for its agenda (updated when the invitation went
    out) and, once held, one for its decisions (updated at the meeting): the items
    decided, with the minutes' vedtak where the minutes record one — the case's own
    resolution is on the meeting's page (it costs each case's view)."""
    app, models = caseflow(), read()
    book = CaseBook(app, models)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = _url("public.index")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _("Osloregionen: agendas and decisions")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=_url("public.feed"), rel="self")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=_url("public.index"), rel="alternate")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "Osloregionen IPR"
    updated = ET.SubElement(feed, f"{{{ATOM}}}updated")
    newest = datetime(2000, 1, 1, tzinfo=UTC)
    for view in _published_views():
        m = from_view(app, models, view, full=False, book=book)
        link = _url("public.meeting", meeting_id=m.id)
        sent = view.invitation_sent_at or m.starts_at
        body = label("body", m.body)
        agenda = "\n".join(item_line(i) for i in m.items)
        _entry(feed, f"{link}#saksliste", _("Agenda: %(title)s", title=m.title), sent, link, agenda)
        newest = max(newest, sent)
        if m.held:
            decisions = "\n\n".join(
                f"{item_line(i)}\n{i.decision}" if i.decision else item_line(i) for i in m.items
            )
            _entry(
                feed,
                f"{link}#vedtak",
                _("Decisions: %(title)s", title=m.title),
                m.starts_at,
                link,
                f"{body}\n\n{decisions}",
            )
            newest = max(newest, m.starts_at)
    updated.text = newest.isoformat()
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def _calendar_item(item: PublicItem, view: AgendaItemView) -> AgendaItemView:
    title = item.title + (f" ({screened_text(item.legal_basis)})" if item.screened else "")
    return replace(
        view,
        title=title,
        case_id=None,
        case_reference=None,
        case_kind=None,
        withheld=False,
        note="",
        decision="",
    )


def calendar_view(view: MeetingView, m: PublicMeeting) -> MeetingView:
    """The meeting as the public calendar shows it: no invitees, files or names; the
    agenda (once published) by public titles."""
    agenda = []
    if m.published:
        shown = [v for v in view.agenda if v.key not in set(view.unsent_supplementary)]
        agenda = [_calendar_item(i, v) for i, v in zip(m.items, shown, strict=True)]
    return replace(
        view,
        agenda=agenda,
        invitees=[],
        attachments=[],
        recipients=[],
        present=[],
        absent=[],
        warnings=[],
    )


def public_calendar() -> bytes:
    """The open bodies' meetings from last year on, with their published agendas."""
    app, models = caseflow(), read()
    book = CaseBook(app, models)
    since = clock.now().year - 1
    rows = [r for r in meeting_rows(models) if r.starts_at.astimezone(zone()).year >= since]
    views = [meeting_view(app, r.id) for r in rows]
    shown = [calendar_view(v, from_view(app, models, v, full=False, book=book)) for v in views]
    url = request.url_root.rstrip("/") + "/offentlig/moter/{id}"
    return meetings_calendar(shown, _("Osloregionen: open meetings"), calendar_words(), url)

"""The public pages (issue 18): ``/offentlig/``, no login.

- ``/offentlig/`` — the open bodies' coming meetings (board, interest-policy committee,
  council of representatives), each agenda once its invitation is sent, and the year's
  held meetings;
- ``/offentlig/moter/<id>`` — one meeting: its agenda (numbered, tilleggssaker marked,
  screened items by public title and legal basis), the public documents, the proposed
  resolutions and, after the meeting, the decisions;
- ``/offentlig/arkiv/<year>`` — a year's meetings;
- ``/offentlig/dokumenter/<case>/<document>`` — a public document's current version;
- ``/offentlig/sok?q=`` — search of public titles and public text;
- ``/offentlig/feed.atom`` and ``/offentlig/kalender.ics``.

What the public sees is :mod:`web.public_model`'s; caching is :mod:`web.public_cache`'s
(every view here is ``@cached``: ETag from the log's head, 304 before anything is built).
The feeds are :mod:`web.public_feeds`. Language: ``?lang=en`` (links, no form, so a page
sets no cookie and stays cacheable), else the reader's usual choice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from caseflow.domain import clock
from caseflow.domain.errors import NotFoundError
from caseflow.domain.localtime import zone
from caseflow.readmodels.api import CaseFilter, MeetingRow
from web.context import caseflow, read
from web.public_cache import cached, public_language
from web.public_model import (
    PUBLIC_BODIES,
    PUBLISHED,
    CaseBook,
    CaseFacts,
    PublicMeeting,
    facts_of,
    is_published_case,
    meeting_rows,
    public_document,
    public_meeting,
)

bp = Blueprint("public", __name__, url_prefix="/offentlig")

#: At most this many search hits (the best first).
MAX_HITS = 50
_WORD = re.compile(r"\w+")


def public_url(endpoint: str, **values: Any) -> str:
    """``url_for`` that keeps the page's ``?lang=`` (the public pages' language switch)."""
    lang = request.args.get("lang")
    if lang and "lang" not in values:
        values["lang"] = lang
    return url_for(endpoint, **values)


def language_url(lang: str) -> str:
    """This page in ``lang``."""
    values: dict[str, Any] = {k: v for k, v in request.args.items() if k != "lang"}
    values.update(request.view_args or {})
    values["lang"] = lang
    return url_for(str(request.endpoint), **values)


@bp.app_context_processor
def public_helpers() -> dict[str, Any]:
    return {"public_url": public_url, "language_url": language_url}


def _today_start() -> datetime:
    today = clock.now().astimezone(zone()).date()
    return datetime.combine(today, time(0), tzinfo=zone())


@bp.route("/")
@cached
def index() -> ResponseReturnValue:
    app, models = caseflow(), read()
    rows = meeting_rows(models)
    start = _today_start()
    coming_rows = [r for r in rows if r.starts_at >= start]
    coming = [
        public_meeting(app, models, r.id, full=False)
        if r.status in PUBLISHED
        else PublicMeeting(r.id, r.body, r.title, r.starts_at, r.place, r.status)
        for r in coming_rows[:6]
    ]
    year = start.year
    held = [r for r in rows if r.starts_at < start and r.starts_at.astimezone(zone()).year == year]
    return render_template(
        "public/index.html",
        coming=coming,
        held=list(reversed(held)),
        years=_years(rows),
        year=year,
    )


def _years(rows: Iterable[MeetingRow]) -> list[int]:
    return sorted({r.starts_at.astimezone(zone()).year for r in rows}, reverse=True)


@bp.route("/arkiv/<int:year>")
@cached
def archive(year: int) -> ResponseReturnValue:
    rows = meeting_rows(read())
    found = [r for r in rows if r.starts_at.astimezone(zone()).year == year]
    if not found:
        abort(404)
    return render_template("public/archive.html", meetings=found, year=year, years=_years(rows))


@bp.route("/moter/<uuid:meeting_id>")
@cached
def meeting(meeting_id: UUID) -> ResponseReturnValue:
    try:
        found = public_meeting(caseflow(), read(), meeting_id)
    except NotFoundError:
        abort(404)
    return render_template("public/meeting.html", m=found)


@bp.route("/dokumenter/<uuid:case_id>/<uuid:document_id>")
@cached
def document(case_id: UUID, document_id: UUID) -> ResponseReturnValue:
    """A public document of a case on a published agenda (its current version); 404 for
    anything else — a screened case or document, an unpublished case, no such file."""
    app, models = caseflow(), read()
    if not is_published_case(models, case_id):
        abort(404)
    facts = CaseBook(app, models).case(case_id)
    if facts is None or facts.screened:
        abort(404)
    documents = app.documents.documents_by_case(None, [case_id]).get(case_id, [])
    found = next((d for d in documents if d.id == document_id), None)
    if found is None or public_document(case_id, found).screened:
        abort(404)
    _, version, data = app.documents.document_file(None, case_id, document_id, found.current.number)
    response = Response(data, mimetype=version.media_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(version.filename, safe='')}"
    )
    return response


# -- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicHit:
    """A public case found: its public title, text, and where it is on the agendas."""

    facts: CaseFacts
    places: list[tuple[MeetingRow, str]]  # (meeting, the item's label there)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _matches(asked: list[str], text: str) -> bool:
    """Every word asked for begins a word of ``text``."""
    words = _words(text)
    return all(any(w.startswith(a) for w in words) for a in asked)


def public_search(q: str) -> list[PublicHit]:
    """The cases on the open bodies' published agendas whose *public* text matches every
    word of ``q`` as a prefix: the public title, item labels ("Sak 62/26") and, of a
    public case, its summary and proposed resolution. The full-text index only proposes
    candidates; whether a case is found is decided on what the public may read."""
    asked = _words(q)
    if not asked:
        return []
    app, models = caseflow(), read()
    places: dict[UUID, list[tuple[MeetingRow, str]]] = {}
    for place in models.agenda_places(PUBLIC_BODIES, PUBLISHED):
        places.setdefault(place.case_id, []).append((place.meeting, place.label))
    candidates = models.search(CaseFilter(q=q, per_page=200)).items
    book = CaseBook(app, models)
    for hit in candidates:  # the list's row knows the public title and the screening
        book.known.setdefault(hit.case.id, facts_of(hit.case))
    ids = [h.case.id for h in candidates if h.case.id in places]
    ids += [cid for cid in places if cid not in ids and _label_asked(asked, places[cid])]
    hits = []
    for case_id in ids:
        labels = " ".join(label for _, label in places[case_id])
        facts = book.case(case_id)
        if facts is not None and not _matches(asked, f"{facts.title} {labels}"):
            facts = book.case(case_id, full=True)  # a public case's summary and proposal
        if facts is None:
            continue
        text = " ".join((facts.title, labels, facts.summary, facts.proposed_resolution))
        if _matches(asked, text):
            hits.append(PublicHit(facts, places[case_id]))
        if len(hits) >= MAX_HITS:
            break
    return hits


def _label_asked(asked: list[str], places: list[tuple[MeetingRow, str]]) -> bool:
    """Whether the words asked are all numbers found in one of the item's labels."""
    return all(a.isdigit() for a in asked) and any(_matches(asked, label) for _, label in places)


@bp.route("/sok")
@cached
def search() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()
    if len(q) > 200:
        return render_template(
            "public/search.html", q=q[:200], hits=[], error=_("At most 200 characters.")
        ), 422
    return render_template(
        "public/search.html", q=q, hits=public_search(q) if q else [], error=None
    )


# -- feeds -------------------------------------------------------------------------------


@bp.route("/feed.atom")
@cached
def feed() -> ResponseReturnValue:
    from web.public_feeds import atom_feed

    return Response(atom_feed(), mimetype="application/atom+xml")


@bp.route("/kalender.ics")
@cached
def calendar() -> ResponseReturnValue:
    from web.public_feeds import public_calendar

    response = Response(public_calendar(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="osloregionen.ics"'
    return response


__all__ = ["PUBLIC_BODIES", "bp", "public_language"]

"""Calendars people subscribe to: ``GET /kalender/<token>.ics``, a secret, revocable
address (made on ``/meg``, by ``POST /api/v1/me/calendars`` or ``caseflow users
calendar``) that a calendar application fetches without logging in.

No login (so no redirect to ``/login``: a calendar client cannot follow one) and no CSRF
(GET only, nothing is changed but the address's last use). The feed is its owner's
meetings as the owner may see them now (``Caseflow.calendar_feed``); an unknown and a
revoked address are the same plain-text 404 (no page that would echo the address).
The login-protected ``/meetings/calendar/*.ics`` stay.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _

from caseflow.domain.errors import NotFoundError
from caseflow.domain.values import MeetingBody
from web.context import caseflow
from web.i18n import translate_error
from web.labels import label
from web.notifications import inbox
from web.presentation.calendar import CalendarWords, meetings_calendar

bp = Blueprint("calendars", __name__)


def feed_name(body: str | None) -> str:
    """The calendar's name in a client: the body's, or the person's own meetings."""
    if body is None:
        return str(_("My meetings"))
    return f"Caseflow: {label('body', body)}"


def calendar_words() -> CalendarWords:
    """The feed's words in the current request's language (inside ``force_locale`` for
    another)."""
    return CalendarWords(
        agenda=str(_("Agenda")),
        digital=str(_("digital")),
        withheld=str(_("Withheld")),
        marks=(
            ("supplementary", str(_("supplementary item"))),
            ("postponed", str(_("postponed"))),
            ("withdrawn", str(_("withdrawn"))),
        ),
        bodies={b.value: label("body", b.value) for b in MeetingBody},
    )


def subscription_url(token: str) -> str:
    """The address to paste into a calendar application (this server's, as requested)."""
    return request.url_root.rstrip("/") + f"/kalender/{token}.ics"


@bp.route("/kalender/<token>.ics")
def feed(token: str) -> ResponseReturnValue:
    try:
        found = caseflow().calendar_feed(token)
    except NotFoundError as e:  # unknown or revoked: one plain answer, no page, no cookie
        return Response(translate_error(e) + "\n", 404, mimetype="text/plain")
    url = request.url_root.rstrip("/") + "/meetings/{id}"
    with force_locale(owner_language(found.calendar.person_id)):
        data = meetings_calendar(
            found.meetings, feed_name(found.calendar.body), calendar_words(), url
        )
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="caseflow.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def owner_language(person_id: UUID) -> str:
    """The language the address's owner reads (the one chosen for e-mails on ``/meg``;
    bokmål unless chosen): a calendar client sends no session and rarely a language."""
    return inbox().preferences(person_id.hex)[1]

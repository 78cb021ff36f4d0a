"""What a message says: subject, plain text and HTML from the mail templates
(``web/templates/mail/<kind>.txt`` and ``.html``), in the recipient's language through the
same Babel catalogs as the pages (:mod:`caseflow.i18n`, no Flask), times in
``CASEFLOW_TIMEZONE`` (:mod:`caseflow.domain.localtime`), links through
``CASEFLOW_BASE_URL``; an invitation carries an ``.ics`` entry in Europe/Oslo time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date, format_datetime
from icalendar import Calendar, Event

from caseflow.domain.localtime import to_local, zone
from caseflow.i18n import catalog as load_catalog

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates" / "mail"

#: The subject of each kind (msgids; the parameters are the message's).
SUBJECTS = {
    "advice_requested": "Advice requested: %(reference)s %(title)s",
    "advice_reminder": "Reminder: advice on %(reference)s is due %(deadline)s",
    "advice_overdue": "Advice deadline passed: %(reference)s %(title)s",
    "invitation": "Invitation: %(title)s, %(when)s",
    "supplementary": "Supplementary invitation: %(title)s, %(when)s",
    "decided": "Case %(reference)s has been decided",
    "postponed": "Case %(reference)s has been postponed",
    "declined": "Case %(reference)s has been declined",
    "withdrawn": "Case %(reference)s has been withdrawn",
    "added": "You have been added to %(group)s",
    "ended": "Your membership of %(group)s has ended",
    "digest": "Your notifications from Caseflow",
}

#: A group role by its label (the catalogs' msgids, as web.labels.ROLE).
ROLES = {"member": "Member", "leader": "Leader", "deputy": "Deputy leader", "observer": "Observer"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


def day_text(value: str | None, lang: str) -> str:
    if not value:
        return ""
    d = date.fromisoformat(value[:10])
    return d.strftime("%d.%m.%Y") if lang == "nb" else format_date(d, "d MMM y", locale="en")


def time_text(value: str | None, lang: str) -> str:
    if not value:
        return ""
    local = to_local(datetime.fromisoformat(value))
    if lang == "nb":
        return local.strftime("%d.%m.%Y %H:%M")
    return format_datetime(local, "d MMM y, HH:mm", tzinfo=local.tzinfo, locale="en")


@cache
def catalog(lang: str) -> Any:
    """The compiled catalog of ``lang``, read once per process (not once per message)."""
    return load_catalog(lang)


@cache
def environment(lang: str) -> jinja2.Environment:
    """The mail templates' environment in ``lang``: its templates compiled once, its
    translations installed once, per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(catalog(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def subject_key(kind: str, params: dict[str, Any]) -> str:
    if kind == "invitation" and params.get("supplementary"):
        return "supplementary"
    if kind == "case_outcome":
        return str(params.get("outcome"))
    if kind == "membership":
        return str(params.get("change"))
    return kind


def display(kind: str, params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The parameters as the reader reads them (days and times local, roles by label)."""
    shown = dict(params)
    shown["deadline"] = day_text(params.get("deadline"), lang)
    if params.get("starts_at"):
        shown["when"] = time_text(params["starts_at"], lang)
    if params.get("role"):
        shown["role"] = catalog(lang).gettext(ROLES.get(params["role"], params["role"]))
    return shown


def subject(kind: str, params: dict[str, Any], lang: str) -> str:
    shown = display(kind, params, lang)
    text = catalog(lang).gettext(SUBJECTS[subject_key(kind, params)])
    try:
        return " ".join((text % shown).split())
    except (KeyError, ValueError, TypeError):
        return " ".join(text.split())


def links(kind: str, params: dict[str, Any], base: str) -> dict[str, str]:
    found = {"settings": f"{base}/varsler/innstillinger", "notifications": f"{base}/varsler"}
    if params.get("reference"):
        found["case"] = f"{base}/cases/{params['reference']}"
        found["advice"] = f"{base}/cases/{params['reference']}/steps/advice"
    if params.get("meeting_id"):
        found["meeting"] = f"{base}/meetings/{params['meeting_id']}"
        found["pack"] = f"{base}/meetings/{params['meeting_id']}/pack"
    return found


def render(
    kind: str,
    params: dict[str, Any],
    *,
    name: str,
    lang: str,
    base_url: str,
    unsubscribe: str,
    items: list[tuple[str, dict[str, Any]]] | None = None,
    message_id: str = "",
) -> Rendered:
    """The message of ``kind`` to ``name`` in ``lang``."""
    env = environment(lang)
    shown = display(kind, params, lang)
    title = subject(kind, params, lang)
    context: dict[str, Any] = {
        "kind": kind,
        "p": shown,
        "name": name,
        "links": links(kind, params, base_url),
        "unsubscribe": unsubscribe,
        "subject": title,
        "items": [(subject(k, ps, lang), links(k, ps, base_url)) for k, ps in (items or [])],
    }
    text = env.get_template(f"{kind}.txt").render(context)
    html = env.get_template(f"{kind}.html").render(context)
    attachments: list[tuple[str, str, bytes]] = []
    if kind == "invitation":
        attachments.append(("invitation.ics", "text/calendar", meeting_ics(params, base_url)))
    return Rendered(title, text, html, attachments)


def meeting_ics(params: dict[str, Any], base_url: str) -> bytes:
    """:func:`ics`, built once per meeting and version for all its recipients (the same
    entry: its UID is the meeting's, not the message's)."""
    key = tuple(
        str(params.get(k) or "")
        for k in ("meeting_id", "starts_at", "ends_at", "title", "place", "sequence")
    )
    return _ics_cached(key, base_url)


@lru_cache(maxsize=64)
def _ics_cached(key: tuple[str, ...], base_url: str) -> bytes:
    meeting_id, starts_at, ends_at, title, place, sequence = key
    params = {
        "meeting_id": meeting_id,
        "starts_at": starts_at,
        "ends_at": ends_at or None,
        "title": title,
        "place": place,
        "sequence": int(sequence or 0),
    }
    return ics(params, meeting_id, base_url)


def ics(params: dict[str, Any], uid: str, base_url: str) -> bytes:
    """The meeting as one VEVENT, wall-clock Europe/Oslo time with its VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", "-//Osloregionen//Caseflow//NB")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    start = to_local(datetime.fromisoformat(params["starts_at"]))
    end_text = params.get("ends_at")
    end = to_local(datetime.fromisoformat(end_text)) if end_text else start + timedelta(hours=2)
    event.add("uid", f"{params['meeting_id']}@caseflow.osloregionen")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", start.replace(tzinfo=zone()))
    event.add("dtend", end.replace(tzinfo=zone()))
    event.add("summary", str(params.get("title", "")))
    event.add("location", str(params.get("place", "")))
    event.add("sequence", int(params.get("sequence") or 0))
    event.add("url", f"{base_url}/meetings/{params['meeting_id']}/pack")
    cal.add_component(event)
    cal.add_missing_timezones(date(start.year - 1, 1, 1), date(start.year + 1, 12, 31))
    return bytes(cal.to_ical())

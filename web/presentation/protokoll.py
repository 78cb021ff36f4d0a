"""The minutes (protokoll) of a held meeting as a document to keep and send (issue 14):
one HTML page styled by ``web/static/pack.css`` and, through WeasyPrint like the
invitation pack, a PDF. It gives the meeting's time and place in ``CASEFLOW_TIMEZONE``,
the attendance (til stede, forfall), and each agenda item in printed order with its
number, title, marks (tilleggssak, utsatt, trukket) and decision (vedtak). An item whose
case the reader may not see keeps only its number. A Norwegian document, like the pack.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from jinja2 import Environment, select_autoescape

from caseflow.application.views import AgendaItemView, MeetingView
from caseflow.domain import clock
from caseflow.domain.localtime import to_local, zone_name
from web.presentation.pack import BODY_NAMES, STATUS_NAMES, WITHHELD, PdfUnavailable
from web.presentation.pack_html import stylesheet

PROTOKOLL_TEMPLATE = """<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>Protokoll: {{ m.title }}</title>
<style>{{ css|safe }}</style>
</head>
<body>
<header>
  <p class="muted">{{ body_name }}</p>
  <h1>Protokoll: {{ m.title }}</h1>
  <p class="meta">
    Tid: {{ when }}<br>
    Sted: {{ m.place }}{% if m.digital %} (digitalt){% endif %}<br>
    Status: {{ status }}
  </p>
</header>
<h2>Til stede</h2>
{% if present %}<ul>{% for n in present %}<li>{{ n }}</li>{% endfor %}</ul>
{% else %}<p class="muted">Ikke registrert.</p>{% endif %}
{% if absent %}<h2>Forfall</h2>
<ul>{% for n in absent %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
<h2>Saker og vedtak</h2>
{% for item in items %}
<section class="case">
  <h3>{{ item.label or "–" }} {{ item.title }}{% for mark in item.marks %} <span class="mark">{{ mark }}</span>{% endfor %}</h3>
  {% if item.decision %}<p><strong>Vedtak:</strong> {{ item.decision }}</p>
  {% elif item.note %}<p class="muted">{{ item.note }}</p>{% endif %}
</section>
{% endfor %}
<footer><p class="muted">Laget {{ generated }} ({{ zone }}) av Caseflow.</p></footer>
</body>
</html>
"""  # noqa: E501

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_template = _env.from_string(PROTOKOLL_TEMPLATE)


def _local(value: datetime, pattern: str = "%d.%m.%Y kl. %H:%M") -> str:
    return to_local(value).strftime(pattern)


def _when(m: MeetingView) -> str:
    start = _local(m.starts_at)
    if m.ends_at is None:
        return start
    same_day = to_local(m.ends_at).date() == to_local(m.starts_at).date()
    return f"{start}–{_local(m.ends_at, '%H:%M') if same_day else _local(m.ends_at)}"


def marks(item: AgendaItemView) -> list[str]:
    """The item's marks as the protokoll prints them."""
    return [
        name
        for name, on in (
            ("Tilleggssak", item.supplementary),
            ("Utsatt", item.postponed),
            ("Trukket", item.withdrawn),
        )
        if on
    ]


def _item(item: AgendaItemView) -> dict[str, object]:
    if item.withheld:
        return {"label": item.label, "title": WITHHELD, "marks": marks(item), "decision": ""}
    return {
        "label": item.label,
        "title": item.title,
        "marks": marks(item),
        "decision": item.decision,
        "note": item.note,
    }


def render_protokoll_html(meeting: MeetingView, names: Mapping[UUID, str]) -> str:
    """The protokoll as one standalone HTML page (its stylesheet inlined)."""
    return _template.render(
        m=meeting,
        body_name=BODY_NAMES.get(meeting.body, meeting.body),
        status=STATUS_NAMES.get(meeting.status, meeting.status),
        when=_when(meeting),
        present=[names.get(p, str(p)) for p in meeting.present],
        absent=[names.get(p, str(p)) for p in meeting.absent],
        items=[_item(i) for i in meeting.agenda],
        css=stylesheet(),  # our own file, inlined with |safe
        generated=_local(clock.now()),
        zone=zone_name(),
    )


def render_protokoll_pdf(meeting: MeetingView, names: Mapping[UUID, str]) -> bytes:
    """The protokoll as PDF (WeasyPrint); :class:`PdfUnavailable` without WeasyPrint."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # OSError: Pango missing
        raise PdfUnavailable(f"PDF needs WeasyPrint and Pango: {e}") from e
    pdf = HTML(string=render_protokoll_html(meeting, names)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def protokoll_name(meeting: MeetingView) -> str:
    """A file name for the protokoll, e.g. ``protokoll-board-2026-12-08.pdf``."""
    return f"protokoll-{meeting.body}-{to_local(meeting.starts_at).date().isoformat()}.pdf"

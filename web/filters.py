"""Template helpers: dates in the user's language (``08.12.2025`` in nb), labels.

Dates are formatted defensively: a value that cannot be shown in the user's zone (a
meeting in year 9999 stored before dates were limited to 1900–2200, issue 12 finding 3)
is shown as stored (ISO 8601) instead of failing the page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_wtf.csrf import generate_csrf
from werkzeug.routing import BuildError

from caseflow.domain.localtime import local_iso, to_local
from web import display
from web.i18n import translate_text
from web.labels import label

#: How each language writes a moment and a day: nb ``08.12.2026 12:00``, en
#: ``8 Dec 2026, 12:00`` (not the US "12/8/26, 12:00 PM"), 24-hour clock in both.
MOMENT_FORMAT = {"nb": "dd.MM.yyyy HH:mm", "en": "d MMM yyyy, HH:mm"}
DAY_FORMAT = {"nb": "dd.MM.yyyy", "en": "d MMM yyyy"}


def _pattern(formats: dict[str, str]) -> str:
    locale = get_locale()
    return formats.get(locale.language if locale else "nb", formats["nb"])


def fmt_date(value: date | datetime | str | None) -> str:
    if value in (None, ""):
        return ""
    moment: date | datetime
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        moment = value
    try:
        if isinstance(moment, datetime):
            return str(format_datetime(to_local(moment), _pattern(MOMENT_FORMAT), rebase=False))
        return str(format_date(moment, _pattern(DAY_FORMAT)))
    except (OverflowError, ValueError):
        return moment.isoformat()


def fmt_day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    try:
        day = to_local(value) if isinstance(value, datetime) else value
        return str(format_date(day, _pattern(DAY_FORMAT), rebase=False))
    except (OverflowError, ValueError):
        return value.isoformat()


def iso(value: date | datetime | None) -> str:
    """ISO 8601 in the readers' zone with its offset (``<time datetime=…>``)."""
    return local_iso(value, "auto")


def page_url(page: int) -> str:
    args = request.args.to_dict()
    args["page"] = str(page)
    from urllib.parse import urlencode

    return f"{request.path}?{urlencode(args)}"


def meeting_url(meeting_id: Any) -> str | None:
    """A link to a meeting's page when the meetings blueprint has one."""
    for arg in ("meeting_id", "id"):
        try:
            return url_for("meetings.show", **{arg: meeting_id})
        except BuildError:
            continue
    return None


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        datetime=fmt_date,
        day=fmt_day,
        iso=iso,
        label=lambda v, t: label(t, v),
        tr=translate_text,
        options=lambda values, t: [(v, label(t, v)) for v in values],
        pairs=lambda a, b: list(zip(a, b, strict=True)),
        region_name=lambda slug, regions: regions.get(slug, slug),
        role=display.role,
        party=display.party,
        human=display.human,
    )

    app.jinja_env.globals.update(
        csrf_token=generate_csrf,
        label=label,
        page_url=page_url,
        has_endpoint=lambda name: name in app.view_functions,
        meeting_url=meeting_url,
        acted=display.acted,
    )

"""Times as people read them: the one place that turns a stored time (UTC) into the
time of ``CASEFLOW_TIMEZONE`` (default Europe/Oslo, daylight saving included).

Stored times stay UTC. Everything a person reads — pages, CSV exports, calendar entries,
the yearly plan, the command line's tables — goes through :func:`to_local` (or
:func:`local_date`, :func:`local_iso`), in or outside a request. The zone is chosen once
per process by a composition root (``web.create_app``, ``caseflow.cli``) with
:func:`use_zone`; nothing here reads the environment. A naive value is taken to be UTC
(the read models store UTC). Like the clock, the zone is process-wide: one organisation,
one zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Oslo"

_zone: ZoneInfo = ZoneInfo(DEFAULT_ZONE)


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA zone ``name`` (None or empty: Europe/Oslo); ``ValueError`` naming it if
    there is no such zone."""
    wanted = (name or "").strip() or DEFAULT_ZONE
    try:
        return ZoneInfo(wanted)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(
            f"CASEFLOW_TIMEZONE: not a time zone: {wanted!r} (e.g. Europe/Oslo)"
        ) from e


def zone_from_environ(environ: Mapping[str, str]) -> ZoneInfo:
    """The zone that ``CASEFLOW_TIMEZONE`` names (for the composition roots)."""
    return zone_named(environ.get("CASEFLOW_TIMEZONE"))


def use_zone(zone: ZoneInfo | str | None) -> ZoneInfo:
    """Make ``zone`` the zone people read times in, for this process; returns it."""
    global _zone
    _zone = zone if isinstance(zone, ZoneInfo) else zone_named(zone)
    return _zone


def zone() -> ZoneInfo:
    """The zone people read times in."""
    return _zone


def zone_name() -> str:
    return str(_zone.key)


def to_local(value: datetime, in_zone: ZoneInfo | None = None) -> datetime:
    """``value`` in the readers' zone (aware). A naive value is UTC. A value that cannot
    be moved (a year-9999 time stored before dates were limited) comes back as it is."""
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    try:
        return moment.astimezone(in_zone or _zone)
    except (OverflowError, ValueError):
        return moment


def local_date(value: date | datetime) -> date:
    """The calendar day a person reads for ``value`` (a date stays what it is)."""
    if isinstance(value, datetime):
        return to_local(value).date()
    return value


def local_iso(value: datetime | date | None, timespec: str = "seconds") -> str:
    """ISO 8601 in the readers' zone with its offset, e.g. ``2026-12-08T12:00:00+01:00``
    (for CSV and text meant for people; a date is ``2026-12-08``; None is empty)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_local(value).isoformat(timespec=timespec)
    return value.isoformat()


def local_text(value: datetime, pattern: str = "%d.%m.%Y %H:%M") -> str:
    """``value`` in the readers' zone by a ``strftime`` pattern (Norwegian by default:
    ``08.12.2026 12:00``), for text outside a request's locale (titles, the CLI)."""
    return to_local(value).strftime(pattern)

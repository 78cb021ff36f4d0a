"""What events record, as a person reads it (issue 15): a history's "recorded data" and
"what changed" in words — lists joined, ids shown by the name or title they stand for
(or left out), days and times in the reader's language and zone, codes by their labels.

Names are looked up once per request (:func:`names`): regions by slug, groups by slug
and id, people and meetings by id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask import g
from flask_babel import gettext as _

from web.context import caseflow
from web.labels import label, party_label, role_label

#: Recorded fields whose ids are people, groups or meetings.
PERSON_KEYS = frozenset({"case_officer", "person_id", "confirmed_by", "invited", "actor"})
GROUP_KEYS = frozenset({"group_id", "groups", "group_ids"})
MEETING_KEYS = frozenset({"meeting_id", "kg_meeting_id", "board_meeting_id"})

#: Recorded fields whose values are codes with a label table.
LABELLED_KEYS = {
    "stance": "stance",
    "kind": "kind",
    "focus_area": "focus_area",
    "status": "status",
    "body": "body",
    "group_kind": "group_kind",
}

_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass
class Names:
    """The names a page shows for slugs and ids (one request's lookups)."""

    regions: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # slug → short name
    group_ids: dict[UUID, str] = field(default_factory=dict)
    meetings: dict[UUID, str] | None = None
    people: dict[UUID, str] = field(default_factory=dict)

    def person(self, pid: UUID) -> str:
        if pid not in self.people:
            name = caseflow().person_name(pid)
            # an id that names no person comes back as itself: leave it out
            self.people[pid] = "" if _uuid(name) is not None else name
        return self.people[pid]

    def meeting(self, mid: UUID) -> str:
        if self.meetings is None:
            app = caseflow()
            self.meetings = {m.id: m.title for m in app.meeting_queries.all_meetings()}
        return self.meetings.get(mid, "")


def names() -> Names:
    """This request's :class:`Names` (built on first use)."""
    found: Names | None = g.get("caseflow_names")
    if found is None:
        app = caseflow()
        with app.reading():  # the shared register: read here, never changed (issue 19)
            register = app.shared_register()
            found = Names(
                regions={s: r["name"] for s, r in register.regions.items()} if register else {},
            )
            for group in app.shared_groups():
                short = group.short_name or group.name
                found.groups[group.slug] = short
                found.group_ids[group.id] = short
        g.caseflow_names = found
    return found


def role(code: str | None) -> str:
    """An event's role in words (``kg:member`` → "KG-medlem")."""
    return role_label(code, names().groups)


def party(value: str | None) -> str:
    """On whose behalf: a region's or group's name, the secretariat in words."""
    found = names()
    return party_label(value, found.regions, found.groups)


def acted(role_code: str | None, on_behalf_of: str | None) -> str:
    """In which role and on whose behalf, in words — "KG-medlem, på vegne av
    Folloregionen" — without saying the same twice ("Sekretariatet", not "Sekretariatet,
    på vegne av sekretariatet"; "KG-leder", not "KG-leder, på vegne av KG")."""
    said = role(role_code)
    slug = (role_code or "").partition(":")[0]
    if not on_behalf_of or on_behalf_of in (slug, "sekretariatet", "secretariat"):
        return said
    return _("%(role)s, on behalf of %(party)s", role=said, party=party(on_behalf_of))


def _uuid(value: Any) -> UUID | None:
    if isinstance(value, UUID):
        return value
    if isinstance(value, str) and _UUID.match(value):
        return UUID(value)
    return None


def _named(key: str, pid: UUID) -> str:
    found = names()
    if key in GROUP_KEYS:
        return found.group_ids.get(pid, "")
    if key in MEETING_KEYS:
        return found.meeting(pid)
    if key in PERSON_KEYS:
        return found.person(pid)
    return ""


def _moment(value: str) -> date | datetime | None:
    try:
        if _DAY.match(value):
            return date.fromisoformat(value)
        if _MOMENT.match(value):
            return datetime.fromisoformat(value)
    except ValueError:
        return None
    return None


def human(value: Any, key: str = "") -> str:
    """``value`` of recorded field ``key`` in words: "—" for nothing, lists joined, ids
    by name (an id without a name the reader may see is left out), days and times in
    the reader's language, codes by their labels, yes/no for flags."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple | set | frozenset):
        shown = [human(v, key) for v in value]
        return "; ".join(s for s in shown if s != "—") or "—"
    if isinstance(value, Mapping):
        return "; ".join(f"{label('field', k)}: {human(v, str(k))}" for k, v in value.items())
    pid = _uuid(value)
    if pid is not None:
        return _named(key, pid) or "—"
    return _scalar(value, key)


def _scalar(value: Any, key: str) -> str:
    """A day, a moment, a code or text."""
    from web.filters import fmt_date, fmt_day

    moment = _moment(value) if isinstance(value, str) else value
    if isinstance(moment, datetime):
        return fmt_date(moment)
    if isinstance(moment, date):
        return fmt_day(moment)
    if key in LABELLED_KEYS:
        return label(LABELLED_KEYS[key], value)
    if key == "role":
        return role(str(value))
    if key == "on_behalf_of":
        return party(str(value))
    return str(value)

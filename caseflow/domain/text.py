"""What text and dates may be recorded (issue 12, findings 1, 3 and 9).

Every event of every aggregate passes :func:`check_values` before it is built (see
:class:`caseflow.domain.base.CaseflowAggregate`), so the web forms, the JSON API, the CLI
and any script get the same refusal: :class:`InvalidInput` (422) naming the field, and
nothing recorded.

Refused in text: NUL and the other C0 control characters except tab, newline and carriage
return; lone surrogates (U+D800–U+DFFF, which cannot be encoded as UTF-8); and Unicode's
non-characters (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE,
U+FFFF, U+1FFFE, …, U+10FFFF). PostgreSQL cannot store NUL in text, XML 1.0 (Noark 5,
eInnsyn) cannot carry C0 controls, surrogates, U+FFFE or U+FFFF, and none of them is
something a person means to write.

Refused as dates: a date, or the local date of a date-time, outside 1900-01-01 …
2200-12-31. Far enough for any meeting, deadline or history lookup, and far from the
ends of Python's calendar (year 1 and 9999), where converting a time to Oslo time or
adding two hours for a meeting's end overflows.

Standard library only.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from caseflow.domain.errors import InvalidInput

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)

#: The refusals' fixed messages (translated by the web layer, listed in web/messages.py).
TEXT_REFUSED = "must not contain control characters, NUL, lone surrogates or Unicode non-characters"
DATE_REFUSED = "must be between 1900-01-01 and 2200-12-31"

_NONCHARACTERS = "".join(
    f"\\U{(plane << 16) | 0xFFFE:08x}\\U{(plane << 16) | 0xFFFF:08x}" for plane in range(17)
)
FORBIDDEN = re.compile(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufdd0-\\ufdef" + _NONCHARACTERS + "]"
)
"""One character that text may not contain."""


def is_plain_text(value: str) -> bool:
    """True when ``value`` holds none of the refused characters."""
    return FORBIDDEN.search(value) is None


def in_date_range(value: date) -> bool:
    """True when ``value`` (a date, or a date-time's own local date) lies within
    :data:`MIN_DATE` … :data:`MAX_DATE`."""
    day = value.date() if isinstance(value, datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def problem(value: Any) -> str | None:
    """The refusal message for ``value`` or anything inside it (mappings with their
    keys, lists, tuples, sets, dataclasses), or None when it may be recorded."""
    if isinstance(value, str):
        return None if is_plain_text(value) else TEXT_REFUSED
    if isinstance(value, date):
        return None if in_date_range(value) else DATE_REFUSED
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = problem(key) or problem(item)
            if found:
                return found
        return None
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            found = problem(item)
            if found:
                return found
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return problem({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    return None


def refusals(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field name → refusal messages, for each of ``values`` that may not be recorded."""
    found: dict[str, list[str]] = {}
    for name, value in values.items():
        message = problem(value)
        if message:
            found[name] = [message]
    return found


def check_values(values: Mapping[str, Any]) -> None:
    """Raise :class:`InvalidInput` (422) naming every field of ``values`` that holds
    refused text or an out-of-range date; the message names the first."""
    found = refusals(values)
    if found:
        name, messages = next(iter(found.items()))
        raise InvalidInput(messages[0], fields=found, field_name=name)


def check_text(name: str, value: str) -> None:
    """Raise :class:`InvalidInput` when the text field ``name`` holds a refused character."""
    if not is_plain_text(value):
        raise InvalidInput.field(name, TEXT_REFUSED)


def check_date(name: str, value: date | None) -> None:
    """Raise :class:`InvalidInput` when the date field ``name`` is out of range."""
    if value is not None and not in_date_range(value):
        raise InvalidInput.field(name, DATE_REFUSED)

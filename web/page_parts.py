"""Cheap parts of the busiest pages (issue 19): links built by substitution, labels and
option lists kept per language, so that a page's rows cost string work, not a
``url_for``, a catalog lookup and a template macro each.

Each helper gives what the template code it replaces gave (``tests/web/test_page_parts.py``
compares them)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

from flask import url_for
from flask_babel import get_locale

#: Characters a path segment keeps unquoted (werkzeug's ``BaseConverter.to_url``).
_PATH_SAFE = "!$&'()*+,/:;=@"
_MARKER = "caseflowplaceholder0"

T = TypeVar("T")


def path_link(endpoint: str, arg: str, **fixed: Any) -> Callable[[Any], str]:
    """``url_for(endpoint, arg=value, **fixed)`` for many values, with one ``url_for``:
    the value goes into the path segment the rule has for ``arg``, quoted as werkzeug's
    default converter quotes it (for rules whose ``arg`` is a plain ``<arg>``)."""
    values: dict[str, Any] = {**fixed, arg: _MARKER}
    built = url_for(endpoint, **values)
    head, found, tail = built.partition(_MARKER)
    if not found:  # the argument went into the query string: no shortcut
        return lambda value: url_for(endpoint, **{**fixed, arg: value})
    return lambda value: f"{head}{quote(str(value), safe=_PATH_SAFE)}{tail}"


def language() -> str:
    """The reader's language code (``nb``, ``en``)."""
    locale = get_locale()
    return locale.language if locale else "nb"


class PerLanguage:
    """Values computed once per language and key (the catalogs do not change while the
    process runs): ``get(key, make)`` gives ``make()`` as it was for this language."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[str, Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        full = (language(), key)
        with self._lock:
            if full in self._items:
                found: T = self._items[full]
                return found
        value = make()
        with self._lock:
            self._items[full] = value
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value


class Memo:
    """A per-request memo of a function of one hashable value (e.g. a role code's label:
    a page of 50 rows has a handful of distinct codes)."""

    def __init__(self, fn: Callable[[Any], T]) -> None:
        self.fn = fn
        self.seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        try:
            return self.seen[value]
        except KeyError:
            found = self.seen[value] = self.fn(value)
            return found
        except TypeError:  # not hashable
            return self.fn(value)


def moment_formatter() -> Callable[[datetime], str]:
    """``fmt_date`` of a moment (the ``datetime`` filter) for the many moments of one page,
    each distinct minute formatted once: the filter writes minutes (``HH:mm``), and zone
    offsets are whole minutes, so a moment and its minute read the same."""
    from web.filters import fmt_date

    minute = Memo(fmt_date)

    def moment(value: datetime) -> str:
        return str(minute(value.replace(second=0, microsecond=0)))

    return moment


def escape(value: object) -> str:
    """``value`` as HTML text, escaped as Jinja's autoescape (markupsafe) escapes it."""
    return (
        str(value)
        .replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def options_html(pairs: Iterable[tuple[str, str]], selected: str | None = None) -> str:
    """``<option value="…">…</option>`` for each (value, text), the ``selected`` value
    marked: what a ``{% for %}`` over the pairs renders, at a fraction of the cost
    (escaped here: the template shows it with ``|safe``)."""
    parts = []
    for value, text in pairs:
        mark = " selected" if selected is not None and value == selected else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(text)}</option>')
    return "".join(parts)

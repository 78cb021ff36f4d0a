"""Rendered page parts kept per log position (issue 19). The status overview shows the read
models as of the log's head, in the reader's language, as of the clock's minute (what is
overdue, which meeting is next), and every reader who may read everything sees the same:
so the part below the menu is rendered once per (head, language, minute) and served from
here until the log moves on — whoever wrote, in whichever process: every request reads
the head anyway.

A part is kept only while the read models are current with the head they were read at
(``freshen()`` says so; with a read model behind or stopped the page is built each time),
and for at most :data:`MAX_AGE` seconds: a read model rebuilt in another process
(``caseflow rebuild``, which writes no event) shows within that time. The menu, the
person's name and the CSRF tokens are rendered per request, as before.
``CASEFLOW_PAGE_CACHE=0`` turns it off (every page built each time).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import cast

from flask import Flask, current_app, g

from caseflow.readmodels.api import ReadModels
from web.context import read
from web.page_parts import language

#: Parts kept per app (a few minutes of the overview in two languages).
MAXSIZE = 64
#: A part is rendered again after this many seconds, even if the log has not moved.
MAX_AGE = 30.0


def enabled() -> bool:
    return os.environ.get("CASEFLOW_PAGE_CACHE", "1").strip().lower() not in ("0", "no", "false")


class PageParts:
    """Rendered parts by (log head, language, key), least recently used out first."""

    def __init__(self, maxsize: int = MAXSIZE) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()
        #: Counters for tests and profiles.
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, render: Callable[[], str]) -> str:
        """The part for ``key`` at the log's head now, rendered by ``render`` when this
        process has not kept it (or when the read models are not current)."""
        models = read()
        if not enabled():
            self.misses += 1
            return render()
        head = fresh_head(models)
        if head is None:
            head = models.head()
            if not _current(models, head):
                self.misses += 1
                return render()
        full = (head, language(), key)
        now = time.monotonic()
        with self._lock:
            found = self._items.get(full)
            if found is not None and now - found[0] < MAX_AGE:
                self._items.move_to_end(full)
                self.hits += 1
                return found[1]
        part = render()
        self.misses += 1
        with self._lock:
            self._items[full] = (now, part)
            self._items.move_to_end(full)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return part

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def fresh_head(models: ReadModels) -> int | None:
    """The position this request's ``freshen()`` (``web/__init__.py``, before the page)
    found the read models current with: every event up to it is in them, and the log's
    head was no further when asked — so it names the state a part shows as the head
    would, without asking for the head again (a round trip on PostgreSQL). None when
    the request did not freshen, or the read models were not current."""
    if not g.get("caseflow_fresh"):
        return None
    known = getattr(models, "_known", None)
    return known if isinstance(known, int) and known > 0 else None


def _current(models: ReadModels, head: int) -> bool:
    """Whether the read models have every event up to ``head``: what this request's
    ``freshen()`` established (the service remembers the position it knows reached),
    else ``freshen()`` again (one more query)."""
    known = getattr(models, "_known", None)
    if isinstance(known, int) and head <= known:
        return True
    return models.freshen()


def parts(app: Flask | None = None) -> PageParts:
    """This app's parts (one per app: the head names a state of the app's own store)."""
    extensions = (app or current_app).extensions
    found = extensions.get("caseflow_page_parts")
    if found is None:
        found = extensions.setdefault("caseflow_page_parts", PageParts())
    return cast(PageParts, found)

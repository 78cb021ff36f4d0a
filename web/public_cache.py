"""Conditional GET for the public pages (issue 18): every public answer is a function of
the log (its head: the newest notification id), the reader's language and the day (a
meeting moves from "coming" to "held" by the clock, not by an event). So:

- ``ETag: "<head>.<lang>.<yyyymmdd>"`` and ``Last-Modified``: the newer of the head
  event's time (the audit trail's row at that position, one indexed query, remembered per
  head) and the start of the day in ``CASEFLOW_TIMEZONE``;
- ``If-None-Match`` (or, without it, ``If-Modified-Since``) that still holds answers
  **304 before the page is built**: the head (one indexed query) and, the first time a
  head is seen, its time — no aggregate, no agenda, not even the read models' catch-up
  (``freshen()``, which ``web/__init__.py`` runs before every other page, runs here only
  for an answer that is built);
- the head itself is remembered by each process for ``CASEFLOW_PUBLIC_HEAD_TTL`` seconds
  (default 1; 0: asked on every request), so that under load most conditional GETs ask
  the store nothing (on PostgreSQL the head is a round trip): a public page shows a change
  at most that much later, well inside the ``max-age`` shared caches keep it anyway;
- ``Cache-Control: public, max-age=60`` for an anonymous reader (``private`` once the
  request carries a session: a logged-in person's language choice), ``Vary:
  Accept-Language, Cookie``.
"""

from __future__ import annotations

import threading
import time as timer
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, time
from email.utils import format_datetime, parsedate_to_datetime
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, current_app, make_response, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from werkzeug.exceptions import NotFound

from caseflow.domain import clock
from caseflow.domain.localtime import zone
from caseflow.readmodels.api import AuditFilter, ReadModels
from web import page_cache
from web.context import read
from web.i18n import LANGUAGES, select_locale

#: How long a shared cache may keep a public page without asking again (seconds).
MAX_AGE = 60

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])

#: How long a process keeps the log's head for the validators (seconds), unless configured.
HEAD_TTL = 1.0

_times: dict[int, datetime] = {}
_lock = threading.Lock()
_head: dict[int, tuple[int, float]] = {}  # id(read models) -> (head, when it was read)


def head_ttl() -> float:
    """The app's ``PUBLIC_HEAD_TTL`` (``CASEFLOW_PUBLIC_HEAD_TTL``), in seconds."""
    return max(0.0, float(current_app.config.get("PUBLIC_HEAD_TTL", HEAD_TTL)))


def current_head(models: ReadModels) -> int:
    """The log's head as this process last read it, at most :func:`head_ttl` seconds ago."""
    ttl = head_ttl()
    now = timer.monotonic()
    key = id(models)
    with _lock:
        known = _head.get(key)
    if known is not None and 0 <= now - known[1] < ttl:
        return known[0]
    head = models.head()
    with _lock:
        _head[key] = (head, now)
    return head


def public_language() -> str:
    """``?lang=nb|en`` (the public pages' language switch: a link, no form, no session),
    else the reader's usual choice (session, ``Accept-Language``, the default)."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    return select_locale()


def head_time(models: ReadModels, head: int) -> datetime:
    """When the event at ``head`` was recorded (the audit trail's row at that position),
    remembered per head; the time this process first saw the head when there is none."""
    with _lock:
        found = _times.get(head)
    if found is not None:
        return found
    rows = models.audit(AuditFilter(after=head - 1, before=head + 1, per_page=1)).items
    at = rows[0].time if rows else clock.now()
    at = at.astimezone(UTC).replace(microsecond=0)
    with _lock:
        if len(_times) > 64:
            _times.clear()
        _times[head] = at
    return at


def validators(lang: str) -> tuple[str, datetime]:
    """The ETag and Last-Modified of a public answer now, in ``lang``."""
    models = read()
    head = current_head(models)
    today = clock.now().astimezone(zone()).date()
    midnight = datetime.combine(today, time(0), tzinfo=zone()).astimezone(UTC)
    modified = max(head_time(models, head), midnight) if head else midnight
    return f'"{head}.{lang}.{today:%Y%m%d}"', modified


def _not_modified(etag: str, modified: datetime) -> bool:
    matches = request.headers.get("If-None-Match")
    if matches is not None:
        tags = [t.strip().removeprefix("W/") for t in matches.split(",")]
        return etag in tags or "*" in tags
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return modified <= when
    return False


def _headers(response: Response, etag: str, modified: datetime) -> Response:
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = format_datetime(modified, usegmt=True)
    private = bool(session) or request.cookies.get("session") is not None
    scope = "private, no-cache" if private else f"public, max-age={MAX_AGE}"
    response.headers["Cache-Control"] = scope
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


class KeptPages:
    """Public HTML pages as built, by (script root, path and query, ETag), least recently
    used out first (issue 19). The ETag names everything a page is a function of — the
    log's head, the language, the day — so a page built for an ETag, with the read models
    current, is the page for every request with that ETag: the body a 304 tells a browser
    to keep. Kept at most ``web.page_cache.MAX_AGE`` seconds (a read model rebuilt without
    an event shows within that time); ``CASEFLOW_PAGE_CACHE=0`` builds every page."""

    def __init__(self, maxsize: int = 64) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[str, str, str], tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        #: Counters for tests and profiles.
        self.hits = self.misses = 0

    def get(self, key: tuple[str, str, str]) -> bytes | None:
        if not page_cache.enabled():
            return None
        now = timer.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is not None and 0 <= now - found[0] < page_cache.MAX_AGE:
                self._items.move_to_end(key)
                self.hits += 1
                return found[1]
            self.misses += 1
        return None

    def put(self, key: tuple[str, str, str], body: bytes) -> None:
        if not page_cache.enabled():
            return
        with self._lock:
            self._items[key] = (timer.monotonic(), body)
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def kept_pages() -> KeptPages:
    """This app's kept pages (one per app: the head names a state of the app's own store)."""
    extensions = current_app.extensions
    found = extensions.get("caseflow_public_pages")
    if found is None:
        found = extensions.setdefault("caseflow_public_pages", KeptPages())
    return cast(KeptPages, found)


def _keepable(response: Response) -> bool:
    """An HTML page with no headers of its own (not a file, a feed or a calendar)."""
    own = {name.lower() for name, _value in response.headers.items()}
    own -= {"content-type", "content-length", "etag", "last-modified", "cache-control", "vary"}
    return response.mimetype == "text/html" and not response.direct_passthrough and not own


def cached(view: F) -> F:
    """A public view: answered in the reader's language, with the validators above, and
    304 without calling ``view`` when the reader's copy is current."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        lang = public_language()
        etag, modified = validators(lang)
        if request.method in ("GET", "HEAD") and _not_modified(etag, modified):
            return _headers(Response(status=304), etag, modified)
        key = (request.script_root, request.full_path, etag)
        body = kept_pages().get(key)
        if body is not None:  # built for this ETag by this process: what a 304 would vouch for
            return _headers(Response(body, mimetype="text/html"), etag, modified)
        fresh = read().freshen()  # current with the log (web/__init__.py skips it here)
        with force_locale(lang):
            try:
                response = make_response(view(*args, **kwargs))
            except NotFound:  # the public layout: no login page, no form, no cookie
                page = render_template("public/not_found.html")
                return Response(page, 404, headers={"Cache-Control": "no-store"})
        if response.status_code == 200:
            _headers(response, etag, modified)
            if fresh and _keepable(response):
                kept_pages().put(key, response.get_data())
        return response

    return wrapper  # type: ignore[return-value]

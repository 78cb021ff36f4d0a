"""Limits on what one request may bring (issue 12, finding 9), in one place.

- **Size.** Flask's ``MAX_CONTENT_LENGTH``, from ``CASEFLOW_MAX_CONTENT_LENGTH`` (bytes);
  by default the largest attachment (``CASEFLOW_ATTACHMENTS_MAX_BYTES``, 20 MiB) plus
  1 MiB for the rest of the form. A larger body is answered 413 from its
  ``Content-Length`` before anything is read (Werkzeug's guarded input stream also stops
  a body without a length at the limit).
- **JSON.** Every JSON body is parsed once, before the view (:func:`parse_json_body`,
  with the app's JSON provider made depth-limited by :class:`DepthLimitedLoads`):
  malformed JSON (also bytes that are not UTF-8) and a body nested deeper than
  :data:`MAX_JSON_DEPTH` levels answer 400 ``bad_request`` with a structured error —
  a 100,000-deep body is refused without a ``RecursionError``. Strings with lone
  surrogates (``"\\ud800"``) parse, and the schemas refuse them field by field (422).

The answers are JSON under ``/api/`` and for JSON clients, an HTML page otherwise
(:func:`web.errors.render_error`), in the user's language.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Request, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from caseflow.application.files import DEFAULT_MAX_BYTES
from web.errors import error_body, render_error
from web.messages import N_

#: How deeply a JSON body may nest objects and arrays (``{"a": [1]}`` is 2 levels).
MAX_JSON_DEPTH = 32

#: Room for the form fields and multipart framing around the largest attachment.
FORM_ROOM = 1024 * 1024

NOT_JSON = N_("The body is not valid JSON.")
TOO_DEEP = N_("The body is nested too deeply (more than %(depth)s levels).")
TOO_LARGE = N_("The request is too large (at most %(size)s).")


def default_max_content_length(env: dict[str, str] | None = None) -> int:
    """``CASEFLOW_MAX_CONTENT_LENGTH`` in bytes, else the attachment limit plus
    :data:`FORM_ROOM`."""
    env = dict(os.environ) if env is None else env
    for name in ("CASEFLOW_MAX_CONTENT_LENGTH", "CASEFLOW_ATTACHMENTS_MAX_BYTES"):
        text = (env.get(name) or "").strip()
        if not text:
            continue
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{name} must be a whole number of bytes, not {text!r}") from None
        if value <= 0:
            raise ValueError(f"{name} must be a positive number of bytes, not {text!r}")
        return value if name == "CASEFLOW_MAX_CONTENT_LENGTH" else value + FORM_ROOM
    return DEFAULT_MAX_BYTES + FORM_ROOM


class MalformedJSON(BadRequest):
    """A JSON body that cannot be read: ``message`` (English, in the catalog) says why."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class JSONTooDeep(ValueError):
    """Raised while parsing a body nested deeper than :data:`MAX_JSON_DEPTH`."""


def nesting_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply ``value`` nests dicts and lists (iteratively; stops once past ``limit``)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((c, level + 1) for c in children if isinstance(c, dict | list))
    return deepest


def guarded_loads(parse: Any, data: str | bytes, **kwargs: Any) -> Any:
    """Parse a request body with ``parse`` (the app's JSON provider), refusing deep
    nesting (as :class:`JSONTooDeep`, a ``ValueError``) instead of exhausting the
    recursion limit."""
    if isinstance(data, str):
        brackets = data.count("[") + data.count("{")
    else:
        brackets = data.count(b"[") + data.count(b"{")
    try:
        value = parse(data, **kwargs)
    except RecursionError:
        raise JSONTooDeep(f"nested more than {MAX_JSON_DEPTH} levels") from None
    if brackets <= MAX_JSON_DEPTH:
        return value  # cannot nest deeper than it has brackets
    if nesting_depth(value) > MAX_JSON_DEPTH:
        raise JSONTooDeep(f"nested more than {MAX_JSON_DEPTH} levels")
    return value


class DepthLimitedLoads:
    """Mixed into the app's JSON provider class: ``loads`` (what ``request.get_json``
    parses with) refuses bodies nested deeper than :data:`MAX_JSON_DEPTH`."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return guarded_loads(super().loads, s, **kwargs)  # type: ignore[misc]


class CaseflowRequest(Request):
    """Flask's request, refusing malformed JSON bodies with :class:`MalformedJSON` (400)."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, JSONTooDeep):
            raise MalformedJSON(TOO_DEEP, depth=MAX_JSON_DEPTH)
        if e is not None:
            raise MalformedJSON(NOT_JSON)
        return super().on_json_loading_failed(e)


def _limit_json(app: Flask) -> None:
    """Replace ``app.json`` by the same provider (class and settings) with
    :class:`DepthLimitedLoads` mixed in."""
    current = app.json
    if isinstance(current, DepthLimitedLoads):
        return
    limited = type(f"DepthLimited{type(current).__name__}", (DepthLimitedLoads, type(current)), {})
    provider = limited(app)
    provider.__dict__.update(current.__dict__)  # settings made on the instance
    app.json = provider


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MiB"
    if limit >= 1024:
        return f"{limit / 1024:.0f} KiB"
    return f"{limit} B"


def parse_json_body() -> None:
    """Before every view: parse a JSON body once (cached for the view), so that a
    malformed or too deeply nested body is refused in one place."""
    if request.is_json and request.get_data(cache=True):
        request.get_json()


def init_app(app: Flask) -> None:
    """Set the size limit (unless configured), the request class and the handlers."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = default_max_content_length()
    app.request_class = CaseflowRequest
    _limit_json(app)
    app.before_request(parse_json_body)

    @app.errorhandler(MalformedJSON)
    def malformed(e: MalformedJSON) -> Any:
        return render_error(400, error_body("bad_request", _(e.message, **e.params)))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(e: RequestEntityTooLarge) -> Any:
        limit = int(app.config["MAX_CONTENT_LENGTH"])
        return render_error(413, error_body("too_large", _(TOO_LARGE, size=_size(limit))))

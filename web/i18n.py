"""Norwegian bokmål (default) and English with Flask-Babel.

Domain errors carry fixed English messages; :func:`translate` looks them up in the
catalog (they are listed for extraction in :mod:`web.messages`), and messages built at
run time fall back to English.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, session
from flask_babel import Babel, gettext

from web.messages import PATTERNS

LANGUAGES = ("nb", "en")


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    default = current_app.config["LANGUAGE"]
    if request.headers.get("Accept-Language"):
        best = request.accept_languages.best_match(["nb", "no", "nn", "en"])
        if best == "en":
            return "en"
        if best in ("nb", "no", "nn"):
            return "nb"
    return str(default)


def translate(message: str | None) -> str:
    """The message in the user's language: from the catalog by its English text, else by
    one of the known run-time patterns, else as given (English)."""
    if not message:
        return ""
    if "%" not in message:
        translated = gettext(message)
        if translated != message or not _needs_pattern(message):
            return translated
    field, sep, rest = message.partition(": ")
    if sep and field.isidentifier() and not field.startswith("R"):
        return f"{field}: {translate(rest)}"
    for pattern, template in PATTERNS:
        found = pattern.match(message)
        if found:
            params = {k: _param(k, v) for k, v in found.groupdict().items()}
            return gettext(template, **params)
    return message


def _needs_pattern(message: str) -> bool:
    return any(p.match(message) for p, _ in PATTERNS) or ": " in message


def _param(name: str, value: str) -> str:
    from web.labels import label

    if name in ("status", "step"):
        return label(name, value)
    return value


def translate_fields(fields: dict[str, Any] | None) -> dict[str, list[str]] | None:
    """Field errors (marshmallow's or the domain's) in the user's language."""
    if not fields:
        return None
    out: dict[str, list[str]] = {}
    for name, messages in fields.items():
        if isinstance(messages, dict):
            flat = [translate(str(m)) for ms in messages.values() for m in _as_list(ms)]
        else:
            flat = [translate(str(m)) for m in _as_list(messages)]
        out[str(name)] = flat
    return out


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def languages() -> dict[str, Any]:
        from flask_babel import get_locale

        return {"LANGUAGES": LANGUAGES, "current_language": str(get_locale() or "nb")}

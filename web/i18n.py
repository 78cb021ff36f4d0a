"""Norwegian bokmål (default) and English with Flask-Babel.

Domain errors carry a message key (the English template, ``%(name)s`` placeholders) and
its parameters; :func:`translate` looks the key up in the catalog (the keys are listed for
extraction in :mod:`web.messages`) and fills in the parameters, a case status or step
shown by its label. Nothing is translated by pattern: a message without a catalog entry
is shown in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Flask, current_app, request, session
from flask_babel import Babel, gettext

from caseflow.domain.errors import CaseflowError, Message

LANGUAGES = ("nb", "en")

#: Parameters shown by their label (web.labels) rather than their stored value.
LABELLED = ("status", "step")


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


def translate(message: str | None, params: Mapping[str, Any] | None = None) -> str:
    """Message key ``message`` in the user's language, with ``params`` filled in."""
    if not message:
        return ""
    if not params:
        return str(gettext(message))
    return str(gettext(message, **{k: _param(k, v) for k, v in params.items()}))


def translate_text(value: Message | str | None) -> str:
    """A warning, note or step reason (:class:`Message`: by its key, with its rule id
    once) or a message key, in the user's language."""
    if isinstance(value, Message):
        return with_rule(value.rule, translate(value.key, value.params))
    return translate(value)


def translate_error(e: CaseflowError) -> str:
    """A domain error's message in the user's language (without its rule id)."""
    text = translate(e.message, e.params)
    if not e.field_name:
        return text
    from web.labels import label

    return f"{label('field', e.field_name)}: {text}"  # the field by its label, never its code


def with_rule(rule: str | None, message: str) -> str:
    """``R19: <message>``: the rule id once, before the message."""
    return f"{rule}: {message}" if rule else message


def _param(name: str, value: Any) -> Any:
    from web.labels import label

    if name in LABELLED and isinstance(value, str):
        return label(name, value)
    if isinstance(value, date):  # a day (or moment) in the reader's language
        from web.filters import fmt_date

        return fmt_date(value)
    return value


def translate_fields(fields: Mapping[str, Any] | None) -> dict[str, list[str]] | None:
    """Field errors (marshmallow's or the domain's: keys, or ``(key, params)``) in the
    user's language."""
    if not fields:
        return None
    out: dict[str, list[str]] = {}
    for name, messages in fields.items():
        if isinstance(messages, dict):
            flat = [_field(m) for ms in messages.values() for m in _as_list(ms)]
        else:
            flat = [_field(m) for m in _as_list(messages)]
        out[str(name)] = flat
    return out


def _field(message: Any) -> str:
    if isinstance(message, tuple) and len(message) == 2 and isinstance(message[0], str):
        return translate(message[0], message[1])
    return translate(str(message))


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def languages() -> dict[str, Any]:
        from flask_babel import get_locale

        return {"LANGUAGES": LANGUAGES, "current_language": str(get_locale() or "nb")}

"""Messages by key in the reader's language, outside a web request: the command line
prints a refusal in bokmål (``CASEFLOW_LANGUAGE``, default ``nb``) or English from the
same catalogs as the web pages (``web/translations``), by the same keys.

A domain error or :class:`~caseflow.domain.errors.Message` carries a message key (the
English template) and its parameters; :func:`translate` looks the key up and fills the
parameters in, a case status or step by its label (:data:`STATUS`, :data:`STEP`: the
label tables the web layer's ``web.labels`` shares). The rule id is printed once, before
the message (:func:`with_rule`). Nothing is matched by pattern: a key without a catalog
entry is shown in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

from caseflow.domain.errors import CaseflowError, Message

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"

#: The catalogs (one for web and CLI), compiled by ``pybabel compile -d web/translations``.
TRANSLATIONS = Path(__file__).resolve().parents[1] / "web" / "translations"

#: A case's statuses by their label (msgids of the catalogs).
STATUS = {
    "proposed": "Proposed",
    "under_preparation": "Under preparation",
    "advice_requested": "Advice requested from KG",
    "advice_closed": "KG advice closed",
    "ready": "Ready for the board",
    "submitted": "Submitted to the board",
    "postponed": "Postponed",
    "decided": "Decided",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}

#: A case's steps by their label (msgids of the catalogs).
STEP = {
    "accept": "Accept for preparation",
    "decline": "Decline",
    "draft": "Write the case document",
    "request-advice": "Request KG advice",
    "advice": "Give advice",
    "close-advice": "Close the advice round",
    "waive-advice": "Waive KG advice",
    "ready": "Mark ready for the board",
    "submit": "Submit to the board",
    "decision": "Record the board's decision",
    "postpone": "Postpone",
    "withdraw": "Withdraw",
}

#: Parameters shown by their label rather than their stored value.
LABELLED: dict[str, Mapping[str, str]] = {"status": STATUS, "step": STEP}


def language(value: str | None) -> str:
    """``nb`` or ``en`` from a setting such as ``CASEFLOW_LANGUAGE`` (``no``, ``nn``,
    ``nb_NO`` are bokmål; anything else unknown is the default, bokmål)."""
    code = (value or "").strip().lower().replace("-", "_").split("_")[0]
    if code == "en":
        return "en"
    return DEFAULT_LANGUAGE


@cache
def catalog(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (English needs none: keys are English)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return Translations.load(str(TRANSLATIONS), [lang], domain="messages")


def translate(key: str | None, params: Mapping[str, Any] | None, lang: str) -> str:
    """Message ``key`` in ``lang`` with ``params`` filled in (status and step labelled)."""
    if not key:
        return ""
    t = catalog(lang)
    text = t.gettext(key)
    if not params or "%(" not in text:
        return text
    values = {}
    for name, value in params.items():
        table = LABELLED.get(name)
        if table is not None and isinstance(value, str) and value in table:
            value = t.gettext(table[value])
        values[name] = value
    try:
        return text % values
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
        return key % dict(params) if "%(" in key else key


def with_rule(rule: str | None, message: str) -> str:
    """``R19: <message>``: the rule id once, before the message."""
    return f"{rule}: {message}" if rule else message


def error_text(e: CaseflowError, lang: str) -> str:
    """A refusal as one line in ``lang``: the rule id once, the field it names, the
    message; a field refusal's own messages after it."""
    text = translate(e.message, e.params, lang)
    if e.field_name:
        text = f"{e.field_name}: {text}"
    return with_rule(e.rule, text)


def message_text(message: Message | str, lang: str) -> str:
    """A warning or note (:class:`Message`) in ``lang``, its rule id once; plain text
    as it is."""
    if isinstance(message, Message):
        return with_rule(message.rule, translate(message.key, message.params, lang))
    return str(message)


def cli_language(environ: Mapping[str, str]) -> str:
    """The command line's language: ``CASEFLOW_LANGUAGE`` (bokmål by default)."""
    return language(environ.get("CASEFLOW_LANGUAGE"))

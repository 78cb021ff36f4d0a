"""Screening (skjerming, issue 18): a case, a case document or a free agenda item is public
unless the secretariat screens it with a legal basis (hjemmel) from offentleglova, and a
public title (offentlig tittel) in which the screened words are replaced (``Avtale med
****``). The screened words are recorded for the archive and the leak test; they are
never shown publicly.

Pure values and checks: :data:`LEGAL_BASES` (the maintained list, with a free-text
fallback), :func:`mask`, :class:`Screening` and :func:`check_screening` (the refusal names
each field), and :func:`may_screen` (only the secretariat screens and lifts). The events
are the aggregates' own: ``Case.Screened``/``ScreeningLifted``,
``Case.DocumentScreened``/``DocumentScreeningLifted`` and ``Meeting.ItemScreened``/
``ItemScreeningLifted`` (:mod:`caseflow.domain.meeting_screening`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from caseflow.domain.errors import InvalidInput, NotPermitted
from caseflow.domain.permissions.actor import Actor, Grant, secretariat_grant

#: What replaces a screened word (always four stars, so the word's length is not told).
MASK = "****"

#: The longest legal basis, public title and screened word.
MAX_BASIS = 200
MAX_TITLE = 300
MAX_WORD = 100
#: A screened word has at least this many characters (one letter would mask every "a").
MIN_WORD = 2

#: The key of the free-text legal basis (a hjemmel not in the list).
OTHER = "other"


@dataclass(frozen=True)
class LegalBasis:
    """One legal basis of the list: a stable key, the text recorded and shown (the
    citation, as Norwegian archives write it) and what it is for (an English message key,
    translated where it is shown)."""

    key: str
    text: str
    description: str


#: The legal bases a council secretariat uses (offentleglova, LOV-2006-05-19-16; fvl. is
#: forvaltningsloven § 13, the duty of confidentiality that offl. § 13 refers to).
LEGAL_BASES: tuple[LegalBasis, ...] = (
    LegalBasis(
        "offl-13-fvl-13",
        "Offl. § 13 jf. fvl. § 13",
        "duty of confidentiality: someone's personal circumstances or a business's secrets",
    ),
    LegalBasis(
        "offl-13-fvl-13-1-1",
        "Offl. § 13 jf. fvl. § 13 første ledd nr. 1",
        "duty of confidentiality: someone's personal circumstances (e.g. a personnel matter)",
    ),
    LegalBasis(
        "offl-13-fvl-13-1-2",
        "Offl. § 13 jf. fvl. § 13 første ledd nr. 2",
        "duty of confidentiality: a business's technical or commercial secrets",
    ),
    LegalBasis("offl-14", "Offl. § 14", "an internal document of the council (organinternt)"),
    LegalBasis(
        "offl-15",
        "Offl. § 15",
        "a document obtained from outside for the internal preparation of a case",
    ),
    LegalBasis(
        "offl-23",
        "Offl. § 23",
        "the council's negotiating position (an agreement, a procurement) would be harmed",
    ),
    LegalBasis("offl-24", "Offl. § 24", "control or regulatory measures, or tips about offences"),
    LegalBasis(
        "offl-25",
        "Offl. § 25",
        "appointments and promotions in the council's service (tilsettingssaker)",
    ),
)

#: The list by key.
LEGAL_BASIS_BY_KEY: dict[str, LegalBasis] = {b.key: b for b in LEGAL_BASES}


def legal_basis_text(value: str | None) -> str:
    """The text recorded for ``value``: a key of the list gives its text, the text of an
    entry of the list is kept, anything else is free text (stripped)."""
    value = (value or "").strip()
    found = LEGAL_BASIS_BY_KEY.get(value)
    return found.text if found is not None else value


def legal_basis_key(text: str | None) -> str | None:
    """The key of the list entry whose text is ``text``, or None (free text, or none)."""
    for basis in LEGAL_BASES:
        if basis.text == (text or "").strip():
            return basis.key
    return None


#: What separates screened words typed in one field: a new line, a comma or a semicolon.
_SEPARATORS = re.compile(r"[\n,;]+")


def split_words(text: str | None) -> list[str]:
    """The screened words typed in one field (the page's, the CLI's ``--words``): one
    per line, or separated by commas or semicolons."""
    return [w.strip() for w in _SEPARATORS.split(text or "") if w.strip()]


def clean_words(words: Iterable[str]) -> tuple[str, ...]:
    """The screened words as recorded: stripped, blanks dropped, each once (the first
    spelling kept, compared case-insensitively)."""
    seen: set[str] = set()
    kept: list[str] = []
    for word in words:
        word = " ".join((word or "").split())
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            kept.append(word)
    return tuple(kept)


def mask(title: str, words: Iterable[str]) -> str:
    """``title`` with every occurrence of each of ``words`` (case-insensitive, the longest
    first) replaced by :data:`MASK`: ``mask("Avtale med Bygg AS", ["Bygg AS"])`` is
    ``"Avtale med ****"``."""
    ordered = sorted(clean_words(words), key=len, reverse=True)
    if not ordered:
        return title
    pattern = re.compile("|".join(re.escape(w) for w in ordered), re.IGNORECASE)
    return pattern.sub(MASK, title)


def contains_any(text: str, words: Iterable[str]) -> list[str]:
    """Which of ``words`` occur in ``text`` (case-insensitive)."""
    folded = text.casefold()
    return [w for w in words if w.casefold() in folded]


@dataclass(frozen=True)
class Screening:
    """How a case, document or item is screened: the legal basis (its text), the public
    title and the screened words (never shown publicly)."""

    legal_basis: str
    public_title: str
    words: tuple[str, ...]

    @property
    def legal_basis_key(self) -> str:
        """The list's key of the legal basis, or :data:`OTHER` for free text."""
        return legal_basis_key(self.legal_basis) or OTHER

    def as_dict(self) -> dict[str, Any]:
        return {
            "legal_basis": self.legal_basis,
            "legal_basis_key": self.legal_basis_key,
            "public_title": self.public_title,
            "words": list(self.words),
        }


def _check_basis(legal_basis: str | None, errors: dict[str, list[Any]]) -> str:
    basis = legal_basis_text(legal_basis)
    if not basis or basis == OTHER:
        errors["legal_basis"] = ["choose a legal basis from the list or write one"]
    elif len(basis) > MAX_BASIS:
        errors["legal_basis"] = ["at most 200 characters"]
    return basis


def _check_words(title: str, words: tuple[str, ...], errors: dict[str, list[Any]]) -> None:
    wrong: list[Any] = []
    for word in words:
        if len(word) < MIN_WORD:
            wrong.append(
                ("“%(word)s” is too short to screen (at least 2 characters)", {"word": word})
            )
        elif len(word) > MAX_WORD:
            wrong.append("a screened word has at most 100 characters")
        elif not contains_any(title, [word]):
            wrong.append(("“%(word)s” does not occur in the title", {"word": word}))
    if wrong:
        errors["words"] = wrong


def _check_public_title(public: str, words: tuple[str, ...], errors: dict[str, list[Any]]) -> None:
    if len(public) > MAX_TITLE:
        errors["public_title"] = ["at most 300 characters"]
        return
    leaked = contains_any(public, words)
    if leaked:
        errors["public_title"] = [
            ("the public title contains the screened words %(words)s", {"words": ", ".join(leaked)})
        ]


def check_screening(
    title: str,
    legal_basis: str | None,
    words: Iterable[str],
    public_title: str | None = None,
) -> Screening:
    """The screening of something titled ``title``, as recorded: the legal basis from the
    list (by key or text) or free text; the screened words, each in the title; the public
    title ``mask(title, words)`` unless the secretariat writes its own (which must contain
    none of the words). Raises :class:`InvalidInput` naming each field that is wrong."""
    errors: dict[str, list[Any]] = {}
    basis = _check_basis(legal_basis, errors)
    cleaned = clean_words(words)
    own = " ".join((public_title or "").split())
    if not cleaned and not own:
        errors["words"] = ["name the words to screen, or write the public title"]
    _check_words(title, cleaned, errors)
    public = own or mask(title, cleaned)
    _check_public_title(public, cleaned, errors)
    if errors:
        raise InvalidInput("the screening is incomplete", fields=errors)
    return Screening(basis, public, cleaned)


def check_reason(reason: str | None) -> str:
    """Why a screening is lifted (required: the audit trail says why)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput.field("reason", "say why the screening is lifted")
    return reason


def may_screen(actor: Actor) -> Grant:
    """Only the secretariat screens a case, document or item, and lifts a screening (the
    secretariat keeps the archive and the journal, DOMAIN.md "Public access")."""
    if actor.is_secretariat:
        return secretariat_grant(actor)
    raise NotPermitted(
        "Only the secretariat screens cases, documents and agenda items, or lifts a screening.",
        role="secretariat",
    )


def screening_of(event: Any) -> Screening:
    """The screening a ``…Screened`` event records."""
    return Screening(event.legal_basis, event.public_title, tuple(event.words))

"""Public titles: ``offentligTittel`` carries no screened word and no personal name.

eInnsyn keeps only ``offentligTittel`` searchable after twelve months, and its FAQ asks
that it name no person; ``offentligTittelSensitiv`` may carry the full title. The names
are the people register's (every person in the directory, whole name and first + last
name), matched as whole words whatever the case; screened words are the screening's
(``Screening.words``), matched likewise. Both are replaced by :data:`MASK`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from caseflow.domain.screening import Screening

#: What replaces a screened word or a name (the screening's own mask).
MASK = "****"

#: The public title of a screened document whose screening gives none.
SCREENED_DOCUMENT = "Skjermet dokument"


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not unique:
        return None
    alternatives = "|".join(re.escape(w) for w in unique)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def mask(text: str, words: Iterable[str]) -> str:
    """``text`` with each of ``words`` (whole words, any case) replaced by :data:`MASK`."""
    pattern = _pattern(words)
    return pattern.sub(MASK, text) if pattern is not None else text


class PublicTitles:
    """Makes public titles: screened words and the register's names masked."""

    def __init__(self, names: Iterable[str]) -> None:
        forms: set[str] = set()
        for name in names:
            parts = name.split()
            if len(parts) < 2:
                continue  # a one-word "name" (Caseflow, an organisation) is not a person's
            forms.add(" ".join(parts))
            forms.add(f"{parts[0]} {parts[-1]}")
        self._names = _pattern(forms)

    def without_names(self, text: str) -> str:
        return self._names.sub(MASK, text) if self._names is not None else text

    def public(self, title: str, words: Iterable[str] = ()) -> str:
        """The title fit for ``offentligTittel``."""
        return self.without_names(mask(title, words))

    def has_name(self, text: str) -> bool:
        return self._names is not None and self._names.search(text) is not None


def screened_words(screening: Screening | None) -> tuple[str, ...]:
    """A screening's words (none for public or screened at upload without words)."""
    return tuple(screening.words) if screening is not None else ()


def tilgangsrestriksjon(legal_basis: str | None) -> str:
    """Noark's access restriction code from the legal basis: the paragraph of the first
    "§ N" (``Offl. § 13 jf. fvl. § 13`` → ``13``), else ``Unntatt``."""
    found = re.search(r"§\s*(\d+)", legal_basis or "")
    return found.group(1) if found else "Unntatt"

"""Reference data that Caseflow owns: Norway's municipalities and the Osloregionen organisation.

Two JSON files ship inside this package (they must be package data, see ``pyproject.toml``,
``[tool.setuptools.package-data] caseflow = ["data/*.json"]``):

- ``municipalities.json``: every municipality (kommune) of the 2024 division, 357 of them, with its
  official 4-digit number, official name and county, and the 15 counties (fylker) with their 2-digit
  numbers. A county number also stands for its county municipality (fylkeskommune).
- ``organisation.json``: Osloregionen's regions, (assumed) member list, administrative groups, focus
  areas, external organisations, known meetings and secretariat, each fact with its source.

Only the standard library is used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "County",
    "Municipality",
    "MunicipalityRegister",
    "load_municipalities",
    "load_organisation",
]


@dataclass(frozen=True)
class Municipality:
    """A municipality (kommune).

    ``number`` is the official 4-digit kommunenummer (first two digits: the county), ``name`` the
    official name as SSB lists it (several languages for some, e.g. "Guovdageaidnu - Kautokeino"),
    ``county`` the 2-digit county number, and ``aliases`` other forms that name it (the Norwegian
    form first when the official name has several languages).
    """

    number: str
    name: str
    county: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class County:
    """A county (fylke) and its county municipality (fylkeskommune), by 2-digit number."""

    number: str
    name: str
    aliases: tuple[str, ...] = ()


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class MunicipalityRegister:
    """All municipalities and counties of one division, with lookup by number or name."""

    by_number: dict[str, Municipality]
    counties: dict[str, County]
    division: str = ""
    _by_name: dict[str, Municipality | County | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[str, Municipality | County | None] = {}
        # Counties first, municipalities after: a municipality wins a name both have ("Oslo").
        entries: list[Municipality | County] = [*self.counties.values(), *self.by_number.values()]
        for entry in entries:
            keys = {_key(entry.name), *(_key(a) for a in entry.aliases)}
            for key in keys:
                if key not in index:
                    index[key] = entry
                    continue
                previous = index[key]
                if isinstance(previous, County) and isinstance(entry, Municipality):
                    index[key] = entry
                elif previous is not entry and type(previous) is type(entry):
                    index[key] = None  # ambiguous, e.g. "Herøy", "Våler"
        self._by_name.update(index)

    def __len__(self) -> int:
        return len(self.by_number)

    def lookup(self, name_or_number: str) -> Municipality | County | None:
        """Find a municipality or county by number or name.

        A 4-digit number gives a municipality, a 2-digit number a county. Names match the official
        name or any alias, case-insensitively and ignoring surrounding/double spaces. When a
        municipality and a county share a name ("Oslo") the municipality is returned; a name that
        several municipalities share ("Herøy", "Våler") returns ``None`` — use the number or SSB's
        qualified name ("Herøy (Nordland)"). Unknown input returns ``None``.
        """
        text = name_or_number.strip()
        if text.isdigit():
            if len(text) == 4:
                return self.by_number.get(text)
            if len(text) == 2:
                return self.counties.get(text)
            return None
        return self._by_name.get(_key(text))

    def county_of(self, municipality: Municipality) -> County:
        """The county a municipality belongs to."""
        return self.counties[municipality.county]


def _read_json(name: str) -> Any:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def load_municipalities() -> MunicipalityRegister:
    """Load ``municipalities.json`` into a :class:`MunicipalityRegister` (cached)."""
    raw = _read_json("municipalities.json")
    counties = {
        c["number"]: County(c["number"], c["name"], tuple(c.get("aliases", ())))
        for c in raw["counties"]
    }
    by_number = {
        m["number"]: Municipality(m["number"], m["name"], m["county"], tuple(m.get("aliases", ())))
        for m in raw["municipalities"]
    }
    return MunicipalityRegister(
        by_number=by_number, counties=counties, division=raw["_about"]["division"]
    )


@lru_cache(maxsize=1)
def load_organisation() -> dict[str, Any]:
    """Load ``organisation.json`` as parsed JSON (cached: treat the result as read-only)."""
    data: dict[str, Any] = _read_json("organisation.json")
    return data

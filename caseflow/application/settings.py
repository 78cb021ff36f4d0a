"""The application's settings, given by the composition root (``web.create_app``,
``caseflow.cli``, ``caseflow.persistence.open_application``, the tests' fixtures) rather
than read from the environment inside the application."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from caseflow.application.files import DEFAULT_MAX_BYTES
from caseflow.domain.planning import PlanningRules, parse_years


@dataclass(frozen=True)
class Settings:
    """What the meetings' rules need to know about this organisation.

    ``planning_rules``: R16's KG window and deadlines. ``best_years``: R20's years with
    the BEST conference (None: odd years). The defaults are the rules' own defaults, so a
    test or a script that gives nothing gets DOMAIN.md's numbers."""

    planning_rules: PlanningRules = field(default_factory=PlanningRules)
    best_years: frozenset[int] | None = None
    #: The largest case document (saksframlegg, vedlegg) in bytes.
    document_max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """``CASEFLOW_KG_WINDOW_DAYS`` (default ``10-30``), ``CASEFLOW_PAPERS_DAYS``
        (default 7), ``CASEFLOW_BEST_YEARS`` (e.g. ``2025,2027``) and
        ``CASEFLOW_DOCUMENTS_MAX_BYTES`` (default 20 MiB)."""
        return cls(
            planning_rules=PlanningRules.parse(
                environ.get("CASEFLOW_KG_WINDOW_DAYS"), environ.get("CASEFLOW_PAPERS_DAYS")
            ),
            best_years=parse_years(environ.get("CASEFLOW_BEST_YEARS")),
            document_max_bytes=_bytes(environ, "CASEFLOW_DOCUMENTS_MAX_BYTES"),
        )


def _bytes(environ: Mapping[str, str], name: str) -> int:
    """A positive number of bytes from ``environ[name]`` (default: 20 MiB)."""
    text = (environ.get(name) or "").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of bytes, not {text!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be a positive number of bytes, not {text!r}")
    return value

"""The application's settings, given by the composition root (``web.create_app``,
``caseflow.cli``, ``caseflow.persistence.open_application``, the tests' fixtures) rather
than read from the environment inside the application."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from caseflow.domain.planning import PlanningRules, parse_years


@dataclass(frozen=True)
class Settings:
    """What the meetings' rules need to know about this organisation.

    ``planning_rules``: R16's KG window and deadlines. ``best_years``: R20's years with
    the BEST conference (None: odd years). The defaults are the rules' own defaults, so a
    test or a script that gives nothing gets DOMAIN.md's numbers."""

    planning_rules: PlanningRules = field(default_factory=PlanningRules)
    best_years: frozenset[int] | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """``CASEFLOW_KG_WINDOW_DAYS`` (default ``10-30``), ``CASEFLOW_PAPERS_DAYS``
        (default 7) and ``CASEFLOW_BEST_YEARS`` (e.g. ``2025,2027``)."""
        return cls(
            planning_rules=PlanningRules.parse(
                environ.get("CASEFLOW_KG_WINDOW_DAYS"), environ.get("CASEFLOW_PAPERS_DAYS")
            ),
            best_years=parse_years(environ.get("CASEFLOW_BEST_YEARS")),
        )

"""Every event type of the domain has its own line in the audit trail (never the generic
"Hendelse …" for a known event)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from eventsourcing.domain import DomainEvent

import caseflow.domain
from caseflow.domain.base import CaseflowAggregate
from caseflow.readmodels.audit import SUMMARIES


def _aggregates(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _aggregates(sub)


def test_every_event_type_has_a_summary() -> None:
    for module in pkgutil.walk_packages(caseflow.domain.__path__, "caseflow.domain."):
        importlib.import_module(module.name)  # every aggregate of the domain
    missing = []
    for aggregate in set(_aggregates(CaseflowAggregate)):
        if not aggregate.__module__.startswith("caseflow.domain."):
            continue  # the tests' own aggregates
        for name, value in vars(aggregate).items():
            if name in ("Created", "Event") or not isinstance(value, type):
                continue
            own = issubclass(value, DomainEvent) and value.__qualname__.startswith(
                aggregate.__name__ + "."
            )
            if own and value.__qualname__ not in SUMMARIES:
                missing.append(value.__qualname__)
    assert missing == [], f"no audit-trail summary for {sorted(missing)}"

"""Batched saving for building large demo stores fast.

:class:`BatchedCaseflow` is the Caseflow application with the very same commands and
permission checks; only its persistence step is deferred. Commands load aggregates from
an in-memory working set (falling back to the store) and "save" by keeping the changed
aggregates there; :meth:`BatchedCaseflow.flush` then writes every pending event in one
``Application.save`` call — one transaction — in the order the events happened (their
timestamps, which the demo's simulated clock makes strictly increasing), so the
notification log reads exactly as if the commands had been saved one by one.

Use it only for generating data: there are no concurrent writers to retry against, and a
refused step aborts the generator (commands on the working set are not copy-on-write).
The views its case commands return are summaries (no advice lists, no next steps, names
not resolved): the generator needs only ids and statuses, and building the full view
after every advice would make a case with many advisers quadratic to generate.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar, overload
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from caseflow.application import Caseflow
from caseflow.application.case_queries import CaseQueries, case_fields
from caseflow.application.core import typed_or_missing
from caseflow.application.settings import Settings
from caseflow.application.views import CaseView
from caseflow.domain.case import Case
from caseflow.domain.index import Index
from caseflow.domain.permissions import Actor

A = TypeVar("A", bound=Aggregate)


class SummaryCaseQueries(CaseQueries):
    """Cases read as the generator needs them: :meth:`case_view` gives a summary."""

    def case_view(self, agg: Case, actor: Actor | None = None) -> CaseView:
        """A summary view (see the module's docstring)."""
        return CaseView(
            **case_fields(agg, "", None),
            document=None,
            invited=[],
            advice=[],
            advice_history=[],
            postponements=[],
        )


class BatchedCaseflow(Caseflow):
    """Caseflow whose saves are collected in memory and written in large transactions."""

    #: The same application name, hence the same tables, as :class:`Caseflow`.
    name = "Caseflow"
    case_queries_class = SummaryCaseQueries

    def __init__(self, env: dict[str, str] | None = None, settings: Settings | None = None) -> None:
        super().__init__(env, settings)
        self._working: dict[UUID, Aggregate] = {}
        #: Events written by :meth:`flush` so far.
        self.flushed_events = 0

    def _get(self, aggregate_id: UUID) -> Aggregate | None:
        agg = self._working.get(aggregate_id)
        if agg is None:
            try:
                agg = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
            self._working[aggregate_id] = agg
        return agg

    @overload
    def for_command(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: Literal[False] = ...
    ) -> A: ...

    @overload
    def for_command(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: Literal[True]
    ) -> A | None: ...

    def for_command(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: bool = False
    ) -> A | None:
        """The working set's aggregate itself (no copy: see the module's docstring)."""
        agg = self._get(aggregate_id)
        return typed_or_missing(agg, cls, aggregate_id, what, optional)

    @overload
    def for_query(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: Literal[False] = ...
    ) -> A: ...

    @overload
    def for_query(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: Literal[True]
    ) -> A | None: ...

    def for_query(
        self, cls: type[A], aggregate_id: UUID, what: str = "", *, optional: bool = False
    ) -> A | None:
        """The working set's aggregate (the same object commands change)."""
        if optional:
            return self.for_command(cls, aggregate_id, what, optional=True)
        return self.for_command(cls, aggregate_id, what)

    def save_all(self, *aggregates: Aggregate | None) -> int | None:
        for agg in aggregates:
            if agg is not None:
                self._working[agg.id] = agg
        return None

    def pending(self) -> int:
        """Events recorded in memory and not yet written."""
        return sum(len(a.pending_events) for a in self._working.values())

    def flush(self) -> int:
        """Write every pending event in one transaction, in the order they happened, and
        forget aggregates that will not change again (final cases, index entries)."""
        events: list[Any] = []
        for agg in self._working.values():
            events.extend(agg.collect_events())
        events.sort(key=lambda e: e.timestamp)
        if events:
            recordings = self.save(*events)
            position = max((r.notification.id or 0) for r in recordings)
            for callback in self.after_save:
                callback(position)
        self._working = {
            key: agg
            for key, agg in self._working.items()
            if not isinstance(agg, Index) and not (isinstance(agg, Case) and agg.status.is_final)
        }
        self.flushed_events += len(events)
        return len(events)

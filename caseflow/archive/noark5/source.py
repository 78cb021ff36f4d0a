"""What the extract reads from the store: the ids of the cases and meetings, one
aggregate's events at a time (replayed as the repository does), where each event sits in
the log, and the log itself in batches (decoded one batch at a time). Nothing here holds
more than one aggregate's history; the name books (people, groups) are memoised, a few
hundred entries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.archive.journal import Journal, read_journal
from caseflow.domain.organisation import Group

#: Notifications read per batch from the recorder.
LOG_BATCH = 2000


class Source:
    """The store as the extract reads it."""

    def __init__(self, app: Caseflow) -> None:
        self.app = app
        self._names: dict[str, str] = {}
        self._groups: dict[UUID, str] = {}
        self._journal: Journal | None = None

    @property
    def journal(self) -> Journal:
        """The journal numbering of the whole store (read once, on first use)."""
        if self._journal is None:
            self._journal = read_journal(self.app)
        return self._journal

    def case_ids(self) -> list[UUID]:
        """Every case, in order of proposal."""
        return self.app.case_ids()

    def meeting_ids(self) -> list[UUID]:
        """Every meeting, in the directory's order (scheduling)."""
        with self.app.reading():
            return list(self.app.shared_directory().meetings)

    def history(self, aggregate_id: UUID) -> tuple[Any, list[Any]]:
        """The aggregate as its events make it, and the events (oldest first)."""
        events: list[Any] = list(self.app.events.get(aggregate_id))
        aggregate: Any = None
        for event in events:
            aggregate = event.mutate(aggregate)
        return aggregate, events

    def positions(self, aggregate_id: UUID) -> dict[int, int]:
        """The log position of each of the aggregate's events, by version."""
        log = self.app.history.log
        return log.positions(aggregate_id) if log is not None else {}

    def name(self, actor: str | UUID | None) -> str:
        """A person's name for an event's actor (``Caseflow`` for the system)."""
        key = str(actor or "")
        found = self._names.get(key)
        if found is None:
            with self.app.reading():
                found = self._names[key] = self.app.person_name(actor) or key
        return found

    def group_name(self, group_id: UUID | None) -> str | None:
        if group_id is None:
            return None
        found = self._groups.get(group_id)
        if found is None:
            with self.app.reading():
                group = self.app.for_query(Group, group_id, optional=True)
            found = self._groups[group_id] = group.name if group is not None else str(group_id)
        return found

    def log(self, batch: int = LOG_BATCH) -> Iterator[list[Any]]:
        """The whole log in order, one decoded batch at a time."""
        position = 0
        recorder: Any = self.app.recorder
        while True:
            page = recorder.select_notifications(start=position + 1, limit=batch)
            if not page:
                return
            position = page[-1].id
            yield [self.app.mapper.to_domain_event(n) for n in page]

    def first_time(self) -> Any:
        """When the log's first event happened (None for an empty store)."""
        recorder: Any = self.app.recorder
        page = recorder.select_notifications(start=1, limit=1)
        event: Any = self.app.mapper.to_domain_event(page[0]) if page else None
        return event.timestamp if event is not None else None

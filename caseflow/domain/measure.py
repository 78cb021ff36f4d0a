"""The measures (tiltak) tied to the focus areas of the strategy, which KG follows up
(R18). Who may change them: :func:`caseflow.domain.permissions.may_follow_up_measures`.

``Measure`` was defined in ``caseflow.domain.meeting`` until issue 13; stored events still
name it there, and ``caseflow/application/topics.py`` maps those topics here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.errors import InvalidInput
from caseflow.domain.values import FocusArea

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    PAUSED = "paused"


@dataclass(frozen=True)
class MeasureUpdate:
    status: MeasureStatus
    note: str
    meeting_id: UUID | None
    actor: str
    at: datetime


class Measure(CaseflowAggregate):
    """A measure (tiltak) tied to a focus area of the strategy, followed up by KG (R18)."""

    class Registered(CaseflowAggregate.Created):
        title: str
        focus_area: str
        description: str

    def __init__(self, title: str, focus_area: str, description: str) -> None:
        self.title = title
        self.focus_area = FocusArea(focus_area)
        self.description = description
        self.status = MeasureStatus.PLANNED
        self.updates: list[MeasureUpdate] = []

    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    class StatusUpdated(CaseflowAggregate.Event):
        status: str
        note: str
        meeting_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            aggregate.status = MeasureStatus(self.status)
            aggregate.updates.append(
                MeasureUpdate(
                    MeasureStatus(self.status),
                    self.note,
                    self.meeting_id,
                    self.actor,
                    self.timestamp,
                )
            )

    def update(self, status: MeasureStatus, note: str, meeting_id: UUID | None, by: Grant) -> None:
        if status is self.status and not note.strip():
            raise InvalidInput.field("note", "say what changed when the status stays the same")
        self._record(
            self.StatusUpdated, by, status=status.value, note=note.strip(), meeting_id=meeting_id
        )

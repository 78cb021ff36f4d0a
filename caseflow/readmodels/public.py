"""The public pages' queries on the meetings' read model (issue 18): the open bodies'
meetings without agendas and the numbered case items of their published agendas, as
:class:`~caseflow.readmodels.api.ReadModels` methods (:class:`PublicQueries`, mixed into
:class:`~caseflow.readmodels.service.ReadModelService`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from caseflow.domain.agenda import AgendaItem
from caseflow.readmodels.api import AgendaPlace, MeetingRow
from caseflow.readmodels.base import as_uuid, from_iso

if TYPE_CHECKING:
    from caseflow.readmodels.service import ReadModelService


def _marks(n: int) -> str:
    return ", ".join("?" for _ in range(n))


def meeting_list(service: ReadModelService, bodies: Sequence[str]) -> list[MeetingRow]:
    """The meetings of ``bodies`` by start, without agendas (one query on ``rm_meetings``)."""
    if not bodies:
        return []
    with service._reading("meetings") as tx:
        rows = tx.all(
            "SELECT id, body, title, starts_at, place, group_id, status FROM {t} "
            f"WHERE body IN ({_marks(len(bodies))}) ORDER BY starts_at, id",
            list(bodies),
        )
    return [_meeting_row(r) for r in rows]


def _meeting_row(r: Sequence[Any]) -> MeetingRow:
    starts = from_iso(r[3])
    assert starts is not None
    return MeetingRow(UUID(r[0]), r[1], r[2], starts, r[4], as_uuid(r[5]), r[6])


def agenda_places(
    service: ReadModelService,
    bodies: Sequence[str],
    statuses: Sequence[str],
    case_id: UUID | None = None,
) -> list[AgendaPlace]:
    """Every numbered case item on the agendas of ``bodies``' meetings in ``statuses``
    (only ``case_id``'s, if given), by meeting start: one join of the meetings' tables."""
    if not bodies or not statuses:
        return []
    where = (
        f"m.body IN ({_marks(len(bodies))}) AND m.status IN ({_marks(len(statuses))}) "
        "AND x.case_id IS NOT NULL AND x.number IS NOT NULL"
    )
    params: list[Any] = [*bodies, *statuses]
    if case_id is not None:
        where += " AND x.case_id = ?"
        params.append(case_id.hex)
    with service._reading("meetings") as tx:
        rows = tx.all(
            "SELECT m.id, m.body, m.title, m.starts_at, m.place, m.group_id, m.status, "
            "x.case_id, x.number, x.year, x.title, x.standing FROM {t_agenda} x "
            f"JOIN {{t}} m ON m.id = x.meeting_id WHERE {where} ORDER BY m.starts_at, x.ord",
            params,
        )
    places = []
    for r in rows:
        item = AgendaItem(r[8], r[9], r[10], as_uuid(r[7]), bool(r[11]))
        places.append(AgendaPlace(_meeting_row(r[:7]), UUID(r[7]), item.label))
    return places


class PublicQueries:
    """The public pages' two queries (issue 18) as :class:`ReadModels` methods, mixed into
    :class:`~caseflow.readmodels.service.ReadModelService`."""

    def meeting_list(self, bodies: Sequence[str]) -> list[MeetingRow]:
        return meeting_list(cast("ReadModelService", self), bodies)

    def agenda_places(
        self, bodies: Sequence[str], statuses: Sequence[str], case_id: UUID | None = None
    ) -> list[AgendaPlace]:
        return agenda_places(cast("ReadModelService", self), bodies, statuses, case_id)

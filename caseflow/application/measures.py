"""The strategy's measures (tiltak) and KG's follow-up of them (R18)."""

from __future__ import annotations

from uuid import UUID

from caseflow.application.core import CaseflowCore
from caseflow.application.numbering import stamp
from caseflow.application.views import MeasureUpdateView, MeasureView
from caseflow.domain.errors import InvalidInput
from caseflow.domain.measure import Measure, MeasureStatus
from caseflow.domain.meeting import Meeting
from caseflow.domain.permissions import may_follow_up_measures
from caseflow.domain.values import FocusArea, MeetingBody


class MeasureService:
    """Measures by focus area, followed up at KG meetings."""

    def __init__(self, core: CaseflowCore) -> None:
        self.core = core

    def register_measure(
        self,
        actor_id: UUID | str | None,
        title: str,
        focus_area: FocusArea | str,
        description: str = "",
    ) -> MeasureView:
        """Register a measure (tiltak) of the strategy under a focus area."""
        if not title.strip():
            raise InvalidInput.field("title", "required")
        try:
            area = FocusArea(focus_area)
        except ValueError:
            raise InvalidInput.field(
                "focus_area", "unknown focus area %(value)r", value=focus_area
            ) from None

        def command() -> MeasureView:
            grant = may_follow_up_measures(
                self.core.actor(actor_id, groups=[self.core.kg_id()]), self.core.kg_id()
            )
            measure = Measure._create(
                Measure.Registered,
                title=title.strip(),
                focus_area=area.value,
                description=description.strip(),
                **stamp(grant),
            )
            directory = self.core.directory()
            directory.list_measure(measure.id, grant)
            self.core.save_all(measure, directory)
            return self.measure_view(measure)

        return self.core.retrying(command)

    def update_measure(
        self,
        actor_id: UUID | str | None,
        measure_id: UUID,
        status: MeasureStatus | str,
        note: str = "",
        meeting_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> MeasureView:
        """KG's follow-up of a measure (R18), optionally at a KG meeting; a stale
        ``expected_version`` is refused (409)."""
        try:
            new_status = MeasureStatus(status)
        except ValueError:
            raise InvalidInput.field("status", "unknown status %(value)r", value=status) from None

        def command() -> MeasureView:
            grant = may_follow_up_measures(
                self.core.actor(actor_id, groups=[self.core.kg_id()]), self.core.kg_id()
            )
            if meeting_id is not None:
                meeting = self.core.for_query(Meeting, meeting_id, "meeting")
                if meeting.body is not MeetingBody.KG:
                    raise InvalidInput.field(
                        "meeting_id", "measures are followed up at KG meetings"
                    )
            measure = self.core.for_command(Measure, measure_id, "measure")
            self.core.check_version(measure, expected_version)
            measure.update(new_status, note, meeting_id, grant)
            self.core.save_all(measure)
            return self.measure_view(measure)

        return self.core.retrying(command)

    def measure_view(self, measure: Measure) -> MeasureView:
        return MeasureView(
            id=measure.id,
            title=measure.title,
            focus_area=measure.focus_area.value,
            description=measure.description,
            status=measure.status.value,
            updates=[
                MeasureUpdateView(
                    u.status.value, u.note, u.meeting_id, self.core.person_name(u.actor), u.at
                )
                for u in measure.updates
            ],
            version=measure.version,
        )

    def list_measures(
        self, focus_area: FocusArea | str | None = None
    ) -> dict[str, list[MeasureView]]:
        """Measures by focus area (every focus area is present, possibly empty)."""
        grouped: dict[str, list[MeasureView]] = {a.value: [] for a in FocusArea}
        for mid in self.core.shared_directory().measures:
            measure = self.core.for_query(Measure, mid, optional=True)
            if measure is not None:
                grouped[measure.focus_area.value].append(self.measure_view(measure))
        if focus_area is not None:
            key = FocusArea(focus_area).value
            return {key: grouped[key]}
        return grouped

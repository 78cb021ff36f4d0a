"""The JSON API's measures (``/api/v1/measures…``, R18): the list and one measure for KG's
members and those who read everything, registering and following up for KG's
non-observer members — the same checks as the measure pages (web/measures.py)."""

from __future__ import annotations

from uuid import UUID

from flask import request
from flask.typing import ResponseReturnValue

from caseflow.application.views import MeasureView
from caseflow.domain.errors import NotFoundError
from web.api import api, body, dump, paged
from web.context import after_write, caseflow, user_id
from web.measures import _require_reader
from web.messages import N_
from web.schemas import MeasureCreateSchema, MeasureQuerySchema, MeasureStatusSchema
from web.schemas_out import MeasurePageSchema, MeasureSchema


def _measures(focus_area: str | None = None) -> list[MeasureView]:
    grouped = caseflow().list_measures(focus_area)
    return [m for area in grouped.values() for m in area]


def _measure(measure_id: UUID) -> MeasureView:
    for m in _measures():
        if m.id == measure_id:
            return m
    raise NotFoundError(N_("measure not found"), id=str(measure_id))


@api(
    "/measures",
    "GET",
    summary="The strategy's measures (R18), optionally of one focus area (KG and readers of "
    "everything)",
    query=MeasureQuerySchema,
    response=MeasurePageSchema,
    errors=(401, 403),
)
def measures() -> ResponseReturnValue:
    q = MeasureQuerySchema().load(request.args.to_dict())
    _require_reader()
    return paged(MeasurePageSchema, _measures(q["focus_area"]), q)


@api(
    "/measures/<uuid:measure_id>",
    "GET",
    summary="One measure with its follow-up",
    response=MeasureSchema,
    errors=(401, 403, 404),
)
def measure(measure_id: UUID) -> ResponseReturnValue:
    _require_reader()
    return dump(MeasureSchema, _measure(measure_id))


@api(
    "/measures",
    "POST",
    summary="Register a measure under a focus area (KG's non-observer members, R18)",
    body=MeasureCreateSchema,
    response=MeasureSchema,
    status=201,
    errors=(401, 403),
)
def register_measure() -> ResponseReturnValue:
    _require_reader()
    data = MeasureCreateSchema().load(body())
    view = caseflow().register_measure(
        user_id(), data["title"], data["focus_area"], data["description"]
    )
    after_write()
    return dump(MeasureSchema, _measure(view.id), 201)


@api(
    "/measures/<uuid:measure_id>/status",
    "POST",
    summary="KG's follow-up of a measure: its status now and what changed, optionally at a "
    "KG meeting (R18)",
    body=MeasureStatusSchema,
    response=MeasureSchema,
    errors=(401, 403, 404, 409),
)
def update_measure(measure_id: UUID) -> ResponseReturnValue:
    _require_reader()
    found = _measure(measure_id)
    data = MeasureStatusSchema().load(body())
    caseflow().update_measure(
        user_id(),
        found.id,
        data["status"],
        data["note"],
        data["meeting_id"],
        data["expected_version"],
    )
    after_write()
    return dump(MeasureSchema, _measure(found.id))

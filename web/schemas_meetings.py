"""Schemas of the secretariat's meeting forms (HTML, ``/meetings/…``). Like every input
schema they derive from :class:`web.schemas.EdgeSchema` (through ``InputSchema``), so text
and dates get the edge checks; the application checks everything again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import fields, validate

from caseflow.domain import localtime
from caseflow.domain.meeting import AttachmentKind
from caseflow.domain.values import MeetingBody
from web.forms import Upload
from web.schemas import REQUIRED, InputSchema, Text, _required, one_of


class LocalDateTime(fields.DateTime):
    """A ``datetime-local`` input: a time without an offset is ``CASEFLOW_TIMEZONE``'s
    wall-clock time (Europe/Oslo by default)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment if moment.tzinfo else moment.replace(tzinfo=localtime.zone())


class ScheduleFormSchema(InputSchema):
    body = _required(fields.String(required=True, validate=one_of(MeetingBody)))
    starts_at = _required(LocalDateTime(required=True))
    ends_at = LocalDateTime(load_default=None, allow_none=True)
    place = Text(load_default="", max_length=200)
    title = Text(load_default="", max_length=300)
    group_id = fields.UUID(load_default=None, allow_none=True)
    digital = fields.Boolean(load_default=False)


class VersionedSchema(InputSchema):
    """A meeting form carries the version of the meeting the page showed: a change made
    meanwhile by someone else is refused (409) instead of applied blindly."""

    expected_version = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1)
    )


class AgendaItemFormSchema(VersionedSchema):
    title = Text(required=True)


class StandardItemsFormSchema(VersionedSchema):
    part = fields.String(load_default="opening", validate=one_of(["opening", "closing", "all"]))


class PlaceCaseFormSchema(VersionedSchema):
    case = Text(required=True, max_length=100)


class MoveItemFormSchema(VersionedSchema):
    """Order the waiting agenda: ``direction`` up/down, or a ``position`` (1 = first)."""

    item = Text(required=True, max_length=40)
    direction = fields.String(load_default=None, allow_none=True, validate=one_of(["up", "down"]))
    position = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=10000)
    )


class ItemReasonFormSchema(VersionedSchema):
    """Postpone or withdraw an item, with the reason."""

    item = Text(required=True, max_length=40)
    reason = Text(required=True, max_length=2000)


class CancelFormSchema(VersionedSchema):
    reason = Text(required=True, max_length=2000)


class AttachmentFormSchema(VersionedSchema):
    file = Upload(required=True, error_messages={"required": REQUIRED})
    kind = fields.String(
        load_default=AttachmentKind.DOCUMENT.value, validate=one_of(AttachmentKind)
    )
    title = Text(load_default="")
    item_number = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=10000),
    )


class ButtonFormSchema(VersionedSchema):
    """A form that is only a button (its CSRF token and the meeting's version)."""

"""Marshmallow schemas of what the JSON API answers (the input schemas are in
:mod:`web.schemas`); ``/api/v1/openapi.json`` describes its responses with these."""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from marshmallow import Schema, fields

from caseflow.application.views import CaseFields
from caseflow.domain.values import GroupKind, MeetingBody, Stance, Step


class Translated(fields.String):
    """A warning, step reason or message key (:class:`caseflow.domain.errors.Message`),
    written in the reader's language."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        from web.i18n import translate_text

        return translate_text(value)


class ActorId(fields.String):
    """Who acted: a person's id as a dashed UUID (events store 32 hex digits), or
    ``system``."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        try:
            return str(UUID(str(value)))
        except ValueError:
            return str(value)


def plain(value: Any) -> Any:
    """``value`` as JSON data the way every answer writes it: times ISO 8601 with their
    zone (UTC when stored without one), dates ISO 8601, ids dashed UUIDs."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class PlainData(fields.Dict):
    """An event's own data, written as :func:`plain` writes it."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else plain(value)


class PageFields(Schema):
    """The envelope of every list: one page of ``items`` and how many there are."""

    total = fields.Integer(required=True, metadata={"description": "items in all pages"})
    page = fields.Integer(required=True, metadata={"description": "this page, from 1"})
    per_page = fields.Integer(required=True)


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    rule = fields.String(allow_none=True)
    field_errors = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        allow_none=True,
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class StepOptionSchema(Schema):
    step = fields.String(metadata={"enum": [s.value for s in Step]})
    allowed = fields.Boolean()
    rule = fields.String(allow_none=True)
    reason = Translated(allow_none=True, metadata={"description": "in the caller's language"})


class AdviceOutSchema(Schema):
    person_id = fields.UUID()
    name = fields.String()
    stance = fields.String(metadata={"enum": [s.value for s in Stance]})
    text = fields.String()
    on_behalf_of = fields.String()
    as_invited_leader = fields.Boolean()
    revision = fields.Integer()
    at = fields.DateTime()


#: Marshmallow fields for the plain types of the application's views.
_FIELD_FOR: dict[type, type[fields.Field]] = {
    UUID: fields.UUID,
    str: fields.String,
    int: fields.Integer,
    bool: fields.Boolean,
    datetime: fields.DateTime,
    date: fields.Date,
}


def schema_from_view(view: type, name: str) -> type[Schema]:
    """A schema whose fields are derived from a view dataclass's plain-typed fields
    (``X | None`` allows None), so a view's fields are declared once, on the view."""
    declared: dict[str, fields.Field] = {}
    for f in dataclasses.fields(view):
        kind = typing.get_type_hints(view)[f.name]
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(kind))
        base = args[0] if nullable and len(args) == 1 else kind
        declared[f.name] = _FIELD_FOR[base](allow_none=nullable)
    return Schema.from_dict(declared, name=name)


#: The case fields shared by the full case (:class:`CaseSchema`) and its list row
#: (:class:`CaseRowSchema`), derived from :class:`~caseflow.application.views.CaseFields`;
#: each schema adds only what is its own.
if typing.TYPE_CHECKING:  # mypy cannot follow a class made at run time; it sees a Schema
    CaseFieldsSchema = Schema
else:
    CaseFieldsSchema = schema_from_view(CaseFields, "CaseFieldsSchema")


class ScreeningSchema(Schema):
    """How a case, document or free agenda item is screened (issue 18)."""

    legal_basis = fields.String(metadata={"description": "the hjemmel, e.g. Offl. § 23"})
    legal_basis_key = fields.String(
        metadata={"description": "its key in the list (GET /screening/legal-bases), or other"}
    )
    public_title = fields.String(metadata={"description": "the title the public sees"})
    words = fields.List(
        fields.String(), metadata={"description": "the screened words (never shown publicly)"}
    )


class CaseSchema(CaseFieldsSchema):
    summary = fields.String()
    status_since = fields.DateTime(allow_none=True)  # a state as of a version may have none
    proposed_at = fields.DateTime()
    modified_at = fields.DateTime()
    decline_reason = fields.String(allow_none=True)
    document = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)
    document_revisions = fields.Integer()
    kg_meeting_id = fields.UUID(allow_none=True)
    invited = fields.List(fields.UUID())
    advice = fields.List(fields.Nested(AdviceOutSchema))
    advice_history = fields.List(fields.Nested(AdviceOutSchema))
    advice_summary = fields.String(allow_none=True)
    advice_waived = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    postponements = fields.List(fields.String())
    withdraw_reason = fields.String(allow_none=True)
    next_steps = fields.List(fields.Nested(StepOptionSchema))
    warnings = fields.List(Translated())
    screening = fields.Nested(
        ScreeningSchema, allow_none=True, metadata={"description": "null: public (issue 18)"}
    )


class CaseRowSchema(CaseFieldsSchema):
    advice_received = fields.Integer()
    advice_expected = fields.Integer()
    last_change = fields.DateTime()
    screened = fields.Boolean(metadata={"description": "screened (skjermet), issue 18"})
    legal_basis = fields.String(allow_none=True, metadata={"description": "its hjemmel"})


class CasePageSchema(PageFields):
    items = fields.List(fields.Nested(CaseRowSchema), required=True)


class EventSchema(Schema):
    version = fields.Integer()
    type = fields.String()
    time = fields.DateTime()
    actor = ActorId(metadata={"description": "a person's id, or 'system'"})
    actor_name = fields.String()
    role = fields.String()
    on_behalf_of = fields.String(allow_none=True)
    data = PlainData(metadata={"description": "the event's own fields; times ISO 8601"})
    position = fields.Integer(
        allow_none=True, metadata={"description": "the event's place in the one log"}
    )


class HistorySchema(Schema):
    case_id = fields.UUID()
    reference = fields.String()
    events = fields.List(fields.Nested(EventSchema))
    at_version = fields.Integer()
    state = fields.Nested(CaseSchema)


class MemberSchema(Schema):
    person_id = fields.UUID()
    name = fields.String()
    role = fields.String()
    on_behalf_of = fields.String()
    since = fields.DateTime()


class AppointmentRecordSchema(Schema):
    """How the current leader or deputy was appointed (R4)."""

    position = fields.String()
    person_id = fields.UUID()
    name = fields.String()
    recorded_by = fields.UUID(allow_none=True)
    recorded_by_name = fields.String()
    recorded_as = fields.String()
    confirmed_by = fields.UUID(allow_none=True)
    confirmed_by_name = fields.String(allow_none=True)
    at = fields.DateTime()


class GroupSchema(Schema):
    id = fields.UUID()
    slug = fields.String()
    name = fields.String()
    short_name = fields.String()
    kind = fields.String(metadata={"enum": [k.value for k in GroupKind]})
    focus_area = fields.String(allow_none=True)
    financing = fields.Dict(allow_none=True)
    members = fields.List(fields.Nested(MemberSchema))
    leader = fields.UUID(allow_none=True)
    deputy = fields.UUID(allow_none=True)
    spread = fields.Dict(keys=fields.String(), values=fields.Integer())
    gaps = fields.List(fields.String())
    version = fields.Integer()
    appointments = fields.List(fields.Nested(AppointmentRecordSchema))


class PersonSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    email = fields.String()
    organisation = fields.Dict()
    region = fields.String(allow_none=True)
    system_roles = fields.List(fields.String())
    version = fields.Integer()


class SeatSchema(Schema):
    group_id = fields.UUID()
    group = fields.String()
    kind = fields.String()
    role = fields.String()
    on_behalf_of = fields.String()


class MeSchema(PersonSchema):
    memberships = fields.List(fields.Nested(SeatSchema))


class OrganisationsSchema(Schema):
    regions = fields.List(fields.Dict())
    secretariat = fields.Dict()
    external = fields.List(fields.Dict())


class AgendaItemSchema(Schema):
    number = fields.Integer(
        allow_none=True, metadata={"description": "null while the item waits for the invitation"}
    )
    label = fields.String()
    title = fields.String()
    case_id = fields.UUID(allow_none=True)
    standing = fields.Boolean()
    case_reference = fields.String(allow_none=True)
    case_kind = fields.String(allow_none=True)
    withheld = fields.Boolean(
        metadata={"description": "the caller may not see the item's case: number only"}
    )
    # issue 14: the item's identity and place, and its marks
    key = fields.String(metadata={"description": "the item's identity, whatever its number"})
    position = fields.Integer(metadata={"description": "place in printed order (1 = first)"})
    supplementary = fields.Boolean(metadata={"description": "tilleggssak"})
    postponed = fields.Boolean(metadata={"description": "utsatt (kept with its number)"})
    withdrawn = fields.Boolean(metadata={"description": "trukket (kept with its number)"})
    note = fields.String(metadata={"description": "the reason given for the mark"})
    decision = fields.String(metadata={"description": "the minutes' decision (vedtak)"})
    # issue 18: a free item's screening (an item for a case follows its case)
    screening = fields.Nested(ScreeningSchema, allow_none=True)
    public_title = fields.String(metadata={"description": "the title the public sees"})


class SupplementSchema(Schema):
    """A supplementary invitation (tilleggsinnkalling), issue 14."""

    sent_at = fields.DateTime()
    recipients = fields.List(fields.UUID())
    item_keys = fields.List(fields.String())
    item_labels = fields.List(fields.String())


class AttachmentSchema(Schema):
    sha256 = fields.String()
    filename = fields.String()
    size = fields.Integer()
    media_type = fields.String()
    kind = fields.String()
    title = fields.String()
    item_number = fields.Integer(allow_none=True)
    source_meeting_id = fields.UUID(allow_none=True)
    rule = fields.String(allow_none=True)
    added_at = fields.DateTime()


class InviteeSchema(Schema):
    person_id = fields.UUID()
    name = fields.String()
    reason = fields.String()
    rule = fields.String(allow_none=True)
    case_id = fields.UUID(allow_none=True)
    withheld = fields.Boolean(
        metadata={"description": "invited for a case the caller may not see: no reason"}
    )


class MeetingSchema(Schema):
    id = fields.UUID()
    body = fields.String(metadata={"enum": [b.value for b in MeetingBody]})
    title = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime(allow_none=True)
    place = fields.String()
    digital = fields.Boolean()
    status = fields.String()
    group_id = fields.UUID(allow_none=True)
    group_ids = fields.List(fields.UUID())
    held = fields.Boolean()
    agenda = fields.List(fields.Nested(AgendaItemSchema))
    invitees = fields.List(fields.Nested(InviteeSchema))
    attachments = fields.List(fields.Nested(AttachmentSchema))
    invitation_sent_at = fields.DateTime(allow_none=True)
    approved_minutes = fields.String(allow_none=True)
    warnings = fields.List(Translated())
    version = fields.Integer()
    supplements = fields.List(fields.Nested(SupplementSchema))  # issue 14
    unsent_supplementary = fields.List(
        fields.String(), metadata={"description": "keys of supplementary items not yet sent"}
    )
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    present = fields.List(fields.UUID(), metadata={"description": "the minutes' attendance"})
    absent = fields.List(fields.UUID())


class MeetingPageSchema(PageFields):
    items = fields.List(fields.Nested(MeetingSchema), required=True)


class GroupPageSchema(PageFields):
    items = fields.List(fields.Nested(GroupSchema), required=True)


class AuditRowSchema(Schema):
    position = fields.Integer()
    time = fields.DateTime()
    actor = ActorId(metadata={"description": "a person's id, or 'system'"})
    actor_name = fields.String()
    role = fields.String()
    on_behalf_of = fields.String(allow_none=True)
    type = fields.String()
    aggregate_type = fields.String()
    aggregate_id = fields.UUID()
    version = fields.Integer()
    summary = fields.String()
    case_id = fields.UUID(allow_none=True)
    chain_hash = fields.String(allow_none=True)


class AuditPageSchema(PageFields):
    items = fields.List(fields.Nested(AuditRowSchema), required=True)


class VerifySchema(Schema):
    ok = fields.Boolean()
    events = fields.Integer()
    head_position = fields.Integer(allow_none=True)
    head_hash = fields.String(allow_none=True)
    first_bad_position = fields.Integer(allow_none=True)
    kind = fields.String(allow_none=True)
    message = fields.String()
    digests_checked = fields.Integer()


class MeasureUpdateSchema(Schema):
    status = fields.String(metadata={"enum": ["planned", "in_progress", "done", "paused"]})
    note = fields.String()
    meeting_id = fields.UUID(allow_none=True)
    actor_name = fields.String()
    at = fields.DateTime()


class MeasureSchema(Schema):
    """A measure (tiltak) of the strategy and KG's follow-up of it (R18)."""

    id = fields.UUID()
    title = fields.String()
    focus_area = fields.String()
    description = fields.String()
    status = fields.String(metadata={"enum": ["planned", "in_progress", "done", "paused"]})
    updates = fields.List(fields.Nested(MeasureUpdateSchema))
    version = fields.Integer()


class MeasurePageSchema(PageFields):
    items = fields.List(fields.Nested(MeasureSchema), required=True)

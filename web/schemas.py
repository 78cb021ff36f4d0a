"""Marshmallow schemas: every form and JSON body is loaded through one of these, and the
OpenAPI document (``/api/v1/openapi.json``) is generated from the same classes (the
schemas of the answers are in :mod:`web.schemas_out`).

Every input schema derives from :class:`EdgeSchema`, which makes each of its string fields
refuse control characters, NUL, lone surrogates and non-characters, and each of its date
and date-time fields refuse dates outside 1900-01-01 … 2200-12-31, with the domain's own
messages (:mod:`caseflow.domain.text`), so a form or JSON body names the field precisely.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from caseflow.domain.measure import MeasureStatus
from caseflow.domain.text import DATE_REFUSED, TEXT_REFUSED, in_date_range, is_plain_text
from caseflow.domain.values import (
    CaseKind,
    CaseStatus,
    FocusArea,
    GroupRole,
    MeetingBody,
    Stance,
    Step,
    SystemRole,
)
from web.messages import N_

REQUIRED = N_("This field is required.")
CHOOSE = N_("Choose one of the options.")
EMPTY = N_("May not be empty: leave the parameter out instead.")

#: marshmallow's own messages, by field class and error name, as message keys of ours
#: (translated like every other key; its English defaults are not).
KEYED_MESSAGES: dict[type[fields.Field], dict[str, str]] = {
    fields.Field: {
        "required": REQUIRED,
        "null": N_("Field may not be null."),
        "validator_failed": N_("Invalid value."),
    },
    fields.String: {
        "invalid": N_("Not a valid string."),
        "invalid_utf8": N_("Not a valid string."),
    },
    fields.UUID: {"invalid_uuid": N_("Not a valid UUID.")},
    fields.Integer: {"invalid": N_("Not a valid integer.")},
    fields.Number: {"too_large": N_("Number too large.")},
    fields.Boolean: {"invalid": N_("Not a valid true/false value.")},
    fields.DateTime: {
        "invalid": N_("Not a valid datetime."),
        "invalid_awareness": N_("Not a valid date and time with a time zone (ISO 8601)."),
        "format": N_("Not a valid datetime."),
    },
    fields.Date: {
        "invalid": N_("Not a valid date."),
        "format": N_("Not a valid date."),
    },
    fields.Email: {"invalid": N_("Not a valid email address.")},
    fields.List: {"invalid": N_("Not a valid list.")},
    fields.Dict: {"invalid": N_("Not a valid object.")},
}

BETWEEN = N_("Must be between %(min)s and %(max)s.")
AT_LEAST = N_("Must be at least %(min)s.")
AT_MOST = N_("Must be at most %(max)s.")
LONGER = N_("At most %(max)s characters.")
SHORTER = N_("At least %(min)s characters.")


class KeyedRange(validate.Range):
    """:class:`validate.Range` whose refusal is a message key with its bounds."""

    def __call__(self, value: Any) -> Any:
        try:
            return super().__call__(value)
        except ValidationError:
            key = BETWEEN if self.min is not None and self.max is not None else None
            key = key or (AT_LEAST if self.min is not None else AT_MOST)
            raise ValidationError([(key, {"min": self.min, "max": self.max})]) from None


class KeyedLength(validate.Length):
    """:class:`validate.Length` whose refusal is a message key with its bounds."""

    def __call__(self, value: Any) -> Any:
        try:
            return super().__call__(value)
        except ValidationError:
            short = self.min is not None and len(value) < self.min
            key = SHORTER if short else LONGER
            raise ValidationError([(key, {"min": self.min, "max": self.max})]) from None


def keyed(field: fields.Field) -> None:
    """Give ``field`` (and the fields inside it) our message keys where it would use
    marshmallow's English defaults, its own bounds checks included."""
    defaults: dict[str, Any] = {}
    ours: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
        ours.update(KEYED_MESSAGES.get(cls, {}))
    for name, key in ours.items():
        if field.error_messages.get(name) == defaults.get(name):
            field.error_messages[name] = key
    for i, v in enumerate(field.validators):
        if type(v) is validate.Range and v.error is None:
            field.validators[i] = KeyedRange(
                v.min, v.max, min_inclusive=v.min_inclusive, max_inclusive=v.max_inclusive
            )
        elif type(v) is validate.Length and v.error is None and v.equal is None:
            field.validators[i] = KeyedLength(v.min, v.max)
    inner = [getattr(field, "inner", None), getattr(field, "value_field", None)]
    for f in inner:
        if isinstance(f, fields.Field):
            keyed(f)


def one_of(values: Any) -> validate.OneOf:
    return validate.OneOf([v.value if hasattr(v, "value") else v for v in values], error=CHOOSE)


class Text(fields.String):
    """A string that is stripped; a required one may not be blank."""

    def __init__(self, *, max_length: int = 20000, **kwargs: Any) -> None:
        shortest = 1 if kwargs.get("required") else None
        kwargs.setdefault(
            "validate", validate.Length(min=shortest, max=max_length, error=N_("Too long."))
        )
        super().__init__(**kwargs)
        self.error_messages["required"] = REQUIRED
        if self.required:  # the document says what the server does: not blank either
            cast(dict[str, Any], self.metadata)["not"] = {"pattern": f"{REFUSED}|{BLANK}"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(super()._deserialize(value, attr, data, **kwargs)).strip()
        if not text and self.required:
            raise self.make_error("required")
        return text


def _required(field: fields.Field) -> fields.Field:
    field.error_messages["required"] = REQUIRED
    return field


def plain_text(value: Any) -> None:
    """Validator: refuse the characters that the domain refuses in text."""
    if isinstance(value, str) and not is_plain_text(value):
        raise ValidationError(TEXT_REFUSED)


def sane_date(value: Any) -> None:
    """Validator: refuse dates (and date-times) outside 1900-01-01 … 2200-12-31."""
    if isinstance(value, date) and not in_date_range(value):
        raise ValidationError(DATE_REFUSED)


#: The characters text may not hold (:data:`caseflow.domain.text.FORBIDDEN`), as the
#: OpenAPI document states them: a pattern on every string the API reads.
#: (The non-characters of the planes above the first, U+1FFFE … U+10FFFF, are refused
#: too; a pattern cannot name them portably without the regex "u" flag.)
_REFUSED = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufdd0-\\ufdef\\ufffe\\uffff"
#: A string holds none of them: ``{"not": {"pattern": REFUSED}}``; a required one is not
#: blank either: ``{"not": {"pattern": REFUSED|BLANK}}``. (``^[^…]*$`` or ``\\S`` would say
#: the same, but merged with a large ``maxLength`` they make request generators slow.)
REFUSED = f"[{_REFUSED}]"
BLANK = "^\\s*$"


def guard(field: fields.Field) -> None:
    """Give ``field`` (and the fields inside a list, tuple or dict) the edge validators,
    and state them in the OpenAPI document (a string's ``not: {pattern}``)."""
    if isinstance(field, fields.String) and plain_text not in field.validators:
        field.validators.append(plain_text)
        cast(dict[str, Any], field.metadata).setdefault("not", {"pattern": REFUSED})
    elif isinstance(field, fields.Date | fields.DateTime) and sane_date not in field.validators:
        field.validators.append(sane_date)
    elif isinstance(field, fields.List):
        guard(field.inner)
    elif isinstance(field, fields.Tuple):
        for inner in field.tuple_fields:
            guard(inner)
    elif isinstance(field, fields.Dict):
        for mapped in (field.key_field, field.value_field):
            if mapped is not None:
                guard(mapped)


class EdgeSchema(Schema):
    """The base of every schema that reads input (issue 12, findings 1, 3 and 9): every
    string field refuses what :mod:`caseflow.domain.text` refuses, every date field dates
    out of range — declared once here, not field by field. The domain checks again
    where events are built, for the CLI and scripts."""

    error_messages = {"unknown": N_("Unknown field."), "type": N_("Invalid input type.")}

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        super().on_bind_field(field_name, field_obj)
        guard(field_obj)
        keyed(field_obj)


class InputSchema(EdgeSchema):
    """Bodies refuse unknown fields (a typo should not be silently dropped)."""


class QuerySchema(EdgeSchema):
    """A query: unknown parameters are ignored, an empty one (``meeting=``) is refused
    (leave it out to mean "any")."""

    class Meta:
        unknown = EXCLUDE

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        super().on_bind_field(field_name, field_obj)
        if isinstance(field_obj, fields.String):  # the document says: not empty (below)
            cast(dict[str, Any], field_obj.metadata).setdefault("minLength", 1)

    @pre_load
    def no_empty_values(self, data: Any, **kwargs: Any) -> Any:
        if hasattr(data, "items"):
            empty = {k: [EMPTY] for k, v in data.items() if v == "" and k in self.fields}
            if empty:
                raise ValidationError(empty)
        return data


class PageQuerySchema(QuerySchema):
    """Paging of every list of the API: ``page`` from 1, ``per_page`` up to 500."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class Versioned(InputSchema):
    expected_version = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, error=N_("Must be at least 1.")),
        metadata={"description": "the version the caller saw; a stale one gives 409"},
    )


# -- login -------------------------------------------------------------------------------


class LoginSchema(InputSchema):
    email = Text(required=True, max_length=320)
    password = _required(
        fields.String(required=True, validate=validate.Length(min=1, max=1000, error=REQUIRED))
    )


# -- cases --------------------------------------------------------------------------------


class ProposeSchema(InputSchema):
    title = Text(required=True, max_length=300)
    summary = Text(required=True)
    kind = fields.String(load_default=CaseKind.BOARD_CASE.value, validate=one_of(CaseKind))
    focus_area = fields.String(load_default=None, allow_none=True, validate=one_of(FocusArea))
    group_id = _required(fields.UUID(required=True))


class AcceptSchema(Versioned):
    case_officer = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "default: the caller"}
    )


class ReasonSchema(Versioned):
    reason = Text(required=True)


class DraftSchema(Versioned):
    background = Text(load_default="")
    assessment = Text(load_default="")
    proposed_resolution = Text(load_default="")
    political_involvement = Text(
        load_default="",
        metadata={"description": "R19: how the region's politicians should be involved"},
    )

    @validates_schema
    def not_empty(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not any(data.get(k) for k in DOCUMENT_FIELDS):
            raise ValidationError(N_("the document is empty"), "background")


DOCUMENT_FIELDS = ("background", "assessment", "proposed_resolution", "political_involvement")


class RequestAdviceSchema(Versioned):
    deadline = _required(
        fields.Date(
            required=True,
            metadata={
                "description": "today or later (a past deadline is refused, 422); a deadline "
                "after the KG meeting is recorded with a warning (the answer's warnings)"
            },
        )
    )
    kg_meeting_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "the KG meeting that should treat the case"},
    )


class AdviceSchema(Versioned):
    stance = _required(fields.String(required=True, validate=one_of(Stance)))
    text = Text(load_default="")

    @validates_schema
    def explained(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("stance") not in (None, Stance.NO_COMMENT.value) and not data.get("text"):
            raise ValidationError(N_("Explain the stance (required unless no comment)."), "text")


class CloseAdviceSchema(Versioned):
    summary = Text(required=True)


class ReadySchema(Versioned):
    pass


class SubmitSchema(Versioned):
    meeting_id = _required(fields.UUID(required=True))


class DecisionSchema(Versioned):
    resolution = Text(required=True)


STEP_SCHEMAS: dict[Step, type[Versioned]] = {
    Step.ACCEPT: AcceptSchema,
    Step.DECLINE: ReasonSchema,
    Step.DRAFT: DraftSchema,
    Step.REQUEST_ADVICE: RequestAdviceSchema,
    Step.ADVICE: AdviceSchema,
    Step.CLOSE_ADVICE: CloseAdviceSchema,
    Step.WAIVE_ADVICE: ReasonSchema,
    Step.READY: ReadySchema,
    Step.SUBMIT: SubmitSchema,
    Step.DECISION: DecisionSchema,
    Step.POSTPONE: ReasonSchema,
    Step.WITHDRAW: ReasonSchema,
}


class CaseQuerySchema(QuerySchema):
    status = fields.String(load_default=None, validate=one_of(CaseStatus))
    group = fields.String(load_default=None, validate=validate.Length(max=100))
    focus_area = fields.String(load_default=None, validate=one_of(FocusArea))
    meeting = fields.UUID(load_default=None)
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    overdue = fields.Boolean(
        load_default=False,
        metadata={"description": "only open advice rounds whose deadline has passed"},
    )
    idle = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=3650),
        metadata={"description": "only open cases in their status for this many days or more"},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=200))


class HistoryQuerySchema(QuerySchema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1, max=10**9))
    as_of = fields.AwareDateTime(load_default=None, default_timezone=None)

    @validates_schema
    def one_of_them(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("version") is not None and data.get("as_of") is not None:
            raise ValidationError(N_("Give a version or a moment, not both."), "as_of")


# -- organisation ------------------------------------------------------------------------


class PersonCreateSchema(InputSchema):
    name = Text(required=True, max_length=200)
    email = _required(fields.Email(required=True, validate=validate.Length(max=320)))
    organisation = Text(
        required=True,
        max_length=200,
        metadata={"description": "a municipality's number or name, or an external organisation"},
    )
    roles = fields.List(fields.String(validate=one_of(SystemRole)), load_default=list)


class MembershipSchema(Versioned):
    person_id = _required(fields.UUID(required=True))
    role = fields.String(
        load_default=GroupRole.MEMBER.value,
        validate=one_of([GroupRole.MEMBER, GroupRole.OBSERVER]),
    )
    on_behalf_of = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=200)
    )


class AppointmentSchema(Versioned):
    person_id = _required(fields.UUID(required=True))
    role = _required(
        fields.String(required=True, validate=one_of([GroupRole.LEADER, GroupRole.DEPUTY]))
    )
    confirmed_by = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "R4: a second non-observer member of the group who confirms the "
            "appointment; required when the appointee records their own appointment"
        },
    )


class MeetingCreateSchema(InputSchema):
    body = _required(fields.String(required=True, validate=one_of(MeetingBody)))
    starts_at = _required(fields.AwareDateTime(required=True))
    place = Text(load_default="Oslo rådhus", max_length=200)
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    group_id = fields.UUID(load_default=None, allow_none=True)
    ends_at = fields.AwareDateTime(load_default=None, allow_none=True)
    digital = fields.Boolean(load_default=False)
    group_ids = fields.List(fields.UUID(), load_default=list)


class AuditQuerySchema(QuerySchema):
    actor = fields.String(load_default=None, validate=validate.Length(max=100))
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)
    type = fields.String(load_default=None, validate=validate.Length(max=100))
    case = fields.String(load_default=None, validate=validate.Length(max=100))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


# -- measures (R18) ------------------------------------------------------------------------


class MeasureCreateSchema(InputSchema):
    """Register a measure (tiltak) of the strategy under a focus area."""

    title = Text(required=True, max_length=300)
    focus_area = _required(fields.String(required=True, validate=one_of(FocusArea)))
    description = Text(load_default="", max_length=5000)


class MeasureStatusSchema(Versioned):
    """KG's follow-up of a measure: its status now, what changed, optionally at which KG
    meeting."""

    status = _required(fields.String(required=True, validate=one_of(MeasureStatus)))
    note = Text(
        load_default="",
        max_length=5000,
        metadata={"description": "what changed; required when the status stays the same"},
    )
    meeting_id = fields.UUID(load_default=None, allow_none=True)


class MembershipEndSchema(QuerySchema):
    """Ending a membership: why (optional) and the group's version the caller saw."""

    reason = Text(load_default=None, max_length=500)
    expected_version = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=10**9),
        metadata={"description": "the group's version the caller saw; a stale one gives 409"},
    )


class MembershipEndFormSchema(Versioned):
    """The group page's form that ends a membership (the API takes the person in its
    path: :class:`MembershipEndSchema`)."""

    person_id = _required(fields.UUID(required=True))
    reason = Text(load_default="", max_length=500)


class MeasureQuerySchema(PageQuerySchema):
    """The measure list: optionally one focus area's, paged."""

    focus_area = fields.String(load_default=None, validate=one_of(FocusArea))

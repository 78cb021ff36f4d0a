"""Domain errors. Each maps to one HTTP status and one CLI exit code in the outer layers.

Every refusal carries a machine-readable ``code``, an optional rule id (``R1``…) and a
**message key with parameters**: ``message`` is the English template (``%(name)s``
placeholders, the gettext msgid the web layer translates by), ``params`` its values. The
rule id is never part of the message: outer layers show ``R19: <message>`` from the two.
:attr:`CaseflowError.text` is the English sentence (the CLI's and ``str()``'s).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: A field's refusal: a message key, or a key with its parameters.
FieldMessage = str | tuple[str, Mapping[str, Any]]


def render(key: str, params: Mapping[str, Any] | None = None) -> str:
    """The English sentence of message ``key`` with ``params`` filled in."""
    return key % dict(params) if params and "%(" in key else key


def render_field(message: FieldMessage) -> str:
    """The English sentence of one field refusal."""
    if isinstance(message, tuple):
        return render(message[0], message[1])
    return message


class CaseflowError(Exception):
    """Base class. ``status`` is the HTTP status the web layer answers with.

    ``message`` is a key (never an f-string: the dynamic parts go in ``params``);
    ``field_name`` names the field the message is about (shown ``name: message``)."""

    status = 400
    code = "error"

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        fields: Mapping[str, Sequence[FieldMessage]] | None = None,
        field_name: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.fields = {k: list(v) for k, v in fields.items()} if fields is not None else None
        self.field_name = field_name
        self.params = params

    @property
    def text(self) -> str:
        """The English message (without the rule id)."""
        text = render(self.message, self.params)
        return f"{self.field_name}: {text}" if self.field_name else text

    def __str__(self) -> str:
        return f"{self.rule}: {self.text}" if self.rule else self.text

    def english_fields(self) -> dict[str, list[str]] | None:
        if self.fields is None:
            return None
        return {name: [render_field(m) for m in ms] for name, ms in self.fields.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.text,
            "rule": self.rule,
            "fields": self.english_fields(),
        }


class NotPermitted(CaseflowError):
    """The actor may not take this step; ``rule`` names the mandate's rule."""

    status = 403
    code = "not_permitted"


class NotFoundError(CaseflowError):
    status = 404
    code = "not_found"


class InvalidTransition(CaseflowError):
    """The step does not fit the case's current state."""

    status = 409
    code = "invalid_state"


class StaleVersion(CaseflowError):
    """The caller's ``expected_version`` is not the current version."""

    status = 409
    code = "stale_version"


class ConcurrencyConflict(CaseflowError):
    """Another writer kept winning; the command was not recorded."""

    status = 409
    code = "conflict"


class InvalidInput(CaseflowError):
    """A field is missing or malformed. ``fields`` maps field name to message keys
    (or ``(key, params)``)."""

    status = 422
    code = "invalid"

    @classmethod
    def field(cls, name: str, message: str, rule: str | None = None, **params: Any) -> InvalidInput:
        """Field ``name`` is refused with message key ``message`` (and its ``params``)."""
        entry: FieldMessage = (message, params) if params else message
        return cls(message, rule=rule, fields={name: [entry]}, field_name=name, **params)


class Message(str):
    """A warning, note or step reason: the English sentence (``R15: …`` when it names a
    rule) as the string itself, so callers that read text keep working, plus the
    message ``key``, its ``params``, the ``rule`` and — for a refusal — the HTTP
    ``status`` of the error that refused, which the web layer uses (translating by key)."""

    key: str
    params: Mapping[str, Any]
    rule: str | None
    status: int | None

    def __new__(
        cls,
        key: str,
        params: Mapping[str, Any] | None = None,
        rule: str | None = None,
        status: int | None = None,
    ) -> Message:
        params = dict(params or {})
        text = render(key, params)
        self = super().__new__(cls, f"{rule}: {text}" if rule else text)
        self.key, self.params, self.rule, self.status = key, params, rule, status
        return self

    @classmethod
    def refusal(cls, e: CaseflowError) -> Message:
        """Why ``e`` refused, without its rule id (the step option carries it)."""
        return cls(e.message, e.params, None, e.status)

    @property
    def text(self) -> str:
        """The English sentence without the rule id."""
        return render(self.key, self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.key, dict(self.params), self.rule, self.status))

"""Domain errors. Each maps to one HTTP status and one CLI exit code in the outer layers.

Every refusal carries a machine-readable ``code``, an optional rule id (``R1``…), a
message key with parameters (translated by the web layer) and an English message.
"""

from __future__ import annotations

from typing import Any


class CaseflowError(Exception):
    """Base class. ``status`` is the HTTP status the web layer answers with."""

    status = 400
    code = "error"

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        fields: dict[str, list[str]] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.fields = fields
        self.params = params

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}" if self.rule else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "rule": self.rule,
            "fields": self.fields,
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
    """A field is missing or malformed. ``fields`` maps field name to messages."""

    status = 422
    code = "invalid"

    @classmethod
    def field(cls, name: str, message: str, rule: str | None = None) -> InvalidInput:
        return cls(f"{name}: {message}", rule=rule, fields={name: [message]})

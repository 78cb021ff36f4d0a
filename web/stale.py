"""A stale-version conflict on a case step's form, shown instead of overwritten.

When a step is refused because the case changed since the form was opened ("Posten er
endret (versjon 3, du hadde 2)"), the page shows what the colleague changed — the events
since the user's version, and per field the case's current value beside what the user
typed — and keeps the form's ``expected_version`` at the user's (old) version. Pressing
the step's button again is refused again; only the explicit "use my text over theirs"
button (``overwrite``, carrying the version the user has now seen) submits against the
current version. If the case changed once more in between, that is a new conflict: no
submission ever overwrites a change the user has not been shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import request

from caseflow.application.views import CaseView, EventView
from caseflow.domain.values import Step

#: The form field the "use my text over theirs" button sends: the version the user saw.
OVERWRITE = "overwrite"


@dataclass(frozen=True)
class FieldChange:
    """One field of the step's form: the case's value now and what the user typed."""

    name: str
    theirs: str
    yours: str

    @property
    def changed(self) -> bool:
        return self.theirs.strip() != self.yours.strip()


@dataclass(frozen=True)
class Conflict:
    """What changed between the user's version and the current one."""

    yours_version: int | None
    version: int
    events: list[EventView]
    fields: list[FieldChange]


def _reason(view: CaseView, step: Step) -> str | None:
    return {
        Step.DECLINE: view.decline_reason,
        Step.WITHDRAW: view.withdraw_reason,
        Step.WAIVE_ADVICE: view.advice_waived,
        Step.POSTPONE: view.postponements[-1] if view.postponements else None,
    }.get(step)


def current_values(view: CaseView, step: Step, me: Any) -> dict[str, Any]:
    """The case's current values of ``step``'s form fields (None: the case has none)."""
    if step is Step.DRAFT:
        return dict(view.document or {})
    if step is Step.ADVICE:
        mine = [a for a in view.advice if a.person_id == me]
        return {"stance": mine[-1].stance, "text": mine[-1].text} if mine else {}
    values: dict[Step, dict[str, Any]] = {
        Step.ACCEPT: {"case_officer": view.case_officer},
        Step.REQUEST_ADVICE: {
            "deadline": view.advice_deadline,
            "kg_meeting_id": view.kg_meeting_id,
        },
        Step.CLOSE_ADVICE: {"summary": view.advice_summary},
        Step.SUBMIT: {"meeting_id": view.board_meeting_id},
        Step.DECISION: {"resolution": view.resolution},
    }
    if step in values:
        return values[step]
    reason = _reason(view, step)
    return {"reason": reason} if reason is not None else {}


def conflict(
    view: CaseView,
    step: Step,
    form: Mapping[str, Any],
    events: list[EventView],
    me: Any,
    shown: Callable[[str, Any], str],
) -> Conflict:
    """The conflict between the user's ``form`` (typed against ``expected_version``) and
    the case ``view`` as it is now; ``events`` are the case's events, ``shown(field,
    value)`` a value as a person reads it (a name for an id, a label for a code)."""
    yours_version = _int(form.get("expected_version"))
    since = [e for e in events if yours_version is None or e.version > yours_version]
    current = current_values(view, step, me)
    names = [n for n in form if n not in ("expected_version", "csrf_token", OVERWRITE)]
    for name in current:
        if name not in names:
            names.append(name)
    rows = [
        FieldChange(name, shown(name, current.get(name)), shown(name, form.get(name)))
        for name in names
    ]
    return Conflict(yours_version, view.version, since, rows)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def overwrite_version() -> int | None:
    """The version the user confirmed overwriting ("use my text over theirs"), if the
    form was sent with that button."""
    return _int(request.form.get(OVERWRITE))

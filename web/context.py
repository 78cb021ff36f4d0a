"""Per-request access to the application, the read models and the acting person."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from flask import Blueprint, current_app, g
from flask_login import current_user

from caseflow.application import Caseflow
from caseflow.domain.permissions import Actor, may_read_everything
from caseflow.domain.values import GroupRole, SystemRole
from caseflow.readmodels.api import ReadModels


def caseflow() -> Caseflow:
    return cast(Caseflow, current_app.extensions["caseflow"])


def read() -> ReadModels:
    return cast(ReadModels, current_app.extensions["caseflow_read"])


def settings() -> Any:
    return current_app.extensions["caseflow_settings"]


def user_id() -> UUID:
    """The logged-in person's id (callers are behind ``login_required``)."""
    return UUID(current_user.id)


def actor() -> Actor:
    """The acting person with their roles now (built once per request)."""
    if "actor" not in g:
        g.actor = caseflow().actor(user_id())
    return cast(Actor, g.actor)


def reads_everything() -> bool:
    return may_read_everything(actor())


def is_secretariat() -> bool:
    a = actor()
    return SystemRole.SECRETARIAT in a.system_roles


def acting_seats() -> list[Any]:
    """Seats in which the person may act (non-observer), e.g. to propose a case."""
    return [s for s in actor().seats.values() if s.role is not GroupRole.OBSERVER]


def after_write() -> None:
    """Read your own writes: wait (bounded) until the read models have seen the command."""
    position = caseflow().last_position
    if position is not None:
        read().wait_for(position)


def one_reading_per_request(bp: Blueprint) -> None:
    """The blueprint's requests read the application's aggregates as of their first read
    (one catch-up of the aggregate cache per request, not one per lookup: the token
    check, the acting person, the page's own reads)."""

    @bp.before_request
    def _begin_reading() -> None:
        reading = caseflow().reading()
        reading.__enter__()
        g.caseflow_reading = reading

    @bp.teardown_request
    def _end_reading(_error: BaseException | None) -> None:
        reading = g.pop("caseflow_reading", None)
        if reading is not None:
            reading.__exit__(None, None, None)

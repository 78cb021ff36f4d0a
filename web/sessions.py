"""Session cookies that the server can end (OWASP ASVS V3).

The cookie is Flask's signed session. At login it gets a new random session id
(``_sid``: nothing from before the login survives, so a planted cookie is worthless),
the login's account and the account's *session epoch* (``_account``, ``_epoch``), and the
times it was started and last used (``_start``, ``_seen``). On every request the cookie is
good only while

- the account's epoch is still the one it carries: logging out (or a new password)
  records ``Account.SessionsEnded`` in the event store, which moves the epoch on for every
  worker on every machine, so a copy of the cookie taken before is refused;
- it has been used within ``SESSION_IDLE_MINUTES`` (``CASEFLOW_SESSION_IDLE_MINUTES``,
  default 30) and was started within ``SESSION_MAX_HOURS`` (``CASEFLOW_SESSION_MAX_HOURS``,
  default 12) — ASVS level 2's idle and absolute limits.

Times come from the domain clock (``caseflow.domain.clock``), so tests move time instead of
sleeping.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING
from uuid import UUID

from flask import current_app, session
from flask_login import login_user

from caseflow.application.accounts import LoginView
from caseflow.domain import clock
from web.context import caseflow

if TYPE_CHECKING:
    from web.auth import User

#: The session keys of a login (Flask-Login keeps its own ``_user_id``, ``_fresh``, ``_id``).
KEYS = ("_sid", "_account", "_epoch", "_start", "_seen")

#: ``_seen`` is rewritten at most this often (seconds), so not every request sets a cookie.
SEEN_RESOLUTION = 60


def now() -> float:
    return clock.now().timestamp()


def clear() -> None:
    """Empty the session, keeping only the chosen language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def start(user: User, login: LoginView) -> None:
    """A fresh session for ``user``: nothing of the session before the login is kept
    (but the language), and it gets a new id (session fixation)."""
    clear()
    login_user(user)
    at = int(now())
    session["_sid"] = secrets.token_urlsafe(24)
    session["_account"] = login.account_id.hex
    session["_epoch"] = login.epoch
    session["_start"] = at
    session["_seen"] = at


def problem(person_id: UUID) -> str | None:
    """Why this session no longer counts (``ended``: logged out or a new password, or a
    cookie from before sessions had epochs; ``idle``; ``expired``), or None — then the
    time of last use is brought up to date."""
    try:
        account = UUID(hex=str(session["_account"]))
        epoch = int(session["_epoch"])
        started = float(session["_start"])
        seen = float(session["_seen"])
    except (KeyError, TypeError, ValueError):
        return "ended"
    at = now()
    config = current_app.config
    if at - started > float(config["SESSION_MAX_HOURS"]) * 3600:
        return "expired"
    if at - seen > float(config["SESSION_IDLE_MINUTES"]) * 60:
        return "idle"
    if caseflow().session_epoch(account, person_id) != epoch:
        return "ended"
    if at - seen >= SEEN_RESOLUTION:
        session["_seen"] = int(at)
    return None


def account_id() -> UUID | None:
    """The account of the current session's login, if it has one."""
    try:
        return UUID(hex=str(session["_account"]))
    except (KeyError, ValueError):
        return None

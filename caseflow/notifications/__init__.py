"""E-mail notifications, reminders and digests (issue 17; docs/notifications.md): a
follower of the one log with its own tracking position and an outbox in the same
database, so each message is decided and recorded exactly once, and handed to the SMTP
server at least once with a stable Message-ID.

``open_notifier(app, settings, config)`` is what ``caseflow notify``, ``caseflow project``
and the web app use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseflow.notifications.config import KINDS, MODES, NotifyConfig
from caseflow.notifications.inbox import Inbox, Note
from caseflow.notifications.notifier import Notifier, SendReport

if TYPE_CHECKING:
    from caseflow.application import Caseflow
    from caseflow.persistence import StoreSettings


def open_notifier(app: Caseflow, settings: StoreSettings, config: NotifyConfig) -> Notifier:
    """The notifier of ``app``'s store (its tables created if missing)."""
    return Notifier(app, settings, config)


def open_inbox(notifier: Notifier) -> Inbox:
    return Inbox(notifier.view, notifier.config.secret_key)


__all__ = [
    "KINDS",
    "MODES",
    "Inbox",
    "Note",
    "Notifier",
    "NotifyConfig",
    "SendReport",
    "open_inbox",
    "open_notifier",
]

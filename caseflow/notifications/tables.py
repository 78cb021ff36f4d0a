"""The notifier's tables, in the event store's own database (SQLite file or PostgreSQL
schema), through the read models' tracking-recorder views (:mod:`caseflow.readmodels.sql`):
``notify_tracking`` is its own position in the one log, so deciding which messages are due,
recording them in the outbox and advancing the position are one transaction.

- ``notify`` — the outbox: one row per message and recipient (``dedup`` is unique: the
  event or reminder it comes from and the recipient), its state (``pending``, ``sent``,
  ``failed``, ``dead``; ``digest`` waiting for the daily digest, ``digested``, ``off``),
  attempts, when to try next, the last error, read/unread for the in-app list.
- ``notify_people``, ``notify_members``, ``notify_groups``, ``notify_regions``,
  ``notify_cases``, ``notify_expected``, ``notify_meetings`` — what the notifier needs to
  know to decide recipients, kept from the same log as it goes (like a projection's name
  book), so the recipients are those *at the event*, on a restart as on the first run.
- ``notify_prefs`` (person, kind → immediately / digest / off), ``notify_language``
  (person → nb / en) and ``notify_meta`` (where this notifier started).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from caseflow.readmodels.sql import ReadModelView, TableSchema, view_class

if TYPE_CHECKING:
    from caseflow.application import Caseflow

PREFIX = "notify"

SCHEMA = TableSchema(
    tables=(
        (
            "",
            "id TEXT PRIMARY KEY, dedup TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, "
            "position INTEGER NOT NULL, person_id TEXT NOT NULL, email TEXT NOT NULL, "
            "name TEXT NOT NULL, language TEXT NOT NULL, params TEXT NOT NULL, "
            "state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at TEXT, "
            "lease_until TEXT, last_error TEXT, created_at TEXT NOT NULL, sent_at TEXT, "
            "read_at TEXT, digest_id TEXT",
        ),
        (
            "people",
            "id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, "
            "secretariat INTEGER NOT NULL DEFAULT 0",
        ),
        (
            "members",
            "group_id TEXT NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL, "
            "region TEXT, PRIMARY KEY (group_id, person_id)",
        ),
        (
            "groups",
            "id TEXT PRIMARY KEY, slug TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL",
        ),
        ("regions", "slug TEXT PRIMARY KEY, name TEXT NOT NULL"),
        (
            "cases",
            "id TEXT PRIMARY KEY, reference TEXT NOT NULL, title TEXT NOT NULL, "
            "group_id TEXT, status TEXT NOT NULL, deadline TEXT, reminded_for TEXT, "
            "overdue_for TEXT",
        ),
        (
            "expected",
            "case_id TEXT NOT NULL, person_id TEXT NOT NULL, region TEXT, "
            "invited INTEGER NOT NULL DEFAULT 0, answered INTEGER NOT NULL DEFAULT 0, "
            "PRIMARY KEY (case_id, person_id)",
        ),
        (
            "meetings",
            "id TEXT PRIMARY KEY, body TEXT NOT NULL, title TEXT NOT NULL, "
            "starts_at TEXT NOT NULL, ends_at TEXT, place TEXT NOT NULL",
        ),
        (
            "prefs",
            "person_id TEXT NOT NULL, kind TEXT NOT NULL, mode TEXT NOT NULL, "
            "PRIMARY KEY (person_id, kind)",
        ),
        ("language", "person_id TEXT PRIMARY KEY, language TEXT NOT NULL"),
        ("meta", "key TEXT PRIMARY KEY, value TEXT NOT NULL"),
    ),
    indexes=(
        ("due", "", "state, next_at"),
        ("person", "", "person_id, created_at"),
        ("open", "cases", "status, deadline"),
    ),
)


def open_view(app: Caseflow, dialect: str) -> ReadModelView:
    """The notifier's view (tables created if missing) on ``app``'s store."""
    klass = view_class(dialect, PREFIX, SCHEMA)
    view = cast(Any, klass)(datastore=cast(Any, app.factory).datastore)
    view.create_table()
    return cast(ReadModelView, view)

"""What people see and choose (the pages ``/varsler``, the JSON API, ``caseflow notify``):
my notifications with read/unread, my choices per kind (immediately / daily digest /
off) and language, the one-click unsubscribe, and — for the secretariat — the messages
that failed or went dead, to retry. Permission is checked here, on the server."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from caseflow.domain.errors import InvalidInput, NotFoundError, NotPermitted
from caseflow.domain.permissions import Actor
from caseflow.domain.values import SystemRole
from caseflow.notifications.config import KINDS, MODES
from caseflow.notifications.render import subject
from caseflow.notifications.tokens import read_token
from caseflow.readmodels.base import from_iso, iso
from caseflow.readmodels.sql import ReadModelView

LANGUAGES = ("nb", "en")


@dataclass(frozen=True)
class Note:
    """One message as the in-app list shows it."""

    id: str
    kind: str
    subject: str
    state: str
    created_at: datetime
    sent_at: datetime | None
    read: bool
    attempts: int
    last_error: str | None
    person_name: str
    email: str
    params: dict[str, Any]


def _note(row: tuple[Any, ...], lang: str) -> Note:
    params = json.loads(str(row[2]))
    return Note(
        id=str(row[0]),
        kind=str(row[1]),
        subject=subject(str(row[1]), params, lang),
        state=str(row[3]),
        created_at=from_iso(row[4]) or datetime.now(UTC),
        sent_at=from_iso(row[5]),
        read=row[6] is not None,
        attempts=int(row[7]),
        last_error=row[8],
        person_name=str(row[9]),
        email=str(row[10]),
        params=params,
    )


_NOTE = (
    "SELECT id, kind, params, state, created_at, sent_at, read_at, attempts, last_error, "
    "name, email FROM {t}"
)


class Inbox:
    def __init__(self, view: ReadModelView, secret_key: str) -> None:
        self.view = view
        self.secret_key = secret_key

    # -- mine --------------------------------------------------------------------------

    def mine(self, person: str, lang: str, limit: int = 100) -> list[Note]:
        with self.view.reading() as tx:
            rows = tx.all(
                f"{_NOTE} WHERE person_id = ? AND kind <> 'digest' "
                "ORDER BY created_at DESC, id LIMIT ?",
                (person, limit),
            )
        return [_note(r, lang) for r in rows]

    def note(self, person: str, note_id: str, lang: str) -> Note:
        with self.view.reading() as tx:
            row = tx.one(f"{_NOTE} WHERE id = ? AND person_id = ?", (note_id, person))
        if row is None:
            raise NotFoundError("notification not found")
        return _note(row, lang)

    def unread(self, person: str) -> int:
        with self.view.reading() as tx:
            found = tx.scalar(
                "SELECT COUNT(*) FROM {t} WHERE person_id = ? AND read_at IS NULL AND "
                "kind <> 'digest'",
                (person,),
            )
        return int(found or 0)

    def mark_read(self, person: str, ids: list[str] | None = None) -> int:
        """Mark my notifications (``ids``, or all) read; how many changed."""
        at = iso(datetime.now(UTC))
        with self.view.transaction() as tx:
            if ids is None:
                rows = tx.all(
                    "UPDATE {t} SET read_at = ? WHERE person_id = ? AND read_at IS NULL "
                    "RETURNING id",
                    (at, person),
                )
            else:
                rows = []
                for note_id in ids:
                    rows += tx.all(
                        "UPDATE {t} SET read_at = ? WHERE person_id = ? AND id = ? AND "
                        "read_at IS NULL RETURNING id",
                        (at, person, note_id),
                    )
        return len(rows)

    # -- choices -----------------------------------------------------------------------

    def preferences(self, person: str) -> tuple[dict[str, str], str]:
        with self.view.reading() as tx:
            rows = tx.all("SELECT kind, mode FROM {t_prefs} WHERE person_id = ?", (person,))
            lang = tx.scalar("SELECT language FROM {t_language} WHERE person_id = ?", (person,))
        modes = {kind: "immediately" for kind in KINDS}
        modes.update({str(k): str(m) for k, m in rows if k in modes})
        return modes, str(lang or "nb")

    def choose(self, person: str, modes: dict[str, str], lang: str | None = None) -> None:
        """Set my choice per kind (and my language); refuses unknown kinds or modes."""
        for kind, mode in modes.items():
            if kind not in KINDS:
                raise InvalidInput.field(kind, "unknown kind of notification")
            if mode not in MODES:
                raise InvalidInput.field(kind, "choose immediately, daily digest or off")
        if lang is not None and lang not in LANGUAGES:
            raise InvalidInput.field("language", "choose nb or en")
        with self.view.transaction() as tx:
            tx.executemany(
                "INSERT INTO {t_prefs} (person_id, kind, mode) VALUES (?, ?, ?) ON CONFLICT "
                "(person_id, kind) DO UPDATE SET mode = excluded.mode",
                [(person, k, m) for k, m in modes.items()],
            )
            if lang is not None:
                tx.execute(
                    "INSERT INTO {t_language} (person_id, language) VALUES (?, ?) ON CONFLICT "
                    "(person_id) DO UPDATE SET language = excluded.language",
                    (person, lang),
                )

    def token(self, token: str) -> tuple[str, str]:
        """(person, kind) of an unsubscribe token; 404 for a bad one."""
        found = read_token(self.secret_key, token)
        if found is None or (found[1] != "*" and found[1] not in KINDS):
            raise NotFoundError("unsubscribe link not found")
        return found

    def unsubscribe(self, token: str) -> tuple[str, str]:
        """Apply a one-click unsubscribe: that kind (``*``: every kind) off."""
        person, kind = self.token(token)
        kinds = KINDS if kind == "*" else (kind,)
        self.choose(person, dict.fromkeys(kinds, "off"))
        return person, kind

    # -- the secretariat ---------------------------------------------------------------

    @staticmethod
    def _check(actor: Actor) -> None:
        if SystemRole.SECRETARIAT not in actor.system_roles:
            raise NotPermitted("Only the secretariat sees and retries failed messages.")

    def problems(self, actor: Actor, lang: str, limit: int = 200) -> list[Note]:
        """Messages that failed (refused address) or went dead (too many tries)."""
        self._check(actor)
        with self.view.reading() as tx:
            rows = tx.all(
                f"{_NOTE} WHERE state IN ('failed', 'dead') ORDER BY created_at DESC, id LIMIT ?",
                (limit,),
            )
        return [_note(r, lang) for r in rows]

    def retry(self, actor: Actor, note_id: str) -> None:
        """Send a failed or dead message again (as new: attempts from zero)."""
        self._check(actor)
        with self.view.transaction() as tx:
            row = tx.one(
                "UPDATE {t} SET state = 'pending', attempts = 0, next_at = NULL, lease_until = "
                "NULL WHERE id = ? AND state IN ('failed', 'dead') RETURNING id",
                (note_id,),
            )
        if row is None:
            raise NotFoundError("failed message not found")

    def counts(self) -> dict[str, int]:
        with self.view.reading() as tx:
            rows = tx.all("SELECT state, COUNT(*) FROM {t} GROUP BY state")
        return {str(s): int(n) for s, n in rows}

"""The notifier: a follower of the one log with its own tracking position.

``decide()`` — for each batch of new events, in ONE transaction: lock the notifier's
tracking row, decide which messages the events make due, record them in the outbox
(``notify``) and advance the position (:class:`caseflow.readmodels.sql.ReadModelView`'s
exactly-once processing); then, in one more transaction with the same row locked, the
messages due by the clock (reminders, overdue notices, digests: :mod:`timed`).

``send_due()`` — outside those transactions: claim due messages (a lease, one statement),
hand each to the transport over one connection, and mark what happened to them (sent,
failed, deferred) in small batches: one transaction per ``mark_every`` messages (20) or
per second (:data:`MARK_WITHIN`), whichever comes first, and before the connection is
closed. A crash between handing messages over and marking them leaves them pending: they
are sent again, *with the same Message-ID* (derived from the event and the recipient),
when their lease has run out — at most the ``mark_every`` messages of the last unmarked
batch per sender. So every message is recorded exactly once and handed to the SMTP
server at least once.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Tracking

from caseflow.notifications.config import NotifyConfig
from caseflow.notifications.decide import DecideHandler
from caseflow.notifications.render import render
from caseflow.notifications.tables import open_view
from caseflow.notifications.timed import decide_timed, digest_items
from caseflow.notifications.tokens import unsubscribe_url
from caseflow.notifications.transport import (
    Envelope,
    Refused,
    Transport,
    TransportDown,
    Unavailable,
    build,
    transport_for,
)
from caseflow.readmodels.base import iso

if TYPE_CHECKING:
    from caseflow.application import Caseflow
    from caseflow.persistence import StoreSettings

log = logging.getLogger(__name__)

#: The longest wait before another try of a message the server deferred.
MAX_BACKOFF = 3600.0

#: Seconds at most between handing a message over and marking it (with ``mark_every``).
MARK_WITHIN = 1.0

_COLUMNS = "id, kind, person_id, email, name, language, params, attempts"


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    dead: int = 0
    down: str | None = None


class Notifier:
    """Decides and sends the notifications of one application's store."""

    name = "notifier"

    def __init__(
        self,
        app: Caseflow,
        settings: StoreSettings,
        config: NotifyConfig,
        *,
        transport: Transport | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.app = app
        self.config = config
        self.dialect = "postgres" if settings.is_postgres else "sqlite"
        self.view = open_view(app, self.dialect)
        self.transport = transport or transport_for(config.smtp_url, config.outbox_dir)
        self.now = now or (lambda: datetime.now(UTC))

    # -- following the log -------------------------------------------------------------

    def position(self) -> int | None:
        return self.view.position(self.app.name) or None

    def started(self) -> bool:
        """Whether this store's notifier has run (a start position is recorded)."""
        with self.view.reading() as tx:
            return tx.scalar("SELECT value FROM {t_meta} WHERE key = 'start_at'") is not None

    def start_at(self, from_start: bool = False, *, at: int | None = None) -> int:
        """Where this notifier started: the log's head when it first decided (the events
        before only teach it who is who), or 0 with ``from_start`` on its first run, or
        ``at`` (a benchmark's notifier that had been sending until an outage)."""
        with self.view.transaction() as tx:
            found = tx.scalar("SELECT value FROM {t_meta} WHERE key = 'start_at'")
            if found is not None:
                return int(found)
            if at is not None:
                start = at
            else:
                start = 0 if from_start else int(self.app.recorder.max_notification_id() or 0)
            tx.execute(
                "INSERT INTO {t_meta} (key, value) VALUES ('start_at', ?) "
                "ON CONFLICT (key) DO NOTHING",
                (str(start),),
            )
        return self.start_at()

    def decide(self, from_start: bool = False, until: int | None = None) -> int:
        """Record the messages of every new event (up to position ``until``, if given)
        and those due by the clock; returns how many events were read."""
        handler = DecideHandler(silent_until=self.start_at(from_start))
        name = self.app.name
        to_event = self.app.mapper.to_domain_event
        read = 0
        while True:
            start = self.view.position(name)
            if until is not None and start >= until:
                break
            notifications = self.app.recorder.select_notifications(
                start=start + 1, limit=self.config.batch * 10, stop=until
            )
            if not notifications:
                break
            batch = [(to_event(n), Tracking(name, n.id)) for n in notifications]
            self.view.process(batch, handler)
            read += len(notifications)
        self.decide_timed()
        return read

    def catch_up(self) -> int:
        """The follower protocol (:class:`caseflow.readmodels.service.Follower`)."""
        return self.decide()

    def decide_timed(self) -> int:
        with self.view.transaction() as tx:
            position = self.view._lock_position(tx, self.app.name)
            return decide_timed(tx, self.now(), self.config.reminder_days, position)

    # -- sending -----------------------------------------------------------------------

    def _claim(self) -> list[tuple[Any, ...]]:
        """Lease up to ``batch`` due messages, in log order (one statement: a second
        sender's claim skips the rows this one leased)."""
        now = self.now()
        at, until = iso(now), iso(now + timedelta(seconds=self.config.lease))
        with self.view.transaction() as tx:
            rows = tx.all(
                "UPDATE {t} SET lease_until = ? WHERE id IN (SELECT id FROM {t} WHERE "
                "state = 'pending' AND (next_at IS NULL OR next_at <= ?) AND (lease_until "
                "IS NULL OR lease_until <= ?) ORDER BY position, id LIMIT ?) AND state = "
                f"'pending' AND (lease_until IS NULL OR lease_until <= ?) RETURNING {_COLUMNS}, "
                "position",
                (until, at, at, self.config.batch, at),
            )
        rows.sort(key=lambda r: (r[-1], r[0]))
        return [r[:-1] for r in rows]

    def send_due(self) -> SendReport:
        """Hand every due message to the transport; mark them in small batches."""
        report = SendReport()
        while True:
            claimed = self._claim()
            if not claimed:
                return report
            try:
                self.transport.open()
            except TransportDown as e:
                self._release([r[0] for r in claimed])
                report.down = str(e)
                return report
            marks = _Marks(self.config.mark_every)
            try:
                for i, row in enumerate(claimed):
                    try:
                        self._send_one(row, report, marks)
                    except TransportDown as e:
                        self._release([r[0] for r in claimed[i:]])
                        report.down = str(e)
                        return report
                    if marks.due():
                        self._flush(marks)
            finally:
                try:
                    self._flush(marks)
                finally:
                    self.transport.close()

    def _send_one(self, row: tuple[Any, ...], report: SendReport, marks: _Marks) -> None:
        row_id, kind, person, email, name, lang, params_text, attempts = row
        try:
            envelope = self.envelope(row_id, kind, person, email, name, lang, params_text)
            message = build(envelope)
            self.transport.send(message)
        except Refused as e:
            marks.add(row_id, "failed", attempts + 1, str(e), None)
            report.failed += 1
            return
        except Unavailable as e:
            self._defer(row_id, attempts + 1, str(e), report, marks)
            return
        if self.config.delay:
            time.sleep(self.config.delay)
        marks.add(row_id, "sent", attempts + 1, None, None)
        report.sent += 1

    def envelope(
        self, row_id: str, kind: str, person: str, email: str, name: str, lang: str, params: str
    ) -> Envelope:
        values = json.loads(params)
        items = None
        if kind == "digest":
            with self.view.reading() as tx:
                items = digest_items(tx, list(values.get("items", [])))
        link = unsubscribe_url(
            self.config.base_url,
            self.config.secret_key,
            person,
            "*" if kind == "digest" else kind,
        )
        rendered = render(
            kind,
            values,
            name=name,
            lang=lang,
            base_url=self.config.base_url,
            unsubscribe=link,
            items=items,
            message_id=row_id,
        )
        return Envelope(row_id, name, email, self.config.mail_from, rendered, link, self.now())

    def _flush(self, marks: _Marks) -> None:
        """Record what happened to the messages handed over since the last flush, in one
        transaction (sent, failed and dead: final; deferred: its next try)."""
        if not marks.rows:
            return
        sent_at = iso(self.now())
        with self.view.transaction() as tx:
            tx.executemany(
                "UPDATE {t} SET state = ?, attempts = ?, lease_until = NULL, last_error = ?, "
                "next_at = COALESCE(?, next_at), sent_at = CASE WHEN ? = 'sent' THEN ? ELSE "
                "sent_at END WHERE id = ?",
                [
                    (state, attempts, error, next_at, state, sent_at, row_id)
                    for row_id, state, attempts, error, next_at in marks.rows
                ],
            )
        marks.clear()

    def _defer(
        self, row_id: str, attempts: int, error: str, report: SendReport, marks: _Marks
    ) -> None:
        if attempts >= self.config.max_attempts:
            marks.add(row_id, "dead", attempts, error, None)
            report.dead += 1
            return
        wait = min(self.config.backoff * 2 ** (attempts - 1), MAX_BACKOFF)
        next_at = iso(self.now() + timedelta(seconds=wait))
        marks.add(row_id, "pending", attempts, error, next_at)
        report.deferred += 1

    def _release(self, ids: list[str]) -> None:
        with self.view.transaction() as tx:
            tx.executemany("UPDATE {t} SET lease_until = NULL WHERE id = ?", [(i,) for i in ids])

    # -- one turn ----------------------------------------------------------------------

    def run_once(self, from_start: bool = False) -> tuple[int, SendReport]:
        """Decide, then send: one turn of ``caseflow notify``'s loop."""
        read = self.decide(from_start)
        return read, self.send_due()


class _Marks:
    """What happened to the messages handed over and not yet recorded: flushed every
    ``every`` messages or :data:`MARK_WITHIN` seconds after the first of them."""

    def __init__(self, every: int) -> None:
        self.every = max(1, every)
        self.rows: list[tuple[str, str, int, str | None, str | None]] = []
        self.since = 0.0

    def add(
        self, row_id: str, state: str, attempts: int, error: str | None, next_at: str | None
    ) -> None:
        if not self.rows:
            self.since = time.monotonic()
        self.rows.append((row_id, state, attempts, error, next_at))

    def due(self) -> bool:
        return bool(self.rows) and (
            len(self.rows) >= self.every or time.monotonic() - self.since >= MARK_WITHIN
        )

    def clear(self) -> None:
        self.rows.clear()

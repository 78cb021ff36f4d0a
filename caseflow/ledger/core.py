"""The ledger: a hash chain over the notification log, kept by an exactly-once projection,
with signed digests, verification and export."""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, OperationalError, Tracking

from caseflow.domain.errors import CaseflowError
from caseflow.ledger import digest as digests
from caseflow.ledger import export as exporting
from caseflow.ledger.canonical import GENESIS, link
from caseflow.ledger.store import ChainRow, StoredDigest, open_chain_store
from caseflow.ledger.verify import (
    BATCH,
    CHAIN,
    INSERTED,
    VerifyResult,
    chain_stream,
    log_stream,
    verify_chain,
)

log = logging.getLogger(__name__)

#: How often catch-up re-reads the head after another process extended the chain first.
MAX_ATTEMPTS = 20

#: Key files whose absence ``sign_if_due`` has already logged (once per process).
_SAID_NO_KEY: set[str] = set()


class LedgerError(CaseflowError):
    """The ledger cannot do what was asked (e.g. sign a chain that does not verify)."""

    status = 409
    code = "ledger"


class Ledger:
    """The audit ledger of one application's store.

    ``settings`` (a :class:`caseflow.persistence.StoreSettings`) is kept for callers; the
    ledger finds its tables through the application's own datastore.
    """

    def __init__(
        self,
        app: Application[Any],
        settings: Any = None,
        *,
        key_path: str | os.PathLike[str] | None = None,
        digest_dir: str | os.PathLike[str] | None = None,
        batch: int = BATCH,
    ) -> None:
        self.app = app
        self.settings = settings
        self.store = open_chain_store(app)
        self.key_path: Path = digests.key_path(key_path)
        #: Where digest files are written and read (outside the database).
        self.digest_dir: Path = digests.digest_dir(digest_dir, settings)
        self.batch = batch
        #: The head (position, hash) this process wrote or checked: not re-checked.
        self._trusted_head: tuple[int, str] | None = None
        #: The newest digest known to :meth:`sign_if_due` (read once, then its own).
        self._last_signed: dict[str, Any] | None = None
        self._scanned = False
        self._said: str | None = None
        #: The file the last digest this ledger signed was written to.
        self.last_digest_file: Path | None = None

    # -- the projection ----------------------------------------------------------------

    def catch_up(self) -> int:
        """Chain every event recorded since the tracked position; return how many.
        Each batch of chain rows commits together with its tracking position.

        Refuses (:class:`LedgerError`, with the ``position`` and ``kind`` of what is wrong)
        to extend a chain whose tracking disagrees with its last row, or whose last row does
        not match the event stored there: 'caseflow audit verify' reports it."""
        total = 0
        attempts = 0
        while True:
            tracked, head = self.store.head(self.app.name)
            self._check_head(tracked, head)
            previous_hash = GENESIS if head is None else bytes.fromhex(head.hash)
            page = self.store.log_rows(tracked, None, self.batch)
            if not page:
                return total
            rows = []
            previous = tracked
            h = previous_hash
            for n in page:
                try:
                    h = link(h, n.position, n.originator_id, n.version, n.topic, n.state)
                except struct.error:
                    raise LedgerError(
                        f"position {n.position}: event {n.originator_id} v{n.version} cannot "
                        "be chained (its position or version is out of range): it was "
                        "written around the application",
                        position=n.position,
                        kind=INSERTED,
                    ) from None
                about = exporting.describe(self.app, n)
                rows.append(
                    ChainRow(
                        position=n.position,
                        previous=previous,
                        hash=h.hex(),
                        originator_id=n.originator_id,
                        version=n.version,
                        topic=n.topic,
                        time=about["time"],
                        actor=about["actor"],
                    )
                )
                previous = n.position
            try:
                self.store.append(rows, Tracking(self.app.name, page[-1].position))
            except (IntegrityError, OperationalError):
                # Another process chained these first (or held the write lock): re-read.
                attempts += 1
                if attempts >= MAX_ATTEMPTS:
                    raise
                continue
            self._trusted_head = (rows[-1].position, rows[-1].hash)
            total += len(rows)

    def _check_head(self, tracked: int | None, head: ChainRow | None) -> None:
        """Raise :class:`LedgerError` unless the chain may be extended from ``head``."""
        last = head.position if head is not None else None
        if tracked != last:
            position, message = self._tracking_problem(tracked, last)
            raise LedgerError(message, position=position, kind=CHAIN)
        if head is None or self._trusted_head == (head.position, head.hash):
            return
        p = head.position
        problem = None
        before = GENESIS
        if head.previous is not None:
            row = self.store.row(head.previous)
            if row is None:
                problem = f"the chain row before it (position {head.previous}) is missing"
            else:
                before = _hash_or_none(row.hash) or b""
        event = self.store.log_row(p)
        if problem is None and event is None:
            problem = "no event is stored there"
        if problem is None and event is not None:
            try:
                recomputed = link(
                    before, p, event.originator_id, event.version, event.topic, event.state
                )
            except struct.error:
                recomputed = b""
            if len(before) != 32 or recomputed.hex() != head.hash:
                problem = "its hash does not follow from the event stored there"
        if problem is not None:
            raise LedgerError(
                f"the chain's last row, at position {p}, is not sound ({problem}): not "
                "extending it; run 'caseflow audit verify'",
                position=p,
                kind=CHAIN,
            )
        self._trusted_head = (p, head.hash)

    def _tracking_problem(self, tracked: int | None, last: int | None) -> tuple[int | None, str]:
        """Where and how the chain's tracking position disagrees with its last row."""
        if last is None:
            assert tracked is not None
            found = self.store.log_rows(None, tracked, 1)
            at = found[0].position if found else tracked
            return at, (
                f"the chain table was altered at position {at}: the chain's tracking says "
                f"position {tracked} was chained, but the chain has no rows"
            )
        if tracked is None or tracked < last:
            first = self.store.rows(tracked, last, 1)
            at = first[0].position if first else last
            said = "is missing" if tracked is None else f"was moved back to {tracked}"
            return at, (
                f"the chain table was altered at position {at}: the chain's tracking position "
                f"{said}, but the chain has rows up to position {last}"
            )
        found = self.store.log_rows(last, tracked, 1)
        if found:
            at = found[0].position
            return at, (
                f"the chain table was altered at position {at}: the event is in the log and "
                f"the chain's tracking says it was chained (up to {tracked}), but the chain "
                f"ends at {last}: its rows after {last} were removed"
            )
        return tracked, (
            f"the chain table was altered at position {tracked}: the chain's tracking says "
            f"position {tracked} was chained, but the chain and the log end at {last}: the "
            "last events and their chain rows were removed, or the tracking was moved forward"
        )

    def tracked(self) -> int | None:
        """The last notification id the chain has processed."""
        return self.store.tracked(self.app.name)

    # -- questions ---------------------------------------------------------------------

    def chain_hash(self, position: int) -> str | None:
        """The stored chain hash at ``position`` (None if not chained)."""
        row = self.store.row(position)
        return row.hash if row else None

    def head(self) -> ChainRow | None:
        return self.store.last_row()

    def digests(self) -> list[dict[str, Any]]:
        """Every stored digest, oldest first."""
        return [_as_dict(d) for d in self.store.digests()]

    def latest_digest(self) -> dict[str, Any] | None:
        found = self.store.digests()
        return _as_dict(found[-1]) if found else None

    # -- verification --------------------------------------------------------------------

    def verify(
        self, digest: dict[str, Any] | None = None, *, catch_up: bool = True
    ) -> VerifyResult:
        """Recompute the chain from the log and compare it with the stored chain, the
        stored digests, the digest files and ``digest`` (e.g. one filed elsewhere).

        Never raises for what it finds: every inconsistency is a result with ``ok`` False,
        the first position affected and its kind."""
        note: LedgerError | None = None
        if catch_up:
            try:
                self.catch_up()
            except LedgerError as e:
                note = e
            except IntegrityError as e:
                note = LedgerError(f"the chain could not be extended: {e}", kind=CHAIN)
        tracked, head = self.store.head(self.app.name)
        last = head.position if head is not None else None
        # Walk what the tracking and the chain agree was chained; where they disagree,
        # the disagreement is the finding (at or before anything beyond it).
        stop = last if tracked is None or last is None else min(tracked, last)
        result = verify_chain(self.store, stop, self._checks(digest), batch=self.batch)
        if tracked != last:
            position, message = self._tracking_problem(tracked, last)
            note = LedgerError(message, position=position, kind=CHAIN)
        if note is None:
            return result
        position = note.params.get("position")
        if not result.ok and (
            position is None
            or (result.first_bad_position is not None and result.first_bad_position <= position)
        ):
            return result
        return VerifyResult(
            ok=False,
            events=result.events,
            head_position=result.head_position,
            head_hash=result.head_hash,
            first_bad_position=position,
            kind=note.params.get("kind") or CHAIN,
            message=note.message,
            digests_checked=result.digests_checked,
        )

    def _checks(self, given: Mapping[str, Any] | None) -> list[tuple[str, Mapping[str, Any]]]:
        """Every digest to check: the digest files, the stored digests not also filed
        (same position, hash and signature), and ``given``."""
        files = digests.read_files(self.digest_dir)
        filed = {(d.get("position"), d.get("hash"), d.get("signature")) for _, d in files}
        checks: list[tuple[str, Mapping[str, Any]]] = list(files)
        for i, d in enumerate(self.digests(), start=1):
            if (d["position"], d["hash"], d["signature"]) not in filed:
                checks.append((f"stored digest #{i}", d))
        if given is not None:
            checks.append(("given digest", given))
        return checks

    # -- digests -------------------------------------------------------------------------

    def sign_digest(self, *, verify: bool = True, now: datetime | None = None) -> dict[str, Any]:
        """Sign the chain head with the key file, write the digest to a file in
        :attr:`digest_dir` and to the digest table, and return it. Verifies first (unless
        ``verify`` is False): a digest must not seal a tampered log."""
        key = digests.load_key(self.key_path)
        if verify:
            result = self.verify()
            if not result.ok:
                raise LedgerError(f"refusing to sign: {result.message}", kind=result.kind)
            position, hash_hex = result.head_position, result.head_hash
        else:
            self.catch_up()
            tracked = self.tracked()
            row = self.store.row(tracked) if tracked is not None else None
            position, hash_hex = (row.position, row.hash) if row else (None, None)
        if position is None or hash_hex is None:
            raise LedgerError("nothing to sign: the log is empty")
        return self._sign(key, position, hash_hex, now or datetime.now(UTC))

    def _sign(self, key: Any, position: int, hash_hex: str, now: datetime) -> dict[str, Any]:
        signed = digests.sign(key, position, hash_hex, now.isoformat())
        try:
            self.last_digest_file = digests.write_file(self.digest_dir, signed)
        except OSError as e:
            raise LedgerError(
                f"cannot write the digest file into {self.digest_dir} ({e.strerror or e}): "
                "set CASEFLOW_DIGEST_DIR to a directory this process may write"
            ) from None
        self.store.add_digest(
            StoredDigest(
                signed["position"],
                signed["hash"],
                signed["time"],
                signed["public_key"],
                signed["signature"],
            )
        )
        self._last_signed = signed
        return signed

    def sign_if_due(
        self, every: timedelta | None = None, now: datetime | None = None
    ) -> dict[str, Any] | None:
        """Sign the head if the newest digest is older than ``every`` (default:
        ``CASEFLOW_DIGEST_MINUTES``, 60) and events were chained since; for the projection
        process to call on each loop (cheap when not due: no query).

        Returns the new digest (also written to :attr:`digest_dir` and the digest table),
        or None: no signing key (said once in the log), not due, nothing new, or the
        events since the last digest do not verify (logged; nothing is signed)."""
        every = every if every is not None else digests.digest_interval()
        now = now or datetime.now(UTC)
        if not self.key_path.is_file():
            if str(self.key_path) not in _SAID_NO_KEY:
                _SAID_NO_KEY.add(str(self.key_path))
                log.warning(
                    "no audit signing key at %s: scheduled digests are off (make one with "
                    "'caseflow audit keygen', or set CASEFLOW_AUDIT_KEY)",
                    self.key_path,
                )
            return None
        last = self._newest_digest()
        if last is not None and now - _time_of(last) < every:
            return None
        try:
            self.catch_up()
        except LedgerError as e:
            self._say(f"not signing a digest: {e.message}")
            return None
        _, head = self.store.head(self.app.name)
        if head is None or (last is not None and head.position <= int(last["position"])):
            return None
        start = None
        if last is not None:
            sealed = self.store.row(int(last["position"]))
            if sealed is not None and sealed.hash == last["hash"]:
                start = (sealed.position, sealed.hash)
        if start is not None:
            result = verify_chain(self.store, head.position, (), self.batch, start=start)
        else:
            result = self.verify(catch_up=False)
        if not result.ok or result.head_position != head.position:
            self._say(f"not signing a digest: {result.message}")
            return None
        try:
            key = digests.load_key(self.key_path)
            signed = self._sign(key, head.position, head.hash, now)
        except CaseflowError as e:
            self._say(f"not signing a digest: {e.message}")
            return None
        self._said = None
        log.info("signed digest at position %s into %s", head.position, self.last_digest_file)
        return signed

    def _newest_digest(self) -> dict[str, Any] | None:
        """The newest well-signed digest among the files and the table (read once)."""
        if not self._scanned:
            self._scanned = True
            found = [d for _, d in digests.read_files(self.digest_dir)] + self.digests()
            valid = [d for d in found if digests.check_signature(d) is None]
            if valid:
                newest = max(valid, key=_time_of)
                if self._last_signed is None or _time_of(newest) > _time_of(self._last_signed):
                    self._last_signed = newest
        return self._last_signed

    def _say(self, message: str) -> None:
        if message != self._said:
            self._said = message
            log.error(message)

    # -- export and hardening ----------------------------------------------------------

    def export(self, fmt: str, out: IO[str]) -> int:
        """Write every chained event (CSV or JSON) to ``out``; return how many."""
        if fmt not in ("csv", "json"):
            raise ValueError(f"unknown export format {fmt!r}: use csv or json")
        self.catch_up()
        head = self.tracked()
        rows: Iterator[dict[str, Any]]
        if head is None:
            rows = iter(())
        else:
            rows = exporting.records(
                self.app,
                log_stream(self.store, head, self.batch),
                chain_stream(self.store, head, self.batch),
            )
        if fmt == "csv":
            return exporting.write_csv(rows, out)
        return exporting.write_json(rows, self.digests(), out)

    def harden(self) -> list[str]:
        """Make the event, chain and digest tables refuse UPDATE and DELETE."""
        return self.store.harden()


def _hash_or_none(text: str) -> bytes | None:
    try:
        return bytes.fromhex(text)
    except (TypeError, ValueError):
        return None


def _time_of(digest: Mapping[str, Any]) -> datetime:
    """A digest's signing time (the distant past if it cannot be read)."""
    try:
        t = datetime.fromisoformat(str(digest["time"]))
    except (KeyError, ValueError):
        return datetime.min.replace(tzinfo=UTC)
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


class DigestSchedule:
    """A hook for the projection loop: ``hook(app, settings)`` calls
    :meth:`Ledger.sign_if_due` on one ledger per application instance."""

    def __init__(self, every: timedelta | None = None, **ledger_options: Any) -> None:
        self.every = every if every is not None else digests.digest_interval()
        self.options = ledger_options
        self._app: Any = None
        self._ledger: Ledger | None = None

    def __call__(self, app: Application[Any], settings: Any = None) -> dict[str, Any] | None:
        if self._ledger is None or self._app is not app:
            self._ledger = Ledger(app, settings, **self.options)
            self._app = app
        return self._ledger.sign_if_due(self.every)


def _as_dict(d: StoredDigest) -> dict[str, Any]:
    return {
        "format": digests.FORMAT,
        "position": d.position,
        "hash": d.hash,
        "time": d.time,
        "algorithm": "Ed25519",
        "public_key": d.public_key,
        "signature": d.signature,
    }

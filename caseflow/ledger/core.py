"""The ledger: a hash chain over the notification log, kept by an exactly-once projection,
with signed digests, verification and export."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
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
    VerifyResult,
    chain_stream,
    log_stream,
    verify_chain,
)

#: How often catch-up re-reads the head after another process extended the chain first.
MAX_ATTEMPTS = 20


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
        batch: int = BATCH,
    ) -> None:
        self.app = app
        self.settings = settings
        self.store = open_chain_store(app)
        self.key_path: Path = digests.key_path(key_path)
        self.batch = batch

    # -- the projection ----------------------------------------------------------------

    def catch_up(self) -> int:
        """Chain every event recorded since the tracked position; return how many.
        Each batch of chain rows commits together with its tracking position."""
        total = 0
        attempts = 0
        while True:
            tracked = self.store.tracked(self.app.name)
            previous_hash = GENESIS
            if tracked is not None:
                head = self.store.row(tracked)
                if head is None:
                    raise LedgerError(
                        f"the chain row at the tracked position {tracked} is missing: the "
                        "chain table was altered; run 'caseflow audit verify'"
                    )
                previous_hash = bytes.fromhex(head.hash)
            page = self.store.log_rows(tracked, None, self.batch)
            if not page:
                return total
            rows = []
            previous = tracked
            h = previous_hash
            for n in page:
                h = link(h, n.position, n.originator_id, n.version, n.topic, n.state)
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
            total += len(rows)

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
        stored digests and ``digest`` (e.g. one filed elsewhere)."""
        broken: str | None = None
        if catch_up:
            try:
                self.catch_up()
            except LedgerError as e:
                broken = e.message
        checks: list[tuple[str, dict[str, Any]]] = [
            (f"stored digest #{i}", d) for i, d in enumerate(self.digests(), start=1)
        ]
        if digest is not None:
            checks.append(("given digest", digest))
        result = verify_chain(self.store, self.tracked(), checks, batch=self.batch)
        if result.ok and broken is not None:
            return VerifyResult(
                ok=False,
                events=result.events,
                head_position=result.head_position,
                head_hash=result.head_hash,
                first_bad_position=self.tracked(),
                kind=CHAIN,
                message=broken,
                digests_checked=result.digests_checked,
            )
        return result

    # -- digests -------------------------------------------------------------------------

    def sign_digest(self, *, verify: bool = True) -> dict[str, Any]:
        """Sign the chain head with the key file, store the digest and return it.
        Verifies first (unless ``verify`` is False): a digest must not seal a tampered log."""
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
        signed = digests.sign(key, position, hash_hex, datetime.now(UTC).isoformat())
        self.store.add_digest(
            StoredDigest(
                signed["position"],
                signed["hash"],
                signed["time"],
                signed["public_key"],
                signed["signature"],
            )
        )
        return signed

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

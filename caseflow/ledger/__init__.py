"""Verifiable history: a SHA-256 hash chain over the notification log, signed digests of
its head, verification that names the first position where the history differs, and an
export a third party can re-verify (docs/auditors-guide.md).

Public API::

    ledger = Ledger(app, settings)
    ledger.catch_up() -> int                      # chain new events (exactly once)
    ledger.verify(digest=None) -> VerifyResult    # ok / first bad position and kind
    ledger.sign_digest() -> dict                  # signed head, stored and filed
    ledger.sign_if_due(every, now) -> dict | None # the projection loop's scheduled digest
    ledger.latest_digest() -> dict | None
    ledger.chain_hash(position) -> str | None
    ledger.export("csv" | "json", out) -> int
"""

from __future__ import annotations

from caseflow.ledger.core import DigestSchedule, Ledger, LedgerError
from caseflow.ledger.digest import AuditKeyError
from caseflow.ledger.verify import (
    CHAIN,
    DELETED,
    EDITED,
    INSERTED,
    REORDERED,
    REWRITTEN,
    SIGNATURE,
    VerifyResult,
)

__all__ = [
    "CHAIN",
    "DELETED",
    "EDITED",
    "INSERTED",
    "REORDERED",
    "REWRITTEN",
    "SIGNATURE",
    "AuditKeyError",
    "DigestSchedule",
    "Ledger",
    "LedgerError",
    "VerifyResult",
]

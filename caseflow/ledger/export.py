"""The audit trail as CSV or JSON: every stored event with who, when, in which role, its
stored bytes (base64) and its chain hash, so a third party can re-verify it
(docs/auditors-guide.md). Streams: one batch of the log in memory at a time."""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from caseflow.domain.localtime import local_iso
from caseflow.ledger.store import ChainRow, ChainStore, LogRow

FORMAT = "caseflow-audit-export/1"
FIELDS = (
    "position",
    "time",
    "actor",
    "role",
    "on_behalf_of",
    "type",
    "originator",
    "version",
    "topic",
    "state",
    "hash",
)
CHAIN_RULE = (
    "h_0 = 32 zero bytes; h_n = SHA-256(h_(n-1) || u64(position) || lp(originator) || "
    "u64(version) || lp(topic) || lp(state)); u64 = 8 bytes big-endian, lp(b) = 4-byte "
    "big-endian length of b, then b; text as UTF-8; state = base64-decoded 'state'"
)


def describe(app: Application[Any], n: LogRow) -> dict[str, Any]:
    """What an event says about itself (time, who, role, type), decoded with the
    application's mapper; blanks if it cannot be decoded."""
    try:
        event = app.mapper.to_domain_event(
            Notification(
                originator_id=UUID(n.originator_id),
                originator_version=n.version,
                topic=n.topic,
                state=n.state,
                id=n.position,
            )
        )
    except Exception:  # an unknown or damaged event is still exported, undecoded
        return {"time": None, "actor": None, "role": None, "on_behalf_of": None, "type": None}
    timestamp = getattr(event, "timestamp", None)
    return {
        # as people read it: CASEFLOW_TIMEZONE with its offset (the same instant as stored)
        "time": local_iso(timestamp, "auto") if isinstance(timestamp, datetime) else None,
        "actor": getattr(event, "actor", None),
        "role": getattr(event, "role", None),
        "on_behalf_of": getattr(event, "on_behalf_of", None),
        "type": type(event).__name__,
    }


def records(
    app: Application[Any], log: Iterator[LogRow], chain: Iterator[ChainRow]
) -> Iterator[dict[str, Any]]:
    """One record per stored event, with the stored chain hash at its position."""
    c = next(chain, None)
    for n in log:
        while c is not None and c.position < n.position:
            c = next(chain, None)
        record = {"position": n.position, **describe(app, n)}
        record.update(
            originator=n.originator_id,
            version=n.version,
            topic=n.topic,
            state=base64.b64encode(n.state).decode("ascii"),
            hash=c.hash if c is not None and c.position == n.position else None,
        )
        yield record


def chain_hashes(store: ChainStore, positions: Sequence[int]) -> dict[int, str]:
    """The stored chain hash at each of ``positions`` (in any order): what an export of the
    audit read model's rows adds to each row, so a reader can match a row with the chain
    (``caseflow audit verify``). Dense positions are read as one range (a query per
    5,000 links); sparse ones (a filtered trail) one by one, never the whole span."""
    positions = sorted(positions)  # newest-first pages too
    if not positions:
        return {}
    first, last = positions[0], positions[-1]
    if last - first + 1 > 4 * len(positions):
        rows = (store.row(p) for p in positions)
        return {r.position: r.hash for r in rows if r is not None}
    found: dict[int, str] = {}
    after = first - 1
    while after < last:
        chained = store.rows(after, last, 5000)
        if not chained:
            break
        found.update((r.position, r.hash) for r in chained)
        after = chained[-1].position
    return found


def write_json(
    rows: Iterator[dict[str, Any]], digests: Sequence[dict[str, Any]], out: IO[str]
) -> int:
    head = {
        "format": FORMAT,
        "exported_at": local_iso(datetime.now(UTC), "auto"),
        "chain": CHAIN_RULE,
        "digests": list(digests),
    }
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "events": [\n')
    count = 0
    for record in rows:
        if count:
            out.write(",\n")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in record.items()})
        count += 1
    return count

"""The chain's canonical encoding and hash (standard library only).

For each stored event, in notification order::

    canonical = u64(position) ‖ lp(originator id) ‖ u64(version) ‖ lp(topic) ‖ lp(state)
    h_0       = 32 zero bytes
    h_n       = SHA-256(h_(n-1) ‖ canonical_n)

``u64(x)`` is ``x`` as 8 bytes big-endian (unsigned); ``lp(b)`` is the length of ``b`` as
4 bytes big-endian followed by ``b``. The originator id is the UTF-8 text of the id as the
library shows it: for a UUID its lowercase hyphenated form (``str(uuid)``), 36 characters,
whatever the database stores. The topic is UTF-8. ``state`` is the stored state bytes
exactly as in the event table (no decoding). Hashes are written as lowercase hex.

docs/auditors-guide.md repeats this, with a plain-Python re-verification procedure.
"""

from __future__ import annotations

import hashlib
import struct
from uuid import UUID

GENESIS = bytes(32)
_U64 = struct.Struct(">Q")
_U32 = struct.Struct(">I")


def originator_text(originator_id: UUID | str) -> str:
    """The originator id as it enters the hash."""
    return str(originator_id)


def canonical_bytes(
    position: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> bytes:
    """The canonical bytes of one stored event (see the module docstring)."""
    oid = originator_text(originator_id).encode()
    top = topic.encode()
    return b"".join(
        (
            _U64.pack(position),
            _U32.pack(len(oid)),
            oid,
            _U64.pack(version),
            _U32.pack(len(top)),
            top,
            _U32.pack(len(state)),
            bytes(state),
        )
    )


def link(
    previous: bytes,
    position: int,
    originator_id: UUID | str,
    version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """``h_n`` from ``h_(n-1)`` and the event's fields (32 raw bytes)."""
    return hashlib.sha256(
        previous + canonical_bytes(position, originator_id, version, topic, state)
    ).digest()

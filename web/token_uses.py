"""The API tokens' last use, without a write per request (issue 19).

The store's table (``caseflow.persistence.token_uses``) writes a use only when the time it
holds is more than ``resolution`` seconds older than the use: a use within that time of
the stored one changes nothing, but still cost a write transaction — four round trips on
PostgreSQL — on every bearer request. :class:`KnownUses` wraps the table and remembers,
per process, the time it last *read back* for each token after passing a use on. A use
that the table would leave unchanged (at most ``resolution`` seconds after a time known
to be stored: another process can only have stored a later one) is not passed on; any
other use is, and the stored time is read back once. So the table holds what it held
before, with the same 60-second resolution; what a process skips is only writes that
would have written nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

from caseflow.application.accounts import TokenUseStorage

#: Tokens remembered per process before the memory starts again (a token is 64 hex digits).
MAXSIZE = 10_000
#: The stored times come back as datetimes (microseconds): known a little early, never late.
MARGIN = 1e-6


class KnownUses:
    """A :class:`TokenUseStorage` that passes on only the uses the store would write."""

    def __init__(self, store: TokenUseStorage, resolution: float) -> None:
        self.store = store
        self.resolution = resolution
        self._stored: dict[str, float] = {}  # token hash -> a time the table holds (or later)
        self._lock = threading.Lock()
        #: Counters for tests and profiles.
        self.passed = self.skipped = 0

    def used(self, token_hash: str, at: datetime) -> None:
        when = at.timestamp()
        with self._lock:
            known = self._stored.get(token_hash)
        if known is not None and when - self.resolution <= known:
            self.skipped += 1  # the table writes only when it holds a time before this
            return
        self.passed += 1
        self.store.used(token_hash, at)
        stored = self.store.last_used([token_hash]).get(token_hash)
        if stored is None:
            return
        with self._lock:
            if len(self._stored) >= MAXSIZE:
                self._stored.clear()
            earlier = self._stored.get(token_hash, 0.0)
            self._stored[token_hash] = max(earlier, stored.timestamp() - MARGIN)

    def last_used(self, token_hashes: Sequence[str]) -> dict[str, datetime]:
        return self.store.last_used(token_hashes)

"""The domain's clock: real time, unless a caller (the demo generator, tests) sets one.

Event timestamps must never go backwards relative to their position in the log for
"as of" queries to be meaningful, so a simulated clock is only ever moved forward.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_override: contextvars.ContextVar[Callable[[], datetime] | None] = contextvars.ContextVar(
    "caseflow_clock", default=None
)


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    fn = _override.get()
    return fn() if fn is not None else datetime.now(UTC)


@contextmanager
def frozen_at(fn: Callable[[], datetime]) -> Iterator[None]:
    """Within the block, ``now()`` returns ``fn()``."""
    token = _override.set(fn)
    try:
        yield
    finally:
        _override.reset(token)

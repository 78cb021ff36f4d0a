"""A simulated clock for the demo: time moves only forward.

Every call of :meth:`SimClock.now` returns a moment one microsecond after the previous one,
so events get strictly increasing timestamps in the order they are recorded, and the
generator moves the clock forward (never back) to the next planned step.
"""

from __future__ import annotations

from datetime import datetime, timedelta

TICK = timedelta(microseconds=1)


class SimClock:
    """Monotonic simulated time, for :func:`caseflow.domain.clock.frozen_at`."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs a time zone")
        self._t = start

    def now(self) -> datetime:
        self._t += TICK
        return self._t

    @property
    def current(self) -> datetime:
        return self._t

    def advance_to(self, moment: datetime) -> None:
        """Move to ``moment`` unless the clock is already past it."""
        if moment > self._t:
            self._t = moment

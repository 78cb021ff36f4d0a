"""The read side: durable, exactly-once projections of the one notification log, in the
same store as the events (see docs/readmodels.md).

``open_read_models(app, settings)`` is what the web app and the CLI use; it creates the
tables on first use. The answers are typed in :mod:`caseflow.readmodels.api`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseflow.readmodels.service import PROJECTIONS, ReadModelService, projection_names

if TYPE_CHECKING:
    from caseflow.application import Caseflow
    from caseflow.persistence import StoreSettings


class ChainFollower:
    """The audit ledger's hash chain as a follower of the log: extended by the same
    driver as the read models (after each command on SQLite, by ``caseflow project``
    on PostgreSQL), so verification covers events seconds old."""

    name = "audit chain"

    def __init__(self, app: Caseflow, settings: StoreSettings) -> None:
        from caseflow.ledger import Ledger

        self.ledger = Ledger(app, settings)

    def catch_up(self) -> int:
        return self.ledger.catch_up()

    def position(self) -> int | None:
        return self.ledger.tracked()


def open_read_models(
    app: Caseflow, settings: StoreSettings, *, chain: bool = True
) -> ReadModelService:
    """The read models of ``app`` (tables created if missing), with the hash chain as a
    further follower unless ``chain`` is False. Nothing is processed until the first
    ``start``/``catch_up``/``freshen``/``wait_for`` or a running ``caseflow project``."""
    followers = [ChainFollower(app, settings)] if chain else []
    return ReadModelService(app, settings, followers=followers)


__all__ = [
    "PROJECTIONS",
    "ChainFollower",
    "ReadModelService",
    "open_read_models",
    "projection_names",
]

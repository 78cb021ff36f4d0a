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


def open_read_models(app: Caseflow, settings: StoreSettings) -> ReadModelService:
    """The read models of ``app`` (tables created if missing). Nothing is processed
    until the first ``catch_up``/``wait_for`` or a running ``caseflow project``."""
    return ReadModelService(app, settings)


__all__ = ["PROJECTIONS", "ReadModelService", "open_read_models", "projection_names"]

"""``caseflow project``: keep the read models up to date in a process of their own.

PostgreSQL: one ``eventsourcing.projection.ProjectionRunner`` per projection (LISTEN/
NOTIFY subscription, one transaction per event), after a batch catch-up from the tracked
positions. A supervisor loop restarts the runners with exponential backoff (1 s … 30 s)
when one fails — a dropped connection, a database restart — and beats a heartbeat that
web processes use to decide whether to wait for it (see ``ReadModelService.wait_for``).

SQLite has no subscriptions in eventsourcing 9.5.6: the loop catches up from the log
every ``poll`` seconds.

Every loop also drives the other followers (the hash chain). A projection stopped at an
event it cannot apply gets no runner; the others go on. At start, stopped projections are
given one more try (a new release may apply the event).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from eventsourcing.projection import ProjectionRunner

from caseflow.application import Caseflow
from caseflow.readmodels import open_read_models
from caseflow.readmodels.base import ReadModelProjection
from caseflow.readmodels.service import PROJECTIONS, TIDY_AFTER
from caseflow.readmodels.sql import view_class

if TYPE_CHECKING:
    from caseflow.persistence import StoreSettings
    from caseflow.readmodels.service import ReadModelService

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0

#: Hooks every ``caseflow project`` loop runs besides its own (the composition root
#: registers them: caseflow/cli.py adds the notifier, issue 17).
LOOP_HOOKS: list[Callable[[Caseflow, StoreSettings], None]] = []

#: Hooks run once a command has loaded a new store and caught it up (``caseflow demo``):
#: the notifier records that it starts here (issue 17), so the demo's own history sends
#: nothing and the first step taken after it is notified.
LOADED_HOOKS: list[Callable[[Caseflow, StoreSettings], None]] = []


def follow(
    open_app: Callable[[], tuple[Caseflow, StoreSettings]],
    stop: threading.Event,
    *,
    poll: float = 0.5,
    report: Callable[[str], None] = log.info,
    hooks: Sequence[Callable[[Caseflow, StoreSettings], None]] = (),
) -> None:
    """Keep every projection and follower up to date until ``stop`` is set. ``open_app``
    opens the application (again after a failure); each of ``hooks`` runs once per loop
    (e.g. signing a digest when one is due)."""
    backoff = 1.0
    runner_id = uuid.uuid4().hex
    first = True
    while not stop.is_set():
        app: Caseflow | None = None
        runners: list[ProjectionRunner[Any, Any]] = []
        try:
            app, settings = open_app()
            service = open_read_models(app, settings)
            if first:
                _resume(service, report)
                first = False
            _catch_up(service, report)
            if settings.is_postgres:
                running = [cls for cls in PROJECTIONS if cls.short not in service.stopped]
                runners = _start_runners(settings, running)
                report(f"following the log with {len(runners)} projection runners")
            while not stop.is_set():
                service.heartbeat(runner_id)
                _step(service, runners, stop, poll)
                for hook in [*hooks, *LOOP_HOOKS]:
                    hook(app, settings)
                backoff = 1.0
            service.heartbeat(runner_id, stop=True)
        except Exception as e:
            report(f"projections failed ({type(e).__name__}: {e}); restarting in {backoff:.0f} s")
            log.debug("projection failure", exc_info=True)
            stop.wait(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
        finally:
            for runner in runners:
                _close(runner)
            if app is not None:
                app.close()


def _resume(service: ReadModelService, report: Callable[[str], None]) -> None:
    """Stopped read models get one more try (a new release may apply the event)."""
    resumed = service.resume()
    if resumed:
        report(f"trying the stopped read models again: {', '.join(resumed)}")


def _catch_up(service: ReadModelService, report: Callable[[str], None]) -> None:
    """The batch catch-up from the tracked positions before following."""
    caught = service.catch_up()
    if caught >= TIDY_AFTER:
        service.tidy()
    report(f"caught up ({caught} events); positions {service.positions()}")
    for name, st in service.stopped.items():
        report(f"read model {name} is stopped at position {st.position}: {st.reason}")


def _step(
    service: ReadModelService,
    runners: Sequence[ProjectionRunner[Any, Any]],
    stop: threading.Event,
    poll: float,
) -> None:
    """One turn of the loop: each runner for its share of ``poll`` and then the other
    followers (PostgreSQL), or a catch-up from the log, waiting ``poll`` when it was idle."""
    if runners:
        for runner in runners:
            runner.run_forever(timeout=poll / len(runners))
            if runner.is_interrupted.is_set() and not stop.is_set():
                raise RuntimeError("a projection runner stopped")
        service.drive_followers()
    elif service.catch_up() == 0:
        stop.wait(poll)


def _start_runners(
    settings: StoreSettings, projections: Sequence[type[ReadModelProjection]]
) -> list[ProjectionRunner[Any, Any]]:
    # Small pools: each runner has its own application and view.
    env = {**settings.env, "POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "2"}
    runners: list[ProjectionRunner[Any, Any]] = []
    try:
        for cls in projections:
            runners.append(
                ProjectionRunner(
                    application_class=Caseflow,
                    projection_class=cls,
                    view_class=cast(Any, view_class("postgres", cls.name, cls.schema)),
                    env=env,
                )
            )
    except BaseException:
        for runner in runners:
            _close(runner)
        raise
    return runners


def _close(runner: ProjectionRunner[Any, Any]) -> None:
    try:
        runner.__exit__(None, None, None)
    except Exception:
        log.debug("closing a projection runner failed", exc_info=True)

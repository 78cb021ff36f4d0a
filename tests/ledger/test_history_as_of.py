"""History as it was: `caseflow history CASE --as-of T --json`, the application's
case_history and a fresh replay agree for any T, including between two events of the same
second."""

from __future__ import annotations

import itertools
import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from click.testing import CliRunner

from caseflow.cli import main
from caseflow.domain import clock
from caseflow.domain.case import Case
from caseflow.domain.values import Stance
from caseflow.persistence import open_application
from tests.ledger.conftest import Store
from tests.world import FULL_DOCUMENT, World

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def build_case(store: Store) -> tuple[Any, list[datetime]]:
    now = {"t": T0 - timedelta(days=1)}
    with clock.frozen_at(lambda: now["t"]):
        w = World.build(store.app)
        now["t"] = T0
        case = w.proposed()
        now["t"] = T0 + timedelta(milliseconds=300)  # accepted in the same second
        store.app.accept_case(w["sekretariat"], case.id, w["sekretariat"])
        now["t"] = T0 + timedelta(milliseconds=700)  # drafted, still the same second
        store.app.draft_case(w["sekretariat"], case.id, FULL_DOCUMENT)
        now["t"] = T0 + timedelta(seconds=5)
        store.app.request_advice(
            w["sekretariat"], case.id, T0.date() + timedelta(days=14), w.meetings["kg"]
        )
        now["t"] = T0 + timedelta(seconds=5, microseconds=1)  # one microsecond later
        store.app.give_advice(w["kg"], case.id, Stance.SUPPORTS, "Godt innspill.")
    times: list[datetime] = [e.timestamp for e in store.app.case_events(case.id)]
    return case, times


def fresh_replay(url: str, case_id: Any, moment: datetime) -> tuple[int, dict[str, Any]]:
    """A new application instance; fold the case's stored events up to ``moment``."""
    app, _ = open_application(url)
    try:
        agg = None
        event: Any
        for event in app.events.get(case_id):
            if event.timestamp <= moment:
                agg = event.mutate(agg)
        assert isinstance(agg, Case)
        return agg.version, json.loads(json.dumps(app.case_view(agg).as_dict(), default=str))
    finally:
        app.close()


def test_history_as_of_agrees_everywhere(store: Store) -> None:
    case, times = build_case(store)
    assert len(times) >= 5
    assert times[0].replace(microsecond=0) == times[2].replace(microsecond=0)  # same second
    rng = random.Random(6)
    moments = list(times)  # exactly at each event
    moments += [a + (b - a) / 2 for a, b in itertools.pairwise(times)]  # between
    moments += [
        times[0]
        + timedelta(
            microseconds=rng.randrange(int((times[-1] - times[0]) / timedelta(microseconds=1)))
        )
        for _ in range(10)
    ]
    moments.append(times[-1] + timedelta(days=3))
    runner = CliRunner()
    for moment in moments:
        result = runner.invoke(
            main,
            [
                "--database-url",
                store.url,
                "history",
                str(case.id),
                "--as-of",
                moment.isoformat(),
                "--json",
            ],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        from_cli = json.loads(result.output)
        view = store.app.case_history(None, case.id, as_of=moment)
        from_app = json.loads(json.dumps(view.as_dict(), default=str, ensure_ascii=False))
        # the CLI gives the events up to the cut, as the API does (issue 16)
        from_app["events"] = [e for e in from_app["events"] if e["version"] <= view.at_version]
        assert from_cli == from_app
        expected_version = sum(1 for t in times if t <= moment)
        version, state = fresh_replay(store.url, case.id, moment)
        assert from_cli["at_version"] == version == expected_version, moment
        assert from_cli["state"] == state


def test_history_before_the_case_existed_is_refused(store: Store) -> None:
    case, times = build_case(store)
    result = CliRunner().invoke(
        main,
        [
            "--database-url",
            store.url,
            "history",
            str(case.id),
            "--as-of",
            (times[0] - timedelta(microseconds=1)).isoformat(),
            "--json",
        ],
    )
    assert result.exit_code == 1  # a refused request (InvalidInput), one line on stderr
    assert "saken fantes ikke ennå" in result.output  # bokmål, CASEFLOW_LANGUAGE's default

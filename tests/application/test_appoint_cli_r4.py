"""Issue 12, finding 7: ``caseflow group appoint`` keeps R4 as the group's act: a member
recording their own appointment alone is refused (exit 1, R4, nothing recorded); with
``--confirmed-by`` a second non-observer member of the group it is recorded, with the
confirmation on the event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from caseflow.cli import main
from caseflow.persistence import open_application
from tests.world import World


@pytest.fixture
def built(store_url: str) -> Iterator[tuple[str, World]]:
    app, _ = open_application(store_url)
    try:
        yield store_url, World.build(app)
    finally:
        app.close()


def appoint(url: str, *args: str):
    base = ["--database-url", url, "group", "appoint", "atp", "atp@test.caseflow.no"]
    return CliRunner().invoke(main, [*base, *args])


def test_member_appointing_themselves_alone_is_refused_r4(built) -> None:
    url, w = built
    before = w.app.recorder.max_notification_id()
    result = appoint(url, "--as", "atp@test.caseflow.no")
    assert result.exit_code == 1
    assert "R4" in result.output
    assert "utnevner ikke seg selv alene" in result.output  # bokmål, the CLI's default
    for confirmer in ("observator", "atp", "kg"):
        refused = appoint(
            url, "--as", "atp@test.caseflow.no", "--confirmed-by", f"{confirmer}@test.caseflow.no"
        )
        assert refused.exit_code == 1, confirmer
        assert "R4" in refused.output, confirmer
    assert w.app.recorder.max_notification_id() == before
    assert w.app.group_by_slug("atp").leader == w["atp-leder"]


def test_with_a_second_members_confirmation_it_is_recorded(built) -> None:
    url, w = built
    result = appoint(
        url, "--as", "atp@test.caseflow.no", "--confirmed-by", "atp-leder@test.caseflow.no"
    )
    assert result.exit_code == 0, result.output
    assert "confirmed by atp-leder@test.caseflow.no" in result.output
    group = w.app.group_by_slug("atp")
    assert group.leader == w["atp"]
    record = next(a for a in group.appointments if a.position == "leader")
    assert (record.recorded_by, record.confirmed_by) == (w["atp"], w["atp-leder"])
    event = list(w.app.events.get(w.groups["atp"]))[-1]
    assert event.confirmed_by == w["atp-leder"]
    assert event.actor == w["atp"].hex

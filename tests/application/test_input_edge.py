"""Issue 12, findings 1, 3 and 9, at the application's door (every test on a real SQLite
file and a real PostgreSQL schema): text with NUL, control characters, lone surrogates
or non-characters, and dates outside 1900–2200, are refused with ``InvalidInput`` naming
the field — whoever calls (web, API, CLI, a script) — and nothing is recorded. The CLI
says so in one line on stderr and exits 1."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from caseflow import i18n
from caseflow.application import Caseflow
from caseflow.cli import main
from caseflow.domain.errors import InvalidInput
from caseflow.domain.text import DATE_REFUSED, TEXT_REFUSED
from caseflow.domain.values import CaseKind, Document, MeetingBody, Stance
from tests.world import SYSTEM, World

#: One of each kind of character that text may not hold.
REFUSED_TEXT = [
    "nul a\x00b",
    "escape \x1b[31m",
    "bell \x07",
    "lone \ud800 surrogate",
    "reversed bom \ufffe",
    "non-character \uffff",
    "non-character \ufdd0",
    "last code point \U0010ffff",
    "plane one \U0001fffe",
]


def head(app: Caseflow) -> int | None:
    """The notification log's last id: unchanged when nothing was recorded."""
    return app.recorder.max_notification_id()


def refused(app: Caseflow, field: str, message: str, command: Any) -> None:
    before = head(app)
    with pytest.raises(InvalidInput) as caught:
        command()
    assert caught.value.fields == {field: [message]}, caught.value.fields
    assert str(caught.value) == f"{field}: {message}"
    assert head(app) == before, "a refused command recorded something"


@pytest.mark.parametrize("bad", REFUSED_TEXT, ids=lambda s: repr(s)[1:12])
def test_a_proposal_with_refused_characters_is_refused(world: World, bad: str) -> None:
    app = world.app
    refused(
        app,
        "title",
        TEXT_REFUSED,
        lambda: app.propose_case(world["atp"], world.groups["atp"], bad, "S", CaseKind.BOARD_CASE),
    )
    refused(
        app,
        "summary",
        TEXT_REFUSED,
        lambda: app.propose_case(world["atp"], world.groups["atp"], "T", bad, CaseKind.BOARD_CASE),
    )


def test_tab_newline_and_carriage_return_are_text(world: World) -> None:
    view = world.app.propose_case(
        world["atp"],
        world.groups["atp"],
        "Tittel\tmed tab",
        "Linje én\r\nlinje to\nøæå — «sitat» 😀",
        CaseKind.BOARD_CASE,
    )
    assert view.summary == "Linje én\r\nlinje to\nøæå — «sitat» 😀"


def test_every_text_of_every_step_is_checked(world: World) -> None:
    """Text inside values (the case document's fields) and the steps' own texts."""
    app = world.app
    sek = world["sekretariat"]
    case = world.accepted()
    refused(
        app,
        "assessment",
        TEXT_REFUSED,
        lambda: app.draft_case(sek, case.id, Document(background="B", assessment="a\x00")),
    )
    asked = world.advice_requested()
    refused(
        app,
        "text",
        TEXT_REFUSED,
        lambda: app.give_advice(world["kg"], asked.id, Stance.SUPPORTS, "Godt\ufffe"),
    )
    proposed = world.proposed()
    refused(app, "reason", TEXT_REFUSED, lambda: app.decline_case(sek, proposed.id, "nei\x00"))
    refused(
        app,
        "title",
        TEXT_REFUSED,
        lambda: app.add_standing_item(sek, world.meetings["kg"], "Eventuelt\x00"),
    )
    refused(
        app,
        "description",
        TEXT_REFUSED,
        lambda: app.register_measure(SYSTEM, "Tiltak", "transport", "beskri\x0cvelse"),
    )


def test_meetings_out_of_range_are_refused(world: World) -> None:
    """Finding 3: a meeting in 9999 made every meeting page answer 500."""
    app = world.app
    for starts_at in (
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(1899, 12, 31, 12, 0, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
    ):
        refused(
            app,
            "starts_at",
            DATE_REFUSED,
            lambda s=starts_at: app.schedule_meeting(SYSTEM, MeetingBody.KG, s),
        )
    start = datetime(2100, 5, 1, 10, 0, tzinfo=UTC)
    refused(
        app,
        "ends_at",
        DATE_REFUSED,
        lambda: app.schedule_meeting(
            SYSTEM, MeetingBody.KG, start, ends_at=datetime(2201, 1, 2, tzinfo=UTC)
        ),
    )
    # the edges themselves are dates
    edge = app.schedule_meeting(
        SYSTEM, MeetingBody.KG, datetime(2200, 12, 31, 23, 0, tzinfo=UTC), title="Ved grensen"
    )
    assert edge.starts_at.year == 2200
    assert app.schedule_meeting(SYSTEM, MeetingBody.KG, datetime(1900, 1, 1, 12, tzinfo=UTC))


def test_advice_deadline_and_history_moment_out_of_range(world: World) -> None:
    app = world.app
    case = world.drafted()
    refused(
        app,
        "deadline",
        DATE_REFUSED,
        lambda: app.request_advice(world["sekretariat"], case.id, date(9999, 12, 31)),
    )
    ok = app.request_advice(world["sekretariat"], case.id, date.today() + timedelta(days=7))
    assert ok.advice_deadline is not None
    for moment in (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, tzinfo=UTC)):
        with pytest.raises(InvalidInput) as caught:
            app.case_history(None, case.id, as_of=moment)
        assert caught.value.fields == {"as_of": [DATE_REFUSED]}


# -- the command line -------------------------------------------------------------------------


@pytest.fixture
def built(store_url: str) -> Any:
    from caseflow.persistence import open_application

    app, _ = open_application(store_url)
    try:
        yield store_url, World.build(app), app
    finally:
        app.close()


def cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(main, ["--database-url", url, *args])


def test_cli_refuses_nul_in_a_title_in_one_line_naming_the_field(built: Any) -> None:
    url, _world, app = built
    before = head(app)
    result = cli(
        url,
        "case",
        "propose",
        "--as",
        "atp@test.caseflow.no",
        "--group",
        "atp",
        "--title",
        "nul a\x00b",
        "--summary",
        "S",
    )
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    # in bokmål, CASEFLOW_LANGUAGE's default, translated by key (issue 15)
    nb = i18n.translate(TEXT_REFUSED, None, "nb")
    assert nb != TEXT_REFUSED
    assert lines == [f"caseflow: title: {nb}"], result.stderr
    assert result.stdout == ""
    assert head(app) == before


def test_cli_refuses_dates_out_of_range(built: Any) -> None:
    url, world, _app = built
    case = world.drafted()
    result = cli(
        url, "case", "step", case.reference, "request-advice", "--field", "deadline=9999-12-31"
    )
    assert result.exit_code == 1, result.output
    nb = i18n.translate(DATE_REFUSED, None, "nb")  # bokmål, the CLI's default
    assert result.stderr.splitlines() == [f"caseflow: deadline: {nb}"]
    result = cli(url, "history", case.reference, "--as-of", "0001-01-01T00:00:00+01:00")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"caseflow: as_of: {nb}"]

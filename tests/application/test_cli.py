"""The ``caseflow`` command line against a real store."""

from __future__ import annotations

import json
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


def cli(url: str, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--database-url", url, *args], input=input)


def test_history_prints_events_with_actor_role_and_time(built) -> None:
    url, w = built
    case = w.advised()
    result = cli(url, "history", case.reference)
    assert result.exit_code == 0, result.output
    assert "Proposed" in result.output
    assert "AdviceClosed" in result.output
    assert "Tor Transport" in result.output
    assert "atp:member" in result.output
    as_json = json.loads(cli(url, "history", case.reference, "--json", "--version", "2").output)
    assert as_json["at_version"] == 2
    assert as_json["state"]["status"] == "under_preparation"
    assert as_json["events"][0]["role"] == "atp:member"


def test_history_unknown_case_exits_1(built) -> None:
    url, _ = built
    result = cli(url, "history", "OR-1999-001")
    assert result.exit_code == 1
    # the words of a hidden case too (issue 12 #10), in bokmål: CASEFLOW_LANGUAGE's default
    assert "fant ikke saken" in result.output


def test_history_bad_usage_exits_2(built) -> None:
    url, w = built
    case = w.proposed()
    assert (
        cli(url, "history", case.reference, "--version", "1", "--as-of", "2020-01-01").exit_code
        == 2
    )
    assert cli(url, "history", case.reference, "--as-of", "yesterday").exit_code == 2


def test_kg_member_submit_refused_with_r1(built) -> None:
    url, w = built
    case = w.ready()
    result = cli(
        url,
        "case",
        "step",
        case.reference,
        "submit",
        "--as",
        "kg@test.caseflow.no",
        "--field",
        f"meeting_id={w.meetings['board']}",
    )
    assert result.exit_code == 1
    assert "R1" in result.output
    ok = cli(
        url,
        "case",
        "step",
        case.reference,
        "submit",
        "--as",
        "sekretariat@test.caseflow.no",
        "--field",
        f"meeting_id={w.meetings['board']}",
    )
    assert ok.exit_code == 0, ok.output
    assert "submitted" in ok.output  # numbered when the invitation goes out (issue 14)


def test_observer_proposal_refused_with_r9(built) -> None:
    url, _ = built
    result = cli(
        url,
        "case",
        "propose",
        "--as",
        "observator@test.caseflow.no",
        "--group",
        "atp",
        "--title",
        "T",
        "--summary",
        "S",
    )
    assert result.exit_code == 1
    assert "R9" in result.output


def test_non_member_municipality_refused_with_r10(built) -> None:
    url, _ = built
    result = cli(
        url,
        "group",
        "add-member",
        "atp",
        "halden@test.caseflow.no",
        "--role",
        "observer",
        "--as",
        "sekretariat@test.caseflow.no",
    )
    assert result.exit_code == 1
    assert "R10" in result.output


def test_secretariat_cannot_appoint_leader_r4(built) -> None:
    url, _ = built
    result = cli(
        url,
        "group",
        "appoint",
        "atp",
        "atp@test.caseflow.no",
        "--as",
        "sekretariat@test.caseflow.no",
    )
    assert result.exit_code == 1
    assert "R4" in result.output


def test_users_add_and_token(built) -> None:
    url, _w = built
    result = cli(
        url,
        "users",
        "add",
        "ny@test.caseflow.no",
        "--name",
        "Ny Bruker",
        "--password-stdin",
        input="hemmelig\n",
    )
    assert result.exit_code == 0, result.output
    app, _ = open_application(url)
    try:
        person = app.find_person_by_email("ny@test.caseflow.no")
        assert person is not None
        assert app.authenticate("ny@test.caseflow.no", "hemmelig") == person.id
        assert app.authenticate("ny@test.caseflow.no", "feil") is None
        token = cli(url, "users", "token", "ny@test.caseflow.no").output.strip()
        assert token.startswith("cf_")
        assert app.person_for_token(token) == person.id
        assert app.person_for_token(token + "x") is None
    finally:
        app.close()

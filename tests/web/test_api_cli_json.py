"""Issue 16, parity of reading: every read command of the CLI takes ``--json`` and gives
the same shapes as the API (dashed ids, ISO 8601 times, log positions in a history)."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from click.testing import CliRunner

from caseflow.cli import main
from tests.web.conftest import Site, email


@pytest.mark.parametrize(
    "args",
    [
        ["case", "show", "{ref}", "--json"],
        ["history", "{ref}", "--json"],
        ["users", "tokens", email("sekretariat"), "--json"],
        ["group", "list", "--json"],
        ["group", "show", "kg", "--json"],
        ["measure", "list", "--json"],
    ],
)
def test_every_read_command_takes_json(fresh_sqlite: Site, args: list[str]) -> None:
    site = fresh_sqlite
    site.app.issue_token(None, email("sekretariat"), "cli")
    ref = site.cases["advice"].reference
    url = site.flask.config["DATABASE_URL"]
    result = CliRunner().invoke(main, ["--database-url", url, *(a.format(ref=ref) for a in args)])
    assert result.exit_code == 0, result.output
    json.loads(result.output)


def test_history_json_has_positions_and_dashed_actors(fresh_sqlite: Site) -> None:
    site = fresh_sqlite
    url = site.flask.config["DATABASE_URL"]
    ref = site.cases["advice"].reference
    result = CliRunner().invoke(main, ["--database-url", url, "history", ref, "--json"])
    events = json.loads(result.output)["events"]
    assert all(isinstance(e["position"], int) for e in events)
    assert all(str(UUID(e["actor"])) == e["actor"] for e in events)

    cut = CliRunner().invoke(
        main, ["--database-url", url, "history", ref, "--version", "2", "--json"]
    )
    assert [e["version"] for e in json.loads(cut.output)["events"]] == [1, 2]

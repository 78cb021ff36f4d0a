"""``caseflow meeting …`` against a real store (both stores): the agenda's lifecycle from
the command line with the application's checks — a case waits unnumbered, the agenda is
ordered, the invitation numbers it, a supplementary item and its supplementary invitation,
a postponed item, a cancelled meeting; refusals are one line and exit 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner, Result

from caseflow.cli import main
from caseflow.persistence import open_application
from tests.world import World

SEK = "sekretariat@test.caseflow.no"


@pytest.fixture
def built(store_url: str) -> Iterator[tuple[str, World]]:
    app, _ = open_application(store_url)
    try:
        yield store_url, World.build(app)
    finally:
        app.close()


def cli(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--database-url", url, *args])


def _show(url: str, mid: str) -> dict:
    result = cli(url, "meeting", "show", mid, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_agenda_lifecycle_from_the_command_line(built: tuple[str, World]) -> None:
    url, w = built
    mid = str(w.meetings["board"])
    case = w.ready(title="Regional plan")
    assert cli(url, "meeting", "add-standard", mid, "--part", "opening", "--as", SEK).exit_code == 0
    added = cli(url, "meeting", "add-case", mid, case.reference, "--as", SEK)
    assert added.exit_code == 0, added.output
    assert [i["label"] for i in _show(url, mid)["agenda"]] == ["", "", ""]
    text = cli(url, "meeting", "show", mid).output
    assert "(unnumbered)" in text
    assert "Regional plan" in text
    version = str(_show(url, mid)["version"])
    moved = cli(
        url, "meeting", "move", mid, "3", "--to", "1", "--as", SEK, "--expected-version", version
    )
    assert moved.exit_code == 0, moved.output
    assert _show(url, mid)["agenda"][0]["title"] == "Regional plan"
    # a stale version is refused in one line, exit 1
    stale = cli(url, "meeting", "move", mid, "1", "--down", "--expected-version", version)
    assert stale.exit_code == 1
    assert len(stale.output.strip().splitlines()) == 1
    assert cli(url, "meeting", "invite", mid, "--as", SEK).exit_code == 0
    agenda = _show(url, mid)["agenda"]
    assert [i["label"] for i in agenda] == [f"Sak {n}/99" for n in range(1, 8)]
    assert agenda[0]["case_id"] == str(case.id)
    # moving is over once numbered
    refused = cli(url, "meeting", "move", mid, "Sak 2/99", "--up", "--as", SEK)
    assert refused.exit_code == 1
    # a supplementary item and the supplementary invitation
    late = w.ready(title="Sen sak")
    assert cli(url, "meeting", "add-case", mid, late.reference, "--as", SEK).exit_code == 0
    shown = cli(url, "meeting", "show", mid).output
    assert "Sak 8/99" in shown
    assert "[tilleggssak]" in shown
    assert cli(url, "meeting", "supplement", mid, "--as", SEK).exit_code == 0
    again = cli(url, "meeting", "supplement", mid, "--as", SEK)
    assert again.exit_code == 1  # nothing new to send
    assert _show(url, mid)["supplements"][0]["item_labels"] == ["Sak 8/99"]
    # postpone: kept with its number, marked; the case waits
    postponed = cli(
        url, "meeting", "postpone-item", mid, "Sak 8/99", "--reason", "Utredes", "--as", SEK
    )
    assert postponed.exit_code == 0, postponed.output
    assert "[tilleggssak, utsatt]" in cli(url, "meeting", "show", mid).output
    assert w.app.get_case(w["sekretariat"], late.id).status == "postponed"
    listed = cli(url, "meeting", "list", "--body", "board").output
    assert "Sak 1/99–Sak 8/99" in listed


def test_cancel_and_refusals(built: tuple[str, World]) -> None:
    url, w = built
    mid = str(w.meetings["board2"])
    case = w.ready()
    assert cli(url, "meeting", "add-case", mid, case.reference, "--as", SEK).exit_code == 0
    refused = cli(url, "meeting", "cancel", mid, "--reason", "Nei", "--as", "kg@test.caseflow.no")
    assert refused.exit_code == 1
    assert len(refused.output.strip().splitlines()) == 1
    assert cli(url, "meeting", "cancel", mid, "--reason", "Syk", "--as", SEK).exit_code == 0
    assert _show(url, mid)["status"] == "cancelled"
    assert w.app.get_case(w["sekretariat"], case.id).status == "ready"
    assert cli(url, "meeting", "held", mid, "--as", SEK).exit_code == 1
    assert cli(url, "meeting", "move", mid, "1").exit_code == 2  # neither --to nor --up/--down
    scheduled = cli(url, "meeting", "schedule", "kg", "2099-03-01T12:00", "--as", SEK)
    assert scheduled.exit_code == 0, scheduled.output
    new_id = scheduled.output.split()[0]
    starts = datetime.fromisoformat(_show(url, new_id)["starts_at"])
    assert starts == datetime(2099, 3, 1, 11, tzinfo=UTC)  # 12:00 Oslo time


def test_the_minutes_from_the_command_line(built: tuple[str, World]) -> None:
    url, w = built
    mid = w.app.schedule_meeting(None, "board", datetime(2025, 2, 10, 11, tzinfo=UTC)).id
    case = w.ready()
    cli(url, "meeting", "add-case", str(mid), case.reference, "--as", SEK)
    cli(url, "meeting", "invite", str(mid), "--as", SEK)
    assert cli(url, "meeting", "held", str(mid), "--as", SEK).exit_code == 0
    present = cli(url, "meeting", "attendance", str(mid), "--present", SEK, "--as", SEK)
    assert present.exit_code == 0, present.output
    decided = cli(
        url, "meeting", "decide", str(mid), "Sak 1/25", "--decision", "Vedtatt.", "--as", SEK
    )
    assert decided.exit_code == 0, decided.output
    assert "vedtak: Vedtatt." in cli(url, "meeting", "show", str(mid)).output
    assert w.app.get_case(w["sekretariat"], case.id).status == "decided"


def test_warnings_are_printed_in_the_language_of_caseflow_language(
    built: tuple[str, World],
) -> None:
    """A planning warning (a later board meeting numbered first) is printed from the
    catalogs: bokmål by default, English with CASEFLOW_LANGUAGE=en."""
    url, w = built
    earlier, later = str(w.meetings["board"]), str(w.meetings["board2"])
    assert cli(url, "meeting", "add-standard", later, "--as", SEK).exit_code == 0
    invited = cli(url, "meeting", "invite", later, "--as", SEK)
    assert invited.exit_code == 0, invited.output
    runner = CliRunner()
    nb = runner.invoke(
        main, ["--database-url", url, "meeting", "show", earlier], env={"CASEFLOW_LANGUAGE": "nb"}
    )
    assert nb.exit_code == 0, nb.output
    assert "sakslisten til et senere møte er allerede nummerert" in nb.stderr
    assert "a later meeting's agenda" not in nb.stderr
    en = runner.invoke(
        main, ["--database-url", url, "meeting", "show", earlier], env={"CASEFLOW_LANGUAGE": "en"}
    )
    assert "a later meeting's agenda is numbered already" in en.stderr


def test_the_protokoll_as_pdf_from_the_command_line(built: tuple[str, World], tmp_path) -> None:
    """``caseflow meeting protokoll MEETING -o FILE`` writes the minutes as PDF: the
    decision and the meeting's time in Oslo time (11:00 UTC is 12:00 in February)."""
    import io

    from pypdf import PdfReader

    url, w = built
    mid = str(w.app.schedule_meeting(None, "board", datetime(2025, 2, 10, 11, tzinfo=UTC)).id)
    case = w.ready()
    cli(url, "meeting", "add-case", mid, case.reference, "--as", SEK)
    cli(url, "meeting", "invite", mid, "--as", SEK)
    cli(url, "meeting", "held", mid, "--as", SEK)
    cli(url, "meeting", "decide", mid, "Sak 1/25", "--decision", "Vedtatt som foreslått.")
    out = tmp_path / "protokoll.pdf"
    written = cli(url, "meeting", "protokoll", mid, "-o", str(out), "--as", SEK)
    assert written.exit_code == 0, written.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Vedtatt som foreslått." in text
    assert "10.02.2025 kl. 12:00" in text
    assert "Sak 1/25" in text
    # approving with no referat uploaded stores the generated protokoll as the minutes
    approved = cli(url, "meeting", "approve-minutes", mid, "--as", SEK)
    assert approved.exit_code == 0, approved.output
    shown = _show(url, mid)
    assert shown["status"] == "minutes_approved"
    [minutes] = [a for a in shown["attachments"] if a["kind"] == "minutes"]
    assert minutes["sha256"] == shown["approved_minutes"]
    again = cli(url, "meeting", "approve-minutes", mid, "--as", SEK)
    assert again.exit_code == 1

"""A store written by the release before issue 14 (numbers issued when an item was added;
``tests/fixtures/make_release_store.py`` says how it was made) opened with today's code:
its agendas show the numbers they had, histories read, the hash chain verifies, and its
planned meetings go on with the new lifecycle (the invitation numbers what waits)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner

from caseflow.application import Caseflow, Settings
from caseflow.cli import main
from caseflow.persistence import open_application
from caseflow.persistence.attachments import AttachmentStore

FIXTURES = Path(__file__).parent.parent / "fixtures"
IDS = json.loads((FIXTURES / "release-0.1.json").read_text(encoding="utf-8"))


def _id(kind: str, name: str) -> UUID:
    return UUID(IDS[kind][name])


@pytest.fixture
def old_store(tmp_path: Path) -> str:
    """A copy of the fixture (the fixture itself is never written to)."""
    shutil.copy(FIXTURES / "release-0.1.sqlite3", tmp_path / "old.sqlite3")
    shutil.copytree(FIXTURES / "release-0.1-attachments", tmp_path / "attachments")
    return f"sqlite:///{tmp_path}/old.sqlite3"


@pytest.fixture
def app(old_store: str, tmp_path: Path) -> Iterator[Caseflow]:
    application, _ = open_application(old_store, Settings())
    application.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    try:
        yield application
    finally:
        application.close()


def _agenda(app: Caseflow, name: str) -> list[str]:
    return [f"{i.label} {i.title}" for i in app.get_meeting(_id("meetings", name)).agenda]


def test_old_agendas_show_the_numbers_they_had(app: Caseflow) -> None:
    assert _agenda(app, "board_2025") == [
        "Sak 1/25 Godkjenning av innkalling",
        "Sak 2/25 Godkjenning av referat fra forrige møte",
        "Sak 3/25 Regional transportplan",
        "Sak 4/25 Orientering fra styrets medlemmer",
        "Sak 5/25 Orientering fra interessepolitisk utvalg",
        "Sak 6/25 Orientering fra sekretariatet",
        "Sak 7/25 Eventuelt",
    ]
    assert _agenda(app, "kg_2025") == [
        "Sak 1 Godkjenning av innkalling og saksliste",
        "Sak 2 Godkjenning av referat fra forrige møte",
        "Sak 3 Regional transportplan",
        "Sak 4 Eventuelt",
    ]
    # the interleaving the old release made stays as it was written
    assert _agenda(app, "board") == [
        "Sak 1/99 Godkjenning av innkalling",
        "Sak 2/99 Godkjenning av referat fra styremøte 10.02.2025",
        "Sak 5/99 Innspill til NTP",
    ]
    old = app.get_meeting(_id("meetings", "board_2025"))
    assert old.status == "minutes_approved"
    assert [a.rule for a in old.attachments if a.kind == "kg_minutes"] == ["R15"]
    assert not any(i.supplementary or i.postponed or i.withdrawn for i in old.agenda)


def test_old_cases_keep_their_board_numbers_and_histories_read(app: Caseflow) -> None:
    auditor = _id("people", "revisor")
    decided = app.get_case(auditor, _id("cases", "decided"))
    assert (decided.status, decided.board_number) == ("decided", "Sak 3/25")
    waiting = app.get_case(auditor, _id("cases", "submitted"))
    assert (waiting.status, waiting.board_number) == ("submitted", "Sak 5/99")
    history = app.case_history(auditor, _id("cases", "decided"))
    assert [e.type for e in history.events][-3:] == ["MarkedReady", "SubmittedToBoard", "Decided"]
    submitted = history.events[-2]
    assert (submitted.data["number"], submitted.data["year"]) == (3, 2025)
    assert history.state.status == "decided"
    assert history.state.board_number == "Sak 3/25"


def test_audit_verify_passes_on_the_old_store_and_after_new_events(
    app: Caseflow, old_store: str
) -> None:
    runner = CliRunner()
    before = runner.invoke(main, ["--database-url", old_store, "audit", "verify"])
    assert before.exit_code == 0, before.output
    assert before.output.startswith("ok: 130 events")
    # the new lifecycle on an old planned meeting: the invitation numbers what waits,
    # continuing the year's sequence the old release used
    s = _id("people", "sekretariat")
    board2 = _id("meetings", "board2")
    app.add_standing_item(s, board2, "Orientering om budsjett")
    sent = app.send_invitation(s, board2)
    assert [i.label for i in sent.agenda] == [
        "Sak 3/99",
        "Sak 4/99",
        "Sak 6/99",
        "Sak 7/99",
        "Sak 8/99",
        "Sak 9/99",
        "Sak 10/99",
    ]
    after = runner.invoke(main, ["--database-url", old_store, "audit", "verify"])
    assert after.exit_code == 0, after.output
    assert not after.output.startswith("ok: 130 events")

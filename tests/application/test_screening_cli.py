"""Issue 18: ``caseflow case screen|unscreen|legal-bases`` and ``caseflow meeting
screen-item|unscreen-item`` against a real store (SQLite file and PostgreSQL): the
application's checks, a refusal on stderr with exit status 1 and nothing recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from caseflow.application import Caseflow
from caseflow.cli import main
from caseflow.demo.documents import minimal_pdf
from caseflow.domain.screening import MASK
from caseflow.persistence import open_application
from caseflow.persistence.attachments import AttachmentStore
from tests.world import World

SEKRETARIAT = "sekretariat@test.caseflow.no"


@pytest.fixture
def built(store_url: str, tmp_path: Path) -> Iterator[tuple[str, Caseflow, World]]:
    app, _ = open_application(store_url)
    app.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    try:
        yield store_url, app, World.build(app)
    finally:
        app.close()


def cli(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--database-url", url, *args], env={"CASEFLOW_LANGUAGE": "en"})


def test_the_secretariat_screens_and_unscreens_a_case(built: tuple[str, Caseflow, World]) -> None:
    url, app, w = built
    case = w.accepted(title="Avtale med Bygg AS")
    done = cli(
        url,
        "case",
        "screen",
        case.reference,
        "--basis",
        "offl-23",
        "--words",
        "Bygg AS",
        "--as",
        SEKRETARIAT,
    )
    assert done.exit_code == 0, done.output
    assert f"“Avtale med {MASK}”" in done.output
    lifted = cli(
        url, "case", "unscreen", case.reference, "--reason", "Inngått", "--as", SEKRETARIAT
    )
    assert lifted.exit_code == 0, lifted.output
    assert app.get_case(None, case.id).screening is None


def test_a_preview_records_nothing(built: tuple[str, Caseflow, World]) -> None:
    url, app, w = built
    case = w.accepted(title="Avtale med Bygg AS")
    shown = cli(
        url,
        "case",
        "screen",
        case.reference,
        "--basis",
        "Offl. § 23",
        "--words",
        "Bygg AS",
        "--preview",
        "--as",
        SEKRETARIAT,
    )
    assert shown.output.strip() == f"Offl. § 23 “Avtale med {MASK}”"
    assert app.get_case(None, case.id).version == case.version


def test_a_non_secretariat_is_refused_with_exit_1(built: tuple[str, Caseflow, World]) -> None:
    url, app, w = built
    case = w.accepted(title="Avtale med Bygg AS")
    refused = cli(
        url,
        "case",
        "screen",
        case.reference,
        "--basis",
        "offl-23",
        "--words",
        "Bygg AS",
        "--as",
        "atp@test.caseflow.no",
    )
    assert refused.exit_code == 1
    assert "Only the secretariat" in refused.output
    assert app.get_case(None, case.id).version == case.version


def test_a_document_is_screened_with_document(built: tuple[str, Caseflow, World]) -> None:
    url, app, w = built
    case = w.accepted(title="Avtale med Bygg AS")
    added = app.documents.add_document(
        w["sekretariat"],
        case.id,
        "t.pdf",
        minimal_pdf("T", ["x"]),
        kind="vedlegg",
        title="Tilbud fra Bygg AS",
    )
    assert added.document is not None
    done = cli(
        url,
        "case",
        "screen",
        case.reference,
        "--document",
        str(added.document.id),
        "--basis",
        "offl-13-fvl-13-1-2",
        "--words",
        "Bygg AS",
        "--as",
        SEKRETARIAT,
    )
    assert done.exit_code == 0, done.output
    assert f"“Tilbud fra {MASK}”" in done.output


def test_a_free_item_is_screened(built: tuple[str, Caseflow, World]) -> None:
    url, app, w = built
    meeting = app.add_standing_item(w["sekretariat"], w.meetings["board"], "Tvist med Rør AS")
    key = meeting.agenda[-1].key
    done = cli(
        url,
        "meeting",
        "screen-item",
        str(meeting.id),
        key,
        "--basis",
        "offl-23",
        "--words",
        "Rør AS",
        "--as",
        SEKRETARIAT,
    )
    assert done.exit_code == 0, done.output
    assert f"“Tvist med {MASK}”" in done.output
    lifted = cli(
        url,
        "meeting",
        "unscreen-item",
        str(meeting.id),
        key,
        "--reason",
        "Løst",
        "--as",
        SEKRETARIAT,
    )
    assert lifted.exit_code == 0, lifted.output


def test_the_legal_bases_are_listed(built: tuple[str, Caseflow, World]) -> None:
    url, _app, _w = built
    found = json.loads(cli(url, "case", "legal-bases", "--json").output)
    assert {b["key"] for b in found["items"]} >= {"offl-13-fvl-13", "offl-14", "offl-23"}

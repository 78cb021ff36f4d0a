"""Issue 18: the demo screens an agreement naming a company (Offl. § 23) and a personnel
matter naming an employee (Offl. § 13 jf. fvl. § 13) through the application's commands,
with their documents; the board's resolution and the minutes name them by their public
titles, so the public pages and the leak test have screened content."""

from __future__ import annotations

import io
import os
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from caseflow.cli import main
from caseflow.demo.screening import AGREEMENT, PERSONNEL, SCREENED
from caseflow.domain.screening import MASK
from caseflow.persistence import open_application, parse_database_url
from caseflow.persistence.attachments import AttachmentStore
from caseflow.readmodels import open_read_models
from caseflow.readmodels.api import CaseFilter

PRESENT = "2026-11-28T12:00:00+00:00"


def test_the_demo_screens_cases_and_documents(sqlite_url: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CASEFLOW_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    result = CliRunner().invoke(
        main, ["--database-url", sqlite_url, "demo", "--present", PRESENT, "--quiet"]
    )
    assert result.exit_code == 0, result.output
    app, _ = open_application(sqlite_url)
    app.use_attachment_store(AttachmentStore.from_environ(os.environ))
    try:
        read = open_read_models(app, parse_database_url(sqlite_url))
        read.catch_up()
        rows = {r.title: r for r in read.cases(CaseFilter(screened=True, per_page=100)).items}
        assert {t: r.legal_basis for t, r in rows.items()} == {
            AGREEMENT: "Offl. § 23",
            PERSONNEL: "Offl. § 13 jf. fvl. § 13",
        }
        words = [w for s in SCREENED.values() for w in s.words]
        for row in rows.values():
            assert MASK in row.public_title
            case = app.get_case(None, row.id)
            assert not any(w in (case.resolution or "") for w in words), case.resolution
            for doc in app.documents.case_documents(None, row.id).documents:
                assert doc.screened, (row.title, doc.title)
                assert not any(w in doc.public_title for w in words), doc.public_title
        meetings = {c.board_meeting_id for c in (app.get_case(None, r.id) for r in rows.values())}
        checked = 0
        for mid in meetings - {None}:
            view = app.get_meeting(mid)
            for attachment in view.attachments:
                _meta, data = app.attachment_file(None, mid, attachment.sha256)
                text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
                assert not any(w in text for w in words), attachment.title
                checked += 1
        assert checked >= 1  # the decided case's meeting has its minutes
    finally:
        app.close()

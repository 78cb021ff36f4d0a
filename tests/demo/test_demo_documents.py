"""Issue 14: the demo gives every submitted case its saksframlegg (a real, one-page PDF
that pypdf reads) and some cases a vedlegg, by the secretariat, through the application."""

from __future__ import annotations

import io
import os
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from caseflow.cli import main
from caseflow.domain.documents import DocumentKind
from caseflow.domain.values import CaseStatus
from caseflow.persistence import open_application
from caseflow.persistence.attachments import AttachmentStore

PRESENT = "2026-11-28T12:00:00+00:00"
SUBMITTED = {CaseStatus.SUBMITTED, CaseStatus.POSTPONED, CaseStatus.DECIDED}


def test_every_submitted_demo_case_has_a_saksframlegg(
    sqlite_url: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CASEFLOW_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    result = CliRunner().invoke(
        main, ["--database-url", sqlite_url, "demo", "--present", PRESENT, "--quiet"]
    )
    assert result.exit_code == 0, result.output
    app, _ = open_application(sqlite_url)
    app.use_attachment_store(AttachmentStore.from_environ(os.environ))
    try:
        submitted = [c for cid in app.case_ids() if (c := app.load_case(cid)).status in SUBMITTED]
        assert len(submitted) >= 5
        vedlegg = 0
        for case in submitted:
            documents = app.documents.case_documents(None, case.id).documents
            kinds = [d.kind for d in documents]
            assert kinds.count(DocumentKind.SAKSFRAMLEGG) == 1, case.reference
            vedlegg += kinds.count(DocumentKind.VEDLEGG)
            first = documents[0]
            assert first.current.role == "secretariat"
            _, _, data = app.documents.document_file(None, case.id, first.id, 1)
            assert case.reference in PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert 0 < vedlegg < len(submitted)
    finally:
        app.close()

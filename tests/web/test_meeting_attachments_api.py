"""The meeting page's file upload and download through the JSON API and the CLI (issue
16's parity): the same checks — numbered items only, files by content, expected_version,
visibility — and structured refusals that record nothing."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseflow.cli import main
from caseflow.persistence.attachments import AttachmentStore
from tests.web.conftest import Site, email

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def s(fresh: Site, tmp_path: Path) -> Site:
    fresh.app.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    return fresh


def _headers(s: Site, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {s.app.issue_token(None, email(key), 'test')}"}


def test_attach_and_download_through_the_api(s: Site) -> None:
    http, secretariat, kg_member = (
        s.flask.test_client(),
        _headers(s, "sekretariat"),
        _headers(s, "kg"),
    )
    mid = s.world.meetings["kg"]
    s.app.add_standard_items(None, mid, "opening")
    s.app.send_invitation(None, mid)
    version = s.app.get_meeting(mid).version
    url = f"/api/v1/meetings/{mid}/attachments"

    def post(data: dict[str, object], headers: dict[str, str] = secretariat) -> object:
        return http.post(url, data=data, headers=headers, content_type="multipart/form-data")

    before = s.app.recorder.max_notification_id()
    refused = post({"file": (io.BytesIO(b"MZ\x90\x00"), "x.pdf"), "expected_version": version})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "file" in refused.get_json()["error"]["fields"]  # type: ignore[attr-defined]
    stale = post({"file": (io.BytesIO(PDF), "notat.pdf"), "expected_version": version - 1})
    assert stale.status_code == 409  # type: ignore[attr-defined]
    kg = post({"file": (io.BytesIO(PDF), "notat.pdf")}, kg_member)
    assert kg.status_code == 403  # type: ignore[attr-defined]
    assert s.app.recorder.max_notification_id() == before  # nothing recorded

    r = post(
        {
            "file": (io.BytesIO(PDF), "notat.pdf"),
            "title": "Notat",
            "item_number": "2",
            "expected_version": version,
        }
    )
    assert r.status_code == 201, r.get_json()  # type: ignore[attr-defined]
    answer = r.get_json()  # type: ignore[attr-defined]
    assert answer == http.get(f"/api/v1/meetings/{mid}", headers=secretariat).get_json()
    sha = hashlib.sha256(PDF).hexdigest()
    assert [(a["sha256"], a["title"], a["item_number"]) for a in answer["attachments"]] == [
        (sha, "Notat", 2)
    ]
    got = http.get(f"{url}/{sha}", headers=kg_member)
    assert got.status_code == 200
    assert got.data == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert http.get(f"{url}/{'0' * 64}", headers=secretariat).status_code == 404
    assert http.get(f"{url}/{sha}").status_code == 401


def test_attach_and_fetch_with_the_cli(s: Site, tmp_path: Path) -> None:
    mid = s.world.meetings["kg"]
    s.app.add_standard_items(None, mid, "opening")
    s.app.send_invitation(None, mid)
    paper = tmp_path / "notat.pdf"
    paper.write_bytes(PDF)
    runner = CliRunner()
    base = ["--database-url", s.flask.config["DATABASE_URL"], "meeting"]
    env = {"CASEFLOW_ATTACHMENTS_DIR": str(s.app.attachment_store.directory)}
    refused = runner.invoke(
        main,
        [*base, "attach", str(mid), str(paper), "--item", "99", "--as", email("sekretariat")],
        env=env,
    )
    assert refused.exit_code == 1, refused.output
    who = email("sekretariat")
    done = runner.invoke(
        main,
        [*base, "attach", str(mid), str(paper), "--item", "2", "--title", "Notat", "--as", who],
        env=env,
    )
    assert done.exit_code == 0, done.output
    sha = hashlib.sha256(PDF).hexdigest()
    out = tmp_path / "copy.pdf"
    fetched = runner.invoke(
        main, [*base, "attachment", str(mid), sha, "-o", str(out), "--as", email("kg")], env=env
    )
    assert fetched.exit_code == 0, fetched.output
    assert out.read_bytes() == PDF

"""Issue 13: the attachment store is an adapter the composition roots give the application
(``use_attachment_store``); the application reads no environment for it and imports no
persistence (tests/unit/test_layers.py)."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest
from click.testing import CliRunner

from caseflow.cli import AppContext
from caseflow.persistence import open_application
from caseflow.persistence.attachments import AttachmentStore

PDF = b"%PDF-1.4\n% a minimal test file\n"


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An attachment directory and size limit named in the environment."""
    directory = tmp_path / "from-env"
    monkeypatch.setenv("CASEFLOW_ATTACHMENTS_DIR", str(directory))
    monkeypatch.setenv("CASEFLOW_ATTACHMENTS_MAX_BYTES", "4096")
    return directory


def test_an_application_given_no_store_refuses_files_and_reads_no_environment(
    store_url: str, configured: Path
) -> None:
    app, _ = open_application(store_url)
    try:
        with pytest.raises(RuntimeError, match="use_attachment_store"):
            app.add_attachment(None, uuid4(), "papers.pdf", PDF)
        assert not configured.exists()
    finally:
        app.close()


def test_the_cli_gives_the_store_the_environment_names(store_url: str, configured: Path) -> None:
    ctx = AppContext(store_url)
    try:
        store = ctx.app.attachment_store
        assert isinstance(store, AttachmentStore)
        assert store.directory == configured
        assert store.max_bytes == 4096
    finally:
        ctx.close()


def test_the_web_app_gives_the_store_the_environment_names(
    store_url: str, configured: Path, tmp_path: Path
) -> None:
    from web import create_app

    flask_app = create_app(
        {"DATABASE_URL": store_url, "SECRET_KEY": "t", "INSTANCE_PATH": str(tmp_path / "i")}
    )
    try:
        store = flask_app.extensions["caseflow"].attachment_store
        assert isinstance(store, AttachmentStore)
        assert store.directory == configured
        assert store.max_bytes == 4096
    finally:
        flask_app.extensions["caseflow"].close()


def test_the_demo_command_stores_the_minutes_where_the_environment_says(
    sqlite_url: str, configured: Path
) -> None:
    from caseflow.cli import main

    result = CliRunner().invoke(
        main,
        ["--database-url", sqlite_url, "demo", "--present", "2026-11-28T12:00:00+00:00"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert any(p.is_file() for p in configured.rglob("*"))

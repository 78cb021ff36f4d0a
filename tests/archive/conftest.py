"""Fixtures of the archive tests (issue 18): the owners' published schemas.

The schemas are read from ``../shared/standards/`` beside the project, or from
``CASEFLOW_STANDARDS_DIR``. Outside CI a missing folder skips with a message saying how to
enable the tests; under ``CI=true`` it is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]


def standards_path() -> Path:
    """Where the published schemas are: ``CASEFLOW_STANDARDS_DIR`` or ``../shared/standards``."""
    configured = os.environ.get("CASEFLOW_STANDARDS_DIR")
    return Path(configured) if configured else ROOT.parent / "shared" / "standards"


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    """The folder holding ``noark5/v5.0/``, ``addml/v8.3/`` and ``einnsyn/``."""
    path = standards_path()
    if not (path / "noark5" / "v5.0").is_dir() or not (path / "einnsyn").is_dir():
        message = (
            f"the published Noark 5, ADDML and eInnsyn schemas are not at {path}: set "
            "CASEFLOW_STANDARDS_DIR to a copy of them (see docs/archivists-guide.md)"
        )
        if IN_CI:
            pytest.fail(message + " — CI=true requires them")
        pytest.skip(message)
    return path

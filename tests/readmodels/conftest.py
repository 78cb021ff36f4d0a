"""Fixtures for the read-model tests: the read models of the test application."""

from __future__ import annotations

import pytest

from caseflow.application import Caseflow
from caseflow.persistence import parse_database_url
from caseflow.readmodels import ReadModelService, open_read_models


@pytest.fixture
def read(app: Caseflow, store_url: str) -> ReadModelService:
    return open_read_models(app, parse_database_url(store_url))

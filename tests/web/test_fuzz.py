"""A schema fuzz run: schemathesis generates requests from /api/v1/openapi.json (valid and
invalid ones, positive and negative generation) and sends them to the app; none may
answer with a server error. Bounded: MAX_EXAMPLES per operation and mode, a deadline per
example and a time budget for the whole run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.web.conftest import Site, build_site, email, store

MAX_EXAMPLES = 20
BUDGET_SECONDS = 240


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with store("sqlite", tmp) as url:
        site = build_site(url, tmp)
        try:
            yield site
        finally:
            site.app.close()


def operations(site: Site) -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", site.flask)
    results: Any = schema.get_all_operations()
    return [result.ok() for result in results]


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors(fuzz_site: Site, mode: GenerationMode) -> None:
    token = fuzz_site.app.issue_token(None, email("sekretariat"), "fuzz")
    headers = {"Authorization": f"Bearer {token}"}
    started = time.monotonic()
    failures: list[str] = []
    ops = operations(fuzz_site)
    assert len(ops) >= 29

    for operation in ops:
        if time.monotonic() - started > BUDGET_SECONDS:
            break

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=5000,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")
            elif response.status_code >= 400 and case.path != "/openapi.json":
                assert set(response.json()["error"]) == {"code", "message", "rule", "fields"}

        run()
    assert failures == []

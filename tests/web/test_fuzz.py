"""A schema fuzz run: schemathesis generates requests from /api/v1/openapi.json (valid and
invalid ones, positive and negative generation) and sends them to the app; none may
answer with a server error, and every error has the JSON error shape.

Bounded by examples, not by the clock: every operation of the document is a test of its
own (per generation mode) with at most MAX_EXAMPLES examples and a deadline per example,
so each operation is exercised and none is skipped when an earlier one is slow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

import web.api  # noqa: F401  (registers the API's operations)
import web.api_documents  # noqa: F401  (case documents, issue 14)
from tests.web.conftest import Site, build_site, email, store
from web.openapi import build_spec

MAX_EXAMPLES = 20

# The operations as the document states them, known when the tests are collected.
SPEC = build_spec()
DOCUMENTED = sorted(
    (method.upper(), path)
    for path, item in SPEC["paths"].items()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
)


def _has_input(method: str, path: str) -> bool:
    """Whether an operation has anything negative generation can make invalid: a path
    parameter, a query, a body or a required credential. GET /openapi.json has none (it
    is public and takes nothing), so it is fuzzed positively only."""
    item = SPEC["paths"][path]
    entry = item[method.lower()]
    return bool(
        item.get("parameters")
        or entry.get("parameters")
        or entry.get("requestBody")
        or entry.get("security") != []
    )


CASES = [
    pytest.param(method, path, mode, id=f"{method} {path}-{mode.value}")
    for method, path in DOCUMENTED
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or _has_input(method, path)
]


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with store("sqlite", tmp) as url:
        site = build_site(url, tmp)
        try:
            yield site
        finally:
            site.app.close()


@pytest.fixture(scope="module")
def served(fuzz_site: Site) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_site.flask)


@pytest.fixture(scope="module")
def operations(served: Any) -> dict[tuple[str, str], Any]:
    """schemathesis's operation for each documented (method, path), looked up one by one:
    its iteration (``get_all_operations``) leaves out GET /openapi.json, the document
    itself, which the old time-boxed loop therefore never fuzzed."""
    return {(method, path): served[path][method] for method, path in DOCUMENTED}


@pytest.fixture(scope="module")
def headers(fuzz_site: Site) -> dict[str, str]:
    token = fuzz_site.app.issue_token(None, email("sekretariat"), "fuzz")
    return {"Authorization": f"Bearer {token}"}


def test_every_served_operation_is_fuzzed(served: Any) -> None:
    """The parametrised list below is the whole served document (none left out)."""
    paths = served.raw_schema["paths"]
    found = sorted(
        (method.upper(), path)
        for path, item in paths.items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )
    assert found == DOCUMENTED
    assert len(DOCUMENTED) >= 29
    positive = {
        (m, p) for m, p, mode in (c.values for c in CASES) if mode is GenerationMode.POSITIVE
    }
    assert positive == set(DOCUMENTED)
    negative_only_skipped = set(DOCUMENTED) - {
        (m, p) for m, p, mode in (c.values for c in CASES) if mode is GenerationMode.NEGATIVE
    }
    assert negative_only_skipped == {("GET", "/openapi.json")}


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_no_server_errors(
    operations: dict[tuple[str, str], Any],
    headers: dict[str, str],
    method: str,
    path: str,
    mode: GenerationMode,
) -> None:
    operation = operations[(method, path)]
    failures: list[str] = []
    calls: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=5000,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        calls.append(response.status_code)
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")
        elif response.status_code >= 400 and case.path != "/openapi.json":
            assert set(response.json()["error"]) == {"code", "message", "rule", "fields"}

    run()
    assert calls, f"no example was generated for {method} {path}"
    assert failures == []

"""Contract tests (issue 16): schemathesis sends requests generated from
``/api/v1/openapi.json`` to the app, on SQLite and on PostgreSQL, and checks every answer
with all of its checks (status codes and content types documented, the answer matches
its schema, valid data accepted and invalid data refused, 405 with ``Allow``, …).

Bounded by examples, not by the clock: each operation is a test of its own with at most
MAX_EXAMPLES examples per generation mode."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

import web.api  # noqa: F401  (registers the API's operations)
from tests.web.conftest import Site, build_site, email, store
from web.openapi import build_spec

MAX_EXAMPLES = 10

SPEC = build_spec()
OPERATIONS = sorted(
    (method.upper(), path)
    for path, item in SPEC["paths"].items()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
)

# Dates and times within the range the server takes (1900-01-01 … 2200-12-31, which the
# document states as a pattern on the year): the generator would mostly miss it.
schemathesis.openapi.format(
    "date",
    st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(date.isoformat),
)
schemathesis.openapi.format(
    "date-time",
    st.datetimes(datetime(1900, 1, 2), datetime(2200, 12, 30), timezones=st.just(UTC)).map(
        datetime.isoformat
    ),
)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def contract_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    tmp: Path = tmp_path_factory.mktemp("contract")
    with store(request.param, tmp) as url:
        site = build_site(url, tmp)
        try:
            yield site
        finally:
            site.app.close()


@pytest.fixture(scope="module")
def served(contract_site: Site) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", contract_site.flask)


@pytest.fixture(scope="module")
def headers(contract_site: Site) -> dict[str, str]:
    token = contract_site.app.issue_token(None, email("sekretariat"), "contract")
    return {"Authorization": f"Bearer {token}"}


def _has_input(method: str, path: str) -> bool:
    """Whether negative generation has anything to make invalid (GET /openapi.json, public
    and without parameters, has not)."""
    item = SPEC["paths"][path]
    entry = item[method.lower()]
    return bool(
        item.get("parameters")
        or entry.get("parameters")
        or entry.get("requestBody")
        or entry.get("security") != []
    )


#: The schema's refusal of a body or query (web.errors.validation_body), in English.
SCHEMA_REFUSAL = "Some fields are invalid."


def test_every_operation_is_tested() -> None:
    """The parametrised list is the whole document, each operation in both modes where it
    has input."""
    assert len(OPERATIONS) >= 33
    assert [op for op in OPERATIONS if not _has_input(*op)] == [("GET", "/openapi.json")]


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_contract(served: Any, headers: dict[str, str], method: str, path: str) -> None:
    """All of schemathesis's checks, with one refinement of "valid data is accepted": a
    request the document allows may still break a rule between its fields or against the
    stored state (a board meeting naming a group, an unknown person, a version the case
    has not reached is 404) — the domain's refusal, 422 naming the field and its rule.
    What the check must catch is a refusal by the schema the document was made from, and
    any 400: those fail here."""
    operation = served[path][method]
    failures: list[str] = []
    calls: list[int] = []
    modes = [GenerationMode.POSITIVE]
    if _has_input(method, path):
        modes.append(GenerationMode.NEGATIVE)
    for generation in modes:

        @given(case=operation.as_strategy(generation_mode=generation))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case: Any) -> None:
            mode = case.meta.generation.mode if case.meta else GenerationMode.POSITIVE
            sent = {**headers, "Accept-Language": "en"}
            try:
                response = case.call_and_validate(
                    headers=sent, excluded_checks=[positive_data_acceptance]
                )
            except Exception as e:  # collected: every failure is reported
                failures.append(f"{mode.value} {case.method} {case.formatted_path}: {e}"[:1500])
                return
            calls.append(response.status_code)
            if mode is GenerationMode.POSITIVE and response.status_code in (400, 422):
                error = response.json()["error"]
                if response.status_code == 400 or error["message"] == SCHEMA_REFUSAL:
                    failures.append(
                        f"valid by the document, refused: {case.method} {case.formatted_path} "
                        f"{case.query} {case.body!r:.300} -> {error}"
                    )

        run()
    assert calls, f"no example was generated for {method} {path}"
    assert failures == []

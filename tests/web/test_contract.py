"""Contract tests (issue 16): schemathesis sends requests generated from
``/api/v1/openapi.json`` to the app, on SQLite and on PostgreSQL, and checks every answer
with all of its checks (status codes and content types documented, the answer matches
its schema, valid data accepted and invalid data refused, 405 with ``Allow``, …).

Bounded by examples, not by the clock: each operation is a test of its own with at most
MAX_EXAMPLES examples per generation mode."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

import web
from tests.web.conftest import Site, build_site, email, store
from web.openapi import build_spec

MAX_EXAMPLES = 10

# Every part of the API registers its operations when imported (web.api, web.api_*).
for _part in pkgutil.iter_modules(web.__path__):
    if _part.name == "api" or _part.name.startswith("api_"):
        importlib.import_module(f"web.{_part.name}")

METHODS = {"get", "post", "put", "patch", "delete"}
SPEC = build_spec()
OPERATIONS = sorted(
    (method.upper(), path)
    for path, item in SPEC["paths"].items()
    for method in item
    if method in METHODS
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


@dataclass
class Served:
    """One store's site, the schemathesis view of its document and a token."""

    site: Site
    headers: dict[str, str]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Served]]:
    """The site on SQLite and on PostgreSQL: each operation's test runs on both, with the
    same strategies (analysing an operation's schemas is the costly part of a run)."""
    with ExitStack() as stack:
        served = []
        for kind in ("sqlite", "postgres"):
            tmp: Path = tmp_path_factory.mktemp(f"contract-{kind}")
            url = stack.enter_context(store(kind, tmp))
            site = build_site(url, tmp)
            stack.callback(site.app.close)
            token = site.app.issue_token(None, email("sekretariat"), "contract")
            served.append(Served(site, {"Authorization": f"Bearer {token}"}))
        yield served


@pytest.fixture(scope="module")
def schema(stores: list[Served]) -> Any:
    """The document as the first site serves it (every site serves the same one)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", stores[0].site.flask)


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


def test_every_operation_is_tested(schema: Any) -> None:
    """The parametrised list is the whole served document (none left out: schemathesis's
    own iteration leaves out GET /openapi.json), each operation in both modes where it has
    input. (This replaces tests/web/test_fuzz.py, which fuzzed for server errors and the
    error shape only; both are checked here.)"""
    paths = schema.raw_schema["paths"]
    found = sorted((m.upper(), p) for p, item in paths.items() for m in item if m in METHODS)
    assert found == OPERATIONS
    assert len(OPERATIONS) >= 33
    assert [op for op in OPERATIONS if not _has_input(*op)] == [("GET", "/openapi.json")]


def _check(case: Any, served: Served, failures: list[str], calls: list[int]) -> None:
    """Send ``case`` to ``served``'s site and record what fails."""
    mode = case.meta.generation.mode if case.meta else GenerationMode.POSITIVE
    sent = {**served.headers, "Accept-Language": "en"}
    try:
        response = case.call_and_validate(
            headers=sent,
            excluded_checks=[positive_data_acceptance],
            app=served.site.flask,
        )
    except Exception as e:  # collected: every failure is reported
        failures.append(f"{mode.value} {case.method} {case.formatted_path}: {e}"[:1500])
        return
    calls.append(response.status_code)
    if response.status_code >= 400 and case.path != "/openapi.json":
        # exactly the error shape of API.md (the schema allows more)
        assert set(response.json()["error"]) == {"code", "message", "rule", "fields"}
    if mode is GenerationMode.POSITIVE and response.status_code in (400, 422):
        error = response.json()["error"]
        if response.status_code == 400 or error["message"] == SCHEMA_REFUSAL:
            failures.append(
                f"valid by the document, refused: {case.method} {case.formatted_path} "
                f"{case.query} {case.body!r:.300} -> {error}"
            )


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_contract(schema: Any, stores: list[Served], method: str, path: str) -> None:
    """All of schemathesis's checks, with one refinement of "valid data is accepted": a
    request the document allows may still break a rule between its fields or against the
    stored state (a board meeting naming a group, an unknown person, a version the case
    has not reached is 404) — the domain's refusal, 422 naming the field and its rule.
    What the check must catch is a refusal by the schema the document was made from, and
    any 400: those fail here."""
    operation = schema[path][method]
    failures: list[str] = []
    calls: list[int] = []
    modes = [GenerationMode.POSITIVE]
    if _has_input(method, path):
        modes.append(GenerationMode.NEGATIVE)
    strategies = [operation.as_strategy(generation_mode=generation) for generation in modes]
    for served, strategy in ((x, y) for x in stores for y in strategies):

        @given(case=strategy)
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case: Any) -> None:
            _check(case, served, failures, calls)  # noqa: B023  (run at once, below)

        run()
    assert calls, f"no example was generated for {method} {path}"
    assert failures == []

"""Case visibility is one rule (``caseflow.domain.permissions.visibility``) with two
answers: the pure function the case pages use and the SQL filter the lists use. On the
demo store, for every person and every case, the list shows exactly the cases whose page
opens — on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from caseflow.application import Caseflow
from caseflow.cli import main
from caseflow.domain.case import Case
from caseflow.domain.errors import NotFoundError
from caseflow.persistence import open_application
from caseflow.readmodels import ReadModelService, open_read_models
from caseflow.readmodels.api import CaseFilter
from tests.conftest import postgres_schema
from web.queries import visible_cases

PRESENT = "2026-11-28T12:00:00+00:00"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Caseflow, ReadModelService]]:
    """The demo, loaded by `caseflow demo` as a user loads it, and read as the pages read."""
    folder = tmp_path_factory.mktemp("visibility")
    os.environ.setdefault("CASEFLOW_ATTACHMENTS_DIR", str(folder / "attachments"))

    def opened(url: str) -> Iterator[tuple[Caseflow, ReadModelService]]:
        result = CliRunner().invoke(
            main, ["--database-url", url, "demo", "--present", PRESENT, "--batch"]
        )
        assert result.exit_code == 0, result.output
        app, settings = open_application(url)
        read = open_read_models(app, settings, chain=False)
        try:
            read.freshen()  # what every page does first
            yield app, read
        finally:
            app.close()

    if request.param == "sqlite":
        yield from opened(f"sqlite:///{folder}/demo.sqlite3")
        return
    with postgres_schema("vis_") as url:
        yield from opened(url)


def test_every_demo_person_lists_exactly_the_cases_whose_page_opens(
    demo: tuple[Caseflow, ReadModelService],
) -> None:
    app, read = demo
    case_ids = app.case_ids()
    people = app.list_people()
    assert len(case_ids) >= 30  # the demo, not an empty store
    assert len(people) >= 20
    invited_somewhere = {p for cid in case_ids for p in app.for_query(Case, cid).invited}
    assert invited_somewhere, "the demo has R13 invitations, so that clause is tested too"
    kinds_of_answer = set()
    for person in people:
        actor = app.actor(person.id)
        listed = {
            row.id for row in visible_cases(app, read, actor, CaseFilter(per_page=1000)).items
        }
        opens = set()
        for cid in case_ids:
            try:
                app.get_case(person.id, cid)
                opens.add(cid)
            except NotFoundError:
                pass
        assert listed == opens, (person.name, sorted(map(str, listed ^ opens)))
        kinds_of_answer.add(len(opens) == len(case_ids))
    assert kinds_of_answer == {True, False}, "some people see everything, some do not"

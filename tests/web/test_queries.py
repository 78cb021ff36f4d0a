"""The lists' visibility rule gives the same answer as the case page's (the application's
``may_see``), for every person and every case of the test world."""

from __future__ import annotations

from caseflow.domain.errors import NotFoundError
from caseflow.readmodels.api import CaseFilter
from tests.web.conftest import Site
from web.queries import all_rows, may_see_row


def test_row_visibility_matches_the_case_page(site: Site) -> None:
    app = site.app
    read = site.flask.extensions["caseflow_read"]
    read.freshen()  # what every page does first
    rows = list(all_rows(read, CaseFilter()))
    assert len(rows) >= len(site.cases)
    for person in site.world.people.values():
        actor = app.actor(person)
        for row in rows:
            try:
                app.get_case(person, row.id)
                visible = True
            except NotFoundError:
                visible = False
            assert may_see_row(actor, row, app.kg_id()) == visible, (person, row.reference)

"""A page of the case list is one statement on PostgreSQL (issue 19: the count, the rows
and their R13 invitations together; three statements on SQLite): the same page on both
stores — the rows, how many there are, each row's invited leaders, an empty page past
the last."""

from __future__ import annotations

from uuid import UUID

from caseflow.readmodels.api import CaseFilter, CaseVisibility
from tests.web.conftest import Site


def _invited_in_table(site: Site) -> dict[UUID, frozenset[UUID]]:
    service = site.flask.extensions["caseflow_read"]
    found: dict[UUID, set[UUID]] = {}
    with service.projections["cases"].view.reading() as tx:
        for case_id, person_id in tx.all("SELECT case_id, person_id FROM {t_invited}"):
            found.setdefault(UUID(case_id), set()).add(UUID(person_id))
    return {c: frozenset(p) for c, p in found.items()}


def test_a_page_of_cases_with_its_count_and_invitations(fresh: Site) -> None:
    w, read = fresh.world, fresh.flask.extensions["caseflow_read"]
    invited = w.advice_requested(title="Med innspill fra ATP-lederen")
    assert read.freshen()
    table = _invited_in_table(fresh)
    assert table.get(invited.id), "the world's advice round invites a group leader (R13)"

    everything = read.cases(CaseFilter(per_page=1000))
    assert everything.total == len(everything.items) == 5
    pages = [read.cases(CaseFilter(per_page=2, page=n)) for n in (1, 2, 3)]
    assert [len(p.items) for p in pages] == [2, 2, 1]
    assert all(p.total == 5 for p in pages)
    assert [r.id for p in pages for r in p.items] == [r.id for r in everything.items]
    for row in everything.items:
        assert row.invited == table.get(row.id, frozenset())

    past = read.cases(CaseFilter(per_page=2, page=4))
    assert past.items == []
    assert past.total == 5
    none = read.cases(CaseFilter(status="withdrawn"))
    assert (none.items, none.total) == ([], 0)

    leader = next(iter(table[invited.id]))
    seen = read.cases(CaseFilter(visible=CaseVisibility(person_id=leader), per_page=1))
    assert seen.total >= 1
    assert seen.items[0].invited == table[seen.items[0].id]

"""Issue 15: full-text search as a read model (``rm_search``) on a real SQLite file (FTS5)
and PostgreSQL (``norwegian`` full-text search): board numbers ("62/26", "Sak 62/26"),
words of titles, summaries and case documents, ranked, with marked snippets, paged,
filtered by the case list's visibility; a rebuild gives the same answers."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from caseflow.application import Caseflow
from caseflow.demo.documents import minimal_pdf
from caseflow.domain.values import CaseKind
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import CaseFilter, CaseVisibility
from caseflow.readmodels.search import fts_query, marked
from tests.world import World


def numbered(world: World, title: str) -> str:
    """A case submitted to the board meeting and numbered by its invitation: its label."""
    case = world.submitted(title=title)
    world.app.send_invitation(world["sekretariat"], world.meetings["board"])
    label = world.app.get_case(world["sekretariat"], case.id).board_number
    assert label is not None
    assert label.startswith("Sak ")
    return label


def found(read: ReadModelService, q: str, **kw) -> list[str]:
    read.catch_up()
    return [h.case.title for h in read.search(CaseFilter(q=q, **kw)).items]


def test_fts5_is_available() -> None:
    c = sqlite3.connect(":memory:")
    c.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 0')")


def test_queries_become_phrases_and_prefixes() -> None:
    assert fts_query("Sak 62/26") == '"Sak 62 26"'
    assert fts_query("om sak 62/26") == '"om" * "sak 62 26"'
    assert fts_query("sak nr") == '"sak" * "nr" *'
    assert fts_query('NEAR( "x" OR') == '"NEAR" * "x" * "OR" *'  # no operators get through
    assert fts_query(" /// ") is None
    assert marked("a \x02b\x03 c") == (("a ", False), ("b", True), (" c", False))


def test_board_number_title_and_summary_words(world: World, read: ReadModelService) -> None:
    label = numbered(world, "Regional samferdsel i Ås")
    world.proposed(title="Kraft og energi")
    short = label.removeprefix("Sak ")  # "62/26"
    assert found(read, short) == ["Regional samferdsel i Ås"]
    assert found(read, label) == ["Regional samferdsel i Ås"]
    assert found(read, "samferdsel") == ["Regional samferdsel i Ås"]
    assert found(read, "ås") == ["Regional samferdsel i Ås"]
    assert found(read, "as") == []  # å is a letter of its own
    assert found(read, "kraft energi") == ["Kraft og energi"]
    assert sorted(found(read, "sammendrag")) == ["Kraft og energi", "Regional samferdsel i Ås"]
    assert found(read, "finnesikke") == []
    hit = read.search(CaseFilter(q=short)).items[0]
    assert hit.source == "numbers"
    assert any(hit_ for _, hit_ in hit.snippet)
    titled = read.search(CaseFilter(q="samferdsel")).items[0]
    assert ("samferdsel", True) in titled.title
    # The case list's q answers from the same index.
    assert [c.title for c in read.cases(CaseFilter(q=label)).items] == ["Regional samferdsel i Ås"]


def test_a_word_in_a_case_document(app: Caseflow, world: World, read: ReadModelService) -> None:
    case = world.accepted(title="Sak med vedlegg")
    pdf = minimal_pdf("Saksframlegg", ["Bakgrunn om fjordbyen Oslofjorden."])
    app.documents.add_document(
        world["sekretariat"], case.id, "framlegg.pdf", pdf, kind="saksframlegg", title="Framlegg"
    )
    world.proposed(title="Annen sak")
    assert found(read, "fjordbyen") == ["Sak med vedlegg"]
    hit = read.search(CaseFilter(q="fjordbyen")).items[0]
    assert hit.source == "documents"
    assert ("fjordbyen", True) in [(t.lower(), m) for t, m in hit.snippet]
    # The drafted saksframlegg's text too (the world's document).
    world.drafted(title="Utkast")
    assert "Utkast" in found(read, "bakgrunn")


def test_stemming_on_postgres(world: World, read: ReadModelService) -> None:
    world.proposed(title="Samferdsel i regionen")
    if read.dialect == "postgres":
        assert found(read, "samferdselen") == ["Samferdsel i regionen"]  # norwegian stems
    else:
        assert found(read, "samferd") == ["Samferdsel i regionen"]  # a prefix on SQLite


def test_a_hidden_case_is_not_found(world: World, read: ReadModelService) -> None:
    world.proposed(group="ntp", by="ntp", title="Hemmelig NTP-innspill")
    world.proposed(title="Åpent ATP-innspill")
    atp_only = CaseVisibility(group_ids=frozenset({world.groups["atp"]}))
    ntp_only = CaseVisibility(group_ids=frozenset({world.groups["ntp"]}))
    assert found(read, "innspill", visible=atp_only) == ["Åpent ATP-innspill"]
    assert found(read, "hemmelig", visible=atp_only) == []
    assert read.search(CaseFilter(q="hemmelig", visible=atp_only)).total == 0
    assert found(read, "hemmelig", visible=ntp_only) == ["Hemmelig NTP-innspill"]
    assert read.cases(CaseFilter(q="hemmelig", visible=atp_only)).total == 0


def test_ranked_and_paged(app: Caseflow, world: World, read: ReadModelService) -> None:
    for n in range(5):
        world.proposed(title=f"Vanlig sak {n}")
    app.propose_case(
        world["atp"],
        world.groups["atp"],
        "Om havnene",
        "Fjordbyen nevnes i sammendraget.",
        CaseKind.BOARD_CASE,
    )
    world.proposed(title="Fjordbyen")
    read.catch_up()
    assert found(read, "fjordbyen") == ["Fjordbyen", "Om havnene"]  # the title weighs most
    assert read.search(CaseFilter(q="vanlig fjordbyen")).total == 0  # every part is required
    second = read.search(CaseFilter(q="vanlig", per_page=2, page=2))
    assert second.total == 5
    assert len(second.items) == 2
    assert second.pages == 3
    pages = [read.search(CaseFilter(q="vanlig", per_page=2, page=p)).items for p in (1, 2, 3)]
    assert len({h.case.title for hits in pages for h in hits}) == 5


def test_rebuild_gives_the_same_results(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    label = numbered(world, "Regional samferdsel")
    case = world.accepted(title="Med dokument")
    pdf = minimal_pdf("Vedlegg", ["Kystlinjen og havnene."])
    app.documents.add_document(
        world["sekretariat"], case.id, "v.pdf", pdf, kind="vedlegg", title="Vedlegg"
    )
    queries = [label, label.removeprefix("Sak "), "samferdsel", "kystlinjen", "innspill"]

    def answers() -> list[list[tuple[str, tuple[tuple[str, bool], ...]]]]:
        read.catch_up()
        return [
            [(h.case.title, h.snippet) for h in read.search(CaseFilter(q=q)).items] for q in queries
        ]

    before = answers()
    assert all(before[:4])
    read.rebuild(["search"])
    assert answers() == before
    world.proposed(title="Etter ombyggingen")
    assert found(read, "ombyggingen") == ["Etter ombyggingen"]


@pytest.mark.parametrize("q", ["", "   ", "///", "\"'", "OR", "*"])
def test_odd_input_is_an_answer_not_an_error(read: ReadModelService, world: World, q: str) -> None:
    world.proposed(title="Noe")
    read.catch_up()
    read.search(CaseFilter(q=q))  # no exception


def test_the_cli_searches_as_a_reader(world: World, store_url: str) -> None:
    """``caseflow search``: the page's search from the command line, with its visibility."""
    import json

    from click.testing import CliRunner

    from caseflow.cli import main

    world.proposed(group="ntp", by="ntp", title="Hemmelig NTP-innspill")
    label = numbered(world, "Regional samferdsel")

    def cli(*args: str) -> Any:
        return CliRunner().invoke(main, ["--database-url", store_url, "search", *args])

    everything = cli("innspill")
    assert everything.exit_code == 0, everything.output
    assert "Hemmelig NTP-*innspill*" in everything.output
    hidden = cli("hemmelig", "--as", "atp@test.caseflow.no")
    assert hidden.exit_code == 0, hidden.output
    assert hidden.output.startswith("0 case(s) match")
    seen = json.loads(cli("hemmelig", "--as", "ntp@test.caseflow.no", "--json").output)
    assert [i["title"] for i in seen["items"]] == ["Hemmelig NTP-innspill"]
    numbered_hit = json.loads(cli(label, "--json").output)["items"][0]
    assert numbered_hit["board_number"] == label
    assert numbered_hit["source"] == "numbers"

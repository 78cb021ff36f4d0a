"""Issue 15: the search page and the menu's search box, the case list's ``q`` and the
API's ``?q=`` — one index, the case list's visibility, escaped snippets with the matches
marked; on both stores."""

from __future__ import annotations

import pytest

from caseflow.demo.documents import minimal_pdf
from tests.web.conftest import Site

NB = {"Accept-Language": "nb"}


@pytest.fixture(scope="module")
def searchable(site: Site) -> Site:
    w = site.world
    w.proposed(title="Samferdsel <script>alert(1)</script> i regionen")
    site.cases["numbered"] = w.submitted(title="Regional vannforvaltning")
    site.app.send_invitation(w["sekretariat"], w.meetings["board"])
    documented = w.accepted(title="Sak med saksframlegg")
    pdf = minimal_pdf("Saksframlegg", ["Vurdering av skredfaren langs fylkesveien."])
    site.app.documents.add_document(
        w["sekretariat"], documented.id, "framlegg.pdf", pdf, kind="saksframlegg", title="Framlegg"
    )
    return site


def board_label(site: Site) -> str:
    case = site.app.get_case(site.world["sekretariat"], site.cases["numbered"].id)
    assert case.board_number
    return str(case.board_number)


def test_the_results_page_finds_marks_and_escapes(searchable: Site) -> None:
    client = searchable.client("sekretariat")
    html = client.get("/search?q=samferdsel", headers=NB).get_data(as_text=True)
    results = html.split('class="search-results"')[1]
    assert "<mark>Samferdsel</mark>" in results
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in results
    assert "<script>alert" not in html
    assert "Søk i sakene" in html


def test_board_numbers_find_the_case_everywhere(searchable: Site) -> None:
    label = board_label(searchable)  # "Sak 3/26"
    client = searchable.client("sekretariat")
    for q in (label, label.removeprefix("Sak ")):
        html = client.get("/search", query_string={"q": q}).get_data(as_text=True)
        assert "Regional vannforvaltning" in html, q
        listed = client.get("/cases/", query_string={"q": q}).get_data(as_text=True)
        assert "Regional vannforvaltning" in listed, q
        api = client.get("/api/v1/cases", query_string={"q": q}).get_json()
        assert [c["title"] for c in api["items"]] == ["Regional vannforvaltning"], q
        assert api["total"] == 1


def test_a_hidden_case_is_not_found(searchable: Site) -> None:
    """The NTP group's proposal: its members see it, an ATP member does not."""
    reference = searchable.cases["ntp"].reference
    assert reference in searchable.client("ntp").get("/search?q=ntp").get_data(as_text=True)
    atp = searchable.client("atp")
    html = atp.get("/search?q=ntp").get_data(as_text=True)
    assert reference not in html
    assert "NTP-sak" not in html.replace("<mark>", "").replace("</mark>", "")
    api = atp.get("/api/v1/cases?q=ntp").get_json()
    assert api["total"] == 0


def test_the_menu_has_a_search_box_and_bad_input_is_answered(searchable: Site) -> None:
    client = searchable.client("kg")
    home = client.get("/", headers=NB).get_data(as_text=True)
    assert 'role="search"' in home
    assert 'action="/search"' in home
    assert client.get("/search?q=" + "x" * 201).status_code == 422
    assert client.get("/search?q=%2F%2F%2F").status_code == 200
    paged = client.get("/search?q=sak&page=0")
    assert paged.status_code == 422
    assert searchable.client().get("/search?q=sak").status_code in (302, 401)


def test_a_word_in_a_case_document(searchable: Site) -> None:
    client = searchable.client("sekretariat")
    html = client.get("/search?q=skredfaren", headers=NB).get_data(as_text=True)
    results = html.split('class="search-results"')[1]
    assert "Sak med saksframlegg" in results
    assert "I et saksdokument:" in results
    assert "<mark>skredfaren</mark>" in results
    api = client.get("/api/v1/cases?q=skredfaren").get_json()
    assert [c["title"] for c in api["items"]] == ["Sak med saksframlegg"]

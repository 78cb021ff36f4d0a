"""The status overview shows the next board meeting's first cases and "and N more"
linking to the case list of that meeting, as its other lists do (issue 19), in both
languages."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Site
from web.queries import AGENDA_LIMIT, OVERVIEW_LIMIT


def _agenda(html: str, heading: str, after: str) -> str:
    return html.split(heading)[1].split(after)[0]


def test_the_agenda_shows_as_many_cases_as_the_other_lists() -> None:
    assert AGENDA_LIMIT == OVERVIEW_LIMIT == 15


@pytest.mark.parametrize(
    ("lang", "heading", "after", "more"),
    [
        ("en", "On the agenda", "How ready the pipeline is", "and 2 more"),
        ("nb", "På sakslisten", "Hvor klar", "og 2 til"),
    ],
)
def test_the_first_of_the_agenda_and_a_link_to_the_rest(
    fresh: Site,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    heading: str,
    after: str,
    more: str,
) -> None:
    monkeypatch.setattr("web.queries.AGENDA_LIMIT", 1)
    w = fresh.world
    titles = ["Første til styret", "Andre til styret", "Tredje til styret"]
    for title in titles:
        w.submitted(title=title)
    w.app.send_invitation(w["sekretariat"], w.meetings["board"])  # numbers them
    client = fresh.client("revisor")
    if lang == "nb":
        client.post("/language", {"lang": "nb", "next": "/"})
    html = client.get("/").get_data(as_text=True)
    agenda = _agenda(html, heading, after)
    assert "(3)" in agenda  # how many there are
    shown = [t for t in titles if t in agenda]
    assert len(shown) == 1
    assert "Sak 1/99" in agenda  # the first by board number
    assert more in agenda
    link = re.search(r'<li class="more"><a href="([^"]+)">', agenda)
    assert link is not None
    assert link.group(1) == f"/cases/?meeting={w.meetings['board']}"
    listed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert all(t in listed for t in titles)

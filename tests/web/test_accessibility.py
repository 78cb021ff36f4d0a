"""Semantic, accessible HTML on every page: one id per element, a label for every field,
one h1, the document language set."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.web.conftest import Site

PAGES = [
    ("sekretariat", "/"),
    ("sekretariat", "/cases/"),
    ("sekretariat", "/cases/{proposed}"),
    ("sekretariat", "/cases/{proposed}/steps/accept"),
    ("sekretariat", "/cases/{ready}/steps/submit"),
    ("sekretariat", "/cases/{advice}/steps/close-advice"),
    ("sekretariat", "/cases/{advice}/steps/waive-advice"),
    ("sekretariat", "/groups/atp"),
    ("kg", "/"),
    ("kg", "/advice/"),
    ("kg", "/cases/{advice}/steps/advice"),
    ("kg", "/groups/kg"),
    ("atp", "/cases/new"),
    ("revisor", "/audit"),
    ("revisor", "/cases/{ready}/history?version=3"),
    ("revisor", "/audit/verify"),
    (None, "/login"),
]


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[tuple[str, bool, str | None]] = []
        self.h1 = 0
        self.lang: str | None = None
        self._in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "label":
            self._in_label += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            wrapped = self._in_label > 0 or bool(a.get("aria-label"))
            self.fields.append((str(a.get("name")), wrapped, a.get("id")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._in_label -= 1


@pytest.mark.parametrize(("role", "template"), PAGES)
def test_page_structure(site: Site, role: str | None, template: str) -> None:
    url = template.format(**{k: v.reference for k, v in site.cases.items()})
    response = site.client(role).get(url)
    assert response.status_code == 200, url
    page = Page()
    page.feed(response.get_data(as_text=True))
    duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
    assert duplicates == []
    unlabelled = [n for n, wrapped, fid in page.fields if not wrapped and fid not in page.label_for]
    assert unlabelled == []
    assert page.h1 == 1
    assert page.lang in ("nb", "en")

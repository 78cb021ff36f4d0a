"""The menu stays on one line at 1280 px in both languages (issue 15: the English menu
wrapped), with the secretariat's full menu — the longest one — and no item broken
inside its name: the menu has a line of its own under the brand and the tools."""

from __future__ import annotations

from typing import Any

import pytest

from caseflow.demo.organisation import DOMAIN
from tests.e2e.conftest import login

ROWS = """() => {
  const items = [...document.querySelectorAll('header nav li')];
  const rows = new Set(items.map(li => Math.round(li.getBoundingClientRect().top)));
  const broken = items.filter(li => li.getClientRects().length > 1
    || li.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(li).lineHeight));
  const nav = document.querySelector('header nav').getBoundingClientRect();
  const tools = document.querySelector('header .tools').getBoundingClientRect();
  return {items: items.length, rows: rows.size, broken: broken.map(li => li.textContent.trim()),
          wide: document.documentElement.scrollWidth,
          own_line: nav.top >= tools.bottom - 1 && nav.width >= 0.9 * window.innerWidth - 64};
}"""


@pytest.mark.parametrize("language", ["English", "Norsk"])
def test_the_menu_is_one_line_at_1280_px(page: Any, language: str) -> None:
    login(page, f"sekretariat@{DOMAIN}")
    page.get_by_role("button", name=language).click()
    page.wait_for_load_state()
    found = page.evaluate(ROWS)
    assert found["items"] >= 7, found  # the secretariat's menu, audit trail included
    assert found["rows"] == 1, found
    assert found["broken"] == [], found
    assert found["wide"] <= 1280, found
    # the menu has a line of its own, below the tools (search, language, who): however
    # long the name of the person logged in, the tools never push the menu to wrap
    assert found["own_line"], found

"""Phones (issue 15): the pages people read every day are usable at 375 px — nothing is
wider than the screen (tables become stacked rows or scroll in their own box) — and
switching language keeps what was typed. In Debian's chromium on the demo; the 375 px
screenshots go to test-artifacts/screenshots/ (phone-*.png), and to docs/screenshots/ for
the README when CASEFLOW_DOCS_SCREENSHOTS=1 (a test run does not change the checkout)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, SCREENSHOTS, Site, login

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DOCS = ROOT / "docs" / "screenshots" if os.environ.get("CASEFLOW_DOCS_SCREENSHOTS") else SCREENSHOTS
SECRETARIAT = "sekretariat@demo.caseflow.no"
KG_MEMBER = "kg@demo.caseflow.no"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


@pytest.fixture
def phone(browser: Any, served: Site) -> Iterator[Any]:
    """A browser context the size of a small phone, in bokmål."""
    context = browser.new_context(
        base_url=served.url, viewport=PHONE, locale="nb-NO", device_scale_factor=1
    )
    p = context.new_page()
    p.set_default_timeout(10000)
    try:
        yield p
    finally:
        context.close()


def fits(page: Any, name: str) -> None:
    """Nothing on the page is wider than the phone; the page is saved as a screenshot."""
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"phone-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
             .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
             .filter(e => !e.closest('.scroll'))
             .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' +
                              Math.round(e.getBoundingClientRect().right))"""
    )
    assert width <= PHONE["width"], f"{name}: {width} px wide; too wide: {wide}"


def test_the_daily_pages_fit_a_375_px_phone(phone: Any, served: Site) -> None:
    login(phone, SECRETARIAT)
    fits(phone, "overview")

    phone.goto("/meetings/")
    board = phone.get_by_role("main").get_by_role("link", name=re.compile("styre", re.I)).first
    board.click()
    phone.wait_for_load_state()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    fits(phone, "meeting")

    phone.goto("/cases/")
    fits(phone, "case-list")

    # the KG member's list and a case in an open advice round
    phone.context.clear_cookies()
    login(phone, KG_MEMBER)
    phone.goto("/advice/")
    fits(phone, "advice-list")
    row = phone.get_by_role("table", name="Åpne rådsrunder").get_by_role("row").nth(1)
    button = row.get_by_role("link", name=re.compile("^(Gi råd|Endre rådet ditt)$"))
    box = button.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"], box  # the button is on the screen
    reference = row.get_by_role("link").first.inner_text().strip()
    phone.goto(f"/cases/{reference}/steps/advice")
    fits(phone, "advice-form")

    # advice with a line break: the case page shows it per region, the break kept
    phone.get_by_label("Støtter med endringer").check()
    phone.get_by_label("Ditt råd").fill("Første linje.\nAndre linje.")
    phone.get_by_role("main").get_by_role("button", name="Gi råd").click()
    phone.wait_for_url(f"**/cases/{reference}")
    advice = phone.get_by_role("table", name="Gjeldende råd per region")
    mine = advice.get_by_role("row").filter(has_text="Støtter med endringer")
    text = mine.locator(".advice-text").first
    assert text.inner_text() == "Første linje.\nAndre linje."  # shown on two lines
    expect(phone.get_by_role("heading", name=re.compile("^Har ikke svart ennå"))).to_be_visible()
    fits(phone, "case")


def test_switching_language_keeps_what_was_typed(phone: Any, served: Site) -> None:
    login(phone, KG_MEMBER)
    phone.goto("/advice/")
    row = phone.get_by_role("table", name="Åpne rådsrunder").get_by_role("row").nth(1)
    row.get_by_role("link", name=re.compile("^(Gi råd|Endre rådet ditt)$")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Gi råd")
    typed = "Vi støtter saken.\nMen Follo må nevnes."
    phone.get_by_label("Støtter med endringer").check()
    phone.get_by_label("Ditt råd").fill(typed)
    version = phone.locator('input[name="expected_version"]').input_value()

    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Give advice")
    expect(phone.get_by_label("Your advice")).to_have_value(typed)
    expect(phone.get_by_label("Supports with changes")).to_be_checked()
    assert phone.locator('input[name="expected_version"]').input_value() == version

    # a page opened afterwards starts empty again (nothing is kept for later)
    phone.reload()
    expect(phone.get_by_label("Your advice")).not_to_have_value(typed)


def test_every_menu_page_fits_a_375_px_phone(phone: Any, served: Site) -> None:
    """Each page the menu reaches, for the secretariat (who sees every menu entry), and
    the first page each of them links to below itself (a group, a measure, the yearly
    plan, a case's history …)."""
    login(phone, SECRETARIAT)
    nav = phone.get_by_role("navigation", name="Hovedmeny")
    menu = [a.get_attribute("href") or "/" for a in nav.get_by_role("link").all()]
    assert len(menu) >= 6, menu
    paths: list[str] = []
    for path in menu:
        phone.goto(path)
        paths.append(path)
        below = [
            href
            for href in phone.locator("main a[href]").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))"
            )
            if href.startswith(path.rstrip("/") + "/")
            and href.rstrip("/") != path.rstrip("/")
            and "." not in href.rsplit("/", 1)[-1]  # a page, not a download (.csv, .ics)
        ]
        if below and path != "/":
            paths.append(below[0])
    too_wide = {}
    for path in paths:
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert too_wide == {}, too_wide
    assert len(paths) > len(menu)  # pages below the menu's were reached too

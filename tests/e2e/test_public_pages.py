"""The public pages in a browser (issue 18): someone without a login reads the board's
coming agenda on a 375 px phone — nothing wider than the screen, no login asked for, no
cookie set — opens a held meeting's decisions and switches to English; and axe-core finds
no serious or critical violation on the public pages in bokmål and English (the pattern
of tests/e2e/test_axe.py). Screenshots: test-artifacts/screenshots/public-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Site
from tests.e2e.test_axe import Checker, axe  # noqa: F401  (the axe fixture)
from tests.e2e.test_phone import PHONE, expect, fits

pytestmark = pytest.mark.browser


@pytest.fixture
def public_phone(browser: Any, served: Site) -> Iterator[Any]:
    context = browser.new_context(
        base_url=served.url, viewport=PHONE, locale="nb-NO", device_scale_factor=1
    )
    p = context.new_page()
    p.set_default_timeout(10000)
    try:
        yield p
    finally:
        context.close()


def test_the_public_reads_an_agenda_on_a_phone(public_phone: Any, served: Site) -> None:
    page = public_phone
    page.goto("/offentlig/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Åpne møter i Osloregionen")
    assert "/login" not in page.url
    fits(page, "public-front")

    coming = [
        m
        for m in served.app.list_meetings(body="board")
        if m.invitation_sent_at is not None and not m.held
    ]
    assert coming, "the demo has a board meeting whose invitation is sent"
    page.get_by_role("main").get_by_role("link", name=coming[0].title).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(coming[0].title)
    expect(page.get_by_role("heading", name="Saksliste")).to_be_visible()
    first = next(i for i in coming[0].agenda if i.number is not None)
    expect(page.get_by_text(first.label, exact=True).first).to_be_visible()
    fits(page, "public-agenda")
    assert page.context.cookies() == [], "the public pages set no cookie"

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()

    page.goto("/offentlig/")
    held = [m for m in served.app.list_meetings(body="board") if m.status == "minutes_approved"]
    page.get_by_role("main").get_by_role("link", name=held[-1].title, exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(held[-1].title)
    expect(page.get_by_role("heading", name="Vedtak", exact=True).first).to_be_visible()
    fits(page, "public-decisions")


@pytest.mark.parametrize("checker", ["nb", "en"], indirect=True)
def test_the_public_pages_have_no_serious_accessibility_violations(checker: Checker) -> None:
    c = checker
    c.as_(None)
    c.check("/offentlig/")
    meetings = c.page.evaluate(
        """() => [...document.querySelectorAll('main a[href*="/offentlig/moter/"]')]
             .map(a => new URL(a.href).pathname)"""
    )
    assert meetings
    c.check(meetings[0])  # a coming meeting's agenda
    c.check(meetings[-1])  # a held meeting's decisions and documents
    c.check("/offentlig/sok?q=styret")
    years = c.page.evaluate(
        """() => [...document.querySelectorAll('main a[href*="/offentlig/arkiv/"]')]
             .map(a => new URL(a.href).pathname)"""
    )
    c.check(years[0] if years else "/offentlig/")
    assert not c.found, "\n".join(c.found)


@pytest.fixture
def checker(axe: str, browser: Any, served: Site, request: Any) -> Iterator[Checker]:  # noqa: F811
    c = Checker(browser, served, request.param, axe)
    try:
        yield c
    finally:
        c.close()

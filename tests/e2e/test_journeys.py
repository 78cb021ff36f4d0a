"""The three journeys of issue 4 in a real browser (Debian's chromium via Playwright), on
the demo organisation and year that `caseflow demo` loads, with the demo accounts.

Each journey finds its case through the pages (filters, "advice requested from me", the
case list); elements are found by their labels, roles and accessible names. The
application is asked only to check what the pages did."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseflow.demo.organisation import ACCOUNTS
from tests.e2e.conftest import Site, login

pytestmark = pytest.mark.browser

OSLO = ZoneInfo("Europe/Oslo")
NAMES = {a.email: a.name for a in ACCOUNTS}
SECRETARIAT = "sekretariat@demo.caseflow.no"
KG_MEMBER = "kg@demo.caseflow.no"
AUDITOR = "revisor@demo.caseflow.no"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def menu(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name=name, exact=True
    ).click()


def heading(page: Any) -> Any:
    return page.get_by_role("heading", level=1)


def status_line(page: Any) -> Any:
    """The case page's header (reference, title, status badge)."""
    return page.get_by_role("article").locator("header")


def first_row(table: Any) -> Any:
    """The first body row of a table (row 0 is the header)."""
    return table.get_by_role("row").nth(1)


def test_secretariat_takes_a_case_from_proposal_to_submission(
    page: Any, served: Site, screenshots: Path
) -> None:
    login(page, SECRETARIAT)
    expect(heading(page)).to_have_text("Statusoversikt")
    shot(page, screenshots, "01-overview")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, screenshots, "01b-overview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # a demo case still in "proposed", found with the case list's status filter
    menu(page, "Saker")
    page.get_by_label("Status", exact=True).select_option("proposed")
    page.get_by_role("button", name="Filtrer").click()
    row = first_row(page.get_by_role("table", name="Saker"))
    expect(row).to_contain_text("Foreslått")
    link = row.get_by_role("link").first
    reference = link.inner_text().strip()
    link.click()
    page.wait_for_url(f"**/cases/{reference}")
    expect(status_line(page)).to_contain_text("Foreslått")
    shot(page, screenshots, "02-case-proposed")

    def take(step: str, fill: dict[str, str] | None = None, status: str | None = None) -> None:
        """Open the step's form from the case page, fill it and send it."""
        page.get_by_role("region", name="Hva du kan gjøre nå").get_by_role(
            "link", name=step, exact=True
        ).click()
        expect(heading(page)).to_have_text(step)
        for label, value in (fill or {}).items():
            page.get_by_label(label).fill(value)
        if step == "Skriv saksframlegg":
            shot(page, screenshots, "03-draft-form")
        page.get_by_role("main").get_by_role("button", name=step, exact=True).click()
        page.wait_for_url(f"**/cases/{reference}")
        if status is not None:
            expect(status_line(page)).to_contain_text(status)

    take("Ta til forberedelse", status="Under forberedelse")
    take(
        "Skriv saksframlegg",
        {
            "Bakgrunn": "Kommunene i regionen trenger en felles tilnærming.",
            "Vurdering": "Sekretariatet anbefaler at styret gir innspill.",
            "Forslag til vedtak": "Styret slutter seg til innspillet.",
            "Politisk involvering (R19)": "Drøftes i interessepolitisk utvalg før styret.",
        },
    )
    take("Be om råd fra KG", status="Til råd i KG")
    take("Avslutt rådsrunden", {"KGs samlede råd": "KG støtter innspillet."}, "KG-råd avsluttet")
    take("Merk klar for styret", status="Klar for styret")

    # submitted to the next board meeting, chosen by its name in the form
    board = next(
        m
        for m in served.app.list_meetings(None, body="board")
        if not m.held and m.starts_at > datetime.now(UTC)
    )
    page.get_by_role("region", name="Hva du kan gjøre nå").get_by_role(
        "link", name="Fremme for styret", exact=True
    ).click()
    page.get_by_label("Styremøte").select_option(label=board.title)
    page.get_by_role("main").get_by_role("button", name="Fremme for styret").click()
    page.wait_for_url(f"**/cases/{reference}")
    expect(status_line(page)).to_contain_text("Fremmet for styret")
    number = re.compile(rf"Sak \d+/{board.starts_at:%y}")
    if board.status == "planned":  # issue 14: it waits; the invitation gives it its number
        expect(status_line(page)).not_to_contain_text(number)
    else:  # the invitation went out: a tilleggssak, with the next free number at once
        expect(status_line(page)).to_contain_text(number)
    shot(page, screenshots, "04-case-submitted")

    case = served.app.get_case(None, reference)
    assert case.status == "submitted"
    assert case.board_meeting_id == board.id


def test_kg_member_gives_advice_with_a_validation_error(
    page: Any, served: Site, screenshots: Path
) -> None:
    login(page, KG_MEMBER)
    menu(page, "Råd jeg er bedt om")
    expect(heading(page)).to_have_text("Råd jeg er bedt om")
    row = first_row(page.get_by_role("table", name="Åpne rådsrunder"))
    reference = row.get_by_role("link").first.inner_text().strip()
    assert reference.startswith("OR-"), reference
    shot(page, screenshots, "05-advice-requested-from-me")

    row.get_by_role("link", name=re.compile("^(Gi råd|Endre rådet ditt)$")).click()
    expect(heading(page)).to_have_text("Gi råd")
    # "does not support" without a reason is refused beside the field; the choice is kept
    page.get_by_label("Støtter ikke").check()
    page.get_by_label("Ditt råd").fill("")
    page.get_by_role("main").get_by_role("button", name="Gi råd").click()
    expect(page.get_by_role("alert")).to_contain_text("Begrunn standpunktet")
    expect(page.get_by_label("Ditt råd")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Støtter ikke")).to_be_checked()
    shot(page, screenshots, "06-advice-validation-error")

    text = "Vi støtter saken, men ber om at Follo nevnes særskilt."
    page.get_by_label("Støtter med endringer").check()
    page.get_by_label("Ditt råd").fill(text)
    page.get_by_role("main").get_by_role("button", name="Gi råd").click()
    page.wait_for_url(f"**/cases/{reference}")
    advice = page.get_by_role("table", name="Gjeldende råd per region")
    mine = advice.get_by_role("row").filter(has_text=NAMES[KG_MEMBER])
    expect(mine).to_contain_text("Støtter med endringer")
    expect(mine).to_contain_text(text)
    shot(page, screenshots, "07-case-with-advice")

    case = served.app.get_case(None, reference)
    me = served.app.find_person_id(KG_MEMBER)
    current = [a for a in case.advice if a.person_id == me]
    assert [(a.stance, a.text) for a in current] == [("supports_with_changes", text)]


def test_auditor_opens_history_and_views_an_earlier_moment(
    page: Any, served: Site, screenshots: Path
) -> None:
    app = served.app
    # the decided case with the longest history (an advice round, revisions, a decision)
    longest = max(
        (app.get_case(None, cid) for cid in app.case_ids()),
        key=lambda c: (c.status == "decided", c.version),
    )
    reference = longest.reference
    events = app.case_history(None, reference).events
    n = len(events)
    assert n >= 10, (reference, n)

    login(page, AUDITOR)
    menu(page, "Saker")
    page.get_by_label("Tekst", exact=True).fill(reference)
    page.get_by_role("button", name="Filtrer").click()
    row = first_row(page.get_by_role("table", name="Saker"))
    expect(row).to_contain_text("Behandlet")
    row.get_by_role("link", name=reference).click()
    page.wait_for_url(f"**/cases/{reference}")
    shot(page, screenshots, "08-case-page")

    page.get_by_role("link", name="Historikk og tidligere versjoner").click()
    expect(heading(page)).to_contain_text(f"versjon {n} av {n}")
    versions = page.get_by_role("navigation", name="Versjoner")
    versions.get_by_role("link", name="Forrige versjon").click()
    expect(heading(page)).to_contain_text(f"versjon {n - 1} av {n}")
    versions.get_by_role("link", name="Forrige versjon").click()
    expect(heading(page)).to_contain_text(f"versjon {n - 2} av {n}")
    versions.get_by_role("link", name="Neste versjon").click()
    expect(heading(page)).to_contain_text(f"versjon {n - 1} av {n}")

    # a moment in the middle of the case's life: a second after a step that was followed
    # by a pause (the field takes Oslo time to the second)
    middle = n // 2
    k = min(
        (e.version for e in events[:-1] if events[e.version].time - e.time > timedelta(seconds=2)),
        key=lambda v: abs(v - middle),
    )
    moment = events[k - 1].time.astimezone(OSLO).replace(microsecond=0) + timedelta(seconds=1)
    page.get_by_label("Per tidspunkt").fill(moment.strftime("%Y-%m-%dT%H:%M:%S"))
    versions.get_by_role("button", name="Vis").click()
    expect(heading(page)).to_contain_text(f"versjon {k} av {n}")
    state = app.case_history(None, reference, version=k).state
    as_it_was = page.get_by_role("region", name="Saken slik den var")
    expect(as_it_was).to_contain_text(f"versjon {state.version}")
    expect(page.get_by_role("region", name="Hva som endret seg i dette steget")).to_be_visible()
    shot(page, screenshots, "09-history-as-of")

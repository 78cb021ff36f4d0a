"""The three journeys of issue 4 in a real browser (Debian's chromium via Playwright)."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseflow.domain import clock
from tests.e2e.conftest import login
from tests.web.conftest import Site

pytestmark = pytest.mark.browser


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_secretariat_takes_a_case_from_proposal_to_submission(
    page: Any, served: tuple[Site, str], screenshots: Path
) -> None:
    site, _ = served
    case = site.world.proposed(title="Innspill til regional plan for bærekraftig utvikling")
    site.catch_up()
    login(page, "sekretariat")
    assert page.locator("h1").inner_text() == "Statusoversikt"
    shot(page, screenshots, "01-overview")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, screenshots, "01b-overview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("text=Saker")
    page.fill("#f-q", case.reference)
    page.click("form.filters button")
    page.click(f"text={case.reference}")
    page.wait_for_url(f"**/cases/{case.reference}")
    shot(page, screenshots, "02-case-proposed")

    def take(step_label: str) -> None:
        page.click(f"ul.actions >> text={step_label}")

    take("Ta til forberedelse")
    page.click("main form button.primary")
    assert "Under forberedelse" in page.inner_text("main")

    take("Skriv saksframlegg")
    page.fill("#background", "Regionen trenger en samordnet plan.")
    page.fill("#assessment", "Sekretariatet anbefaler at styret gir innspill.")
    page.fill("#proposed_resolution", "Styret slutter seg til innspillet.")
    page.fill("#political_involvement", "Drøftes i interessepolitisk utvalg før styret.")
    shot(page, screenshots, "03-draft-form")
    page.click("main form button.primary")

    take("Be om råd fra KG")
    page.fill("#deadline", (date.today() + timedelta(days=14)).isoformat())
    page.click("main form button.primary")
    assert "Til råd i KG" in page.inner_text("main")

    take("Avslutt rådsrunden")
    page.fill("#summary", "KG støtter innspillet.")
    page.click("main form button.primary")

    take("Merk klar for styret")
    page.click("main form button.primary")
    assert "Klar for styret" in page.inner_text("main")

    take("Fremme for styret")
    page.select_option("#meeting_id", str(site.world.meetings["board"]))
    page.click("main form button.primary")
    text = page.inner_text("main")
    assert "Fremmet for styret" in text
    assert re.search(r"Sak \d+/99", text)
    shot(page, screenshots, "04-case-submitted")
    assert site.app.get_case(None, case.reference).status == "submitted"


def test_kg_member_gives_advice_with_a_validation_error(
    page: Any, served: tuple[Site, str], screenshots: Path
) -> None:
    site, _ = served
    case = site.world.advice_requested(title="Innspill om Oslofjorden som felles ressurs")
    site.catch_up()
    login(page, "kg")
    page.click("nav >> text=Råd jeg er bedt om")
    assert case.reference in page.inner_text("main")
    shot(page, screenshots, "05-advice-requested-from-me")
    page.click(f"tr:has-text('{case.reference}') >> text=Gi eller endre råd")
    page.check("input[name=stance][value=does_not_support]")
    page.click("main form button.primary")
    error = page.locator("#text-errors")
    assert "Begrunn standpunktet" in error.inner_text()
    assert page.is_checked("input[name=stance][value=does_not_support]")  # input kept
    shot(page, screenshots, "06-advice-validation-error")
    page.check("input[name=stance][value=supports_with_changes]")
    page.fill("#text", "Vi støtter saken, men ber om at Follo nevnes særskilt.")
    page.click("main form button.primary")
    assert "Støtter med endringer" in page.inner_text("main")
    shot(page, screenshots, "07-case-with-advice")
    advice = site.app.get_case(None, case.reference).advice
    assert [a.stance for a in advice] == ["supports_with_changes"]


def test_auditor_opens_history_and_views_an_earlier_moment(
    page: Any, served: tuple[Site, str], screenshots: Path
) -> None:
    site, _ = served
    # a case whose steps lie an hour apart (the clock only moves forward)
    start = datetime.now(UTC) + timedelta(minutes=1)
    ticks = itertools.count()
    with clock.frozen_at(lambda: start + timedelta(hours=next(ticks))):
        case = site.world.ready(title="Samarbeid om energistasjoner")
    site.catch_up()
    events = site.app.case_history(None, case.id).events
    login(page, "revisor")
    page.goto(f"/cases/{case.reference}")
    shot(page, screenshots, "08-case-page")
    page.click("text=Historikk og tidligere versjoner")
    assert f"versjon {len(events)} av {len(events)}" in page.inner_text("h1")
    page.click("text=Forrige versjon")
    assert f"versjon {len(events) - 1} av" in page.inner_text("h1")
    # half an hour after the third step, in Oslo time, as the datetime-local field takes it
    moment = events[2].time.astimezone(ZoneInfo("Europe/Oslo")) + timedelta(minutes=30)
    page.fill("#as_of", moment.strftime("%Y-%m-%dT%H:%M:%S"))
    page.click("nav.stepper button")
    assert f"versjon 3 av {len(events)}" in page.inner_text("h1")
    assert "Hva som endret seg i dette steget" in page.inner_text("main")
    shot(page, screenshots, "09-history-as-of")

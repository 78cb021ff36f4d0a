"""Issue 14's browser journey (Debian's chromium via Playwright) on the demo: the
secretariat orders a waiting board agenda with the keyboard-usable buttons, sends the
invitation (which numbers it), adds a tilleggssak, sends the supplementary invitation and
downloads the PDF pack; after a meeting it records attendance and the decisions and
downloads the protokoll. Elements are found by their labels, roles and accessible names;
the application is asked only to check what the pages did."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Site, login
from tests.e2e.test_journeys import SECRETARIAT, expect, shot

pytestmark = pytest.mark.browser


def test_secretariat_orders_invites_and_adds_a_supplementary_item(
    page: Any, served: Site, screenshots: Path
) -> None:
    board = next(
        m
        for m in served.app.list_meetings(None, body="board")
        if m.status == "planned" and m.starts_at > datetime.now(UTC)
    )
    login(page, SECRETARIAT)
    page.goto(f"/meetings/{board.id}")
    agenda = page.locator("#agenda")
    expect(agenda).to_contain_text("Ikke nummerert ennå")
    titles = [i.title for i in board.agenda]
    # order: the last waiting item one place up, by its button (a form, no dragging)
    page.get_by_role("button", name=f"Flytt opp: {titles[-1]}").click()
    page.wait_for_url(f"**/meetings/{board.id}")
    moved = served.app.get_meeting(board.id)
    assert [i.title for i in moved.agenda][-2] == titles[-1]
    shot(page, screenshots, "14-agenda-ordered")

    page.get_by_role("button", name="Send innkallingen (nummererer sakslisten)").click()
    page.wait_for_url(f"**/meetings/{board.id}")
    year = f"{board.starts_at:%y}"
    expect(agenda).to_contain_text(f"/{year}")
    expect(agenda).not_to_contain_text("Ikke nummerert ennå")
    sent = served.app.get_meeting(board.id)
    numbers = [i.number for i in sent.agenda]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))

    page.get_by_label("Sakstittel").fill("Orientering om nytt budsjett")
    page.get_by_role("button", name="Legg til sak").click()
    page.wait_for_url(f"**/meetings/{board.id}")
    late = agenda.get_by_role("row").filter(has_text="Orientering om nytt budsjett")
    expect(late).to_contain_text("Tilleggssak")
    expect(late).to_contain_text(f"Sak {numbers[-1] + 1}/{year}")
    page.get_by_role("button", name="Send tilleggsinnkalling").click()
    page.wait_for_url(f"**/meetings/{board.id}")
    expect(page.locator("#supplements")).to_contain_text(f"Sak {numbers[-1] + 1}/{year}")
    shot(page, screenshots, "14-supplementary-invitation")

    link = page.get_by_role("link", name="Innkalling med vedlegg (PDF)")
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF-")
    view = served.app.get_meeting(board.id)
    assert [s.item_labels for s in view.supplements] == [[f"Sak {numbers[-1] + 1}/{year}"]]


def test_secretariat_records_attendance_and_the_decisions_after_the_meeting(
    page: Any, served: Site, screenshots: Path
) -> None:
    """After the meeting: mark it held, record who was there and each case's decision (on
    a board case the decision step itself), then read and download the protokoll. The
    meeting is set up as the secretariat would from the command line: scheduled to start
    a moment from now, a case ready for the board submitted to it, the invitation sent."""
    app = served.app
    ready = next(
        c for c in (app.get_case(None, cid) for cid in app.case_ids()) if c.status == "ready"
    )
    soon = datetime.now(UTC) + timedelta(seconds=2)
    board = app.schedule_meeting(None, "board", soon, title="Ekstraordinært styremøte")
    app.submit_case(None, ready.id, board.id)
    app.send_invitation(None, board.id)
    while datetime.now(UTC) < soon:
        time.sleep(0.1)

    login(page, SECRETARIAT)
    page.goto(f"/meetings/{board.id}")
    page.get_by_role("button", name="Merk som holdt").click()
    page.wait_for_url(f"**/meetings/{board.id}")
    present = page.get_by_role("group", name="Til stede").get_by_role("checkbox")
    present.first.check()
    page.get_by_role("button", name="Registrer oppmøte").click()
    page.wait_for_url(f"**/meetings/{board.id}")
    item = next(i for i in app.get_meeting(board.id).agenda if i.case_id == ready.id)
    page.get_by_label(f"Vedtak: {item.label} {item.title}").fill(
        "Styret slutter seg til forslaget."
    )
    page.locator(f"#decision-{item.key}").locator("xpath=ancestor::form").get_by_role(
        "button", name="Registrer vedtak"
    ).click()
    page.wait_for_url(f"**/meetings/{board.id}")
    shot(page, screenshots, "14-decisions-recorded")

    assert app.get_case(None, ready.id).status == "decided"  # one act: the case's decision
    page.get_by_role("link", name="Protokollen").click()
    expect(page.locator("#decisions")).to_contain_text("Styret slutter seg til forslaget.")
    pdf = page.request.get(f"/meetings/{board.id}/protokoll.pdf")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF-")

"""A stale-version conflict on a case form is shown, never overwritten (issue 15): the
page shows what the colleague changed beside what the user typed, keeps the form's
expected_version at the version the user started from, and only "use my text over
theirs" submits against the version the user has now seen. With Flask's client on a real
store (both stores)."""

from __future__ import annotations

import re

from caseflow.domain.values import Document, Stance
from tests.web.conftest import Site

THEIRS = Document(
    background="Kollegaens bakgrunn.",
    assessment="Kollegaens vurdering.",
    proposed_resolution="Kollegaens forslag.",
    political_involvement="Drøftes i IPU.",
)
MINE = {
    "background": "Min bakgrunn.\nMed to linjer.",
    "assessment": "Min vurdering.",
    "proposed_resolution": "Mitt forslag.",
    "political_involvement": "Drøftes i IPU.",
}


def _hidden(html: str, name: str) -> str | None:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else None


def _overwrite(html: str) -> str | None:
    found = re.search(r'name="overwrite" value="(\d+)"', html)
    return found.group(1) if found else None


def test_a_stale_draft_shows_their_version_beside_mine_and_overwrites_only_when_confirmed(
    fresh: Site,
) -> None:
    app, w = fresh.app, fresh.world
    case = w.accepted(title="Felles utkast")
    mine = fresh.client("sekretariat")
    form = mine.get(f"/cases/{case.reference}/steps/draft").get_data(as_text=True)
    opened_at = _hidden(form, "expected_version")
    assert opened_at == str(case.version)

    # a colleague drafts meanwhile
    theirs = app.draft_case(w["sekretariat2"], case.id, THEIRS)
    url = f"/cases/{case.reference}/steps/draft"
    first = mine.post(url, {**MINE, "expected_version": opened_at})
    assert first.status_code == 409
    html = first.get_data(as_text=True)
    assert "What changed since you opened the form" in html
    assert "reload" not in html.lower()  # reloading would lose what was typed
    assert "Per Saksbehandler" in html  # who changed it
    assert "Case document revised" in html  # and what they did
    compare = html.split("Their version beside your text")[1].split("</table>")[0]
    assert "Kollegaens bakgrunn." in compare
    assert "Min bakgrunn.\nMed to linjer." in compare
    assert "Drøftes i IPU." not in compare  # only the fields that differ
    assert "The other fields are the same in both." in html
    # the form keeps my text and my (old) version; the confirm button names theirs
    assert "Min vurdering." in html.split("<form", 2)[2]
    assert _hidden(html, "expected_version") == opened_at
    assert _overwrite(html) == str(theirs.version)
    assert app.get_case(None, case.id).document == THEIRS.as_dict()  # nothing recorded

    # submitting the same form again (not confirming) is refused again: no silent overwrite
    again = mine.post(url, {**MINE, "expected_version": opened_at})
    assert again.status_code == 409
    assert app.get_case(None, case.id).document == THEIRS.as_dict()

    # "use my text over theirs" submits against the version I was shown
    confirmed = mine.post(
        url, {**MINE, "expected_version": opened_at, "overwrite": str(theirs.version)}
    )
    assert confirmed.status_code == 302
    after = app.get_case(None, case.id)
    assert after.document == MINE
    assert after.version == theirs.version + 1


def test_a_change_after_the_conflict_was_shown_is_a_new_conflict(fresh: Site) -> None:
    app, w = fresh.app, fresh.world
    case = w.accepted(title="Endret to ganger")
    url = f"/cases/{case.reference}/steps/draft"
    mine = fresh.client("sekretariat")
    shown = app.draft_case(w["sekretariat2"], case.id, THEIRS)
    first = mine.post(url, {**MINE, "expected_version": str(case.version)})
    assert _overwrite(first.get_data(as_text=True)) == str(shown.version)

    later = Document(**{**THEIRS.as_dict(), "assessment": "Enda en endring."})
    newest = app.draft_case(w["sekretariat2"], case.id, later)
    late = mine.post(
        url, {**MINE, "expected_version": str(case.version), "overwrite": str(shown.version)}
    )
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "Enda en endring." in html
    assert _overwrite(html) == str(newest.version)
    assert app.get_case(None, case.id).document == later.as_dict()


def test_a_stale_close_advice_shows_their_summary(fresh: Site) -> None:
    app, w = fresh.app, fresh.world
    case = w.advice_requested(title="Rådsrunde")
    leader = fresh.client("kg-leder")
    opened = leader.get(f"/cases/{case.reference}/steps/close-advice").get_data(as_text=True)
    version = _hidden(opened, "expected_version")
    app.give_advice(w["kg"], case.id, Stance.SUPPORTS, "Ja.")
    stale = leader.post(
        f"/cases/{case.reference}/steps/close-advice",
        {"summary": "KG støtter.", "expected_version": version},
    )
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Advice given" in html  # what happened meanwhile
    assert "Knut Kommune" in html
    assert app.get_case(None, case.id).status == "advice_requested"

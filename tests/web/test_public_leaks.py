"""The leak test (issue 18): on the demo loaded as a user loads it (``caseflow demo``), with
more screened on top (a case and a document on a published board agenda, a free item),
read every public page, feed, calendar, search result and downloadable file — crawling
the links from ``/offentlig/`` in both languages — and fail if any screened word of any
screened case, document or agenda item appears (the words are in the screening events of
the log, as screened now), or any e-mail address.

``test_the_leak_test_catches_a_broken_mask`` breaks the masking on purpose (the public
model reading the case's own title) and shows the crawl finds the words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit
from uuid import UUID

import pytest

from caseflow.domain.case import Case
from caseflow.domain.meeting import Meeting
from caseflow.persistence.document_text import document_text
from tests.conftest import postgres_schema
from tests.web.test_public_pages import Demo, load_demo

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: Reached from every page: no bound on the pages (the demo's public part is small),
#: only on how many searches the test runs.
MAX_PAGES = 2000
HTML_TYPES = ("text/html", "application/atom+xml", "text/calendar", "text/plain")


# -- the screened words, from the log ------------------------------------------------------


def screenings(app: Any) -> dict[tuple[str, str], tuple[str, ...]]:
    """Every screening now, by what it screens (``("case", id)``, ``("document",
    "case/document")``, ``("item", "meeting/key")``) with its words: the log read in
    order, each ``…Screened`` event recording the words, each ``…ScreeningLifted``
    making them public again."""
    current: dict[tuple[str, str], tuple[str, ...]] = {}
    start = 1
    while True:
        batch = app.recorder.select_notifications(start=start, limit=500)
        if not batch:
            break
        for notification in batch:
            _apply(current, app.mapper.to_domain_event(notification))
        start = batch[-1].id + 1
    return current


def screened_words(app: Any) -> dict[str, str]:
    """Every word screened now, each with (one of) what screens it."""
    return {w: f"{what} {key}" for (what, key), words in screenings(app).items() for w in words}


def _apply(current: dict[tuple[str, str], tuple[str, ...]], e: Any) -> None:
    case = str(e.originator_id)
    if isinstance(e, Case.Screened):
        current[("case", case)] = tuple(e.words)
    elif isinstance(e, Case.ScreeningLifted):
        current.pop(("case", case), None)
    elif isinstance(e, Case.DocumentScreened):
        current[("document", f"{case}/{e.document_id}")] = tuple(e.words)
    elif isinstance(e, Case.DocumentScreeningLifted):
        current.pop(("document", f"{case}/{e.document_id}"), None)
    elif isinstance(e, Meeting.ItemScreened):
        current[("item", f"{case}/{e.key}")] = tuple(e.words)
    elif isinstance(e, Meeting.ItemScreeningLifted):
        current.pop(("item", f"{case}/{e.key}"), None)


# -- the crawl -----------------------------------------------------------------------------


@dataclass
class Read:
    """What the crawl read: each answer's text (pages, feeds, files' text) by address."""

    texts: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)


def _text_of(answer: Any) -> str:
    if answer.mimetype in HTML_TYPES:
        return html.unescape(answer.get_data(as_text=True))
    return document_text(answer.mimetype, answer.data) + "\n" + answer.data.decode("latin-1")


def _links(page: str) -> list[str]:
    found = re.findall(r'href="(/offentlig/[^"]*)"', page)
    return [html.unescape(h) for h in found]


def crawl(demo: Demo, extra: list[str]) -> Read:
    """Every public address reachable from ``/offentlig/`` (both languages) and ``extra``."""
    client = demo.client()
    read = Read()
    queue = ["/offentlig/", "/offentlig/?lang=en", *extra]
    while queue and len(read.texts) < MAX_PAGES:
        url = queue.pop(0)
        if url in read.texts:
            continue
        answer = client.get(url)
        read.statuses[url] = answer.status_code
        read.texts[url] = _text_of(answer) if answer.status_code == 200 else ""
        assert "Set-Cookie" not in answer.headers, url
        if answer.mimetype == "text/html":
            queue += _links(answer.get_data(as_text=True))
    return read


#: A calendar event's UID (``<meeting id>@caseflow.osloregionen``, RFC 5545) has the
#: form of an address but is nobody's; it is left out of the e-mail check.
UID = re.compile(r"^UID:.*$", re.MULTILINE)


def leaks(read: Read, words: dict[str, str]) -> list[str]:
    """Each screened word or e-mail address found, with where. A search page is read
    without the query it echoes (the reader's own words, not the store's)."""
    patterns = {w: re.compile(rf"(?<!\w){re.escape(w)}(?!\w)", re.IGNORECASE) for w in words}
    found = []
    for url, text in read.texts.items():
        text = UID.sub("", text)
        asked = parse_qs(urlsplit(url).query).get("q", [""])[0]
        if asked:
            text = text.replace(asked, "")
        for word, pattern in patterns.items():
            if pattern.search(text):
                found.append(f"{url}: screened word {word!r} ({words[word]})")
        for address in EMAIL.findall(text):
            found.append(f"{url}: e-mail address {address!r}")
    return found


# -- the demo, with more screened ----------------------------------------------------------


@dataclass
class Screened:
    demo: Demo
    words: dict[str, str]
    searches: list[str]
    #: What the demo itself screens (before this test screens more).
    demo_screenings: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


def rare_word(title: str, elsewhere: str) -> str:
    """The longest word of ``title`` found nowhere in ``elsewhere`` (other titles)."""
    words = sorted(set(re.findall(r"\w{4,}", title)), key=len, reverse=True)
    return next((w for w in words if w.casefold() not in elsewhere.casefold()), words[0])


#: A free item the secretariat adds after the invitation (a supplementary item) and
#: screens: a personnel matter, the person's name screened (offl. § 13 jf. fvl. § 13).
PERSONNEL_ITEM = "Orientering om personalsak for Kari Nordmann"
#: A document the secretariat uploads to a public case and screens: the bidder's name.
BIDDER = "Vestbygg Entreprenør AS"
TENDER = f"Tilbud fra {BIDDER}"


def screen_more(demo: Demo) -> None:
    """Screen, as the secretariat, a case and a document on the newest published board
    agenda and a supplementary free item added to it (on top of what the demo screens),
    each by a word that no other title has."""
    app = demo.app
    me = app.accounts.find_person_id("sekretariat@demo.caseflow.no")
    board = [m for m in app.list_meetings(body="board") if m.invitation_sent_at is not None]
    newest = board[-1]
    titles = " ".join(i.title for m in app.list_meetings() for i in m.agenda)
    cases = [i for i in newest.agenda if i.case_id and not app.get_case(None, i.case_id).screening]
    first = app.get_case(None, cases[0].case_id)
    others = titles.replace(first.title, "")
    app.screen_case(me, first.id, "Offl. § 23", [rare_word(first.title, others)])
    # a tender on the second case, its bidder screened (the demo's attachments share
    # their titles, so the test uploads one of its own)
    second = cases[1].case_id
    pdf = next(
        d for d in app.documents.case_documents(None, second).documents if d.kind == "saksframlegg"
    )
    _, _, data = app.documents.document_file(None, second, pdf.id, pdf.current.number)
    added = app.documents.add_document(me, second, "tilbud.pdf", data, kind="vedlegg", title=TENDER)
    tender = next(d for d in added.documents if d.title == TENDER)
    app.screen_document(me, second, tender.id, "Offl. § 23", [BIDDER])
    # a case decided at a held board meeting, screened afterwards: its decision is shown
    # with the word masked
    held = next(m for m in reversed(board) if m.held)
    decided = next(
        app.get_case(None, i.case_id)
        for i in held.agenda
        if i.case_id and app.get_case(None, i.case_id).status == "decided"
    )
    if not decided.screening:
        word = rare_word(decided.title, titles.replace(decided.title, ""))
        app.screen_case(me, decided.id, "Offl. § 15", [word])
    if not newest.held:
        view = app.add_standing_item(me, newest.id, PERSONNEL_ITEM)
        added = next(i for i in view.agenda if i.title == PERSONNEL_ITEM)
        app.screen_item(me, newest.id, added.key, "Offl. § 13 jf. fvl. § 13", ["Kari Nordmann"])
        app.send_supplementary_invitation(me, newest.id)  # now the item is published


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def screened(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Screened]:
    folder = tmp_path_factory.mktemp("leaks")
    if request.param == "sqlite":
        demo = load_demo(f"sqlite:///{folder / 'demo.sqlite3'}", folder)
        try:
            yield _screened(demo)
        finally:
            demo.app.close()
        return
    with postgres_schema("leak_") as url:
        demo = load_demo(url, folder)
        try:
            yield _screened(demo)
        finally:
            demo.app.close()


def _screened(demo: Demo) -> Screened:
    demo_screenings = screenings(demo.app)
    screen_more(demo)
    words = screened_words(demo.app)
    titles = [i.title for m in demo.app.list_meetings() if m.invitation_sent_at for i in m.agenda]
    searches = [*words, *(max(re.findall(r"\w+", t), key=len) for t in titles[:40] if t)]
    urls = [f"/offentlig/sok?q={quote(q)}" for q in dict.fromkeys(searches)]
    return Screened(demo, words, urls, demo_screenings)


def test_the_demo_screens_something(screened: Screened) -> None:
    """Cases, documents and items are screened (the demo's and this test's), so the leak
    test below has words to look for."""
    kinds = {what for what, _ in screenings(screened.demo.app)}
    assert kinds >= {"case", "document", "item"}


def test_the_demo_itself_screens_a_case_and_a_document(screened: Screened) -> None:
    """``caseflow demo`` loads screened cases and documents (issue 18), so a new user
    sees screening on ``/offentlig/`` at once."""
    kinds = {what for what, _ in screened.demo_screenings}
    assert kinds >= {"case", "document"}


def test_no_screened_word_or_email_on_any_public_page(screened: Screened) -> None:
    read = crawl(screened.demo, screened.searches)
    downloads = [u for u in read.texts if u.startswith("/offentlig/dokumenter/")]
    assert downloads, "the crawl downloaded public documents"
    assert any(u.endswith("feed.atom") for u in read.texts)
    assert any(u.endswith("kalender.ics") for u in read.texts)
    assert any("/moter/" in u for u in read.texts)
    assert [u for u, s in read.statuses.items() if s != 200] == []
    found = leaks(read, screened.words)
    assert not found, f"{len(found)} leaks:\n" + "\n".join(found[:30])


def test_screened_items_show_public_title_and_legal_basis(screened: Screened) -> None:
    client = screened.demo.client()
    board = [m for m in screened.demo.app.list_meetings(body="board") if m.invitation_sent_at]
    page = client.get(f"/offentlig/moter/{board[-1].id}").get_data(as_text=True)
    assert "Unntatt offentlighet, jf. Offl. § 23" in page
    assert "****" in page
    english = client.get(f"/offentlig/moter/{board[-1].id}?lang=en").get_data(as_text=True)
    assert "Exempt from public disclosure, cf. Offl. § 23" in english


def test_a_screened_case_decided_shows_its_decision_masked(screened: Screened) -> None:
    app = screened.demo.app
    held = next(m for m in reversed(app.list_meetings(body="board")) if m.held)
    page = screened.demo.client().get(f"/offentlig/moter/{held.id}").get_data(as_text=True)
    assert "Unntatt offentlighet, jf. Offl. § 15" in page
    assert re.search(r"<h3>Vedtak</h3><p class=\"decision\">[^<]*\*\*\*\*", page)


def test_a_screened_case_has_no_public_documents(screened: Screened) -> None:
    app = screened.demo.app
    client = screened.demo.client()
    cases = [UUID(key) for what, key in screenings(app) if what == "case"]
    assert len(cases) >= 2  # the demo's and this test's
    for case_id in cases:
        for d in app.documents.case_documents(None, case_id).documents:
            assert client.get(f"/offentlig/dokumenter/{case_id}/{d.id}").status_code == 404


def test_the_leak_test_catches_a_broken_mask(
    screened: Screened, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Break the masking on purpose — the public model takes every case and item as
    public, with its own title — and the same crawl finds the screened words."""
    import web.public_model

    monkeypatch.setattr(web.public_model, "_screening", lambda thing: (False, None, None))
    read = crawl(screened.demo, [])
    found = leaks(read, screened.words)
    assert any("screened word" in f for f in found)

"""The public pages (issue 18, ``/offentlig/``) on the demo as a user loads it (``caseflow
demo``), on SQLite and PostgreSQL: no login and no cookie, the open bodies' meetings only,
agendas once the invitation is sent, decisions after the meeting, public documents,
search, the Atom feed and the calendar; both languages without codes or the other
language; and the conditional GET (ETag/Last-Modified from the log's head, 304 without
building the page, a new ETag after any write)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from caseflow.cli import main
from caseflow.domain import clock
from caseflow.domain.localtime import zone
from caseflow.domain.values import MeetingBody
from caseflow.persistence.attachments import AttachmentStore
from caseflow.readmodels.api import CaseFilter
from tests.conftest import postgres_schema
from tests.web.test_crawl import findings, foreign_texts, parse
from web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
OPEN = ("board", "ipu", "council")


@dataclass
class Demo:
    flask: Flask
    folder: Path

    @property
    def app(self) -> Any:
        return self.flask.extensions["caseflow"]

    def client(self) -> FlaskClient:
        return self.flask.test_client()

    def meetings(self, *bodies: str) -> list[Any]:
        return [m for m in self.app.list_meetings() if not bodies or m.body in bodies]


def load_demo(url: str, folder: Path) -> Demo:
    """``caseflow demo`` into ``url`` (as ``make run`` loads it), then the web app on it."""
    attachments = folder / "attachments"
    result = CliRunner().invoke(
        main,
        ["--database-url", url, "demo", "--if-empty"],
        env={"CASEFLOW_ATTACHMENTS_DIR": str(attachments)},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    flask_app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "public-secret",
            "TESTING": True,
            "LANGUAGE": "nb",
            "INSTANCE_PATH": str(folder / "instance"),
            "PUBLIC_HEAD_TTL": 0,  # every request asks the head (its test sets its own)
        }
    )
    flask_app.extensions["caseflow"].use_attachment_store(
        AttachmentStore.from_settings(str(attachments))
    )
    return Demo(flask_app, folder)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("public")
    if request.param == "sqlite":
        d = load_demo(f"sqlite:///{folder / 'demo.sqlite3'}", folder)
        try:
            yield d
        finally:
            d.app.close()
        return
    with postgres_schema("pub_") as url:
        d = load_demo(url, folder)
        try:
            yield d
        finally:
            d.app.close()


def text(answer: Any) -> str:
    return str(answer.get_data(as_text=True))


# -- what the public sees ----------------------------------------------------------------


def test_the_front_page_needs_no_login_and_sets_no_cookie(demo: Demo) -> None:
    answer = demo.client().get("/offentlig/")
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert "csrf" not in text(answer)
    assert "<h1>Åpne møter i Osloregionen</h1>" in text(answer)


def test_the_published_board_agenda_is_on_the_front_page(demo: Demo) -> None:
    page = text(demo.client().get("/offentlig/"))
    coming = [
        m
        for m in demo.meetings("board")
        if m.invitation_sent_at is not None and not m.held and m.status != "cancelled"
    ]
    assert coming, "the demo has a board meeting whose invitation is sent"
    for item in coming[0].agenda:
        assert item.label in page


def test_only_the_open_bodies_meetings_are_shown(demo: Demo) -> None:
    client = demo.client()
    page = text(client.get("/offentlig/"))
    assert "administrativ koordineringsgruppe" not in page
    for m in demo.meetings("kg", "group", "joint")[:5]:
        answer = client.get(f"/offentlig/moter/{m.id}")
        assert answer.status_code == 404
        assert "Set-Cookie" not in answer.headers  # the public layout, no login form
        assert "Det finnes ingen offentlig side på denne adressen." in text(answer)


def test_a_planned_meeting_shows_no_agenda(demo: Demo) -> None:
    planned = [m for m in demo.meetings(*OPEN) if m.status == "planned" and m.agenda]
    assert planned
    page = text(demo.client().get(f"/offentlig/moter/{planned[0].id}"))
    assert "Sakslisten publiseres når innkallingen er sendt." in page
    for item in planned[0].agenda:
        if item.case_id is not None:
            assert item.title not in page


def test_a_held_meeting_shows_its_decisions(demo: Demo) -> None:
    held = [m for m in demo.meetings("board") if m.status == "minutes_approved"]
    page = text(demo.client().get(f"/offentlig/moter/{held[-1].id}"))
    assert "<h3>Vedtak</h3>" in page
    assert "Vedtakene nedenfor er fra den godkjente protokollen." in page


def test_no_names_or_internal_fields_on_a_meeting_page(demo: Demo) -> None:
    held = [m for m in demo.meetings("board") if m.status == "minutes_approved"][-1]
    page = text(demo.client().get(f"/offentlig/moter/{held.id}"))
    for person in (*held.present, *held.absent, *held.recipients):
        assert demo.app.person_name(person) not in page
    for case_id in {i.case_id for i in held.agenda if i.case_id}:
        view = demo.app.get_case(None, case_id)
        if view.case_officer_name:
            assert view.case_officer_name not in page
        advice = [a.text for a in view.advice_history] + [view.advice_summary or ""]
        for said in advice:
            if len(said) > 20:  # KG's advice is internal
                assert said not in page
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w", page)


def test_a_public_document_downloads_and_others_do_not(demo: Demo) -> None:
    client = demo.client()
    held = [m for m in demo.meetings("board") if m.status == "minutes_approved"][-1]
    page = text(client.get(f"/offentlig/moter/{held.id}"))
    links = re.findall(r'href="(/offentlig/dokumenter/[^"]+)"', page)
    assert links
    answer = client.get(links[0])
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    case_id, document_id = (UUID(part) for part in links[0].split("/")[3:5])
    documents = demo.app.documents.case_documents(None, case_id).documents
    current = next(d for d in documents if d.id == document_id).current
    _, _, data = demo.app.documents.document_file(None, case_id, document_id, current.number)
    assert answer.data == data
    assert client.get(f"/offentlig/dokumenter/{case_id}/{uuid4()}").status_code == 404
    published = published_cases(demo)
    rows = demo.flask.extensions["caseflow_read"].cases(CaseFilter(per_page=500)).items
    unpublished = next(r for r in rows if r.id not in published and r.status == "under_preparation")
    secretariat = demo.app.accounts.find_person_id("sekretariat@demo.caseflow.no")
    added = demo.app.documents.add_document(
        secretariat, unpublished.id, "notat.pdf", data, kind="vedlegg", title="Notat"
    )
    url = f"/offentlig/dokumenter/{unpublished.id}/{added.documents[-1].id}"
    assert client.get(url).status_code == 404


def test_search_finds_public_titles_and_numbers(demo: Demo) -> None:
    client = demo.client()
    held = [m for m in demo.meetings("board") if m.status == "minutes_approved"][-1]
    item = next(i for i in held.agenda if i.case_id is not None)
    word = max(re.findall(r"\w+", item.title), key=len)
    assert item.title in text(client.get("/offentlig/sok", query_string={"q": word}))
    number = item.label.removeprefix("Sak ")
    assert item.title in text(client.get("/offentlig/sok", query_string={"q": number}))
    assert client.get("/offentlig/sok", query_string={"q": "x" * 201}).status_code == 422


def published_cases(demo: Demo) -> set[UUID]:
    """The cases on a published agenda of an open body."""
    return {
        i.case_id
        for m in demo.meetings(*OPEN)
        if m.invitation_sent_at
        for i in m.agenda
        if i.case_id
    }


def test_search_never_finds_an_unpublished_case(demo: Demo) -> None:
    published = published_cases(demo)
    hidden = next(
        i
        for m in demo.meetings("kg")
        for i in m.agenda
        if i.case_id and i.case_id not in published and len(i.title) > 12
    )
    word = max(re.findall(r"\w+", hidden.title), key=len)
    page = text(demo.client().get("/offentlig/sok", query_string={"q": word}))
    assert hidden.title not in page


def test_the_atom_feed_has_agendas_and_decisions(demo: Demo) -> None:
    answer = demo.client().get("/offentlig/feed.atom")
    assert answer.mimetype == "application/atom+xml"
    feed = ET.fromstring(answer.data)
    titles = [e.findtext(f"{ATOM}title") or "" for e in feed.iter(f"{ATOM}entry")]
    assert any(t.startswith("Saksliste: Styremøte") for t in titles)
    assert any(t.startswith("Vedtak: Styremøte") for t in titles)


def test_the_calendar_has_the_open_bodies_meetings_only(demo: Demo) -> None:
    answer = demo.client().get("/offentlig/kalender.ics")
    assert answer.mimetype == "text/calendar"
    cal = Calendar.from_ical(answer.data)
    categories = {str(e.get("categories").cats[0]) for e in cal.walk("VEVENT")}
    # the bodies by name in the reader's language (bokmål here), never by their codes
    assert categories <= {"Styret", "Interessepolitisk utvalg", "Representantskapet"}
    assert "Styret" in categories
    assert not categories & {b.value for b in MeetingBody}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_public_pages_in_one_language_and_no_codes(demo: Demo, lang: str) -> None:
    """Every public page reachable from the front page (links followed, bounded), in
    bokmål and English: the crawl's checks (tests/web/test_crawl.py)."""
    client = demo.client()
    foreign = foreign_texts()[lang]
    other = "en" if lang == "nb" else "nb"
    queue, seen, problems = [f"/offentlig/?lang={lang}"], set(), []
    while queue and len(seen) < 60:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        answer = client.get(url)
        assert answer.status_code == 200, url
        if answer.mimetype != "text/html":
            continue
        page = parse(text(answer))
        problems += [f"{url}: {p}" for p in findings(page.nodes, lang, foreign)]
        links = [h.replace("&amp;", "&") for h in page.links if h.startswith("/offentlig/")]
        queue += [h for h in links if f"lang={other}" not in h]  # not the language switch
    assert len(seen) > 5
    assert not problems, "\n".join(problems[:20])


def test_english_through_the_language_switch(demo: Demo) -> None:
    client = demo.client()
    page = text(client.get("/offentlig/?lang=en"))
    assert "<h1>Open meetings of Osloregionen</h1>" in page
    assert 'href="/offentlig/?lang=nb"' in page
    accept = text(client.get("/offentlig/", headers={"Accept-Language": "en"}))
    assert "<h1>Open meetings of Osloregionen</h1>" in accept


def test_phone_width_tables_are_stacked(demo: Demo) -> None:
    year = clock.now().year
    page = text(demo.client().get(f"/offentlig/arkiv/{year}"))
    assert '<table class="stack">' in page
    assert 'name="viewport"' in page


# -- caching -----------------------------------------------------------------------------


def test_a_public_page_carries_validators(demo: Demo) -> None:
    answer = demo.client().get("/offentlig/")
    head = demo.flask.extensions["caseflow_read"].head()
    assert answer.headers["ETag"].startswith(f'"{head}.nb.')
    assert answer.headers["Last-Modified"].endswith("GMT")
    assert answer.headers["Cache-Control"] == "public, max-age=60"
    assert "Accept-Language" in answer.headers["Vary"]


def test_an_unchanged_page_answers_304_without_being_built(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = demo.client()
    meeting = demo.meetings("board")[-1]
    url = f"/offentlig/moter/{meeting.id}"
    first = client.get(url)
    import web.public

    def not_built(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the page was built for a conditional GET")

    monkeypatch.setattr(web.public, "public_meeting", not_built)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_the_etag_differs_by_language(demo: Demo) -> None:
    client = demo.client()
    nb = client.get("/offentlig/").headers["ETag"]
    en = client.get("/offentlig/?lang=en").headers["ETag"]
    assert nb != en
    answer = client.get("/offentlig/?lang=en", headers={"If-None-Match": nb})
    assert answer.status_code == 200


def test_a_write_changes_the_etag(demo: Demo) -> None:
    client = demo.client()
    first = client.get("/offentlig/")
    app = demo.app
    secretariat = app.accounts.find_person_id("sekretariat@demo.caseflow.no")
    app.schedule_meeting(
        secretariat,
        MeetingBody.COUNCIL,
        clock.now() + timedelta(days=400),
        place="Oslo rådhus",
        title="Ekstra representantskapsmøte",
    )
    answer = client.get("/offentlig/", headers={"If-None-Match": first.headers["ETag"]})
    assert answer.status_code == 200
    assert answer.headers["ETag"] != first.headers["ETag"]
    year = (clock.now() + timedelta(days=400)).astimezone(zone()).year
    # the page is built on read models current with the log (freshened after the check)
    assert "Ekstra representantskapsmøte" in text(client.get(f"/offentlig/arkiv/{year}"))


def test_a_logged_in_reader_gets_a_private_answer(demo: Demo) -> None:
    client = demo.client()
    page = text(client.get("/login"))
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token
    client.post(
        "/login",
        data={"csrf_token": token.group(1), "email": "kg@demo.caseflow.no", "password": "demo"},
    )
    answer = client.get("/offentlig/")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "private, no-cache"


def test_a_supplementary_item_is_public_with_its_supplementary_invitation(demo: Demo) -> None:
    app = demo.app
    me = app.accounts.find_person_id("sekretariat@demo.caseflow.no")
    coming = [m for m in demo.meetings("board") if m.invitation_sent_at and not m.held]
    title = "Orientering om regionalt samarbeid om beredskap"
    app.add_standing_item(me, coming[0].id, title)
    client = demo.client()
    url = f"/offentlig/moter/{coming[0].id}"
    assert title not in text(client.get(url))
    app.send_supplementary_invitation(me, coming[0].id)
    page = text(client.get(url))
    assert title in page
    assert "tilleggssak" in page


def test_the_head_is_kept_for_the_configured_seconds(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load a conditional GET asks the store nothing: each process keeps the head
    ``PUBLIC_HEAD_TTL`` seconds (issue 19), so a write shows in the ETag that much later."""
    import web.public_cache

    now = [1000.0]
    monkeypatch.setattr(web.public_cache.timer, "monotonic", lambda: now[0])
    demo.flask.config["PUBLIC_HEAD_TTL"] = 5
    client = demo.client()
    first = client.get("/offentlig/").headers["ETag"]
    app = demo.app
    secretariat = app.accounts.find_person_id("sekretariat@demo.caseflow.no")
    app.schedule_meeting(
        secretariat,
        MeetingBody.COUNCIL,
        clock.now() + timedelta(days=401),
        place="Oslo rådhus",
        title="Nok et ekstra møte",
    )
    now[0] += 4.9
    kept = client.get("/offentlig/", headers={"If-None-Match": first})
    assert kept.status_code == 304  # the head as read 4.9 s ago
    now[0] += 0.2
    answer = client.get("/offentlig/", headers={"If-None-Match": first})
    assert answer.status_code == 200
    assert answer.headers["ETag"] != first

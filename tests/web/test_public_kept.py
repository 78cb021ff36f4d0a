"""A public page built for an ETag is kept by the process for the requests that come
without it (issue 19, ``web.public_cache.KeptPages``): the same body as a build, a new
build once the log moves on (the ETag names the head), per language and query, none
with ``CASEFLOW_PAGE_CACHE=0`` or while the read models are not current."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow.domain import clock
from caseflow.domain.values import MeetingBody
from tests.web.conftest import Site
from web.public_cache import kept_pages


def _schedule(site: Site, title: str) -> None:
    w = site.world
    site.app.schedule_meeting(
        w["sekretariat"],
        MeetingBody.COUNCIL,
        clock.now() + timedelta(days=30),
        place="Oslo rådhus",
        title=title,
    )


def test_a_page_is_kept_until_the_log_moves_on(fresh: Site) -> None:
    fresh.flask.config["PUBLIC_HEAD_TTL"] = 0  # the head asked on every request
    client = fresh.client().http
    with fresh.flask.app_context():
        kept = kept_pages()
    first = client.get("/offentlig/")
    assert first.status_code == 200
    again = client.get("/offentlig/")
    assert kept.hits == 1
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]

    english = client.get("/offentlig/?lang=en")  # another language: built, not the kept one
    assert english.get_data() != first.get_data()
    assert kept.hits == 1

    _schedule(fresh, "Ekstra representantskapsmøte")
    after = client.get("/offentlig/")
    assert after.headers["ETag"] != first.headers["ETag"]
    assert "Ekstra representantskapsmøte" in after.get_data(as_text=True)
    assert "Ekstra representantskapsmøte" not in first.get_data(as_text=True)
    assert kept.hits == 1  # the new head's page was built


def test_nothing_is_kept_when_pages_are_built_every_time(
    fresh: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEFLOW_PAGE_CACHE", "0")
    client = fresh.client().http
    for _ in range(3):
        assert client.get("/offentlig/").status_code == 200
    with fresh.flask.app_context():
        assert kept_pages().hits == 0
        assert len(kept_pages()._items) == 0


def test_nothing_is_kept_while_the_read_models_are_behind(
    fresh: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = fresh.flask.extensions["caseflow_read"]
    monkeypatch.setattr(service, "freshen", lambda: False)
    client = fresh.client().http
    for _ in range(2):
        assert client.get("/offentlig/").status_code == 200
    with fresh.flask.app_context():
        assert kept_pages().hits == 0


def test_files_and_feeds_are_not_kept(fresh: Site) -> None:
    client = fresh.client().http
    for _ in range(2):
        assert client.get("/offentlig/kalender.ics").status_code == 200
        assert client.get("/offentlig/feed.atom").status_code == 200
    with fresh.flask.app_context():
        assert kept_pages().hits == 0
        assert len(kept_pages()._items) == 0

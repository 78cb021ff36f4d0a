"""Issue 19: the overview rendered once per log head (web/page_cache.py), the overview and
the audit trail with links, labels and options built cheaply (web/page_parts.py) — the
same pages as before, current at the next request after any write, here or in another
process (and the trail at once after a read model changed without an event)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import url_for

from caseflow.domain.values import CaseKind
from tests.web.conftest import Site, email
from web.page_cache import parts
from web.page_parts import Memo, PerLanguage, options_html, path_link

ROOT = Path(__file__).resolve().parents[2]
NB = {"Accept-Language": "nb"}
EN = {"Accept-Language": "en"}


def bearer(site: Site, key: str, **extra: str) -> dict[str, str]:
    token = site.app.issue_token(None, email(key), "test")
    return {"Authorization": f"Bearer {token}", **extra}


@pytest.mark.parametrize(
    "ref", ["OR-2025-001", "Sak 57/26", "æøå ÆØÅ", "a?b#c&d=e", "100%", "x/y", "'quoted'"]
)
def test_path_links_are_what_url_for_builds(site: Site, ref: str) -> None:
    with site.flask.test_request_context("/"):
        assert path_link("cases.show", "ref")(ref) == url_for("cases.show", ref=ref)
        history = path_link("audit.history", "ref")
        assert f"{history(ref)}?version=3" == url_for("audit.history", ref=ref, version=3)


def test_options_are_escaped_and_the_chosen_one_is_marked() -> None:
    html = options_html([("a", "Å <b>"), ("b&c", "B"), ("c", "C")], "b&c")
    assert html == (
        '<option value="a">Å &lt;b&gt;</option>'
        '<option value="b&amp;c" selected>B</option>'
        '<option value="c">C</option>'
    )
    assert "selected" not in options_html([("a", "A")], None)


def test_per_language_values_and_memo(site: Site) -> None:
    kept = PerLanguage()
    with site.flask.test_request_context("/", headers=NB):
        assert kept.get("k", lambda: "nb-value") == "nb-value"
        assert kept.get("k", lambda: "other") == "nb-value"
    with site.flask.test_request_context("/", headers=EN):
        assert kept.get("k", lambda: "en-value") == "en-value"
    calls: list[str] = []
    memo = Memo(lambda v: calls.append(v) or v.upper())
    assert [memo("a"), memo("a"), memo("b")] == ["A", "A", "B"]
    assert calls == ["a", "b"]


def test_the_overview_is_kept_until_the_log_moves(fresh: Site) -> None:
    http = fresh.flask.test_client(use_cookies=False)
    sek = bearer(fresh, "sekretariat", **NB)
    rev = bearer(fresh, "revisor", **NB)  # issuing a token is an event: before the pages
    first = http.get("/", headers=sek).get_data(as_text=True)
    kept = parts(fresh.flask)
    hits = kept.hits
    again = http.get("/", headers=sek).get_data(as_text=True)
    assert kept.hits == hits + 1
    assert _without_tokens(again) == _without_tokens(first)
    # the auditor sees the same overview (reads everything): the same part
    http.get("/", headers=rev)
    assert kept.hits == hits + 2
    # English is another part
    english = http.get("/", headers={**sek, **EN}).get_data(as_text=True)
    assert "Status overview" in english
    assert kept.hits == hits + 2

    w = fresh.world
    w.app.propose_case(w["atp"], w.groups["atp"], "Helt ny sak", "S.", CaseKind.BOARD_CASE)
    after = http.get("/", headers=sek).get_data(as_text=True)
    assert kept.hits == hits + 2  # built again: the log moved
    assert _proposed_count(after) == _proposed_count(first) + 1


def test_the_trail_shows_another_process_s_write_at_the_next_request(fresh: Site) -> None:
    http = fresh.flask.test_client(use_cookies=False)
    rev = bearer(fresh, "revisor", **EN)
    http.get("/audit", headers=rev)
    before = http.get("/audit", headers=rev).get_data(as_text=True)
    assert "Tor Transport" not in before.split("<tbody>")[1].split("</tr>")[0]
    url = fresh.flask.config["DATABASE_URL"]
    script = (
        "import sys; from caseflow.persistence import open_application\n"
        "from caseflow.domain.values import CaseKind\n"
        "app, _ = open_application(sys.argv[1])\n"
        "atp = app.group_by_slug('atp')\n"
        "app.propose_case(app.find_person_id(sys.argv[2]), atp.id, 'Fra et annet sted', 'S.',"
        " CaseKind.BOARD_CASE)\n"
        "app.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, url, email("atp")],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    after = http.get("/audit", headers=rev).get_data(as_text=True)
    newest = after.split("<tbody>")[1].split("</tr>")[0]
    assert "Tor Transport" in newest  # the proposer, in the newest row


def test_a_query_of_its_own_and_errors_are_not_kept(fresh: Site) -> None:
    http = fresh.flask.test_client(use_cookies=False)
    rev = bearer(fresh, "revisor", **NB)
    proposed = http.get("/audit?type=Proposed", headers=rev).get_data(as_text=True)
    assert '<option value="Proposed" selected>' in proposed
    plain = http.get("/audit", headers=rev).get_data(as_text=True)
    assert "selected>" not in plain.split('id="a-type"')[1].split("</select>")[0]
    bad = http.get("/audit?since=not-a-day", headers=rev)
    assert bad.status_code == 422
    assert http.get("/audit?since=not-a-day", headers=rev).status_code == 422


def test_a_kept_part_expires(fresh: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """At most MAX_AGE seconds old: a read model rebuilt elsewhere writes no event."""
    monkeypatch.setattr("web.page_cache.MAX_AGE", 0.0)
    http = fresh.flask.test_client(use_cookies=False)
    sek = bearer(fresh, "sekretariat", **NB)
    http.get("/", headers=sek)
    http.get("/", headers=sek)
    assert parts(fresh.flask).hits == 0


def test_switched_off_every_page_is_built(fresh: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFLOW_PAGE_CACHE", "0")
    http = fresh.flask.test_client(use_cookies=False)
    sek = bearer(fresh, "sekretariat", **NB)
    kept = parts(fresh.flask)
    http.get("/", headers=sek)
    http.get("/", headers=sek)
    assert kept.hits == 0
    assert len(kept) == 0


def _without_tokens(html: str) -> str:
    import re

    return re.sub(r'(csrf[-_]token"? (?:content|value)=")[^"]+', r"\1", html)


def _proposed_count(html: str) -> int:
    import re

    found = re.search(r'status=proposed">.*?<strong>(\d+)</strong>', html, re.S)
    assert found, "no count of proposed cases"
    return int(found.group(1))


def test_moments_are_what_the_datetime_filter_writes(site: Site) -> None:
    from datetime import UTC, datetime

    from web.filters import fmt_date
    from web.page_parts import moment_formatter

    moments = [
        datetime(2026, 12, 2, 5, 38, tzinfo=UTC),
        datetime(2026, 6, 30, 22, 1, 59, tzinfo=UTC),  # the next day in Oslo (summer time)
        datetime(1900, 1, 1, tzinfo=UTC),
    ]
    for headers in (NB, EN):
        with site.flask.test_request_context("/", headers=headers):
            fast = moment_formatter()
            assert [fast(m) for m in moments] == [fmt_date(m) for m in moments]


def test_the_actor_filter_marks_the_chosen_person(site: Site) -> None:
    http = site.flask.test_client(use_cookies=False)
    rev = bearer(site, "revisor", **NB)
    chosen = site.world["atp"].hex
    html = http.get(f"/audit?actor={chosen}", headers=rev).get_data(as_text=True)
    options = html.split('id="a-actor"')[1].split("</select>")[0]
    assert f'<option value="{chosen}" selected>Tor Transport</option>' in options
    assert options.count(" selected>") == 1
    plain = http.get("/audit", headers=rev).get_data(as_text=True)
    assert " selected>" not in plain.split('id="a-actor"')[1].split("</select>")[0]

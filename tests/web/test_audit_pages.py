"""The auditor's pages: every event type has a human name in both languages (the trail's
filter offers those names, its value stays the type code), the exports carry each
event's chain hash, and verify says what it checked and what a digest is."""

from __future__ import annotations

import csv
import importlib
import inspect
import io
import pkgutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel, force_locale

import caseflow.domain
from caseflow.application.topics import MOVED_TOPICS
from caseflow.domain.base import CaseflowAggregate
from caseflow.ledger import Ledger
from tests.web.conftest import Site
from web.event_labels import EVENT_LABELS, event_label, topic_label, type_choices

NB = {"Accept-Language": "nb"}
EN = {"Accept-Language": "en"}
TRANSLATIONS = Path(__file__).resolve().parents[2] / "web" / "translations"


def domain_event_classes() -> set[str]:
    """``Aggregate.Event`` of every event class nested in a domain aggregate."""
    found: set[str] = set()
    for info in pkgutil.walk_packages(caseflow.domain.__path__, "caseflow.domain."):
        module = importlib.import_module(info.name)
        for _, agg in inspect.getmembers(module, inspect.isclass):
            if not issubclass(agg, CaseflowAggregate) or agg is CaseflowAggregate:
                continue
            for _, ev in inspect.getmembers(agg, inspect.isclass):
                if (
                    issubclass(ev, CaseflowAggregate.Event)
                    and ev.__qualname__.startswith(agg.__name__ + ".")
                    and ev.__name__ not in ("Event", "Created")  # the library's bases
                ):
                    found.add(ev.__qualname__)
    return found


def test_every_domain_event_type_has_a_label() -> None:
    events = domain_event_classes()
    assert "Case.SubmittedToBoard" in events  # the walk finds nested classes
    missing = sorted(events - set(EVENT_LABELS))
    assert missing == [], f"add labels to web/event_labels.py for {missing}"


@pytest.fixture
def babel_app() -> Flask:
    app = Flask(__name__)
    app.config.update(BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS), BABEL_DEFAULT_LOCALE="nb")
    Babel(app)
    return app


def test_labels_in_both_languages(babel_app: Flask) -> None:
    with babel_app.test_request_context():
        with force_locale("nb"):
            assert event_label("SubmittedToBoard", "Case") == "Sak fremmet for styret"
            assert event_label("Case.SubmittedToBoard") == "Sak fremmet for styret"
            assert event_label("Opened", "Account") == "Innlogging opprettet"
            assert "Katalog opprettet" in event_label("Opened")  # a shared class name
            assert event_label("NoSuchEvent") == "Annen hendelse"
        with force_locale("en"):
            assert event_label("SubmittedToBoard") == "Case submitted to the board"
    with open(TRANSLATIONS / "nb" / "LC_MESSAGES" / "messages.po", "rb") as f:
        nb = read_po(f, locale="nb")
    for label in EVENT_LABELS.values():
        entry = nb.get(label._args[0])
        assert entry is not None
        assert entry.string, f"no bokmål for {label._args[0]!r}"


def test_old_topics_have_labels(babel_app: Flask) -> None:
    with babel_app.test_request_context(), force_locale("nb"):
        for topic in MOVED_TOPICS:
            if "." in topic.rsplit(":", 1)[1]:  # an event, not the aggregate itself
                assert topic_label(topic) != "Annen hendelse", topic
        assert topic_label("caseflow.domain.meeting:AgendaSequence.NumberIssued") == (
            "Saksnummer tildelt"
        )
        assert topic_label("caseflow.domain.case:Case.Proposed") == "Sak foreslått"


def test_type_choices_are_codes_with_labels(babel_app: Flask) -> None:
    with babel_app.test_request_context(), force_locale("nb"):
        choices = dict(type_choices())
    assert choices["SubmittedToBoard"] == "Sak fremmet for styret"
    assert len(choices) == len({k.split(".")[1] for k in EVENT_LABELS})


def test_exports_carry_each_events_chain_hash(site: Site) -> None:
    """The CSV and JSON exports of the trail (the read model's rows) carry the hash the
    chain stored at each row's position — filtered exports too."""
    client = site.client("revisor")
    ledger = Ledger(site.app, None)
    ledger.catch_up()
    body = client.get("/audit/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) > 20
    for row in rows:
        assert row["chain_hash"], row
        assert row["chain_hash"] == ledger.chain_hash(int(row["position"]))
    data = client.get("/audit/export.json?type=Proposed").get_json()
    events = data["events"]
    assert events
    assert {e["type"] for e in events} == {"Proposed"}
    for e in events:
        assert e["chain_hash"] == ledger.chain_hash(e["position"])


def test_the_trail_filters_by_event_names(site: Site) -> None:
    client = site.client("revisor")
    html = client.get("/audit?type=SubmittedToBoard", headers=NB).get_data(as_text=True)
    select = html.split('id="a-type"')[1].split("</select>")[0]
    assert '<option value="SubmittedToBoard" selected>Sak fremmet for styret</option>' in select
    assert ">Sak foreslått</option>" in select
    assert 'placeholder="SubmittedToBoard"' not in html
    listed = client.get("/audit?type=Proposed", headers=NB).get_data(as_text=True)
    table = listed.split("<tbody>")[1]
    assert "Sak foreslått" in table
    assert "<code>Proposed</code>" not in table
    api = client.get("/api/v1/audit?type=Proposed").get_json()  # the API keeps the code
    assert api["items"]
    assert {i["type"] for i in api["items"]} == {"Proposed"}


def test_verify_says_what_it_checked_and_what_a_digest_is(site: Site) -> None:
    client = site.client("revisor")
    html = client.get("/audit/verify", headers=NB).get_data(as_text=True)
    assert "Hva som ble kontrollert" in html
    assert "lagrede hendelser ble lest på nytt" in html
    assert "Hva et signert sammendrag er" in html
    assert "<code>caseflow audit digest</code>" in html
    assert "Ingen: det er ikke arkivert noe signert sammendrag ennå" in html
    english = client.get("/audit/verify", headers=EN).get_data(as_text=True)
    assert "What a signed digest is" in english


def test_cli_verify_explains_digests(site: Site) -> None:
    from click.testing import CliRunner

    from caseflow.cli import main

    url = site.flask.config["DATABASE_URL"]
    result = CliRunner().invoke(main, ["--database-url", url, "audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "checked:" in result.output
    assert "0 signed digest(s) checked" in result.output
    assert "A signed digest is the chain's head" in result.output
    assert "caseflow audit digest" in result.output


def test_chain_hashes_of_any_positions(site: Site) -> None:
    """Dense, sparse (a filtered trail: one query per row, never the whole span) and
    newest-first positions all get the chain's hash; an unchained position gets none."""
    from caseflow.ledger.export import chain_hashes

    ledger = Ledger(site.app, None)
    ledger.catch_up()
    head = ledger.tracked() or 0
    assert head > 20
    dense = list(range(1, 11))
    sparse = [2, head]
    for positions in (dense, sparse, [head, 3, 1]):
        found = chain_hashes(ledger.store, positions)
        chained = {p: ledger.chain_hash(p) for p in positions}  # PostgreSQL may skip one
        assert found == {p: h for p, h in chained.items() if h is not None}
        assert found
    assert chain_hashes(ledger.store, [head + 1000]) == {}


def test_verify_names_a_finding_in_words(fresh_sqlite: Site) -> None:
    """An event edited in the store: the page answers 409 and says what was found in the
    reader's language (the technical message under "Teknisk detalj")."""
    from tests.ledger.helpers import RawEvents

    site = fresh_sqlite
    Ledger(site.app, None).catch_up()
    raw = RawEvents(site.app, site.flask.extensions["caseflow_settings"])
    p = raw.positions()[5]
    raw.set_state(p, bytes(raw.row(p)[3]) + b" ")
    page = site.client("revisor").get("/audit/verify", headers=NB)
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    assert f"Første avvik ved posisjon {p}" in html
    assert "en hendelse ble endret etter at den ble registrert" in html
    assert "Teknisk detalj" in html


def test_the_trail_speaks_the_readers_language(site: Site) -> None:
    """Issue 15: a freshly projected trail has every row's summary in English too, so the
    English page marks no cell as bokmål; the exports and the API follow the reader."""
    client = site.client("revisor")
    english = client.get("/audit?type=Proposed", headers=EN).get_data(as_text=True)
    table = english.split("<tbody>")[1].split("</tbody>")[0]
    assert "Proposed case " in table
    assert "Foreslo sak" not in table
    everything = client.get("/audit?per_page=200", headers=EN).get_data(as_text=True)
    assert 'lang="nb"' not in everything.split("<tbody>")[1].split("</tbody>")[0]
    assert "recorded in bokmål" not in everything
    bokmal = client.get("/audit?type=Proposed", headers=NB).get_data(as_text=True)
    assert "Foreslo sak " in bokmal.split("<tbody>")[1]
    rows = list(csv.DictReader(io.StringIO(client.get("/audit/export.csv", headers=EN).text)))
    assert any(r["summary"].startswith("Proposed case ") for r in rows)
    assert not any(r["summary"].startswith("Foreslo sak") for r in rows)
    nb_rows = list(csv.DictReader(io.StringIO(client.get("/audit/export.csv", headers=NB).text)))
    assert any(r["summary"].startswith("Foreslo sak ") for r in nb_rows)
    api = client.get("/api/v1/audit?type=Proposed", headers=EN).get_json()["items"]
    assert api
    assert all(i["summary"].startswith("Proposed case ") for i in api)
    api_nb = client.get("/api/v1/audit?type=Proposed", headers=NB).get_json()["items"]
    assert all(i["summary"].startswith("Foreslo sak ") for i in api_nb)


def test_a_row_projected_before_english_shows_bokmal_marked(fresh_sqlite: Site) -> None:
    """A row with no English summary (projected before issue 15; `caseflow rebuild audit`
    fills them) shows its bokmål text marked ``lang="nb"`` on an English page."""
    import sqlite3

    client = fresh_sqlite.client("revisor")

    def body(headers: dict[str, str]) -> str:
        html = client.get("/audit?type=Proposed", headers=headers).get_data(as_text=True)
        return html.split("<tbody>")[1].split("</tbody>")[0]

    assert 'lang="nb"' not in body(EN)
    path = fresh_sqlite.flask.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        assert db.execute('DELETE FROM "rm_audit_en"').rowcount > 0
    table = body(EN)
    assert '<td lang="nb">' in table
    assert "Foreslo sak " in table
    assert "Proposed case" not in table
    assert 'lang="nb"' not in body(NB)

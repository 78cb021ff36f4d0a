"""Every code a page shows has a label in both languages (issue 15): statuses, kinds,
roles ("KG-medlem", "medlem i ATP"), regions and groups by their names, event types;
what events record in words; dates by the reader's language; step reasons that say what
has to happen first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel, force_locale

from caseflow.domain.case import ALLOWED_FROM
from caseflow.domain.errors import InvalidTransition
from caseflow.domain.meeting import MeetingStatus
from caseflow.domain.meeting_files import AttachmentKind
from caseflow.domain.reasons import KEYS, why_not
from caseflow.domain.values import (
    CaseKind,
    CaseStatus,
    Financing,
    FocusArea,
    GroupKind,
    GroupRole,
    MeetingBody,
    Stance,
    Step,
    SystemRole,
)
from tests.web.conftest import Site
from web import display
from web.filters import fmt_date, fmt_day
from web.i18n import translate
from web.labels import TABLES, label, party_label, role_label
from web.messages import DOMAIN_MESSAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"


@pytest.fixture
def babel_app() -> Iterator[Flask]:
    app = Flask(__name__)
    app.config.update(BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS), BABEL_DEFAULT_LOCALE="nb")
    Babel(app, locale_selector=lambda: "nb")
    with app.test_request_context():
        yield app


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        ("status", CaseStatus),
        ("step", Step),
        ("stance", Stance),
        ("kind", CaseKind),
        ("focus_area", FocusArea),
        ("role", GroupRole),
        ("group_kind", GroupKind),
        ("body", MeetingBody),
        ("meeting_status", MeetingStatus),
        ("attachment_kind", AttachmentKind),
        ("financing", Financing),
        ("system_role", SystemRole),
    ],
)
def test_every_value_has_a_label_in_both_languages(
    babel_app: Flask, table: str, enum: type
) -> None:
    for value in enum:  # type: ignore[attr-defined]
        assert str(value.value) in TABLES[table], f"no label for {table} {value.value!r}"
        with force_locale("nb"):
            nb = label(table, value.value)
        with force_locale("en"):
            en = label(table, value.value)
        assert nb != value.value or value.value == "admin", f"{table} {value.value!r}: no bokmål"
        assert "_" not in en, f"{table} {value.value!r} shows a code in English: {en!r}"


@pytest.mark.usefixtures("babel_app")
def test_labels_in_bokmal() -> None:
    assert label("meeting_status", "invitation_sent") == "Innkalling sendt"
    assert label("meeting_status", "minutes_approved") == "Referat godkjent"
    assert label("attachment_kind", "kg_minutes") == "KG-referat"
    assert label("event", "SubmittedToBoard") == "Sak fremmet for styret"
    assert label("event", "NoSuchEvent") == "Annen hendelse"


@pytest.mark.usefixtures("babel_app")
def test_roles_and_parties_in_words() -> None:
    groups = {"atp": "ATP", "kraft-energi": "Kraft og energi"}
    assert role_label("kg:member", groups) == "KG-medlem"
    assert role_label("kg:leader", groups) == "KG-leder"
    assert role_label("atp:member", groups) == "medlem i ATP"
    assert role_label("atp:deputy", groups) == "nestleder i ATP"
    assert role_label("kraft-energi:leader", groups) == "leder i Kraft og energi"
    assert role_label("atp:invited-leader", groups) == "leder i ATP, invitert til KG"
    assert role_label("secretariat") == "Sekretariatet"
    assert role_label("system") == "Caseflow (automatisk)"
    regions = {"folloregionen": "Folloregionen", "nedre-romerike": "Nedre Romerike"}
    assert party_label("nedre-romerike", regions, groups) == "Nedre Romerike"
    assert party_label("atp", regions, groups) == "ATP"
    assert party_label("sekretariatet", regions, groups) == "sekretariatet"
    assert party_label(None, regions, groups) == ""
    with force_locale("en"):
        assert role_label("kg:member", groups) == "KG member"
        assert role_label("atp:member", groups) == "member of ATP"


def test_dates_by_the_readers_language(babel_app: Flask) -> None:
    """nb 08.12.2026 12:00, en 8 Dec 2026, 12:00 — in Europe/Oslo (11:00 UTC is 12:00)."""
    moment = datetime(2026, 12, 8, 11, 0, tzinfo=UTC)
    with force_locale("nb"):
        assert fmt_date(moment) == "08.12.2026 12:00"
        assert fmt_day(date(2026, 12, 8)) == "08.12.2026"
    with force_locale("en"):
        assert fmt_date(moment) == "8 Dec 2026, 12:00"
        assert fmt_day(date(2026, 12, 8)) == "8 Dec 2026"
    summer = datetime(2026, 6, 1, 10, 30, tzinfo=UTC)  # daylight saving: 12:30 in Oslo
    with force_locale("en"):
        assert fmt_date(summer) == "1 Jun 2026, 12:30"


@pytest.mark.usefixtures("babel_app")
def test_recorded_values_in_words_without_a_store() -> None:
    assert display.human([]) == "—"
    assert display.human(None) == "—"
    assert display.human(["Utsatt: styret ber om mer", "Utsatt: igjen"]) == (
        "Utsatt: styret ber om mer; Utsatt: igjen"
    )
    assert display.human(True) == "Ja"
    assert display.human(date(2026, 12, 8)) == "08.12.2026"
    assert display.human("2026-12-08") == "08.12.2026"
    assert display.human("supports_with_changes", "stance") == "Støtter med endringer"
    assert display.human("board_case", "kind") == "Styresak"


def test_ids_are_shown_by_name_or_left_out(site: Site) -> None:
    """A history's ids: a person by name, a group by its short name, an unknown id
    left out — never ``UUID('…')``."""
    import uuid

    officer = site.world["sekretariat"]
    with site.flask.test_request_context(headers={"Accept-Language": "nb"}):
        name = site.app.person_name(officer)
        assert display.human(officer, "case_officer") == name
        assert display.human([officer], "invited") == name
        assert display.human(str(officer), "case_officer") == name
        nobody = uuid.uuid4()
        assert display.human(nobody, "case_officer") == "—"
        assert display.human(site.world.groups["atp"], "group_id") != str(site.world.groups["atp"])
        assert "UUID(" not in display.human([nobody, officer], "invited")


def test_a_case_history_shows_no_codes(site: Site) -> None:
    """The history page of a case that went through advice: roles in words, recorded
    data in words (no snake_case field names, no ``UUID(``, no ``[]``)."""
    c = site.client("sekretariat")
    ref = site.cases["advice"].reference
    page = c.get(f"/cases/{ref}/history?version=2", headers={"Accept-Language": "nb"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for code in ("UUID(", "[]", "case_officer", "kg_meeting_id", "secretariat)", "(secretariat"):
        assert code not in text, code
    assert "Sekretariatet" in text


@pytest.mark.parametrize("step", list(Step))
def test_every_refused_step_says_what_has_to_happen_first(step: Step) -> None:
    """Each step a status does not allow (and that is not final) has a reason."""
    for status in CaseStatus:
        if status.is_final or status in ALLOWED_FROM[step]:
            continue
        assert why_not(step, status) is not None, (step, status)


def test_reasons_are_listed_and_translated() -> None:
    with open(TRANSLATIONS / "nb" / "LC_MESSAGES" / "messages.po", "rb") as f:
        nb = read_po(f, locale="nb")
    for key in KEYS:
        assert key in DOMAIN_MESSAGES, f"add N_({key!r}) to web/messages.py"
        entry = nb.get(key)
        assert entry is not None, key
        assert entry.string, key


@pytest.mark.usefixtures("babel_app")
def test_submitting_under_preparation_names_the_missing_step() -> None:
    from caseflow.domain.case import Case

    case = Case.__new__(Case)
    case.status = CaseStatus.UNDER_PREPARATION
    case.documents = []
    with pytest.raises(InvalidTransition) as refused:
        case.check_step(Step.SUBMIT)
    assert translate(refused.value.message, refused.value.params) == (
        "KG-rådet må avsluttes eller frafalles før saken kan fremmes"
    )
    with force_locale("en"):
        assert translate(refused.value.message, refused.value.params) == (
            "KG's advice must be closed or waived before the case can be submitted"
        )


def test_a_refused_step_names_its_rule_once_on_the_page_and_the_form(fresh_sqlite: Site) -> None:
    """R19 on the case page and on the step's form after a POST: "R19" once before the
    reason, in bokmål, and the reason says what is missing; nothing is recorded."""
    from caseflow.domain.values import Document

    w = fresh_sqlite.world
    case = w.advised(document=Document("Bakgrunn.", "Vurdering.", "Forslag.", ""))
    c = fresh_sqlite.client("sekretariat")
    nb = {"Accept-Language": "nb"}
    page = c.get(f"/cases/{case.reference}", headers=nb).get_data(as_text=True)
    assert "saksframlegget må vurdere hvordan regionens politikere skal involveres" in page
    assert "R19 R19" not in page
    assert "R19: R19" not in page
    before = fresh_sqlite.app.recorder.max_notification_id()
    answer = c.post(f"/cases/{case.reference}/steps/ready", {}, headers=nb)
    assert answer.status_code == 409
    text = answer.get_data(as_text=True)
    refusal = text[text.index("saksframlegget må vurdere") - 40 : text.index("saksframlegget må")]
    assert refusal.count("R19") == 1, refusal
    assert fresh_sqlite.app.recorder.max_notification_id() == before


def test_the_api_gives_the_reason_in_the_callers_language(site: Site) -> None:
    """next_steps: submitting a case whose advice round is open is refused with what has
    to happen first, in bokmål or English by Accept-Language."""
    from tests.web.conftest import email

    token = site.app.issue_token(None, email("sekretariat"), "labels")
    url = f"/api/v1/cases/{site.cases['advice'].reference}"
    answers = {}
    for lang in ("nb", "en"):
        body = (
            site.flask.test_client()
            .get(url, headers={"Authorization": f"Bearer {token}", "Accept-Language": lang})
            .get_json()
        )
        answers[lang] = next(s for s in body["next_steps"] if s["step"] == "submit")
    assert answers["nb"]["allowed"] is False
    assert answers["nb"]["reason"] == "KG-rådet må avsluttes eller frafalles før saken kan fremmes"
    assert answers["en"]["reason"] == (
        "KG's advice must be closed or waived before the case can be submitted"
    )


def test_role_and_behalf_said_once(site: Site) -> None:
    """ "KG-medlem, på vegne av <region>", but "Sekretariatet" alone and "KG-leder" alone
    when the behalf only repeats the role."""
    with site.flask.test_request_context(headers={"Accept-Language": "nb"}):
        regions = display.names().regions
        slug, name = next(iter(regions.items()))
        assert display.acted("kg:member", slug) == f"KG-medlem, på vegne av {name}"
        assert display.acted("secretariat", "sekretariatet") == "Sekretariatet"
        assert display.acted("kg:leader", "kg") == "KG-leder"
        atp = display.names().groups["atp"]  # the group by its short name (or its name)
        assert display.acted("atp:invited-leader", "atp") == f"leder i {atp}, invitert til KG"
        assert display.acted("system", None) == "Caseflow (automatisk)"


def test_the_english_trail_shows_english_summaries(site: Site) -> None:
    """The trail's summaries are recorded in bokmål and English (issue 15): a freshly
    projected trail marks no cell lang="nb" on an English page (a row projected before
    keeps its bokmål text, marked: tests/web/test_audit_pages.py)."""
    c = site.client("revisor")
    en = c.get("/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "What (recorded in bokmål)" not in en
    assert '<td lang="nb">' not in en
    assert "<td>Registered " in en or ">Proposed case " in en
    nb = c.get("/audit", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert '<td lang="nb">' not in nb

"""Errors, warnings and step reasons carry a message key and parameters (issue 13): no
message is built as a sentence at run time, every key is listed and translated to bokmål,
the web layer translates by key (never by pattern), the rule id appears once, and a
refused step's HTTP status travels with its reason."""

from __future__ import annotations

import ast
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from caseflow.domain.case import Case
from caseflow.domain.errors import (
    InvalidInput,
    InvalidTransition,
    Message,
    NotPermitted,
)
from caseflow.domain.permissions import Grant
from caseflow.domain.planning import PlanningRules, kg_gap_warning
from caseflow.domain.values import Document
from tests.web.conftest import Site, email
from web.i18n import translate_error, translate_text, with_rule
from web.messages import DOMAIN_MESSAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"
SOURCES = sorted(
    [
        *(ROOT / "caseflow" / "domain").rglob("*.py"),
        *(ROOT / "caseflow" / "application").glob("*.py"),
    ]
)
ERRORS = {
    "NotPermitted",
    "InvalidTransition",
    "InvalidInput",
    "NotFoundError",
    "StaleVersion",
    "ConcurrencyConflict",
    "CaseflowError",
    "Message",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _name(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)


def message_args(tree: ast.AST) -> Iterator[tuple[ast.Call, ast.expr]]:
    """Each call that gives an error, a field refusal or a :class:`Message` its message,
    with the message argument."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr == "field" and len(node.args) >= 2:
            if isinstance(f.value, ast.Name) and f.value.id == "InvalidInput":
                yield node, node.args[1]
        elif _name(node) in ERRORS and node.args:
            yield node, node.args[0]


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _given(call: ast.Call) -> set[str] | None:
    """The parameter names a call passes (None: not knowable, e.g. ``**params``)."""
    names = {k.arg for k in call.keywords if k.arg}
    if any(k.arg is None for k in call.keywords):
        return None
    if _name(call) == "Message" and len(call.args) >= 2:
        params = call.args[1]
        if not isinstance(params, ast.Dict):
            return None
        names |= {k.value for k in params.keys if isinstance(k, ast.Constant)}
    return names


def keys(path: Path) -> set[str]:
    """The literal message keys of ``path`` (also the ``(key, params)`` field refusals)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {k for _, arg in message_args(tree) if (k := _literal(arg))}
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            key, params = node.elts
            if _literal(key) and isinstance(params, ast.Dict) and PLACEHOLDER.search(key.value):  # type: ignore[attr-defined]
                found.add(key.value)  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_message_is_a_sentence_built_at_run_time(path: Path) -> None:
    """Keys only: an f-string, a %-formatted or .format()ted string, or a concatenation
    given to an error or a Message would reach the catalog as an unknown sentence."""
    for call, arg in message_args(ast.parse(path.read_text(encoding="utf-8"))):
        built = (
            isinstance(arg, ast.JoinedStr)
            or (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod | ast.Add))
            or (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "format"
            )
        )
        assert not built, f"{path.name}:{call.lineno}: pass a key and params, not a sentence"
        key = _literal(arg)
        if key is not None:
            assert not re.match(r"R\d+: ", key), (
                f"{path.name}:{call.lineno}: the rule id goes in rule="
            )
            given = _given(call)
            if given is not None:
                missing = set(PLACEHOLDER.findall(key)) - given
                assert not missing, f"{path.name}:{call.lineno}: no value for {missing}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_is_listed_and_translated(path: Path) -> None:
    with open(TRANSLATIONS / "nb" / "LC_MESSAGES" / "messages.po", "rb") as f:
        nb = read_po(f, locale="nb")
    for key in keys(path):
        assert key in DOMAIN_MESSAGES, f"add N_({key!r}) to web/messages.py"
        entry = nb.get(key)
        assert entry is not None, f"no bokmål for {key!r}"
        assert entry.string, f"no bokmål for {key!r}"


def test_the_scan_sees_the_new_call_shapes() -> None:
    """The scan finds keys with parameters, field refusals with parameters and warnings."""
    planning = keys(ROOT / "caseflow" / "domain" / "planning.py")
    assert any(k.startswith("the KG meeting of %(kg)s") for k in planning)
    assert "must be %(region)s" in keys(
        ROOT / "caseflow" / "domain" / "permissions" / "organisation.py"
    )
    assert "the invitation went out without approved KG minutes" in keys(
        ROOT / "caseflow" / "application" / "meeting_queries.py"
    )
    bad = ast.parse('raise InvalidInput.field("x", f"must be {n}")\nMessage(f"R1: {x}")')
    assert [type(a).__name__ for _, a in message_args(bad)] == ["JoinedStr", "JoinedStr"]


@pytest.fixture
def nb() -> Iterator[None]:
    app = Flask(__name__)
    app.config.update(BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS), BABEL_DEFAULT_LOCALE="nb")
    from flask_babel import Babel

    Babel(app, locale_selector=lambda: "nb")
    with app.test_request_context():
        yield


BY = Grant("system", "system", None)


def r19_refusal() -> InvalidTransition:
    """R19 refuses ``ready``: the document does not assess political involvement."""
    case = Case._create(
        Case.Proposed,
        kind="board_case",
        title="T",
        summary="S",
        focus_area=None,
        group_id=uuid.uuid4(),
        reference="OR-2099-001",
        actor="x",
        role="atp:member",
        on_behalf_of="follo",
    )
    case.accept(uuid.uuid4(), BY)
    case.draft(Document(background="b"), BY)
    case.waive_advice("haster", BY)
    with pytest.raises(InvalidTransition) as err:
        case.mark_ready(BY)
    return err.value


def test_the_rule_id_appears_once() -> None:
    """Before: 'R19: R19: the case document …' (the id in the message and again from
    ``rule``)."""
    e = r19_refusal()
    assert e.rule == "R19"
    assert not e.message.startswith("R19")
    assert str(e).startswith("R19: the case document must assess")
    assert str(e).count("R19") == 1
    reason = Message.refusal(e)
    assert reason.rule is None
    assert "R19" not in reason


@pytest.mark.usefixtures("nb")
def test_refusals_and_warnings_are_translated_by_key() -> None:
    e = r19_refusal()
    assert with_rule(e.rule, translate_error(e)) == (
        "R19: saksframlegget må vurdere hvordan regionens politikere skal involveres før "
        "saken går til styret"
    )
    field = InvalidInput.field("expires", "between 1 and %(n)s days", n=365)
    assert translate_error(field) == "Utløper: mellom 1 og 365 dager"  # the field by its label
    board = datetime(2026, 6, 10, 10, tzinfo=UTC)
    warning = kg_gap_warning(board - timedelta(days=5), board, PlanningRules())
    assert warning is not None
    assert warning.startswith("R16: the KG meeting of 05.06.2026")
    assert translate_text(warning) == (
        "R16: KG-møtet 05.06.2026 er 5 dager før styremøtet 10.06.2026; KG bør møtes om "
        "lag to uker før (10–30 dager)"
    )
    r15 = Message("the invitation went out without approved KG minutes", rule="R15")
    assert translate_text(r15) == "R15: innkallingen gikk ut uten godkjent KG-referat"


def test_a_refusal_carries_its_status() -> None:
    """web/cases.py answers with the status of the error that refused the step; it no
    longer knows that R19 is a state (409) rather than a permission (403)."""
    from web.cases import refusal_status

    class Option:
        def __init__(self, rule: str | None, reason: Message) -> None:
            self.rule, self.reason = rule, reason

    r19 = r19_refusal()
    assert refusal_status(Option("R19", Message.refusal(r19))) == 409
    denied = NotPermitted("Only the secretariat submits cases to the board.", rule="R1")
    assert refusal_status(Option("R1", Message.refusal(denied))) == 403
    state = InvalidTransition("the minutes are already approved")
    assert refusal_status(Option(None, Message.refusal(state))) == 409


def test_case_pages_give_step_reasons_in_the_readers_language(site: Site) -> None:
    """A refused step's reason is translated by key with its parameters filled in (the
    status and step by their labels) — in bokmål on a bokmål page, in English otherwise;
    the API gives the English sentence, never the bare key."""
    c = site.client("sekretariat")
    url = f"/cases/{site.cases['proposed'].reference}"
    nb_page = c.get(url, headers={"Accept-Language": "nb"}).get_data(as_text=True)
    # what has to happen first (issue 15), not "“Submit” is not possible while …"
    assert "sekretariatet må først ta saken til forberedelse" in nb_page
    assert "%(" not in nb_page
    assert "must first accept" not in nb_page
    en_page = c.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "the secretariat must first accept the case for preparation" in en_page
    assert "%(" not in en_page
    token = site.app.issue_token(None, email("sekretariat"), "test")
    case = (
        site.flask.test_client()
        .get(
            f"/api/v1/cases/{site.cases['proposed'].reference}",
            headers={"Authorization": f"Bearer {token}"},
        )
        .get_json()
    )
    reasons = [s["reason"] for s in case["next_steps"] if not s["allowed"]]
    assert reasons
    assert all(r and "%(" not in r for r in reasons)

"""Norwegian bokmål is complete: every fixed message of the domain and application (the
reasons a person reads when a step is refused) and every page text is translated, and the
compiled catalogs match their sources."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

from caseflow.domain.errors import InvalidInput
from web.i18n import translate, translate_error
from web.messages import DOMAIN_MESSAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"
ERRORS = {
    "NotPermitted",
    "InvalidTransition",
    "InvalidInput",
    "NotFoundError",
    "StaleVersion",
    "ConcurrencyConflict",
    "CaseflowError",
}


def fixed_messages(path: Path) -> set[str]:
    """Literal messages given to domain errors (and the rule table's reasons)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
            args = node.args
            if (
                isinstance(f, ast.Attribute)
                and f.attr == "field"
                and isinstance(f.value, ast.Name)
                and f.value.id == "InvalidInput"
            ):
                args = args[1:]
            elif name not in ERRORS:
                continue
            if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                found.add(args[0].value)
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            rule, reason = node.elts
            if (
                isinstance(rule, ast.Constant)
                and isinstance(rule.value, str)
                and rule.value[:1] == "R"
                and rule.value[1:].isdigit()
                and isinstance(reason, ast.Constant)
                and isinstance(reason.value, str)
            ):
                found.add(reason.value)
    return found


def catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


@pytest.mark.parametrize(
    "path",
    sorted(
        [
            *(ROOT / "caseflow" / "domain").glob("*.py"),
            *(ROOT / "caseflow" / "application").glob("*.py"),
        ]
    ),
    ids=lambda p: p.name,
)
def test_every_fixed_domain_message_is_listed_and_translated(path: Path) -> None:
    nb = catalog("nb")
    for message in fixed_messages(path):
        assert message in DOMAIN_MESSAGES, f"add N_({message!r}) to web/messages.py"
        entry = nb.get(message)
        assert entry is not None, f"no bokmål for {message!r}"
        assert entry.string, f"no bokmål for {message!r}"


def test_every_page_text_has_bokmal() -> None:
    untranslated = [m.id for m in catalog("nb") if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_compiled_catalog_matches_its_source(lang: str) -> None:
    out = io.BytesIO()
    write_mo(out, catalog(lang))
    stored = (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert out.getvalue() == stored, "run: pybabel compile -d web/translations"


@pytest.fixture
def nb_context():
    app = Flask(__name__)
    app.config.update(BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS), BABEL_DEFAULT_LOCALE="nb")
    from flask_babel import Babel

    Babel(app, locale_selector=lambda: "nb")
    with app.test_request_context():
        yield


@pytest.mark.usefixtures("nb_context")
def test_refusals_are_translated() -> None:
    """By key: the key is looked up and its parameters filled in (a case's status and
    step by their labels); a field error names its field; nothing is matched by pattern."""
    assert translate("Only the secretariat submits cases to the board.") == (
        "Bare sekretariatet fremmer saker for styret."
    )
    assert translate(
        "“%(step)s” is not possible while the case is “%(status)s”.",
        {"step": "accept", "status": "submitted"},
    ) == ("«Ta til forberedelse» er ikke mulig mens saken er «Fremmet for styret».")
    assert translate_error(InvalidInput.field("title", "required")) == "Tittel: påkrevd"
    assert translate("something nobody wrote down") == "something nobody wrote down"
    english = "'accept' is not possible while the case is submitted"
    assert translate(english) == english  # the old run-time sentence is not parsed

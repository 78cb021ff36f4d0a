"""The command line says a refusal in the reader's language (issue 15): translated by key
from the web's catalogs (caseflow/i18n.py), bokmål unless ``CASEFLOW_LANGUAGE=en``, the
rule id once, a step's reason saying what has to happen first."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from caseflow import i18n
from caseflow.application import Caseflow
from caseflow.cli import main
from caseflow.domain.errors import InvalidInput, InvalidTransition
from caseflow.domain.reasons import CLOSE_BEFORE_SUBMIT, KEYS
from tests.world import World


@pytest.mark.parametrize(
    ("setting", "lang"),
    [
        (None, "nb"),
        ("", "nb"),
        ("nb", "nb"),
        ("nb_NO", "nb"),
        ("no", "nb"),
        ("en", "en"),
        ("en-GB", "en"),
        ("de", "nb"),
    ],
)
def test_the_language_setting(setting: str | None, lang: str) -> None:
    assert i18n.language(setting) == lang


def test_a_key_in_bokmal_and_english_with_labelled_parameters() -> None:
    key = "“%(step)s” is not possible while the case is “%(status)s”."
    params = {"step": "accept", "status": "submitted"}
    assert i18n.translate(key, params, "nb") == (
        "«Ta til forberedelse» er ikke mulig mens saken er «Fremmet for styret»."
    )
    assert i18n.translate(key, params, "en") == (
        "“Accept for preparation” is not possible while the case is “Submitted to the board”."
    )
    assert i18n.translate("something nobody wrote down", None, "nb") == (
        "something nobody wrote down"
    )


def test_the_rule_id_once_and_the_field_named() -> None:
    r19 = InvalidTransition(
        "the case document must assess how the region's politicians should be "
        "involved before the case goes to the board",
        rule="R19",
    )
    text = i18n.error_text(r19, "nb")
    assert text.startswith("R19: ")
    assert text.count("R19") == 1
    assert i18n.error_text(InvalidInput.field("title", "required"), "nb") == "title: påkrevd"


def test_every_reason_and_label_has_bokmal() -> None:
    nb = i18n.catalog("nb")
    for msgid in [*KEYS, *i18n.STATUS.values(), *i18n.STEP.values()]:
        assert nb.gettext(msgid) != msgid, f"no bokmål for {msgid!r}"


def test_the_reason_says_what_to_do_next() -> None:
    assert i18n.translate(CLOSE_BEFORE_SUBMIT, None, "nb") == (
        "KG-rådet må avsluttes eller frafalles før saken kan fremmes"
    )


def _ready(url: str, case: str, env: dict[str, str] | None = None):
    args = ["--database-url", url, "case", "step", case, "ready"]
    return CliRunner().invoke(main, [*args, "--as", "sekretariat@test.caseflow.no"], env=env)


def test_the_cli_refuses_in_bokmal_by_default_and_in_english_when_asked(
    app: Caseflow, world: World, store_url: str
) -> None:
    """On a real store: marking a case ready while KG's advice is open is refused with
    what has to happen first, in bokmål — or English with CASEFLOW_LANGUAGE=en — and
    nothing is recorded."""
    case = world.advice_requested()
    before = app.recorder.max_notification_id()
    nb = _ready(store_url, case.reference, {"CASEFLOW_LANGUAGE": ""})
    assert nb.exit_code == 1
    assert "KG-rådet må avsluttes eller frafalles før saken kan meldes klar for styret" in (
        nb.output
    )
    en = _ready(store_url, case.reference, {"CASEFLOW_LANGUAGE": "en"})
    assert en.exit_code == 1
    assert "KG's advice must be closed or waived before the case can be marked ready" in (en.output)
    assert app.recorder.max_notification_id() == before


def test_a_warning_in_bokmal_with_its_rule_once() -> None:
    from caseflow.domain.errors import Message

    warning = Message("the invitation went out without approved KG minutes", rule="R15")
    nb = i18n.message_text(warning, "nb")
    assert nb.startswith("R15: ")
    assert nb.count("R15") == 1
    assert "approved KG minutes" not in nb  # translated, not the English sentence
    assert i18n.message_text(warning, "en") == (
        "R15: the invitation went out without approved KG minutes"
    )
    assert i18n.cli_language({"CASEFLOW_LANGUAGE": "en"}) == "en"
    assert i18n.cli_language({}) == "nb"

"""Issue 18: the eInnsyn commands speak the reader's language from the catalogs — every
key they say has a bokmål translation, and a refusal reads in bokmål by default."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from caseflow.archive import cli_einnsyn
from tests.archive.einnsyn_server import caseflow_cli

ROOT = Path(__file__).resolve().parents[2]


def said_keys() -> list[str]:
    """The string keys ``say("…")`` is called with in caseflow/archive/cli_einnsyn.py."""
    tree = ast.parse(Path(cli_einnsyn.__file__).read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "say"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def test_every_key_has_a_bokmal_translation() -> None:
    path = ROOT / "web" / "translations" / "nb" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    keys = said_keys()
    assert len(keys) >= 6
    missing = [k for k in keys if k not in catalog or not catalog[k].string]
    assert missing == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "er ikke satt"), ("en", "is not set")],
)
def test_a_missing_api_key_is_said_in_the_reader_s_language(
    sqlite_url: str, language: str, expected: str
) -> None:
    result = caseflow_cli(
        sqlite_url,
        "publish",
        "einnsyn",
        "--url",
        "http://127.0.0.1:9",
        env={"CASEFLOW_EINNSYN_API_KEY": "", "CASEFLOW_LANGUAGE": language},
    )
    assert result.exit_code == 1
    assert expected in result.stderr
    assert result.stderr.startswith("caseflow: CASEFLOW_EINNSYN_API_KEY")

"""`docs/rules.md` is one hop from every rule to its enforcement and its scenario: each
row's files exist and define the functions it names, and each scenario it points to names
the rule's id in `features/`. When code moves, this fails until the table follows."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    line
    for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines()
    if re.match(r"^\| R\d+ \|", line)
]


def _defined(path: Path) -> set[str]:
    """Every module-level name, and Class.method, defined in ``path``."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.ClassDef)
            }
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def test_every_rule_has_a_row() -> None:
    assert [re.match(r"^\| (R\d+) ", r).group(1) for r in ROWS] == [  # type: ignore[union-attr]
        f"R{n}" for n in range(1, 21)
    ]


@pytest.mark.parametrize("row", ROWS, ids=[r.split("|")[1].strip() for r in ROWS])
def test_the_row_points_at_code_that_exists(row: str) -> None:
    rule, _what, where, scenario = (c.strip() for c in row.strip("|").split("|")[:4])
    # `path.py` `Name`, `Other.name` …; a path applies to the names after it
    refs = re.findall(r"`([^`]+)`", where)
    current: Path | None = None
    checked = 0
    for ref in refs:
        if ref.endswith(".py"):
            current = ROOT / ref
            assert current.is_file(), (rule, ref)
            continue
        if current is None or not re.fullmatch(r"[A-Za-z_][\w.]*", ref):
            continue
        assert ref in _defined(current), f"{rule}: {ref} is not defined in {current}"
        checked += 1
    assert checked, f"{rule}: the row names no function"
    for feature in re.findall(r"(\w+)\.feature", scenario):
        text = (ROOT / "features" / f"{feature}.feature").read_text(encoding="utf-8")
        titles = re.findall(r"^\s*(?:Scenario|Scenariomal|Scenario Outline):(.*)$", text, re.M)
        assert any(re.search(rf"\b{rule}\b", t) for t in titles), (rule, feature)

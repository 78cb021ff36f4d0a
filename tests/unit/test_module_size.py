"""Small modules (issue 13): no module in ``caseflow/`` or ``web/`` is over 500 lines, so a
module keeps to one concern (split it by concern, as ``caseflow/ledger/store.py`` was)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 500


def test_no_module_is_over_500_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in ("caseflow", "web")
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert sizes, "no modules found"
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines: {over}"

"""The dependency rule of docs/architecture.md, enforced."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports_of(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_domain_imports_only_stdlib_and_eventsourcing_domain() -> None:
    for path, names in imports_of("caseflow.domain").items():
        for name in names:
            top = name.split(".")[0]
            assert top not in ("flask", "marshmallow", "psycopg", "web", "sqlite3"), (path, name)
            if top == "eventsourcing":
                assert name == "eventsourcing.domain", (path, name)
            if top == "caseflow":
                assert name.startswith("caseflow.domain"), (path, name)


def test_application_has_no_web_or_driver_imports() -> None:
    for path, names in imports_of("caseflow.application").items():
        for name in names:
            top = name.split(".")[0]
            assert top not in ("flask", "marshmallow", "psycopg", "web", "sqlite3"), (path, name)
            assert not name.startswith("caseflow.persistence"), (path, name)
            assert not name.startswith("caseflow.readmodels"), (path, name)


def test_web_never_touches_the_repository_or_drivers() -> None:
    for path, names in imports_of("web").items():
        if path.endswith("web/__init__.py"):
            continue  # the composition root chooses the persistence
        for name in names:
            assert not name.startswith("eventsourcing"), (path, name)
            assert name.split(".")[0] not in ("psycopg", "sqlite3"), (path, name)

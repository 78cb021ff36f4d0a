"""The dependency rule of docs/architecture.md, enforced by reading every import.

Each package's allowed dependencies are stated once, in :data:`LAYERS`: the Caseflow
packages and third-party modules it may import (its own package and the standard library
always; a name matches itself and its submodules), and what it never imports even where
that would otherwise be allowed (``sqlite3`` is in the standard library,
``eventsourcing.postgres`` under ``eventsourcing``). Every import counts, also one inside a
function or under ``if TYPE_CHECKING:``. The composition roots may import anything.

On top of the table, the packages' import graph has no cycle.
"""

from __future__ import annotations

import ast
import itertools
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The code the rule covers (tests, bench and features are composition roots of their own).
SOURCES = ("caseflow", "web")

#: The store's drivers and the library's modules built on them.
DRIVERS = ("psycopg", "psycopg_pool", "sqlite3", "eventsourcing.postgres", "eventsourcing.sqlite")


@dataclass(frozen=True)
class Layer:
    may: tuple[str, ...]
    never: tuple[str, ...] = ()
    why: str = ""


LAYERS: dict[str, Layer] = {
    "caseflow": Layer(may=(), why="the namespace: imports nothing"),
    "caseflow.domain": Layer(
        may=("eventsourcing.domain",),
        never=DRIVERS,
        why="aggregates, values, permissions: pure, no store, no other Caseflow layer",
    ),
    "caseflow.data": Layer(may=(), never=DRIVERS, why="the project's own data files"),
    "caseflow.i18n": Layer(
        may=("caseflow.domain", "babel"),
        never=DRIVERS,
        why="messages by key in the reader's language outside a request (the CLI), from "
        "web/translations; the status and step label tables web.labels shares",
    ),
    "caseflow.application": Layer(
        may=("caseflow.domain", "caseflow.data", "eventsourcing"),
        never=DRIVERS,
        why="commands and queries; what it needs from outside is a port (application/ports.py)",
    ),
    "caseflow.persistence": Layer(
        may=("caseflow.application", "caseflow.domain", "eventsourcing", "psycopg", "pypdf"),
        why="adapters: opens the application on a store (open_application constructs "
        "Caseflow), the attachment store behind the application's port, the DDL lock, "
        "a stored document's text (document_text.py, pypdf)",
    ),
    "caseflow.readmodels": Layer(
        may=(
            "caseflow.application",
            "caseflow.domain",
            "caseflow.persistence",
            "caseflow.ledger",  # the chain is a follower of the same driver (ChainFollower)
            "caseflow.i18n",  # the audit trail's summaries in bokmål and English, by key
            "eventsourcing",
            "psycopg",
            "click",
            "rich",
        ),
        why="projections of the log, and `caseflow project`",
    ),
    "caseflow.ledger": Layer(
        may=(
            "caseflow.domain",
            "caseflow.persistence",
            "eventsourcing",
            "psycopg",
            "cryptography",
            "click",
        ),
        why="the hash chain over the log, digests, verification, `caseflow audit`",
    ),
    "caseflow.notifications": Layer(
        may=(
            "caseflow.application",
            "caseflow.domain",
            "caseflow.i18n",  # the mail's strings from the same catalogs, without Flask
            "caseflow.persistence",  # StoreSettings (which store: the SQL dialect)
            "caseflow.readmodels",  # its tracking and tables are a read-model view (sql.py)
            "eventsourcing",
            "jinja2",
            "babel",
            "icalendar",
            "itsdangerous",
            "click",
        ),
        never=DRIVERS,
        why="issue 17: the notifier follows the log with its own tracking, records an "
        "outbox exactly once and sends it (smtplib), and `caseflow notify`",
    ),
    "caseflow.demo": Layer(
        may=(
            "caseflow.application",
            "caseflow.domain",
            "caseflow.data",
            "caseflow.readmodels",  # `caseflow demo` leaves the read models caught up
            "eventsourcing",  # BatchedCaseflow: many commands saved in one transaction
            "click",
            "rich",
        ),
        never=DRIVERS,
        why="the demo organisation, cases and year of meetings, through the commands",
    ),
    "caseflow.archive": Layer(
        may=(
            "caseflow.application",
            "caseflow.domain",
            "caseflow.data",
            "caseflow.i18n",
            "caseflow.persistence",  # open_application, StoreSettings (the CLI's store)
            "caseflow.readmodels",
            "eventsourcing",
            "lxml",
            "click",
            "rich",
        ),
        never=DRIVERS,
        why="issue 18: the Noark 5 extract and eInnsyn's documents, from the log and the "
        "aggregates; `caseflow archive` and `caseflow publish`",
    ),
    "web": Layer(
        may=(
            "caseflow.application",
            "caseflow.domain",
            "caseflow.data",
            "caseflow.i18n",  # the label tables the CLI translates by too
            "caseflow.readmodels.api",
            "caseflow.notifications",  # issue 17: /varsler (the inbox, choices, unsubscribe)
            "caseflow.ledger",  # Ledger(...).verify() for the audit page and /api/v1/verify
            "web.presentation",
            "flask",
            "flask_babel",
            "flask_login",
            "flask_wtf",
            "werkzeug",
            "marshmallow",
            "apispec",
        ),
        never=DRIVERS,
        why="pages and the JSON API: the application, domain values and errors, the "
        "read-model API; never the repository, eventsourcing or a driver",
    ),
    "web.presentation": Layer(
        may=(
            "caseflow.application.views",
            "caseflow.domain",
            "jinja2",
            "icalendar",
            "weasyprint",
            "pypdf",  # the pack's PDF merges the items' PDF documents
        ),
        never=DRIVERS,
        why="the invitation pack and calendar feeds, rendered from the application's views",
    ),
}

#: Modules that choose the store and wire the layers together: they may import anything.
COMPOSITION_ROOTS = {
    "caseflow.cli": "the `caseflow` command: opens the application and its attachment store",
    "caseflow.cli_calendars": "`caseflow users calendar…`: gives the application its "
    "calendar table (caseflow.persistence.calendar_tokens)",
    "caseflow.cli_documents": "`caseflow case attach|documents|document`: case documents "
    "(registered by caseflow.cli in its `case` group)",
    "caseflow.cli_groups": "`caseflow group list|show|remove-member` (registered by "
    "caseflow.cli in its `group` group)",
    "caseflow.cli_measures": "`caseflow measure …`: the measures (R18)",
    "caseflow.cli_meetings": "`caseflow meeting …`: every meeting operation (issue 14)",
    "caseflow.cli_meeting_files": "`caseflow meeting attach|attachment`: a meeting's files "
    "(registered by caseflow.cli in the `meeting` group)",
    "caseflow.cli_screening": "`caseflow case screen|unscreen|legal-bases`, `caseflow meeting "
    "screen-item|unscreen-item`: screening, issue 18 (registered by caseflow.cli)",
    "web": "create_app (web/__init__.py): the application, its stores, the read models",
}

#: Imports that break the table today. Each is reported (issue 13) rather than allowed
#: in the table; the test fails when one is gone, so that its entry is removed.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}


# -- reading the imports ----------------------------------------------------------------


def module_files() -> Iterator[tuple[str, Path]]:
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _is_module(name: str) -> bool:
    base = ROOT / name.replace(".", "/")
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def imports_in(module: str, path: Path) -> set[str]:
    """Every module ``module`` imports (``from a import b`` is ``a.b`` when b is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                names.add(sub if _is_module(sub) else target)
    return names


def covers(pattern: str, name: str) -> bool:
    return name == pattern or name.startswith(pattern + ".")


def layer_of(module: str) -> str | None:
    """The LAYERS key a Caseflow module belongs to (the longest that covers it)."""
    keys = [k for k in LAYERS if covers(k, module)]
    return max(keys, key=len) if keys else None


def is_ours(name: str) -> bool:
    return name.split(".")[0] in SOURCES


def refusal(module: str, name: str) -> str | None:
    """Why ``module`` may not import ``name`` (None: it may)."""
    key = layer_of(module)
    if key is None:
        return f"{module} belongs to no layer of LAYERS: give its package a rule"
    layer = LAYERS[key]
    if is_ours(name) and layer_of(name) == key:
        return None
    if any(covers(p, name) for p in layer.never):
        return f"{module} imports {name}: {key} never imports {name} ({layer.why})"
    top = name.split(".")[0]
    if not is_ours(name) and top in sys.stdlib_module_names:
        return None
    if any(covers(p, name) for p in layer.may):
        return None
    allowed = ", ".join(layer.may) or "nothing"
    return f"{module} imports {name}: {key} may import only {allowed} (and the standard library)"


def violations(found: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    out = []
    for module, names in found:
        if module in COMPOSITION_ROOTS:
            continue
        for name in sorted(names):
            why = refusal(module, name)
            if why and (module, name) not in KNOWN_VIOLATIONS:
                out.append(why)
    return out


def package_graph(found: Iterable[tuple[str, Iterable[str]]]) -> dict[str, dict[str, str]]:
    """Package → package it imports → one module that does it (known violations left out)."""
    graph: dict[str, dict[str, str]] = {}
    for module, names in found:
        source = "caseflow.cli" if module == "caseflow.cli" else layer_of(module)
        assert source is not None, f"{module} belongs to no layer of LAYERS"
        for name in sorted(names):
            if not is_ours(name) or (module, name) in KNOWN_VIOLATIONS:
                continue
            target = "caseflow.cli" if name == "caseflow.cli" else layer_of(name)
            if target is not None and target != source:
                graph.setdefault(source, {}).setdefault(target, f"{module} imports {name}")
    return graph


def find_cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """One cycle of package names (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def all_imports() -> list[tuple[str, set[str]]]:
    return [(module, imports_in(module, path)) for module, path in module_files()]


# -- the rule -----------------------------------------------------------------------------


def test_every_package_has_its_rule() -> None:
    for module, _ in module_files():
        key = layer_of(module)
        assert module in COMPOSITION_ROOTS or (key not in (None, "caseflow") or module == key), (
            f"{module} has no rule: add its package to LAYERS in tests/unit/test_layers.py "
            "(and to the table in docs/architecture.md)"
        )


def test_every_module_imports_only_what_its_layer_allows() -> None:
    problems = violations(all_imports())
    assert not problems, "the dependency rule (docs/architecture.md) is broken:\n" + "\n".join(
        problems
    )


def test_the_packages_import_graph_has_no_cycle() -> None:
    graph = package_graph(all_imports())
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between packages: " + "; ".join(
        graph[a][b] for a, b in itertools.pairwise(cycle)
    )


def test_each_known_violation_is_still_there() -> None:
    found = dict(all_imports())
    for module, name in KNOWN_VIOLATIONS:
        assert name in found.get(module, set()), (
            f"{module} no longer imports {name}: remove it from KNOWN_VIOLATIONS"
        )


# -- the checker itself ---------------------------------------------------------------------


def test_a_forbidden_import_is_named_with_its_module() -> None:
    assert violations([("caseflow.application.meetings", ["caseflow.persistence.attachments"])])
    [message] = violations([("caseflow.application.meetings", ["caseflow.persistence.x"])])
    assert message.startswith("caseflow.application.meetings imports caseflow.persistence.x:")
    [driver] = violations([("caseflow.domain.case", ["sqlite3"])])
    assert "caseflow.domain never imports sqlite3" in driver
    [flask] = violations([("web.presentation.pack", ["flask"])])
    assert "web.presentation may import only" in flask
    assert violations([("web.meetings", ["caseflow.readmodels.service"])])
    assert not violations([("web.meetings", ["caseflow.readmodels.api", "web.presentation.pack"])])
    assert not violations([("web", ["caseflow.persistence", "eventsourcing.postgres"])])


def test_a_cycle_is_found() -> None:
    found = [
        ("caseflow.application.x", ["caseflow.demo.plan"]),
        ("caseflow.demo.plan", ["caseflow.application.views"]),
    ]
    graph = package_graph(found)
    assert find_cycle(graph) in (
        ["caseflow.application", "caseflow.demo", "caseflow.application"],
        ["caseflow.demo", "caseflow.application", "caseflow.demo"],
    )
    assert find_cycle(package_graph(found[1:])) is None

"""Package boundaries, read from the source: which part of wuzhen_events/ imports which.

Every `import` and `from ... import` counts, at module level or inside a function (a late import
is still a dependency), so a cycle cannot hide in a function body.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "wuzhen_events"
TOP = "wuzhen_events"
FACTORY = "wuzhen_events"  # __init__.py: create_app wires everything together
LEFT_OUT = frozenset({"migrations", "static", "translations"})

# Entry points that wire the app together: they may import anything, and nothing imports them.
WIRING = frozenset({FACTORY, "cli"})
# Packages that are parts of the application, and what each may import besides the shared
# top-level modules. The direction docs/architecture.md draws: interfaces over domains, the
# audit trail under every service, and mail a generic outbox that knows no domain.
ALLOWED_PACKAGES = {
    "accounts": {"audit", "program"},
    "api": {"audit", "checkin", "expo", "program"},
    "audit": set(),
    "calendar": {"expo", "program", "registration"},
    # Organizers' e-mails to delegates, sent through the generic outbox.
    "campaigns": {"audit", "mail", "program", "registration"},
    # Doors, devices and scans: who may come in is decided from registrations and seats.
    "checkin": {"accounts", "audit", "program", "registration"},
    # The organizers' pages: an interface over every domain, imported by none of them.
    "dashboard": {
        "accounts",
        "audit",
        "campaigns",
        "checkin",
        "expo",
        "mail",
        "program",
        "registration",
    },
    "expo": {"audit", "program"},
    "mail": {"audit"},
    "program": {"audit"},
    "registration": {"audit", "mail", "program"},
    "seed": {"audit", "checkin", "expo", "program"},
    "site": {"api", "audit", "expo", "program"},
}


def part_of(path: Path) -> str:
    """The package (or top-level module) a source file belongs to."""
    relative = path.relative_to(PACKAGE_ROOT)
    if len(relative.parts) == 1:
        return FACTORY if relative.name == "__init__.py" else relative.stem
    return relative.parts[0]


def source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        if path.relative_to(PACKAGE_ROOT).parts[0] not in LEFT_OUT:
            yield path


def imported_modules(path: Path) -> Iterator[str]:
    """Dotted names of everything the file imports, relative imports resolved."""
    relative = path.relative_to(PACKAGE_ROOT).with_suffix("")
    module = [TOP, *relative.parts]
    package = module[:-1]  # what a relative import starts from, for __init__.py as for others
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            if base == TOP:
                # `from wuzhen_events import serving` imports the module serving.
                yield from (f"{TOP}.{alias.name}" for alias in node.names)
            else:
                yield base


def import_graph() -> dict[str, set[str]]:
    """Part -> the other parts it imports."""
    graph: dict[str, set[str]] = {}
    for path in source_files():
        source = part_of(path)
        targets = graph.setdefault(source, set())
        for name in imported_modules(path):
            dotted = name.split(".")
            if dotted[0] != TOP:
                continue
            target = dotted[1] if len(dotted) > 1 else FACTORY
            if target != source:
                targets.add(target)
    return graph


def packages() -> set[str]:
    return {
        path.name
        for path in PACKAGE_ROOT.iterdir()
        if (path / "__init__.py").is_file() and path.name not in LEFT_OUT
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one part (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


GRAPH = import_graph()
SHARED = frozenset(GRAPH) - packages() - WIRING


def test_the_graph_sees_every_package_and_the_late_imports():
    assert packages() == set(ALLOWED_PACKAGES)
    # create_app and the commands import packages inside functions only: the walk sees those.
    assert set(ALLOWED_PACKAGES) <= GRAPH[FACTORY] | GRAPH["cli"]


def test_no_import_cycle_between_packages_and_top_level_modules():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("package", sorted(ALLOWED_PACKAGES))
def test_package_imports_only_the_packages_below_it(package):
    assert GRAPH[package] - SHARED == ALLOWED_PACKAGES[package]


@pytest.mark.parametrize("module", sorted(SHARED))
def test_shared_module_imports_no_package(module):
    assert GRAPH[module] - SHARED == set()


def test_nothing_imports_the_wiring():
    importers = {part for part, targets in GRAPH.items() if targets & WIRING}
    assert importers - WIRING == set()


def test_cycle_finder_reports_each_strongly_connected_component_once():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d", "a"}, "f": {"a"}}

    assert cycles(graph) == [["a", "b", "c"], ["d", "e"]]

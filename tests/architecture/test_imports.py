"""The import graph has no cycle (issue 8, "No cycles"): no module imports another that imports it
back, directly or through others — function-level and ``TYPE_CHECKING`` imports included, since a
cycle hidden in a function is still a cycle.  The layer contracts themselves are import-linter's
(``lint-imports``, in the README's test command and ``.ci/run``)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

import sheets_sync


def import_graph() -> dict[str, set[str]]:
    """module → the sheets_sync modules it imports (anywhere in its body)."""
    graph = grimp.build_graph(sheets_sync.__name__, exclude_type_checking_imports=False)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_function_level_imports_are_in_the_graph() -> None:
    graph = import_graph()
    # the CLI imports its use cases inside the command functions (so --help stays fast)
    assert "sheets_sync.runtime.demo" in graph["sheets_sync.cli.cycle"]


def test_no_module_imports_another_in_a_cycle() -> None:
    assert cycles(import_graph()) == []


def private_imports(source: str, module: str) -> list[str]:
    """``from X import _name`` in ``source`` (the module ``module``), X another sheets_sync module: each as
    ``module: from X import _name``.  ``import X as _x`` and ``from X import name as _alias`` are fine (the
    name taken is public); dunders are not private, nor gettext's ``_``."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sheets_sync"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") and alias.name != "_":
                    out.append(f"{module}: from {node.module} import {alias.name}")
    return out


def test_the_private_import_finder_finds_one_and_ignores_a_private_alias() -> None:
    source = ("from sheets_sync.store.rows import _iso, content_hash\n"
              "from sheets_sync.core.cells import cell_text as _t\n")
    assert private_imports(source, "m") == ["m: from sheets_sync.store.rows import _iso"]


def test_no_module_takes_another_modules_private_name() -> None:
    root = Path(sheets_sync.__file__).parent
    found = [hit for path in sorted(root.rglob("*.py"))
             for hit in private_imports(path.read_text(encoding="utf-8"), str(path.relative_to(root.parent)))]
    assert found == [], "a name shared between modules is public: drop its leading underscore\n" + "\n".join(found)

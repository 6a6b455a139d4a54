"""The shape of generator/: its imports form no cycle, and no stage imports a later one.

Imports are read from the source with `ast`, every one of them: at the top of a module and inside
functions (a lazy import is still a dependency). `from . import x` counts as importing the
submodule x when there is one. A package's __init__ is its own module: importing
generator.plan.urls is an edge to generator.plan.urls, not to generator.plan.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "generator"
# The stages, bottom first (docs/maintainers/architecture.md). A module may import its own stage
# and the stages below it.
STAGES = [
    ("base", ["generator", "generator.registry", "generator.problems", "generator.i18n", "generator.locale",
              "generator.clock", "generator.fileops"]),
    ("catalog", ["generator.catalog"]),
    ("plan", ["generator.plan"]),
    ("render", ["generator.render"]),
    ("mkdocs", ["generator.mkdocs"]),
    ("outputs", ["generator.outputs"]),
    ("publish", ["generator.publish"]),
    ("pipeline", ["generator.pipeline"]),
    ("tools", ["generator.tools", "generator.cli", "generator.__main__"]),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The generator modules a module imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = []
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.append(sub if sub in known else module)
        else:
            continue
        for target in targets:
            while target and target not in known:  # "generator.plan.urls.x" -> the module that holds x
                target = target.rpartition(".")[0]
            if target.startswith("generator") and target != name:
                found.add(target)
    return found


@lru_cache(maxsize=1)
def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def stage_of(module: str) -> int:
    best, rank = "", -1
    for position, (_name, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, rank = prefix, position
    assert rank >= 0, f"{module} belongs to no stage: add it to STAGES"
    return rank


def test_the_reader_sees_lazy_imports():
    """The checker itself: an import inside a function is an edge."""
    edges = graph()
    assert "generator.tools.scaffold" in edges["generator.cli"]  # cmd_new imports it inside the function
    assert "generator.plan.urls" in edges["generator.plan.pages"]  # `from . import urls`


def test_generator_has_no_import_cycle():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_stage_imports_a_later_one(module):
    later = sorted(t for t in graph()[module] if stage_of(t) > stage_of(module))
    assert later == [], f"{module} ({STAGES[stage_of(module)][0]}) imports later stages: {later}"

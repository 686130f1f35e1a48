"""The layout of ``sim/`` stays as ``docs/architecture.md`` describes it.

Every import statement counts, ``TYPE_CHECKING`` ones and imports inside functions too: a layer
imports only itself and the layers below it, the engine has no import cycle, no module is over
400 lines, and every module path the architecture page names exists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "sim"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MAX_LINES = 400

LAYERS = ("sim.core", "sim.scenario", "sim.customers", "sim.org", "sim.work", "sim.policies",
          "sim.outputs", "sim.model")
"""The engine, lowest layer first (``docs/architecture.md``)."""
LEAVES = ("sim.version",)
"""Modules that import nothing from ``sim``: any layer may use them."""
ABOVE = ("sim.advisor", "sim.experiments", "sim.history", "sim.report_html", "sim.cli",
         "sim.cli_errors")
"""What is built on the engine (they may import any engine layer, and none imports them)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(SIM.rglob("*.py"))}


def resolve(name: str) -> str | None:
    """The module of ``sim`` an imported name lives in (None: not part of ``sim``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Modules of ``sim`` a module imports, by every import statement in it."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            target = resolve(name)
            if target and target != module and not module.startswith(target + "."):
                found.add(target)
    return found


def layer_of(module: str) -> int | None:
    """Index of a module's layer in ``LAYERS`` (None: a leaf, the package root or above)."""
    return next((index for index, layer in enumerate(LAYERS)
                 if module == layer or module.startswith(layer + ".")), None)


def upward_imports(modules: dict[str, set[str]]) -> list[str]:
    """Each import of an engine module that reaches a higher layer or a package above the engine."""
    wrong = []
    for module, targets in sorted(modules.items()):
        own = layer_of(module)
        if own is None:
            continue
        for target in sorted(targets):
            if target in LEAVES:
                continue
            other = layer_of(target)
            if other is None or other > own:
                wrong.append(f"{module} imports {target}")
    return wrong


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Modules reachable from ``start`` by one or more imports."""
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of more than one module that all reach each other by imports."""
    reach = {node: reachable(graph, node) for node in graph}
    groups = {tuple(sorted({node} | {other for other in reach[node] if node in reach[other]}))
              for node in graph if node in reach[node]}
    return sorted(list(group) for group in groups if len(group) > 1)


def engine_graph(skip: tuple[str, ...] = ()) -> dict[str, set[str]]:
    engine = {module for module in MODULES
              if layer_of(module) is not None and not module.startswith(skip)}
    return {module: imports_of(module) & engine for module in engine}


def test_each_engine_layer_imports_only_itself_and_lower_layers() -> None:
    graph = {module: imports_of(module) for module in MODULES}
    assert upward_imports(graph) == []


def test_no_import_cycle_in_the_engine() -> None:
    assert cycles(engine_graph(skip=("sim.scenario",))) == []


def test_no_import_cycle_in_the_scenario_schema() -> None:
    assert cycles(engine_graph()) == []


def test_no_module_is_over_400_lines() -> None:
    long = {module: len(path.read_text().splitlines()) for module, path in MODULES.items()}
    assert {module: lines for module, lines in long.items() if lines > MAX_LINES} == {}


def test_the_checks_catch_an_upward_import_a_cycle_and_a_stray_package() -> None:
    assert upward_imports({"sim.org.routing": {"sim.work.desks"}}) == [
        "sim.org.routing imports sim.work.desks"]
    assert upward_imports({"sim.core.clock": {"sim.report_html.page"}}) == [
        "sim.core.clock imports sim.report_html.page"]
    assert upward_imports({"sim.work.week": {"sim.org.pools", "sim.version"}}) == []
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_package_of_sim_has_a_place_in_the_layers() -> None:
    placed = {module for module in MODULES
              if layer_of(module) is not None or module in LEAVES or module == "sim"
              or module.startswith(tuple(f"{name}." for name in ABOVE)) or module in ABOVE}
    assert set(MODULES) - placed == set()


def test_every_module_path_the_architecture_page_names_exists() -> None:
    text = ARCHITECTURE.read_text()
    paths = set(re.findall(r"`(sim/[\w/]+(?:\.py)?)`", text))
    assert len(paths) > 20
    missing = sorted(path for path in paths if not (ROOT / path).exists())
    assert missing == []
    names = set(re.findall(r"`(sim(?:\.\w+)+)`", text))
    unknown = sorted(name for name in names if resolve(name) is None
                     or not _defined(name, resolve(name)))
    assert unknown == []


def _defined(name: str, module: str | None) -> bool:
    """Whether a dotted name is a module of ``sim`` or a name defined or imported at its top."""
    if module is None:
        return False
    rest = name[len(module):].lstrip(".")
    if not rest:
        return True
    tree = ast.parse(MODULES[module].read_text())
    top = rest.split(".")[0]
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == top:
            return True
        if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == top for target in node.targets):
            return True
        if isinstance(node, ast.ImportFrom) and any(
                (alias.asname or alias.name) == top for alias in node.names):
            return True
    return False


def test_the_tests_mirror_the_packages() -> None:
    """Each test module sits in the folder of the package it tests (``tests/org/`` for
    ``sim/org``), or in ``tests/system/`` for whole-run checks (theory, invariants,
    reproducibility, monotonicity); shared helpers are ``*_support.py`` at the top."""
    tests = ROOT / "tests"
    packages = {path.parent.name for path in SIM.glob("*/__init__.py")} | {"system"}
    folders = {path.parent.name for path in tests.glob("*/test_*.py")}
    assert folders <= packages, folders - packages
    assert sorted(path.name for path in tests.glob("test_*.py")) == []

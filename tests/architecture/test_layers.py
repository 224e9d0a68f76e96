"""The house's shape: imports point only down the layers, no module imports in a circle, modules stay short.

Read from the source with `ast`, lazy (function-level) imports included, so nothing hides an arrow.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each layer may import the layers listed for it, and nothing else of the project.
LAYERS = {
    "core": set(),
    "pillars": {"core"},
    "opd": {"core", "pillars"},
    "masterplan": {"core", "pillars", "opd"},
    "bimtek": {"core", "pillars", "opd", "masterplan"},
    "spbe": {"core", "pillars", "opd", "masterplan"},
    "evaluation": {"core", "pillars", "opd", "masterplan"},
    # The public pages of a published masterplan: the top floor, beside the dashboards.
    "publication": {"core", "pillars", "opd", "masterplan", "spbe", "evaluation"},
    "dashboard": {"core", "pillars", "opd", "masterplan", "bimtek", "evaluation"},
    "demo": {"core", "pillars", "opd", "masterplan", "bimtek", "spbe", "publication", "evaluation"},
    # The shell wires apps by their URL modules' dotted names; it imports none of their code.
    "mojokerto_portal": set(),
}
PROJECT = set(LAYERS) | {"bench", "tests"}
# What one domain app never takes from another, even one below it: shared pieces move down to core instead.
PRIVATE_TO_AN_APP = ("views", "forms", "urls", "admin", "templatetags", "management")
MAX_LINES = 400


def product_modules() -> dict[str, Path]:
    """Return every product module (migrations aside) by its dotted name."""
    modules = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the project modules one module imports anywhere in its body, each named as the module it reaches.

    `from package import submodule` counts as importing both the package and the submodule; `from
    module import name` as importing the module.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            if target.split(".")[0] not in PROJECT:
                continue
            reached = target
            while reached and reached not in known:
                reached = reached.rpartition(".")[0]
            if reached != name:
                found.add(reached or target)
    return found


MODULES = product_modules()
GRAPH = {name: imports_of(name, path, set(MODULES)) for name, path in MODULES.items()}


def test_every_import_points_down_a_layer():
    wrong = []
    for module, targets in GRAPH.items():
        app = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if other == app:
                continue
            if other not in LAYERS[app]:
                wrong.append(f"{module} -> {target}")
            elif other != "core" and set(target.split(".")[1:2]) & set(PRIVATE_TO_AN_APP):
                wrong.append(f"{module} -> {target} (another app's {target.split('.')[1]})")
    assert wrong == []


def test_no_module_imports_itself_through_a_circle():
    """Tarjan's strongly connected components over the module graph: each must be a single module."""
    # The graph holds the arrows a circle would be made of (tasks call their services).
    assert GRAPH["opd.tasks"] >= {"opd.services.exports"} and GRAPH["masterplan.tasks"] >= {"masterplan.rendering"}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in GRAPH.get(module, ()):
            if target not in GRAPH:
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert circles == []


def test_no_module_runs_past_the_length_where_it_should_become_a_package():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


@pytest.mark.parametrize("app", ["core", "pillars", "opd", "masterplan", "bimtek", "dashboard", "demo"])
def test_the_checker_sees_each_app(app):
    assert any(name.split(".")[0] == app for name in GRAPH), app


def test_the_checker_catches_an_upward_arrow(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("from opd.models import Opd\n\ndef f():\n    from masterplan import services\n")
    known = {"opd.models", "masterplan", "masterplan.services"}
    assert imports_of("core.sample", module, known) == {"opd.models", "masterplan", "masterplan.services"}

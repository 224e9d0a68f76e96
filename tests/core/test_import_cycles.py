"""No circle among the product's modules, counting imports made inside functions."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "pillars", "opd", "masterplan", "dashboard", "demo", "mojokerto_portal")


def product_modules() -> dict[str, Path]:
    """Return every product module (migrations aside) by dotted name."""
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                modules[name.removesuffix(".__init__")] = path
    return modules


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the product modules one module imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the groups of modules that reach each other (Tarjan's strongly connected components)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in graph[node]:
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return groups


def test_no_module_of_the_product_imports_itself_round_a_circle():
    modules = product_modules()
    graph = {name: imported_modules(name, path, modules) for name, path in modules.items()}

    assert graph["opd.tasks"] >= {"opd.services.exports"} and graph["masterplan.tasks"] >= {"masterplan.rendering"}
    assert cycles(graph) == []


def test_the_scan_finds_a_circle_hidden_in_a_function(tmp_path):
    modules = product_modules()
    service = tmp_path / "exports.py"
    service.write_text("def queue(pk):\n    from ..tasks import export_submissions\n\n    export_submissions.delay(pk)")
    modules["opd.services.exports"] = service
    graph = {name: imported_modules(name, path, modules) for name, path in modules.items()}

    assert "opd.tasks" in graph["opd.services.exports"]
    assert ["opd.services.exports", "opd.tasks"] in cycles(graph)

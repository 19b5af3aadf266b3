"""The floors of the house (docs/architecture.md): no import circles, and `core` at the bottom imports no app.

Read from the source with `ast`, so an import inside a function counts as much as one at the top: a circle broken
only by a late import is still a circle.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mueve"
# Floors that are not domain apps: `config` wires everything (settings, urls, and the API root `config.api`, which
# mounts every app's router), and `portal` is the top floor (it gathers the apps' pages). None of them may be imported
# by a domain app or by core. (`api` is the developer portal's app: its keys are used by Open311, the platform API,
# the CKAN API and the downloads.)
WIRING = {"config", "portal", "cli"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and "static" not in path.parts
    }


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project's modules that `name` imports (a `from package import submodule` names the submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import mueve.x.y.z` where only mueve.x.y is a module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _app(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def test_no_modules_import_each_other():
    found = circles(import_graph())
    assert not found, "import circles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_core_imports_no_app():
    graph = import_graph()
    offences = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if _app(module) == "core"
        for target in targets
        if _app(target) not in {"core", ""}
    )
    assert not offences, "\n".join(offences)


def test_domain_apps_do_not_import_the_top_floor():
    graph = import_graph()
    offences = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if _app(module) not in WIRING | {"demo", ""}
        for target in targets
        if _app(target) in WIRING
    )
    assert not offences, "\n".join(offences)


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_circle_finder_finds_circles_and_only_them(graph, expected):
    assert circles(graph) == expected


def test_a_late_import_inside_a_function_counts(tmp_path, monkeypatch):
    package = tmp_path / "mueve"
    (package / "core").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "a.py").write_text("def f():\n    from mueve.core import b\n")
    (package / "core" / "b.py").write_text("from . import a\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", package)
    assert circles(import_graph()) == [["mueve.core.a", "mueve.core.b"]]

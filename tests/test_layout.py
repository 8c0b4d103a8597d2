"""The layout: modules of at most 400 lines, imports between dedup's modules without a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "dedup"
MAX_LINES = 400
# The README's map (Layout), top down: a module imports modules of its own layer or below.
LAYERS = [
    layer.split()
    for layer in (
        "cli cli_index cli_report cli_progress cli_common __main__",
        "report report.view report.html report.checks report.check_rows report.cluster_view",
        "store store_articles store_lookup store_file store_counts store_records"
        " check check_boilerplate verdicts formats",
        "pipeline",
        "engine spark spark.session spark.run spark.partitions spark.result",
        "inputs pages crawl encodings outputs results",
        "stages clusters",
        "segment normalize shingle twins bands index evidence partners align chain rewrite tfisf"
        " summary facts boilerplate weights",
        "model errors _version",
    )
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The dedup modules that ``name`` imports, at the top, inside functions or for typing."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            if node.module:
                found.add(target)
            else:  # from . import module
                found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            found.update(n for n in names if n and n.split(".")[0] == "dedup")
    return {m for m in found if m in modules and m != name}


@pytest.mark.parametrize("name", sorted(_modules()))
def test_a_module_has_at_most_400_lines(name: str) -> None:
    lines = len(_modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_no_import_cycle_between_modules() -> None:
    """The package's own ``__init__`` (lazy names for users) is left out: nothing imports it."""
    modules = _modules()
    graph = {
        name: _imports(name, path, modules) - {"dedup"}
        for name, path in modules.items()
        if name != "dedup"
    }
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph.get(name, ())):
            if state.get(dep) == 1:
                pytest.fail("import cycle: " + " -> ".join([*path[path.index(dep) :], dep]))
            if dep not in state:
                visit(dep, [*path, dep])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_nothing_in_the_package_imports_its_init() -> None:
    modules = _modules()
    assert not [
        n for n, p in modules.items() if n != "dedup" and "dedup" in _imports(n, p, modules)
    ]


def test_imports_go_down_the_layers_of_the_map() -> None:
    rank = {f"dedup.{m}": k for k, layer in enumerate(LAYERS) for m in layer}
    modules = _modules()
    assert sorted(set(modules) - {"dedup"} - set(rank)) == []  # every module is on the map
    upward = [
        f"{name} -> {dep}"
        for name, path in modules.items()
        if name != "dedup"
        for dep in sorted(_imports(name, path, modules) - {"dedup"})
        if rank[dep] < rank[name]
    ]
    assert upward == []

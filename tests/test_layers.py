"""The package's layers (docs/architecture.md) hold: no module imports a layer above its own,
and no modules import each other in a circle at module level.

The layers are read from the table in docs/architecture.md, so the documentation is the rule.
Imports are read with :mod:`ast` from the source, at module level and inside functions alike
(``if TYPE_CHECKING:`` blocks are skipped: they never run).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

ARCHITECTURE = ROOT / "docs" / "architecture.md"

#: Imports of a higher layer that are allowed, as (importing module, imported package or
#: module): each with its reason. Keep this short; an entry no longer needed fails the test.
EXCEPTIONS = {
    # KnowledgeGraph's notebook shortcuts (kg.flows(), kg.routes(), kg.who(), kg.country(),
    # kg.flow_network(), kg.show()) call the traversal and the views when they are called.
    ("graph.kg", "graph.traverse"): "kg.flows() and the other traversal shortcuts",
    ("graph.kg", "graph.views"): "kg.show()",
}


def modules(package: Path) -> dict[str, Path]:
    """Every importable module under ``package`` (folders without ``__init__.py``, such as
    asset folders, are not packages), by dotted name."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent)
        folders = relative.parent.parts
        if not all((package.parent.joinpath(*folders[:i + 1]) / "__init__.py").is_file()
                   for i in range(len(folders))):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, bool, int]]:
    """``(imported module, at module level?, line)`` for each import of the package's own
    modules in the module ``name`` at ``path``."""
    top = name.split(".")[0]
    is_package = path.name == "__init__.py"

    def resolve(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((resolve(alias.name), not in_function, child.lineno)
                             for alias in child.names if alias.name.split(".")[0] == top)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    here = here[:len(here) - (child.level - 1)]
                    base = ".".join([*here, *([child.module] if child.module else [])])
                if base.split(".")[0] == top:
                    for alias in child.names:
                        member = f"{base}.{alias.name}"
                        found.append((member if member in known else resolve(base),
                                      not in_function, child.lineno))
            visit(child, in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), False)
    return [(target, level, line) for target, level, line in found
            if target is not None and target != name]


def layers(text: str, top: str = "graph") -> dict[str, tuple[int, str]]:
    """Module or package name -> (layer number, layer name), from the ``## Layers`` table."""
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    table: dict[str, tuple[int, str]] = {}
    for line in section.splitlines():
        match = re.match(r"\|\s*(\d+)\s+([\w ]+?)\s*\|([^|]*)\|", line)
        if match:
            number, label = int(match.group(1)), match.group(2)
            for entry in re.findall(r"`([\w.]+)`", match.group(3)):
                table[top if entry == "__init__" else f"{top}.{entry}"] = (number, label)
    return table


def layer_of(module: str, table: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    """The layer of ``module``: its own entry, else its nearest listed package's."""
    parts = module.split(".")
    for end in range(len(parts), 1, -1):
        if ".".join(parts[:end]) in table:
            return table[".".join(parts[:end])]
    return table.get(module)


def upward(package: Path, table: dict[str, tuple[int, str]]) -> list[str]:
    """Each import of a higher layer, as ``"module:line (layer) -> module (layer)"``."""
    known = modules(package)
    found = []
    for name, path in known.items():
        own = layer_of(name, table)
        for target, _, line in imports(name, path, known):
            theirs = layer_of(target, table)
            if own and theirs and theirs[0] > own[0]:
                found.append(f"{name}:{line} ({own[1]}) -> {target} ({theirs[1]})")
    return found


def cycles(package: Path) -> list[list[str]]:
    """Groups of modules that import each other in a circle at module level (Tarjan)."""
    known = modules(package)
    edges = {name: sorted({t for t, top_level, _ in imports(name, path, known) if top_level})
             for name, path in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges.get(node, ()):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in edges:
        if node not in index:
            connect(node)
    return groups


@pytest.fixture(scope="module")
def table():
    return layers(ARCHITECTURE.read_text(encoding="utf-8"))


def test_every_module_has_a_layer_and_every_entry_exists(table):
    known = modules(ROOT / "graph")
    assert not [m for m in known if layer_of(m, table) is None], \
        "place these modules in the layer table of docs/architecture.md"
    assert not [entry for entry in table if entry not in known], \
        "docs/architecture.md names modules that do not exist"
    assert [n for n, _ in sorted(set(table.values()))] == list(range(1, 8))


def test_no_import_circles_at_module_level():
    assert cycles(ROOT / "graph") == []


def test_no_module_imports_a_layer_above_its_own(table):
    found = upward(ROOT / "graph", table)
    allowed = [f for f in found
               if any(f.startswith(f"{low}:") and (f" -> {high} (" in f or f" -> {high}." in f)
                      for low, high in EXCEPTIONS)]
    assert [f for f in found if f not in allowed] == []
    # An exception nobody needs any more is dropped from the list, so that it stays short.
    for low, high in EXCEPTIONS:
        assert any(f.startswith(f"{low}:") and f" -> {high}" in f for f in allowed), (low, high)


def test_the_checks_see_real_imports():
    known = modules(ROOT / "graph")
    assert "graph.cli.options" in known and "graph.views.assets.basemap.make_basemap" not in known
    seen = {t for t, _, _ in imports("graph.kg", known["graph.kg"], known)}
    assert {"graph.query", "graph.errors", "graph.traverse"} <= seen


def test_a_violation_and_a_circle_are_caught(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    for name in ("__init__.py", "sub/__init__.py"):
        (package / name).write_text("", encoding="utf-8")
    (package / "low.py").write_text("from pkg.sub import top\n", encoding="utf-8")
    (package / "sub" / "top.py").write_text(
        "from . import helper\n\ndef later():\n    from pkg import low\n", encoding="utf-8")
    (package / "sub" / "helper.py").write_text("import pkg.sub.top\n", encoding="utf-8")
    table = layers("## Layers\n| 1 base | `low` | x |\n| 2 above | `sub` | y |\n", top="pkg")
    assert upward(package, table) == ["pkg.low:1 (base) -> pkg.sub.top (above)"]
    assert cycles(package) == [["pkg.sub.helper", "pkg.sub.top"]]


def test_readme_names_only_files_that_exist():
    # "How it is built" in the README draws the package in its layers: the files it names are
    # there, in the order of the layer table.
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("## How it is built", 1)[1]
    block = text.split("```", 2)[1]
    lines = block.split("\ngraph/", 1)[1].split("\ntests/", 1)[0]
    named = re.findall(r"([\w]+)(\.py|/)", lines)
    assert len(named) >= 15
    assert [f"{n}{s}" for n, s in named if not (ROOT / "graph" / f"{n}{s}".rstrip("/")).exists()
            ] == []
    table = layers(ARCHITECTURE.read_text(encoding="utf-8"))
    order = [layer_of(f"graph.{n}", table)[0] for n, _ in named if n != "queries"]
    assert order == sorted(order)


def test_the_files_architecture_md_names_exist():
    # "Where a change belongs" names files; a rename that forgets the page fails here.
    text = ARCHITECTURE.read_text(encoding="utf-8")
    paths = {p for p in re.findall(r"`([\w./-]+/[\w./-]*)`", text) if "<" not in p}
    assert {"ontology/vocab/certainty.ttl", "graph/cli/__init__.py",
            "tests/test_backend_contract.py"} <= paths
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []

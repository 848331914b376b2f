"""The layers of exactpower, as docs/design.md draws them, kept true by reading the imports.

Every module of ``exactpower/`` is parsed with :mod:`ast` (nothing is imported) and its
imports are resolved to absolute module names, relative ones included:

- the library never imports ``proofs`` at module level; only the command line
  (``exactpower/cli/``) and the exhaustive checker (``exactpower/small/exhaust.py``, which
  re-checks counterexamples with the kernel) may, inside their functions;
- the number layer ``exactpower/exact/`` imports nothing of exactpower but
  ``exactpower.errors`` and ``exactpower.limits``;
- ``io``, ``equilibria``, ``small``, ``bounds`` and ``linalg`` never import the command
  line, and nothing outside ``exactpower/cli/`` (and ``exactpower/__main__.py``, which runs
  it) imports ``exactpower.cli``;
- no module imports another module's ``_private`` name;
- every size limit is assigned once, in ``exactpower/limits.py``, and the table of
  docs/design.md ("Limits") lists exactly those limits with their values.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from exactpower import limits

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "exactpower"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> list:
    return sorted(PACKAGE.rglob("*.py"))


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` names."""
    if not node.level:
        return node.module or ""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(path: Path, *, top_level_only: bool = False) -> list:
    """``(module, names, line)`` for every import of ``path``; for ``from m import a``
    both ``m`` and ``m.a`` count as imported (``a`` may be a submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # module level includes ``if``/``try`` blocks, not function bodies
        stack, nodes = list(tree.body), []
        while stack:
            node = stack.pop()
            nodes.append(node)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.extend(ast.iter_child_nodes(node))
    out = []
    for node in nodes:
        if isinstance(node, ast.Import):
            out += [(a.name, (), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(path, node)
            names = tuple(a.name for a in node.names)
            out.append((module, names, node.lineno))
            out += [(f"{module}.{n}", (), node.lineno) for n in names]
    return out


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_resolver():
    names = {m for m, _, _ in imports(PACKAGE / "io" / "formats.py")}
    assert {"exactpower.io.json_files", "exactpower.errors", "exactpower.io.file_access"} <= names
    assert "exactpower.exact.expressions" in {
        m for m, _, _ in imports(PACKAGE / "exact" / "values.py")
    }
    cli = {m for m, _, _ in imports(PACKAGE / "cli" / "check.py")}
    top = {m for m, _, _ in imports(PACKAGE / "cli" / "check.py", top_level_only=True)}
    assert any(_within(m, "proofs") for m in cli) and not any(_within(m, "proofs") for m in top)


@pytest.mark.parametrize("path", modules(), ids=_rel)
def test_proofs_only_lazily_from_the_application(path):
    lazy_ok = (
        _within(_module(path), "exactpower.cli") or _rel(path) == "exactpower/small/exhaust.py"
    )
    found = [
        (m, line) for m, _, line in imports(path, top_level_only=lazy_ok) if _within(m, "proofs")
    ]
    where = "at module level " if lazy_ok else ""
    assert not found, f"{_rel(path)} imports proofs {where}at {found}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "exact").rglob("*.py")), ids=_rel)
def test_the_number_layer_stands_alone(path):
    allowed = ("exactpower.exact", "exactpower.errors", "exactpower.limits")
    bad = [
        (m, line)
        for m, _, line in imports(path)
        if _within(m, "exactpower")
        and m != "exactpower"
        and not any(_within(m, a) for a in allowed)
    ]
    bare = [
        line
        for m, names, line in imports(path)
        if m == "exactpower" and any(n not in ("errors", "limits") for n in names)
    ]
    assert not bad and not bare, f"{_rel(path)} imports {bad or bare}"


@pytest.mark.parametrize("path", modules(), ids=_rel)
def test_only_the_command_line_imports_the_command_line(path):
    if _within(_module(path), "exactpower.cli") or _module(path) == "exactpower.__main__":
        return  # ``python -m exactpower`` is the command line too
    bad = [(m, line) for m, _, line in imports(path) if _within(m, "exactpower.cli")]
    bad += [
        ("exactpower.cli", line)
        for m, names, line in imports(path)
        if m == "exactpower" and "cli" in names
    ]
    assert not bad, f"{_rel(path)} imports the command line at {bad}"


def test_the_lower_layers_never_import_the_command_line():
    # A stricter restatement for the packages the issue names, so that a move of one of
    # them cannot hide behind the parametrised test's ids.
    for package in ("io", "equilibria", "small", "bounds", "linalg", "exact"):
        for path in sorted((PACKAGE / package).rglob("*.py")):
            assert not any(_within(m, "exactpower.cli") for m, _, _ in imports(path)), path


@pytest.mark.parametrize("path", modules() + sorted((ROOT / "proofs").rglob("*.py")), ids=_rel)
def test_no_private_name_of_another_module(path):
    bad = [
        (m, n, line)
        for m, names, line in imports(path)
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert not bad, f"{_rel(path)} imports private names {bad}"


# -- limits ------------------------------------------------------------------------------

ASSIGNED_LIMIT = re.compile(r"^\s*(MAX_[A-Z0-9_]+)\s*(?::[^=]+)?=\s*[-\d(]", re.M)


def test_every_limit_is_assigned_once_in_limits_py():
    for path in modules() + sorted((ROOT / "proofs").rglob("*.py")):
        if path == PACKAGE / "limits.py":
            continue
        found = ASSIGNED_LIMIT.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{_rel(path)} defines {found}: define limits in exactpower/limits.py"
    text = (PACKAGE / "limits.py").read_text(encoding="utf-8")
    names = ASSIGNED_LIMIT.findall(text)
    assert len(names) == len(set(names)) == len(limits.__all__)
    assert set(names) == set(limits.__all__)
    for line in text.splitlines():  # each with its one-line comment
        if ASSIGNED_LIMIT.match(line):
            assert "#: " in line, line


def _doc_table() -> dict:
    """``{name: value}`` of the table under "## Limits" in docs/design.md."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    section = text.split("\n## Limits", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(MAX_[A-Z0-9_]+)` \| ([\d ]+) \|", section, re.M)
    return dict(rows)


def test_the_limits_table_of_the_docs_is_limits_py():
    table = _doc_table()
    assert set(table) == set(limits.__all__)
    for name, written in table.items():
        assert int(written.replace(" ", "")) == getattr(limits, name), (name, written)


# -- the map of the layers (docs/design.md) ----------------------------------------------------

MAP_ROW = re.compile(r"^\| ([\w-]+) \| (.*?) \| .*? \|\s*([\w, -]*?)\s*\|$", re.M)


def layer_map() -> tuple:
    """``(layers, allowed)`` from the table of docs/design.md: ``layers`` maps a path prefix
    (a folder ``exactpower/io/`` or a file) to its layer; ``allowed`` a layer to the layers it
    may import."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    section = text.split("## The map of the layers", 1)[1].split("\n## ", 1)[0]
    layers, allowed = {}, {}
    for name, where, imports_ in MAP_ROW.findall(section):
        if name == "layer":
            continue
        folder = ""
        for item in re.findall(r"`([^`]+)`", where):
            item = item if "/" in item else folder + item  # `utility.py` after `exactpower/x.py`
            folder = item.rpartition("/")[0] + "/"
            layers[item] = name
        if "(the rest)" in where:
            layers["proofs/"] = name
        allowed[name] = {w.strip() for w in imports_.split(",") if w.strip()} | {name}
    return layers, allowed


def _layer_of(relpath: str, layers: dict) -> str | None:
    """The layer of a file: the longest matching path prefix of the map."""
    best = max(
        (p for p in layers if relpath == p or (p.endswith("/") and relpath.startswith(p))),
        key=len,
        default=None,
    )
    return layers.get(best) if best else None


def _file_of(module: str) -> str | None:
    """The file of a project module (``exactpower.io.nfg`` -> ``exactpower/io/nfg.py``)."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(ROOT).as_posix()
    return None


def project_modules() -> list:
    return sorted(
        p
        for p in list(PACKAGE.rglob("*.py")) + list((ROOT / "proofs").rglob("*.py"))
        if "corpus" not in p.parts
    )


def test_the_map_covers_every_module():
    layers, allowed = layer_map()
    assert set(allowed) == {
        "base",
        "exact",
        "model",
        "quantities",
        "linalg",
        "solvers",
        "sequential-model",
        "sequential",
        "io",
        "small",
        "api",
        "cli",
        "kernel",
        "proofs",
    }
    missing = [_rel(p) for p in project_modules() if _layer_of(_rel(p), layers) is None]
    assert not missing, f"modules in no layer of docs/design.md: {missing}"


@pytest.mark.parametrize("path", project_modules(), ids=_rel)
def test_every_import_follows_the_map(path):
    layers, allowed = layer_map()
    own = _layer_of(_rel(path), layers)
    lazy_proofs = own == "cli" or _rel(path) == "exactpower/small/exhaust.py"
    bad = []
    for module, names, line in imports(path):
        if module.split(".")[0] not in ("exactpower", "proofs"):
            continue
        if names and all(_file_of(f"{module}.{n}") for n in names):
            continue  # ``from .. import limits``: the submodules are checked on their own
        target_file = _file_of(module)
        if target_file is None:  # ``from pkg import name``: the name is not a module
            continue
        target = _layer_of(target_file, layers)
        if target in allowed[own]:
            continue
        if lazy_proofs and target in ("proofs", "kernel"):
            continue  # inside functions only: test_proofs_only_lazily_from_the_application
        bad.append(f"line {line}: {module} (layer {target})")
    assert not bad, f"{_rel(path)} (layer {own}) imports above its row of the map: {bad}"


# -- sizes: one concept per module, functions that fit on a screen ----------------------------

#: Lines of one module (after ``ruff format``) and of one function.
MODULE_LINES, FUNCTION_LINES = 500, 80


@pytest.mark.parametrize("path", project_modules(), ids=_rel)
def test_modules_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MODULE_LINES, f"{_rel(path)}: over {MODULE_LINES} lines"
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > FUNCTION_LINES
    ]
    assert not long, f"{_rel(path)}: functions over {FUNCTION_LINES} lines: {long}"

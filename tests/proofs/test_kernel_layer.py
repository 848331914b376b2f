"""The trusted kernel stands alone (issue 9, item 4).

- ``proofs/kernel/`` imports nothing untrusted: no module of ``proofs`` outside the kernel
  (the builders, the serialisers ``proofs.trace``/``proofs.shape``, the reader
  ``proofs.reading``, the renderer ``proofs.latex``), and of exactpower only the model and
  the exact values (``exactpower.game``, ``exactpower.profile``, ``exactpower.values``,
  ``exactpower.errors``, and the number layer's future homes ``exactpower.exact``,
  ``exactpower.limits``) -- never the engine or a fast path.  The records a trace is made of
  live in the kernel (``proofs/kernel/records.py``); ``proofs.Trace`` and ``proofs.ShapeTrace``
  extend them with their JSON form, so the kernel needs no import of the serialisers.
- the theorem tables are assigned in exactly one module, ``proofs/kernel/theorems.py``;
- both kernels run their steps through one rule loop, which looks rules up in the dicts
  ``proofs.kernel.RULES`` / ``proofs.kernel.SHAPE_RULES`` name, and an exception inside a rule
  that is not an explicit rejection is a kernel error, in either kernel.
"""

import ast
import dataclasses
from pathlib import Path

import pytest

import proofs
import proofs.kernel
from proofs import shape_theorem
from proofs.kernel import KernelError, check_shape, check_shape_or_raise

ROOT = Path(__file__).resolve().parents[2]
KERNEL = ROOT / "proofs" / "kernel"

#: Never imported by the kernel (a prefix matches the module and its submodules).
FORBIDDEN = (
    "proofs.builders",
    "proofs.latex",
    "proofs.trace",
    "proofs.shape",
    "proofs.reading",
    "proofs.corpus",
    "exactpower.contraction",
    "exactpower.power",
    "exactpower.utility",
    "exactpower.regret",
    "exactpower.equilibria",
    "exactpower.bounds",
    "exactpower.small",
    "exactpower.tensor",
    "exactpower.report",
    "exactpower.cli",
    "exactpower.io",
    "exactpower.linalg",
    "exactpower.constant_sum",
    "exactpower.sequential.quantities",
    "exactpower.sequential.stochastic_values",
    "exactpower.sequential.mdp_values",
    "numpy",
)
#: The only modules of exactpower the kernel may import.
ALLOWED_EXACTPOWER = (
    "exactpower.game",
    "exactpower.profile",
    "exactpower.values",
    "exactpower.errors",
    "exactpower.exact",
    "exactpower.limits",
    "exactpower.sequential.tree",  # the sequential model only (tree kernel, issue 11)
    "exactpower.sequential.behaviour",
    "exactpower.sequential.stochastic",  # the stochastic game model (stochastic kernel, issue 12)
)
TABLES = (
    "THEOREMS",
    "STATEMENTS",
    "NOTATION",
    "EQUALITY_STATEMENTS",
    "RELATIONS",
    "SHAPE_NOTATION",
    "HYPOTHESES",
    "THEOREM_HYPOTHESES",
    "USES",
    "ELIMINATES",
    "DEFINITIONS",
)


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set:
    """Every module ``path`` imports, relative imports resolved, anywhere in the file."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = (
                package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            )
            module = ".".join(base + ([node.module] if node.module else []))
            out.add(module)
            out |= {
                f"{module}.{a.name}"
                for a in node.names
                if (KERNEL / f"{a.name}.py").exists() and module == "proofs.kernel"
            }
    return out


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def kernel_files() -> list:
    return sorted(KERNEL.glob("*.py"))


def test_the_import_resolver():
    names = imports(KERNEL / "shape.py")
    assert "proofs.kernel.guard" in names and "proofs.kernel.theorems" in names
    assert not any(_within(n, "proofs.shape") for n in names)
    assert "proofs.trace" in imports(ROOT / "proofs" / "shape.py")


@pytest.mark.parametrize("path", kernel_files(), ids=lambda p: p.name)
def test_kernel_imports_nothing_untrusted(path):
    for name in imports(path):
        assert not any(_within(name, bad) for bad in FORBIDDEN), (path.name, name)
        if _within(name, "proofs"):
            assert _within(name, "proofs.kernel"), (path.name, name)
        if _within(name, "exactpower"):
            assert any(_within(name, ok) for ok in ALLOWED_EXACTPOWER), (path.name, name)


def test_the_kernel_is_these_modules():
    assert {p.name for p in kernel_files()} == {
        "__init__.py",
        "theorems.py",
        "records.py",
        "guard.py",
        "loop.py",
        "facts.py",
        "rules.py",
        "equality.py",
        "condition.py",
        "ring.py",
        "shape.py",
        "algebraic.py",
        "tree.py",
        "tree_records.py",
        "stochastic.py",
        "stochastic_records.py",
    }
    for path in kernel_files():
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 500, path.name


def _assigned(path: Path) -> set:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else ([node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
        )
        for target in targets:
            for t in ast.walk(target):
                if isinstance(t, ast.Name):
                    names.add(t.id)
    return names


def test_theorem_tables_are_written_once():
    where = {name: [] for name in TABLES}
    for path in sorted((ROOT / "proofs").rglob("*.py")) + sorted(
        (ROOT / "exactpower").rglob("*.py")
    ):
        for name in _assigned(path) & set(TABLES):
            where[name].append(str(path.relative_to(ROOT)))
    assert all(places == ["proofs/kernel/theorems.py"] for places in where.values()), where


def test_the_untrusted_modules_use_the_kernels_tables_and_records():
    assert proofs.trace.THEOREMS is proofs.kernel.THEOREMS
    assert proofs.trace.NOTATION is proofs.kernel.theorems.NOTATION
    assert issubclass(proofs.Trace, proofs.kernel.TraceRecord)
    assert issubclass(proofs.ShapeTrace, proofs.kernel.ShapeTraceRecord)
    assert proofs.Step is proofs.kernel.Step and proofs.ProofError is proofs.kernel.ProofError


def test_the_rule_loop_uses_the_public_tables():
    assert proofs.kernel.RULES is proofs.kernel.rules.RULES
    assert proofs.kernel.SHAPE_RULES is proofs.kernel.shape.RULES


def test_a_bug_in_a_shape_rule_is_a_kernel_error(monkeypatch):
    """Before: the shape kernel turned any exception into a rejection of the trace."""
    trace = shape_theorem(2, 1, 2)
    assert check_shape(trace).status == "valid"

    def broken(step, ring):
        raise ZeroDivisionError("a bug")

    monkeypatch.setitem(proofs.kernel.SHAPE_RULES, "linearity", broken)
    verdict = check_shape(trace)
    assert (verdict.ok, verdict.status) == (False, "error")
    assert verdict.message.startswith("kernel error while checking") and "a bug" in verdict.message
    with pytest.raises(KernelError, match="a bug"):
        check_shape_or_raise(trace)


def test_malformed_shape_records_are_rejected_not_errors():
    trace = shape_theorem(2, 1, 2)
    step = trace.steps[0]
    for bad in (
        dataclasses.replace(trace, types=2),
        dataclasses.replace(trace, theorem=["x"]),
        dataclasses.replace(trace, definitions=None),
        dataclasses.replace(trace, hypotheses=(None,)),
        dataclasses.replace(trace, steps=(dataclasses.replace(step, uses=None),) + trace.steps[1:]),
        dataclasses.replace(
            trace, steps=(dataclasses.replace(step, premises=[]),) + trace.steps[1:]
        ),
    ):
        verdict = check_shape(bad)
        assert verdict.status == "rejected", verdict.message


def test_a_bug_in_a_game_rule_is_a_kernel_error(monkeypatch):
    from exactpower import BayesianGame, StrategyProfile

    mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    trace = proofs.power_scarcity(mp, StrategyProfile.uniform(mp))
    monkeypatch.setitem(proofs.kernel.RULES, "constant-sum", lambda step, facts: None)
    verdict = proofs.check(trace)
    assert verdict.status == "error" and "TypeError" in verdict.message
    with pytest.raises(KernelError):
        proofs.check_or_raise(trace)

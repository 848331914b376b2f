"""The test suite's layout and markers.

Folders follow the package's layers: ``exact/`` (the number layer), ``core/`` (games,
profiles, POWER and the report, with the Gambit oracle), ``io/`` (files), ``bounds/``,
``equilibria/``, ``small/`` (classes, exhaustive checks, conjectures), ``proofs/`` (traces,
the kernel, LaTeX; the proof corpora are test data in ``proofs/corpus/``), ``cli/`` and
``benchmarks/`` (smoke runs of the benchmark scripts). Helpers shared by several folders
live here, beside this file: ``cases.py`` (paths, the bad-input fixtures, the example
pairs), ``naive.py`` (the definitions, cell by cell, in Fractions), ``gambit_oracle.py``,
``optional.py`` (optional dependencies) and ``tex.py`` (pdflatex).

Markers, set here by module so that a run can select or leave out a kind of test
(``pytest -m "not slow"``, ``pytest -m gambit``):

- ``gambit``: needs pygambit (the ``gambit`` extra); skipped without it, except under CI=true;
- ``tex``: compiles LaTeX with pdflatex; skipped without it, except under CI=true;
- ``dask``: needs dask.distributed (the ``dask`` extra);
- ``slow``: a module whose tests take more than a few seconds in all (exhaustive classes,
  equilibria against Gambit, fuzzing); CI runs them all.
"""

from __future__ import annotations

import pytest

#: module name -> its markers.
MARKERS = {
    "test_gambit_io": ("gambit",),
    "test_gambit_oracle": ("gambit", "slow"),
    "test_equilibria_gambit": ("gambit", "slow"),
    "test_equilibria_poly": ("slow",),
    "test_latex": ("tex", "slow"),
    "test_exhaust": ("slow",),
    "test_conjecture": ("slow",),
    "test_classes": ("slow",),
    "test_check_fuzz": ("slow",),
    "test_proofs_soundness": ("slow",),
}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        module = getattr(getattr(item, "module", None), "__name__", "").rsplit(".", 1)[-1]
        for name in MARKERS.get(module, ()):
            item.add_marker(getattr(pytest.mark, name))
        if "dask" in item.name:
            item.add_marker(pytest.mark.dask)

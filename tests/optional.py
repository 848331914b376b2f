"""Optional test dependencies: skip with the reason locally, fail under ``CI=true``.

Peers and optional parts (pygambit, Dask, matplotlib, TeX) are extras. A test module that
needs one imports it through :func:`require`; where it is missing the module is skipped with
a reason that names the extra to install -- except under ``CI=true``, where CI installs every
extra and a missing one is an error, so that no oracle test is ever skipped silently in CI.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

#: module -> how to install it.
HOW = {
    "pygambit": "pip install -e '.[gambit]' (builds Gambit from source where no wheel exists)",
    "dask.distributed": "pip install -e '.[dask]'",
    "matplotlib": "pip install -e '.[plot]'",
    "pyspiel": "pip install -e '.[openspiel]'",
}


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``), where nothing optional may be missing."""
    return os.environ.get("CI") == "true"


def require(module: str) -> ModuleType:
    """Import ``module``, or skip the calling test module (fail under ``CI=true``)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        reason = f"{module} is not installed ({HOW.get(module, 'an optional extra')})"
        if in_ci():
            pytest.fail(f"{reason}, and CI=true: CI must install it ({exc})", pytrace=False)
        pytest.skip(reason, allow_module_level=True)

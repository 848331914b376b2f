"""A one-line claim may stand for millions of terms: the kernel measures before it expands.

``(y0 + … + y11)**16`` is 60 characters and 13 million terms. As a step's value, or as a
denominator, or hidden in a ``Max``, the kernel ran for more than five minutes on it; it now
refuses it in well under a second (``MAX_CLAIM_TERMS``, ``MAX_DENOMINATOR_TERMS``), while the
honest trace of the same game stays valid.
"""

from __future__ import annotations

import json
import time

import pytest

from exactpower.io import json_files as files
from exactpower.io import loads
from proofs import power_scarcity
from proofs.reading import check_trace
from tests.cases import DATA

SUM = "+".join(f"y{i}" for i in range(12))


@pytest.fixture(scope="module")
def trace_text() -> str:
    """The honest trace of the symbolic test game with twelve more declared parameters."""
    doc = json.loads((DATA / "symbolic.json").read_text())
    doc["parameters"].update({f"y{i}": "real" for i in range(12)})
    game = loads(json.dumps(doc))
    profile = files.loads_profile((DATA / "symbolic_profile.json").read_text(), game)
    return power_scarcity(game, profile).to_json()


def test_the_honest_trace_is_valid(trace_text):
    assert check_trace(trace_text)[1].status == "valid"


@pytest.mark.parametrize(
    ("value", "limit"),
    [
        (f"({SUM})^16", "MAX_CLAIM_TERMS"),
        (f"1/(({SUM})^16 + 1)", "MAX_DENOMINATOR_TERMS"),
        (f"Max(({SUM})^16, 0)", "MAX_CLAIM_TERMS"),
    ],
)
def test_a_short_claim_with_millions_of_terms_is_refused_at_once(trace_text, value, limit):
    doc = json.loads(trace_text)
    doc["steps"][0]["value"] = value
    start = time.perf_counter()
    _, verdict = check_trace(json.dumps(doc))
    assert time.perf_counter() - start < 20
    assert verdict.status == "rejected" and limit in verdict.message


def test_the_tree_kernel_measures_claims_too():
    from tests.cases import CORPUS

    doc = json.loads((CORPUS / "tree-good" / "kuhn-symbolic-call.json").read_text())
    doc["game"].setdefault("parameters", {}).update({f"y{i}": "real" for i in range(12)})
    assert check_trace(json.dumps(doc))[1].status == "valid"  # unused parameters change nothing
    doc["steps"][0]["value"] = f"({SUM})^16"
    start = time.perf_counter()
    _, verdict = check_trace(json.dumps(doc))
    assert time.perf_counter() - start < 20
    assert verdict.status == "rejected" and "MAX_CLAIM_TERMS" in verdict.message

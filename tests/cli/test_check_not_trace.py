"""``exactpower check`` on a document that is not a trace names what it was given."""

from __future__ import annotations

import json

import pytest

from tests.cases import EXAMPLES, ROOT, one_line_error, run_cli


def _stochastic_game(tmp_path):
    trace = json.loads((ROOT / "proofs/corpus/stochastic-good/pennies-uniform.json").read_text())
    path = tmp_path / "game.json"
    path.write_text(json.dumps(trace["game"]))
    return path


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda tmp: EXAMPLES / "poker.json", "a game (exactpower/game-v1)"),
        (lambda tmp: EXAMPLES / "kuhn.json", "a game tree (exactpower/tree-v1)"),
        (lambda tmp: EXAMPLES / "kuhn-equilibrium.json", "a behaviour profile"),
        (_stochastic_game, "a stochastic game (exactpower/stochastic-v1)"),
    ],
)
def test_check_names_the_document_it_was_given(capsys, tmp_path, make, kind):
    code, out, err = run_cli(capsys, "check", make(tmp_path))
    assert code == 2 and out == ""
    one_line_error(err)
    assert f"this is {kind}" in err and "not a trace" in err

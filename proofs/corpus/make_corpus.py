"""Write the proof corpus: ``good/`` traces of the examples, ``bad/`` corrupted traces.

Run from the repository root::

    python proofs/corpus/make_corpus.py

Each good trace is ``power_scarcity`` of an example game and profile, checked
before it is written.  Each bad trace is a good one with one hand-made
corruption (edited in its JSON form) and a top-level ``expected_rejection``:
a fragment of the kernel's message, which the kernel ignores when reading and
``tests/test_proofs_soundness.py`` requires.  The script refuses to write a bad
trace that the kernel accepts or rejects with another message.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

#: name -> (game, profile) in examples/.
GOOD = {
    "poker-equilibrium": ("poker", "poker-equilibrium"),
    "poker-honest": ("poker", "poker-honest"),
    "matching-pennies-pure": ("matching-pennies", "matching-pennies-pure"),
    "matching-pennies-uniform": ("matching-pennies", "matching-pennies-uniform"),
    "odd-one-out-pure": ("odd-one-out", "odd-one-out-pure"),
    "odd-one-out-uniform": ("odd-one-out", "odd-one-out-uniform"),
    "haggling": ("haggling", "haggling-profile"),
    "coordination-good": ("coordination", "coordination-good"),
    "coordination-bad": ("coordination", "coordination-bad"),
    "scaled-pennies-pure": ("scaled-pennies", "scaled-pennies-pure"),
    "bayesian-pennies": ("bayesian-pennies", "bayesian-pennies-profile"),
}


def _set(path, value):
    def edit(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def _forge_constant_sum(d):
    """Claim power scarcity with constant 2 for the coordination game (it is not constant-sum)."""
    d["theorem"] = "power-scarcity"
    d["steps"][4] = {"index": 5, "rule": "constant-sum", "lhs": "E_t E_{a~σ(t)} Σ_i r_i(t,a)",
                     "relation": "=", "rhs": "E_t E_{a~σ(t)} c", "value": "2",
                     "premises": {"constant": "2", "support": [["-", "-"]]}}
    d["steps"].append({"index": 6, "rule": "normalisation", "lhs": "E_t E_{a~σ(t)} c",
                       "relation": "=", "rhs": "c", "value": "2", "premises": {}})
    d["equality"]["statement"] = "Σ_i POWER(i,σ) = c iff σ is a BNE"
    d["conclusion"].update(statement="Σ_i POWER(i,σ) ≥ c", bound="2")


def _swap_steps(d):
    d["steps"][1], d["steps"][2] = d["steps"][2], d["steps"][1]
    d["steps"][1]["index"], d["steps"][2]["index"] = 2, 3


def _drop(path):
    def edit(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return edit


#: name -> (good trace, edit, expected fragment of the kernel's message).
BAD = {
    "power-definition-wrong-interim": (
        "poker-honest", _set(["steps", 0, "premises", "terms", 0, "interim", "check"], "2"),
        "step 1 (power-definition): f_i for player 'dealer' type 'K' action 'check' is 1, "
        "trace says 2"),
    "power-definition-max-over-subset": (
        "poker-honest", _set(["steps", 0, "premises", "terms", 1, "over"], ["check"]),
        "step 1 (power-definition): actions of the maximum for player 'dealer' type 'Q' "
        "(must be A_i) are ['check'], expected ['bet', 'check']"),
    "power-definition-tampered-game": (
        "poker-honest", _set(["game", "rewards", 0, "values"], ["3", "-3"]),
        "step 1 (power-definition): f_i for player 'dealer' type 'K' action 'bet' is 3, "
        "trace says 2"),
    "max-dominates-mean-wrong-slack": (
        "poker-honest", _set(["steps", 1, "premises", "terms", 1, "slack"], "1/3"),
        "step 2 (max-dominates-mean): slack for player 'dealer' type 'Q' is 0, trace says 1/3"),
    "max-dominates-mean-claimed-equal": (
        "poker-honest", _set(["steps", 1, "relation"], "="),
        "step 2 (max-dominates-mean): claim"),
    "max-dominates-mean-missing-premise": (
        "haggling", _drop(["steps", 1, "premises", "total"]),
        "step 2 (max-dominates-mean): premises must be exactly ['terms', 'total']"),
    "max-dominates-mean-symbolic-slack": (
        "scaled-pennies-pure", _set(["steps", 1, "premises", "terms", 0, "slack"], "0"),
        "step 2 (max-dominates-mean): slack for player 'row' type '-' is"),
    "max-dominates-mean-case-wrong-hypothesis": (
        "bayesian-pennies",
        _set(["steps", 1, "premises", "terms", 0, "cases", 0, "hypotheses", "D"], "2*q - 1"),
        "step 2 (max-dominates-mean): player 'row' type 'h', case 'U' attains the maximum: "
        "hypothesis e_U − e_D ≥ 0 is 4*q - 2, trace says 2*q - 1"),
    "max-dominates-mean-case-negative-coefficient": (
        "bayesian-pennies",
        _set(["steps", 1, "premises", "terms", 1, "cases", 1, "certificate", "U"], "-1/4"),
        "step 2 (max-dominates-mean): player 'row' type 'l', case 'D' attains the maximum: "
        "coefficient -1/4 of hypothesis 'U' is not provably nonnegative"),
    "max-dominates-mean-case-missing": (
        "scaled-pennies-pure", _drop(["steps", 1, "premises", "terms", 0, "cases", 1]),
        "step 2 (max-dominates-mean): cases of player 'row' type '-' (one per action of A_i) "
        "are ['H'], expected ['H', 'T']"),
    "max-dominates-mean-case-identity-fails": (
        "bayesian-pennies", _set(["steps", 1, "premises", "terms", 2, "cases", 0, "regret"], "0"),
        "step 2 (max-dominates-mean): player 'col' type '-', case 'L' attains the maximum: "
        "certificate identity fails: regret 0 is not Σ_a σ_a·h_a"),
    "max-dominates-mean-symbolic-no-cases": (
        "scaled-pennies-pure", _drop(["steps", 1, "premises", "terms", 1, "cases"]),
        "step 2 (max-dominates-mean): the row of player 'col' type '-' is symbolic: its cases "
        "must be a list of records"),
    "power-definition-symbolic-max": (
        "bayesian-pennies", _set(["steps", 0, "premises", "terms", 0, "max"], "2*q - 1"),
        "step 1 (power-definition): maximum for player 'row' type 'h' is "
        "Max(1 - 2*q, 2*q - 1), trace says 2*q - 1"),
    "total-expectation-wrong-marginal": (
        "odd-one-out-pure", _set(["steps", 2, "premises", "marginals", "cat", "bold"], "1/2"),
        "step 3 (total-expectation): marginal Ω_i of player 'cat' type 'bold' is 1/4, "
        "trace says 1/2"),
    "linearity-wrong-value": (
        "odd-one-out-uniform", _set(["steps", 3, "value"], "4"),
        "step 4 (linearity): value of the right side is 3, trace says 4"),
    "constant-sum-forged": (
        "coordination-bad", _forge_constant_sum,
        "step 5 (constant-sum): rewards at types ['-', '-'] actions ['A', 'A'] sum to 4, "
        "not the constant 2"),
    "constant-sum-missing-support-cell": (
        "haggling", _set(["steps", 4, "premises", "support"], [["good", "keen"], ["bad", "wary"]]),
        "step 5 (constant-sum): support cells"),
    "normalisation-wrong-constant": (
        "matching-pennies-pure", _set(["steps", 5, "value"], "1"),
        "step 6 (normalisation): value of the right side is 0, trace says 1"),
    "slack-sum-wrong-nash-conv": (
        "coordination-bad", _set(["steps", 4, "premises", "nash_conv"], "1"),
        "step 5 (slack-sum): NashConv (the sum of slacks) is 0, trace says 1"),
    "steps-out-of-order": (
        "poker-equilibrium", _swap_steps,
        "step 2 (total-expectation): step 2 of power-scarcity is 'max-dominates-mean'"),
    "equality-claimed-at-non-equilibrium": (
        "poker-honest", _set(["equality", "holds"], True),
        "equality: equality holds: False, trace says True"),
    "equality-bogus-deviation": (
        "matching-pennies-pure", _set(["equality", "slacks", 1, "deviation", "gain"], "1"),
        "equality: gain of 'T' over 'H' for player 'col' type '-' is 2, trace says 1"),
    "equality-wrong-condition": (
        "scaled-pennies-pure", _set(["equality", "condition"], "x >= 0"),
        "equality: equality condition on the parameters is Eq(x, 0), trace says x >= 0"),
    "conclusion-wrong-bound": (
        "odd-one-out-pure", _set(["conclusion", "bound"], "11/2"),
        "conclusion: bound is 3, trace says 11/2"),
}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from exactpower import files
    from proofs import Trace, check, power_scarcity
    from proofs.trace import _render

    good_dir, bad_dir = HERE / "good", HERE / "bad"
    good_dir.mkdir(exist_ok=True)
    bad_dir.mkdir(exist_ok=True)
    data = {}
    for name, (game_name, profile_name) in GOOD.items():
        game = files.load_game(ROOT / "examples" / f"{game_name}.json")
        profile = files.load_profile(ROOT / "examples" / f"{profile_name}.json", game)
        trace = power_scarcity(game, profile)
        verdict = check(trace)
        if not verdict.ok:
            raise SystemExit(f"{name}: the kernel rejects the good trace: {verdict.message}")
        (good_dir / f"{name}.json").write_text(trace.to_json(), encoding="utf-8")
        data[name] = trace.to_data()
    for name, (base, edit, expected) in BAD.items():
        d = copy.deepcopy(data[base])
        edit(d)
        d = {"comment": f"corrupted from good/{base}.json", "expected_rejection": expected, **d}
        text = _render(d, "") + "\n"
        verdict = check(Trace.from_json(text))
        if verdict.ok or expected not in verdict.message:
            raise SystemExit(f"{name}: expected a rejection with {expected!r}, "
                             f"got {verdict.message!r}")
        (bad_dir / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(GOOD)} good and {len(BAD)} bad traces under {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write the proof corpus: ``good/`` traces of the examples, ``bad/`` corrupted traces.

Run from the repository root::

    python proofs/corpus/make_corpus.py            # (re)write the corpus
    python proofs/corpus/make_corpus.py --check    # write nothing: exit 1 if a file differs

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

from corpus_edits import set_at  # type: ignore[import-not-found]  # this folder

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


def _forge_constant_sum(d):
    """Claim power scarcity with constant 2 for the coordination game (it is not constant-sum)."""
    d["theorem"] = "power-scarcity"
    d["steps"][4] = {
        "index": 5,
        "rule": "constant-sum",
        "lhs": "E_t E_{a~σ(t)} Σ_i r_i(t,a)",
        "relation": "=",
        "rhs": "E_t E_{a~σ(t)} c",
        "value": "2",
        "premises": {"constant": "2", "support": [["-", "-"]]},
    }
    d["steps"].append(
        {
            "index": 6,
            "rule": "normalisation",
            "lhs": "E_t E_{a~σ(t)} c",
            "relation": "=",
            "rhs": "c",
            "value": "2",
            "premises": {},
        }
    )
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
        "poker-honest",
        set_at(["steps", 0, "premises", "terms", 0, "interim", "check"], "2"),
        "step 1 (power-definition): f_i for player 'dealer' type 'K' action 'check' is 1, "
        "trace says 2",
    ),
    "power-definition-max-over-subset": (
        "poker-honest",
        set_at(["steps", 0, "premises", "terms", 1, "over"], ["check"]),
        "step 1 (power-definition): actions of the maximum for player 'dealer' type 'Q' "
        "(must be A_i) are ['check'], expected ['bet', 'check']",
    ),
    "power-definition-tampered-game": (
        "poker-honest",
        set_at(["game", "rewards", 0, "values"], ["3", "-3"]),
        "step 1 (power-definition): f_i for player 'dealer' type 'K' action 'bet' is 3, "
        "trace says 2",
    ),
    "max-dominates-mean-wrong-slack": (
        "poker-honest",
        set_at(["steps", 1, "premises", "terms", 1, "slack"], "1/3"),
        "step 2 (max-dominates-mean): slack for player 'dealer' type 'Q' is 0, trace says 1/3",
    ),
    "max-dominates-mean-claimed-equal": (
        "poker-honest",
        set_at(["steps", 1, "relation"], "="),
        "step 2 (max-dominates-mean): claim",
    ),
    "max-dominates-mean-missing-premise": (
        "haggling",
        _drop(["steps", 1, "premises", "total"]),
        "step 2 (max-dominates-mean): premises must be exactly ['terms', 'total']",
    ),
    "max-dominates-mean-symbolic-slack": (
        "scaled-pennies-pure",
        set_at(["steps", 1, "premises", "terms", 0, "slack"], "0"),
        "step 2 (max-dominates-mean): slack for player 'row' type '-' is",
    ),
    "max-dominates-mean-case-wrong-hypothesis": (
        "bayesian-pennies",
        set_at(["steps", 1, "premises", "terms", 0, "cases", 0, "hypotheses", "D"], "2*q - 1"),
        "step 2 (max-dominates-mean): player 'row' type 'h', case 'U' attains the maximum: "
        "hypothesis e_U − e_D ≥ 0 is 4*q - 2, trace says 2*q - 1",
    ),
    "max-dominates-mean-case-negative-coefficient": (
        "bayesian-pennies",
        set_at(["steps", 1, "premises", "terms", 1, "cases", 1, "certificate", "U"], "-1/4"),
        "step 2 (max-dominates-mean): player 'row' type 'l', case 'D' attains the maximum: "
        "coefficient -1/4 of hypothesis 'U' is not provably nonnegative",
    ),
    "max-dominates-mean-case-missing": (
        "scaled-pennies-pure",
        _drop(["steps", 1, "premises", "terms", 0, "cases", 1]),
        "step 2 (max-dominates-mean): cases of player 'row' type '-' (one per action of A_i) "
        "are ['H'], expected ['H', 'T']",
    ),
    "max-dominates-mean-case-identity-fails": (
        "bayesian-pennies",
        set_at(["steps", 1, "premises", "terms", 2, "cases", 0, "regret"], "0"),
        "step 2 (max-dominates-mean): player 'col' type '-', case 'L' attains the maximum: "
        "certificate identity fails: regret 0 is not Σ_a σ_a·h_a",
    ),
    "max-dominates-mean-symbolic-no-cases": (
        "scaled-pennies-pure",
        _drop(["steps", 1, "premises", "terms", 1, "cases"]),
        "step 2 (max-dominates-mean): the row of player 'col' type '-' is symbolic: its cases "
        "must be a list of records",
    ),
    "power-definition-symbolic-max": (
        "bayesian-pennies",
        set_at(["steps", 0, "premises", "terms", 0, "max"], "2*q - 1"),
        "step 1 (power-definition): maximum for player 'row' type 'h' is "
        "Max(1 - 2*q, 2*q - 1), trace says 2*q - 1",
    ),
    "total-expectation-wrong-marginal": (
        "odd-one-out-pure",
        set_at(["steps", 2, "premises", "marginals", "cat", "bold"], "1/2"),
        "step 3 (total-expectation): marginal Ω_i of player 'cat' type 'bold' is 1/4, "
        "trace says 1/2",
    ),
    "linearity-wrong-value": (
        "odd-one-out-uniform",
        set_at(["steps", 3, "value"], "4"),
        "step 4 (linearity): value of the right side is 3, trace says 4",
    ),
    "constant-sum-forged": (
        "coordination-bad",
        _forge_constant_sum,
        "step 5 (constant-sum): rewards at types ['-', '-'] actions ['A', 'A'] sum to 4, "
        "not the constant 2",
    ),
    "constant-sum-missing-support-cell": (
        "haggling",
        set_at(["steps", 4, "premises", "support"], [["good", "keen"], ["bad", "wary"]]),
        "step 5 (constant-sum): support cells",
    ),
    "normalisation-wrong-constant": (
        "matching-pennies-pure",
        set_at(["steps", 5, "value"], "1"),
        "step 6 (normalisation): value of the right side is 0, trace says 1",
    ),
    "slack-sum-wrong-nash-conv": (
        "coordination-bad",
        set_at(["steps", 4, "premises", "nash_conv"], "1"),
        "step 5 (slack-sum): NashConv (the sum of slacks) is 0, trace says 1",
    ),
    "steps-out-of-order": (
        "poker-equilibrium",
        _swap_steps,
        "step 2 (total-expectation): step 2 of power-scarcity is 'max-dominates-mean'",
    ),
    "equality-claimed-at-non-equilibrium": (
        "poker-honest",
        set_at(["equality", "holds"], True),
        "equality: equality holds: False, trace says True",
    ),
    "equality-bogus-deviation": (
        "matching-pennies-pure",
        set_at(["equality", "slacks", 1, "deviation", "gain"], "1"),
        "equality: gain of 'T' over 'H' for player 'col' type '-' is 2, trace says 1",
    ),
    "equality-wrong-condition": (
        "scaled-pennies-pure",
        set_at(["equality", "condition"], "x >= 0"),
        "equality: equality condition on the parameters is Eq(x, 0), trace says x >= 0",
    ),
    "conclusion-wrong-bound": (
        "odd-one-out-pure",
        set_at(["conclusion", "bound"], "11/2"),
        "conclusion: bound is 3, trace says 11/2",
    ),
}

# -- refused when read (issue 8): proofs.reading's message instead of the kernel's --------------
BAD.update(
    {
        "reading-name-capture": (
            "scaled-pennies-pure",
            set_at(["steps", 0, "value"], "Max(x, 1) + _max0_"),
            "trace: steps[0].value: undeclared parameter '_max0_'",
        ),
        "reading-max-chain-over-limit": (
            "scaled-pennies-pure",
            set_at(["steps", 0, "value"], "Max(1, 2)+" * 10_001 + "0"),
            "trace: steps[0].value: the value has 100011 characters, over the limit "
            "MAX_VALUE_LENGTH = 100000",
        ),
        "reading-number-as-value": (
            "matching-pennies-pure",
            set_at(["steps", 5, "value"], 0),
            "trace: steps[5].value: expected an exact value as a string, got 0 (a JSON number",
        ),
        "reading-unknown-key-top": (
            "poker-honest",
            set_at(["trust"], "me"),
            "trace: top level: a trace has unknown key 'trust'",
        ),
        "reading-unknown-key-step": (
            "poker-honest",
            set_at(["steps", 1, "trust"], "me"),
            "trace: steps[1]: a step has unknown key 'trust'",
        ),
        "reading-unknown-key-equality": (
            "poker-honest",
            set_at(["equality", "trust"], "me"),
            "trace: equality: the equality record has unknown key 'trust'",
        ),
        "reading-unknown-key-slack-row": (
            "poker-honest",
            set_at(["equality", "slacks", 0, "trust"], "me"),
            "trace: equality.slacks[0]: a slack row has unknown key 'trust'",
        ),
        "reading-unknown-key-deviation": (
            "matching-pennies-pure",
            set_at(["equality", "slacks", 1, "deviation", "trust"], "me"),
            "trace: equality.slacks[1].deviation: a deviation has unknown key 'trust'",
        ),
        "reading-unknown-key-conclusion": (
            "poker-honest",
            set_at(["conclusion", "trust"], "me"),
            "trace: conclusion: the conclusion has unknown key 'trust'",
        ),
        "reading-missing-key-conclusion": (
            "poker-honest",
            _drop(["conclusion", "gap"]),
            "trace: conclusion: the conclusion has no key 'gap'",
        ),
    }
)

# -- refused by the kernel's guards (issue 8, items 4 and 5) ----------------------------------
BAD.update(
    {
        "values-removable-singularity": (
            "scaled-pennies-pure",
            set_at(["steps", 0, "value"], "2*Max(-x, x) + (x - x**2)/(1 - x) - x"),
            "is undefined where x - 1 = 0, which the parameters' domain allows (only a "
            "marginal's factor may vanish)",
        ),
        "values-removable-singularity-in-game": (
            "scaled-pennies-pure",
            set_at(["game", "rewards", 0, "values", 0], "(x**2 - x**3)/(x - x**2)"),
            "is undefined where x - 1 = 0, which the parameters' domain allows",
        ),
        "power-definition-unknown-term-key": (
            "poker-honest",
            set_at(["steps", 0, "premises", "terms", 0, "trust"], "me"),
            "step 1 (power-definition): the term of player 'dealer' type 'K' has unexpected "
            "premises ['trust']",
        ),
        "power-definition-over-not-a-list": (
            "poker-honest",
            set_at(["steps", 0, "premises", "terms", 0, "over"], {"bet": "bet", "check": "check"}),
            "step 1 (power-definition): actions of the maximum for player 'dealer' type 'K' "
            "(must be A_i) must be a list",
        ),
    }
)


def _replace(old, new):
    def edit(text):
        if old not in text:
            raise SystemExit(f"text edit: {old!r} not found")
        return text.replace(old, new, 1)

    return edit


def _second_game(text):
    return text.replace(
        '"game": {',
        '"game": {"format": "exactpower/game-v1", "players": '
        '[{"name": "a", "actions": ["x"]}], "rewards": [{"actions": ["x"], '
        '"values": [1]}]},\n "game": {',
        1,
    )


def _game_instead(text):
    game = (ROOT / "examples" / "poker.json").read_text(encoding="utf-8")
    head = text[: text.index('"format"')]
    return head + game[game.index('"format"') :]


#: Corruptions a dict cannot hold (number literals as written, duplicate keys), made on the
#: JSON text: name -> (good trace, text edit, expected fragment).
BAD_TEXT = {
    "reading-reward-near-one": (
        "matching-pennies-pure",
        _replace('"values": ["1", "-1"]', '"values": [0.99999999999999999, -1]'),
        "step 1 (power-definition): f_i for player 'row' type '-' action 'H' is "
        "99999999999999999/100000000000000000, trace says 1",
    ),
    "reading-prior-not-normalised": (
        "poker-honest",
        _replace(
            '"players": [',
            '"prior": {"joint": [[["K", "-"], 0.50000000000000001], '
            '[["Q", "-"], 0.5]]}, "players": [',
        ),
        "trace: game: prior.joint: probabilities sum to 100000000000000001/100000000000000000, "
        "not 1",
    ),
    "reading-duplicate-game": (
        "matching-pennies-pure",
        _second_game,
        "trace: top level: duplicate key 'game'",
    ),
    "reading-game-not-trace": (
        "poker-honest",
        _game_instead,
        "trace: format: this is a game (exactpower/game-v1), not a trace",
    ),
}


def _message(text):
    """The reader's message if it refuses ``text``, else the kernel's (``None``: accepted)."""
    from proofs import ProofError, check_trace

    try:
        verdict = check_trace(text)[1]
    except ProofError as exc:
        return str(exc)
    return None if verdict.ok else verdict.message


USAGE = "usage: python proofs/corpus/make_corpus.py [--check]"


def _put(path: Path, text: str, check: bool, stale: list) -> None:
    """Write ``text`` to ``path``; with ``check``, only record ``path`` if it differs."""
    if not check:
        path.write_text(text, encoding="utf-8")
    elif not path.exists() or path.read_text(encoding="utf-8") != text:
        stale.append(path.relative_to(HERE))


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--check"]):
        print(USAGE, file=sys.stderr if args not in (["-h"], ["--help"]) else sys.stdout)
        return 0 if args in (["-h"], ["--help"]) else 2
    check_only = args == ["--check"]
    stale: list[Path] = []
    sys.path.insert(0, str(ROOT))
    from exactpower.io import json_files as files
    from proofs import check, power_scarcity
    from proofs.trace import render as _render

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
        _put(good_dir / f"{name}.json", trace.to_json(), check_only, stale)
        data[name] = trace.to_data()
    for name, (base, edit, expected) in BAD.items():
        d = copy.deepcopy(data[base])
        edit(d)
        d = {"comment": f"corrupted from good/{base}.json", "expected_rejection": expected, **d}
        text = _render(d, "") + "\n"
        message = _message(text)
        if message is None or expected not in message:
            raise SystemExit(f"{name}: expected a rejection with {expected!r}, got {message!r}")
        _put(bad_dir / f"{name}.json", text, check_only, stale)
    for name, (base, edit, expected) in BAD_TEXT.items():
        d = {
            "comment": f"corrupted from good/{base}.json",
            "expected_rejection": expected,
            **data[base],
        }
        text = edit(_render(d, "") + "\n")
        message = _message(text)
        if message is None or expected not in message:
            raise SystemExit(f"{name}: expected a rejection with {expected!r}, got {message!r}")
        _put(bad_dir / f"{name}.json", text, check_only, stale)
    from tree_corpus import write_tree_corpus  # type: ignore[import-not-found]  # tree traces

    trees = write_tree_corpus(HERE, _render, _message, _put, check_only, stale)
    from stochastic_corpus import write_stochastic_corpus  # type: ignore[import-not-found]

    trees += write_stochastic_corpus(HERE, _render, _message, _put, check_only, stale)
    if check_only:
        for path in stale:
            print(f"differs: {path}")
        print(
            f"checked {len(GOOD)} good and {len(BAD) + len(BAD_TEXT)} bad traces and "
            f"{trees} tree and stochastic traces under {HERE}: "
            f"{'up to date' if not stale else f'{len(stale)} differ'}"
        )
        return 1 if stale else 0
    print(
        f"wrote {len(GOOD)} good and {len(BAD) + len(BAD_TEXT)} bad traces and {trees} "
        f"tree and stochastic traces under {HERE}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

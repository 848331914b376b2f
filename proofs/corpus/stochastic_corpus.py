"""The stochastic-game part of the proof corpus: ``stochastic-good/`` and ``stochastic-bad/``.

Called by ``make_corpus.py`` (``python proofs/corpus/make_corpus.py [--check]``).  Each good
trace is :func:`proofs.stochastic_trace.stochastic_power_scarcity` of a built-in game and
stationary profile, checked before it is written; each bad one is a good one with one
corruption and a top-level ``expected_rejection`` (a fragment of the kernel's or the reader's
message).  The script refuses to write a bad trace that is accepted or refused with another
message; ``tests/proofs/test_stochastic_trace.py`` re-checks both folders.
"""

from __future__ import annotations

import copy

from corpus_edits import set_at  # type: ignore[import-not-found]  # this folder

MP = {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)}


def two_states(rewards_t_xu=(3, -3)):
    """Two states, zero-sum unless ``rewards_t_xu`` says otherwise, γ = 2/3, μ uniform."""
    from exactpower.sequential.stochastic import StochasticGame

    return StochasticGame.build(
        ["A", "B"],
        {
            "s": {
                "actions": {"A": ["x", "y"], "B": ["u", "v"]},
                "cells": {
                    "x,u": ((1, -1), {"s": "1/2", "t": "1/2"}),
                    "x,v": ((0, 0), {"t": 1}),
                    "y,u": ((2, -2), {"s": 1}),
                    "y,v": ((-1, 1), {"s": "1/3", "t": "2/3"}),
                },
            },
            "t": {
                "actions": {"A": ["x"], "B": ["u", "v"]},
                "cells": {"x,u": (rewards_t_xu, {"s": 1}), "x,v": ((-1, 1), {"t": 1})},
            },
        },
        gamma="2/3",
        mu={"s": "1/2", "t": "1/2"},
        title="two states",
    )


def good_traces() -> dict:
    from exactpower.sequential.stochastic import StationaryProfile, StochasticGame
    from proofs.stochastic_trace import stochastic_power_scarcity

    mp = StochasticGame.repeated(
        ("row", "col"), (("H", "T"), ("H", "T")), MP, gamma="1/2", title="repeated matching pennies"
    )
    g, general = two_states(), two_states((3, -2))
    pure_b = {
        "A": {"s": {"x": "1/2", "y": "1/2"}, "t": "x"},
        "B": {"s": {"u": "1/2", "v": "1/2"}, "t": "v"},
    }
    pairs = {
        "pennies-uniform": (mp, StationaryProfile.uniform(mp)),
        "pennies-pure": (
            mp,
            StationaryProfile.from_dict(mp, {"row": {"s": "H"}, "col": {"s": "H"}}),
        ),
        "two-states-uniform": (g, StationaryProfile.uniform(g)),
        "two-states-pure-b": (g, StationaryProfile.from_dict(g, pure_b)),
        "two-states-general-sum": (general, StationaryProfile.uniform(general)),
    }
    return {name: stochastic_power_scarcity(*pair) for name, pair in pairs.items()}


def _forge_constant_sum(d):
    """Claim power scarcity with constant 0 for a game that is not constant-sum."""
    d["theorem"] = "power-scarcity"
    d["steps"][4] = {
        "index": 5,
        "rule": "constant-sum",
        "lhs": "Σ_s ρ_σ(s)·E_{a~σ(s)} Σ_i r_i(s,a)",
        "relation": "=",
        "rhs": "Σ_s ρ_σ(s)·c",
        "value": "0",
        "premises": {"constant": "0"},
    }
    d["steps"].append(
        {
            "index": 6,
            "rule": "normalisation",
            "lhs": "Σ_s ρ_σ(s)·c",
            "relation": "=",
            "rhs": "c/(1−γ)",
            "value": "0",
            "premises": {},
        }
    )
    d["equality"]["statement"] = "Σ_i POWER(i,σ) = c/(1−γ) iff σ is a Nash equilibrium from μ"
    d["conclusion"].update(statement="Σ_i POWER(i,σ) ≥ c/(1−γ)", bound="0")


CERT = ("steps", 0, "premises", "certificates")
#: name -> (good trace, edit, expected fragment of the message).
BAD = {
    "tampered-step-value": (
        "two-states-uniform",
        set_at(["steps", 2, "value"], "1"),
        "step 3 (occupancy-expectation): value of the right side is 0, trace says 1",
    ),
    "tampered-policy-value": (
        "two-states-uniform",
        set_at(["steps", 1, "premises", "values", "A", "s"], "2"),
        "step 2 (max-dominates-mean): values of player 'A' at state 's': V = 2, but "
        "r_σ + γ P_σ V = 2689/1332 (not the policy-evaluation equation)",
    ),
    "tampered-occupancy": (
        "two-states-uniform",
        set_at(["steps", 1, "premises", "occupancy", "t"], "1"),
        "step 2 (max-dominates-mean): occupancy at state 's': ρ = 54/37, but μ + γ ρ P_σ",
    ),
    "wrong-bellman-action": (
        "two-states-uniform",
        set_at([*CERT, "A", "s", "action"], "y"),
        "step 1 (power-definition): player 'A' state 's': Bellman certificate: W(s) = 15/7 but "
        "the claimed action 'y' gives 85/42",
    ),
    "non-optimal-certificate": (
        "pennies-pure",
        set_at([*CERT, "col", "s"], {"value": "-2", "action": "H", "q": {"H": "-2", "T": "0"}}),
        "step 1 (power-definition): player 'col' state 's': Bellman certificate: action 'T' "
        "gives 0 > W(s) = -2, so W is not optimal",
    ),
    "constant-sum-claim-false": (
        "two-states-general-sum",
        _forge_constant_sum,
        "step 5 (constant-sum): rewards at state 't' joint action ['x', 'u'] sum to 1, "
        "not the constant 0",
    ),
    "constant-sum-off-path-cell": (
        "two-states-pure-b",
        set_at(["game", "states", 1, "cells", 0, "rewards"], ["4", "-3"]),
        "step 5 (constant-sum): rewards at state 't' joint action ['x', 'u'] sum to 1, "
        "not the constant 0",
    ),
    "tampered-reward": (
        "two-states-uniform",
        set_at(["game", "states", 0, "cells", 2, "rewards"], ["5", "-5"]),
        "step 1 (power-definition): player 'A' state 's': Q of action 'y' is",
    ),
    "gamma-one": (
        "pennies-uniform",
        set_at(["game", "gamma"], "1"),
        "trace: game: gamma: 1 is not in (0, 1)",
    ),
    "equality-claimed-at-non-equilibrium": (
        "pennies-pure",
        set_at(["equality", "holds"], True),
        "equality: equality holds: False, trace says True",
    ),
    # W with unrelated 2200-digit denominators: their sums have over 4300 digits (the
    # message crashed, exit 3) and, over many states, took minutes; refused before any sum
    "values-with-unrelated-long-denominators": (
        "two-states-uniform",
        lambda d: [
            set_at([*CERT, "A", "s", "value"], "1/" + "7" * 2200)(d),
            set_at([*CERT, "A", "t", "value"], "1/" + "3" * 2199 + "1")(d),
        ],
        "the values W of player 'A': the common denominator has more than MAX_RESULT_DIGITS",
    ),
    "reading-unknown-key-step": (
        "pennies-uniform",
        set_at(["steps", 0, "trust"], "me"),
        "trace: steps[0]: a step has unknown key 'trust'",
    ),
}


def _gamma_float(text: str) -> str:
    old = '"gamma": "1/2"'
    if old not in text:
        raise SystemExit(f"text edit: {old!r} not found")
    return text.replace(old, '"gamma": 0.5', 1)


#: Corruptions made on the JSON text: name -> (good trace, text edit, expected fragment).
BAD_TEXT = {
    "float-gamma": (
        "pennies-uniform",
        _gamma_float,
        "trace: game: gamma: expected an exact value as a string, got the number 0.5",
    ),
}


def write_stochastic_corpus(here, render, message_of, put, check_only: bool, stale: list) -> int:
    """Write (or with ``check_only`` compare) ``here/stochastic-good`` and
    ``here/stochastic-bad``; returns the number of files."""
    from proofs.kernel.stochastic import check_stochastic

    good_dir, bad_dir = here / "stochastic-good", here / "stochastic-bad"
    good_dir.mkdir(exist_ok=True)
    bad_dir.mkdir(exist_ok=True)
    data = {}
    for name, trace in good_traces().items():
        verdict = check_stochastic(trace)
        if not verdict.ok:
            raise SystemExit(
                f"{name}: the kernel rejects the good stochastic trace: {verdict.message}"
            )
        put(good_dir / f"{name}.json", trace.to_json(), check_only, stale)
        data[name] = trace.to_data()
    for name, (base, edit, expected) in {**BAD, **BAD_TEXT}.items():
        d = copy.deepcopy(data[base])
        if name in BAD:
            edit(d)
        d = {
            "comment": f"corrupted from stochastic-good/{base}.json",
            "expected_rejection": expected,
            **d,
        }
        text = render(d, "") + "\n"
        text = edit(text) if name in BAD_TEXT else text
        message = message_of(text)
        if message is None or expected not in message:
            raise SystemExit(f"{name}: expected a rejection with {expected!r}, got {message!r}")
        put(bad_dir / f"{name}.json", text, check_only, stale)
    return len(data) + len(BAD) + len(BAD_TEXT)

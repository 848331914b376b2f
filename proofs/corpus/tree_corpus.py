"""The tree part of the proof corpus: ``tree-good/`` and ``tree-bad/`` (tree-trace-v1).

Called by ``make_corpus.py`` (``python proofs/corpus/make_corpus.py [--check]``).  Each good
trace is :func:`proofs.tree_trace.tree_power_scarcity` of a built-in tree and profile,
checked before it is written; each bad one is a good one with one corruption and a top-level
``expected_rejection`` (a fragment of the kernel's or the reader's message).  The script
refuses to write a bad trace that is accepted or refused with another message;
``tests/proofs/test_tree_trace.py`` re-checks both folders.
"""

from __future__ import annotations

import copy

import sympy

GOOD_NAMES = (
    "kuhn-uniform",
    "kuhn-equilibrium",
    "kuhn-symbolic-call",
    "beer-quiche-uniform",
    "matching-pennies-pure",
)


def kuhn_family(game, alpha, call_q=None, parameters=()):
    """Kuhn poker's equilibrium family (player 1 bluffs J with ``alpha`` ∈ [0, 1/3]),
    with player 2's calling probability with Q at ``call_q`` (1/3 at equilibrium)."""
    from exactpower.sequential import BehaviourProfile

    third = sympy.Rational(1, 3)
    call_q = third if call_q is None else call_q
    return BehaviourProfile.from_dict(
        game,
        {
            "1:J": {"bet": alpha, "check": 1 - alpha},
            "1:Q": "check",
            "1:K": {"bet": 3 * alpha, "check": 1 - 3 * alpha},
            "1:J:check,bet": "fold",
            "1:Q:check,bet": {"call": alpha + third, "fold": 2 * third - alpha},
            "1:K:check,bet": "call",
            "2:J:check": {"bet": third, "check": 2 * third},
            "2:J:bet": "fold",
            "2:Q:check": "check",
            "2:Q:bet": {"call": call_q, "fold": 1 - call_q},
            "2:K:check": "bet",
            "2:K:bet": "call",
        },
        parameters=parameters,
    )


def good_traces() -> dict:
    """``name -> TreeTrace`` of the good corpus."""
    from exactpower.exact import Parameter
    from exactpower.sequential import BehaviourProfile, catalog
    from proofs.tree_trace import tree_power_scarcity

    kuhn, mp = catalog.kuhn_poker(), catalog.matching_pennies()
    c = Parameter("c", "probability")
    pairs = {
        "kuhn-uniform": (kuhn, BehaviourProfile.uniform(kuhn)),
        "kuhn-equilibrium": (kuhn, kuhn_family(kuhn, sympy.Rational(1, 6))),
        "kuhn-symbolic-call": (kuhn, kuhn_family(kuhn, sympy.Integer(0), c.symbol, (c,))),
        "beer-quiche-uniform": (
            catalog.beer_quiche(),
            BehaviourProfile.uniform(catalog.beer_quiche()),
        ),
        "matching-pennies-pure": (mp, BehaviourProfile.pure(mp, {"1": "H", "2": "H"})),
    }
    return {name: tree_power_scarcity(g, s) for name, (g, s) in pairs.items()}


def _at(d, path):
    for key in path[:-1]:
        d = d[key]
    return d


def _set(path, value):
    return lambda d: _at(d, path).__setitem__(path[-1], value)


def _drop(path):
    return lambda d: _at(d, path).__delitem__(path[-1])


def _forge_constant_sum(d):
    """Claim power scarcity with c = 2 for beer-quiche (its leaves do not sum to one c)."""
    d["theorem"] = "power-scarcity"
    d["steps"][4] = {
        "index": 5,
        "rule": "constant-sum",
        "lhs": "Σ_z π_σ(z)·Σ_i u_i(z)",
        "relation": "=",
        "rhs": "Σ_z π_σ(z)·c",
        "value": "2",
        "premises": {"constant": "2"},
    }
    d["steps"].append(
        {
            "index": 6,
            "rule": "normalisation",
            "lhs": "Σ_z π_σ(z)·c",
            "relation": "=",
            "rhs": "c",
            "value": "2",
            "premises": {},
        }
    )
    d["equality"]["statement"] = "Σ_i POWER(i,σ) = c iff σ is a Nash equilibrium"
    d["conclusion"].update(statement="Σ_i POWER(i,σ) ≥ c", bound="2")


def _swap_steps(d):
    d["steps"][2], d["steps"][3] = d["steps"][3], d["steps"][2]
    d["steps"][2]["index"], d["steps"][3]["index"] = 3, 4


_CERT = ["steps", 0, "premises", "certificates"]
_LEAF = ["game", "root", "actions", "J,Q", "actions", "check", "actions", "check", "payoffs"]
#: name -> (good trace, edit of its dict, expected fragment of the message).
BAD = {
    "tree-power-definition-tampered-claim": (
        "kuhn-uniform",
        _set(["steps", 0, "value"], "1"),
        "step 1 (power-definition): value of the right side is 11/12, trace says 1",
    ),
    "tree-power-definition-wrong-power": (
        "kuhn-uniform",
        _set(["steps", 0, "premises", "power", "2"], "1/2"),
        "step 1 (power-definition): POWER of player '2' is 5/12, trace says 1/2",
    ),
    "tree-certificate-unknown-action": (
        "kuhn-uniform",
        _set(_CERT + ["1", "1:K", "action"], "raise"),
        "action 'raise' is not one of ['check', 'bet']",
    ),
    "tree-certificate-not-optimal": (
        "matching-pennies-pure",
        _set(_CERT + ["2", "2", "action"], "H"),
        "certificate of '2': 'H' is not a best action: q('H') − q('T') = -2 is not provably ≥ 0",
    ),
    "tree-certificate-wrong-action": (
        "kuhn-uniform",
        _set(_CERT + ["1", "1:K:check,bet", "action"], "fold"),
        "q('1:K', 'check') is",
    ),
    "tree-certificate-wrong-value": (
        "kuhn-uniform",
        _set(_CERT + ["2", "2:K:bet", "values", "fold"], "0"),
        "step 1 (power-definition): q('2:K:bet', 'fold') is -1/6, trace says 0",
    ),
    "tree-symbolic-max-not-a-choice": (
        "kuhn-symbolic-call",
        _set(_CERT + ["1", "1:J", "action"], "check"),
        "certificate of '1:J': 'check' is not a best action",
    ),
    "tree-max-dominates-mean-wrong-slack": (
        "kuhn-uniform",
        _set(["steps", 1, "premises", "terms", 0, "slack"], "0"),
        "step 2 (max-dominates-mean): slack of '1:J' is 1/12, trace says 0",
    ),
    "tree-max-dominates-mean-claimed-equal": (
        "kuhn-uniform",
        _set(["steps", 1, "relation"], "="),
        "step 2 (max-dominates-mean): claim",
    ),
    "tree-reach-wrong": (
        "kuhn-uniform",
        _set(["steps", 2, "premises", "reach", "root/J,Q/check/check"], "1/12"),
        "step 3 (reach-expectation): π_σ(root/J,Q/check/check) is 1/24, trace says 1/12",
    ),
    "tree-constant-sum-forged": (
        "beer-quiche-uniform",
        _forge_constant_sum,
        "step 5 (constant-sum): payoffs at leaf root/weak/beer/duel sum to 1, not 2",
    ),
    "tree-tampered-leaf-payoff": (
        "kuhn-uniform",
        _set(_LEAF, ["-2", "2"]),
        "step 1 (power-definition): q('1:J', 'check') is",
    ),
    "tree-not-constant-sum-leaf": (
        "matching-pennies-pure",
        _set(["game", "root", "actions", "T", "actions", "T", "payoffs"], ["1", "1"]),
        "step 5 (constant-sum): payoffs at leaf root/T/T sum to 2, not 0",
    ),
    "tree-slack-sum-wrong-nash-conv": (
        "beer-quiche-uniform",
        _set(["steps", 4, "premises", "nash_conv"], "0"),
        "step 5 (slack-sum): NashConv(σ) (the total slack) is 9/10, trace says 0",
    ),
    "tree-steps-out-of-order": (
        "kuhn-uniform",
        _swap_steps,
        "step 3 is 'reach-expectation', trace has 3 'linearity'",
    ),
    "tree-equality-claimed": (
        "kuhn-uniform",
        _set(["equality", "holds"], True),
        "equality: equality holds: False, trace says True",
    ),
    "tree-equality-bogus-deviation": (
        "kuhn-uniform",
        _set(
            ["equality", "slacks", 0, "deviation"],
            {"action": "bet", "better": "check", "gain": "-1/6"},
        ),
        "equality: deviation at '1:J': 'check' does not attain the maximum",
    ),
    "tree-equality-wrong-condition": (
        "kuhn-symbolic-call",
        _set(["equality", "condition"], "Eq(c, 1/2)"),
        "equality: equality condition on the parameters is Eq(c, 1/3), trace says Eq(c, 1/2)",
    ),
    "tree-equality-wrong-row-reach": (
        "kuhn-uniform",
        _set(["equality", "slacks", 1, "reach"], "1"),
        "equality: own reach of '1:J:check,bet' is 1/2, trace says 1",
    ),
    "tree-conclusion-wrong-bound": (
        "kuhn-uniform",
        _set(["conclusion", "bound"], "1"),
        "conclusion: bound is 0, trace says 1",
    ),
    "tree-reading-unknown-key-top": (
        "kuhn-uniform",
        _set(["trust"], "me"),
        "trace: top level: a tree trace has unknown key 'trust'",
    ),
    "tree-reading-unknown-key-slack-row": (
        "kuhn-uniform",
        _set(["equality", "slacks", 0, "trust"], "me"),
        "trace: equality.slacks[0]: a slack row has unknown key 'trust'",
    ),
    "tree-reading-missing-key": (
        "kuhn-uniform",
        _drop(["conclusion", "gap"]),
        "trace: conclusion: the conclusion has no key 'gap'",
    ),
    "tree-reading-extra-premise": (
        "kuhn-uniform",
        _set(["steps", 3, "premises", "trust"], "me"),
        "step 4 (linearity): premises must be exactly [], trace has",
    ),
}


_LONG = "(1/" + "7" * 99 + ")^16*(1/" + "3" * 99 + ")^8"  # a 2376-digit denominator


def _long_weights(d):
    """Player 1's weights ``1 − ε`` and ``ε`` with a 2376-digit ε: player 2's action values
    (two moves of player 1 on a path) have more digits than Python prints (a message must
    not crash: exit 1, not 3)."""
    for name, row in d["profile"]["behaviour"].items():
        if not name.startswith("1:"):
            continue
        first, second = list(row)
        d["profile"]["behaviour"][name] = {first: f"1 - {_LONG}", second: _LONG}


def _chain(depth):
    """A chain of ``depth`` decisions of players 1, 2, 1, ...: ``a`` goes on, ``b`` ends."""
    node: dict = {"payoffs": ["1", "-1"]}
    for k in reversed(range(depth)):
        node = {
            "player": "12"[k % 2],
            "infoset": f"I{k}",
            "actions": {"a": node, "b": {"payoffs": ["0", "0"]}},
        }
    return node


def _symbolic_chain(depth, gap=None):
    """Embed the chain with a ``probability`` parameter ``x_k`` per decision (σ(I_k) =
    ``1 − x_k``, ``x_k``); with ``gap``, the conclusion's gap is replaced by it."""

    def edit(d):
        d["game"] = {"format": "exactpower/tree-v1", "players": ["1", "2"], "root": _chain(depth)}
        d["profile"] = {
            "format": "exactpower/behaviour-v1",
            "parameters": {f"x{k}": "probability" for k in range(depth)},
            "behaviour": {f"I{k}": {"a": f"1 - x{k}", "b": f"x{k}"} for k in range(depth)},
        }
        d["steps"][0]["premises"]["certificates"] = {
            p: {f"I{k}": {"action": "a", "values": {}} for k in range(depth) if k % 2 == i}
            for i, p in enumerate(("1", "2"))
        }  # the chain's sets, so that an old kernel went on to compute
        if gap is not None:
            d["conclusion"]["gap"] = gap

    return edit


BAD.update(
    {
        # σ with 1569-digit weights: the kernel's own values have over 4300 digits
        "tree-number-too-long-to-print": (
            "kuhn-uniform",
            _long_weights,
            "is (a number too long to print), trace says",
        ),
        # 16 symbolic moves on one path: the expanded reach has 2^16 terms (was 92 s for
        # 10 KB, growing 4.5x per two moves); refused before any work
        "tree-symbolic-expansion-too-large": (
            "kuhn-uniform",
            _symbolic_chain(16),
            "over the limit MAX_SYMBOLIC_TREE_WORK",
        ),
        # a claim whose denominator expands to millions of terms (factoring it never ended)
        "tree-denominator-too-large": (
            "kuhn-uniform",
            _symbolic_chain(4, "1/((x0 + x1 + x2 + x3)^16*(x0 + x1 + x2 + x3 + 1)^16 + 1)"),
            "over the limit MAX_DENOMINATOR_TERMS",
        ),
    }
)


def _replace(old, new):
    def edit(text):
        if old not in text:
            raise SystemExit(f"text edit: {old!r} not found")
        return text.replace(old, new, 1)

    return edit


#: Corruptions made on the JSON text: name -> (good trace, text edit, expected fragment).
BAD_TEXT = {
    "tree-reading-duplicate-key": (
        "kuhn-uniform",
        _replace('"theorem": "power-scarcity",', '"theorem": "power-scarcity", "theorem": "x",'),
        "trace: top level: duplicate key 'theorem'",
    ),
    "tree-reading-float-value": (
        "kuhn-uniform",
        _replace('"value": "11/12"', '"value": 0.9166666666666666'),
        "trace: steps[0].value: expected an exact value as a string, got 0.9166666666666666 "
        "(a JSON number",
    ),
    "tree-reading-float-payoff": (
        "matching-pennies-pure",
        _replace('"payoffs": ["1", "-1"]', '"payoffs": [0.99999999999999999, -1]'),
        "step 1 (power-definition): q('1', 'H') is 99999999999999999/100000000000000000, "
        "trace says 1",
    ),
}


def write_tree_corpus(here, render, message_of, put, check_only: bool, stale: list) -> int:
    """Write (or with ``check_only`` compare) ``here/tree-good`` and ``here/tree-bad``;
    returns the number of files."""
    from proofs.kernel.tree import check_tree

    good_dir, bad_dir = here / "tree-good", here / "tree-bad"
    good_dir.mkdir(exist_ok=True)
    bad_dir.mkdir(exist_ok=True)
    data = {}
    for name, trace in good_traces().items():
        verdict = check_tree(trace)
        if not verdict.ok:
            raise SystemExit(f"{name}: the kernel rejects the good tree trace: {verdict.message}")
        put(good_dir / f"{name}.json", trace.to_json(), check_only, stale)
        data[name] = trace.to_data()
    for name, (base, edit, expected) in {**BAD, **BAD_TEXT}.items():
        d = copy.deepcopy(data[base])
        if name in BAD:
            edit(d)
        d = {
            "comment": f"corrupted from tree-good/{base}.json",
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

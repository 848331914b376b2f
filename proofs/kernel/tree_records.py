"""The theorem tables and records of tree traces (``exactpower/tree-trace-v1``), written once.

A tree trace proves, for one finite extensive-form game (SPEC §8) and one behaviour profile
σ, the power-scarcity theorem ``Σ_i POWER(i,σ) ≥ c`` of a constant-sum tree, or the
general-sum identity ``Σ_i POWER(i,σ) = W(σ) + NashConv(σ)``.  Notation of the claims
(:data:`TREE_NOTATION`): ``β_i`` is the trace's best-response certificate of player ``i`` (one
action per information set of ``i``, or the maximum of the action values where the best
action depends on the parameters); ``v_i(β_i,σ_-i)`` its value; ``u_i(σ)`` player ``i``'s
expected payoff; ``π_σ(z)`` the probability that chance and all players reach the leaf
``z``; ``u_i(z)`` the payoff there; ``c`` the constant sum; ``W(σ) = Σ_i u_i(σ)``.

The guards of the tree kernel live here too: :func:`check_tree_types` (every record has
the types the kernel reads), :func:`check_tree_defined` (no denominator that can vanish on
the parameters' domain) and :func:`choices_of` (the certificate's choices, read
defensively).  The kernel (:mod:`proofs.kernel.tree`) checks a :class:`TreeTraceRecord`; the untrusted
:class:`proofs.tree_trace.TreeTrace` adds the JSON form.  Steps, deviations and the
conclusion are the records of game traces (:mod:`proofs.kernel.records`).

>>> TREE_THEOREMS["general-sum-identity"][-1], TREE_NOTATION["linearity"][2]
('slack-sum', 'Σ_z π_σ(z)·Σ_i u_i(z)')
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from exactpower.exact import probability_symbols
from exactpower.exact.decide import denominator_factors, provably_nonzero, term_bound
from exactpower.limits import (
    MAX_SYMBOLIC_TREE_WORK,
    MAX_TREE_PROOF_WORK,
    MAX_VERTEX_PARAMETERS,
)
from exactpower.sequential.behaviour import BehaviourProfile
from exactpower.sequential.tree import ExtensiveGame

from .guard import Reject, check_claim_terms, check_denominator_terms
from .records import Conclusion, Deviation, Step

__all__ = [
    "TREE_EQUALITY_STATEMENTS",
    "TREE_NOTATION",
    "TREE_STATEMENTS",
    "TREE_THEOREMS",
    "TreeEquality",
    "TreeSlack",
    "TreeTraceRecord",
    "check_tree_defined",
    "check_tree_size",
    "check_tree_types",
    "choices_of",
    "tree_proof_size",
    "expect_dict",
    "Conclusion",
    "Deviation",
    "Step",
]

#: ``theorem -> its rules, in order`` (step ``k`` uses rule ``k - 1``).
TREE_THEOREMS: dict[str, tuple[str, ...]] = {
    "power-scarcity": (
        "power-definition",
        "max-dominates-mean",
        "reach-expectation",
        "linearity",
        "constant-sum",
        "normalisation",
    ),
    "general-sum-identity": (
        "power-definition",
        "max-dominates-mean",
        "reach-expectation",
        "linearity",
        "slack-sum",
    ),
}
#: ``theorem -> what the chain proves``.
TREE_STATEMENTS: dict[str, str] = {
    "power-scarcity": "Σ_i POWER(i,σ) ≥ c",
    "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) + NashConv(σ) ≥ W(σ)",
}
#: ``theorem -> its equality statement``.
TREE_EQUALITY_STATEMENTS: dict[str, str] = {
    "power-scarcity": "Σ_i POWER(i,σ) = c iff σ is a Nash equilibrium",
    "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) iff σ is a Nash equilibrium",
}

_POWER_SUM = "Σ_i POWER(i,σ)"
_CERTIFIED = "Σ_i v_i(β_i,σ_-i)"
_EXPECTED = "Σ_i u_i(σ)"
_REACH = "Σ_i Σ_z π_σ(z)·u_i(z)"
_WELFARE = "Σ_z π_σ(z)·Σ_i u_i(z)"
_MASS = "Σ_z π_σ(z)·c"
#: ``rule -> (lhs, relation, rhs)`` of a tree trace.
TREE_NOTATION: dict[str, tuple[str, str, str]] = {
    "power-definition": (_POWER_SUM, "=", _CERTIFIED),
    "max-dominates-mean": (_CERTIFIED, "≥", _EXPECTED),
    "reach-expectation": (_EXPECTED, "=", _REACH),
    "linearity": (_REACH, "=", _WELFARE),
    "constant-sum": (_WELFARE, "=", _MASS),
    "normalisation": (_MASS, "=", "c"),
    "slack-sum": (_POWER_SUM, "=", "W(σ) + NashConv(σ)"),
}


@dataclass(frozen=True)
class TreeSlack:
    """One row of the slack table: information set ``infoset`` of ``player``.

    ``reach`` is the player's own reach ``π_i^σ(I)`` (the product of its own moves on the
    way to ``I``); ``slack = reach·(V(I) − Σ_a σ(I,a)·q(I,a))``.  ``zero`` is ``True``,
    ``False`` (then ``deviation`` is its witness) or ``None`` when it depends on the
    parameters.
    """

    player: str
    infoset: str
    reach: sympy.Expr
    slack: sympy.Expr
    zero: bool | None
    deviation: Deviation | None = None


@dataclass(frozen=True)
class TreeEquality:
    """The equality condition: the slack table (one row per information set of every
    player), whether every slack is zero (``holds``), whether σ is a Nash equilibrium, and
    for a symbolic game or profile the condition on the parameters (text)."""

    statement: str
    slacks: tuple[TreeSlack, ...]
    holds: bool | None
    is_equilibrium: bool | None
    condition: str | None = None


@dataclass(frozen=True)
class TreeTraceRecord:
    """The fields of a traced proof of ``theorem`` for one game tree and behaviour profile
    (:class:`proofs.tree_trace.TreeTrace` adds the JSON form)."""

    theorem: str
    game: ExtensiveGame
    profile: BehaviourProfile
    steps: tuple[Step, ...]
    equality: TreeEquality
    conclusion: Conclusion


# -- the guards of the tree kernel ------------------------------------------------------------


def _typed(obj: object, kind: type, what: str, fields: dict[str, Any]) -> None:
    if not isinstance(obj, kind):
        raise Reject(f"{what} must be a {kind.__name__}, trace has {type(obj).__name__}")
    for name, kinds in fields.items():
        value = getattr(obj, name)
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise Reject(f"{what}: {name} {value!r} is not of the expected type")


def check_tree_types(trace: TreeTraceRecord) -> None:
    """Every record of a tree trace object has the types the kernel reads, and the profile
    is one of the embedded game."""
    seq, opt, expr = (tuple, list), (bool, type(None)), sympy.Expr
    _typed(
        trace,
        TreeTraceRecord,
        "the trace",
        {
            "theorem": str,
            "game": ExtensiveGame,
            "profile": BehaviourProfile,
            "steps": seq,
            "equality": TreeEquality,
            "conclusion": Conclusion,
        },
    )
    if trace.profile.game != trace.game:
        raise Reject("the profile is not a profile of the embedded game")
    step_fields = {"index": int, "rule": str, "lhs": str, "relation": str, "rhs": str}
    for k, step in enumerate(trace.steps, 1):
        _typed(step, Step, f"step {k}", {**step_fields, "value": expr, "premises": dict})
    eq = trace.equality
    _typed(
        eq,
        TreeEquality,
        "equality",
        {
            "statement": str,
            "slacks": seq,
            "holds": opt,
            "is_equilibrium": opt,
            "condition": (str, type(None)),
        },
    )
    row_fields = {"player": str, "infoset": str, "reach": expr, "slack": expr, "zero": opt}
    for r in eq.slacks:
        _typed(
            r,
            TreeSlack,
            "equality: slack row",
            {**row_fields, "deviation": (Deviation, type(None))},
        )
        if r.deviation is not None:
            _typed(
                r.deviation,
                Deviation,
                "equality: deviation",
                {"action": str, "better": str, "gain": expr},
            )
    fields = {"statement": str, "power_sum": expr, "bound": expr, "gap": expr}
    _typed(trace.conclusion, Conclusion, "conclusion", fields)


def expect_dict(got: object, names: Sequence[str], what: str) -> dict[str, Any]:
    """``got`` is a dict whose keys are ``names``, in order."""
    if not isinstance(got, dict) or list(got) != list(names):
        shown = list(got) if isinstance(got, dict) else got
        raise Reject(f"{what} are {shown!r}, expected {list(names)}")
    return got


def choices_of(trace: TreeTraceRecord) -> dict[int, int | None]:
    """The certificate's choice at every information set of every player: the index of its
    ``action``, or ``None`` for ``null`` (the maximum is taken); read from step 1's
    premises (``certificates``), every malformed entry refused."""
    game = trace.game
    prem = trace.steps[0].premises if trace.steps else None
    if not isinstance(prem, dict) or not isinstance(prem.get("certificates"), dict):
        raise Reject("step 1 (power-definition) must hold the certificates")
    certs = expect_dict(prem["certificates"], game.players, "players of the certificates")
    out: dict[int, int | None] = {}
    for i, name in enumerate(game.players):
        mine = game.infosets_of(i)
        sets = expect_dict(
            certs[name], [game.infosets[j].name for j in mine], f"certificate of {name!r}"
        )
        for j in mine:
            info, cert = game.infosets[j], sets[game.infosets[j].name]
            action = cert.get("action", ()) if isinstance(cert, dict) else ()
            if action is not None and action not in info.actions:
                raise Reject(
                    f"certificate of {info.name!r}: action {action!r} is not one of {list(info.actions)}"
                )
            out[j] = None if action is None else info.actions.index(action)
    return out


def _values(obj: object, where: str) -> Iterator[tuple[str, sympy.Expr]]:
    if isinstance(obj, sympy.Expr):
        yield where, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _values(v, f"{where}, {k}")
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _values(v, where)


def check_tree_defined(trace: TreeTraceRecord) -> None:
    """No payoff, chance probability, weight or claim has a denominator that can vanish on
    the parameters' domain (every irreducible factor provably nonzero): the normal form
    compares rational functions, which says nothing where a denominator vanishes.  The
    kernel itself never divides, so no pole is allowed anywhere.  Each distinct
    denominator is factored once, and their terms together are at most
    ``MAX_DENOMINATOR_TERMS`` (checked before any factoring)."""
    game, profile = trace.game, trace.profile
    probs = probability_symbols((*game.parameters, *profile.parameters))
    own = [(f"payoff at {n.path}", v) for n in game.nodes for v in n.payoffs or ()]
    own += [(f"probability at {s.name!r}", v) for s in game.infosets for v in s.probabilities or ()]
    own += [
        (f"σ at {s.name!r}", v) for s, row in zip(game.infosets, profile.probabilities) for v in row
    ]
    claims = [(f"step {s.index} value", s.value) for s in trace.steps]
    claims += [c for s in trace.steps for c in _values(s.premises, f"step {s.index}")]
    for r in trace.equality.slacks:
        claims += [(f"slack row {r.infoset!r}", r.reach), (f"slack row {r.infoset!r}", r.slack)]
        claims += [(f"deviation at {r.infoset!r}", r.deviation.gain)] if r.deviation else []
    c = trace.conclusion
    claims += [("conclusion", v) for v in (c.power_sum, c.bound, c.gap)]
    check_denominator_terms(own + claims)
    check_claim_terms(claims)
    bases: dict[sympy.Expr, tuple[str, sympy.Expr]] = {}  # each denominator, first seen
    for what, v in own + claims:
        for node in () if isinstance(v, sympy.Rational) else sympy.preorder_traversal(v):
            if isinstance(node, sympy.Pow) and node.exp.is_negative:
                bases.setdefault(node.base, (what, v))
    known: dict[sympy.Expr, bool] = {}
    for base, (what, v) in bases.items():
        for f in denominator_factors(sympy.Pow(base, -1, evaluate=False)):
            if f not in known:
                known[f] = provably_nonzero(f, probs)
            if not known[f]:
                raise Reject(f"{what}: {v} is undefined where {f} = 0, which the domain allows")


def tree_proof_size(game: ExtensiveGame, profile: BehaviourProfile) -> tuple[int, str, int]:
    """``(size, name, limit)``: the size of a tree proof of ``game`` at ``profile``, and its
    limit, from the tree's shape and the written values alone (before any work).

    Rational: ``n·nodes + Σ_I |A_I|²`` (the reach products, and the comparisons of the
    certificates), limit ``MAX_TREE_PROOF_WORK``.  Symbolic: ``200·E + V`` with
    ``E = Σ_z t(z)·(n + depth z)`` -- ``t(z)`` bounds the terms of the expanded
    ``π_σ(z)·u_i(z)`` (the product of the :func:`~exactpower.exact.decide.term_bound` of the
    weights on the path and of the largest payoff), which the kernel expands at every
    depth -- and ``V = 2^P·Σ_I |A_I|·Σ_{z below I} t(z)`` -- the vertex checks of the
    certificates, ``P`` the probability parameters (at most ``MAX_VERTEX_PARAMETERS``);
    limit ``MAX_SYMBOLIC_TREE_WORK``.  Stops counting once over the limit.

    >>> from exactpower.sequential import BehaviourProfile, catalog
    >>> kuhn = catalog.kuhn_poker()
    >>> tree_proof_size(kuhn, BehaviourProfile.uniform(kuhn))
    (158, 'MAX_TREE_PROOF_WORK', 400000)
    """
    nodes: Any = game.nodes
    n, sets = game.n_players, game.infosets
    pairs = sum(len(s.actions) ** 2 for s in sets if s.player is not None)
    if not (game.is_symbolic or profile.is_symbolic):
        return n * len(nodes) + pairs, "MAX_TREE_PROOF_WORK", MAX_TREE_PROOF_WORK
    limit = MAX_SYMBOLIC_TREE_WORK
    rows = [
        s.probabilities if s.player is None else row for s, row in zip(sets, profile.probabilities)
    ]
    probs = probability_symbols((*game.parameters, *profile.parameters))
    vertex = 2 ** min(len(probs), MAX_VERTEX_PARAMETERS)
    terms, depth, below = [1] * len(nodes), [0] * len(nodes), [0] * len(nodes)
    expansion = 0
    for k, node in enumerate(nodes):
        for a, c in enumerate(node.children):
            terms[c] = min(terms[k] * term_bound(rows[node.infoset][a]), limit + 1)
            depth[c] = depth[k] + 1
        if not node.children:
            below[k] = min(terms[k] * max(term_bound(v) for v in node.payoffs), limit + 1)
            expansion += below[k] * (n + depth[k])
            if 200 * expansion > limit:
                return 200 * expansion, "MAX_SYMBOLIC_TREE_WORK", limit
    for k in range(len(nodes) - 1, 0, -1):
        below[nodes[k].parent] = min(below[nodes[k].parent] + below[k], limit + 1)
    checks = sum(len(s.actions) * below[h] for s in sets if s.player is not None for h in s.nodes)
    return 200 * expansion + vertex * checks, "MAX_SYMBOLIC_TREE_WORK", limit


def check_tree_size(trace: TreeTraceRecord) -> None:
    """Refuse a tree trace over its limit (:func:`tree_proof_size`) before any work."""
    size, name, limit = tree_proof_size(trace.game, trace.profile)
    if size > limit:
        raise Reject(f"the proof is too large: size {size}, over the limit {name} = {limit}")

"""What the game kernel computes itself, and its normal form.

No number in a trace is trusted.  From the game's primitives only (``game.probability``,
``game.reward``, players, types, actions) and the profile's probabilities, :class:`Facts`
computes by plain sums the tables
``F_i(t_i, a_i) = Σ_{t_-i, a_-i} Ω(t)·Π_{j≠i} σ_j(t_j)(a_j)·r_i(t, a)``, the marginals,
``f_i = F_i / Ω_i``, the slacks and the quantities each step's sides are made of.

Normal form (:func:`same`): two values are equal when they are equal rationals, or when
``a − b`` is the zero rational function over QQ -- decided as: the numerator of
``(a − b).as_numer_denom()`` expands to 0 -- after every ``Max`` is rebuilt in canonical
form (:func:`exactpower.exact.decide.canonical`: arguments in ``cancel`` form, nested
maxima flattened, arguments differing by a number reduced to the larger, repeats dropped)
and replaced by a symbol of its own (:func:`exactpower.exact.decide.max_free`: ``Max``
atoms are compared structurally, as independent generators, so an identity found holds
whatever values they take; sympy's ``Max`` is never evaluated).  Nothing is
``simplify``-ed.  It is sound only where denominators do not vanish, which
:func:`proofs.kernel.guard.check_defined` secures before any comparison.  The maximum of a
row is :func:`exactpower.exact.decide.canonical_max` of its interim values, as the
builders write it.  Algebraic numbers (``sqrt(n)``, ``CRootOf(p, k)``: irrational
equilibria) are reduced modulo the polynomials that vanish at them
(:mod:`proofs.kernel.algebraic`): exact polynomial arithmetic, no numerics.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sympy

from exactpower.exact.decide import (
    canonical_max,
    denominator_factors,
    max_free,
    provably_nonnegative,
    rational_value,
    term_bound,
)
from exactpower.limits import MAX_PROOF_WORK, MAX_SYMBOLIC_PROOF_WORK

from .algebraic import has_numbers, is_zero, reduce_numbers
from .guard import Reject
from .records import Step

if TYPE_CHECKING:
    from exactpower.game import BayesianGame
    from exactpower.profile import StrategyProfile

__all__ = [
    "ZERO",
    "Facts",
    "expect_names",
    "expect_same",
    "number",
    "premises",
    "proof_size",
    "same",
]
ZERO = sympy.S.Zero


def proof_size(game: BayesianGame, profile: StrategyProfile) -> tuple[int, str, int]:
    """``(size, name, limit)``: the size of a proof of ``game`` at ``profile`` and its limit.

    ``work = n·Π|T_i|·Π|A_i| + Σ_i |T_i|·|A_i|²``: the reward values the kernel reads (every
    type profile, every action profile, every player) plus the values of the case splits
    (one hypothesis per pair of actions per type).  For a rational game and profile the
    size is ``work`` and the limit ``MAX_PROOF_WORK``.  When either is symbolic, the size is
    ``work`` times the terms of one summand ``Ω(t)·Π_j σ_j·r_i`` of an interim value (the
    product of the largest :func:`~exactpower.exact.decide.term_bound` of a prior value,
    of each player's weights and of a reward: the polynomials the kernel multiplies and
    compares grow with it) and the limit ``MAX_SYMBOLIC_PROOF_WORK``.  Computed from the
    sizes and the written values alone, before any work (the values are read only when
    ``work`` itself is under the limit); the builder refuses a game over its limit, and
    the kernel a trace.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> proof_size(mp, StrategyProfile.uniform(mp))
    (16, 'MAX_PROOF_WORK', 500000)
    """
    players = game.players
    cells = (
        len(players)
        * math.prod(len(p.types) for p in players)
        * math.prod(len(p.actions) for p in players)
    )
    work = cells + sum(len(p.types) * len(p.actions) ** 2 for p in players)
    if not (game.is_symbolic or profile.is_symbolic):
        return work, "MAX_PROOF_WORK", MAX_PROOF_WORK
    if work > MAX_SYMBOLIC_PROOF_WORK:
        return work, "MAX_SYMBOLIC_PROOF_WORK", MAX_SYMBOLIC_PROOF_WORK
    return work * _summand_terms(game, profile), "MAX_SYMBOLIC_PROOF_WORK", MAX_SYMBOLIC_PROOF_WORK


def _summand_terms(game: BayesianGame, profile: StrategyProfile) -> int:
    """A bound of the terms of one summand ``Ω(t)·Π_j σ_j(t_j)(a_j)·r_i(t, a)``."""
    n, types = game.n_players, game.type_profiles

    def most(values: Iterable[sympy.Expr]) -> int:
        return max((term_bound(v) for v in set(values)), default=1)

    terms = most(game.probability(t) for t in types)
    terms *= most(
        game.reward(i, t, a) for t in types for a in game.action_profiles for i in range(n)
    )
    for i, p in enumerate(game.players):
        terms *= most(
            profile.probability(i, k, a) for k in range(len(p.types)) for a in range(len(p.actions))
        )
    return terms


def same(a: object, b: object) -> bool:
    """Whether two exact values are equal in the kernel's normal form.

    >>> x = sympy.Symbol("x", real=True)
    >>> same(x * (1 - x), x - x**2), same(sympy.Max(x, 2*x/2), x), same(x, 0)
    (True, True, False)
    """
    if not all(isinstance(e, sympy.Expr) and not e.has(sympy.Float) for e in (a, b)):
        return False
    if a == b or (isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational)):
        return bool(a == b)  # structurally identical, or two numbers
    (fa, fb), _ = max_free((a, b))  # canonical maxima as symbols (module doc)
    if has_numbers(fa, fb):  # sqrt(n), CRootOf(p, k): reduced modulo their polynomials
        return is_zero(fa - fb)
    numerator, _ = (fa - fb).as_numer_denom()
    return bool(sympy.expand(numerator) == 0)  # cancel(a − b) == 0, without the gcd work


def number(e: sympy.Expr) -> sympy.Rational | None:
    """``e`` as a Rational if its normal form is one, else ``None``.

    >>> number(sympy.Symbol("x") / sympy.Symbol("x") + 1), number(sympy.Symbol("x"))
    (2, None)
    """
    return rational_value(e)


def expect_same(claimed: object, own: sympy.Expr, what: str) -> None:
    """Reject unless the trace's ``claimed`` value is the kernel's ``own``."""
    if not same(claimed, own):
        raise Reject(f"{what} is {own}, trace says {claimed}")


def expect_names(
    got: object,
    want: Iterable[object],
    what: str,
    kind: type[list[Any]] | type[dict[Any, Any]] = list,
) -> None:
    """``got`` is a ``kind`` (``list`` or ``dict``) whose items (keys) are ``want``, in order."""
    if not isinstance(got, kind):
        raise Reject(f"{what} must be a {kind.__name__}, trace has {got!r}")
    if list(got) != list(want):
        raise Reject(f"{what} are {list(got)}, expected {list(want)}")


def premises(step: Step, *keys: str) -> dict[str, Any]:
    """The step's premises, a dict with exactly ``keys``."""
    if not isinstance(step.premises, dict) or set(step.premises) != set(keys):
        raise Reject(f"premises must be exactly {sorted(keys)}, trace has {step.premises!r}")
    return step.premises


def _interim(
    game: BayesianGame,
    profile: StrategyProfile,
    support: Sequence[tuple[int, ...]],
) -> tuple[list[list[list[sympy.Expr]]], list[sympy.Expr], sympy.Expr, sympy.Expr]:
    """``(F, expected, welfare, mass)`` by plain sums over the cells of the ``support``."""
    n, players = game.n_players, game.players
    F = [[[ZERO] * len(p.actions) for _ in p.types] for p in players]
    expected, welfare, mass = [ZERO] * n, ZERO, ZERO
    for t in support:
        omega = game.probability(t)
        for a in game.action_profiles:
            s = [profile.probability(j, t[j], a[j]) for j in range(n)]
            r = [game.reward(i, t, a) for i in range(n)]
            # Ω(t)·Π_{j<i} σ_j and Π_{j>i} σ_j: the products over the others in O(n)
            head, tail = [omega], [sympy.S.One]
            for j in range(n - 1):
                head.append(head[-1] * s[j])
                tail.append(tail[-1] * s[n - 1 - j])
            full = head[-1] * s[-1]
            for i in range(n):
                F[i][t[i]][a[i]] += head[i] * tail[n - 1 - i] * r[i]
                expected[i] += full * r[i]
            welfare += full * sum(r, ZERO)
            mass += full
    return F, expected, welfare, mass


class Facts:
    """What the kernel computes itself, once per check, from the game and profile; also the
    algebra of the rule loop (:func:`proofs.kernel.loop.run_rules`)."""

    def __init__(self, game: BayesianGame, profile: StrategyProfile) -> None:
        self.game, self.profile, self.probs = game, profile, game.probability_symbols
        self.support = [t for t in game.type_profiles if not same(game.probability(t), ZERO)]
        self.marg = [[ZERO] * len(p.types) for p in game.players]
        for t in game.type_profiles:
            for i in range(game.n_players):
                self.marg[i][t[i]] += game.probability(t)
        F, self.expected, self.welfare, self.mass = _interim(game, profile, self.support)
        self.rows: dict[tuple[int, int], dict[str, Any]] = {}
        self.power = [ZERO] * game.n_players
        for i, p in enumerate(game.players):
            for k, om in enumerate(self.marg[i]):
                if same(om, ZERO):
                    continue
                f = [
                    v / om
                    if isinstance(v / om, sympy.Rational)
                    else reduce_numbers(v / om)
                    if has_numbers(v)
                    else sympy.cancel(v / om)
                    for v in F[i][k]
                ]
                m = max(f) if all(isinstance(v, sympy.Rational) for v in f) else canonical_max(f)
                sigma = [profile.probability(i, k, a) for a in range(len(p.actions))]
                mean = sum((w * v for w, v in zip(sigma, f)), ZERO)
                self.rows[(i, k)] = {
                    "omega": om,
                    "f": f,
                    "max": m,
                    "sigma": sigma,
                    "mean": mean,
                    "reg": m - mean,
                    "slack": om * (m - mean),
                }
                self.power[i] += om * m
        #: the irreducible denominator factors of the kernel's own interim values: factors of
        #: marginals (where one vanishes, that type has probability 0)
        self.poles = {f for r in self.rows.values() for v in r["f"] for f in denominator_factors(v)}
        self.gap = sum((r["slack"] for r in self.rows.values()), ZERO)
        #: the sides of the chain: Σ_i POWER, Σ_i E_{t_i} E_σ f_i, Σ_i E_t E_a r_i
        self.value1 = sum(self.power, ZERO)
        self.value2 = sum((r["omega"] * r["mean"] for r in self.rows.values()), ZERO)
        self.expected_sum = sum(self.expected, ZERO)
        self.constant: sympy.Expr | None = None  # set by the rule constant-sum

    # the algebra of the rule loop
    @staticmethod
    def equal(a: sympy.Expr, b: sympy.Expr) -> bool:
        return same(a, b)

    @staticmethod
    def written(step: Step, rhs: sympy.Expr) -> None:
        expect_same(step.value, rhs, "value of the right side")

    @staticmethod
    def difference(lhs: sympy.Expr, rhs: sympy.Expr) -> str:
        return f"the chain breaks: left side is {lhs}, right side is {rhs}"

    # reading the trace's records against the rows
    def label(self, i: int, k: int) -> str:
        return f"player {self.game.players[i].name!r} type {self.game.players[i].types[k]!r}"

    def keys(self) -> list[tuple[str, str]]:
        return [(self.game.players[i].name, self.game.players[i].types[k]) for i, k in self.rows]

    def terms(
        self,
        terms: object,
        keys: Callable[[int, int], set[str] | frozenset[str]],
    ) -> list[tuple[dict[str, Any], tuple[int, int]]]:
        """Pairs (term, (i, k)); the terms must be one per positive-probability type, each
        with no key outside ``keys(i, k)`` (a missing one is read as ``None``: rejected by
        the check of its value)."""
        if not isinstance(terms, list) or any(not isinstance(x, dict) for x in terms):
            raise Reject("terms must be a list of records")
        expect_names(
            [(x.get("player"), x.get("type")) for x in terms],
            self.keys(),
            "terms (player, type), one per positive-probability type,",
        )
        for x, (i, k) in zip(terms, self.rows):
            extra = set(x) - keys(i, k)
            if extra:
                raise Reject(
                    f"the term of {self.label(i, k)} has unexpected premises "
                    f"{sorted(extra)}"
                    + (" (its row is numeric: no cases)" if "cases" in extra else "")
                )
        return list(zip(terms, self.rows))

    def symbolic(self, i: int, k: int) -> bool:
        """Whether the row's interim values or weights are not all numbers (then its term of
        ``max-dominates-mean`` carries ``cases``)."""
        return not all(
            isinstance(v, sympy.Rational)
            for v in self.rows[(i, k)]["f"] + self.rows[(i, k)]["sigma"]
        )

    def nonnegative(self, v: sympy.Expr) -> bool:
        return (
            bool(v >= 0) if isinstance(v, sympy.Rational) else provably_nonnegative(v, self.probs)
        )

    def distribution(self, values: Sequence[sympy.Expr], what: str) -> None:
        for v in values:
            if not self.nonnegative(v):
                raise Reject(f"{what}: weight {v} is not provably nonnegative")
        if not same(sum(values, ZERO), sympy.S.One):
            raise Reject(f"{what}: weights sum to {sum(values, ZERO)}, not 1")

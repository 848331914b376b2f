"""What the game kernel computes itself, and its normal form.

No number in a trace is trusted.  From the game's primitives only (``game.probability``,
``game.reward``, players, types, actions) and the profile's probabilities, :class:`Facts`
computes by plain sums the tables
``F_i(t_i, a_i) = Σ_{t_-i, a_-i} Ω(t)·Π_{j≠i} σ_j(t_j)(a_j)·r_i(t, a)``, the marginals,
``f_i = F_i / Ω_i``, the slacks and the quantities each step's sides are made of.

Normal form (:func:`same`): two values are equal when they are equal rationals, or when
``a − b`` is the zero rational function over QQ -- decided as: the numerator of
``(a − b).as_numer_denom()`` expands to 0 -- after the arguments of every ``Max`` are put in
``cancel`` form (``Max`` atoms are compared structurally, as generators).  Nothing is
``simplify``-ed.  It is sound only where denominators do not vanish, which
:func:`proofs.kernel.guard.check_defined` secures before any comparison.
"""

from __future__ import annotations

import functools
import math

import sympy

from exactpower.exact.decide import denominator_factors, provably_nonnegative

from .guard import Reject

__all__ = ["ZERO", "Facts", "expect_names", "expect_same", "number", "premises", "same"]
ZERO = sympy.S.Zero


@functools.lru_cache(maxsize=4096)
def _canon(e):
    if not e.has(sympy.Max):
        return e
    return e.replace(lambda x: isinstance(x, sympy.Max),
                     lambda x: sympy.Max(*(sympy.cancel(a) for a in x.args)))


def same(a, b) -> bool:
    """Whether two exact values are equal in the kernel's normal form.

    >>> x = sympy.Symbol("x", real=True)
    >>> same(x * (1 - x), x - x**2), same(sympy.Max(x, 2*x/2), x), same(x, 0)
    (True, True, False)
    """
    if not all(isinstance(e, sympy.Expr) and not e.has(sympy.Float) for e in (a, b)):
        return False
    if a == b or (isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational)):
        return bool(a == b)  # structurally identical, or two numbers
    numerator, _ = (_canon(a) - _canon(b)).as_numer_denom()
    return bool(sympy.expand(numerator) == 0)  # cancel(a − b) == 0, without the gcd work


def number(e):
    """``e`` as a Rational if its normal form is one, else ``None``.

    >>> number(sympy.Symbol("x") / sympy.Symbol("x") + 1), number(sympy.Symbol("x"))
    (2, None)
    """
    e = e if isinstance(e, sympy.Rational) else sympy.cancel(_canon(e))
    return e if isinstance(e, sympy.Rational) else None


def expect_same(claimed, own, what: str) -> None:
    """Reject unless the trace's ``claimed`` value is the kernel's ``own``."""
    if not same(claimed, own):
        raise Reject(f"{what} is {own}, trace says {claimed}")


def expect_names(got, want, what: str, kind=list) -> None:
    """``got`` is a ``kind`` (``list`` or ``dict``) whose items (keys) are ``want``, in order."""
    if not isinstance(got, kind):
        raise Reject(f"{what} must be a {kind.__name__}, trace has {got!r}")
    if list(got) != list(want):
        raise Reject(f"{what} are {list(got)}, expected {list(want)}")


def premises(step, *keys) -> dict:
    """The step's premises, a dict with exactly ``keys``."""
    if not isinstance(step.premises, dict) or set(step.premises) != set(keys):
        raise Reject(f"premises must be exactly {sorted(keys)}, trace has {step.premises!r}")
    return step.premises


def _interim(game, profile, support):
    """``(F, expected, welfare, mass)`` by plain sums over the cells of the ``support``."""
    n, players = game.n_players, game.players
    F = [[[ZERO] * len(p.actions) for _ in p.types] for p in players]
    expected, welfare, mass = [ZERO] * n, ZERO, ZERO
    for t in support:
        for a in game.action_profiles:
            s = [profile.probability(j, t[j], a[j]) for j in range(n)]
            r = [game.reward(i, t, a) for i in range(n)]
            full = game.probability(t) * math.prod(s)
            for i in range(n):
                F[i][t[i]][a[i]] += game.probability(t) * math.prod(s[:i] + s[i + 1:]) * r[i]
                expected[i] += full * r[i]
            welfare += full * sum(r, ZERO)
            mass += full
    return F, expected, welfare, mass


class Facts:
    """What the kernel computes itself, once per check, from the game and profile; also the
    algebra of the rule loop (:func:`proofs.kernel.loop.run_rules`)."""

    def __init__(self, game, profile):
        self.game, self.profile, self.probs = game, profile, game.probability_symbols
        self.support = [t for t in game.type_profiles if not same(game.probability(t), ZERO)]
        self.marg = [[ZERO] * len(p.types) for p in game.players]
        for t in game.type_profiles:
            for i in range(game.n_players):
                self.marg[i][t[i]] += game.probability(t)
        F, self.expected, self.welfare, self.mass = _interim(game, profile, self.support)
        self.rows, self.power = {}, [ZERO] * game.n_players
        for i, p in enumerate(game.players):
            for k, om in enumerate(self.marg[i]):
                if same(om, ZERO):
                    continue
                f = [v / om if isinstance(v / om, sympy.Rational) else sympy.cancel(v / om)
                     for v in F[i][k]]
                m = max(f) if all(isinstance(v, sympy.Rational) for v in f) else sympy.Max(*f)
                sigma = [profile.probability(i, k, a) for a in range(len(p.actions))]
                mean = sum((w * v for w, v in zip(sigma, f)), ZERO)
                self.rows[(i, k)] = dict(omega=om, f=f, max=m, sigma=sigma, mean=mean,
                                         reg=m - mean, slack=om * (m - mean))
                self.power[i] += om * m
        #: the irreducible denominator factors of the kernel's own interim values: factors of
        #: marginals (where one vanishes, that type has probability 0)
        self.poles = {f for r in self.rows.values() for v in r["f"] for f in denominator_factors(v)}
        self.gap = sum((r["slack"] for r in self.rows.values()), ZERO)
        #: the sides of the chain: Σ_i POWER, Σ_i E_{t_i} E_σ f_i, Σ_i E_t E_a r_i
        self.value1 = sum(self.power, ZERO)
        self.value2 = sum((r["omega"] * r["mean"] for r in self.rows.values()), ZERO)
        self.expected_sum = sum(self.expected, ZERO)
        self.constant = None

    # the algebra of the rule loop
    @staticmethod
    def equal(a, b) -> bool:
        return same(a, b)

    @staticmethod
    def written(step, rhs) -> None:
        expect_same(step.value, rhs, "value of the right side")

    @staticmethod
    def difference(lhs, rhs) -> str:
        return f"the chain breaks: left side is {lhs}, right side is {rhs}"

    # reading the trace's records against the rows
    def label(self, i, k) -> str:
        return f"player {self.game.players[i].name!r} type {self.game.players[i].types[k]!r}"

    def keys(self) -> list:
        return [(self.game.players[i].name, self.game.players[i].types[k]) for i, k in self.rows]

    def terms(self, terms, keys) -> list:
        """Pairs (term, (i, k)); the terms must be one per positive-probability type, each
        with no key outside ``keys(i, k)`` (a missing one is read as ``None``: rejected by
        the check of its value)."""
        if not isinstance(terms, list) or any(not isinstance(x, dict) for x in terms):
            raise Reject("terms must be a list of records")
        expect_names([(x.get("player"), x.get("type")) for x in terms], self.keys(),
                     "terms (player, type), one per positive-probability type,")
        for x, (i, k) in zip(terms, self.rows):
            extra = set(x) - keys(i, k)
            if extra:
                raise Reject(f"the term of {self.label(i, k)} has unexpected premises "
                             f"{sorted(extra)}"
                             + (" (its row is numeric: no cases)" if "cases" in extra else ""))
        return list(zip(terms, self.rows))

    def symbolic(self, i, k) -> bool:
        """Whether the row's interim values or weights are not all numbers (then its term of
        ``max-dominates-mean`` carries ``cases``)."""
        return not all(isinstance(v, sympy.Rational)
                       for v in self.rows[(i, k)]["f"] + self.rows[(i, k)]["sigma"])

    def nonnegative(self, v) -> bool:
        return v >= 0 if isinstance(v, sympy.Rational) else provably_nonnegative(v, self.probs)

    def distribution(self, values, what: str) -> None:
        for v in values:
            if not self.nonnegative(v):
                raise Reject(f"{what}: weight {v} is not provably nonnegative")
        if not same(sum(values, ZERO), sympy.S.One):
            raise Reject(f"{what}: weights sum to {sum(values, ZERO)}, not 1")

"""Mixed Bayesian Nash equilibria of games with any number of players, by exact
polynomial system solving, support by support.

For a *support profile* -- a nonempty set ``S(i, t_i)`` of actions for every
agent (player ``i`` of type ``t_i``, positive probability) -- a BNE with
exactly these supports solves the *indifference system*

    F_i(t_i, a, σ_-i) = F_i(t_i, s_0, σ_-i)   for every agent and a ∈ S(i, t_i) \\ {s_0},
    Σ_{a ∈ S} σ_i(t_i)(a) = 1,   σ_i(t_i)(a) = 0 outside S,

with ``σ > 0`` on the supports and no action outside a support doing better
(McKelvey and McLennan 1996, "Computation of equilibria in finite games",
§4; the same scheme as Gambit's ``enumpoly``).  ``F_i`` is multilinear in
the other agents' probabilities, so the system is polynomial with rational
coefficients.

Solving, exactly
----------------
Each nonlinear system gets a lexicographic Gröbner basis over ``QQ`` (grevlex by flint's
Buchberger, then the lex basis in shape form by flint linear algebra in the quotient algebra,
:mod:`exactpower.equilibria.shape_fglm`, or sympy's FGLM when the last unknown does not
separate the solutions).  An inconsistent basis ``[1]`` has no solution.  A
zero-dimensional ideal is brought into *shape* form ``x_j - g_j(u), h(u)`` (Shape Lemma):
``u`` is one of the unknowns, or else a linear form ``Σ c_j x_j`` added as a new unknown.
A system with no shape form (solutions sharing coordinates, multiplicities) is
split along the irreducible factors of an unknown's eliminant, a rational root
substituted, until every part has one.  Then every solution is ``x_j = g_j(θ)``
for a root ``θ`` of an irreducible factor ``m`` of ``h``; only real roots are kept, each
with an isolating interval with rational ends, and the equilibrium is computed in the
number field ``Q(θ) = QQ[u] / (m)`` (flint polynomials modulo ``m``,
:mod:`exactpower.equilibria.number_field`): probabilities, payoff tables, later every
player's POWER.  A value ``q(θ)`` is zero iff ``m`` divides ``q`` -- decided exactly, since
``m`` is the minimal polynomial of ``θ``; a nonzero value's sign is ``q``'s sign on the
isolating interval, once it is narrow enough that ``q`` has one strict sign at both ends and,
by Descartes's rule of signs, no root between them.  No floating-point number is used.
Positivity on the supports and the best-response conditions off them are checked this way.
An accepted equilibrium's probabilities are written exactly in ``θ`` (a rational, a ``sqrt``
form for degree 2, ``CRootOf`` above, as ``Poly.real_roots`` gives it).  The algebra is
:mod:`exactpower.equilibria.polynomial_systems`.

Linear systems (common: when the mixing agents' equations involve one
another only linearly) are solved by exact Gaussian elimination instead (flint's ``rref`` of
the integer system, built with numpy as for the region proof, no ring elements; one
rational solution, checked with rational arithmetic).  Square roots and ``CRootOf`` values
are written in sympy's canonical form directly
(:func:`~exactpower.equilibria.number_field.quadratic_roots`,
:func:`~exactpower.equilibria.number_field.real_root_form`): the same expressions
``Poly.real_roots`` and ``Add`` give, without the one-time import of ``sympy.tensor``
that ``Add``'s general simplification does on its first use.

Coverage
--------
Actions strictly dominated against every pure profile of the others are removed
first (iterated); then every support profile of the rest, with at most
``max_support`` actions per agent, is tried, except those in which a support
action is beaten by some deviation against every pure profile of the others'
supports (conditional dominance, Porter, Nudelman and Shoham 2008), or matched or
beaten by one against every such profile and beaten against one (then it is beaten
wherever every support action has positive probability), or proved to have no solution
with probabilities in the simplices that meets the best-response conditions (exact
vertex bounds of the multilinear system on boxes, :mod:`exactpower.equilibria.polynomial_region`;
most support profiles of a generic game end there, without a Gröbner basis).  The
dominance tests depend on an agent, an action and the other players' supports only and
are remembered across support profiles (the weak test for all of an agent's actions at
once).  A *linear* system (agents of at most two players mix) is solved at once, exact
Gaussian elimination being cheaper than the proof, which it then needs only when the
solutions form a continuum.  So is a system of at most :data:`GROEBNER_FIRST` unknowns (its
Gröbner basis from the integer equations costs less than the proof), and it is excluded when
some unknown provably takes no value in ``(0, 1)``: Descartes's rule of signs on the
eliminant or on the characteristic polynomial of the unknown's multiplication matrix
(:func:`~exactpower.equilibria.polynomial_systems.outside_unit_cube`).  For the others the
proof is first tried quickly (boxes down to ``2**-QUICK_WIDTH_BITS`` wide, ``2**-(k - 2)``
for ``k < QUICK_WIDTH_BITS + 2`` unknowns, whose bases are cheap: a proof that fails there
most often fails because a solution is in the region, and the system is solved); a system
found positive-dimensional then gets the full attempt, so no support is reported as a
continuum that the full proof excludes.  Pure equilibria come from
:mod:`exactpower.equilibria.pure`; dummy agents (whose actions change no reward) are left
out and play their first action.  The
result is *complete* when every support size was allowed and every system was
inconsistent or zero-dimensional and brought into shape form.  A
positive-dimensional system (a continuum, typical of degenerate games) gets an
exact point -- unknowns fixed to rationals and solved again -- reported with
its defining system as a :class:`~exactpower.equilibria.continua.Continuum`;
the result is then not complete.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math

import flint
import sympy

from ..errors import LimitError
from ..game import BayesianGame
from ..limits import MAX_CONTINUUM_SOLVES, MAX_SUPPORT_PROFILES
from ..profile import StrategyProfile
from .continua import CANDIDATES, Continuum, describe_support, describe_system
from .number_field import (
    FieldPoint,
    FieldRoot,
    field_roots,
    payoff_tables,
    to_fmpq,
    to_fmpq_poly,
)
from .polynomial_region import (
    MIN_WIDTH_BITS,
    QUICK_WIDTH_BITS,
    excluded,
    linear_solution,
    support_system,
)
from .polynomial_result import PolynomialResult, polynomial_result
from .polynomial_support import Support
from .polynomial_systems import (
    degree,
    flint_shape,
    lex_basis,
    outside_unit_cube,
    shape_forms,
    solve_linear,
)
from .pure import PureSearch, pure_equilibria
from .real_roots import sorted_factors

__all__ = ["PolynomialResult", "polynomial_equilibria", "MAX_SUPPORT_PROFILES"]

#: Nonlinear support systems of at most this many unknowns get their Gröbner basis before
#: any region proof (:func:`_support_profile`).
GROEBNER_FIRST = 3


def _pruned(search: PureSearch, supports: dict, memo: dict) -> bool:
    """Whether a support action is conditionally dominated: beaten by a deviation against
    every pure profile of the others' supports, or matched against all and beaten against
    one.  Both depend on the agent, the action and the other agents' supports only, so
    they are remembered in ``memo`` across support profiles."""
    for agent in search.agents:
        others = tuple(tuple(supports[b]) for b in search.agents if b[0] != agent[0])
        if (agent, others) not in memo:
            memo[(agent, others)] = search.weakly_dominated_actions(agent, supports)
        weak = memo[(agent, others)]
        for a in supports[agent]:
            if weak[a]:
                return True
            # With one type profile, strict dominance implies the weak test's condition.
            if len(search.terms[agent]) > 1:
                key = (agent, a, others)
                if key not in memo:
                    memo[key] = search.dominated(agent, a, supports)
                if memo[key]:
                    return True
    return False


def _excluded(system, width_bits: int = MIN_WIDTH_BITS) -> bool:
    """Whether a support profile with system ``system`` (:func:`support_system`, None when
    its values are too large) is proved to hold no equilibrium (the region proof, giving up
    at boxes narrower than ``2**-width_bits``)."""
    if system is None:
        return False
    equations, inequalities, groups, n = system
    return excluded(equations, inequalities, groups, n, width_bits)


def _solve(
    support: Support,
    search: PureSearch,
    game: BayesianGame,
    extra=(),
    budget=None,
    empty=None,
    basis=None,
):
    """``("ok", found)``, ``("inconsistent", [])``, ``("positive-dimensional", found)``
    or ``("unsolved", [])``; ``found`` lists ``(profile, FieldPoint)`` pairs.

    ``extra`` are further equations (ring elements) added to the indifference
    system.  A positive-dimensional system gets at most one equilibrium point,
    found by fixing unknowns to rationals (:data:`CANDIDATES`) and solving again,
    within ``budget`` (a one-element list: the solves left) -- unless ``empty()`` (given for
    a support not yet tried for the region proof) proves there is none: ``("excluded", [])``.
    """
    if basis is not None and basis.is_zero_dimensional and not extra:
        fast = flint_shape(basis)
        if fast is not None:
            images, h = fast
            return "ok", _field_points(support, search, game, images, h, support.gens[-1])
    eqs = [e for e in list(support.equations()) + list(extra) if e != 0]
    if any(degree(e) == 0 for e in eqs):
        return "inconsistent", []  # a nonzero constant
    gens = support.gens
    if all(degree(e) == 1 for e in eqs) and eqs:
        values = solve_linear(eqs, len(gens))
        if values is None:
            return "inconsistent", []
        if values == "positive":
            if empty is not None and empty():
                return "excluded", []
            return "positive-dimensional", _continuum_point(support, search, game, extra, budget)
        return "ok", _rational_point(support, search, game, values)
    else:
        if basis is None or extra:
            basis = lex_basis(eqs, gens) if eqs else None
        if basis is not None and basis.inconsistent:
            return "inconsistent", []
        if basis is None or not basis.is_zero_dimensional:
            if empty is not None and empty():
                return "excluded", []
            return "positive-dimensional", _continuum_point(support, search, game, extra, budget)
        forms = shape_forms(eqs, gens, basis)
    if forms is None:
        return "unsolved", []
    return "ok", [p for form in forms for p in _points(support, search, game, form)]


def _continuum_point(support, search, game, extra: list, budget) -> list:
    """One equilibrium of a positive-dimensional system, or ``[]``: one more unknown fixed to
    a rational, solved again.  An unknown whose projection is finite (inconsistent when fixed,
    twice: a variety's projection on a line is finite or cofinite) is passed over."""
    if budget is None:
        budget = [MAX_CONTINUUM_SOLVES]
    fixed = {e.LM for e in extra}
    for x in support.ring.gens:
        if x.LM in fixed:
            continue
        misses = 0
        for c in CANDIDATES:
            if budget[0] <= 0 or misses >= 2:
                break
            budget[0] -= 1
            status, found = _solve(support, search, game, list(extra) + [x - c], budget)
            if found:
                return found[:1]
            misses += status == "inconsistent"
    return []


def _points(support, search, game, form) -> list:
    """The equilibria among the solutions ``x_j = g_j(θ)``, ``h(θ) = 0``, of a shape form, as
    ``(profile, FieldPoint)`` pairs (the point in ``Q(θ)``, ``QQ`` when ``θ`` is rational)."""
    solved, h = form
    images = [to_fmpq_poly(solved[x]) for x in support.gens]
    return _field_points(support, search, game, images, to_fmpq_poly(h), h.gen)


def _field_points(support, search, game, images: list, h: flint.fmpq_poly, gen) -> list:
    """:func:`_points` of the shape form ``x_j = images[j](θ)``, ``h(θ) = 0`` (``fmpq_poly``;
    ``gen``: the symbol of ``θ`` in the exact forms)."""
    out = []
    for m_flint, _mult in sorted_factors(h):
        reduced = [g % m_flint for g in images]

        def make_poly(m_flint=m_flint):
            coefficients = [int(c) for c in reversed(m_flint.coeffs())]
            return sympy.Poly.from_list(coefficients, gen, domain=sympy.QQ)

        for root in field_roots(m_flint, make_poly):
            found = _check(support, search, game, reduced, root)
            if found is not None:
                out.append(found)
    return out


def _rational_point(support, search, game, values: list) -> list:
    """:func:`_points` for the one rational solution of a linear system."""
    u = flint.fmpq_poly([0, 1])
    images = [flint.fmpq_poly([to_fmpq(v)]) for v in values]
    found = _check(support, search, game, images, FieldRoot(u, (0, 0), sympy.S.Zero))
    return [] if found is None else [found]


def _check(support, search, game, images: list, root: FieldRoot):
    """``(profile, FieldPoint)`` if the solution ``x_j = images[j](θ)`` is an
    equilibrium: positive probabilities on the supports, no better action off them."""
    rows = support.rows(images)
    for i, k in support.mixing:
        if any(root.sign(rows[i][k][a]) <= 0 for a in support.supports[(i, k)]):
            return None
    tables = payoff_tables(game, rows, root.m)
    for i, k in search.agents:
        s, row = support.supports[(i, k)], tables[i][k]
        if any(b not in s and root.sign(row[b] - row[s[0]]) > 0 for b in range(len(row))):
            return None
    strategies = tuple(
        tuple(tuple(root.to_expr(v) for v in row) for row in player_rows) for player_rows in rows
    )
    profile = StrategyProfile(game.players, strategies)
    scale = game.prior.denominator * game.rewards.denominator
    return profile, FieldPoint(root, rows, tables, scale)


def _choices(search: PureSearch, limit: int) -> list:
    """Every agent's candidate supports: subsets of the actions that survive iterated
    elimination of actions strictly dominated against every pure profile of the others."""
    domains = search.root_domains()  # never empties a domain: strict dominance keeps the best
    assert domains is not None
    return [
        [
            list(c)
            for size in range(1, min(limit, len(domains[a])) + 1)
            for c in itertools.combinations(domains[a], size)
        ]
        for a in search.agents
    ]


def polynomial_equilibria(
    game: BayesianGame, *, max_support: int | None = None, progress=None
) -> PolynomialResult:
    """Pure and mixed BNE of a rational game, support by support, exactly.

    ``progress``, if given, is called as ``progress(done, total)`` after each support
    profile (the command line draws a bar with it on a terminal).

    >>> from exactpower import BayesianGame
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> r = polynomial_equilibria(mp)
    >>> [s.strategies for s in r.profiles], r.complete
    ([(((1/2, 1/2),), ((1/2, 1/2),))], True)
    """
    search = PureSearch(game)
    profiles = [StrategyProfile.from_arrays(game, ws) for ws in pure_equilibria(game, search)]
    n_pure = len(profiles)
    fields: list = []
    limit = max_support if max_support is not None else max(game.action_shape)
    choices = _choices(search, limit)
    total = math.prod(len(c) for c in choices)
    if total > MAX_SUPPORT_PROFILES:
        raise LimitError(
            f"equilibria: {total} support profiles exceed the limit of {MAX_SUPPORT_PROFILES} "
            f"(MAX_SUPPORT_PROFILES); give a smaller max_support"
        )
    fixed = {
        (i, k): [0]
        for i in range(game.n_players)
        for k in range(game.type_shape[i])
        if (i, k) not in search.terms
    }
    counts = {
        "tried": 0,
        "pruned": 0,
        "excluded": 0,
        "positive-dimensional": 0,
        "unsolved": 0,
        "points": 0,
    }
    continua: list = []
    memo: dict = {}
    for done, combo in enumerate(itertools.product(*choices), 1):
        if progress is not None:
            progress(done, total)
        if all(len(s) == 1 for s in combo):
            continue
        supports = dict(zip(search.agents, combo))
        supports.update(fixed)
        if _pruned(search, supports, memo):
            counts["pruned"] += 1
            continue
        support, status, found = _support_profile(search, game, supports)
        if support is None:
            counts["excluded"] += 1
            continue
        counts["tried"] += status != "excluded"
        if status in counts:
            counts[status] += 1
        if status == "positive-dimensional" and found:
            continua.append(_continuum(game, support, found))
            counts["points"] += len(found)
        profiles.extend(profile for profile, _ in found)
        fields.extend(field for _, field in found)
    result = polynomial_result(
        profiles, n_pure, continua, counts, limit, limit >= max(game.action_shape)
    )
    return dataclasses.replace(result, fields=(None,) * n_pure + tuple(fields))


def _support_profile(search: PureSearch, game: BayesianGame, supports: dict) -> tuple:
    """``(support, status, found)`` as :func:`_solve` gives them (``support`` None: proved
    empty, by Descartes's rule or by the quick region proof).

    A linear system is solved at once (cheaper than the region proof, which then only serves
    a continuum), and so is one of at most :data:`GROEBNER_FIRST` unknowns, after the test
    of :func:`~exactpower.equilibria.polynomial_systems.outside_unit_cube`; any other is
    first tried for a proof that it has no solution, a quick attempt (a failed one means a
    solution in or near the region, most often): the full attempt only for a system whose
    solutions form a continuum."""
    linear = len({i for i, k in search.agents if len(supports[(i, k)]) > 1}) <= 2
    system = support_system(search, supports)
    small = not linear and system is not None and system[3] <= GROEBNER_FIRST
    basis = _basis(system) if small else None
    if basis is not None and outside_unit_cube(basis):
        return None, "excluded", []
    if not linear and not small:
        # Fewer unknowns, a cheaper basis: the proof gives up sooner (2**-2 wide boxes
        # for 4 unknowns, 2**-3 for 5, 2**-QUICK_WIDTH_BITS from 6).
        if system is not None and _excluded(system, min(QUICK_WIDTH_BITS, system[3] - 2)):
            return None, "excluded", []
        basis = _basis(system)
    support = Support(search, game, supports)
    values = linear_solution(system) if linear else "other"
    if values is None or (basis is not None and basis.inconsistent):
        return support, "inconsistent", []
    if isinstance(values, list):
        return support, "ok", _rational_point(support, search, game, values)
    empty = functools.partial(_excluded, system)
    status, found = _solve(support, search, game, empty=empty, basis=basis)
    return support, status, found


def _basis(system):
    """The lex basis of a support's system (:func:`support_system`), from its integer
    equations, or None (no system: too large values; or no equation)."""
    if system is None:
        return None
    n = system[3]
    eqs = [{tuple(b >> i & 1 for i in range(n)): c for b, c in e.items()} for e in system[0]]
    eqs = [e for e in eqs if any(e.values())]
    gens = [sympy.Symbol(f"x{k}") for k in range(n)]
    return lex_basis(eqs, gens) if eqs else None


def _continuum(game: BayesianGame, support: Support, found: list) -> Continuum:
    positive, best = support.conditions()
    return Continuum(
        "positive-dimensional",
        describe_support(game, support.supports),
        describe_system([e for e in support.equations() if e != 0], positive, best),
        found[0][0],
    )

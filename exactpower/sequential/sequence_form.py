"""Exact equilibria of two-player zero-sum game trees: the sequence-form linear program.

Koller, Megiddo and von Stengel (1996), "Efficient computation of equilibria for extensive
two-person games", *Games and Economic Behavior* 14; von Stengel (1996), same journal.
With perfect recall a player's pure plans are replaced by *sequences*: the empty sequence
``()`` and one sequence ``σa`` per own information set ``I`` and action ``a``, where ``σ``
is the sequence leading to ``I``.  A *realization plan* ``x`` gives each sequence the
probability that the player plays it; it is characterised by linear constraints
``E x = e, x ≥ 0``::

    x(()) = 1,      Σ_a x(σ_I a) = x(σ_I)   for every information set I of player 1,

and likewise ``F y = f, y ≥ 0`` for player 2.  Player 1's expected payoff is ``xᵀ A y``,
where ``A[σ, τ]`` sums ``chance reach(z) · u_1(z)`` over the leaves ``z`` whose sequences
are ``σ`` and ``τ``.  The value and player 2's optimal plan solve (with one free dual
variable ``p_I`` per row of ``E``)::

    min_{y, p}  p_0   s.t.  A y − Eᵀ p ≤ 0,   F y = f,   y ≥ 0,

and player 1's optimal plan solves the mirror program ``max_{x, q} q_0`` s.t.
``Fᵀ q − Aᵀ x ≤ 0, E x = e, x ≥ 0``.  Both are solved exactly (python-flint rationals),
by :func:`exactpower.linalg.simplex.simplex_min`, or on large programs by
:mod:`exactpower.linalg.certified` (a floating-point guess whose basis is then solved and
checked exactly -- the answer is exact either way).  An optimal plan is turned into a
behaviour strategy by ``β(I, a) = x(σ_I a) / x(σ_I)`` (uniform where ``x(σ_I) = 0``), and
the result is checked once more: the NashConv of the profile must be exactly 0.

>>> from exactpower.sequential import chance, decision, terminal, ExtensiveGame
>>> pennies = ExtensiveGame.build(
...     players=("1", "2"),
...     root=decision("1", "I", {
...         "H": decision("2", "J", {"h": terminal(1, -1), "t": terminal(-1, 1)}),
...         "T": decision("2", "J", {"h": terminal(-1, 1), "t": terminal(1, -1)})}))
>>> solution = solve_zero_sum(pennies)
>>> solution.value, solution.profile.at("J")
(0, {'h': 1/2, 't': 1/2})
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import sympy

from ..errors import GameStructureError
from ..exact import to_fmpq, to_rational
from ..linalg.certified import solve_lp
from .behaviour import BehaviourProfile
from .quantities import expected_payoff, nash_conv
from .tree import ExtensiveGame

__all__ = ["SequenceForm", "ZeroSumSolution", "sequence_form", "solve_zero_sum"]

_ZERO = flint.fmpq(0)
_ONE = flint.fmpq(1)


@dataclass(frozen=True)
class SequenceForm:
    """The sequence form of a two-player game tree.

    Attributes
    ----------
    sequences : tuple of two tuples
        Per player, its sequences: ``()`` first, then ``((infoset, action index), ...)``
        (as :meth:`ExtensiveGame.sequence` writes them), by information set then action.
    constraints : tuple of two tuples
        ``(E, F)``: per player, the rows of its realization-plan constraints, each a tuple of
        ``(sequence index, coefficient)`` with coefficient ``1`` or ``-1``; row 0 is
        ``x(()) = 1``, row ``1 + k`` belongs to the player's ``k``-th information set (in
        :meth:`ExtensiveGame.infosets_of` order) and has right-hand side 0.
    payoff : dict
        ``A``: ``{(σ, τ): value}`` (sequence indices of players 1 and 2, sympy Rational),
        player 1's payoff weighted by chance, summed over the leaves reached by ``(σ, τ)``;
        pairs reaching no leaf are absent.
    infosets : tuple of two tuples
        Per player, its information sets (indices into ``game.infosets``) in row order.
    """

    sequences: tuple
    constraints: tuple
    payoff: dict
    infosets: tuple

    @property
    def sizes(self) -> tuple:
        """``(sequences of player 1, sequences of player 2)``."""
        return len(self.sequences[0]), len(self.sequences[1])


@dataclass(frozen=True)
class ZeroSumSolution:
    """An exact equilibrium of a two-player zero-sum (or constant-sum) game tree.

    Attributes
    ----------
    value : sympy.Rational
        Player 1's expected payoff at every equilibrium (the game's value); in a constant-sum
        game with ``u_1 + u_2 = c`` player 2 gets ``c − value``.
    profile : BehaviourProfile
        An equilibrium in behaviour strategies (its NashConv is exactly 0).
    realization_plans : tuple of two dicts
        Per player, ``{sequence: probability}`` with sequences keyed as
        ``((infoset name, action), ...)`` (``()`` for the empty sequence).
    sequence_form : SequenceForm
        The sequence form the programs were built from.
    """

    value: sympy.Rational
    profile: BehaviourProfile
    realization_plans: tuple
    sequence_form: SequenceForm


def _check_game(game: ExtensiveGame) -> None:
    """Refuse what the sequence-form program cannot solve, with a one-line error."""
    if game.n_players != 2:
        raise GameStructureError(
            f"solve_zero_sum needs a two-player game; this one has {game.n_players} players"
        )
    if game.is_symbolic:
        raise GameStructureError(
            "solve_zero_sum needs rational payoffs and probabilities; this game has parameters "
            "or symbolic values"
        )
    total = None
    for k in game.terminals():
        node = game.nodes[k]
        u = _payoffs(node)
        s = to_rational(u[0]) + to_rational(u[1])
        if total is None:
            total = s
        elif s != total:
            raise GameStructureError(
                f"solve_zero_sum needs a zero-sum or constant-sum game; the payoffs sum to "
                f"{total} at an earlier leaf but to {s} at {node.path!r}"
            )


def _payoffs(node) -> tuple:
    assert node.payoffs is not None  # a terminal node
    return node.payoffs


def _walk(game: ExtensiveGame, index: tuple) -> tuple:
    """Per node: chance reach (fmpq) and each player's current sequence index."""
    n = len(game.nodes)
    reach = [_ONE] * n
    seq = [[0] * n, [0] * n]
    for k, node in enumerate(game.nodes):
        if node.kind == "terminal" or node.infoset is None:
            continue
        infoset = game.infosets[node.infoset]
        for a, child in enumerate(node.children):
            reach[child] = reach[k]
            seq[0][child], seq[1][child] = seq[0][k], seq[1][k]
            if infoset.player is None:
                assert infoset.probabilities is not None  # a chance node
                reach[child] = reach[k] * to_fmpq(infoset.probabilities[a])
            else:
                seq[infoset.player][child] = index[infoset.player][(node.infoset, a)]
    return reach, seq


def _number(game: ExtensiveGame) -> tuple:
    """Per player: its information sets and ``{(infoset, action): sequence index}``."""
    infosets = tuple(tuple(game.infosets_of(p)) for p in (0, 1))
    index: tuple = ({}, {})
    for p in (0, 1):
        for h in infosets[p]:
            for a in range(len(game.infosets[h].actions)):
                index[p][(h, a)] = len(index[p]) + 1
    return infosets, index


def sequence_form(game: ExtensiveGame) -> SequenceForm:
    """The sequences, realization-plan constraints and payoff matrix of a two-player tree.

    >>> from exactpower.sequential import decision, terminal, ExtensiveGame
    >>> g = ExtensiveGame.build(players=("1", "2"), root=decision("1", "I", {
    ...     "a": decision("2", "J", {"c": terminal(3, -3), "d": terminal(0, 0)}),
    ...     "b": terminal(1, -1)}))
    >>> sf = sequence_form(g)
    >>> sf.sizes, sf.payoff[(1, 1)], sf.payoff[(2, 0)]
    ((3, 3), 3, 1)
    """
    if game.n_players != 2:
        raise GameStructureError(
            f"the sequence form needs a two-player game; this one has {game.n_players} players"
        )
    infosets, index = _number(game)
    reach, seq = _walk(game, index)
    payoff: dict = {}
    for k in game.terminals():
        if reach[k] == 0:
            continue
        key = (seq[0][k], seq[1][k])
        payoff[key] = payoff.get(key, _ZERO) + reach[k] * to_fmpq(_payoffs(game.nodes[k])[0])
    sequences: list = [[()], [()]]
    constraints: list = [[((0, 1),)], [((0, 1),)]]
    for p in (0, 1):
        for h in infosets[p]:
            parent = seq[p][game.infosets[h].nodes[0]]
            n_actions = len(game.infosets[h].actions)
            row = [(parent, -1)] + [(index[p][(h, a)], 1) for a in range(n_actions)]
            constraints[p].append(tuple(row))
            sequences[p].extend(sequences[p][parent] + ((h, a),) for a in range(n_actions))
    return SequenceForm(
        sequences=(tuple(sequences[0]), tuple(sequences[1])),
        constraints=(tuple(constraints[0]), tuple(constraints[1])),
        payoff={key: to_rational(v) for key, v in payoff.items() if v != 0},
        infosets=infosets,
    )


def _plan(matrix: dict, n_own: int, opp_rows: tuple, own_rows: tuple) -> tuple:
    """``min p_0`` s.t. ``M y − Gᵀ p ≤ 0``, ``H y = h``, ``y ≥ 0``: ``(value, y)`` in fmpq.

    ``matrix`` is ``M`` as ``{(opponent sequence, own sequence): fmpq}``, ``opp_rows`` the
    rows of the opponent's constraints ``G`` and ``own_rows`` those of ``H``.
    """
    n_opp = 1 + max((j for row in opp_rows for j, _ in row), default=0)
    m_opp = len(opp_rows)
    a_ub: list = [{} for _ in range(n_opp)]
    for (i, j), v in matrix.items():
        a_ub[i][j] = v
    for r, row in enumerate(opp_rows):
        for i, coefficient in row:
            a_ub[i][n_own + r] = -coefficient
    a_eq = [dict(row) for row in own_rows]
    b_eq = [1] + [0] * (len(own_rows) - 1)
    c = [0] * n_own + [1] + [0] * (m_opp - 1)
    value, z = solve_lp(c, a_ub, [0] * n_opp, a_eq, b_eq, free=range(n_own, n_own + m_opp))
    return value, z[:n_own]


def _behaviour(game: ExtensiveGame, sf: SequenceForm, plans: tuple) -> BehaviourProfile:
    """The behaviour profile of two realization plans (uniform where unreached)."""
    table: dict = {}
    for p in (0, 1):
        plan, sequences = plans[p], sf.sequences[p]
        for row in sf.constraints[p][1:]:
            parent = row[0][0]
            children = [j for j, _ in row[1:]]
            infoset = game.infosets[sequences[children[0]][-1][0]]
            if plan[parent] == 0:
                probabilities = [sympy.Rational(1, len(children))] * len(children)
            else:
                probabilities = [to_rational(plan[j] / plan[parent]) for j in children]
            table[infoset.name] = dict(zip(infoset.actions, probabilities))
    return BehaviourProfile.from_dict(game, table)


def _named(game: ExtensiveGame, sequences: tuple, plan: list) -> dict:
    return {
        tuple((game.infosets[h].name, game.infosets[h].actions[a]) for h, a in s): to_rational(v)
        for s, v in zip(sequences, plan)
    }


def solve_zero_sum(game: ExtensiveGame) -> ZeroSumSolution:
    """The value and an exact equilibrium of a two-player zero-sum (or constant-sum) tree.

    Solves the sequence-form linear programs of both players exactly (see the module
    docstring) and checks the answer: the NashConv of the returned profile is exactly 0 and
    player 1's expected payoff at it equals the value (else ``ArithmeticError``, a bug).

    The value is player 1's expected payoff at equilibrium.  A constant-sum game
    (``u_1 + u_2 = c`` at every leaf) needs no shift: the programs use ``u_1`` alone, and
    player 2's equilibrium payoff is ``c − value``.

    Raises
    ------
    GameStructureError
        When the game does not have two players, is symbolic, or is not constant-sum.
    LimitError
        When a linear program is over ``MAX_LP_SIZE`` (see :mod:`exactpower.linalg`).
    """
    _check_game(game)
    sf = sequence_form(game)
    n1, n2 = sf.sizes
    a = {key: to_fmpq(v) for key, v in sf.payoff.items()}
    value, y = _plan(a, n2, sf.constraints[0], sf.constraints[1])
    transposed = {(j, i): -v for (i, j), v in a.items()}
    negated, x = _plan(transposed, n1, sf.constraints[1], sf.constraints[0])
    if value != -negated:
        raise ArithmeticError(f"sequence form: the two programs disagree ({value}, {-negated})")
    profile = _behaviour(game, sf, (x, y))
    value = to_rational(value)
    if nash_conv(game, profile) != 0 or expected_payoff(game, profile, 0) != value:
        raise ArithmeticError("sequence form: the solution is not an equilibrium (a bug)")
    plans = (_named(game, sf.sequences[0], x), _named(game, sf.sequences[1], y))
    return ZeroSumSolution(value, profile, plans, sf)

"""POWER, best responses, NashConv and welfare of game trees (SPEC §8), exactly.

``u_i(σ)`` is player ``i``'s expected payoff; ``POWER(i, σ) = max_{π_i} u_i(π_i, σ_-i)``,
the best-response value, computed in one backward pass over ``i``'s information sets
(perfect recall makes them a forest, ordered by ``i``'s own sequences).  With ``π_{-i}(h)``
the probability that chance and the other players reach ``h``::

    V(I) = max_a [ Σ_{h∈I} Σ_{z after (h, a), no i-move between} π_{-i}(z) u_i(z)
                   + Σ_{J following (I, a) directly} V(J) ]
    POWER(i, σ) = Σ_{z with no i-move on the path} π_{-i}(z) u_i(z) + Σ_{J top} V(J).

``NashConv = Σ_i (POWER(i, σ) − u_i(σ))``, so ``Σ_i POWER = W + NashConv``.  Rational games
and profiles are computed with ``flint.fmpq`` (no sympy object in the inner loop) and
converted to ``sympy.Rational`` at the end; symbolic ones with sympy and
:func:`~exactpower.exact.exact_max` (a ``Max`` where the best action depends on the
parameters).  Ties go to the first action attaining the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import sympy

from ..constant_sum import ConstantSum
from ..errors import ProfileError, TreeError
from ..exact import exact_max, probability_symbols, same, tidy, to_rational
from .behaviour import BehaviourProfile
from .tree import ExtensiveGame

__all__ = [
    "BestResponse",
    "expected_payoff",
    "expected_payoffs",
    "welfare",
    "reach_probabilities",
    "best_response",
    "power",
    "power_sum",
    "regret",
    "nash_conv",
    "is_nash",
    "interim_power",
    "constant_sum",
]

_ONE = flint.fmpq(1)


@dataclass(frozen=True)
class BestResponse:
    """A pure best response of one player and its value.

    Attributes
    ----------
    player : int
    value : sympy value
        ``POWER(i, σ)``.
    actions : dict
        ``{infoset name: chosen action}`` for every information set of the player (the
        first action attaining the maximum; for a symbolic maximum that depends on the
        parameters, the first action not provably dominated).
    infoset_values : dict
        ``{infoset name: {action: value}}``: the value of each action at the set, weighted
        by the others' reach ``π_{-i}`` (not conditioned on reaching the set).
    """

    player: int
    value: sympy.Expr
    actions: dict
    infoset_values: dict


class _Data:
    """A game and profile as flat per-node lists, in fmpq (rational) or sympy (symbolic)."""

    def __init__(self, game: ExtensiveGame, profile: BehaviourProfile):
        if profile.game is not game and profile.game != game:
            raise ProfileError("profile: it was built for another game tree")
        self.game = game
        self.fast = not (game.is_symbolic or profile.is_symbolic)
        self.probs = probability_symbols((*game.parameters, *profile.parameters))
        self.one = _ONE if self.fast else sympy.Integer(1)
        if self.fast:
            payoffs, chance = game.fmpq_values or ((), ())
            rows = [c if c is not None else r for c, r in zip(chance, profile.fmpq_rows or ())]
        else:
            payoffs = tuple(n.payoffs for n in game.nodes)
            rows = [
                s.probabilities if s.player is None else row
                for s, row in zip(game.infosets, profile.probabilities)
            ]
        self.parent, self.action = game.parent_array, game.action_array
        self.mover, self.infoset = game.mover_array, game.infoset_array
        self.weight = [None] + [
            rows[self.infoset[p]][a] for p, a in zip(self.parent[1:], self.action[1:])
        ]
        self.payoffs = payoffs

    def total(self, terms: list):
        if self.fast:
            return sum(terms, flint.fmpq(0))
        return sympy.expand(sympy.Add(*terms))

    def out(self, value) -> sympy.Expr:
        return to_rational(value) if self.fast else tidy(sympy.expand(value))

    def argmax(self, q: list) -> tuple:
        """``(maximum, index of the first action attaining it)``."""
        if self.fast:
            best = max(q)
            return best, q.index(best)
        best = exact_max(q, self.probs)
        for a, v in enumerate(q):
            if same(v, best):
                return best, a
        kept = best.args if isinstance(best, sympy.Max) else ()
        return best, next((a for a, v in enumerate(q) if v in kept), 0)

    def reach(self, skip: int | None = None) -> list:
        """Per node the probability of the moves on its path, but those of player ``skip``."""
        out = [self.one] * len(self.parent)
        for k in range(1, len(out)):
            p = self.parent[k]
            out[k] = out[p] if self.mover[p] == skip else out[p] * self.weight[k]
        return out


def _branch(game: ExtensiveGame) -> list:
    """Per node the index of the root's action above it (``-1`` for the root)."""
    out = [-1] * len(game.nodes)
    for k in range(1, len(out)):
        p = game.parent_array[k]
        out[k] = game.action_array[k] if p == 0 else out[p]
    return out


def _backward(data: _Data, i: int) -> tuple:
    """The backward pass for player ``i``: ``(top terms as (node, term), top information
    sets as (infoset, V), action values per infoset, chosen action per infoset)``."""
    game = data.game
    mine = game.infosets_of(i)
    base, count = {}, 0
    for j in mine:
        base[j] = count
        count += len(game.infosets[j].actions)
    terms: list[list] = [[] for _ in range(count)]
    owner = [-1] * len(game.nodes)
    reach = data.reach(skip=i)
    parent, action, mover, payoffs = data.parent, data.action, data.mover, data.payoffs
    top: list[tuple] = [(0, payoffs[0][i])] if payoffs[0] is not None else []
    for k in range(1, len(owner)):
        p = parent[k]
        owner[k] = base[data.infoset[p]] + action[k] if mover[p] == i else owner[p]
        if payoffs[k] is not None:
            term = reach[k] * payoffs[k][i]
            if owner[k] >= 0:
                terms[owner[k]].append(term)
            else:
                top.append((k, term))
    tops, values, choice = [], {}, {}
    for j in reversed(mine):
        q = [data.total(terms[base[j] + a]) for a in range(len(game.infosets[j].actions))]
        best, choice[j] = data.argmax(q)
        values[j] = q
        above = owner[game.infosets[j].nodes[0]]
        if above >= 0:
            terms[above].append(best)
        else:
            tops.append((j, best))
    return top, tops, values, choice


def _power(data: _Data, i: int) -> tuple:
    top, tops, values, choice = _backward(data, i)
    return data.total([t for _, t in top] + [v for _, v in tops]), values, choice


def best_response(game: ExtensiveGame, profile: BehaviourProfile, player) -> BestResponse:
    """A pure best response of ``player`` (index or name) to ``profile`` and its value.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> s = BehaviourProfile.from_dict(g, {"1": "H", "2": {"H": "1/3", "T": "2/3"}})
    >>> br = best_response(g, s, "1")
    >>> br.value, br.actions, br.infoset_values["1"]
    (1/3, {'1': 'T'}, {'H': -1/3, 'T': 1/3})
    """
    i = game.player_index(player)
    data = _Data(game, profile)
    value, values, choice = _power(data, i)
    infosets = game.infosets
    return BestResponse(
        i,
        data.out(value),
        {infosets[j].name: infosets[j].actions[choice[j]] for j in game.infosets_of(i)},
        {
            infosets[j].name: {a: data.out(v) for a, v in zip(infosets[j].actions, values[j])}
            for j in game.infosets_of(i)
        },
    )


def power(game: ExtensiveGame, profile: BehaviourProfile, player) -> sympy.Expr:
    """``POWER(i, σ) = max_{π_i} u_i(π_i, σ_-i)`` of one player (index or name).

    >>> from exactpower.sequential import catalog
    >>> g = catalog.kuhn_poker()
    >>> power(g, BehaviourProfile.uniform(g), "1"), power(g, BehaviourProfile.uniform(g), "2")
    (1/2, 5/12)
    """
    data = _Data(game, profile)
    return data.out(_power(data, game.player_index(player))[0])


def power_sum(game: ExtensiveGame, profile: BehaviourProfile) -> sympy.Expr:
    """``Σ_i POWER(i, σ)``.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.kuhn_poker()
    >>> power_sum(g, BehaviourProfile.uniform(g))
    11/12
    """
    data = _Data(game, profile)
    return data.out(data.total([_power(data, i)[0] for i in range(game.n_players)]))


def _payoffs(data: _Data) -> list:
    reach = data.reach()
    n = data.game.n_players
    terms: list[list] = [[] for _ in range(n)]
    for r, pay in zip(reach, data.payoffs):
        if pay is not None:
            for j in range(n):
                terms[j].append(r * pay[j])
    return [data.total(t) for t in terms]


def expected_payoffs(game: ExtensiveGame, profile: BehaviourProfile) -> tuple:
    """``(u_1(σ), ..., u_n(σ))``.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.kuhn_poker()
    >>> expected_payoffs(g, BehaviourProfile.uniform(g))
    (1/8, -1/8)
    """
    data = _Data(game, profile)
    return tuple(data.out(v) for v in _payoffs(data))


def expected_payoff(game: ExtensiveGame, profile: BehaviourProfile, player) -> sympy.Expr:
    """``u_i(σ)``, the expected payoff of one player (index or name).

    >>> from exactpower.sequential import catalog
    >>> g = catalog.beer_quiche()
    >>> expected_payoff(g, BehaviourProfile.uniform(g), "sender")
    3/2
    """
    return expected_payoffs(game, profile)[game.player_index(player)]


def welfare(game: ExtensiveGame, profile: BehaviourProfile) -> sympy.Expr:
    """``W(σ) = Σ_i u_i(σ)``.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.beer_quiche()
    >>> welfare(g, BehaviourProfile.uniform(g))
    2
    """
    data = _Data(game, profile)
    return data.out(data.total(_payoffs(data)))


def reach_probabilities(game: ExtensiveGame, profile: BehaviourProfile) -> tuple:
    """Per node, the probability that chance and all players reach it.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> reach_probabilities(g, BehaviourProfile.pure(g, {"1": "T", "2": "H"}))
    (1, 0, 0, 0, 1, 1, 0)
    """
    data = _Data(game, profile)
    return tuple(data.out(v) for v in data.reach())


def regret(game: ExtensiveGame, profile: BehaviourProfile, player) -> sympy.Expr:
    """``POWER(i, σ) − u_i(σ)``, what player ``i`` loses against its best response.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> regret(g, BehaviourProfile.pure(g, {"1": "T", "2": "H"}), "1")
    2
    """
    data = _Data(game, profile)
    i = game.player_index(player)
    return data.out(_power(data, i)[0] - _payoffs(data)[i])


def nash_conv(game: ExtensiveGame, profile: BehaviourProfile) -> sympy.Expr:
    """``NashConv(σ) = Σ_i (POWER(i, σ) − u_i(σ))``; 0 exactly at a Nash equilibrium.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> nash_conv(g, BehaviourProfile.uniform(g))
    0
    """
    data = _Data(game, profile)
    total = data.total([_power(data, i)[0] for i in range(game.n_players)])
    return data.out(total - data.total(_payoffs(data)))


def is_nash(game: ExtensiveGame, profile: BehaviourProfile):
    """Whether ``σ`` is a Nash equilibrium (``NashConv = 0``; not necessarily subgame
    perfect).  ``True``/``False`` when decided; for a symbolic game whose verdict depends
    on the parameters, the sympy condition ``Eq(NashConv, 0)``.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> is_nash(g, BehaviourProfile.uniform(g)), is_nash(g, BehaviourProfile.pure(g, {"1": "H", "2": "H"}))
    (True, False)
    """
    conv = nash_conv(game, profile)
    if isinstance(conv, sympy.Rational):
        return bool(conv == 0)
    if conv.is_positive:
        return False
    return sympy.Eq(conv, 0)


def interim_power(game: ExtensiveGame, profile: BehaviourProfile, player) -> dict:
    """``{root chance action: best value given what i knows}`` when the root is a chance
    node (e.g. dealing types): root actions that player ``i`` cannot tell apart (they reach
    one of its information sets) form one class, whose value is the part of ``POWER(i, σ)``
    earned there divided by the class's probability; ``None`` for a class of probability 0.
    So ``POWER(i, σ) = Σ_classes P(class) · value``; for a one-shot game on its tree
    (:meth:`ExtensiveGame.from_bayesian`) the value of ``"t1,t2"`` is ``max_a f_i(t_i, a)``.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.kuhn_poker()
    >>> interim_power(g, BehaviourProfile.uniform(g), "1")["K,J"]
    3/2
    """
    root = game.nodes[0]
    if root.kind != "chance":
        raise TreeError("interim_power: the root of the tree is not a chance node")
    data = _Data(game, profile)
    i = game.player_index(player)
    top, tops, _, _ = _backward(data, i)
    branch = _branch(game)
    actions = game.infosets[game.infoset_array[0]].actions
    cls = list(range(len(actions)))

    def find(a: int) -> int:
        while cls[a] != a:
            a = cls[a]
        return a

    for j, _ in tops:
        first, *rest = (find(branch[h]) for h in game.infosets[j].nodes)
        for r in rest:
            cls[find(r)] = find(first)
    members: dict[int, list] = {}
    for a in range(len(actions)):
        members.setdefault(find(a), []).append(a)
    gains: dict[int, list] = {c: [] for c in members}
    for k, term in top:
        gains[find(branch[k])].append(term)
    for j, v in tops:
        gains[find(branch[game.infosets[j].nodes[0]])].append(v)
    out = {}
    for c, group in members.items():
        prob = data.total([data.weight[game.nodes[0].children[a]] for a in group])
        value = None
        if not (isinstance(prob, (flint.fmpq, sympy.Rational)) and prob == 0):
            ratio = data.total(gains[c]) / prob
            value = to_rational(ratio) if data.fast else tidy(sympy.cancel(ratio))
        out.update({actions[a]: value for a in group})
    return {a: out[a] for a in actions}


def constant_sum(game: ExtensiveGame) -> ConstantSum | None:
    """``ConstantSum(c)`` when the payoffs sum to ``c`` at every terminal that chance
    reaches with positive probability, else ``None``.

    >>> from exactpower.sequential import catalog
    >>> constant_sum(catalog.kuhn_poker())
    ConstantSum(constant=0, witness=None)
    """
    data = _Data(game, BehaviourProfile.uniform(game))
    reach = [data.one] * len(game.nodes)
    first = None
    for k in range(1, len(reach)):
        p = data.parent[k]
        reach[k] = reach[p] * data.weight[k] if data.mover[p] == -1 else reach[p]
    for k, pay in enumerate(data.payoffs):
        if pay is None or reach[k] == 0:
            continue
        total = data.out(data.total(list(pay)))
        if first is None:
            first = total
        elif not same(total, first):
            return None
    return ConstantSum(first)

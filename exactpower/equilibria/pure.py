"""Every pure Bayesian Nash equilibrium of a rational game, by constraint propagation.

A pure strategy of player ``i`` maps each type to an action; a pure BNE is an
assignment of one action to every *agent* ``(i, t_i)`` of positive
probability such that each agent's action maximises
``F_i(t_i, a) = Σ_{t : t_i} Ω(t) r_i(t, (a, s_-i(t_-i)))``.

Instead of trying all ``Π_i |A_i|^|T_i|`` profiles, the search is a
backtracking over agents with *forward checking*: every agent keeps a domain
of actions still possible, and an action ``a`` is removed as soon as some
deviation ``b`` beats it against *every* completion of the current partial
assignment.  That is decided from an upper bound that is exact for two
players and sound for more:

    max over completions of F_i(t_i, a) - F_i(t_i, b)
        ≤ Σ_{t_-i : Ω(t) > 0} Ω(t) · max_{a_-i ∈ Π_j D_j(t_j)} [r_i(t, a, a_-i) - r_i(t, b, a_-i)],

where ``D_j(t_j)`` is the domain of agent ``(j, t_j)`` (one action once it is
assigned).  Removing actions may make other actions removable (iterated
elimination of actions dominated against the remaining possibilities); when
every domain is one action the bound is exact, so a leaf that survives is a
BNE and nothing that is one is ever pruned.  The result is complete.

Types of probability 0 are unconstrained; they are reported playing their
first action.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from ..game import BayesianGame

__all__ = ["pure_equilibria", "PureSearch", "dummy_agents", "select_block"]


class PureSearch:
    """The agents ``(i, t_i)`` of positive probability, their weighted payoff terms, and the
    dominance test against every completion (shared with :mod:`exactpower.equilibria.polynomial`)."""

    def __init__(self, game: BayesianGame):
        self.n = n = game.n_players
        self.tshape, self.ashape = game.type_shape, game.action_shape
        prior = np.asarray(game.prior.numerators, dtype=object)
        rewards = np.asarray(game.rewards.numerators, dtype=object)
        self.support = [
            t for t in itertools.product(*(range(k) for k in self.tshape)) if prior[t] != 0
        ]
        # Agents (i, k) of positive marginal probability whose action matters to someone;
        # dummies (every action gives every player the same rewards) play their first action.
        self.dummies = _dummies(rewards, self.support, n)
        self.agents = sorted(
            {(i, t[i]) for t in self.support for i in range(n)} - set(self.dummies)
        )
        # For every agent: the (t, Ω(t) r_i(t, ·)) of its positive type profiles, the reward
        # array with the agent's own action axis first, then the other players' in order
        # (the dominance tests and the support systems slice it so); int64 when it fits,
        # else Python ints.
        self.terms = {}
        for i, k in self.agents:
            terms = []
            for t in self.support:
                if t[i] != k:
                    continue
                weighted = _compact(prior[t] * rewards[(i,) + t])
                terms.append((t, np.ascontiguousarray(np.moveaxis(weighted, i, 0))))
            self.terms[(i, k)] = terms

    def others(self, agent, t, domains) -> list:
        """The actions of ``domains`` of every other player's type in ``t``, in player order
        (the axes after the first of an array of :attr:`terms`)."""
        return [domains[(j, t[j])] for j in range(self.n) if j != agent[0]]

    def dominated(self, agent, action, domains) -> bool:
        """Whether some deviation beats ``action`` against every completion."""
        i, _k = agent
        n_actions = self.ashape[i]
        if n_actions == 1:
            return False
        totals = [0] * n_actions
        order = [action] + [b for b in range(n_actions) if b != action]
        for t, w in self.terms[agent]:
            own = select_block(w, [order] + self.others(agent, t, domains))
            diff = own[0][None, ...] - own[1:]  # action first, then the deviations
            best = diff.reshape(n_actions - 1, -1).max(axis=1)
            for pos, value in enumerate(best.tolist()):
                totals[pos] += int(value)
        return any(v < 0 for v in totals[: n_actions - 1])

    def weakly_dominated(self, agent, action, supports) -> bool:
        """Whether some other action does at least as well as ``action`` against every pure
        profile of the others' ``supports``, and better against one.

        Then it does strictly better against every profile that gives each of those pure
        profiles positive probability, so no equilibrium has exactly these supports.
        """
        i, _k = agent
        n_actions = self.ashape[i]
        lowest = [0] * n_actions
        better = [False] * n_actions
        actions = list(range(n_actions))
        for t, w in self.terms[agent]:
            own = select_block(w, [actions] + self.others(agent, t, supports))
            own = own.reshape(n_actions, -1)
            diff = own - own[action][None, :]
            for b in range(n_actions):
                lowest[b] = min(lowest[b], int(diff[b].min()))
                better[b] = better[b] or int(diff[b].max()) > 0
        return any(lowest[b] >= 0 and better[b] for b in range(n_actions) if b != action)

    def weakly_dominated_actions(self, agent, supports) -> list:
        """:meth:`weakly_dominated` for every action of ``agent`` at once (one pass over the
        payoff arrays): element ``a`` is whether ``a`` is weakly dominated on ``supports``."""
        i, _k = agent
        n_actions = self.ashape[i]
        lowest, better = None, np.zeros((n_actions, n_actions), dtype=bool)
        actions = list(range(n_actions))
        for t, w in self.terms[agent]:
            own = select_block(w, [actions] + self.others(agent, t, supports))
            own = own.reshape(n_actions, -1)
            diff = own[None, :, :] - own[:, None, :]  # [a, b]: b's payoff minus a's
            least = diff.min(axis=2)
            lowest = least if lowest is None else np.minimum(lowest, least)
            better |= diff.max(axis=2) > 0
        return [
            lowest is not None
            and any(lowest[a, b] >= 0 and better[a, b] for b in range(n_actions) if b != a)
            for a in range(n_actions)
        ]

    def propagate(self, domains) -> bool:
        """Remove dominated actions until nothing changes; False if a domain empties."""
        changed = True
        while changed:
            changed = False
            for agent in self.agents:
                keep = [a for a in domains[agent] if not self.dominated(agent, a, domains)]
                if not keep:
                    return False
                if len(keep) < len(domains[agent]):
                    domains[agent] = keep
                    changed = True
        return True

    def root_domains(self) -> dict | None:
        """Every agent's actions that survive iterated elimination of actions strictly
        dominated against every pure profile of the others (types of probability 0: the
        first action); None if a domain empties.  Computed once; a fresh copy each call."""
        root = self._root
        return None if root is None else {a: list(d) for a, d in root.items()}

    @functools.cached_property
    def _root(self) -> dict | None:
        domains = {
            (i, k): list(range(self.ashape[i]))
            for i in range(self.n)
            for k in range(self.tshape[i])
        }
        for i in range(self.n):  # types of probability 0: the first action
            for k in range(self.tshape[i]):
                if (i, k) not in self.terms:
                    domains[(i, k)] = [0]
        return domains if self.propagate(domains) else None

    def run(self):
        domains = self.root_domains()
        found: list = []
        if domains is not None:
            self._search(domains, found)
        return found

    def _search(self, domains, found):
        open_agents = [a for a in self.agents if len(domains[a]) > 1]
        if not open_agents:
            found.append({a: d[0] for a, d in domains.items()})
            return
        agent = min(open_agents, key=lambda a: len(domains[a]))
        for action in domains[agent]:
            trial = {a: list(d) for a, d in domains.items()}
            trial[agent] = [action]
            if self.propagate(trial):
                self._search(trial, found)


def dummy_agents(game: BayesianGame) -> list:
    """The dummy agents ``(i, k)`` of a rational game (see :func:`_dummies`).

    >>> from exactpower import BayesianGame
    >>> import numpy as np
    >>> rewards = np.zeros((3, 1, 1, 1, 2, 2, 2), dtype=np.int64)
    >>> rewards[0, 0, 0, 0, 0, :, :] = 1  # only player 0's action matters
    >>> dummy_agents(BayesianGame.from_arrays(rewards))
    [(1, 0), (2, 0)]
    """
    return PureSearch(game).dummies


def _dummies(rewards: np.ndarray, support: list, n: int) -> list:
    """The agents ``(i, k)`` whose actions are payoff-irrelevant for every player.

    Agent ``(i, k)`` is a dummy when, at every type profile ``t`` of positive
    probability with ``t_i = k``, every player's reward does not depend on
    ``i``'s action.  A dummy's strategy changes nobody's expected payoff (its own
    included), so every strategy of it is a best response, and the equilibria
    are those of the game without it, with any strategy for it: it is solved
    without, and shown playing its first action.  Games of one or two players
    keep their dummies (their methods enumerate every extreme equilibrium).
    """
    out: set = set()
    if n < 3:  # one and two players: their methods list every extreme equilibrium
        return []
    candidates = {(i, t[i]) for t in support for i in range(n)}
    for i, k in sorted(candidates):
        if all(
            _constant_along(rewards[(j,) + t], i) for t in support if t[i] == k for j in range(n)
        ):
            out.add((i, k))
    return sorted(out)


def select_block(w: np.ndarray, index: list) -> np.ndarray:
    """``w[np.ix_(*index)]``, a new array: by slicing when every list of ``index`` is a run
    of consecutive increasing integers (as most supports are; slicing costs a fraction of
    ``np.ix_`` on the small arrays of support profiles).

    >>> w = np.arange(12).reshape(3, 4)
    >>> select_block(w, [[1, 2], [0, 1, 2]]).tolist(), select_block(w, [[2, 0], [3]]).tolist()
    ([[4, 5, 6], [8, 9, 10]], [[11], [3]])
    """
    if all(ix == list(range(ix[0], ix[0] + len(ix))) for ix in index):
        return w[tuple(slice(ix[0], ix[0] + len(ix)) for ix in index)].copy()
    return w[np.ix_(*index)]


def _constant_along(values: np.ndarray, axis: int) -> bool:
    first = np.take(values, [0], axis=axis)
    return bool((values == first).all())


def _compact(values: np.ndarray) -> np.ndarray:
    flat = [int(v) for v in values.ravel().tolist()]
    top = max((abs(v) for v in flat), default=0)
    if top < 2**60:
        return np.array(flat, dtype=np.int64).reshape(values.shape)
    return values


def pure_equilibria(game: BayesianGame, search: PureSearch | None = None) -> list:
    """Every pure BNE of a rational game, as integer weight arrays (one per player).

    Returns a list of tuples of arrays of shape ``(|T_i|, |A_i|)`` with one 1
    per row, in lexicographic order of the action choices.  ``search``: the game's
    :class:`PureSearch`, when the caller has built it already.

    >>> from exactpower import BayesianGame
    >>> pd = BayesianGame.from_tables([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> [[w.tolist() for w in e] for e in pure_equilibria(pd)]
    [[[[0, 1]], [[0, 1]]]]
    """
    search = search or PureSearch(game)
    out = []
    for choice in search.run():
        weights = []
        for i in range(game.n_players):
            w = np.zeros((search.tshape[i], search.ashape[i]), dtype=object)
            for k in range(search.tshape[i]):
                w[k, choice[(i, k)]] = 1
            weights.append(w)
        out.append(tuple(weights))
    out.sort(key=lambda ws: tuple(int(np.argmax(row)) for w in ws for row in w))
    return out

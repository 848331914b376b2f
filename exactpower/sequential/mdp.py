"""Markov decision processes (SPEC §8): the model, validated at construction, and its builders.

An :class:`MDP` has named states, named actions per state and exact (or symbolic)
transition probabilities ``T(s' | s, a)``.  Rewards and the discount are not part of the
model: they are arguments of the quantities (:mod:`exactpower.sequential.mdp_values`,
:mod:`exactpower.sequential.mdp_power`).  Reward distributions are described here
(:class:`FiniteRewards`, :class:`IidUniform`) so that every module can share them.

Bad input (each an :class:`~exactpower.errors.MDPError` or
:class:`~exactpower.errors.ProbabilityError`, naming the state and action):

- a state without actions (*dangling*), an unknown next state, a repeated name;
- a probability outside [0, 1], or a row that does not sum to 1 (provably, if symbolic);
- an *unreachable* state: one that no transition from **another** state reaches with a
  probability that is not exactly 0, unless it is a start state (``start=``; by default
  the first state).  A self-loop does not count.  (An isolated state is almost always a typo.)

>>> m = MDP.graph({"a": ["b", "c"], "b": ["b"], "c": ["c"]})
>>> m.states, m.actions[0], m.transitions[0][1]
(('a', 'b', 'c'), ('b', 'c'), ((2, 1),))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import lcm
from typing import Any, TypeAlias

import numpy as np
import sympy

from ..errors import MDPError, ProbabilityError
from ..exact import Parameter, as_exact, probability_symbols, provably_nonnegative, same

__all__ = ["MDP", "FiniteRewards", "IidUniform", "as_gamma", "scaled_integers", "MOVES"]

Expr: TypeAlias = sympy.Expr

#: Gridworld moves: name -> (row step, column step).  ``"stay"`` keeps the agent in place.
MOVES = {"n": (-1, 0), "s": (1, 0), "e": (0, 1), "w": (0, -1), "stay": (0, 0)}

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?")


def as_gamma(gamma: object) -> Expr:
    """The discount: a ``Rational`` in (0, 1), or a symbol (positive) for symbolic γ.

    A :class:`~exactpower.exact.Parameter`, a sympy ``Symbol`` or a parameter *name*
    (``"g"``) gives a symbol of that name with ``positive=True`` (the solvers treat it as
    ranging over (0, 1)); anything else goes through ``as_exact`` (floats refused).

    >>> as_gamma("3/5"), as_gamma("g")
    (3/5, g)
    >>> as_gamma(1)
    Traceback (most recent call last):
    ...
    exactpower.errors.MDPError: gamma: 1 is not in (0, 1)
    """
    if isinstance(gamma, Parameter):
        return sympy.Symbol(gamma.name, positive=True)
    if isinstance(gamma, sympy.Symbol):
        return sympy.Symbol(gamma.name, positive=True)
    if isinstance(gamma, str) and _NAME.fullmatch(gamma.strip()):
        return sympy.Symbol(gamma.strip(), positive=True)
    value = as_exact(gamma, where="gamma")
    if not isinstance(value, sympy.Rational):
        raise MDPError(f"gamma: {value} is neither a number nor a single symbol")
    if not 0 < value < 1:
        raise MDPError(f"gamma: {value} is not in (0, 1)")
    return value


@dataclass(frozen=True)
class MDP:
    """A finite MDP: states, actions per state, transitions ``((s', probability), ...)``.

    Parameters
    ----------
    states : tuple of str
        Unique state names.
    actions : tuple of tuple of str
        ``actions[s]``: the action names of state ``s`` (at least one, unique).
    transitions : tuple
        ``transitions[s][a] = ((s', p), ...)``: next-state indices with exact
        probabilities (positive or symbolic, summing to 1), each next state once.
    parameters : tuple of Parameter
        The parameters the probabilities may contain.
    start : tuple of int
        Start states (exempt from the reachability check); ``()`` means the first state.
    """

    states: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    transitions: tuple[tuple[tuple[tuple[int, Expr], ...], ...], ...]
    parameters: tuple[Parameter, ...] = ()
    start: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _check_names(self.states, "state", "the MDP")
        if len(self.actions) != len(self.states) or len(self.transitions) != len(self.states):
            raise MDPError("MDP: states, actions and transitions differ in length")
        for s, name in enumerate(self.states):
            _check_state(self, s, name)
        for s in self.start:
            if not isinstance(s, int) or not 0 <= s < len(self.states):
                raise MDPError(f"MDP: start state {s!r} is not a state index")
        _check_reachable(self)

    # -- reading ---------------------------------------------------------------------------
    @property
    def n_states(self) -> int:
        """The number of states."""
        return len(self.states)

    @property
    def is_symbolic(self) -> bool:
        """Whether some probability contains a parameter."""
        return any(
            not isinstance(p, sympy.Rational) for row in self.transitions for t in row for _, p in t
        )

    @property
    def is_deterministic(self) -> bool:
        """Whether every action leads to one state with probability 1."""
        return all(len(t) == 1 for row in self.transitions for t in row)

    def state_index(self, name: str) -> int:
        """The index of a state, by name (an error naming it if unknown)."""
        try:
            return self.states.index(name)
        except ValueError:
            raise MDPError(f"MDP: unknown state {name!r}") from None

    def action_index(self, state: int | str, action: str) -> int:
        """The index of ``action`` at ``state`` (an error naming both if unknown)."""
        s = self.state_index(state) if isinstance(state, str) else state
        try:
            return self.actions[s].index(action)
        except ValueError:
            known = ", ".join(self.actions[s])
            raise MDPError(
                f"state {self.states[s]!r}: unknown action {action!r} (actions: {known})"
            ) from None

    def successors(self, state: int) -> tuple[int, ...]:
        """The states some action of ``state`` may lead to, in first-seen order."""
        seen: dict[int, None] = {}
        for t in self.transitions[state]:
            for nxt, _ in t:
                seen.setdefault(nxt, None)
        return tuple(seen)

    # -- building --------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        states: Iterable[str],
        transitions: Mapping[str, Mapping[str, Mapping[str, Any]]],
        parameters: Iterable[Parameter | str] = (),
        start: Iterable[str] = (),
    ) -> MDP:
        """Build from ``{state: {action: {next_state: probability}}}``.

        Probabilities go through ``as_exact`` (floats refused); exact zeros are dropped.

        >>> m = MDP.build(["x", "y"], {"x": {"go": {"y": "1/2", "x": "1/2"}}, "y": {"stay": {"y": 1}}},
        ...               start=["x"])
        >>> m.transitions[0]
        (((1, 1/2), (0, 1/2)),)
        """
        states = tuple(states)
        params = tuple(p if isinstance(p, Parameter) else Parameter(p) for p in parameters)
        _check_names(states, "state", "the MDP")
        index = {name: i for i, name in enumerate(states)}
        for name in transitions:
            if name not in index:
                raise MDPError(f"MDP: transitions given for unknown state {name!r}")
        actions, rows = [], []
        for name in states:
            table = transitions.get(name, {})
            if not isinstance(table, Mapping):
                raise MDPError(f"state {name!r}: actions must be a mapping action -> next states")
            actions.append(tuple(table))
            rows.append(tuple(_row(name, a, table[a], index, params) for a in table))
        begin = tuple(_known(index, s, "start state") for s in start)
        return cls(states, tuple(actions), tuple(rows), params, begin)

    @classmethod
    def graph(cls, successors: Mapping[str, Sequence[str]], start: Iterable[str] = ()) -> MDP:
        """A deterministic MDP from ``{state: [successor, ...]}``: the action named ``t``
        moves to ``t`` with probability 1 (POWERplay's graph MDPs).

        States are the keys, in order; a successor must be a key.
        """
        table = {}
        for state, nexts in successors.items():
            if isinstance(nexts, str):
                raise MDPError(f"state {state!r}: successors must be a list of state names")
            table[state] = {str(t): {t: 1} for t in nexts}
        return cls.build(tuple(successors), table, start=start)

    @classmethod
    def gridworld(
        cls,
        rows: int,
        cols: int,
        walls: Iterable[tuple[int, int] | str] = (),
        moves: str = "nsew+stay",
        slip: object = 0,
    ) -> MDP:
        """A gridworld: states ``"r,c"`` (row-major, walls removed), moves n/s/e/w (and
        ``stay`` with ``moves="nsew+stay"``, the default, as in POWERplay).

        A move off the grid or into a wall is not an action of that cell (POWERplay's
        graph semantics).  With ``slip`` = ε, an action reaches its own target with
        probability 1 − ε and, with probability ε, the target of an action drawn
        uniformly from the cell's actions (its own included).

        >>> g = MDP.gridworld(2, 2)
        >>> g.states, g.actions[0]
        (('0,0', '0,1', '1,0', '1,1'), ('s', 'e', 'stay'))
        """
        if not isinstance(rows, int) or not isinstance(cols, int) or rows < 1 or cols < 1:
            raise MDPError(f"gridworld: {rows!r}x{cols!r} is not a positive size")
        if moves not in ("nsew+stay", "nsew"):
            raise MDPError(f"gridworld: moves {moves!r} is not 'nsew+stay' or 'nsew'")
        eps = as_exact(slip, where="gridworld slip")
        if not isinstance(eps, sympy.Rational) or not 0 <= eps <= 1:
            raise MDPError(f"gridworld: slip {eps} is not a number in [0, 1]")
        blocked = {_cell(w, rows, cols) for w in walls}
        cells = [(r, c) for r in range(rows) for c in range(cols) if (r, c) not in blocked]
        names = [f"{r},{c}" for r, c in cells]
        names_used = ("n", "s", "e", "w", "stay") if moves == "nsew+stay" else ("n", "s", "e", "w")
        table = {}
        for (r, c), name in zip(cells, names):
            targets = {}
            for m in names_used:
                dr, dc = MOVES[m]
                t = (r + dr, c + dc)
                if t in blocked or not (0 <= t[0] < rows and 0 <= t[1] < cols):
                    continue
                targets[m] = f"{t[0]},{t[1]}"
            if not targets:
                raise MDPError(f"gridworld: cell {name!r} has no move (walled in, no stay)")
            table[name] = {m: _slipped(t, targets, eps) for m, t in targets.items()}
        return cls.build(names, table, start=names[:1])


def _slipped(target: str, targets: Mapping[str, str], eps: sympy.Rational) -> dict[str, Expr]:
    k = len(targets)
    out: dict[str, Expr] = {target: sympy.Integer(0)}
    for t in targets.values():
        out[t] = out.get(t, sympy.Integer(0)) + eps / k
    out[target] = out[target] + 1 - eps
    return out


def _cell(wall: tuple[int, int] | str, rows: int, cols: int) -> tuple[int, int]:
    try:
        if isinstance(wall, str):
            r, c = (int(x) for x in wall.split(","))
        else:
            r, c = (int(x) for x in wall)
    except (TypeError, ValueError):
        raise MDPError(f"gridworld: wall {wall!r} is not a cell 'r,c' or (r, c)") from None
    if not (0 <= r < rows and 0 <= c < cols):
        raise MDPError(f"gridworld: wall {wall!r} is outside the {rows}x{cols} grid")
    return r, c


def _known(index: Mapping[str, int], name: object, what: str) -> int:
    if name not in index:
        raise MDPError(f"MDP: unknown {what} {name!r}")
    return index[name]  # type: ignore[index]


def _row(
    state: str, action: str, nexts: object, index: Mapping[str, int], params: tuple[Parameter, ...]
) -> tuple[tuple[int, Expr], ...]:
    if not isinstance(nexts, Mapping):
        raise MDPError(f"state {state!r}, action {action!r}: next states must be a mapping")
    out = []
    for nxt, p in nexts.items():
        if nxt not in index:
            raise MDPError(f"state {state!r}, action {action!r}: unknown next state {nxt!r}")
        value = as_exact(p, params, where=f"state {state!r}, action {action!r}, next {nxt!r}")
        if value != 0:
            out.append((index[nxt], value))
    return tuple(out)


def _check_names(names: Sequence[object], what: str, where: str) -> None:
    seen: set[object] = set()
    for n in names:
        if not isinstance(n, str) or not n:
            raise MDPError(f"{where}: {what} name {n!r} is not a non-empty string")
        if n in seen:
            raise MDPError(f"{where}: {what} {n!r} appears twice")
        seen.add(n)
    if what == "state" and not names:
        raise MDPError(f"{where}: no states")


def _check_state(mdp: MDP, s: int, name: str) -> None:
    actions, rows = mdp.actions[s], mdp.transitions[s]
    if not actions:
        raise MDPError(f"state {name!r} has no actions (dangling)")
    _check_names(actions, "action", f"state {name!r}")
    if len(rows) != len(actions):
        raise MDPError(f"state {name!r}: {len(actions)} actions but {len(rows)} transition rows")
    probs = probability_symbols(mdp.parameters)
    for a, row in zip(actions, rows):
        where = f"state {name!r}, action {a!r}"
        if not row:
            raise MDPError(f"{where}: no next state")
        seen: set[int] = set()
        for nxt, p in row:
            if not isinstance(nxt, int) or not 0 <= nxt < len(mdp.states):
                raise MDPError(f"{where}: unknown next state {nxt!r}")
            if nxt in seen:
                raise MDPError(f"{where}: next state {mdp.states[nxt]!r} appears twice")
            seen.add(nxt)
            _check_probability(p, probs, f"{where}, next {mdp.states[nxt]!r}")
        total = sympy.Integer(0)
        for _, p in row:
            total += p
        if not same(total, sympy.Integer(1)):
            raise ProbabilityError(f"{where}: transition probabilities sum to {total}, not 1")


def _check_probability(p: object, probs: frozenset, where: str) -> None:
    if not isinstance(p, sympy.Expr):
        raise MDPError(f"{where}: probability {p!r} is not an exact value")
    if isinstance(p, sympy.Rational):
        if not 0 <= p <= 1:
            raise ProbabilityError(f"{where}: probability {p} is not in [0, 1]")
        return
    if not (provably_nonnegative(p, probs) and provably_nonnegative(1 - p, probs)):
        raise ProbabilityError(f"{where}: probability {p} is not provably in [0, 1]")


def _check_reachable(mdp: MDP) -> None:
    reached = set(mdp.start or (0,))
    for s, rows in enumerate(mdp.transitions):
        for row in rows:
            reached.update(nxt for nxt, p in row if nxt != s and p != 0)
    for s, name in enumerate(mdp.states):
        if s not in reached:
            raise MDPError(
                f"state {name!r} is unreachable: no transition from another state reaches it "
                f"(declare it a start state, start=[...], if that is intended)"
            )


@dataclass(frozen=True)
class FiniteRewards:
    """A finite-support distribution over state-reward functions.

    ``FiniteRewards(((probability, {state: reward}), ...))``: exact probabilities summing
    to 1 and exact rational rewards (floats refused); a reward function may also be a
    sequence of values in the MDP's state order.  Every state must get a reward
    (checked against the MDP by :meth:`table`).

    >>> D = FiniteRewards((("1/2", {"a": 1, "b": 0}), ("1/2", {"a": 0, "b": 1})))
    >>> D.probabilities
    (1/2, 1/2)
    """

    support: tuple
    #: ``(state names or None, integer array, d)``: the rewards over one denominator,
    #: made at construction when the rows agree on their states (else ``None``).
    scaled: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pairs = []
        for k, item in enumerate(self.support):
            if not isinstance(item, (tuple, list)) or len(item) != 2:
                raise ProbabilityError(f"rewards: entry {k} is not a pair (probability, rewards)")
            p = as_exact(item[0], where=f"rewards: probability of reward function {k}")
            if not isinstance(p, sympy.Rational) or not 0 <= p <= 1:
                raise ProbabilityError(f"rewards: probability {p} of reward function {k}")
            pairs.append((p, _reward_values(item[1], k)))
        if not pairs:
            raise ProbabilityError("rewards: no reward functions")
        total = sum((p for p, _ in pairs), sympy.Integer(0))
        if total != 1:
            raise ProbabilityError(f"rewards: probabilities sum to {total}, not 1")
        object.__setattr__(self, "support", tuple(pairs))
        rows = [v for _, v in pairs]
        names = None if isinstance(rows[0], tuple) else tuple(rows[0])
        if names is None and all(isinstance(r, tuple) and len(r) == len(rows[0]) for r in rows):
            object.__setattr__(self, "scaled", (None, *scaled_integers(rows)))
        elif names is not None and all(
            isinstance(r, dict) and r.keys() == rows[0].keys() for r in rows
        ):
            table = [[r[n] for n in names] for r in rows]
            object.__setattr__(self, "scaled", (names, *scaled_integers(table)))

    @property
    def probabilities(self) -> tuple[sympy.Rational, ...]:
        """The probability of each reward function."""
        return tuple(p for p, _ in self.support)

    def table(self, mdp: MDP) -> tuple[tuple[sympy.Rational, ...], ...]:
        """The reward functions as rows in ``mdp``'s state order (an error naming the
        reward function and state on a missing or unknown state)."""
        out = []
        for k, (_, values) in enumerate(self.support):
            if isinstance(values, tuple):
                if len(values) != mdp.n_states:
                    raise MDPError(
                        f"rewards: reward function {k} has {len(values)} values for "
                        f"{mdp.n_states} states"
                    )
                out.append(values)
                continue
            for name in values:
                if name not in mdp.states:
                    raise MDPError(f"rewards: reward function {k}: unknown state {name!r}")
            missing = [n for n in mdp.states if n not in values]
            if missing:
                raise MDPError(f"rewards: reward function {k}: no reward for state {missing[0]!r}")
            out.append(tuple(values[n] for n in mdp.states))
        return tuple(out)

    def integer_table(self, mdp: MDP) -> tuple[np.ndarray, int]:
        """``(r, d)``: the rewards as integers ``r`` (functions × states, ``mdp``'s state
        order) over one common denominator ``d``."""
        if self.scaled is not None:
            names, array, d = self.scaled
            if names is None and array.shape[1] == mdp.n_states:
                return array, d
            if names is not None and set(names) == set(mdp.states):
                where = {n: j for j, n in enumerate(names)}
                return array[:, [where[n] for n in mdp.states]], d
        return scaled_integers(self.table(mdp))


def scaled_integers(rows: Sequence[Sequence[Any]]) -> tuple[np.ndarray, int]:
    """Rational rows as integers over one common denominator ``d``: ``(array, d)``, int64
    when the numbers fit, else Python integers (``dtype=object``).

    >>> scaled_integers([[sympy.Rational(1, 2), 1], [0, sympy.Rational(1, 3)]])
    (array([[3, 6],
           [0, 2]]), 6)
    """
    flat = [x if isinstance(x, sympy.Rational) else sympy.Rational(x) for row in rows for x in row]
    shape = (len(rows), len(flat) // max(len(rows), 1))
    nums, dens = [x.p for x in flat], [x.q for x in flat]
    d = lcm(*set(dens))
    if d < 2**31 and max(map(abs, nums), default=0) < 2**31:
        scaled = np.array(nums, dtype=np.int64) * (d // np.array(dens, dtype=np.int64))
        return scaled.reshape(shape), d
    scaled = np.array([n * (d // q) for n, q in zip(nums, dens)], dtype=object)
    return scaled.reshape(shape), d


def _reward_values(values: object, k: int) -> Any:
    def one(v: object, where: str) -> sympy.Rational:
        if isinstance(v, sympy.Rational):  # already exact: as_exact would return it as is
            return v
        r = as_exact(v, where=where)
        if not isinstance(r, sympy.Rational):
            raise MDPError(f"{where}: {r} is not a rational number")
        return r

    if isinstance(values, Mapping):
        return {
            str(s): one(v, f"rewards: reward function {k}, state {s!r}") for s, v in values.items()
        }
    if isinstance(values, (tuple, list)):
        return tuple(
            one(v, f"rewards: reward function {k}, state {i}") for i, v in enumerate(values)
        )
    raise MDPError(f"rewards: reward function {k} is not a mapping state -> reward")


@dataclass(frozen=True)
class IidUniform:
    """Rewards drawn independently per state from uniform [0, 1] (the literature's default)."""

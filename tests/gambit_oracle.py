"""Gambit as an independent oracle for interim utilities and POWER.

A helper for the tests and the benchmark (it imports ``pygambit``, a test-only
dependency).  A Bayesian game is exported with :func:`exactpower.gambit.to_efg`
(chance move over type profiles, one information set per player type), read
back by Gambit, and the profile is turned into an exact (rational) Gambit
behaviour profile.  Then, with Gambit's own numbers only:

* ``action_value(a)`` at player ``i``'s information set for type ``t_i`` is
  the expected payoff of ``a`` *conditional on reaching the information set*,
  i.e. the interim utility ``f_i(t_i, a, σ_-i)`` (the earlier movers' mixing
  sums to 1 at every node, and their actions are independent of everything
  else given ``t``, so the belief over nodes is the posterior over ``t_-i``);
  Gambit returns ``None`` for an information set reached with probability 0;
* ``infoset_prob(h)`` is the reach probability of ``h``, i.e. the marginal
  ``Ω_i(t_i)``;
* ``POWER_i = Σ_{infosets h of i} infoset_prob(h) · max_{a at h} action_value(a)``
  over the information sets with positive reach probability.

Every number is a :class:`fractions.Fraction` (``pygambit.Rational`` is a
subclass of it); no float is ever created.

Gambit calls have no time limit; :func:`run_with_timeout` runs any of these
functions in a forked child process for callers that need one.
"""

from __future__ import annotations

import io
import multiprocessing
import traceback
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import sympy

from exactpower.io import to_efg

from optional import require

gbt = require("pygambit")

__all__ = [
    "load_efg",
    "infoset_map",
    "behavior_profile",
    "power_from_behavior",
    "interim_from_behavior",
    "gambit_power",
    "gambit_interim",
    "run_with_timeout",
]


def _fraction(value) -> Fraction:
    """An exact Fraction from a sympy Rational, int, Fraction or pygambit Rational."""
    if isinstance(value, float):  # never: the oracle is exact
        raise TypeError(f"float {value!r} in the Gambit oracle")
    if isinstance(value, sympy.Basic):
        q = sympy.Rational(value)
        return Fraction(int(q.p), int(q.q))
    return Fraction(value)


def load_efg(text: str) -> gbt.Game:
    """Read ``.efg`` text into a pygambit game."""
    return gbt.read_efg(io.StringIO(text))


def infoset_map(gambit_game: gbt.Game, game) -> dict[tuple[int, int], Any]:
    """Map ``(player index, type index)`` to the Gambit information set.

    Found from the tree itself, not from labels or numbering: below the chance
    branch of type profile ``t`` (branches are in ``game.type_profiles``
    order), following the first action of every mover, the ``i``-th node is
    player ``i``'s node for type ``t[i]``.
    """
    n = game.n_players
    found: dict[tuple[int, int], Any] = {}
    branches = list(gambit_game.root.children)
    profiles = list(game.type_profiles)
    if len(branches) != len(profiles):
        raise AssertionError(
            f"Gambit tree has {len(branches)} chance branches, game has "
            f"{len(profiles)} type profiles"
        )
    # Node.infoset is a lazy view in pygambit 16.7; look the real Infoset up.
    real = {
        (i, infoset.number): infoset
        for i, player in enumerate(gambit_game.players)
        for infoset in player.infosets
    }
    owner = {player.number: i for i, player in enumerate(gambit_game.players)}
    for t, node in zip(profiles, branches):
        for i in range(n):
            key = (i, t[i])
            view = node.infoset
            if owner.get(view.player.number) != i:
                raise AssertionError(f"node for player {i} is not theirs in {t}")
            infoset = real[(i, view.number)]
            if key in found:
                if found[key] != infoset:
                    raise AssertionError(f"player {i} type {t[i]} has two infosets")
            else:
                found[key] = infoset
            node = next(iter(node.children))
    return found


def behavior_profile(
    gambit_game: gbt.Game, game, profile, infosets: dict | None = None
) -> gbt.MixedBehaviorProfile:
    """The rational Gambit behaviour profile equal to ``profile``.

    At player ``i``'s information set for type ``k``, action ``a`` has the
    probability ``profile.probability(i, k, a)``, converted exactly.
    ``infosets`` is ``infoset_map(gambit_game, game)``, if already computed.
    """
    if infosets is None:
        infosets = infoset_map(gambit_game, game)
    behavior = gambit_game.mixed_behavior_profile(rational=True)
    for (i, k), infoset in infosets.items():
        behavior[infoset] = [
            _fraction(profile.probability(i, k, a)) for a in range(len(game.players[i].actions))
        ]
    return behavior


def interim_from_behavior(
    gambit_game: gbt.Game, game, behavior
) -> dict[tuple[int, int, int], Fraction]:
    """Gambit's ``action_value`` at every reachable information set.

    Returns ``{(i, type index, action index): Fraction}`` for the types of
    positive marginal probability (the others are reached with probability 0,
    where Gambit's ``action_value`` is ``None``).
    """
    result: dict[tuple[int, int, int], Fraction] = {}
    for (i, k), infoset in sorted(infoset_map(gambit_game, game).items()):
        if _fraction(behavior.infoset_prob(infoset)) == 0:
            continue
        for a, action in enumerate(infoset.actions):
            value = behavior.action_value(action)
            if value is None:
                raise AssertionError(f"action_value undefined at reachable {(i, k, a)}")
            result[(i, k, a)] = _fraction(value)
    return result


def power_from_behavior(gambit_game: gbt.Game, game, behavior) -> list[Fraction]:
    """POWER per player from Gambit's reach probabilities and action values.

    ``POWER_i = Σ_h infoset_prob(h) · max_a action_value(a)`` over player
    ``i``'s information sets of positive reach probability.
    """
    powers = []
    for player in gambit_game.players:
        total = Fraction(0)
        for infoset in player.infosets:
            reach = _fraction(behavior.infoset_prob(infoset))
            if reach == 0:
                continue
            total += reach * max(_fraction(behavior.action_value(a)) for a in infoset.actions)
        powers.append(total)
    return powers


def _gambit_setup(game, profile, gambit_game):
    if gambit_game is None:
        gambit_game = load_efg(to_efg(game))
    return gambit_game, behavior_profile(gambit_game, game, profile)


def gambit_power(game, profile, gambit_game: gbt.Game | None = None) -> list[Fraction]:
    """POWER of every player, computed by Gambit, exactly.

    Parameters
    ----------
    game, profile
        An exactpower rational game and a strategy profile for it.
    gambit_game : pygambit.Game, optional
        ``load_efg(to_efg(game))``, if already built.
    """
    gambit_game, behavior = _gambit_setup(game, profile, gambit_game)
    return power_from_behavior(gambit_game, game, behavior)


def gambit_interim(
    game, profile, gambit_game: gbt.Game | None = None
) -> dict[tuple[int, int, int], Fraction]:
    """Interim utilities ``f_i(t_i, a, σ_-i)`` computed by Gambit, exactly.

    Returns ``{(i, type index, action index): Fraction}`` for every player,
    every type of positive marginal probability and every action.
    """
    gambit_game, behavior = _gambit_setup(game, profile, gambit_game)
    return interim_from_behavior(gambit_game, game, behavior)


def _child(connection, fn, args):
    try:
        connection.send(("ok", fn(*args)))
    except BaseException as error:  # noqa: BLE001 - report everything to the parent
        connection.send(("error", (repr(error), traceback.format_exc())))
    finally:
        connection.close()


def run_with_timeout(fn: Callable, *args, seconds: float, start_method: str = "fork"):
    """Run ``fn(*args)`` in a forked child process, at most ``seconds`` long
    (``start_method="spawn"``: in a fresh interpreter, which imports what ``fn`` needs
    itself -- no copy-on-write of the parent's memory is then timed).

    Returns ``fn``'s result (which must be picklable: the oracle functions
    return Fractions and dicts of them).  Raises :class:`TimeoutError` if the
    child has not finished in time (the child is then killed), and
    :class:`RuntimeError` with the child's traceback if ``fn`` raised.
    """
    context = multiprocessing.get_context(start_method)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise TimeoutError(f"{getattr(fn, '__name__', fn)} did not finish in {seconds} s")
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise RuntimeError(
                f"{getattr(fn, '__name__', fn)} died (exit code {process.exitcode})"
            ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "error":
        message, trace = payload
        raise RuntimeError(f"{message} in child process:\n{trace}")
    return payload

"""``exactpower dynamics GAME --rule R --steps N [--step ETA] [--round K] [--profile P]
[--time-limit S] [--tail N] [--plot FILE] [--json]``.

Follow a learning rule exactly (:mod:`exactpower.dynamics`) from PROFILE (default
``uniform``) and print, at every step, ΣPOWER, the welfare, NashConv and each player's
POWER.  Rules: ``best-response`` (simultaneous), ``alternating-best-response``,
``fictitious-play`` and ``replicator`` (step ``--step``, a rational in (0, 1], default
1/10; ``--round K``: the rounded replicator, each step's strategies rounded to the nearest
point with denominator K, so that 50 or 5,000 steps stay exact).  ``--time-limit S`` ends
the run after S seconds, saying so; ``--tail N`` prints only the last N rows of the table.
JSON: ``{rule, step_size, round_to, steps: [{step, profile, power, power_sum, welfare,
nash_conv}], stopped}`` with exact values as strings; ``stopped`` says why the trajectory
ended before N steps (a denominator over ``MAX_DYNAMICS_DIGITS`` digits, or the time
limit), else ``null``.
The text table shows a value of more than 24 characters as a 12-digit decimal marked ``≈``
(rounded exactly from the rational); ``--json`` is always exact.  ``--plot FILE`` draws
the curves with matplotlib (the ``plot`` extra).  Exit 0, or 2 on bad input.

>>> from exactpower.cli import main
>>> main(["dynamics", "no-such-game.json", "--rule", "replicator", "--steps", "3"])
2
"""

from __future__ import annotations

import os
import sys

from .common import (
    UsageError,
    add_game,
    add_profile,
    game_header,
    read_game,
    read_profile,
    symbolic_hint,
    table,
    write_json,
)

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "shown", "plot"]

NAME = "dynamics"
HELP = "follow a learning rule exactly: POWER, ΣPOWER, welfare and NashConv at every step"
DESCRIPTION = (
    "Best-response dynamics, fictitious play or discrete replicator dynamics on a Bayesian "
    "game (per type), in exact arithmetic, with every player's POWER, ΣPOWER, the welfare "
    "and NashConv at every step.  Exit 0, or 2 on bad input."
)

_RULES = ("best-response", "alternating-best-response", "fictitious-play", "replicator")


def arguments(p) -> None:
    """GAME, ``--rule``, ``--steps``, ``--step``, ``--profile``, ``--plot``."""
    add_game(p)
    p.add_argument("--rule", required=True, choices=_RULES, help="the learning rule")
    p.add_argument("--steps", required=True, type=int, metavar="N", help="number of steps")
    p.add_argument(
        "--step",
        default="1/10",
        metavar="ETA",
        help="the replicator's step η, a rational in (0, 1] (default 1/10)",
    )
    p.add_argument(
        "--round",
        type=int,
        metavar="K",
        help="replicator: round each step's strategies to the nearest point with "
        "denominator K (the rounded replicator; default: exact, unrounded)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        metavar="S",
        help="stop after S seconds (the output says at which step)",
    )
    p.add_argument(
        "--tail", type=int, metavar="N", help="text: print only the last N steps of the table"
    )
    add_profile(p)
    p.add_argument("--plot", metavar="FILE", help="draw the curves into FILE (needs matplotlib)")


def shown(value) -> str:
    """An exact value as text; over 24 characters, ``≈`` and 12 decimals (exact rounding).

    >>> import sympy
    >>> shown(sympy.Rational(1, 3)), shown(sympy.Rational(10**30 + 1, 3 * 10**30))
    ('1/3', '≈0.333333333333')
    """
    text = str(value)
    if len(text) <= 24:
        return text
    p, q = int(value.p), int(value.q)
    scaled = (abs(p) * 10**12 * 2 + q) // (2 * q)  # round half up
    whole, frac = divmod(scaled, 10**12)
    return f"≈{'-' if p < 0 else ''}{whole}.{frac:012d}"


def _text(traj, game, game_name: str, profile_name: str, tail=None) -> str:
    names = [p.name for p in game.players]
    lines = [game_header(game, game_name, profile_name), f"rule: {traj.rule}"]
    if traj.step_size is not None:
        lines[-1] += f"; step η = {traj.step_size}"
    if traj.round_to is not None:
        lines[-1] += f"; rounded to denominator {traj.round_to}"
    shown_steps = traj.steps if tail is None else traj.steps[max(len(traj.steps) - tail, 0) :]
    rows = [["step", "ΣPOWER", "welfare", "NashConv"] + [f"POWER({n})" for n in names]]
    rows += [
        [str(s.step), shown(s.power_sum), shown(s.welfare), shown(s.nash_conv)]
        + [shown(s.power[n]) for n in names]
        for s in shown_steps
    ]
    lines += table(rows)
    if traj.stopped:
        lines.append(f"stopped: {traj.stopped}")
    return "\n".join(lines) + "\n"


def plot(traj, path: str, title: str) -> None:
    """Draw ΣPOWER, welfare, NashConv and each POWER against the step into ``path``
    (values converted to floats for the drawing only)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [s.step for s in traj.steps]
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, get, style in (
        ("ΣPOWER", lambda s: s.power_sum, "-"),
        ("welfare", lambda s: s.welfare, "--"),
        ("NashConv", lambda s: s.nash_conv, ":"),
    ):
        ax.plot(xs, [float(get(s)) for s in traj.steps], style, label=label, linewidth=2)
    for name in traj.steps[0].power:
        ax.plot(xs, [float(s.power[name]) for s in traj.steps], label=f"POWER({name})", alpha=0.6)
    ax.set_xlabel("step")
    ax.set_title(title)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def run(args) -> int:
    """Follow the rule and print the table (or JSON); draw the plot when asked."""
    from ..dynamics.trajectory import trajectory
    from ..errors import GameError
    from ..exact import as_exact

    if args.steps < 0:
        raise UsageError(f"dynamics: --steps {args.steps}: must be nonnegative")
    if args.round is not None and (args.rule != "replicator" or args.round < 1):
        raise UsageError(f"dynamics: --round {args.round}: a positive integer, for the replicator")
    for name, value in (("--time-limit", args.time_limit), ("--tail", args.tail)):
        if value is not None and not value >= 0:
            raise UsageError(f"dynamics: {name} {value}: must be nonnegative")
    try:
        eta = as_exact(args.step)
    except (GameError, TypeError, ValueError) as exc:  # the grammar names what is wrong
        raise UsageError(f"dynamics: --step {args.step!r}: {exc}") from None
    if args.rule == "replicator" and not (eta.is_Rational and 0 < eta <= 1):
        raise UsageError(f"dynamics: --step {args.step!r}: must be a rational in (0, 1]")
    game = read_game(args.game, args.param)
    if game.is_symbolic:
        raise UsageError(f"dynamics: {args.game}: {symbolic_hint(game)}")
    name = args.profile or "uniform"
    traj = trajectory(
        game,
        read_profile(name, game),
        args.rule,
        args.steps,
        step_size=eta,
        round_to=args.round,
        time_limit=args.time_limit,
    )
    if args.plot:
        plot(traj, args.plot, f"{args.rule}: {os.path.basename(args.game)}")
    if args.json:
        write_json(traj.to_data())
    else:
        sys.stdout.write(_text(traj, game, args.game, name, args.tail))
    return 0

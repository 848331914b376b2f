"""``exactpower mdp-power MDP [--gamma G] [--rewards iid-uniform|FILE] [--policy FILE] [--width W] [--time-limit S] [--plot FILE] [--json]``.

Turner's POWER of every state of an MDP (SPEC §8), exactly.  MDP is an mdp-v1 ``.json``
or a POWERplay ``.gv`` file (:func:`exactpower.io.mdp_json.load_mdp_file`); states keep
their names from the file.  ``--gamma`` (a rational in (0, 1), or a name for a symbolic
discount with finite rewards) and ``--rewards`` default to the file's ``gamma`` and
``rewards``, then to iid uniform [0, 1] rewards.  ``--rewards FILE`` is a rewards-v1
document (a finite distribution over reward functions).  ``--policy FILE`` (a POWERplay
policy ``.gv``, with a joint MDP): agent A follows it and the POWER is agent H's, in the
MDP the policy induces.

Under iid-uniform rewards a state whose exact integral does not finish in
``--time-limit`` seconds gets a certified enclosure ``[lo, hi]`` of width ≤ ``--width``
instead (``method: "enclosure"``).  JSON: ``{"power": {state: value}, "gamma", "method",
"rewards", "states"}``, a value an exact string, or ``{"lo": …, "hi": …}`` for an
enclosure.  ``--plot FILE`` (gridworld MDPs: states ``"r,c"`` or ``"(r, c)"``) draws a
heat map with the exact values in the cells (matplotlib, the ``plot`` extra).
Exit 0, or 2 on bad input (one line).

>>> main_args = ["mdp-power", "no-such-mdp.json", "--gamma", "1/2"]
>>> from exactpower.cli import main
>>> main(main_args)
2
"""

from __future__ import annotations

import re
import sys

from ..errors import GameError
from ..sequential.mdp import FiniteRewards
from .common import UsageError, table, write_json
from .mdp_plot import grid_cells, heat_map, require_matplotlib

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "compute"]

NAME = "mdp-power"
HELP = "Turner's POWER of every state of an MDP, exactly (or a certified enclosure)"
DESCRIPTION = (
    "Turner's POWER of every state of an MDP (mdp-v1 .json or POWERplay .gv), under iid "
    "uniform [0, 1] rewards (default) or a finite reward distribution (--rewards FILE), "
    "exactly; where an exact integral takes too long, a certified enclosure [lo, hi].  "
    "Exit 0, or 2 on bad input."
)

_UNIFORM = "iid-uniform"


def arguments(p) -> None:
    """MDP, ``--gamma``, ``--rewards``, ``--policy``, ``--width``, ``--time-limit``, ``--plot``."""
    # "--gamma -1/2" is a value (refused with its reason), not an unknown option
    p._negative_number_matcher = re.compile(r"^-\d[\d./]*$")
    p.add_argument("mdp", metavar="MDP", help="the MDP: exactpower/mdp-v1 .json or POWERplay .gv")
    p.add_argument(
        "--gamma",
        metavar="G",
        help="the discount, a rational in (0, 1) such as 3/5, or a name (symbolic, finite "
        "rewards only); default: the file's gamma",
    )
    p.add_argument(
        "--rewards",
        metavar="R",
        help="'iid-uniform' (rewards iid uniform on [0, 1] per state) or a rewards-v1 file "
        "(a finite distribution over reward functions); default: the file's rewards, "
        "else iid-uniform",
    )
    p.add_argument(
        "--policy",
        metavar="FILE",
        help="agent A's policy (POWERplay policy .gv) on a joint MDP: print agent H's POWER",
    )
    p.add_argument(
        "--width",
        default="1/10000",
        metavar="W",
        help="the largest width of an enclosure (default 1/10000)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="S",
        help="seconds per state for an exact iid-uniform integral before an enclosure is "
        "computed instead (default 60)",
    )
    p.add_argument("--plot", metavar="FILE", help="draw a heat map of a gridworld into FILE (PNG)")


def _read(args):
    """``(mdp, gamma, rewards, document)`` from the command line and the file."""
    from ..io.graphviz import read_gv_joint, read_gv_policy
    from ..io.mdp_json import load_mdp_file, load_rewards
    from ..sequential.mdp import IidUniform, as_gamma

    doc = load_mdp_file(args.mdp)
    mdp = doc.mdp
    if args.policy is not None:
        joint = read_gv_joint(args.mdp)
        mdp = joint.induced_for_h(read_gv_policy(args.policy, joint))
    if args.gamma is None and doc.gamma is None:
        raise UsageError(f"{NAME}: {args.mdp}: no gamma in the file: give --gamma G, e.g. 3/5")
    try:
        gamma = as_gamma(args.gamma) if args.gamma is not None else doc.gamma
    except GameError as exc:
        raise UsageError(f"{NAME}: --gamma {args.gamma}: {exc}") from None
    if args.rewards is None:
        rewards = doc.rewards if doc.rewards is not None else IidUniform()
    elif args.rewards == _UNIFORM:
        rewards = IidUniform()
    else:
        rewards = load_rewards(args.rewards, mdp)
    return mdp, gamma, rewards, doc


def compute(mdp, gamma, rewards, width: str, time_limit: float) -> tuple[str, dict]:
    """``(method, {state: value or (lo, hi)})``: POWER per state."""
    from ..sequential.mdp import IidUniform
    from ..sequential.mdp_power import mdp_power
    from ..sequential.uniform_power import uniform_power_result

    if isinstance(rewards, IidUniform):
        result = uniform_power_result(mdp, gamma, time_limit=time_limit, width=width)
        return result.method, result.as_dict()
    return "exact", mdp_power(mdp, rewards, gamma)


def _json_value(value) -> object:
    if isinstance(value, tuple):
        return {"lo": str(value[0]), "hi": str(value[1])}
    return str(value)


def _decimal(value) -> str:
    """A value to 6 decimals (exactly rounded), for the text table only."""
    import sympy

    if isinstance(value, tuple):
        if value[0] == value[1]:
            return _decimal(value[0])
        return f"[{_decimal(value[0])}, {_decimal(value[1])}]"
    if not isinstance(value, sympy.Rational):
        return ""
    scaled = (abs(value.p) * 10**6 * 2 + value.q) // (2 * value.q)
    whole, frac = divmod(scaled, 10**6)
    return f"{'-' if value < 0 else ''}{whole}.{frac:06d}"


def run(args) -> int:
    """Read, compute, print (and plot)."""
    mdp, gamma, rewards, doc = _read(args)
    cells = None
    if args.plot is not None:  # the input's errors first, then the missing extra
        cells = grid_cells(mdp.states)
        if cells is None:
            raise UsageError(
                f"{NAME}: --plot: {args.mdp} is not a gridworld (states 'r,c' or '(r, c)')"
            )
        require_matplotlib()  # before the computation, which can be long
    method, values = compute(mdp, gamma, rewards, args.width, args.time_limit)
    kind = "finite" if isinstance(rewards, FiniteRewards) else _UNIFORM
    if cells is not None:
        grid = doc.gridworld
        shape = (grid.rows, grid.cols) if grid is not None else None
        heat_map(values, cells, args.plot, f"POWER, γ = {gamma}, rewards {kind}", shape)
    if args.json:
        write_json(
            {
                "mdp": args.mdp,
                "states": len(mdp.states),
                "gamma": str(gamma),
                "rewards": kind,
                "method": method,
                "power": {s: _json_value(v) for s, v in values.items()},
            }
        )
        return 0
    out = [f"MDP: {args.mdp} ({len(mdp.states)} states); γ = {gamma}; rewards: {kind}"]
    out += [f"note: {n}" for n in doc.notes]
    label = "POWER" if method == "exact" else "POWER enclosure [lo, hi]"
    rows = [["state", label, "≈"]]
    rows += [[s, _text(v), _decimal(v)] for s, v in values.items()]
    out += table(rows)
    if method == "enclosure":
        out.append(f"method: certified enclosure (width ≤ {args.width}); exact where lo = hi")
    if args.plot is not None:
        out.append(f"heat map written to {args.plot}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _text(value) -> str:
    if isinstance(value, tuple):
        return str(value[0]) if value[0] == value[1] else f"[{value[0]}, {value[1]}]"
    return str(value)

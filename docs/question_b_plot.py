"""Draw Question B: ΣPOWER at every equilibrium branch of r^λ = (1−λ)·common + λ·constant-sum.

    python -m pip install -e '.[plot]' && python docs/question_b_plot.py

For a small class of common-payoff 2×2 games (identical rewards, values in {0, 1, 2}) paired
with matching pennies, every branch's ΣPOWER(λ) is computed exactly by
``exactpower.conjecture.interpolation``; only the drawing converts the exact values to floats.
Writes ``docs/question-b.png``.
"""

from fractions import Fraction
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from exactpower.small.conjecture import interpolation, matching_pennies

COMMON = {  # identical rewards: both players get the same table
    "coordination [[2,0],[0,1]]": [[2, 0], [0, 1]],
    "pure coordination [[1,0],[0,1]]": [[1, 0], [0, 1]],
    "stag hunt [[2,0],[1,1]]": [[2, 0], [1, 1]],
    "one good cell [[0,0],[0,1]]": [[0, 0], [0, 1]],
}
GRID = [Fraction(k, 240) for k in range(241)]


def _profile(branch) -> str:
    if branch["kind"] != "pure":
        return ""
    return "(" + ", ".join(next(iter(d)) for d in branch["profile"].values()) + ")"


def main() -> None:
    fig, axes = plt.subplots(1, len(COMMON), figsize=(4.2 * len(COMMON), 3.6), sharey=True)
    for ax, (name, table) in zip(axes, COMMON.items()):
        result = interpolation([table, table], matching_pennies())
        lam = result["lam"]
        for k, branch in enumerate(result["branches"]):
            label = f"{branch['kind']} {_profile(branch)}"
            segments, xs, ys = [], [], []
            for x in GRID:
                if x in branch["region"]:
                    xs.append(x)
                    ys.append(branch["power_sum"].subs(lam, x))
                elif xs:
                    segments.append((xs, ys))
                    xs, ys = [], []
            segments += [(xs, ys)] if xs else []
            for m, (xs, ys) in enumerate(segments):
                style = "o" if len(xs) == 1 else "-"
                ax.plot(
                    [float(v) for v in xs],
                    [float(v) for v in ys],
                    style,
                    color=f"C{k}",
                    label=label if m == 0 else None,
                )
        ax.axhline(0, color="grey", lw=0.6, ls=":")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("λ  (0: common payoff, 1: matching pennies)")
        ax.legend(fontsize=8)
    axes[0].set_ylabel("Σ POWER at the equilibrium")
    fig.suptitle("Question B: Σ POWER along r^λ = (1−λ)·common + λ·constant-sum (exact branches)")
    fig.tight_layout()
    out = Path(__file__).with_name("question-b.png")
    fig.savefig(out, dpi=90)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

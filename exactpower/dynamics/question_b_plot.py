"""Pictures of Question B by correlation (needs the optional extra ``plot``: matplotlib).

Only the drawing converts exact values to floats; matplotlib is imported inside the functions.
"""

from __future__ import annotations

from pathlib import Path

import sympy

__all__ = ["plot_class", "plot_lambda"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _binned(ax, bins: list) -> None:
    """The means over the ten equal intervals of the metric, as lines through their centres."""
    if len(bins) < 2:
        return
    centres = []
    for b in bins:
        lo, hi = b["bin"][1:-1].split(", ")
        centres.append((float(sympy.Rational(lo)) + float(sympy.Rational(hi))) / 2)
    for field, colour in (("eq_max_mean", "tab:blue"), ("eq_min_mean", "tab:orange")):
        ax.plot(
            centres,
            [float(b[field]) for b in bins],
            color=colour,
            linewidth=1.5,
            alpha=0.8,
            label=f"{field[:6]}: mean per tenth of the axis",
        )


def _panel(ax, groups: list, label: str) -> None:
    """One metric: per value, the min–max range and the mean of ΣPOWER at the best and at
    the worst equilibrium, and the mean Σ best-case POWER."""
    points = [g for g in groups if g["value"] is not None]
    xs = [float(g["value"]) for g in points]
    span = (max(xs) - min(xs)) if len(xs) > 1 else 1.0
    dx = span / 150
    styles = (
        ("eq_max", "tab:blue", dx, "ΣPOWER, best equilibrium"),
        ("eq_min", "tab:orange", -dx, "ΣPOWER, worst equilibrium"),
    )
    for field, colour, shift, name in styles:
        for g, x in zip(points, xs):
            ax.plot(
                [x + shift] * 2,
                [float(g[field]["min"]), float(g[field]["max"])],
                color=colour,
                alpha=0.25,
                linewidth=1,
            )
        sizes = [min(60.0, 6 + 4 * g["games"] ** 0.5) for g in points]
        ax.scatter(
            [x + shift for x in xs],
            [float(g[field]["mean"]) for g in points],
            s=sizes,
            color=colour,
            label=name + " (mean; bar: range)",
            zorder=3,
        )
    ax.scatter(
        xs,
        [float(g["best_case"]["mean"]) for g in points],
        marker="_",
        s=80,
        color="grey",
        label="Σ best-case POWER (mean)",
        zorder=2,
    )
    if len(set(xs)) == 1:  # one value (e.g. ρ_S of a symmetric class): show the whole axis
        ax.set_xlim(-1.1, 1.1)
    undefined = [g for g in groups if g["value"] is None]
    title = label if not undefined else f"{label}  ({undefined[0]['games']} games undefined)"
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(label)
    ax.grid(alpha=0.3)


def plot_class(summary: dict, path) -> Path:
    """Two panels (Pearson ρ, strategic ρ_S) of a class summary, saved to ``path``."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    three = summary["class"].startswith("3p-")
    _panel(axes[0], summary["groups"]["rho"], "mean pairwise ρ" if three else "Pearson ρ")
    _panel(axes[1], summary["groups"]["rho_s"], "mean pairwise ρ_S" if three else "strategic ρ_S")
    for ax, metric in zip(axes, ("rho", "rho_s")):
        if len(summary["groups"][metric]) > 20:  # many values: show the trend per tenth
            _binned(ax, summary.get("bins", {}).get(metric, []))
    axes[0].set_ylabel("Σ POWER")
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle(
        f"Question B, {summary['class']}: {summary['games']:,} games "
        f"({summary['raw_games']:,} raw); exact values, drawn as floats",
        fontsize=10,
    )
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_lambda(result: dict, path) -> Path:
    """ΣPOWER at every extreme equilibrium of ``r^λ`` along λ, with ρ(λ) and ρ_S(λ)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    pts = result["points"]
    for p in pts:
        ys = sorted({float(v) for v in p["equilibria"]})
        ax.scatter([float(p["lam"])] * len(ys), ys, color="tab:blue", s=14, zorder=3)
    lam = [float(p["lam"]) for p in pts]
    ax.plot(lam, [float(p["eq_max"]) for p in pts], color="tab:blue", label="ΣPOWER, best eq.")
    ax.plot(lam, [float(p["eq_min"]) for p in pts], color="tab:orange", label="ΣPOWER, worst eq.")
    ax.plot(
        lam, [float(p["best_case"]) for p in pts], "--", color="grey", label="Σ best-case POWER"
    )
    ax.set_xlabel("λ  (0: constant sum, 1: common payoff)")
    ax.set_ylabel("Σ POWER at extreme equilibria")
    twin = ax.twinx()
    symbol = next(iter(result["rho_formula"].free_symbols))
    fine = [k / 200 for k in range(201)]
    for key, style, colour, name in (
        ("rho_formula", ":", "tab:green", "Pearson ρ(λ)"),
        ("rho_s_formula", "-.", "tab:red", "ρ_S(λ)"),
    ):
        curve = [float(result[key].subs(symbol, sympy.Rational(k, 200))) for k in range(201)]
        twin.plot(fine, curve, style, color=colour, label=name)
    twin.set_ylabel("correlation")
    twin.set_ylim(-1.05, 1.05)
    lines = ax.get_legend_handles_labels()
    more = twin.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize=7, loc="upper left")
    ax.grid(alpha=0.3)
    ax.set_title("Question B on a Bayesian pair: r^λ = λ·C + (1−λ)·K", fontsize=10)
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out

"""The heat map of ``exactpower mdp-power --plot``: POWER per gridworld cell, exact values in
the cells (matplotlib, the ``plot`` extra, imported inside the functions).

>>> grid_cells(("0,0", "0,1", "1,1"))
{'0,0': (0, 0), '0,1': (0, 1), '1,1': (1, 1)}
>>> grid_cells(("(0, 0)", "(1, 0)")), grid_cells(("a", "b"))
({'(0, 0)': (0, 0), '(1, 0)': (1, 0)}, None)
"""

from __future__ import annotations

import re

from .common import UsageError

__all__ = ["grid_cells", "heat_map", "require_matplotlib", "cell_text"]

_CELL = re.compile(r"\(?\s*(\d+)\s*,\s*(\d+)\s*\)?")


def require_matplotlib() -> None:
    """Import matplotlib, or a one-line usage error naming the ``plot`` extra (exit 2)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError(
            "--plot needs matplotlib: install the plot extra, pip install 'exactpower[plot]'"
        ) from None


def grid_cells(states) -> dict[str, tuple[int, int]] | None:
    """``{state: (row, col)}`` when every state is a cell ``"r,c"`` or ``"(r, c)"`` (as
    exactpower's and POWERplay's gridworlds name them), else ``None``."""
    out = {}
    for s in states:
        m = _CELL.fullmatch(s)
        if m is None:
            return None
        out[s] = (int(m.group(1)), int(m.group(2)))
    if len(set(out.values())) != len(out):
        return None
    return out


def cell_text(value) -> str:
    """What a cell shows: the exact value (a long fraction over two lines) and ``≈`` a
    decimal; for an enclosure, its two ends.

    >>> import sympy
    >>> cell_text(sympy.Rational(2, 3))
    '2/3\\n≈0.6667'
    """
    if isinstance(value, tuple):
        lo, hi = value
        if lo == hi:
            return cell_text(lo)
        return f"[{float(lo):.5f},\n {float(hi):.5f}]"
    text = str(value)
    if len(text) > 10 and "/" in text:
        p, q = text.split("/")
        text = f"{p}/\n{q}"
    try:
        return f"{text}\n≈{float(value):.4f}"
    except TypeError:  # a symbolic value
        return text


def heat_map(values: dict, cells: dict, path: str, title: str, shape=None) -> None:
    """Draw ``values`` (``{state: value or (lo, hi)}``) on the grid ``cells`` (of
    ``shape`` = (rows, cols), default the smallest that holds them) into ``path``; cells
    without a state (walls) are grey."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows, cols = shape or (
        1 + max(r for r, _ in cells.values()),
        1 + max(c for _, c in cells.values()),
    )
    grid = np.full((rows, cols), np.nan)
    for state, (r, c) in cells.items():
        v = values[state]
        grid[r, c] = float((v[0] + v[1]) / 2) if isinstance(v, tuple) else float(v)
    longest = max(max(len(line) for line in cell_text(v).split("\n")) for v in values.values())
    size = max(1.3, 0.11 * longest)
    fig, ax = plt.subplots(figsize=(size * cols + 1.6, size * rows + 0.9))
    cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#999999")
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap)
    low, high = np.nanmin(grid), np.nanmax(grid)
    for state, (r, c) in cells.items():
        dark = high == low or (grid[r, c] - low) / (high - low) < 0.6
        ax.text(
            c,
            r,
            cell_text(values[state]),
            ha="center",
            va="center",
            fontsize=9,
            color="white" if dark else "black",
        )
    ax.set_xticks(range(cols))
    ax.set_yticks(range(rows))
    ax.set_title(title)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)

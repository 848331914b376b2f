"""The summary of a Question-B class: cells by correlation, endpoint checks, trend, files.

Games are folded (:func:`fold`) into *cells* keyed by ``(ρ key, ρ_S key)`` -- for two players
``sign·ρ²`` (exact rationals, monotone in ρ), for three the mean pairwise ρ (exact) -- each
cell holding its numbers of games and raw games and the least, raw-weighted sum and largest
of ``eq_min``, ``eq_max`` and ``best_case`` (ΣPOWER at the equilibrium with least / largest
ΣPOWER, Σ best-case POWER).  Means are weighted by ``raw``: every game of the class counts
once (the quantities are invariant under the class's relabellings).

Checks (each ``{"games", "holds", "failing", "counterexample"}``; games where the metric is 1
or −1):

- ``rho=1 => eq_max=best_case`` -- proved: ``r_j = α r_i + β`` with ``α > 0`` has a pure
  team optimum, an equilibrium where every player gets its best-case POWER;
- ``rho=-1 => eq_min=eq_max`` (two players) -- proved: ``r_2 = β − α r_1`` is strategically
  the zero-sum game ``(r_1, −r_1)``, so every equilibrium gives player 1 the value ``v`` and
  ΣPOWER = W = ``(1 − α) v + β``;
- ``rho_s=1 => eq_max=best_case`` and ``rho_s=-1 => eq_min=eq_max`` -- the same statements
  up to strategic equivalence; false (ΣPOWER is not invariant under adding ``h_i(t, a_{-i})``
  to ``r_i``): the smallest failing game is the counterexample.

Trend (``monotone``): per metric, the raw-weighted mean of ``eq_max`` (and of ``eq_min``)
over the games with the same value, in increasing order of the value; ``drops`` counts the
consecutive values where the mean decreases.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import sympy

from ..equilibria import equilibria
from ..io import dumps
from ..small.exhaust import named_game
from .correlation import rho_from_signed_square

__all__ = [
    "summarize",
    "CHECKS",
    "fold",
    "fold_rows",
    "to_json",
    "row_game",
    "write_counterexamples",
    "write_data",
]

FIELDS = ("eq_min", "eq_max", "best_case")
#: The endpoint checks: name -> (metric index in the key, value, predicate on (lo, hi, best)).
CHECKS = {
    "rho=1 => eq_max=best_case": (0, 1, lambda lo, hi, best: hi == best),
    "rho=-1 => eq_min=eq_max": (0, -1, lambda lo, hi, best: lo == hi),
    "rho_s=1 => eq_max=best_case": (1, 1, lambda lo, hi, best: hi == best),
    "rho_s=-1 => eq_min=eq_max": (1, -1, lambda lo, hi, best: lo == hi),
}
#: File stems of the counterexamples, per check (``question-b-<class>-<stem>``).
FILE_STEMS = {
    "rho_s=1 => eq_max=best_case": "potential",
    "rho_s=-1 => eq_min=eq_max": "zero-sum-equivalent",
    "rho=1 => eq_max=best_case": "affine-common",
    "rho=-1 => eq_min=eq_max": "affine-constant-sum",
}


def _key(rep: dict) -> tuple:
    values = [int(v) for v in rep["rewards"].split()]
    return (max(abs(v) for v in values), sum(abs(v) for v in values), tuple(values))


def new_table() -> dict:
    return {"cells": {}, "checks": {c: [0, 0, None] for c in CHECKS}}


def fold(table: dict, key: tuple, values: tuple, raw: int, rep) -> None:
    """Add one game (``raw`` raw games) with ``values = (eq_min, eq_max, best_case)``;
    ``rep()`` gives its ``{"rewards", "prior"}`` (called only when needed)."""
    if not table:
        table.update(new_table())
    cell = table["cells"].get(key)
    if cell is None:
        cell = table["cells"][key] = {"games": 0, "raw": 0, "rep": rep()}
        for f, v in zip(FIELDS, values):
            cell[f] = [v, 0, v]
    cell["games"] += 1
    cell["raw"] += raw
    for f, v in zip(FIELDS, values):
        st = cell[f]
        st[0] = v if _less(v, st[0]) else st[0]
        st[1] = st[1] + raw * v
        st[2] = v if _less(st[2], v) else st[2]
    for check, (m, target, predicate) in CHECKS.items():
        if key[m] is None or key[m] != target:
            continue
        st = table["checks"][check]
        st[0] += 1
        if not predicate(*values):
            st[1] += 1
            r = rep()
            if st[2] is None or _key(r) < _key(st[2]):
                st[2] = r


def _less(a, b) -> bool:
    return bool(a < b)


def fold_rows(rows: list, metrics: tuple) -> dict:
    """The table of per-game rows (classes checked game by game)."""
    table = new_table()
    for r in rows:
        fold(
            table,
            (r[metrics[0]], r[metrics[1]]),
            tuple(r[f] for f in FIELDS),
            r["raw"],
            lambda r=r: {"rewards": r["rewards"], "prior": r["prior"]},
        )
    return table


def _rho(value, squared: bool):
    if value is None:
        return None
    return rho_from_signed_square(sympy.Rational(value)) if squared else value


def _groups(cells: dict, m: int, squared: bool) -> list:
    by: dict = {}
    for key, cell in cells.items():
        by.setdefault(key[m], []).append(cell)
    order = sorted((v for v in by if v is not None), key=_Sorted)
    out = []
    for v in ([None] if None in by else []) + order:
        members = by[v]
        raw = sum(c["raw"] for c in members)
        group = {"value": _rho(v, squared), "games": sum(c["games"] for c in members), "raw": raw}
        for f in FIELDS:
            group[f] = {
                "min": min((c[f][0] for c in members), key=_Sorted),
                "mean": _exact(sum(c[f][1] for c in members)) / raw,
                "max": max((c[f][2] for c in members), key=_Sorted),
            }
        out.append(group)
    return out


def _exact(v):
    return sympy.Rational(v.numerator, v.denominator) if hasattr(v, "denominator") else v


class _Sorted:
    """Sort key of exact real numbers (rationals, sums of surds): sympy's comparison."""

    def __init__(self, value):
        self.value = value

    def __lt__(self, other) -> bool:
        return bool(self.value < other.value)


def _monotone(groups: list) -> dict:
    out = {}
    for field in ("eq_max", "eq_min"):
        points = [(g["value"], g[field]["mean"]) for g in groups if g["value"] is not None]
        drops = [
            {"from": a, "to": b, "mean_from": ma, "mean_to": mb}
            for (a, ma), (b, mb) in itertools.pairwise(points)
            if mb < ma
        ]
        out[field] = {"non_decreasing": not drops, "drops": len(drops), "first_drops": drops[:3]}
    return out


#: Bins of the trend: ``[-1, -4/5), [-4/5, -3/5), ..., [4/5, 1]``.
BINS = 10


def _bins(groups: list) -> list:
    """The groups merged into :data:`BINS` equal intervals of the metric (exact: the bin of a
    surd is decided by ``sympy.floor``); raw-weighted means."""
    merged: dict = {}
    for g in groups:
        if g["value"] is None:
            continue
        k = min(int(sympy.floor((g["value"] + 1) * BINS / 2)), BINS - 1)
        b = merged.setdefault(k, {"games": 0, "raw": 0, "sums": dict.fromkeys(FIELDS, 0)})
        b["games"] += g["games"]
        b["raw"] += g["raw"]
        for f in FIELDS:
            b["sums"][f] += g[f]["mean"] * g["raw"]
    out = []
    for k in sorted(merged):
        b = merged[k]
        lo, hi = sympy.Rational(2 * k, BINS) - 1, sympy.Rational(2 * k + 2, BINS) - 1
        entry = {"bin": f"[{lo}, {hi}{']' if k == BINS - 1 else ')'}", "games": b["games"]}
        entry["raw"] = b["raw"]
        entry.update({f"{f}_mean": sympy.expand(b["sums"][f] / b["raw"]) for f in FIELDS})
        out.append(entry)
    return out


def summarize(name, description, table, rows, counts, seconds) -> dict:
    """The class summary (exact values; :func:`to_json` makes strings of them)."""
    games, raw, complete = counts
    squared = not name.startswith("3p-")
    cells = table["cells"] if table else {}
    groups = {"rho": _groups(cells, 0, squared), "rho_s": _groups(cells, 1, squared)}
    checks = {}
    for check, (count, failing, rep) in (table["checks"] if table else {}).items():
        checks[check] = {
            "games": count,
            "holds": not failing,
            "failing": failing,
            "counterexample": rep,
        }
    return {
        "class": name,
        "description": description,
        "games": games,
        "raw_games": raw,
        "complete": complete,
        "cells": len(cells),
        "seconds": round(seconds, 1),
        "equilibrium_lists_complete": all(r["complete"] for r in rows),
        "groups": groups,
        "checks": checks,
        "monotone": {m: _monotone(g) for m, g in groups.items()},
        "bins": {m: _bins(g) for m, g in groups.items()},
        "rows": rows,
    }


def to_json(value):
    """Exact values as strings, recursively (``None`` stays ``null``)."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):  # only ``seconds``
        return value
    return str(value)


# -- files ------------------------------------------------------------------------------------

#: Reward-array shapes ``(n, T.., A..)`` of the classes.
SHAPES = {
    "2x2-ordinal": (2, 1, 1, 2, 2),
    "2x2-types": (2, 2, 2, 2, 2),
    "3p-2x2x2": (3, 1, 1, 1, 2, 2, 2),
    "3p-symmetric": (3, 1, 1, 1, 2, 2, 2),
    "3p-symmetric-pm": (3, 1, 1, 1, 2, 2, 2),
}


def row_game(name: str, row: dict):
    """The game of a record ``{"rewards", "prior"}`` as a named :class:`BayesianGame`."""
    shape = SHAPES[name]
    n = shape[0]
    rewards = np.array([int(v) for v in row["rewards"].split()], dtype=np.int64).reshape(shape)
    prior = np.array([int(v) for v in row["prior"].split()], dtype=np.int64).reshape(
        shape[1 : 1 + n]
    )
    return named_game(rewards, prior)


def write_counterexamples(summary: dict, directory) -> dict:
    """For each failing check: ``DIR/question-b-<class>-<stem>.json`` (the game) and profile files of its
    equilibria with the least and the largest ΣPOWER (``…-min.json``, ``…-max.json``), which
    ``exactpower verify GAME --profile P`` re-checks.  Returns ``{check: {kind: path}}``."""
    out = Path(directory)
    paths = {}
    for check, res in summary["checks"].items():
        row = res["counterexample"]
        if row is None:
            continue
        out.mkdir(parents=True, exist_ok=True)
        game = row_game(summary["class"], row)
        found = sorted(equilibria(game), key=lambda e: _Sorted(e.power_sum))
        stem = f"question-b-{summary['class']}-{FILE_STEMS[check]}"
        files = {"game": out / f"{stem}.json"}
        files["game"].write_text(dumps(game) + "\n", encoding="utf-8")
        for kind, e in (("min", found[0]), ("max", found[-1])):
            files[kind] = out / f"{stem}-{kind}.json"
            files[kind].write_text(dumps(e.profile) + "\n", encoding="utf-8")
        paths[check] = {k: str(v) for k, v in files.items()}
    return paths


def write_data(summary: dict, path) -> None:
    """Write the summary with every row (exact strings) as JSON."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(to_json(summary), indent=1, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")

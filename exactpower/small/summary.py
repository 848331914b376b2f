"""The record of an exhaustive check: its arguments, its summary and how results add up.

What :func:`exactpower.small.exhaust.exhaust` checks before any work (the grid, the
equilibrium search, the limit, the workers, the shard) and what it returns: the unit results
added up by :func:`merge`, the class described as JSON-ready data by :func:`describe`, and the
:class:`ExhaustSummary` with the keys :data:`SUMMARY_KEYS` built by :func:`summarize`.
:func:`class_size` counts a class's raw games without enumerating them.

>>> parse_shard("2/4"), check_arguments(1, "auto", None, 1)
((2, 4), None)
"""

from __future__ import annotations

from collections.abc import Sequence

from ..bounds import FrozenDict
from ..errors import GameStructureError
from ..limits import MAX_COUNTEREXAMPLES
from .classes import GameClass
from .spaces import class_spaces

__all__ = [
    "EQUILIBRIA_MODES",
    "SUMMARY_KEYS",
    "ExhaustSummary",
    "merge",
    "zero_counts",
    "describe",
    "class_size",
    "parse_shard",
    "check_arguments",
    "summarize",
]

#: ``"auto"``: every equilibrium :func:`exactpower.equilibria` finds; ``"pure"``: its
#: pure equilibria; ``"none"``: the grid profiles only.
EQUILIBRIA_MODES = ("auto", "pure", "none")
#: The summary's keys, in the order ``exactpower exhaust --json`` prints them.
SUMMARY_KEYS = (
    "games",
    "classes_checked",
    "profiles_checked",
    "equilibria",
    "violations",
    "counterexamples",
    "seconds",
    "raw_games",
    "orbit_check",
    "grid_equilibria",
    "pure_equilibria",
    "incomplete",
    "units",
    "shard",
    "grid",
    "equilibrium_search",
    "class",
)


def zero_counts() -> dict:
    """The counts of a unit (or a whole class) before anything is checked: all 0."""
    return {
        "games": 0,
        "classes": 0,
        "raw": 0,
        "profiles": 0,
        "equilibria": 0,
        "grid_equilibria": 0,
        "pure_equilibria": 0,
        "violations": 0,
        "incomplete": 0,
        "counterexamples": [],
    }


def merge(results: Sequence[dict]) -> dict:
    """Add up unit (or shard) results, keeping the counterexamples in order.

    >>> merge([])["games"], merge([])["counterexamples"]
    (0, [])
    """
    total = zero_counts()
    for r in results:
        for key in total:
            if key == "counterexamples":
                room = MAX_COUNTEREXAMPLES - len(total[key])
                total[key].extend(r[key][: max(room, 0)])
            else:
                total[key] += r[key]
    return total


def parse_shard(shard) -> tuple | None:
    """``(K, N)`` from ``"K/N"`` or ``(K, N)`` with ``1 <= K <= N``; ``None`` for no shard."""
    if shard is None:
        return None
    if isinstance(shard, str):
        k, _, n = shard.partition("/")
        if not (k.isdigit() and n.isdigit()):
            raise GameStructureError(f"exhaust: shard {shard!r}: expected K/N, e.g. 1/4")
        shard = (int(k), int(n))
    k, n = shard
    if not 1 <= k <= n:
        raise GameStructureError(f"exhaust: shard {k}/{n}: need 1 <= K <= N")
    return k, n


def check_arguments(grid, equilibria, limit, workers) -> None:
    """Refuse a bad grid, equilibrium search, limit or number of workers (one-line errors)."""
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 1:
        raise GameStructureError(f"exhaust: grid must be a positive integer, got {grid!r}")
    if equilibria not in EQUILIBRIA_MODES:
        raise GameStructureError(
            f"exhaust: equilibria {equilibria!r}: expected {', '.join(EQUILIBRIA_MODES)}"
        )
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise GameStructureError(f"exhaust: limit must be a nonnegative integer, got {limit!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise GameStructureError(f"exhaust: workers must be a positive integer, got {workers!r}")


def class_size(cls: GameClass) -> int:
    """The raw games of a class: :meth:`GameClass.raw_count`, or (when only enumeration can
    count them) the candidates its scan enumerates, without enumerating anything.

    >>> class_size(GameClass(2, 2, 2, (-1, 0, 1)))
    1853020188851841
    """
    raw = cls.raw_count()
    if raw is not None:
        return raw
    return sum(s.n_outer * s.n_inner * s.factor for s in class_spaces(cls))


def describe(cls: GameClass) -> dict:
    """The class as JSON-ready data (what ``exhaust`` reports under ``class``).

    >>> describe(GameClass(2, (1, 2), 2, range(2)))["types"]
    [[1], [2]]
    """
    prior = (
        cls.prior
        if isinstance(cls.prior, str)
        else {"fixed": [str(w) for w in cls.prior.weights], "shape": list(cls.prior.shape)}
    )
    return {
        "players": cls.players,
        "types": [list(t) for t in cls.types],
        "actions": [list(a) for a in cls.actions],
        "values": [str(v) for v in cls.values],
        "prior": prior,
        "reward_form": cls.reward_form,
        "constraint": cls.constraint,
        "constant": str(cls.constant) if cls.constraint == "constant-sum" else None,
        "reward_sets": cls.reward_sets,
        "symmetries": list(cls.symmetries),
    }


class ExhaustSummary(FrozenDict):
    """The result of :func:`exactpower.small.exhaust.exhaust`: a read-only dict with the keys
    :data:`SUMMARY_KEYS`, in that order (what ``exactpower exhaust --json`` prints), each also
    an attribute.

    >>> s = ExhaustSummary(dict.fromkeys(SUMMARY_KEYS, 0))
    >>> s.violations, s["violations"], list(s)[:2]
    (0, 0, ['games', 'classes_checked'])
    """

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"ExhaustSummary has no entry {name!r}") from None


def summarize(
    cls: GameClass, ordered: list, parts, limit, seconds: float, grid: int, equilibria: str
) -> ExhaustSummary:
    """The :class:`ExhaustSummary` of a run from its units' results, in unit order."""
    total = merge(ordered)
    full = parts is None and limit is None
    return ExhaustSummary(
        {
            "games": total["games"],
            "classes_checked": total["classes"],
            "profiles_checked": total["profiles"],
            "equilibria": total["equilibria"],
            "violations": total["violations"],
            "counterexamples": total["counterexamples"],
            "seconds": round(seconds, 3),
            "raw_games": total["raw"],
            "orbit_check": (total["raw"] == total["games"]) if full else None,
            "grid_equilibria": total["grid_equilibria"],
            "pure_equilibria": total["pure_equilibria"],
            "incomplete": total["incomplete"],
            "units": len(ordered),
            "shard": None if parts is None else f"{parts[0]}/{parts[1]}",
            "grid": grid,
            "equilibrium_search": equilibria,
            "class": describe(cls),
        }
    )

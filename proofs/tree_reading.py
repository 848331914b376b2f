"""Reading tree traces (``exactpower/tree-trace-v1``): the path of :mod:`proofs.reading`.

The text goes through :func:`proofs.reading.read_tree` (exactpower's exact JSON reader:
numbers kept as written, duplicate keys refused with their JSON path, the size limit checked
first); the embedded game is read by :func:`exactpower.io.tree_json.tree_from_json` and the
profile by :func:`~exactpower.io.tree_json.behaviour_from_json` from the same tree (every
check of the tree reader; no round trip through floats); every record has exactly its keys
(:class:`proofs.reading.TraceReader`); every exact value is a string read by
:func:`proofs.trace.parse_value` (a JSON number where a value is expected is refused).

Keys: trace ``format``, ``theorem``, ``game``, ``profile``, ``steps``, ``equality``,
``conclusion`` (and the annotations ``comment``, ``expected_rejection``); step ``index``,
``rule``, ``lhs``, ``relation``, ``rhs``, ``value``, ``premises``; equality ``statement``,
``slacks``, ``holds``, ``is_equilibrium``, optional ``condition``; slack row ``player``,
``infoset``, ``reach``, ``slack``, ``zero``, ``deviation`` (``null`` or ``action``,
``better``, ``gain``); conclusion ``statement``, ``power_sum``, ``bound``, ``gap``.

>>> read_tree_trace('{"format": "exactpower/tree-trace-v1", "theorem": "x", "theorem": "y"}')
Traceback (most recent call last):
...
proofs.kernel.guard.ProofError: trace: top level: duplicate key 'theorem'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exactpower.errors import GameError
from exactpower.io.tree_json import behaviour_from_json, tree_from_json

from .kernel import ProofError
from .kernel.tree import check_tree
from .kernel.tree_records import TreeEquality, TreeSlack
from .tree_trace import TREE_TRACE_FORMAT, TREE_VALUE_KEYS, TreeTrace

if TYPE_CHECKING:
    from .reading import TraceReader

__all__ = [
    "TREE_TRACE_FORMAT",
    "TREE_TRACE_KEYS",
    "TreeTrace",
    "check_tree",
    "read_tree_trace",
    "tree_trace_from_tree",
]

TREE_TRACE_KEYS = ("format", "theorem", "game", "profile", "steps", "equality", "conclusion")
_EQUALITY_KEYS = ("statement", "slacks", "holds", "is_equilibrium")
_SLACK_KEYS = ("player", "infoset", "reach", "slack", "zero", "deviation")


def _slack(r: TraceReader, node, path: str) -> TreeSlack:
    x = r.record(node, path, "a slack row", _SLACK_KEYS)
    d = r.deviation(x["deviation"], f"{path}.deviation")
    return TreeSlack(
        r.string(x["player"], f"{path}.player"),
        r.string(x["infoset"], f"{path}.infoset"),
        r.value(x["reach"], f"{path}.reach"),
        r.value(x["slack"], f"{path}.slack"),
        r.flag(x["zero"], f"{path}.zero"),
        d,
    )


def _equality(r: TraceReader, node) -> TreeEquality:
    e = r.record(node, "equality", "the equality record", _EQUALITY_KEYS, ("condition",))
    rows = tuple(
        _slack(r, row, f"equality.slacks[{k}]")
        for k, row in enumerate(r.array(e["slacks"], "equality.slacks"))
    )
    return TreeEquality(
        r.string(e["statement"], "equality.statement"),
        rows,
        r.flag(e["holds"], "equality.holds"),
        r.flag(e["is_equilibrium"], "equality.is_equilibrium"),
        r.string(e["condition"], "equality.condition") if "condition" in e else None,
    )


def tree_trace_from_tree(tree, source: str = "trace") -> TreeTrace:
    """A :class:`~proofs.tree_trace.TreeTrace` from :func:`proofs.reading.read_tree`'s tree."""
    from .reading import TraceReader  # reading dispatches to this module

    r = TraceReader(source)
    top = r.document(tree, TREE_TRACE_FORMAT, "a tree trace", TREE_TRACE_KEYS)
    theorem = r.string(top["theorem"], "theorem")
    try:
        game = tree_from_json(top["game"], f"{source}: game")
        profile = behaviour_from_json(top["profile"], game, f"{source}: profile")
    except GameError as exc:
        raise ProofError(str(exc)) from None
    r.parameters = (*game.parameters, *profile.parameters)
    steps = tuple(
        r.step(node, f"steps[{k}]", TREE_VALUE_KEYS)
        for k, node in enumerate(r.array(top["steps"], "steps"))
    )
    equality = _equality(r, top["equality"])
    return TreeTrace(theorem, game, profile, steps, equality, r.conclusion(top["conclusion"]))


def read_tree_trace(text, source: str = "trace") -> TreeTrace:
    """Read a tree trace's JSON text (``str`` or UTF-8 ``bytes``) exactly."""
    from .reading import read_tree

    return tree_trace_from_tree(read_tree(text, source), source)

"""MDP files ``exactpower/mdp-v1`` and reward distributions ``exactpower/rewards-v1``.

An mdp-v1 document::

    {"format": "exactpower/mdp-v1",
     "title": "...",                                    (optional)
     "parameters": {"p": "probability"},                (optional, as game-v1)
     "states": ["s", "a", "b"],
     "start": ["s"],                                    (optional; default: the first state)
     "transitions": {"s": {"left": {"a": 1}, "right": {"b": "1/2", "s": "1/2"}}, ...},
     "gamma": "3/5",                                    (optional)
     "rewards": "iid-uniform" | {"distribution": [...]}, (optional)
     "gridworld": {"rows": 3, "cols": 3, "walls": ["1,1"]}}   (optional: the layout)

``transitions`` gives, for every state, its actions (in order) and for each action
``{next_state: probability}``.  Values are those of game-v1: JSON numbers and decimal
strings taken exactly (``0.1`` is 1/10), ``"a/b"``, expressions over the declared
parameters.  A state that no other state leads to must be listed in ``start`` (else it
is *unreachable*, an error).  A rewards-v1 document (``exactpower mdp-power --rewards
FILE``) is a finite distribution over state-reward functions::

    {"format": "exactpower/rewards-v1",
     "distribution": [{"probability": "1/2", "rewards": {"s": 0, "a": 1, "b": 0}}, ...]}

and the same object without ``format`` may be an mdp-v1 file's ``rewards``.  Every bad
input is a one-line :class:`~exactpower.GameError` naming the source and the JSON path.
The JSON Schemas are ``exactpower/io/schemas/mdp-v1.schema.json`` and
``rewards-v1.schema.json``.

>>> doc = loads_mdp('''{"format": "exactpower/mdp-v1", "states": ["s", "a"],
...   "transitions": {"s": {"go": {"a": 0.5, "s": "1/2"}}, "a": {"stay": {"a": 1}}},
...   "gamma": "3/5"}''')
>>> doc.mdp.transitions[0], doc.gamma
((((1, 1/2), (0, 1/2)),), 3/5)
>>> loads_mdp(dumps_mdp(doc.mdp, gamma=doc.gamma)) == doc
True
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import sympy

from .. import limits
from ..errors import GameError
from ..sequential.mdp import MDP, FiniteRewards, IidUniform, as_gamma
from .file_access import read_file_bytes
from .graphviz import load_gv
from .json_reader import JSONNumber, Reader, json_path, json_type, located, read_json
from .tree_json import read_parameters

__all__ = [
    "MDP_FORMAT",
    "REWARDS_FORMAT",
    "IID_UNIFORM",
    "Gridworld",
    "MDPDocument",
    "MDP_EXTENSIONS",
    "load_mdp_file",
    "mdp_from_json",
    "loads_mdp",
    "load_mdp",
    "mdp_to_data",
    "dumps_mdp",
    "rewards_from_json",
    "loads_rewards",
    "load_rewards",
    "rewards_to_data",
]

MDP_FORMAT = "exactpower/mdp-v1"
REWARDS_FORMAT = "exactpower/rewards-v1"
#: The word for rewards drawn iid from uniform [0, 1] per state.
IID_UNIFORM = "iid-uniform"

_MDP_KEYS = ("format", "states", "transitions")
_MDP_OPTIONAL = ("title", "parameters", "start", "gamma", "rewards", "gridworld")


@dataclass(frozen=True)
class Gridworld:
    """The layout of a gridworld MDP (states ``"r,c"``): rows, columns and walls."""

    rows: int
    cols: int
    walls: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class MDPDocument:
    """What an mdp-v1 file holds: the MDP and its optional discount, rewards, layout."""

    mdp: MDP
    gamma: sympy.Expr | None = None
    rewards: FiniteRewards | IidUniform | None = None
    title: str = ""
    gridworld: Gridworld | None = None
    notes: tuple[str, ...] = ()


# -- reading -----------------------------------------------------------------------------


def _check_format(r: Reader, root: object, kind: str) -> dict:
    r.object(root, "")
    if "format" not in root:  # type: ignore[operator]
        r.fail("", f"missing key 'format' (expected {kind!r})")
    fmt = root["format"]  # type: ignore[index]
    if fmt != kind:
        got = repr(fmt) if isinstance(fmt, str) else json_type(fmt)
        r.fail("format", f"expected {kind!r}, got {got}")
    return root  # type: ignore[return-value]


def _transitions(r: Reader, node: object, states: tuple) -> dict:
    table = r.object(node, "transitions")
    out: dict = {}
    for name, actions in table.items():
        where = json_path("transitions", name)
        if name not in states:
            r.fail(where, f"{name!r} is not one of the states")
        acts = r.object(actions, where)
        out[name] = {}
        for action, nexts in acts.items():
            at = json_path(where, action)
            r.string(action, at)
            row = r.object(nexts, at)
            out[name][action] = {t: r.value(p, json_path(at, t)) for t, p in row.items()}
    return out


def mdp_from_json(root: object, source: str = "<string>") -> MDPDocument:
    """The document of an mdp-v1 tree already parsed by :func:`read_json`."""
    r = Reader(source)
    _check_format(r, root, MDP_FORMAT)
    r.object(root, "", required=_MDP_KEYS, optional=_MDP_OPTIONAL)
    doc: dict = root  # type: ignore[assignment]
    params = read_parameters(r, doc["parameters"]) if "parameters" in doc else ()
    r.symbols = {p.name: p.symbol for p in params}
    states = r.names(doc["states"], "states", "state")
    title = r.string(doc["title"], "title", limits.MAX_TITLE_LENGTH) if "title" in doc else ""
    start = r.names(doc["start"], "start", "start state") if "start" in doc else ()
    table = _transitions(r, doc["transitions"], states)
    try:
        mdp = MDP.build(states, table, parameters=params, start=start)
    except GameError as exc:
        raise located(exc, source) from None
    gamma = _gamma(r, doc["gamma"]) if "gamma" in doc else None
    rewards = _rewards(r, doc["rewards"], "rewards", mdp) if "rewards" in doc else None
    grid = _gridworld(r, doc["gridworld"], states) if "gridworld" in doc else None
    return MDPDocument(mdp, gamma, rewards, title, grid)


def _gamma(r: Reader, node: object) -> sympy.Expr:
    text = node.text if isinstance(node, JSONNumber) else node
    if not isinstance(text, str):
        r.fail("gamma", f"expected a number or a string, got {json_type(node)}")
    try:
        return as_gamma(text)
    except GameError as exc:
        r.fail("gamma", str(exc).removeprefix("gamma: "))


def _rewards(r: Reader, node: object, path: str, mdp: MDP | None) -> FiniteRewards | IidUniform:
    if node == IID_UNIFORM:
        return IidUniform()
    if isinstance(node, str):
        r.fail(path, f"expected {IID_UNIFORM!r} or an object with 'distribution', got {node!r}")
    obj = r.object(node, path, required=("distribution",))
    where = json_path(path, "distribution")
    items = r.array(obj["distribution"], where)
    if not items:
        r.fail(where, "needs at least one reward function")
    support = []
    for k, item in enumerate(items):
        at = json_path(where, k)
        entry = r.object(item, at, required=("probability", "rewards"))
        p = r.value(entry["probability"], json_path(at, "probability"))
        values = r.object(entry["rewards"], json_path(at, "rewards"))
        rw = {s: r.value(v, json_path(json_path(at, "rewards"), s)) for s, v in values.items()}
        support.append((p, rw))
    try:
        rewards = FiniteRewards(tuple(support))
        if mdp is not None:
            rewards.table(mdp)
    except GameError as exc:
        r.fail(where, str(exc).removeprefix("rewards: "), type(exc))
    return rewards


def _gridworld(r: Reader, node: object, states: tuple) -> Gridworld:
    obj = r.object(node, "gridworld", required=("rows", "cols"), optional=("walls",))
    size = []
    for key in ("rows", "cols"):
        v = obj[key]
        if not isinstance(v, JSONNumber) or not v.text.isdigit() or int(v.text) < 1:
            r.fail(json_path("gridworld", key), f"expected a positive integer, got {json_type(v)}")
        size.append(int(v.text))
    walls = []
    for k, w in enumerate(r.array(obj.get("walls", []), "gridworld.walls")):
        at = json_path("gridworld.walls", k)
        text = r.string(w, at)
        cell = _cell(text)
        if cell is None or not (0 <= cell[0] < size[0] and 0 <= cell[1] < size[1]):
            r.fail(at, f"{text!r} is not a cell 'r,c' of the {size[0]}x{size[1]} grid")
        walls.append(cell)
    expected = [f"{i},{j}" for i in range(size[0]) for j in range(size[1]) if (i, j) not in walls]
    if sorted(expected) != sorted(states):
        r.fail("gridworld", "the states are not the cells 'r,c' of this grid minus its walls")
    return Gridworld(size[0], size[1], tuple(walls))


def _cell(text: str) -> tuple[int, int] | None:
    parts = text.split(",")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def _read_source(path_or_text: str | os.PathLike, loads) -> object:
    data, path = read_file_bytes(path_or_text)
    return loads(data, source=path)


def loads_mdp(text: str | bytes, *, source: str = "<string>") -> MDPDocument:
    """The :class:`MDPDocument` of mdp-v1 text."""
    return mdp_from_json(read_json(text, source), source)


def load_mdp(path: str | os.PathLike) -> MDPDocument:
    """The :class:`MDPDocument` of an mdp-v1 file."""
    return _read_source(path, loads_mdp)  # type: ignore[return-value]


#: MDP files by extension.
MDP_EXTENSIONS = {
    ".json": "exactpower/mdp-v1 JSON",
    ".gv": "POWERplay Graphviz",
    ".dot": "Graphviz",
}


def load_mdp_file(path: str | os.PathLike) -> MDPDocument:
    """An MDP file by its extension: mdp-v1 ``.json``, or POWERplay's ``.gv`` (``.dot``)
    read by :func:`exactpower.io.graphviz.load_gv` (a policy file is an error)."""
    name = os.fsdecode(path)
    ext = os.path.splitext(name)[1].lower()
    if ext == ".json":
        return load_mdp(name)
    if ext not in MDP_EXTENSIONS:
        raise GameError(
            f"{name}: cannot tell the MDP format from the extension {ext or '(none)'!r} "
            f"(expected .json or .gv)"
        )
    gv = load_gv(name)
    if gv.mdp is None:
        raise GameError(f"{name}: this is a policy file, not an MDP")
    return MDPDocument(gv.mdp, title=gv.title, notes=gv.notes)


def rewards_from_json(root: object, source: str = "<string>", mdp: MDP | None = None):
    """The :class:`FiniteRewards` of a parsed rewards-v1 document (checked against
    ``mdp``'s states when given)."""
    r = Reader(source)
    _check_format(r, root, REWARDS_FORMAT)
    r.object(root, "", required=("format", "distribution"), optional=("title",))
    body = {"distribution": root["distribution"]}  # type: ignore[index]
    return _rewards(r, body, "", mdp)


def loads_rewards(text: str | bytes, *, source: str = "<string>", mdp: MDP | None = None):
    """The :class:`FiniteRewards` of rewards-v1 text."""
    return rewards_from_json(read_json(text, source), source, mdp)


def load_rewards(path: str | os.PathLike, mdp: MDP | None = None) -> FiniteRewards:
    """The :class:`FiniteRewards` of a rewards-v1 file."""
    return _read_source(path, lambda t, source: loads_rewards(t, source=source, mdp=mdp))  # type: ignore[return-value]


# -- writing -----------------------------------------------------------------------------


def rewards_to_data(rewards: FiniteRewards, mdp: MDP, *, document: bool = True) -> dict:
    """The rewards-v1 document of ``rewards`` (``document=False``: the object an mdp-v1
    file's ``rewards`` holds)."""
    rows = rewards.table(mdp)
    dist = [
        {"probability": str(p), "rewards": {s: str(v) for s, v in zip(mdp.states, row)}}
        for p, row in zip(rewards.probabilities, rows)
    ]
    return {"format": REWARDS_FORMAT, "distribution": dist} if document else {"distribution": dist}


def mdp_to_data(
    mdp: MDP,
    *,
    gamma: object = None,
    rewards: FiniteRewards | IidUniform | None = None,
    title: str = "",
    gridworld: Gridworld | None = None,
) -> dict:
    """The mdp-v1 document of ``mdp`` as a dict (values as exact strings)."""
    data: dict = {"format": MDP_FORMAT}
    if title:
        data["title"] = title
    if mdp.parameters:
        data["parameters"] = {p.name: p.domain for p in mdp.parameters}
    data["states"] = list(mdp.states)
    if mdp.start:
        data["start"] = [mdp.states[s] for s in mdp.start]
    data["transitions"] = {
        name: {
            a: {mdp.states[t]: str(p) for t, p in row}
            for a, row in zip(mdp.actions[s], mdp.transitions[s])
        }
        for s, name in enumerate(mdp.states)
    }
    if gamma is not None:
        data["gamma"] = str(as_gamma(gamma))
    if isinstance(rewards, IidUniform):
        data["rewards"] = IID_UNIFORM
    elif rewards is not None:
        data["rewards"] = rewards_to_data(rewards, mdp, document=False)
    if gridworld is not None:
        data["gridworld"] = {"rows": gridworld.rows, "cols": gridworld.cols}
        if gridworld.walls:
            data["gridworld"]["walls"] = [f"{r},{c}" for r, c in gridworld.walls]
    return data


def dumps_mdp(mdp: MDP, **options: object) -> str:
    """The mdp-v1 text of ``mdp`` (options as :func:`mdp_to_data`): one line per state."""
    data = mdp_to_data(mdp, **options)  # type: ignore[arg-type]
    rows = data.pop("transitions")
    head = json.dumps(data, ensure_ascii=False)[:-1]
    lines = [
        f"  {json.dumps(s, ensure_ascii=False)}: {json.dumps(t, ensure_ascii=False)}"
        for s, t in rows.items()
    ]
    return head + ', "transitions": {\n' + ",\n".join(lines) + "\n}}\n"

"""Tree files ``exactpower/tree-v1`` and behaviour profiles ``exactpower/behaviour-v1``.

A tree-v1 document is the game tree written nested, as the builder of
:mod:`exactpower.sequential.tree` takes it; a node is one of

* a **chance** node ``{"chance": {action: probability}, "actions": {action: node}}``
  (optional ``"infoset"``: chance nodes sharing a name have equal actions and
  probabilities);
* a **decision** node ``{"player": name, "infoset": name, "actions": {action: node}}``;
* a **terminal** node ``{"payoffs": [value, ...]}``, one value per player;

each with an optional ``"label"``.  The document holds ``"format": "exactpower/tree-v1"``,
``"players"`` (names), ``"root"`` (a node), and optionally ``"title"`` and
``"parameters"`` (as in game-v1).  Values are those of game-v1: JSON numbers and decimal
strings taken exactly (``0.1`` is 1/10), ``"a/b"``, expressions over the declared
parameters in the project's own grammar.  Being nested, a document cannot hold a cycle or
a dangling reference.  A behaviour-v1 document gives a distribution per information set:
``{"format": "exactpower/behaviour-v1", "behaviour": {infoset: action or {action: p}}}``
(optional ``"title"`` and ``"parameters"``, strategy parameters beyond the game's).

Every bad input is a :class:`~exactpower.GameError` whose one-line message starts with
the source and the JSON path (``kuhn.json: root.actions.JQ.payoffs[1]: ...``), or, for
what the model checks on the whole tree (perfect recall, information sets), the node's
path in the tree.  ``docs/file-format.md`` documents both formats; the JSON Schema is
``exactpower/io/schemas/tree-v1.schema.json``.

>>> game = loads_tree('''{"format": "exactpower/tree-v1", "players": ["A", "B"],
...   "root": {"player": "A", "infoset": "a", "actions": {
...     "l": {"payoffs": [1, -1]}, "r": {"payoffs": ["1/2", "-0.5"]}}}}''')
>>> game.nodes[2].payoffs
(1/2, -1/2)
>>> loads_tree(dumps_tree(game)) == game
True
"""

from __future__ import annotations

import json

from .. import limits
from ..errors import GameError, LimitError, ParameterError, ProfileError
from ..exact import DOMAINS, Parameter, probability_symbols
from ..sequential.behaviour import BehaviourProfile
from ..sequential.tree import ExtensiveGame, chance, decision, terminal
from .file_access import read_file_bytes
from .json_reader import Reader, json_path, json_type, located, lookup, read_json

#: Characters of an information-set name (longer than other names: OpenSpiel's are strings).
INFOSET = limits.MAX_INFOSET_NAME_LENGTH

__all__ = [
    "TREE_FORMAT",
    "BEHAVIOUR_FORMAT",
    "loads_tree",
    "load_tree",
    "tree_from_json",
    "tree_to_data",
    "dumps_tree",
    "loads_behaviour",
    "load_behaviour",
    "behaviour_from_json",
    "behaviour_to_data",
    "dumps_behaviour",
]

TREE_FORMAT = "exactpower/tree-v1"
BEHAVIOUR_FORMAT = "exactpower/behaviour-v1"


# -- reading -----------------------------------------------------------------------------


def _check_format(r: Reader, root, kind: str) -> dict:
    r.object(root, "")
    if "format" not in root:
        r.fail("", f"missing key 'format' (expected {kind!r})")
    fmt = root["format"]
    if fmt != kind:
        got = repr(fmt) if isinstance(fmt, str) else json_type(fmt)
        r.fail("format", f"expected {kind!r}, got {got}")
    return root


def read_parameters(r: Reader, node, path: str = "parameters") -> tuple:
    """``{name: domain}`` as :class:`~exactpower.exact.Parameter` objects (as in game-v1)."""
    obj = r.object(node, path)
    if len(obj) > limits.MAX_PARAMETERS:
        r.fail(path, f"{len(obj)} parameters, over MAX_PARAMETERS = {limits.MAX_PARAMETERS}")
    out = []
    for name, domain in obj.items():
        where = json_path(path, name)
        r.string(domain, where)
        if domain not in DOMAINS:
            r.fail(where, f"unknown domain {domain!r} (expected one of {', '.join(DOMAINS)})")
        try:
            out.append(Parameter(name, domain))
        except ParameterError as e:
            r.fail(where, str(e), ParameterError)
    return tuple(out)


class _TreeReader:
    """Reads the nested nodes of one document into the model's builder."""

    def __init__(self, r: Reader, players: tuple, probs: frozenset):
        self.r, self.players, self.probs = r, players, probs
        self.count = 0

    def node(self, node, path: str):
        r = self.r
        self.count += 1
        if self.count > limits.MAX_TREE_NODES:
            r.fail(path, f"more than MAX_TREE_NODES = {limits.MAX_TREE_NODES} nodes", LimitError)
        r.object(node, path)
        label = r.string(node["label"], json_path(path, "label")) if "label" in node else ""
        if "payoffs" in node:
            r.object(node, path, required=("payoffs",), optional=("label",))
            where = json_path(path, "payoffs")
            items = r.array(node["payoffs"], where, len(self.players), "payoffs (one per player)")
            values = [r.value(v, json_path(where, k)) for k, v in enumerate(items)]
            return terminal(*values, label=label)
        if "chance" in node:
            return self.chance(node, path, label)
        if "player" in node:
            r.object(node, path, required=("player", "infoset", "actions"), optional=("label",))
            player = r.string(node["player"], json_path(path, "player"))
            index = lookup(r, self.players, player, json_path(path, "player"), "the game", "player")
            infoset = r.string(node["infoset"], json_path(path, "infoset"), INFOSET)
            return decision(index, infoset, self.children(node, path), label=label)
        r.fail(path, "a node needs 'chance', 'player' or 'payoffs'")

    def children(self, node, path: str) -> dict:
        where = json_path(path, "actions")
        actions = self.r.object(node["actions"], where)
        if not actions:
            self.r.fail(where, "a node needs at least one action")
        return {a: self.node(child, json_path(where, a)) for a, child in actions.items()}

    def chance(self, node, path: str, label: str):
        r = self.r
        r.object(node, path, required=("chance", "actions"), optional=("label", "infoset"))
        where = json_path(path, "chance")
        probs = r.object(node["chance"], where)
        actions = r.object(node["actions"], json_path(path, "actions"))
        if list(probs) != list(actions):
            r.fail(
                where,
                f"the probabilities are for {list(probs)} but the actions are {list(actions)} "
                f"(the same names, in the same order)",
            )
        values = {a: r.value(v, json_path(where, a)) for a, v in probs.items()}
        r.probabilities([(v, json_path(where, a)) for a, v in values.items()], where, self.probs)
        infoset = (
            r.string(node["infoset"], json_path(path, "infoset"), INFOSET)
            if "infoset" in node
            else None
        )
        kids = self.children(node, path)
        moves = {a: (values[a], kids[a]) for a in kids}
        return chance(moves, label=label, infoset=infoset)


def tree_from_json(root, source: str = "<string>") -> ExtensiveGame:
    """The game of a tree-v1 document already parsed by :func:`~exactpower.io.read_json`
    (for documents embedded in others, such as proof traces)."""
    r = Reader(source)
    try:
        _check_format(r, root, TREE_FORMAT)
        keys = ("format", "title", "parameters", "players", "root")
        r.object(root, "", required=("format", "players", "root"), optional=keys)
        title = r.string(root["title"], "title", limits.MAX_TITLE_LENGTH) if "title" in root else ""
        parameters = read_parameters(r, root["parameters"]) if "parameters" in root else ()
        r.symbols = {p.name: p.symbol for p in parameters}
        players = r.names(root["players"], "players", "player", False)
        if len(players) > limits.MAX_PLAYERS:
            r.fail("players", f"{len(players)} players, over MAX_PLAYERS = {limits.MAX_PLAYERS}")
        reader = _TreeReader(r, players, probability_symbols(parameters))
        tree = reader.node(root["root"], "root")
        return ExtensiveGame.build(players=players, root=tree, parameters=parameters, title=title)
    except RecursionError:
        raise LimitError(f"{source}: root: the tree is nested too deeply") from None
    except GameError as e:
        raise located(e, source) from None


def loads_tree(text, *, source: str = "<string>") -> ExtensiveGame:
    """Read a tree-v1 document from JSON text (``str`` or ``bytes``)."""
    return tree_from_json(read_json(text, source), source)


def load_tree(path) -> ExtensiveGame:
    """Read a tree-v1 document from a file."""
    data, source = read_file_bytes(path, document=True)
    return loads_tree(data, source=source)


def behaviour_from_json(root, game: ExtensiveGame, source: str = "<string>") -> BehaviourProfile:
    """The behaviour profile of ``game`` in a behaviour-v1 document parsed by ``read_json``."""
    r = Reader(source)
    try:
        _check_format(r, root, BEHAVIOUR_FORMAT)
        keys = ("format", "title", "parameters", "behaviour")
        r.object(root, "", required=("format", "behaviour"), optional=keys)
        if "title" in root:
            r.string(root["title"], "title", limits.MAX_TITLE_LENGTH)
        extra = read_parameters(r, root["parameters"]) if "parameters" in root else ()
        known = game.parameters + extra
        r.symbols = {p.name: p.symbol for p in known}
        given = r.object(root["behaviour"], "behaviour")
        names = tuple(s.name for s in game.infosets if s.player is not None)
        out = {}
        for name, node in given.items():
            path = json_path("behaviour", name)
            lookup(r, names, name, path, "the game", "information set", ProfileError)
            actions = game.infosets[game.infoset_index(name)].actions
            out[name] = _distribution(r, node, path, actions, probability_symbols(known))
        return BehaviourProfile.from_dict(game, out, parameters=extra)
    except GameError as e:
        raise located(e, source) from None


def _distribution(r: Reader, node, path: str, actions: tuple, probs: frozenset):
    if isinstance(node, str):
        lookup(r, actions, node, path, "the information set", "action", ProfileError)
        return node
    if not isinstance(node, dict):
        r.fail(path, f"expected an action or {{action: probability}}, got {json_type(node)}")
    r.object(node, path)
    out = {}
    for a, v in node.items():
        where = json_path(path, a)
        lookup(r, actions, a, where, "the information set", "action", ProfileError)
        out[a] = r.value(v, where)
    r.probabilities([(v, json_path(path, a)) for a, v in out.items()], path, probs)
    return out


def loads_behaviour(text, game: ExtensiveGame, *, source: str = "<string>") -> BehaviourProfile:
    """Read a behaviour-v1 document for ``game`` from JSON text."""
    return behaviour_from_json(read_json(text, source), game, source)


def load_behaviour(path, game: ExtensiveGame) -> BehaviourProfile:
    """Read a behaviour-v1 document for ``game`` from a file."""
    data, source = read_file_bytes(path, document=True)
    return loads_behaviour(data, game, source=source)


# -- writing -----------------------------------------------------------------------------


def _text(value) -> str:
    return str(value)


def _node_data(game: ExtensiveGame, index: int) -> dict:
    node = game.nodes[index]
    out: dict = {"label": node.label} if node.label else {}
    if node.infoset is None:  # a terminal node
        out["payoffs"] = [_text(v) for v in node.payoffs or ()]
        return out
    infoset = game.infosets[node.infoset]
    kids = [_node_data(game, k) for k in node.children]
    if infoset.player is None:
        probs = infoset.probabilities or ()
        out["chance"] = {a: _text(p) for a, p in zip(infoset.actions, probs)}
        if len(infoset.nodes) > 1 or infoset.name != f"chance:{node.label or index}":
            out["infoset"] = infoset.name
    else:
        out["player"] = game.players[infoset.player]
        out["infoset"] = infoset.name
    out["actions"] = dict(zip(infoset.actions, kids))
    return out


def tree_to_data(game: ExtensiveGame) -> dict:
    """The tree-v1 document of ``game`` as a dict (values as exact strings)."""
    data: dict = {"format": TREE_FORMAT}
    if game.title:
        data["title"] = game.title
    if game.parameters:
        data["parameters"] = {p.name: p.domain for p in game.parameters}
    data["players"] = list(game.players)
    data["root"] = _node_data(game, 0)
    return data


def dumps_tree(game: ExtensiveGame, *, indent: int | None = 1) -> str:
    """The tree-v1 text of ``game``; :func:`loads_tree` reads it back equal."""
    return json.dumps(tree_to_data(game), indent=indent, ensure_ascii=False) + "\n"


def behaviour_to_data(profile: BehaviourProfile) -> dict:
    """The behaviour-v1 document of ``profile`` (a pure choice written as the action)."""
    data: dict = {"format": BEHAVIOUR_FORMAT}
    if profile.parameters:
        data["parameters"] = {p.name: p.domain for p in profile.parameters}
    out: dict = {}
    for infoset in profile.game.infosets:
        if infoset.player is None:
            continue
        dist = profile.at(infoset.name)
        pure = [a for a, p in dist.items() if p == 1]
        out[infoset.name] = pure[0] if pure else {a: _text(p) for a, p in dist.items() if p != 0}
    data["behaviour"] = out
    return data


def dumps_behaviour(profile: BehaviourProfile, *, indent: int | None = 1) -> str:
    """The behaviour-v1 text of ``profile``; :func:`loads_behaviour` reads it back equal."""
    return json.dumps(behaviour_to_data(profile), indent=indent, ensure_ascii=False) + "\n"

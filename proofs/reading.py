"""Reading proof traces: one exact JSON reader, exact key sets, limits, and the format dispatch.

Both trace formats (``exactpower/trace-v1``, :class:`proofs.Trace`, and
``exactpower/shape-trace-v1``, :class:`proofs.ShapeTrace`) are read here, by
the same path:

1. :func:`read_tree`: the size is checked against :data:`MAX_TRACE_BYTES`,
   then the text is parsed by :func:`exactpower.files.read_json` -- the JSON
   reader of game files: every number stays the text it was written as
   (:class:`~exactpower.files.JSONNumber`, never a float), duplicate keys are
   refused wherever they are, with their JSON path.
2. a :class:`TraceReader` turns the tree into the trace's records: every
   record has exactly its keys (an unknown or a missing key is an error naming
   the record and the key; :data:`ANNOTATIONS` are allowed at the top level
   only), every field has its JSON type (names are strings, ``index`` an
   integer, flags ``true``/``false``/``null``), the embedded game and profile
   are read by :func:`exactpower.files.game_from_tree` /
   :func:`~exactpower.files.profile_from_tree` from the same tree (exactly:
   no round trip through floats), and every exact value is a *string* read by
   :func:`proofs.trace.parse_value` (a JSON number where a value is expected is
   refused: traces write values as strings).

:func:`read_trace` returns a :class:`~proofs.Trace` or a
:class:`~proofs.ShapeTrace` by the document's ``format`` (and says "this is a
game, not a trace" for a game file); :func:`check_trace` reads and checks with
the matching kernel.  Every failure is a :class:`~proofs.ProofError`
``"<source>: <JSON path>: <message>"``.

>>> from exactpower import BayesianGame, StrategyProfile
>>> from proofs import power_scarcity, shape_theorem
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> check_trace(power_scarcity(mp, StrategyProfile.uniform(mp)).to_json())[1].ok
True
>>> type(read_trace(shape_theorem(1, 1, 2).to_json())).__name__
'ShapeTrace'
"""

from __future__ import annotations

import os
import re

import sympy

from exactpower.errors import GameError
from exactpower.io import json_files as files
from exactpower.io.json_reader import JSONNumber, json_path, json_type, read_json
from exactpower.limits import MAX_PREMISE_DEPTH, MAX_TRACE_BYTES, MAX_VALUES_TOTAL

from .kernel import (
    Conclusion,
    Deviation,
    Equality,
    ProofError,
    ShapeEquality,
    ShapeHypothesis,
    ShapeStep,
    Slack,
    Step,
    Verdict,
    check,
    check_shape,
)
from .shape import FORMAT as SHAPE_FORMAT
from .shape import ShapeTrace
from .trace import FORMAT, MAX_VALUE_LENGTH, NOT_TRACES, VALUE_KEYS, Trace, parse_value
from .tree_reading import TREE_TRACE_FORMAT, TreeTrace, check_tree, tree_trace_from_tree

__all__ = [
    "ANNOTATIONS",
    "MAX_PREMISE_DEPTH",
    "MAX_TRACE_BYTES",
    "MAX_VALUES_TOTAL",
    "TraceReader",
    "as_tree",
    "check_trace",
    "load_trace",
    "read_trace",
    "read_tree",
    "shape_trace_from_tree",
    "trace_from_tree",
]


# The limits of trace reading (MAX_TRACE_BYTES, MAX_VALUE_LENGTH, MAX_VALUES_TOTAL,
# MAX_PREMISE_DEPTH) are defined in exactpower.limits; each is checked before the work it limits.
#: Top-level keys a corpus file may add (strings; reading ignores them). Nowhere else.
ANNOTATIONS = ("expected_rejection", "comment")
_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,17})")


def read_tree(text, source: str = "trace"):
    """The JSON tree of a trace's text, by exactpower's exact reader.

    :func:`exactpower.files.read_json`: numbers stay :class:`~exactpower.files.JSONNumber`
    (never a float), duplicate keys are refused wherever they are, and the size
    is checked against :data:`MAX_TRACE_BYTES` before the text is parsed.

    >>> read_tree('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    proofs.kernel.guard.ProofError: trace: top level: duplicate key 'a'
    """
    try:
        return read_json(text, source, max_bytes=MAX_TRACE_BYTES, limit_name="MAX_TRACE_BYTES")
    except GameError as exc:
        raise ProofError(str(exc)) from None


def as_tree(data, source: str = "trace", path: str = ""):
    """A trace's data made of Python objects (``to_data``'s dict) as a :func:`read_tree` tree:
    ints become :class:`~exactpower.files.JSONNumber`, tuples lists; floats are refused."""
    if isinstance(data, dict):
        if not all(isinstance(k, str) for k in data):
            raise ProofError(f"{source}: {path or 'top level'}: keys must be strings")
        return {k: as_tree(v, source, json_path(path, k)) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [as_tree(v, source, json_path(path, k)) for k, v in enumerate(data)]
    if isinstance(data, int) and not isinstance(data, bool):
        return JSONNumber(str(data))
    if data is None or isinstance(data, (str, bool, JSONNumber)):
        return data
    raise ProofError(
        f"{source}: {path or 'top level'}: {type(data).__name__} {data!r} is not "
        f"exact JSON data (write exact values as strings)"
    )


class TraceReader:
    """Typed access to a trace's tree; every failure is a :class:`ProofError`
    ``"<source>: <JSON path>: <message>"``.  ``parameters`` (set once the game
    is read) are the names a value may use."""

    def __init__(self, source: str):
        self.source = source
        self.parameters: tuple = ()
        self.cache: dict = {}
        self.parsed = 0

    def fail(self, path: str, message: str):
        raise ProofError(f"{self.source}: {path or 'top level'}: {message}")

    def record(self, node, path: str, what: str, keys, optional=()) -> dict:
        """``node`` as an object with every key of ``keys``, and no key outside ``optional``."""
        if not isinstance(node, dict):
            self.fail(path, f"{what} must be a JSON object, got {json_type(node)}")
        for key in node:
            if key not in keys and key not in optional:
                allowed = ", ".join(repr(k) for k in (*keys, *optional))
                self.fail(path, f"{what} has unknown key {key!r} (allowed: {allowed})")
        for key in keys:
            if key not in node:
                self.fail(path, f"{what} has no key {key!r}")
        for key in ANNOTATIONS if path == "" else ():
            if key in node:
                self.string(node[key], key)
        return node

    def mapping(self, node, path: str) -> dict:
        """An object of strings (its keys are for the kernel to check)."""
        if not isinstance(node, dict):
            self.fail(path, f"expected an object, got {json_type(node)}")
        return {k: self.string(v, json_path(path, k)) for k, v in node.items()}

    def array(self, node, path: str) -> list:
        if not isinstance(node, list):
            self.fail(path, f"expected an array, got {json_type(node)}")
        return node

    def string(self, node, path: str) -> str:
        if not isinstance(node, str):
            self.fail(path, f"expected a string, got {json_type(node)}")
        return node

    def integer(self, node, path: str) -> int:
        if not (isinstance(node, JSONNumber) and _INTEGER.fullmatch(node.text)):
            self.fail(path, f"expected an integer (at most 18 digits), got {json_type(node)}")
        return int(node.text)

    def flag(self, node, path: str) -> bool | None:
        if node is not None and not isinstance(node, bool):
            self.fail(path, f"expected true, false or null, got {json_type(node)}")
        return node

    def document(self, node, want: str, what: str, keys) -> dict:
        """The top level: an object whose ``format`` is ``want`` (checked first: a game or
        a profile document is named as such), with exactly ``keys`` and :data:`ANNOTATIONS`."""
        if not isinstance(node, dict):
            self.fail("", f"{what} must be a JSON object, got {json_type(node)}")
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt in NOT_TRACES:
            self.fail("format", f"this is a {NOT_TRACES[fmt]} ({fmt}), not a trace")
        if "format" in node and fmt != want:
            shown = repr(fmt) if isinstance(fmt, str) else json_type(fmt)
            self.fail("format", f"format must be {want!r}, not {shown}")
        return self.record(node, "", what, keys, ANNOTATIONS)

    def embedded(self, read, node, path: str, *args):
        """A game or profile document at ``path``, read by exactpower's file reader."""
        try:
            return (
                read(node, *args, f"{self.source}: {path}")
                if args
                else read(node, f"{self.source}: {path}")
            )
        except GameError as exc:
            raise ProofError(str(exc)) from None

    def value(self, node, path: str) -> sympy.Expr:
        """An exact value: a string read by :func:`parse_value` (JSON numbers refused)."""
        if not isinstance(node, str):
            got = (
                f'{node.text} (a JSON number: write exact values as strings, e.g. "1/2")'
                if isinstance(node, JSONNumber)
                else json_type(node)
            )
            self.fail(path, f"expected an exact value as a string, got {got}")
        hit = self.cache.get(node)
        if hit is None:
            if len(node) > MAX_VALUE_LENGTH:
                self.fail(
                    path,
                    f"the value has {len(node)} characters, over the limit "
                    f"MAX_VALUE_LENGTH = {MAX_VALUE_LENGTH}",
                )
            self.parsed += len(node)
            if self.parsed > MAX_VALUES_TOTAL:
                self.fail(
                    path,
                    f"the values of this trace have more than {MAX_VALUES_TOTAL} "
                    f"characters, over the limit MAX_VALUES_TOTAL",
                )
            try:
                hit = parse_value(node, self.parameters, where=f"{self.source}: {path}")
            except GameError as exc:
                raise ProofError(str(exc)) from None
            self.cache[node] = hit
        return hit

    def premises(self, node, path: str, value_keys=frozenset(), is_value=False, depth=0):
        """Premises as plain data: objects, arrays, strings, true/false/null, integers; exact
        values at and under the keys ``value_keys`` (the kernel checks the rule's keys)."""
        if depth > MAX_PREMISE_DEPTH:
            self.fail(path, f"nested deeper than MAX_PREMISE_DEPTH = {MAX_PREMISE_DEPTH}")
        if isinstance(node, dict):
            return {
                k: self.premises(
                    v, json_path(path, k), value_keys, is_value or k in value_keys, depth + 1
                )
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [
                self.premises(v, json_path(path, k), value_keys, is_value, depth + 1)
                for k, v in enumerate(node)
            ]
        if is_value:
            return self.value(node, path)
        if node is None or isinstance(node, (str, bool)):
            return node
        return self.integer(node, path)

    def step(self, node, path: str, value_keys) -> Step:
        """A step record; its premises by :meth:`premises` with ``value_keys``."""
        s = self.record(node, path, "a step", STEP_KEYS)
        rule, lhs, relation, rhs = (self.string(s[k], f"{path}.{k}") for k in CLAIM_KEYS)
        index = self.integer(s["index"], f"{path}.index")
        value = self.value(s["value"], f"{path}.value")
        premises = self.premises(s["premises"], f"{path}.premises", value_keys)
        return Step(index, rule, lhs, relation, rhs, value, premises)

    def deviation(self, node, path: str) -> Deviation | None:
        """A slack row's witness deviation at ``path``: ``null``, or its three keys."""
        if node is None:
            return None
        d = self.record(node, path, "a deviation", DEVIATION_KEYS)
        action, better = (self.string(d[k], f"{path}.{k}") for k in DEVIATION_KEYS[:2])
        return Deviation(action, better, self.value(d["gain"], f"{path}.gain"))

    def conclusion(self, node) -> Conclusion:
        """The trace's conclusion record."""
        c = self.record(node, "conclusion", "the conclusion", CONCLUSION_KEYS)
        values = [self.value(c[k], f"conclusion.{k}") for k in CONCLUSION_KEYS[1:]]
        return Conclusion(self.string(c["statement"], "conclusion.statement"), *values)


# -- exactpower/trace-v1 ---------------------------------------------------------------------

TRACE_KEYS = ("format", "theorem", "game", "profile", "steps", "equality", "conclusion")
STEP_KEYS = ("index", "rule", "lhs", "relation", "rhs", "value", "premises")
EQUALITY_KEYS = ("statement", "slacks", "holds", "is_equilibrium")
SLACK_KEYS = ("player", "type", "slack", "zero", "deviation")
DEVIATION_KEYS = ("action", "better", "gain")
CONCLUSION_KEYS = ("statement", "power_sum", "bound", "gap")
CLAIM_KEYS = ("rule", "lhs", "relation", "rhs")


def _equality(r: TraceReader, node) -> Equality:
    e = r.record(node, "equality", "the equality record", EQUALITY_KEYS, ("condition",))
    rows = []
    for k, row in enumerate(r.array(e["slacks"], "equality.slacks")):
        path = f"equality.slacks[{k}]"
        x = r.record(row, path, "a slack row", SLACK_KEYS)
        d = r.deviation(x["deviation"], f"{path}.deviation")
        rows.append(
            Slack(
                r.string(x["player"], f"{path}.player"),
                r.string(x["type"], f"{path}.type"),
                r.value(x["slack"], f"{path}.slack"),
                r.flag(x["zero"], f"{path}.zero"),
                d,
            )
        )
    condition = r.string(e["condition"], "equality.condition") if "condition" in e else None
    return Equality(
        r.string(e["statement"], "equality.statement"),
        tuple(rows),
        r.flag(e["holds"], "equality.holds"),
        r.flag(e["is_equilibrium"], "equality.is_equilibrium"),
        condition,
    )


def _algebraic_profile(tree, game, source: str):
    """The trace's profile: a profile-v1 document whose values may also hold ``sqrt(n)`` and
    ``CRootOf(p, k)`` (irrational equilibria; :mod:`exactpower.exact.algebraic`)."""
    return files.profile_from_tree(tree, game, source, algebraic=True)


def trace_from_tree(tree, source: str = "trace") -> Trace:
    """A :class:`~proofs.Trace` from :func:`read_tree`'s tree (see the module doc)."""
    r = TraceReader(source)
    top = r.document(tree, FORMAT, "a trace", TRACE_KEYS)
    theorem = r.string(top["theorem"], "theorem")
    game = r.embedded(files.game_from_tree, top["game"], "game")
    profile = r.embedded(_algebraic_profile, top["profile"], "profile", game)
    r.parameters = game.parameters
    steps = tuple(
        r.step(node, f"steps[{k}]", VALUE_KEYS)
        for k, node in enumerate(r.array(top["steps"], "steps"))
    )
    return Trace(
        theorem,
        game,
        profile,
        steps,
        _equality(r, top["equality"]),
        r.conclusion(top["conclusion"]),
    )


# -- exactpower/shape-trace-v1 -------------------------------------------------------------------

SHAPE_TRACE_KEYS = (
    "format",
    "theorem",
    "shape",
    "symbols",
    "definitions",
    "hypotheses",
    "steps",
    "equality",
    "conclusion",
)
SHAPE_KEYS = ("players", "types", "actions")
HYPOTHESIS_KEYS = ("name", "statement", "eliminates")
SHAPE_STEP_KEYS = ("index", "rule", "lhs", "relation", "rhs", "uses", "polynomial", "premises")
SHAPE_EQUALITY_KEYS = ("rule", "statement", "uses", "premises")


def _strings(r: TraceReader, node, path: str) -> tuple:
    return tuple(r.string(x, json_path(path, k)) for k, x in enumerate(r.array(node, path)))


def _polynomial(r: TraceReader, node, path: str) -> tuple:
    out = []
    for k, term in enumerate(r.array(node, path)):
        if not (isinstance(term, list) and len(term) == 2):
            r.fail(
                json_path(path, k), f"a term must be [coefficient, monomial], got {json_type(term)}"
            )
        out.append(_strings(r, term, json_path(path, k)))
    return tuple(out)


def _shape_step(r: TraceReader, node, path: str) -> ShapeStep:
    s = r.record(node, path, "a step", SHAPE_STEP_KEYS)
    rule, lhs, relation, rhs = (r.string(s[k], f"{path}.{k}") for k in CLAIM_KEYS)
    return ShapeStep(
        r.integer(s["index"], f"{path}.index"),
        rule,
        lhs,
        relation,
        rhs,
        _strings(r, s["uses"], f"{path}.uses"),
        _polynomial(r, s["polynomial"], f"{path}.polynomial"),
        r.premises(s["premises"], f"{path}.premises"),
    )


def shape_trace_from_tree(tree, source: str = "shape trace") -> ShapeTrace:
    """A :class:`~proofs.ShapeTrace` from :func:`read_tree`'s tree (see the module doc)."""
    r = TraceReader(source)
    top = r.document(tree, SHAPE_FORMAT, "a shape trace", SHAPE_TRACE_KEYS)
    shape = r.record(top["shape"], "shape", "the shape", SHAPE_KEYS)
    types, actions = (
        tuple(
            r.integer(x, f"shape.{key}[{k}]")
            for k, x in enumerate(r.array(shape[key], f"shape.{key}"))
        )
        for key in ("types", "actions")
    )
    definitions = r.mapping(top["definitions"], "definitions")
    hypotheses = []
    for k, node in enumerate(r.array(top["hypotheses"], "hypotheses")):
        h = r.record(node, f"hypotheses[{k}]", "a hypothesis", HYPOTHESIS_KEYS)
        hypotheses.append(
            ShapeHypothesis(
                r.string(h["name"], f"hypotheses[{k}].name"),
                r.string(h["statement"], f"hypotheses[{k}].statement"),
                None
                if h["eliminates"] is None
                else r.string(h["eliminates"], f"hypotheses[{k}].eliminates"),
            )
        )
    steps = tuple(
        _shape_step(r, node, f"steps[{k}]") for k, node in enumerate(r.array(top["steps"], "steps"))
    )
    e = r.record(top["equality"], "equality", "the equality record", SHAPE_EQUALITY_KEYS)
    equality = ShapeEquality(
        r.string(e["rule"], "equality.rule"),
        r.string(e["statement"], "equality.statement"),
        _strings(r, e["uses"], "equality.uses"),
        r.premises(e["premises"], "equality.premises"),
    )
    return ShapeTrace(
        r.string(top["theorem"], "theorem"),
        r.integer(shape["players"], "shape.players"),
        types,
        actions,
        _strings(r, top["symbols"], "symbols"),
        definitions,
        tuple(hypotheses),
        steps,
        equality,
        r.string(top["conclusion"], "conclusion"),
    )


# -- either format -----------------------------------------------------------------------------


def read_trace(text, source: str = "trace"):
    """A :class:`~proofs.Trace`, :class:`~proofs.ShapeTrace` or tree trace, by ``format``.

    >>> read_trace('{"format": "exactpower/game-v1", "players": [], "rewards": []}', "g.json")
    Traceback (most recent call last):
    ...
    proofs.kernel.guard.ProofError: g.json: format: this is a game (exactpower/game-v1), not a trace
    """
    tree = read_tree(text, source)
    if isinstance(tree, dict) and tree.get("format") == SHAPE_FORMAT:
        return shape_trace_from_tree(tree, source)
    if isinstance(tree, dict) and tree.get("format") == TREE_TRACE_FORMAT:  # a game tree's
        return tree_trace_from_tree(tree, source)
    if isinstance(tree, dict) and tree.get("format") == "exactpower/stochastic-trace-v1":
        from .stochastic_trace import stochastic_trace_from_tree  # a stochastic game's trace

        return stochastic_trace_from_tree(tree, source)
    return trace_from_tree(tree, source)


def load_trace(path):
    """:func:`read_trace` of a file; its size is checked before it is read."""
    source = os.fsdecode(path)
    size = os.stat(source).st_size
    if size > MAX_TRACE_BYTES:
        raise ProofError(
            f"{source}: top level: {size} bytes, over the limit MAX_TRACE_BYTES = {MAX_TRACE_BYTES}"
        )
    with open(source, "rb") as f:
        return read_trace(f.read(MAX_TRACE_BYTES + 1), source)


def check_trace(text, source: str = "trace") -> tuple:
    """``(trace, verdict)``: :func:`read_trace`, then the format's kernel; :class:`ProofError`
    when the text cannot be read (a rejection by a kernel is a verdict, not an error)."""
    trace = read_trace(text, source)
    if type(trace).__name__ == "StochasticTrace":  # proofs.stochastic_trace
        from .kernel.stochastic import check_stochastic

        return trace, check_stochastic(trace)
    if isinstance(trace, TreeTrace):  # a game tree's trace: the tree kernel
        return trace, check_tree(trace)
    verdict: Verdict = check_shape(trace) if isinstance(trace, ShapeTrace) else check(trace)
    return trace, verdict

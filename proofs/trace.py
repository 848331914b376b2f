"""Game traces as JSON (``exactpower/trace-v1``): the untrusted serialiser.

A :class:`Trace` is what a builder produces and what the kernel
(:func:`proofs.kernel.check`) re-derives: the theorem's name, the game and the
profile it is about, the chain of :class:`Step` records, the slack table of
the equality condition (:class:`Equality`) and the :class:`Conclusion`.
Nothing in a trace is trusted: every number in it is recomputed by the kernel
from the game and the profile.  The records, and the theorem tables
(:data:`NOTATION` and the rest, see :mod:`proofs.kernel.theorems`), belong to the
kernel; this module adds the JSON form (:meth:`Trace.to_json`, :meth:`Trace.from_json`)
and the value grammar (:func:`parse_value`).
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass

import sympy

from exactpower.display import html_block, html_table, html_text
from exactpower.errors import LimitError
from exactpower.exact import parse_expression
from exactpower.io import json_files as files
from exactpower.limits import MAX_VALUE_LENGTH

from .kernel.guard import ProofError
from .kernel.records import Conclusion, Deviation, Equality, Slack, Step, TraceRecord
from .kernel.theorems import (
    EQUALITY_STATEMENTS,
    NOTATION,
    RELATIONS,
    STATEMENTS,
    THEOREMS,
)

__all__ = [
    "value_text",
    "EQUALITY_STATEMENTS",
    "FORMAT",
    "MAX_VALUE_LENGTH",
    "NOTATION",
    "RELATIONS",
    "STATEMENTS",
    "THEOREMS",
    "VALUE_KEYS",
    "Conclusion",
    "Deviation",
    "Equality",
    "ProofError",
    "Slack",
    "Step",
    "Trace",
    "conclusion_data",
    "deviation_data",
    "encode_premises",
    "equality_data",
    "parse_value",
    "render",
    "steps_data",
]

FORMAT = "exactpower/trace-v1"
#: Documents that are not traces, by ``format``: ``check`` names what was given instead.
NOT_TRACES = {
    "exactpower/game-v1": "game",
    "exactpower/profile-v1": "profile",
    "exactpower/tree-v1": "game tree",
    "exactpower/behaviour-v1": "behaviour profile",
    "exactpower/stochastic-v1": "stochastic game",
    "exactpower/stationary-v1": "stationary profile",
    "exactpower/mdp-v1": "MDP",
}


#: Premise keys whose leaves are exact values (written as strings in JSON).
VALUE_KEYS = frozenset(
    {
        "marginal",
        "interim",
        "max",
        "power",
        "strategy",
        "mean",
        "slack",
        "total",
        "marginals",
        "expected_rewards",
        "constant",
        "welfare",
        "nash_conv",
        "regret",
        "hypotheses",
        "certificate",
    }
)


@dataclass(frozen=True)
class Trace(TraceRecord):
    """A traced proof of ``theorem`` for one game and profile: the kernel's record
    (:class:`proofs.kernel.records.TraceRecord`) with its JSON form.

    Build one with :func:`proofs.power_scarcity`; check it with
    :func:`proofs.check`; store it with :meth:`to_json` / :meth:`from_json`.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> from proofs import power_scarcity
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> trace = power_scarcity(mp, StrategyProfile.uniform(mp))
    >>> trace.theorem, [s.rule for s in trace.steps][:2], trace.conclusion.power_sum
    ('power-scarcity', ['power-definition', 'max-dominates-mean'], 0)
    """

    # -- display -----------------------------------------------------------------
    def _repr_html_(self) -> str:
        """Jupyter's display: the derivation, the slack table and the conclusion, as
        ``exactpower verify`` prints them (the trace as built: check it with
        :func:`proofs.check`)."""
        c, eq = self.conclusion, self.equality
        yes = {True: "yes", False: "no", None: "depends on the parameters"}
        steps = (
            [["step", "rule", "claim", "value"], ["", "", self.steps[0].lhs, ""]]
            if self.steps
            else [["step", "rule", "claim", "value"]]
        )
        steps += [
            [f"{s.index}.", s.rule, f"{s.relation} {s.rhs}", f"= {s.value}"] for s in self.steps
        ]
        slacks = [["player", "type", "slack", "zero", "witness deviation"]]
        slacks += [
            [
                r.player,
                r.type,
                r.slack,
                yes[r.zero],
                "-"
                if r.deviation is None
                else f"{r.deviation.action} -> {r.deviation.better} gains {r.deviation.gain}",
            ]
            for r in eq.slacks
        ]
        bound = "c" if self.theorem == "power-scarcity" else "W(σ)"
        parts = [
            html_text(f"theorem: {self.theorem}: {c.statement}; {eq.statement}"),
            html_table(steps, caption="derivation"),
            html_table(slacks, caption="slack table (zero for every row iff equality)"),
            html_text(
                f"conclusion: Σ_i POWER(i,σ) = {c.power_sum} ≥ {bound} = {c.bound} "
                f"(gap = total slack = NashConv = {c.gap}); equality: "
                f"{yes[eq.holds]}; BNE: {yes[eq.is_equilibrium]}"
            ),
        ]
        if eq.condition is not None:
            parts.append(html_text(f"equality condition on the parameters: {eq.condition}"))
        return html_block(parts)

    # -- JSON ------------------------------------------------------------------
    def to_data(self) -> dict:
        """The JSON-ready dict (exact values as strings, game and profile embedded)."""
        return {
            "format": FORMAT,
            "theorem": self.theorem,
            # The kernel re-derives the constant: a game's declared constant_sum (kept by
            # dump) is not part of the trace, so a trace of a game is the same bytes however
            # the game was made.
            "game": {k: v for k, v in files.to_data(self.game).items() if k != "constant_sum"},
            "profile": files.to_data(self.profile),
            "steps": steps_data(self.steps, VALUE_KEYS),
            "equality": equality_data(
                self.equality,
                lambda r: {"player": r.player, "type": r.type, "slack": value_text(r.slack)},
            ),
            "conclusion": conclusion_data(self.conclusion),
        }

    def to_json(self) -> str:
        """The trace as JSON text (``exactpower/trace-v1``)."""
        return render(self.to_data(), "") + "\n"

    @classmethod
    def from_data(cls, data, *, source: str = "trace") -> Trace:
        """Read :meth:`to_data`'s dict back; raises :class:`ProofError` on malformed data.

        The same checks as :meth:`from_json` (see its doc); a Python ``float``
        anywhere is refused.
        """
        from .reading import as_tree

        return cls.from_tree(as_tree(data, source), source=source)

    @classmethod
    def from_tree(cls, tree, *, source: str = "trace") -> Trace:
        """A trace from the tree of :func:`proofs.reading.read_tree` (numbers as written)."""
        from .reading import trace_from_tree

        return trace_from_tree(tree, source)

    @classmethod
    def from_json(cls, text, *, source: str = "trace") -> Trace:
        """Read :meth:`to_json`'s text (``str`` or UTF-8 ``bytes``) back exactly.

        The text is read by :func:`proofs.reading.read_tree` (exactpower's exact JSON reader:
        numbers kept as written, duplicate keys refused, ``MAX_TRACE_BYTES``
        checked first); every record must have exactly its keys (see
        ``docs/proofs.md``, "Reading traces"); values are read by
        :func:`parse_value`.  Raises :class:`ProofError` naming ``source`` and
        the JSON path.

        >>> from exactpower import BayesianGame, StrategyProfile
        >>> from proofs import power_scarcity
        >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
        >>> text = power_scarcity(mp, StrategyProfile.uniform(mp)).to_json()
        >>> Trace.from_json(text).steps[-1].value
        0
        >>> Trace.from_json("[]")
        Traceback (most recent call last):
        ...
        proofs.kernel.guard.ProofError: trace: top level: a trace must be a JSON object, got an array
        """
        from .reading import read_tree

        return cls.from_tree(read_tree(text, source), source=source)


def render(obj, pad: str = "") -> str:
    """JSON text with every small object or list on one line.

    >>> render({"a": [1, 2]})
    '{"a": [1, 2]}'
    """
    flat = json.dumps(obj, ensure_ascii=False)
    if len(flat) + len(pad) <= 100 or not isinstance(obj, (dict, list)) or not obj:
        return flat
    inner = pad + " "
    if isinstance(obj, dict):
        body = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {render(v, inner)}"
            for k, v in obj.items()
        ]
        return "{\n" + ",\n".join(body) + "\n" + pad + "}"
    return "[\n" + ",\n".join(inner + render(v, inner) for v in obj) + "\n" + pad + "]"


def encode_premises(obj, value_keys=frozenset(), is_value: bool = False):
    """Premises as JSON-ready data: the exact values under the keys ``value_keys`` (all of
    them with ``is_value``) as strings, tuples as lists; the rest as it is.

    >>> encode_premises({"max": (sympy.Rational(1, 2),), "n": 2}, {"max"})
    {'max': ['1/2'], 'n': 2}
    """
    if isinstance(obj, dict):
        return {
            k: encode_premises(v, value_keys, is_value or k in value_keys) for k, v in obj.items()
        }
    if isinstance(obj, (list, tuple)):
        return [encode_premises(v, value_keys, is_value) for v in obj]
    if is_value and isinstance(obj, sympy.Basic):
        return value_text(obj)
    return obj


def value_text(value) -> str:
    """The text of an exact value of a trace, refused (``LimitError``) beyond
    ``MAX_VALUE_LENGTH`` characters -- before printing, so that no huge number is converted.

    Python prints an integer of at most 4,300 digits; a trace value may have up to
    ``MAX_VALUE_LENGTH`` characters (a deep tree multiplies probabilities along a path).

    >>> value_text(sympy.Rational(3, 4))
    '3/4'
    >>> value_text(sympy.Integer(10) ** 5000)[:3], len(value_text(sympy.Integer(10) ** 5000))
    ('100', 5001)
    >>> value_text(sympy.Integer(10) ** 200_000)
    Traceback (most recent call last):
    ...
    exactpower.errors.LimitError: a value of the trace has about 200002 digits, over the limit MAX_VALUE_LENGTH = 100000
    """
    numbers = value.atoms(sympy.Rational) if isinstance(value, sympy.Basic) else ()
    digits = sum(
        1 + math.ceil((abs(int(n.p)).bit_length() + int(n.q).bit_length()) * math.log10(2))
        for n in numbers
    )
    if digits > MAX_VALUE_LENGTH:
        raise LimitError(
            f"a value of the trace has about {digits} digits, over the limit "
            f"MAX_VALUE_LENGTH = {MAX_VALUE_LENGTH}"
        )
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is None or get() == 0:  # no limit on printing integers here
        return str(value)
    old = get()
    sys.set_int_max_str_digits(max(old, MAX_VALUE_LENGTH))
    try:
        return str(value)
    finally:
        sys.set_int_max_str_digits(old)


def steps_data(steps, value_keys=frozenset(), all_values: bool = False) -> list:
    """The ``steps`` of a trace's JSON form; premises by :func:`encode_premises`."""
    return [
        {
            "index": s.index,
            "rule": s.rule,
            "lhs": s.lhs,
            "relation": s.relation,
            "rhs": s.rhs,
            "value": value_text(s.value),
            "premises": encode_premises(s.premises, value_keys, all_values),
        }
        for s in steps
    ]


def deviation_data(deviation: Deviation | None) -> dict | None:
    """A slack row's witness deviation in a trace's JSON form (``None``: ``null``)."""
    if deviation is None:
        return None
    return {
        "action": deviation.action,
        "better": deviation.better,
        "gain": value_text(deviation.gain),
    }


def equality_data(equality, fields) -> dict:
    """A trace's equality record in its JSON form: each slack row's ``fields(row)`` (exact
    values as strings), then its ``zero`` and ``deviation``; the ``condition`` last when the
    record has one."""
    condition = getattr(equality, "condition", None)
    return {
        "statement": equality.statement,
        "slacks": [
            {**fields(r), "zero": r.zero, "deviation": deviation_data(r.deviation)}
            for r in equality.slacks
        ],
        "holds": equality.holds,
        "is_equilibrium": equality.is_equilibrium,
        **({} if condition is None else {"condition": condition}),
    }


def conclusion_data(c: Conclusion) -> dict:
    """A trace's conclusion in its JSON form (values as strings)."""
    return {
        "statement": c.statement,
        "power_sum": value_text(c.power_sum),
        "bound": value_text(c.bound),
        "gap": value_text(c.gap),
    }


def parse_value(text, parameters=(), *, where: str = "value") -> sympy.Expr:
    """An exact value of a trace: exactpower's grammar with ``Max(e_1, ..., e_k)`` and the
    algebraic numbers ``sqrt(n)`` and ``CRootOf(p, k)`` of irrational equilibria.

    :func:`exactpower.expressions.parse_expression` with ``allow_max=True``,
    ``allow_algebraic=True`` (:mod:`exactpower.exact.algebraic`) and
    ``max_length=MAX_VALUE_LENGTH``, checked before anything is parsed.  Every other
    name must be a declared parameter (inside a ``CRootOf`` polynomial: its own variable).

    >>> from exactpower import Parameter
    >>> parse_value("x*Max(-x, x/3)/2 + 1", [Parameter("x")])
    x*Max(-x, x/3)/2 + 1
    >>> parse_value("Max(x, 1) + _max0_", [Parameter("x")])
    Traceback (most recent call last):
    ...
    exactpower.errors.ParameterError: value: undeclared parameter '_max0_' (declared: x) at column 13 in 'Max(x, 1) + _max0_'
    >>> parse_value("1 - CRootOf(x**3 - 3*x**2 + 4*x - 1, 0) + sqrt(265)/120")
    -CRootOf(x**3 - 3*x**2 + 4*x - 1, 0) + sqrt(265)/120 + 1
    """
    if not isinstance(text, str):
        raise ProofError(f"{where}: expected an exact value as a string, got {text!r}")
    if len(text) > MAX_VALUE_LENGTH:  # before any parsing
        raise LimitError(
            f"{where}: the value has {len(text)} characters, over the limit "
            f"MAX_VALUE_LENGTH = {MAX_VALUE_LENGTH}"
        )
    symbols = {p.name: p.symbol for p in parameters}
    return parse_expression(
        text,
        symbols,
        where=where,
        allow_max=True,
        max_length=MAX_VALUE_LENGTH,
        allow_algebraic=True,
    )

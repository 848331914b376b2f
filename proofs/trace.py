"""Proof traces as plain data, and their JSON form (``exactpower/trace-v1``).

A :class:`Trace` is what a builder produces and what the kernel
(:func:`proofs.kernel.check`) re-derives: the theorem's name, the game and the
profile it is about, the chain of :class:`Step` records, the slack table of
the equality condition (:class:`Equality`) and the :class:`Conclusion`.
Nothing in a trace is trusted: every number in it is recomputed by the kernel
from the game and the profile.

Notation of the ``lhs``/``rhs`` strings (fixed per rule, see :data:`NOTATION`):
``E_{t_i} X`` is ``Σ_{t_i: Ω_i(t_i)>0} Ω_i(t_i)·X``; ``E_t X`` is
``Σ_t Ω(t)·X``; ``E_{a~σ(t)} X`` is ``Σ_a Π_j σ_j(t_j)(a_j)·X``;
``E_{a_i~σ_i(t_i)} X`` is ``Σ_{a_i} σ_i(t_i)(a_i)·X``; ``max_{a_i}`` ranges over
exactly ``A_i``; ``c`` is the constant sum; ``W(σ)`` the welfare.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sympy

from exactpower.errors import GameError
from exactpower.values import as_exact

__all__ = [
    "ProofError",
    "Step",
    "Deviation",
    "Slack",
    "Equality",
    "Conclusion",
    "Trace",
    "FORMAT",
    "THEOREMS",
    "NOTATION",
    "RELATIONS",
    "STATEMENTS",
    "EQUALITY_STATEMENTS",
    "parse_value",
]

FORMAT = "exactpower/trace-v1"


class ProofError(GameError, ValueError):
    """A trace that the kernel rejects, or trace text that cannot be read."""


POWER_SUM = "Σ_i POWER(i,σ)"
#: ``rule -> (lhs, rhs)`` in the notation of the module docstring.
NOTATION = {
    "power-definition": (POWER_SUM, "Σ_i E_{t_i} max_{a_i} f_i(t_i,a_i,σ_-i)"),
    "max-dominates-mean": ("Σ_i E_{t_i} max_{a_i} f_i(t_i,a_i,σ_-i)",
                           "Σ_i E_{t_i} E_{a_i~σ_i(t_i)} f_i(t_i,a_i,σ_-i)"),
    "total-expectation": ("Σ_i E_{t_i} E_{a_i~σ_i(t_i)} f_i(t_i,a_i,σ_-i)",
                          "Σ_i E_t E_{a~σ(t)} r_i(t,a)"),
    "linearity": ("Σ_i E_t E_{a~σ(t)} r_i(t,a)", "E_t E_{a~σ(t)} Σ_i r_i(t,a)"),
    "constant-sum": ("E_t E_{a~σ(t)} Σ_i r_i(t,a)", "E_t E_{a~σ(t)} c"),
    "normalisation": ("E_t E_{a~σ(t)} c", "c"),
    "slack-sum": (POWER_SUM, "W(σ) + NashConv(σ)"),
}
#: The one relation each rule allows.
RELATIONS = {rule: ("≥" if rule == "max-dominates-mean" else "=") for rule in NOTATION}
#: ``theorem -> its rules, in order`` (step ``k`` uses rule ``k - 1`` of the tuple).
THEOREMS = {
    "power-scarcity": ("power-definition", "max-dominates-mean", "total-expectation",
                       "linearity", "constant-sum", "normalisation"),
    "general-sum-identity": ("power-definition", "max-dominates-mean", "total-expectation",
                             "linearity", "slack-sum"),
}
STATEMENTS = {
    "power-scarcity": "Σ_i POWER(i,σ) ≥ c",
    "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) + NashConv(σ) ≥ W(σ)",
}
EQUALITY_STATEMENTS = {
    "power-scarcity": "Σ_i POWER(i,σ) = c iff σ is a BNE",
    "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) iff σ is a BNE",
}

#: Premise keys whose leaves are exact values (written as strings in JSON).
VALUE_KEYS = frozenset({"marginal", "interim", "max", "power", "strategy", "mean", "slack",
                        "total", "marginals", "expected_rewards", "constant", "welfare",
                        "nash_conv", "regret", "hypotheses", "certificate"})


@dataclass(frozen=True)
class Step:
    """One step of a derivation: ``lhs relation rhs``, by ``rule``, with premises.

    ``value`` is the exact value of ``rhs``; ``premises`` is a dict of plain
    data (names, lists, exact values) that the rule's side conditions are
    checked on.

    >>> Step(6, "normalisation", "E_t E_{a~σ(t)} c", "=", "c", sympy.Integer(0), {}).rule
    'normalisation'
    """

    index: int
    rule: str
    lhs: str
    relation: str
    rhs: str
    value: sympy.Expr
    premises: dict


@dataclass(frozen=True)
class Deviation:
    """A witness that a slack is not 0: ``action`` is played with positive
    probability and ``better`` earns ``gain > 0`` more (and attains the maximum)."""

    action: str
    better: str
    gain: sympy.Expr


@dataclass(frozen=True)
class Slack:
    """One row of the slack table: ``Ω_i(t_i)·reg_i(t_i)`` for one positive-probability type.

    ``zero`` is ``True``, ``False`` (then ``deviation`` is its witness) or
    ``None`` when it depends on the parameters of a symbolic game.
    """

    player: str
    type: str
    slack: sympy.Expr
    zero: bool | None
    deviation: Deviation | None = None


@dataclass(frozen=True)
class Equality:
    """The equality condition: the slack table and the verdict "equality iff BNE".

    ``holds`` says whether the theorem's inequality is an equality here,
    ``is_equilibrium`` whether ``σ`` is a BNE (``None``: depends on parameters).
    ``condition`` (symbolic games only, else ``None``) is the condition on the
    parameters under which every slack is zero, as text (``"Eq(x, 0)"``); see
    :mod:`proofs.condition`.
    """

    statement: str
    slacks: tuple
    holds: bool | None
    is_equilibrium: bool | None
    condition: str | None = None


@dataclass(frozen=True)
class Conclusion:
    """What the chain proves: ``power_sum`` (``Σ_i POWER``) ≥ ``bound`` (``c`` or
    ``W``), the difference being ``gap`` (the sum of slacks, NashConv)."""

    statement: str
    power_sum: sympy.Expr
    bound: sympy.Expr
    gap: sympy.Expr


@dataclass(frozen=True)
class Trace:
    """A traced proof of ``theorem`` for one game and profile.

    Build one with :func:`proofs.power_scarcity`; check it with
    :func:`proofs.check`; store it with :meth:`to_json` / :meth:`from_json`.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> from proofs import power_scarcity
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> trace = power_scarcity(mp, StrategyProfile.uniform(mp))
    >>> trace.theorem, [s.rule for s in trace.steps][:2], trace.conclusion.power_sum
    ('power-scarcity', ['power-definition', 'max-dominates-mean'], 0)
    """

    theorem: str
    game: object
    profile: object
    steps: tuple
    equality: Equality
    conclusion: Conclusion

    # -- JSON ------------------------------------------------------------------
    def to_data(self) -> dict:
        """The JSON-ready dict (exact values as strings, game and profile embedded)."""
        from exactpower import files

        return {
            "format": FORMAT,
            "theorem": self.theorem,
            "game": json.loads(files.dumps(self.game)),
            "profile": json.loads(files.dumps(self.profile)),
            "steps": [{"index": s.index, "rule": s.rule, "lhs": s.lhs, "relation": s.relation,
                       "rhs": s.rhs, "value": str(s.value),
                       "premises": _encode(s.premises, False)} for s in self.steps],
            "equality": {
                "statement": self.equality.statement,
                "slacks": [{"player": r.player, "type": r.type, "slack": str(r.slack),
                            "zero": r.zero,
                            "deviation": None if r.deviation is None else {
                                "action": r.deviation.action, "better": r.deviation.better,
                                "gain": str(r.deviation.gain)}}
                           for r in self.equality.slacks],
                "holds": self.equality.holds,
                "is_equilibrium": self.equality.is_equilibrium,
                **({} if self.equality.condition is None
                   else {"condition": self.equality.condition}),
            },
            "conclusion": {"statement": self.conclusion.statement,
                           "power_sum": str(self.conclusion.power_sum),
                           "bound": str(self.conclusion.bound), "gap": str(self.conclusion.gap)},
        }

    def to_json(self) -> str:
        """The trace as JSON text (``exactpower/trace-v1``)."""
        return _render(self.to_data(), "") + "\n"

    @classmethod
    def from_data(cls, data) -> Trace:
        """Read :meth:`to_data`'s dict back; raises :class:`ProofError` on malformed data.

        The keys ``expected_rejection`` and ``comment`` (annotations of corpus
        files) are ignored.
        """
        from exactpower import files

        try:
            known = {"format", "theorem", "game", "profile", "steps", "equality", "conclusion",
                     "expected_rejection", "comment"}
            extra = set(data) - known
            if extra:
                raise ProofError(f"trace: unknown key {sorted(extra)[0]!r}")
            if data["format"] != FORMAT:
                raise ProofError(f"trace: format must be {FORMAT!r}, not {data['format']!r}")
            game = files.loads(json.dumps(data["game"]))
            profile = files.loads_profile(json.dumps(data["profile"]), game)

            def val(text, where):
                return parse_value(text, game.parameters, where=where)

            steps = tuple(
                Step(s["index"], s["rule"], s["lhs"], s["relation"], s["rhs"],
                     val(s["value"], f"step {s['index']} value"),
                     _decode(s["premises"], False, game.parameters, f"step {s['index']}"))
                for s in data["steps"])
            e = data["equality"]
            rows = tuple(
                Slack(r["player"], r["type"], val(r["slack"], "slack"), r["zero"],
                      None if r["deviation"] is None else Deviation(
                          r["deviation"]["action"], r["deviation"]["better"],
                          val(r["deviation"]["gain"], "gain")))
                for r in e["slacks"])
            c = data["conclusion"]
            return cls(data["theorem"], game, profile, steps,
                       Equality(e["statement"], rows, e["holds"], e["is_equilibrium"],
                                e.get("condition")),
                       Conclusion(c["statement"], val(c["power_sum"], "power_sum"),
                                  val(c["bound"], "bound"), val(c["gap"], "gap")))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ProofError(f"trace: malformed ({type(exc).__name__}: {exc})") from None
        except ProofError:
            raise
        except GameError as exc:
            raise ProofError(f"trace: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> Trace:
        """Read :meth:`to_json`'s text back; raises :class:`ProofError` on malformed text.

        >>> from exactpower import BayesianGame, StrategyProfile
        >>> from proofs import power_scarcity
        >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
        >>> text = power_scarcity(mp, StrategyProfile.uniform(mp)).to_json()
        >>> Trace.from_json(text).steps[-1].value
        0
        >>> Trace.from_json("[]")
        Traceback (most recent call last):
        ...
        proofs.trace.ProofError: trace: expected a JSON object
        """
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, TypeError) as exc:
            raise ProofError(f"trace: not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ProofError("trace: expected a JSON object")
        return cls.from_data(data)


def _render(obj, pad: str) -> str:
    """JSON text with every small object or list on one line."""
    flat = json.dumps(obj, ensure_ascii=False)
    if len(flat) + len(pad) <= 100 or not isinstance(obj, (dict, list)) or not obj:
        return flat
    inner = pad + " "
    if isinstance(obj, dict):
        body = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_render(v, inner)}"
                for k, v in obj.items()]
        return "{\n" + ",\n".join(body) + "\n" + pad + "}"
    return "[\n" + ",\n".join(inner + _render(v, inner) for v in obj) + "\n" + pad + "]"


def _encode(obj, is_value: bool):
    if isinstance(obj, dict):
        return {k: _encode(v, is_value or k in VALUE_KEYS) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode(v, is_value) for v in obj]
    if is_value and isinstance(obj, sympy.Basic):
        return str(obj)
    return obj


def _decode(obj, is_value: bool, parameters, where: str):
    if isinstance(obj, dict):
        return {k: _decode(v, is_value or k in VALUE_KEYS, parameters, f"{where}, {k}")
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v, is_value, parameters, where) for v in obj]
    if is_value:
        return parse_value(obj, parameters, where=where)
    return obj


def parse_value(text, parameters=(), *, where: str = "value") -> sympy.Expr:
    """An exact value written as text, with ``Max(e_1, ..., e_k)`` allowed.

    ``Max`` groups are cut out innermost first; their arguments and the
    rest are read by exactpower's safe grammar (:func:`exactpower.as_exact`).

    >>> from exactpower import Parameter
    >>> parse_value("x*Max(-x, x/3)/2 + 1", [Parameter("x")])
    x*Max(-x, x/3)/2 + 1
    """
    if not isinstance(text, str):
        raise ProofError(f"{where}: expected an exact value as a string, got {text!r}")
    symbols = {p.name: p.symbol for p in parameters}
    holes: dict = {}
    while True:
        start = _last_max(text)
        if start < 0:
            break
        depth, end = 0, None
        for j in range(start + 3, len(text)):
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            if depth == 0:
                end = j
                break
        if end is None:
            raise ProofError(f"{where}: unbalanced parentheses in {text!r}")
        args = _split_args(text[start + 4:end])
        if not args or any(not a.strip() for a in args):
            raise ProofError(f"{where}: empty argument of Max in {text!r}")
        names = dict(symbols)
        names.update({k: d for k, (d, _) in holes.items()})
        values = [as_exact(a, names, where=where).xreplace({d: m for d, m in holes.values()})
                  for a in args]
        name = f"_max{len(holes)}_"
        while name in symbols:
            name = "_" + name
        holes[name] = (sympy.Dummy(name), sympy.Max(*values))
        text = text[:start] + name + text[end + 1:]
    names = dict(symbols)
    names.update({k: d for k, (d, _) in holes.items()})
    return as_exact(text, names, where=where).xreplace({d: m for d, m in holes.values()})


def _last_max(text: str) -> int:
    k = len(text)
    while True:
        k = text.rfind("Max(", 0, k)
        if k <= 0 or not (text[k - 1].isalnum() or text[k - 1] == "_"):
            return k


def _split_args(inner: str) -> list:
    """``inner`` split at its top-level commas."""
    out, depth, last = [], 0, 0
    for j, ch in enumerate(inner):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            out.append(inner[last:j])
            last = j + 1
    out.append(inner[last:])
    return out

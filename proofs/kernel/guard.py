"""The kernel's guards: its verdicts, and the checks it makes before re-deriving anything.

- :class:`Verdict` and its ``status``: ``"valid"``, ``"rejected"`` or ``"error"``.  A trace
  is *rejected* only by an explicit check (:class:`Reject`, raised by the kernel's rules
  and by the checks here); any other exception inside the kernel is a bug and its verdict
  is a *kernel error* (:func:`kernel_error`), never a rejection.
- :func:`check_types`: every record of a trace object has the types the kernel reads (a
  trace built in Python does not pass the JSON reader), so malformed data is refused
  explicitly rather than by an exception.
- :func:`check_defined`: no value in the game, the profile or the trace has a denominator
  that can vanish on the parameters' domain, except a factor of a marginal (item 4 of
  issue 8: removable singularities).

Part of the trusted kernel (:mod:`proofs.kernel`); it imports nothing from the builders.

>>> raise_for(Verdict(True, "valid")).ok
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sympy

from exactpower.errors import GameError
from exactpower.exact.decide import denominator_factors, provably_nonzero, term_bound
from exactpower.game import BayesianGame
from exactpower.limits import MAX_CLAIM_TERMS, MAX_DENOMINATOR_TERMS
from exactpower.profile import StrategyProfile

from .records import (
    Conclusion,
    Deviation,
    Equality,
    ShapeEquality,
    ShapeHypothesis,
    ShapeStep,
    ShapeTraceRecord,
    Slack,
    Step,
    TraceRecord,
)

if TYPE_CHECKING:
    from .facts import Facts

__all__ = [
    "KernelError",
    "ProofError",
    "Reject",
    "Verdict",
    "check_defined",
    "check_keys",
    "check_shape_types",
    "check_types",
    "kernel_error",
    "raise_for",
    "rejection",
]


@dataclass(frozen=True)
class Verdict:
    """The kernel's verdict: ``ok``, a message, the step and rule it concerns, and ``status``:
    ``"valid"``, ``"rejected"`` (the trace is wrong or malformed) or ``"error"`` (a bug
    inside the kernel: the trace was neither accepted nor refused).

    >>> Verdict(False, "trace: no").status, Verdict(True, "valid").status
    ('rejected', 'valid')
    """

    ok: bool
    message: str
    step: int | None = None
    rule: str | None = None
    status: str = ""

    def __post_init__(self) -> None:
        if self.status not in ("valid", "rejected", "error"):
            object.__setattr__(self, "status", "valid" if self.ok else "rejected")
        if self.ok != (self.status == "valid"):
            raise ValueError(f"verdict ok={self.ok} with status {self.status!r}")

    def _repr_html_(self) -> str:
        """Jupyter's display: one line, the status and the message (escaped)."""
        text = (
            self.message
            if self.message.startswith(self.status)
            else f"{self.status}: {self.message}"
        )
        for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
            text = text.replace(raw, escaped)
        return f"<p>kernel verdict: {text}</p>"


class KernelError(RuntimeError):
    """Raised by :func:`check_or_raise` for a verdict of status ``"error"``."""


class ProofError(GameError, ValueError):
    """A trace that the kernel rejects, or trace text that cannot be read."""


class Reject(Exception):
    """A rejection of the trace: ``(message)`` or ``(message, step, rule)``."""


def kernel_error(exc: Exception, part: str | None) -> Verdict:
    """The verdict for an unexpected exception inside the kernel: a kernel error, not a
    rejection (malformed data is refused explicitly, by :class:`Reject`)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f" at {tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno}" if tb else ""
    return Verdict(
        False,
        f"kernel error while checking {part or 'the trace'}: {type(exc).__name__}: {exc}{where}",
        None,
        part,
        "error",
    )


def raise_for(verdict: Verdict) -> Verdict:
    """``verdict`` if valid; else :class:`KernelError` (status ``"error"``) or
    :class:`ProofError` (rejected) with its message."""
    if verdict.status == "error":
        raise KernelError(verdict.message)
    if not verdict.ok:
        raise ProofError(verdict.message)
    return verdict


def rejection(exc: Reject, part: str | None) -> Verdict:
    """The verdict for an explicit rejection raised while checking ``part`` of a trace; a
    rule's rejection names its step and rule."""
    step, rule = exc.args[1:] if len(exc.args) == 3 else (None, part)
    head = f"step {step} ({rule})" if step is not None else (rule or "trace")
    return Verdict(False, f"{head}: {exc.args[0]}", step, rule)


def _typed(
    obj: object, kind: type, what: str, *fields: tuple[str, type | tuple[type, ...]]
) -> None:
    """``obj`` is a ``kind``; each ``(name, kinds)`` of ``fields`` an attribute of those kinds
    (``what`` names the record, ``""`` for the trace itself)."""
    if not isinstance(obj, kind):
        raise Reject(
            f"{what or 'the trace'} must be a {kind.__name__}, trace has {type(obj).__name__}"
        )
    for name, kinds in fields:
        value = getattr(obj, name)
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if not isinstance(value, kinds) or (
            isinstance(value, bool) and bool not in kinds and object not in kinds
        ):
            where = f"{what}: " if what else ""
            raise Reject(f"{where}{name} {value!r} is not of the expected type")


def check_keys(record: object, keys: Iterable[str], what: str) -> dict[str, Any]:
    """``record`` is a dict with exactly the keys ``keys``."""
    if not isinstance(record, dict) or set(record) != set(keys):
        got = sorted(record) if isinstance(record, dict) else record
        raise Reject(f"{what}: keys must be exactly {sorted(keys)}, trace has {got!r}")
    return record


def check_types(trace: TraceRecord) -> None:
    """Every record of the trace object has the types the kernel reads (a trace built in
    Python is not checked by the JSON reader)."""
    opt, expr = (bool, type(None)), sympy.Expr
    _typed(
        trace,
        TraceRecord,
        "",
        ("theorem", str),
        ("game", BayesianGame),
        ("profile", StrategyProfile),
        ("steps", (tuple, list)),
        ("equality", Equality),
        ("conclusion", Conclusion),
    )
    for k, step in enumerate(trace.steps, 1):
        _typed(
            step,
            Step,
            f"step {k}",
            ("index", int),
            ("rule", str),
            ("lhs", str),
            ("relation", str),
            ("rhs", str),
            ("value", expr),
            ("premises", object),
        )
    eq = trace.equality
    _typed(
        eq,
        Equality,
        "equality",
        ("statement", str),
        ("slacks", (tuple, list)),
        ("holds", opt),
        ("is_equilibrium", opt),
        ("condition", (str, type(None))),
    )
    for r in eq.slacks:
        _typed(
            r,
            Slack,
            "equality: slack row",
            ("player", str),
            ("type", str),
            ("slack", expr),
            ("zero", opt),
            ("deviation", (Deviation, type(None))),
        )
        if r.deviation is not None:
            _typed(
                r.deviation,
                Deviation,
                "equality: deviation",
                ("action", str),
                ("better", str),
                ("gain", expr),
            )
    _typed(
        trace.conclusion,
        Conclusion,
        "conclusion",
        ("statement", str),
        ("power_sum", expr),
        ("bound", expr),
        ("gap", expr),
    )


def _claims(obj: object, where: str) -> Iterator[tuple[str, sympy.Expr]]:
    """Every exact value in the premises ``obj``, with its place."""
    if isinstance(obj, sympy.Expr):
        yield where, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _claims(v, f"{where}, {k}")
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _claims(v, where)


def check_shape_types(trace: ShapeTraceRecord) -> None:
    """Every record of a shape trace object has the types the shape kernel reads."""
    seq, opt = (tuple, list), (str, type(None))
    _typed(
        trace,
        ShapeTraceRecord,
        "",
        ("theorem", str),
        ("players", int),
        ("types", seq),
        ("actions", seq),
        ("symbols", seq),
        ("definitions", dict),
        ("hypotheses", seq),
        ("steps", seq),
        ("equality", ShapeEquality),
        ("conclusion", str),
    )
    for k, h in enumerate(trace.hypotheses, 1):
        _typed(
            h,
            ShapeHypothesis,
            f"hypothesis {k}",
            ("name", str),
            ("statement", str),
            ("eliminates", opt),
        )
    for k, step in enumerate(trace.steps, 1):
        _typed(
            step,
            ShapeStep,
            f"step {k}",
            ("index", int),
            ("rule", str),
            ("lhs", str),
            ("relation", str),
            ("rhs", str),
            ("uses", seq),
            ("polynomial", seq),
            ("premises", object),
        )
    _typed(
        trace.equality,
        ShapeEquality,
        "equality",
        ("rule", str),
        ("statement", str),
        ("uses", seq),
        ("premises", object),
    )


def check_denominator_terms(values: list[tuple[str, sympy.Expr]]) -> None:
    """The distinct denominators of ``(what, value)`` pairs have at most
    ``MAX_DENOMINATOR_TERMS`` terms together (:func:`~exactpower.exact.decide.term_bound`,
    from the expression tree alone): checked before any of them is factored, since a
    one-line claim such as ``1/((x0 + … + x11)**16 + 1)`` expands to millions of terms."""
    bases: set[sympy.Expr] = set()
    for _, v in values:
        for node in () if isinstance(v, sympy.Rational) else sympy.preorder_traversal(v):
            if isinstance(node, sympy.Pow) and node.exp.is_negative:
                bases.add(node.base)
    terms = sum(term_bound(b) for b in bases)
    if terms > MAX_DENOMINATOR_TERMS:
        raise Reject(
            f"the denominators of this trace have {terms} terms, over the limit "
            f"MAX_DENOMINATOR_TERMS = {MAX_DENOMINATOR_TERMS} (their factors are checked)"
        )


def check_claim_terms(values: list[tuple[str, sympy.Expr]]) -> None:
    """The distinct claimed values have at most ``MAX_CLAIM_TERMS`` terms together once
    expanded (:func:`~exactpower.exact.decide.term_bound`, from the expression alone),
    checked before any of them is compared: the normal form expands them."""
    distinct = {v for _, v in values if not isinstance(v, sympy.Rational)}
    terms = sum(term_bound(v) for v in distinct)
    if terms > MAX_CLAIM_TERMS:
        raise Reject(
            f"the claimed values of this trace have up to {terms} terms, over the limit "
            f"MAX_CLAIM_TERMS = {MAX_CLAIM_TERMS}"
        )


def check_defined(trace: TraceRecord, fx: Facts) -> None:
    """Values whose denominator can vanish on the parameters' domain are refused.

    The game's prior and rewards and the profile's weights: every irreducible factor of a
    denominator must be provably nonzero (:func:`exactpower.values.provably_nonzero`).  A
    claim of the trace may also divide by a factor of a denominator of the kernel's own
    interim values (a factor of a marginal ``Ω_i(t_i)``: where it vanishes, so does that
    type's probability); any other factor that can vanish is refused, so that
    ``(x − x**2)/(1 − x)`` is never taken for ``x``.
    """
    g, pr = fx.game, fx.profile
    known: dict[sympy.Expr, bool] = {}

    def nonzero(f: sympy.Expr) -> bool:
        if f not in known:
            known[f] = provably_nonzero(f, fx.probs)
        return known[f]

    ps = g.players

    def cell(t: tuple[int, ...], a: tuple[int, ...] | None = None) -> str:
        types = [p.types[k] for p, k in zip(ps, t)]
        return f"types {types}" + (
            "" if a is None else f" actions {[p.actions[k] for p, k in zip(ps, a)]}"
        )

    own = [(f"the prior at {cell(t)}", g.probability(t)) for t in g.type_profiles]
    own += [
        (f"the reward of {ps[i].name!r} at {cell(t, a)}", g.reward(i, t, a))
        for t in g.type_profiles
        for a in g.action_profiles
        for i in range(g.n_players)
    ]
    own += [
        (
            f"the weight of {p.name!r} type {p.types[k]!r} on {p.actions[a]!r}",
            pr.probability(i, k, a),
        )
        for i, p in enumerate(ps)
        for k in range(len(p.types))
        for a in range(len(p.actions))
    ]
    claims = [(f"step {s.index} value", s.value) for s in trace.steps]
    claims += [c for s in trace.steps for c in _claims(s.premises, f"step {s.index}")]
    claims += [(f"slack of {r.player!r} type {r.type!r}", r.slack) for r in trace.equality.slacks]
    claims += [("deviation gain", r.deviation.gain) for r in trace.equality.slacks if r.deviation]
    c = trace.conclusion
    claims += [("conclusion", v) for v in (c.power_sum, c.bound, c.gap)]
    check_denominator_terms(own + claims)
    check_claim_terms(claims)
    for what, v in own:
        for f in () if isinstance(v, sympy.Rational) else denominator_factors(v):
            if not nonzero(f):
                raise Reject(
                    f"{what}: {v} is undefined where {f} = 0, which the parameters' domain allows"
                )
    for what, v in claims:
        for f in () if isinstance(v, sympy.Rational) else denominator_factors(v):
            if f not in fx.poles and not nonzero(f):
                raise Reject(
                    f"{what}: {v} is undefined where {f} = 0, which the parameters' "
                    f"domain allows (only a marginal's factor may vanish)"
                )

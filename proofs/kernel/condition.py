"""The equality condition of a symbolic game: when is every slack zero?

For one positive-probability type the slack is
``Ω_i(t_i)·(Max(e_1, …, e_k) − Σ_a σ_a e_a)`` with ``σ`` a distribution and
``Ω_i(t_i) ≥ 0``; it is zero iff ``Ω_i(t_i) = 0`` or every action played with
positive probability attains the maximum.  Case split per action ``a``:
``σ_a = 0`` or ``e_a ≥ e_b`` for every ``b``.  The condition of the trace is
the conjunction of these over all rows, restricted to the parameters' domains
(``probability``: ``0 ≤ q ≤ 1``; ``positive``; ``nonnegative``; ``real``).  Its
atoms are ``e = 0`` and ``e ≥ 0`` for rational functions ``e`` (in ``cancel`` form);
an atom is false where its denominator vanishes (only at zeros of the row's own
``Ω_i(t_i)``, where the row's condition is true anyway).

Deciding it, within a deterministic budget (sizes and degrees, never the clock, so
that the builder and the kernel reach the same text):

- **no parameter** left: the atoms are numbers; ``"True"`` or ``"False"``.
- **one parameter** ``s``: exact cylindrical decomposition of the line.  The distinct
  irreducible factors (over ``QQ``) of every atom's numerator and denominator, and of the
  domain's ends (``s``, ``s − 1``), have their real roots isolated exactly
  (``Poly.intervals``, rational isolating intervals); between two roots every factor
  has a constant sign, read at a rational sample point, and at a root its owner factor is
  0 and every other factor has the sign it has on the (root-free) rest of the isolating
  interval.  The atoms, hence the condition, are evaluated on each root and each open
  cell of the domain; the cells where it holds are merged and written back as a relation
  (``Eq(x, 0)``, ``q <= 1/2``, an irrational end as ``CRootOf(p, k)``), ``"True"`` (the
  whole domain) or ``"False"`` (empty).  Budget: at most :data:`MAX_ATOMS` atoms, the
  factors' degrees summing to at most :data:`MAX_DEGREE`, coefficients of at most
  :data:`MAX_BITS` bits.
- **several parameters**: simplified as a Boolean formula over its relational atoms
  (``sympy.logic.simplify_logic``, which treats the atoms as independent propositions: an
  equivalent formula, not a solved one), if it has at most :data:`MAX_BOOLEAN_ATOMS`
  distinct atoms.
- otherwise, or over budget: ``"not decided: "`` followed by the unsimplified system
  (the conjunction of the row conditions and the domain bounds) -- never a wrong
  condition, never a hang.

The result is rendered with ``str``.

The condition agrees with the case split of the inequality step (``cases`` of
``max-dominates-mean``, checked by the kernel's rule): in case ``c``
(``h_{c,b} = e_c − e_b ≥ 0`` for all ``b``) the regret is ``Σ_a σ_a·h_{c,a}``, a sum of
nonnegative terms, so it is zero iff every played action ``a`` (``σ_a > 0``) has
``h_{c,a} = 0``, i.e. attains the maximum.  The zero set of a slack is therefore
``Ω_i(t_i) = 0`` or the union over ``c`` of (region of ``c`` and every played action
attains the maximum) -- the row condition below, as the regions cover.  This is a
remark, not re-proved here.

The builders and the kernel both call :func:`equality_condition`, each on its
own interim values; the kernel compares the texts.  What is trusted here is
sympy's polynomial factorisation and real-root isolation (one parameter) or its
Boolean simplifier (several), not a certificate.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> row = (sympy.Integer(1), [x, -x], [sympy.Integer(1), sympy.Integer(0)])
>>> col = (sympy.Integer(1), [-x, x], [sympy.Integer(1), sympy.Integer(0)])
>>> equality_condition([row, col], {x: "real"})
'Eq(x, 0)'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sympy
from sympy.logic import simplify_logic

from exactpower.limits import MAX_ATOMS, MAX_BITS, MAX_BOOLEAN_ATOMS, MAX_DEGREE

if TYPE_CHECKING:
    from exactpower.game import BayesianGame
    from exactpower.profile import StrategyProfile

__all__ = [
    "DOMAIN_SETS",
    "MAX_ATOMS",
    "MAX_BITS",
    "MAX_BOOLEAN_ATOMS",
    "MAX_DEGREE",
    "UNDECIDED",
    "condition_domains",
    "equality_condition",
]

#: The set of values of a parameter of each domain.
DOMAIN_SETS = {
    "real": sympy.S.Reals,
    "positive": sympy.Interval.open(0, sympy.oo),
    "nonnegative": sympy.Interval(0, sympy.oo),
    "probability": sympy.Interval(0, 1),
}
#: The prefix of a condition that is not decided within the budget.
UNDECIDED = "not decided: "

#: A condition: a truth value, an atom ``("eq"|"ge", numerator, denominator)`` (sympy
#: expressions) or ``("and"|"or", parts)``.
Formula = bool | tuple[Any, ...]
#: A ``sympy.Poly`` in the parameter (sympy ships no type information).
Poly = Any
#: ``(factor, multiplicity)`` pairs of a polynomial, the constant first.
Factors = list[tuple[Poly, int]]
#: A cell of the line: ``("root", (owner, index, rational or None), signs)`` or
#: ``("open", None, signs)``, ``signs`` the sign of each factor there.
Cell = tuple[str, Any, dict[Poly, Any]]


def condition_domains(game: BayesianGame, profile: StrategyProfile) -> dict[sympy.Symbol, str]:
    """``{symbol: domain}`` of the parameters in play: the game's parameters when the game or
    the profile is symbolic (a profile may use a parameter the game's values do not), else
    ``{}`` (no condition)."""
    if not (game.is_symbolic or profile.is_symbolic):
        return {}
    return {p.symbol: p.domain for p in game.parameters}


def equality_condition(
    rows: Iterable[tuple[sympy.Expr, Iterable[sympy.Expr], Iterable[sympy.Expr]]],
    domains: Mapping[sympy.Symbol, str],
) -> str | None:
    """The condition on the parameters under which every slack is zero, as text.

    Parameters
    ----------
    rows : iterable of ``(omega, f, sigma)``
        Per positive-probability type: the marginal ``Ω_i(t_i)``, the interim
        values ``f_i(t_i, a)`` and the weights ``σ_i(t_i)(a)``, in the order of ``A_i``.
    domains : dict
        ``{symbol: domain name}`` of the parameters in play (:func:`condition_domains`);
        empty for a rational game and profile, which have no condition (``None``).
    """
    if not domains:
        return None
    return _condition(
        tuple((o, tuple(f), tuple(s)) for o, f, s in rows),
        tuple(sorted(domains.items(), key=lambda kv: str(kv[0]))),
    )


# -- the formula: ("and"|"or", parts) or an atom ("eq"|"ge", numerator, denominator) ----------


def _atom(kind: str, e: sympy.Expr) -> Formula:
    e = sympy.cancel(e)
    num, den = sympy.fraction(e)
    if not num.free_symbols and not den.free_symbols:
        return (num == 0) if kind == "eq" else bool(num * den >= 0)
    return (kind, sympy.expand(num), sympy.expand(den))


def _join(op: str, parts: Iterable[Formula]) -> Formula:
    unit = op == "and"
    parts = [p for p in parts if p is not unit]
    if any(p is (not unit) for p in parts):
        return not unit
    parts = list(dict.fromkeys(parts))
    return parts[0] if len(parts) == 1 else (unit if not parts else (op, tuple(parts)))


def _row(omega: sympy.Expr, f: Sequence[sympy.Expr], sigma: Sequence[sympy.Expr]) -> Formula:
    played = [
        _join("or", [_atom("eq", w), _join("and", [_atom("ge", ea - eb) for eb in f])])
        for w, ea in zip(sigma, f)
    ]
    return _join("or", [_atom("eq", omega), _join("and", played)])


def _atoms(formula: Formula, out: dict[tuple[Any, ...], None]) -> dict[tuple[Any, ...], None]:
    if isinstance(formula, tuple) and formula[0] in ("and", "or"):
        for part in formula[1]:
            _atoms(part, out)
    elif isinstance(formula, tuple):
        out[formula] = None
    return out


def _value(formula: Formula, truth: Mapping[tuple[Any, ...], bool]) -> bool:
    if isinstance(formula, bool):
        return formula
    if formula[0] == "and":
        return all(_value(p, truth) for p in formula[1])
    if formula[0] == "or":
        return any(_value(p, truth) for p in formula[1])
    return truth[formula]


def _sympy(formula: Formula) -> sympy.Basic:
    if isinstance(formula, bool):
        return sympy.true if formula else sympy.false
    if formula[0] in ("and", "or"):
        return (sympy.And if formula[0] == "and" else sympy.Or)(*map(_sympy, formula[1]))
    rel = sympy.Eq if formula[0] == "eq" else sympy.Ge
    return rel(formula[1] / formula[2], 0)


@functools.lru_cache(maxsize=256)
def _condition(
    rows: tuple[tuple[Any, ...], ...], domains: tuple[tuple[sympy.Symbol, str], ...]
) -> str:
    """:func:`equality_condition` on hashable arguments, remembered (a pure function: a
    trace checked twice costs one derivation)."""
    domain_of = dict(domains)
    formula = _join("and", [_row(*r) for r in rows])
    if isinstance(formula, bool):
        return str(formula)
    atoms = list(_atoms(formula, {}))
    free = sorted(set().union(*(a[1].free_symbols | a[2].free_symbols for a in atoms)), key=str)
    if len(free) == 1 and len(atoms) <= MAX_ATOMS:
        (s,) = free
        text = _univariate(formula, atoms, s, domain_of.get(s, "real"))
        if text is not None:
            return text
    bounds = [
        DOMAIN_SETS[domain_of.get(s, "real")].as_relational(s)
        for s in free
        if domain_of.get(s, "real") != "real"
    ]
    system = sympy.And(_sympy(formula), *bounds)
    if len(free) > 1 and len(atoms) <= MAX_BOOLEAN_ATOMS:
        return str(simplify_logic(system))
    return UNDECIDED + str(system)


# -- one parameter: exact decomposition of the line at the real roots of the atoms' factors -----


def _factors(poly_expr: sympy.Expr, s: sympy.Symbol, found: dict[Poly, None]) -> Factors | None:
    """``[(factor, multiplicity)]`` of a polynomial in ``s`` (monic irreducible factors, the
    constant as ``(c, 1)``), recording each factor in ``found``; ``None`` over budget."""
    poly = sympy.Poly(poly_expr, s, domain=sympy.QQ)
    if poly.degree() > MAX_DEGREE or any(
        max(abs(c.p), c.q).bit_length() > MAX_BITS for c in poly.coeffs()
    ):
        return None
    c, parts = poly.factor_list()
    out = [(sympy.Poly(c, s, domain=sympy.QQ), 1)]
    for f, m in parts:
        f = f.monic()
        found.setdefault(f, None)
        out.append((f, m))
    return out


def _separated(owners: Sequence[Poly], ivs: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The isolating intervals refined until consecutive ones do not touch."""
    ivs = list(ivs)
    k = 0
    while k + 1 < len(ivs):
        (a, b), (c, d) = ivs[k], ivs[k + 1]
        if b < c:
            k += 1
            continue
        if a < b:
            ivs[k] = owners[k].refine_root(a, b, eps=(b - a) / 4)
        if c < d:
            ivs[k + 1] = owners[k + 1].refine_root(c, d, eps=(d - c) / 4)
    return ivs


def _cells(factors: list[Poly], s: sympy.Symbol) -> list[Cell]:
    """The roots (``(owner, interval)``) and the cells of the line, in order: each cell is
    ``(kind, data, {factor: sign})`` with kind ``"root"`` or ``"open"``."""
    product = sympy.Poly(1, s, domain=sympy.QQ)
    for f in factors:
        product *= f
    ivs = [iv for iv, _ in product.intervals()] if product.degree() > 0 else []
    owners = []
    for a, b in ivs:
        owners.append(next(f for f in factors if (f(a) == 0 if a == b else f(a) * f(b) < 0)))
    ivs = _separated(owners, ivs)
    samples = [ivs[0][0] - 1] if ivs else [sympy.Integer(0)]
    samples += [(ivs[k][1] + ivs[k + 1][0]) / 2 for k in range(len(ivs) - 1)]
    samples += [ivs[-1][1] + 1] if ivs else []
    cells: list[Cell] = [("open", None, {f: sympy.sign(f(samples[0])) for f in factors})]
    for k, ((a, b), owner) in enumerate(zip(ivs, owners)):
        mid = (a + b) / 2
        index = sum(1 for o in owners[:k] if o == owner)
        signs = {f: 0 if f == owner else sympy.sign(f(mid)) for f in factors}
        cells.append(("root", (owner, index, a if a == b else None), signs))
        cells.append(("open", None, {f: sympy.sign(f(samples[k + 1])) for f in factors}))
    return cells


def _sign(parts: Factors, signs: Mapping[Poly, Any]) -> Any:
    out = 1
    for f, m in parts:
        out *= (sympy.sign(f.LC()) if f.degree() == 0 else signs[f]) ** m
    return out


def _in_domain(cells: Sequence[Cell], s: sympy.Symbol, domain: str) -> range:
    """The indices of the cells inside the parameter's domain (its ends are the roots of
    ``s`` and ``s − 1``, which are among the factors)."""
    if domain == "real":
        return range(len(cells))
    zero, one = sympy.Poly(s, s, domain=sympy.QQ), sympy.Poly(s - 1, s, domain=sympy.QQ)
    at = {c[1][0]: k for k, c in enumerate(cells) if c[0] == "root" and c[1][0] in (zero, one)}
    start = at[zero] + (1 if domain == "positive" else 0)
    return range(start, at[one] + 1 if domain == "probability" else len(cells))


def _point(data: tuple[Poly, int, Any], s: sympy.Symbol) -> sympy.Expr:
    owner, index, rational = data
    return rational if rational is not None else sympy.CRootOf(owner.as_expr(), index)


def _text(cells: Sequence[Cell], keep: Sequence[bool], s: sympy.Symbol) -> str:
    """The union of the kept cells, merged, as a relation in ``s``."""
    pieces, k = [], 0
    while k < len(cells):
        if not keep[k]:
            k += 1
            continue
        j = k
        while j + 1 < len(cells) and keep[j + 1]:
            j += 1
        first, last = cells[k], cells[j]
        if k == j and first[0] == "root":
            pieces.append(sympy.FiniteSet(_point(first[1], s)))
        else:
            lo = (
                _point(first[1], s)
                if first[0] == "root"
                else (_point(cells[k - 1][1], s) if k > 0 else -sympy.oo)
            )
            hi = (
                _point(last[1], s)
                if last[0] == "root"
                else (_point(cells[j + 1][1], s) if j + 1 < len(cells) else sympy.oo)
            )
            pieces.append(sympy.Interval(lo, hi, first[0] == "open", last[0] == "open"))
        k = j + 1
    return str(sympy.Union(*pieces).as_relational(s))


def _univariate(
    formula: Formula, atoms: Iterable[tuple[Any, ...]], s: sympy.Symbol, domain: str
) -> str | None:
    """The condition in one parameter ``s`` decided exactly; ``None`` over budget."""
    found: dict[Poly, None] = {}
    ends = {"real": [], "probability": [s, s - 1]}.get(domain, [s])
    for e in ends:
        found.setdefault(sympy.Poly(e, s, domain=sympy.QQ), None)
    split = {}
    for atom in atoms:
        num, den = _factors(atom[1], s, found), _factors(atom[2], s, found)
        if num is None or den is None:
            return None
        split[atom] = (num, den)
    if sum(f.degree() for f in found) > MAX_DEGREE:
        return None
    cells = _cells(list(found), s)
    inside = _in_domain(cells, s, domain)
    keep = [False] * len(cells)
    for k in inside:
        truth: dict[tuple[Any, ...], bool] = {}
        for atom, (num, den) in split.items():
            d, n = _sign(den, cells[k][2]), _sign(num, cells[k][2])
            truth[atom] = d != 0 and (n == 0 if atom[0] == "eq" else n * d >= 0)
        keep[k] = _value(formula, truth)
    if all(keep[k] for k in inside):
        return "True"
    if not any(keep):
        return "False"
    return _text(cells, keep, s)

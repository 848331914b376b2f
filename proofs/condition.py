"""The equality condition of a symbolic game: when is every slack zero?

For one positive-probability type the slack is
``Ω_i(t_i)·(Max(e_1, …, e_k) − Σ_a σ_a e_a)`` with ``σ`` a distribution and
``Ω_i(t_i) ≥ 0``; it is zero iff ``Ω_i(t_i) = 0`` or every action played with
positive probability attains the maximum.  Case split per action ``a``:
``σ_a = 0`` or ``e_a ≥ e_b`` for every ``b``.  The condition of the trace is
the conjunction of these over all rows, restricted to the parameters' domains
(``probability``: ``0 ≤ q ≤ 1``; ``positive``; ``nonnegative``; ``real``).

Simplification: with one parameter the condition is turned into a set of reals
(sympy's univariate (in)equality solver, ``Boolean.as_set``), intersected with
the parameter's domain and written back as a relational (``Eq(x, 0)``,
``(q >= 0) & (q <= 1/2)``), ``True`` (the whole domain) or ``False`` (empty).
With several parameters it is simplified as a Boolean formula over its
relational atoms (``sympy.logic.simplify_logic``), the atoms in ``cancel``
form.  The result is rendered with ``str``.

The condition agrees with the case split of the inequality step (``cases`` of
``max-dominates-mean``, checked by :func:`proofs.kernel._cases`): in case ``c``
(``h_{c,b} = e_c − e_b ≥ 0`` for all ``b``) the regret is ``Σ_a σ_a·h_{c,a}``, a sum of
nonnegative terms, so it is zero iff every played action ``a`` (``σ_a > 0``) has
``h_{c,a} = 0``, i.e. attains the maximum.  The zero set of a slack is therefore
``Ω_i(t_i) = 0`` or the union over ``c`` of (region of ``c`` and every played action
attains the maximum) -- the row condition below, as the regions cover.  This is a
remark, not re-proved here.

The builders and the kernel both call :func:`equality_condition`, each on its
own interim values; the kernel compares the texts.  What is trusted here is
sympy's inequality solver and Boolean simplifier, not a certificate.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> row = (sympy.Integer(1), [x, -x], [sympy.Integer(1), sympy.Integer(0)])
>>> col = (sympy.Integer(1), [-x, x], [sympy.Integer(1), sympy.Integer(0)])
>>> equality_condition([row, col], {x: "real"})
'Eq(x, 0)'
"""

from __future__ import annotations

import functools

import sympy
from sympy.logic import simplify_logic

__all__ = ["equality_condition", "DOMAIN_SETS"]

#: The set of values of a parameter of each domain.
DOMAIN_SETS = {
    "real": sympy.S.Reals,
    "positive": sympy.Interval.open(0, sympy.oo),
    "nonnegative": sympy.Interval(0, sympy.oo),
    "probability": sympy.Interval(0, 1),
}


def _zero(e):
    return sympy.Eq(sympy.cancel(e), 0)


def _row_condition(omega, f, sigma):
    played = []
    for w, ea in zip(sigma, f):
        best = sympy.And(*(sympy.Ge(sympy.cancel(ea - eb), 0) for eb in f))
        played.append(sympy.Or(_zero(w), best))
    return sympy.Or(_zero(omega), sympy.And(*played))


def equality_condition(rows, domains) -> str | None:
    """The condition on the parameters under which every slack is zero, as text.

    Parameters
    ----------
    rows : iterable of ``(omega, f, sigma)``
        Per positive-probability type: the marginal ``Ω_i(t_i)``, the interim
        values ``f_i(t_i, a)`` and the weights ``σ_i(t_i)(a)``, in the order of ``A_i``.
    domains : dict
        ``{symbol: domain name}`` of the game's parameters; empty for a
        rational game, which has no condition (``None``).
    """
    if not domains:
        return None
    return _condition(tuple((o, tuple(f), tuple(s)) for o, f, s in rows),
                      tuple(sorted(domains.items(), key=lambda kv: str(kv[0]))))


@functools.lru_cache(maxsize=256)
def _condition(rows, domains) -> str:
    """:func:`equality_condition` on hashable arguments, remembered (it is a pure function
    and sympy's solver is slow: a trace checked twice costs one derivation)."""
    domains = dict(domains)
    cond = sympy.And(*(_row_condition(*r) for r in rows))
    if cond in (sympy.true, sympy.false):
        return str(cond)
    free = sorted(cond.free_symbols, key=str)
    if len(free) == 1:
        (s,) = free
        domain = DOMAIN_SETS[domains.get(s, "real")]
        try:
            values = cond.as_set().intersect(domain)
            if values == domain or domain.is_subset(values):
                return "True"
            if values is sympy.S.EmptySet:
                return "False"
            return str(values.as_relational(s))
        except Exception:  # sympy's set code can fail (1.14: a FiniteSet ∩ FiniteSet handler
            pass  # raises AttributeError): fall back to the Boolean simplification below
    bounds = []
    for s in free:
        d = DOMAIN_SETS[domains.get(s, "real")]
        if d is not sympy.S.Reals:
            bounds.append(d.as_relational(s))
    try:
        return str(simplify_logic(sympy.And(cond, *bounds)))
    except Exception:  # too large to simplify: the plain conjunction
        return str(cond)

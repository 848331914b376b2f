"""FGLM in shape position: a lex Gröbner basis from a grevlex one by flint linear algebra.

When the last unknown ``u`` separates the solutions of a zero-dimensional ideal ``I`` of
degree ``D`` (the lex basis is in *shape form*: ``x_j - g_j(u)`` and ``h(u)``), the powers
``1, u, ..., u^(D-1)`` are a basis of ``Q[x]/I``.  Writing their normal forms in the
grevlex normal set ``B`` gives the Krylov matrix ``K = [NF(u^k)]`` of the multiplication
by ``u``; then ``K c = NF(u^D)`` gives ``h(u) = u^D - Σ c_k u^k`` and ``K g_j = NF(x_j)``
gives each ``g_j``.  The reduced lex basis is unique, so this is the basis that FGLM
(:func:`sympy.polys.fglmtools.matrix_fglm`) returns, computed with flint's normal forms
(one reduction per element of ``B``) and rational matrices instead of sympy's ring
arithmetic.  When ``K`` is singular (no shape form along ``u``) the answer is None and
the caller runs the general FGLM.

Normal forms come from flint's ``reduction_primitive_part``, which returns a remainder up
to a rational factor; the factor is read off a fresh unknown ``w``: the grevlex basis lives
in a context with one more unknown, last, that no basis element uses, so the remainder of
``p + w`` is ``c · (NF(p) + w)``.

>>> import flint
>>> ctx = flint.fmpz_mpoly_ctx.get(("x", "y", "w"), "degrevlex")
>>> x, y, w = ctx.gens()
>>> grevlex = flint.fmpz_mpoly_vec([x - y, y**2 - 2], ctx)
>>> Quotient.of(grevlex, 2).shape_basis()
[{(1, 0): 1, (0, 1): -1}, {(0, 2): 1, (0, 0): -2}]
"""

from __future__ import annotations

import flint

from .number_field import descartes_excludes

__all__ = ["Quotient", "normal_set"]


def normal_set(leading: list, n: int) -> list | None:
    """The monomials (exponent tuples of ``n`` unknowns) divisible by no monomial of
    ``leading``, in increasing grevlex order; None if there are infinitely many (some
    unknown has no pure power among ``leading``)."""
    bounded = {m.index(max(m)) for m in leading if sum(map(bool, m)) == 1}
    if len(bounded) < n:
        return None

    def divisible(m) -> bool:
        return any(all(a >= b for a, b in zip(m, lm)) for lm in leading)

    found = {(0,) * n}
    frontier = [(0,) * n]
    while frontier:
        step = []
        for m in frontier:
            for i in range(n):
                t = m[:i] + (m[i] + 1,) + m[i + 1 :]
                if t not in found and not divisible(t):
                    found.add(t)
                    step.append(t)
        frontier = step
    return sorted(found, key=lambda m: (sum(m), tuple(-e for e in reversed(m))))


class Quotient:
    """The algebra ``Q[x] / I`` of a zero-dimensional ideal, from its reduced grevlex basis:
    normal forms as coordinates over the normal set, multiplication matrices, and from them
    the lex basis in shape form and bounds on the solutions' coordinates.

    ``grevlex`` is an ``fmpz_mpoly_vec`` in a degrevlex context of ``n + 1`` unknowns whose
    last one is unused; build with :meth:`of` (None when the ideal is not
    zero-dimensional).
    """

    def __init__(self, grevlex, n: int, basis: list):
        self.grevlex, self.n, self.basis = grevlex, n, basis
        self.size = len(basis)
        self.index = {m: k for k, m in enumerate(basis)}
        self.context = grevlex[0].context()
        self._multiplications: dict = {}

    @classmethod
    def of(cls, grevlex, n: int) -> Quotient | None:
        leading = [tuple(grevlex[k].monoms()[0][:n]) for k in range(len(grevlex))]
        basis = normal_set(leading, n)
        return None if basis is None else cls(grevlex, n, basis)

    def coordinates(self, monomial: tuple) -> list:
        """``NF(monomial)`` as a list of fmpq over the normal set."""
        n, size = self.n, self.size
        row = [flint.fmpq(0)] * size
        if monomial in self.index:
            row[self.index[monomial]] = flint.fmpq(1)
            return row
        w = self.context.gens()[n]
        r = (self.context.from_dict({monomial + (0,): 1}) + w).reduction_primitive_part(
            self.grevlex
        )
        monoms = r.monoms()
        scale = flint.fmpq(r.coeffs()[monoms.index((0,) * n + (1,))])
        for m, c in zip(monoms, r.coeffs()):
            if m[n] == 0:
                row[self.index[tuple(m[:n])]] = flint.fmpq(c) / scale
        return row

    def multiplication(self, j: int) -> flint.fmpq_mat:
        """The matrix of the multiplication by unknown ``j``: column ``k`` is
        ``NF(x_j · basis[k])``."""
        if j not in self._multiplications:
            columns = [self.coordinates(m[:j] + (m[j] + 1,) + m[j + 1 :]) for m in self.basis]
            size = self.size
            self._multiplications[j] = flint.fmpq_mat(
                size, size, [c[i] for i in range(size) for c in columns]
            )
        return self._multiplications[j]

    def outside_unit_interval(self) -> bool:
        """Whether it is proved that some unknown takes no value in ``(0, 1)`` on the
        solutions: the characteristic polynomial of its multiplication matrix (whose roots
        are its values) passes :func:`descartes_excludes`."""
        return any(descartes_excludes(self.multiplication(j).charpoly()) for j in range(self.n))

    def shape_basis(self) -> list | None:
        """The reduced lex basis in shape form, or None (not in shape form).

        ``{exponents of the n unknowns: fmpq}`` dictionaries, monic, in decreasing lex order
        of their leading monomials (``x_0 - g_0(u), ..., h(u)`` with ``u`` the last unknown).
        """
        n, size, u = self.n, self.size, self.n - 1
        vector = flint.fmpq_mat(size, 1, self.coordinates((0,) * n))
        krylov = [vector]
        for _ in range(size):
            vector = self.multiplication(u) * vector
            krylov.append(vector)
        matrix = flint.fmpq_mat(
            size, size, [krylov[k][i, 0] for i in range(size) for k in range(size)]
        )
        if matrix.rank() < size:
            return None
        targets = [[krylov[size][i, 0] for i in range(size)]] + [
            self.coordinates(tuple(int(i == j) for i in range(n))) for j in range(n - 1)
        ]
        rhs = flint.fmpq_mat(size, len(targets), [t[i] for i in range(size) for t in targets])
        solution = matrix.solve(rhs)
        out = []
        for j in range(n):
            if j < u:
                poly = {tuple(int(i == j) for i in range(n)): flint.fmpq(1)}
            else:
                poly = {(0,) * u + (size,): flint.fmpq(1)}
            column = 0 if j == u else j + 1
            for k in range(size - 1, -1, -1):
                c = solution[k, column]
                if c:
                    poly[(0,) * u + (k,)] = -c
            out.append(poly)
        return out

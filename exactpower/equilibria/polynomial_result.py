"""The result record of :func:`~exactpower.equilibria.polynomial.polynomial_equilibria` and
its notes (how many support profiles were pruned, excluded, solved; completeness)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PolynomialResult", "polynomial_result"]


@dataclass(frozen=True)
class PolynomialResult:
    """Equilibrium profiles (isolated ones and a point of each continuum), completeness,
    notes, and the :class:`~exactpower.equilibria.continua.Continuum` records."""

    profiles: tuple
    complete: bool
    notes: str
    continua: tuple = ()
    #: For every mixed profile, its :class:`~exactpower.equilibria.number_field.FieldPoint`
    #: (its probabilities and payoff tables in one number field, ``QQ`` for a rational
    #: one); None for a pure one.
    fields: tuple = ()


def polynomial_result(profiles, n_pure, continua, counts, limit, all_sizes) -> PolynomialResult:
    """The :class:`PolynomialResult` of a search: completeness and the notes that explain it
    (``counts``: the support profiles by outcome)."""
    n_cont = counts["positive-dimensional"]
    complete = all_sizes and not n_cont and not counts["unsolved"]
    notes = (
        f"{n_pure} pure BNE by constraint propagation (complete for pure equilibria); "
        f"{len(profiles) - n_pure - counts['points']} isolated mixed BNE from "
        f"{counts['tried']} support profiles solved exactly (Gröbner bases over QQ, "
        f"grevlex then FGLM to lex, in shape form; actions removed by iterated strict "
        f"dominance first, {counts['pruned']} more profiles pruned by conditional "
        f"(strict, or weak on the supports) dominance and {counts['excluded']} by a proof that "
        f"their system has no solution with probabilities in the simplices meeting the "
        f"best-response conditions (exact vertex bounds of multilinear polynomials on "
        f"boxes, or an unknown with no value in (0, 1) by Descartes's rule of signs)), "
        f"supports of at most {limit} action{'s' if limit != 1 else ''} per player and type."
    )
    if n_cont:
        notes += (
            f" {n_cont} support profiles have a positive-dimensional indifference "
            f"system (typical of degenerate games); in {counts['points']} of them a "
            f"continuum of equilibria was found: an exact point of each, found by "
            f"fixing unknowns to rationals, is listed, and the continuum is described "
            f"by its supports and defining system (EquilibriumSet.continua). In the "
            f"other {n_cont - counts['points']} no point meeting the support conditions "
            f"was found within MAX_CONTINUUM_SOLVES systems."
        )
    if counts["unsolved"]:
        notes += (
            f" {counts['unsolved']} zero-dimensional systems could not be brought into "
            f"shape form and were skipped."
        )
    if complete:
        notes += (
            " Complete: every support profile was tried and every system was "
            "inconsistent or had finitely many solutions, all examined, so every BNE "
            "is listed."
        )
    elif not all_sizes:
        notes += " Not complete: larger supports were not tried."
    else:
        notes += " Not complete (see above): continua are described, not listed point by point."
    return PolynomialResult(tuple(profiles), complete, notes, tuple(continua))

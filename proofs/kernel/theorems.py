"""The theorem tables, written once: theorem → rules, each rule's claim and relation, the
statements, and the shape theorem's hypotheses.

Both kernels (:mod:`proofs.kernel.rules` for game traces, :mod:`proofs.kernel.shape` for
shape traces) check a trace's claims against these tables, and the builders
(:mod:`proofs.builders`, :mod:`proofs.shape`) write their claims from them.

Notation of the game traces' ``lhs``/``rhs`` strings (:data:`NOTATION`):
``E_{t_i} X`` is ``Σ_{t_i: Ω_i(t_i)>0} Ω_i(t_i)·X``; ``E_t X`` is ``Σ_t Ω(t)·X``;
``E_{a~σ(t)} X`` is ``Σ_a Π_j σ_j(t_j)(a_j)·X``; ``E_{a_i~σ_i(t_i)} X`` is
``Σ_{a_i} σ_i(t_i)(a_i)·X``; ``max_{a_i}`` ranges over exactly ``A_i``; ``c`` is the
constant sum; ``W(σ)`` the welfare.  The shape traces write every quantity in the symbols of
the shape (:data:`SHAPE_NOTATION`, :data:`DEFINITIONS`).

>>> THEOREMS["general-sum-identity"][-1], RELATIONS["max-dominates-mean"]
('slack-sum', '≥')
>>> SHAPE_NOTATION["normalisation"]
('Σ_t w[t] Σ_a Π_j s_j[t_j][a_j]·c', '=', 'c')
"""

from __future__ import annotations

__all__ = [
    "DEFINITIONS",
    "ELIMINATES",
    "EQUALITY_RULE",
    "EQUALITY_STATEMENTS",
    "EQUALITY_USES",
    "HYPOTHESES",
    "NOTATION",
    "POWER_SUM",
    "RELATIONS",
    "SHAPE_NOTATION",
    "STATEMENTS",
    "THEOREMS",
    "THEOREM_HYPOTHESES",
    "USES",
]

#: ``theorem -> its rules, in order`` (step ``k`` uses rule ``k - 1`` of the tuple); the same
#: for game traces and shape traces.
THEOREMS: dict[str, tuple[str, ...]] = {
    "power-scarcity": (
        "power-definition",
        "max-dominates-mean",
        "total-expectation",
        "linearity",
        "constant-sum",
        "normalisation",
    ),
    "general-sum-identity": (
        "power-definition",
        "max-dominates-mean",
        "total-expectation",
        "linearity",
        "slack-sum",
    ),
}
#: ``theorem -> what the chain proves``.
STATEMENTS: dict[str, str] = {
    "power-scarcity": "Σ_i POWER(i,σ) ≥ c",
    "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) + NashConv(σ) ≥ W(σ)",
}
#: ``theorem -> its equality statement``.
EQUALITY_STATEMENTS: dict[str, str] = {
    "power-scarcity": "Σ_i POWER(i,σ) = c iff σ is a BNE",
    "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) iff σ is a BNE",
}

POWER_SUM = "Σ_i POWER(i,σ)"
#: Game traces: ``rule -> (lhs, rhs)`` in the notation of the module docstring.
NOTATION: dict[str, tuple[str, str]] = {
    "power-definition": (POWER_SUM, "Σ_i E_{t_i} max_{a_i} f_i(t_i,a_i,σ_-i)"),
    "max-dominates-mean": (
        "Σ_i E_{t_i} max_{a_i} f_i(t_i,a_i,σ_-i)",
        "Σ_i E_{t_i} E_{a_i~σ_i(t_i)} f_i(t_i,a_i,σ_-i)",
    ),
    "total-expectation": (
        "Σ_i E_{t_i} E_{a_i~σ_i(t_i)} f_i(t_i,a_i,σ_-i)",
        "Σ_i E_t E_{a~σ(t)} r_i(t,a)",
    ),
    "linearity": ("Σ_i E_t E_{a~σ(t)} r_i(t,a)", "E_t E_{a~σ(t)} Σ_i r_i(t,a)"),
    "constant-sum": ("E_t E_{a~σ(t)} Σ_i r_i(t,a)", "E_t E_{a~σ(t)} c"),
    "normalisation": ("E_t E_{a~σ(t)} c", "c"),
    "slack-sum": (POWER_SUM, "W(σ) + NashConv(σ)"),
}
#: The one relation each rule allows (game and shape traces alike).
RELATIONS: dict[str, str] = {
    rule: ("≥" if rule == "max-dominates-mean" else "=") for rule in NOTATION
}

# -- shape traces ------------------------------------------------------------------------------

_SUM_M = "Σ_i Σ_{t_i} M_i[t_i]"
_MEAN = "Σ_i Σ_{t_i} Σ_{a_i} s_i[t_i][a_i]·F_i(t_i,a_i)"
_EXPECTED = "Σ_i Σ_t w[t] Σ_a Π_j s_j[t_j][a_j]·r_i[t][a]"
_WELFARE = "Σ_t w[t] Σ_a Π_j s_j[t_j][a_j]·Σ_i r_i[t][a]"
_MASS = "Σ_t w[t] Σ_a Π_j s_j[t_j][a_j]·c"
_SHAPE_CLAIMS = {
    "power-definition": (POWER_SUM, _SUM_M),
    "max-dominates-mean": (_SUM_M, _MEAN),
    "total-expectation": (_MEAN, _EXPECTED),
    "linearity": (_EXPECTED, _WELFARE),
    "constant-sum": (_WELFARE, _MASS),
    "normalisation": (_MASS, "c"),
    "slack-sum": (POWER_SUM, "W(σ) + NashConv(σ)"),
}
#: Shape traces: ``rule -> (lhs, relation, rhs)``.
SHAPE_NOTATION: dict[str, tuple[str, str, str]] = {
    rule: (lhs, RELATIONS[rule], rhs) for rule, (lhs, rhs) in _SHAPE_CLAIMS.items()
}

#: ``name -> (statement, elimination or None)``.
HYPOTHESES: dict[str, tuple[str, str | None]] = {
    "prior-nonnegative": ("w[t] ≥ 0 for every type profile t", None),
    "prior-normalised": ("Σ_t w[t] = 1", "w[t_last] = 1 − Σ_{t≠t_last} w[t]"),
    "strategy-nonnegative": ("s_i[t_i][a_i] ≥ 0 for every i, t_i, a_i", None),
    "strategy-normalised": (
        "Σ_{a_i} s_i[t_i][a_i] = 1 for every i, t_i",
        "s_i[t_i][a_last] = 1 − Σ_{a≠a_last} s_i[t_i][a]",
    ),
    "constant-sum": ("Σ_i r_i[t][a] = c for every t, a", "r_n[t][a] = c − Σ_{i<n} r_i[t][a]"),
}
_STANDING = ("prior-nonnegative", "prior-normalised", "strategy-nonnegative", "strategy-normalised")
#: ``theorem -> its hypotheses, in order``.
THEOREM_HYPOTHESES: dict[str, tuple[str, ...]] = {
    "power-scarcity": _STANDING + ("constant-sum",),
    "general-sum-identity": _STANDING,
}
#: ``rule -> the hypotheses it cites``.
USES: dict[str, tuple[str, ...]] = {
    "power-definition": ("prior-nonnegative",),
    "max-dominates-mean": ("strategy-nonnegative", "strategy-normalised"),
    "total-expectation": (),
    "linearity": (),
    "constant-sum": ("constant-sum",),
    "normalisation": ("prior-normalised", "strategy-normalised"),
    "slack-sum": (),
}
#: ``rule -> the cited hypotheses eliminated before its identity is expanded``.
ELIMINATES: dict[str, tuple[str, ...]] = {
    rule: {
        "constant-sum": ("constant-sum",),
        "normalisation": ("prior-normalised", "strategy-normalised"),
    }.get(rule, ())
    for rule in USES
}
#: The fixed text of the shape's definitions.
DEFINITIONS: dict[str, str] = {
    "F_i(t_i,a_i)": "Σ_{t_-i} Σ_{a_-i} w[t]·Π_{j≠i} s_j[t_j][a_j]·r_i[t][a]",
    "M_i[t_i]": "max_{a_i ∈ A_i} F_i(t_i,a_i)",
    "POWER(i,σ)": "Σ_{t_i} M_i[t_i]",
    "W(σ)": _WELFARE,
    "NashConv(σ)": "Σ_i Σ_{t_i} (M_i[t_i] − Σ_{a_i} s_i[t_i][a_i]·F_i(t_i,a_i))",
}
#: The rule of a shape trace's equality statement, and the hypotheses it cites.
EQUALITY_RULE = "sum-of-nonnegatives"
EQUALITY_USES: tuple[str, ...] = ("strategy-nonnegative", "strategy-normalised")

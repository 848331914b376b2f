"""Every size limit of exactpower and proofs, defined once.

Each limit bounds the work or the memory one input may cost; going over one raises
:class:`~exactpower.errors.LimitError` (or, for the search and enumeration budgets, ends the
search as documented where it is used), naming the limit, before the costly work is done.
The modules that enforce a limit import it from here (and re-export it under the name they
document); ``docs/design.md`` ("Limits") lists them all in one table, which
``tests/test_layers.py`` keeps equal to this module.

>>> MAX_FILE_CELLS < MAX_GAME_CELLS and MAX_SEARCH_NODES < MAX_TREE_NODES
True
>>> MAX_DYNAMICS_DIGITS < MAX_DENOMINATOR_DIGITS  # a trajectory stops before the arrays refuse
True
"""

from __future__ import annotations

__all__ = [
    # input files (game-v1, profile-v1, Gambit .nfg / .efg)
    "MAX_FILE_BYTES",
    "MAX_PLAYERS",
    "MAX_PARAMETERS",
    "MAX_NAME_LENGTH",
    "MAX_INFOSET_NAME_LENGTH",
    "MAX_TITLE_LENGTH",
    "MAX_FILE_CELLS",
    "MAX_RECORDS",
    "MAX_TREE_NODES",
    # expressions (file text and trace values)
    "MAX_LENGTH",
    "MAX_NESTING",
    "MAX_EXPONENT",
    "MAX_DIGITS",
    "MAX_DECIMAL_EXPONENT",
    "MAX_RESULT_DIGITS",
    "MAX_ROOT_DEGREE",
    "MAX_ROOT_DIGITS",
    # the number layer and the model
    "MAX_DENOMINATOR_DIGITS",
    "MAX_SCALED_DIGITS",
    "MAX_VERTEX_PARAMETERS",
    "MAX_GAME_CELLS",
    # algorithms
    "MAX_SEARCH_NODES",
    "MAX_LP_SIZE",
    "MAX_SUPPORT_PROFILES",
    "MAX_CONTINUUM_SOLVES",
    "MAX_REGION_BOXES",
    "MAX_ROOT_BISECTIONS",
    "MAX_BASES",
    "MAX_DIMENSION",
    "MAX_GROUP",
    "MAX_COUNTEREXAMPLES",
    "MAX_CLASS_GAMES",
    "MAX_VISIT_POLICIES",
    "MAX_ENCLOSURE_BOXES",
    "MAX_STOCHASTIC_STATES",
    "MAX_STOCHASTIC_CELLS",
    "MAX_DYNAMICS_STEPS",
    "MAX_DYNAMICS_DIGITS",
    # proof traces and their kernel
    "MAX_TRACE_BYTES",
    "MAX_VALUE_LENGTH",
    "MAX_VALUES_TOTAL",
    "MAX_PREMISE_DEPTH",
    "MAX_ATOMS",
    "MAX_DEGREE",
    "MAX_BITS",
    "MAX_BOOLEAN_ATOMS",
    "MAX_SHAPE_SYMBOLS",
    "MAX_SHAPE_PLAYERS",
    "MAX_PROOF_WORK",
    "MAX_SYMBOLIC_PROOF_WORK",
    "MAX_CLAIM_TERMS",
    "MAX_TREE_PROOF_WORK",
    "MAX_SYMBOLIC_TREE_WORK",
    "MAX_DENOMINATOR_TERMS",
]

# -- input files --------------------------------------------------------------------------
MAX_FILE_BYTES = 20_000_000  #: size of one game or profile file (bytes; characters of a str)
MAX_PLAYERS = 15  #: players of a game read from a file
MAX_PARAMETERS = 100  #: declared parameters of a game file
MAX_NAME_LENGTH = 100  #: characters of a player, type, action or parameter name in a file
MAX_INFOSET_NAME_LENGTH = 1000  #: characters of an information set name (OpenSpiel's are long)
MAX_TITLE_LENGTH = 1000  #: characters of the title of a file
MAX_FILE_CELLS = 1_000_000  #: reward cells n·Π|T_i|·Π|A_i| of a game read from a file
MAX_RECORDS = 1_000_000  #: reward records, and entries of a joint prior, of a game file
MAX_TREE_NODES = 1_000_000  #: nodes of one game tree (a Gambit .efg file, an ExtensiveGame)

# -- expressions ----------------------------------------------------------------------------
MAX_LENGTH = 1000  #: characters of one expression in a file, whitespace included
MAX_NESTING = 32  #: depth of parentheses, unary operators and powers in one expression
MAX_EXPONENT = 16  #: absolute value of an exponent, and of every number written in it
MAX_DIGITS = 100  #: digits in the mantissa of one number literal
MAX_DECIMAL_EXPONENT = 100  #: absolute value of the e in a literal such as 1.5e-3
MAX_RESULT_DIGITS = 4000  #: digits of a numerator or denominator (and power) of a parsed value
MAX_ROOT_DEGREE = 16  #: degree of the polynomial of a CRootOf in a trace value
MAX_ROOT_DIGITS = 500  #: digits of a CRootOf coefficient, or of a sqrt argument, in a trace value

# -- the number layer and the model ---------------------------------------------------------
MAX_DENOMINATOR_DIGITS = 10_000  #: decimal digits of the common denominator of one exact array
MAX_SCALED_DIGITS = 2 * 10**8  #: cells × digits of the common denominator of one exact array
MAX_VERTEX_PARAMETERS = 12  #: probability parameters of one vertex check (2**k points)
MAX_GAME_CELLS = 10**7  #: reward cells Π|T_i|·Π|A_i| per player of a game built in memory

# -- algorithms -----------------------------------------------------------------------------
MAX_SEARCH_NODES = 200_000  #: default node budget of the best/worst-case POWER search
MAX_LP_SIZE = 4_000_000  #: entries of the tableau of one exact linear program
MAX_SUPPORT_PROFILES = 20_000  #: support profiles of one polynomial equilibrium enumeration
MAX_CONTINUUM_SOLVES = 120  #: systems solved to find a point of one continuum of equilibria
MAX_REGION_BOXES = 20_000  #: boxes examined to prove a support system has no equilibrium
MAX_ROOT_BISECTIONS = 100_000  #: bisections isolating the real roots of one polynomial
MAX_BASES = 4096  #: bases per polyhedron up to which two-player games are enumerated vectorised
MAX_DIMENSION = 4  #: dimension of x-space up to which two-player games are enumerated vectorised
MAX_GROUP = 20_000  #: elements of the symmetry group of one class shape
MAX_COUNTEREXAMPLES = 10  #: counterexamples kept per kind in an exhaust summary
MAX_CLASS_GAMES = 10**11  #: raw games of one exhaust run without --limit (a shard: class / N)
MAX_VISIT_POLICIES = 200_000  #: policies (paths) enumerated for the visit distributions of a state
MAX_ENCLOSURE_BOXES = 200_000  #: boxes of one certified enclosure of an iid-uniform POWER
MAX_STOCHASTIC_STATES = 500  #: states of one stochastic game (exact dense linear solves)
MAX_STOCHASTIC_CELLS = 200_000  #: (state, joint action) cells of one stochastic game
MAX_DYNAMICS_STEPS = 100_000  #: steps of one learning-dynamics trajectory
MAX_DYNAMICS_DIGITS = 4000  #: digits of a strategy's denominator or a value along a trajectory

# -- proof traces and their kernel ----------------------------------------------------------
MAX_TRACE_BYTES = 8_000_000  #: size of one proof trace (bytes; characters of a str)
MAX_VALUE_LENGTH = 100_000  #: characters of one value of a trace
MAX_VALUES_TOTAL = 1_000_000  #: characters of all the distinct values of one trace
MAX_PREMISE_DEPTH = 32  #: nesting of the premises of a trace step (objects and arrays)
MAX_ATOMS = 400  #: distinct atoms e = 0, e ≥ 0 of a condition the kernel decides
MAX_DEGREE = 48  #: one parameter: sum of the degrees of a condition's irreducible factors
MAX_BITS = 2000  #: one parameter: bits of a coefficient of a condition's atom
MAX_BOOLEAN_ATOMS = 8  #: several parameters: atoms of a Boolean simplification of a condition
MAX_SHAPE_SYMBOLS = 3000  #: symbols of one shape theorem (payoffs, prior, strategies, maxima)
MAX_SHAPE_PLAYERS = 16  #: players of one shape theorem
#: The size of a proof: n·Π|T_i|·Π|A_i| + Σ_i |T_i|·|A_i|² (proofs.kernel.facts.proof_size).
MAX_PROOF_WORK = 500_000  #: the size of a proof, rational game and profile
MAX_SYMBOLIC_PROOF_WORK = 4_000  #: symbolic: the same measure × the terms of one summand Ω·Πσ·r
MAX_CLAIM_TERMS = 50_000  #: terms of the distinct claimed values of one trace, expanded (bound)
#: The size of a tree proof (proofs.kernel.tree_records.tree_proof_size): n·nodes + Σ_I |A_I|².
MAX_TREE_PROOF_WORK = 400_000  #: the size of a tree proof, rational game and profile
#: Symbolic: 200·Σ_z t(z)·(n + depth z) + 2^P·Σ_I |A_I|·Σ_{z below I} t(z) (t: terms of π·u).
MAX_SYMBOLIC_TREE_WORK = 100_000_000  #: the size of a tree proof, symbolic game or profile
MAX_DENOMINATOR_TERMS = 2_000  #: terms of the distinct denominators of one tree trace (factored)

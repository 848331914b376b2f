"""The exception tree of exactpower.

Every error raised on bad input is a :class:`GameError`.  Each subclass also
inherits the built-in exception it refines (``ValueError`` or ``TypeError``),
so ``except ValueError`` keeps working for callers who do not know exactpower.
Messages name the place (file, record, player, type, action) and the problem.
"""

from __future__ import annotations

__all__ = [
    "GameError",
    "InexactValueError",
    "ExpressionError",
    "ParameterError",
    "ProbabilityError",
    "GameStructureError",
    "CoverageError",
    "ProfileError",
    "FileFormatError",
    "LimitError",
    "ZeroProbabilityError",
    "UndecidedError",
    "ConstantSumError",
    "MDPError",
    "TreeError",
    "GameKindError",
]


class GameError(Exception):
    """Base class of every error exactpower raises on bad input."""


class InexactValueError(GameError, TypeError):
    """A float (or another inexact or unsupported type) was given as a value."""


class ExpressionError(GameError, ValueError):
    """Text that is not a value in exactpower's expression grammar."""


class ParameterError(GameError, ValueError):
    """An undeclared parameter, a bad parameter domain, or a parameter clash."""


class ProbabilityError(GameError, ValueError):
    """A probability outside [0, 1], or probabilities that do not sum to 1."""


class GameStructureError(GameError, ValueError):
    """Wrong players, types, actions, names, or array dimensions."""


class CoverageError(GameError, ValueError):
    """A reward cell that is set twice, or not at all."""


class ProfileError(GameError, ValueError):
    """A strategy profile that does not fit its game."""


class FileFormatError(GameError, ValueError):
    """A game or profile file that is not valid JSON of the expected format."""


class LimitError(GameError, ValueError):
    """An input over one of exactpower's documented size limits."""


class ZeroProbabilityError(GameError, ValueError):
    """A quantity that is defined only for positive-probability types."""


class UndecidedError(GameError, ValueError):
    """A comparison of symbolic values that exactpower cannot decide."""


class ConstantSumError(GameError, ValueError):
    """A declared ``constant_sum`` that the rewards do not have."""


class MDPError(GameStructureError):
    """A Markov decision process that is not well formed, or a discount outside (0, 1)."""


class TreeError(GameError, ValueError):
    """A game tree that is not a finite extensive-form game with perfect recall."""


class GameKindError(GameError, TypeError):
    """A game or profile of the wrong kind for a function (a one-shot profile with a game
    tree, an MDP where a game with players is expected)."""

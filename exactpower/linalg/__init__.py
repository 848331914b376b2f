"""Exact linear algebra and linear programming (python-flint rationals).

:mod:`exactpower.linalg.simplex` -- the two-phase simplex method
(:func:`simplex_min`) and the min-max programs of zero-sum games
(:func:`minimax_lp`), used by :mod:`exactpower.bounds`.

>>> from exactpower.linalg import simplex_min
>>> simplex_min([1, 1], [], [], [[1, 1], [2, 2]], [1, 2], [])[0]
1
"""

from .simplex import MAX_LP_SIZE, LPError, minimax_lp, simplex_min

__all__ = ["simplex_min", "minimax_lp", "LPError", "MAX_LP_SIZE"]

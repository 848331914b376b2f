"""The command line ``exactpower`` (also ``python -m exactpower``): parsing and printing only.

:mod:`exactpower.cli.main` holds the parser and :func:`main`, the one place
that turns a :class:`~exactpower.GameError` into exit 2 and one line;
:mod:`exactpower.cli.common` the shared arguments and printing; one module per
command: ``power``, ``verify``, ``check``, ``shape`` (``prove-shape``),
``latex``, ``equilibria``, ``bounds`` (``power-bounds``), ``convert``,
``exhaust``, ``conjecture``.  The numbers come from the library
(:func:`exactpower.report` for ``power``).

>>> main(["--version"])  # doctest: +ELLIPSIS
exactpower ...
0
"""

from .main import build_parser, main

__all__ = ["main", "build_parser"]

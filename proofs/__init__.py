"""The proof module of exactpower (issue 3): kernel, trace builders, LaTeX.

Not yet implemented; ``exactpower`` never imports this package.
"""

__all__: list = []

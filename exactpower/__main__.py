"""``python -m exactpower``: the command line of :mod:`exactpower.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

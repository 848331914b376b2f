"""Edits that turn a good trace into a must-fail one, shared by the corpus scripts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def set_at(path: Sequence, value: Any) -> Callable[[Any], None]:
    """An edit of a trace's JSON data: put ``value`` at ``path`` (keys and indices).

    >>> d = {"steps": [{"value": "1"}]}
    >>> set_at(["steps", 0, "value"], "2")(d)
    >>> d
    {'steps': [{'value': '2'}]}
    """

    def edit(d: Any) -> None:
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit

"""A small, safe reader for the subset of Graphviz DOT that MDP files use.

The grammar read (DOT's own, minus what MDP files never need)::

    graph     := ["strict"] ("digraph" | "graph") [ID] "{" stmt* "}"
    stmt      := (node_stmt | edge_stmt | attr_stmt | ID "=" ID) [";"]
    node_stmt := ID [attr_list]
    edge_stmt := ID ("->" ID)+ [attr_list]          ("--" in an undirected graph)
    attr_stmt := ("graph" | "node" | "edge") attr_list
    attr_list := ("[" (ID ["=" ID] [";" | ","])* "]")+

An ID is a bare name (letters, digits, ``_``, any non-ASCII character; not starting with
a digit), a numeral (``-1.5``), or a double-quoted string (``\\"`` is a quote, a
backslash-newline joins lines, every other backslash is kept as written).  Comments
``// …``, ``/* … */`` and lines starting with ``#`` are skipped.  Subgraphs, ports,
HTML strings and ``+``-joined strings are refused by name.  Nothing in the text is ever
evaluated.  A quoted string has at most 10 × ``MAX_NAME_LENGTH`` characters and a graph at
most ``MAX_TREE_NODES`` nodes and edges together.  Every error is one :class:`~exactpower.errors.FileFormatError` line naming the
source, the line and the column.

>>> g = parse_dot('digraph "t" { a -> b [weight="0.5"]; b; }')
>>> g.title, [n.name for n in g.nodes], g.edges[0].attrs
('t', ['a', 'b'], (('weight', '0.5'),))
>>> parse_dot("digraph { a -> }")
Traceback (most recent call last):
...
exactpower.errors.FileFormatError: <string>: line 1 column 16: expected a node name, got '}'
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .. import limits
from ..errors import FileFormatError, LimitError

__all__ = ["DotNode", "DotEdge", "DotGraph", "parse_dot", "Token", "tokens"]

_BARE = re.compile(r"[A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_\u0080-\U0010ffff]*")
_NUMERAL = re.compile(r"-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)")
_KEYWORDS = ("strict", "graph", "digraph", "node", "edge", "subgraph")


@dataclass(frozen=True)
class Token:
    """A token: ``kind`` is ``"id"``, ``"keyword"``, a punctuation mark or ``"end"``."""

    kind: str
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class DotNode:
    """A node, at the place it first appears, with the attributes of its statements."""

    name: str
    line: int
    column: int
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DotEdge:
    """An edge ``tail -> head`` with its attributes (defaults of ``edge [...]`` included)."""

    tail: str
    head: str
    line: int
    column: int
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str) -> str | None:
        """The value of attribute ``key`` (the last one given), or ``None``."""
        found = None
        for k, v in self.attrs:
            if k == key:
                found = v
        return found


@dataclass(frozen=True)
class DotGraph:
    """A parsed DOT graph: nodes in order of first appearance, edges in file order."""

    title: str
    strict: bool
    directed: bool
    nodes: tuple[DotNode, ...]
    edges: tuple[DotEdge, ...]
    source: str = "<string>"

    def where(self, line: int, column: int) -> str:
        """``"<source>: line L column C"`` for a message."""
        return f"{self.source}: line {line} column {column}"


def _fail(source: str, line: int, column: int, message: str) -> FileFormatError:
    return FileFormatError(f"{source}: line {line} column {column}: {message}")


def tokens(text: str, source: str = "<string>") -> list[Token]:
    """The tokens of ``text``, ending with an ``"end"`` token.

    >>> [t.text for t in tokens('a -> "b c" // x')]
    ['a', '->', 'b c', '']
    """
    out: list[Token] = []
    i, line, start = 0, 1, 0  # start: index of the first character of the line
    n = len(text)
    while i < n:
        ch = text[i]
        col = i - start + 1
        if ch == "\n":
            i, line, start = i + 1, line + 1, i + 1
        elif ch in " \t\r\f\v\ufeff":
            i += 1
        elif (ch == "#" and text[start:i].strip() == "") or text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _fail(source, line, col, "comment /* is never closed")
            line += text.count("\n", i, end)
            if "\n" in text[i:end]:
                start = text.rfind("\n", i, end) + 1
            i = end + 2
        elif ch == '"':
            token, i, line, start = _quoted(text, i, line, start, source)
            out.append(token)
        elif text.startswith("->", i) or text.startswith("--", i):
            out.append(Token(text[i : i + 2], text[i : i + 2], line, col))
            i += 2
        elif m := _NUMERAL.match(text, i):
            out.append(Token("id", m.group(), line, col))
            i = m.end()
        elif m := _BARE.match(text, i):
            word = m.group()
            kind = "keyword" if word.lower() in _KEYWORDS else "id"
            out.append(Token(kind, word.lower() if kind == "keyword" else word, line, col))
            i = m.end()
        elif ch == "<":
            raise _fail(source, line, col, "HTML strings (<...>) are not supported")
        elif ch in "{}[];,=:+":
            out.append(Token(ch, ch, line, col))
            i += 1
        else:
            raise _fail(source, line, col, f"unexpected character {ch!r}")
    out.append(Token("end", "", line, i - start + 1))
    return out


def _quoted(text: str, i: int, line: int, start: int, source: str) -> tuple:
    """A double-quoted string from ``text[i]``: ``(token, next index, line, line start)``."""
    tline, tcol = line, i - start + 1
    parts: list[str] = []
    j = i + 1
    while True:
        if j >= len(text):
            raise _fail(source, tline, tcol, "string is never closed (missing '\"')")
        ch = text[j]
        if ch == "\\" and text.startswith('\\"', j):
            parts.append('"')
            j += 2
        elif ch == "\\" and text.startswith("\\\n", j):
            j, line, start = j + 2, line + 1, j + 2
        elif ch == '"':
            break
        else:
            if ch == "\n":
                line, start = line + 1, j + 1
            parts.append(ch)
            j += 1
    value = "".join(parts)
    if len(value) > 10 * limits.MAX_NAME_LENGTH:
        raise LimitError(
            f"{source}: line {tline} column {tcol}: a string of {len(value)} characters "
            f"(over 10 × MAX_NAME_LENGTH = {10 * limits.MAX_NAME_LENGTH})"
        )
    return Token("id", value, tline, tcol), j + 1, line, start


class _Parser:
    def __init__(self, text: str, source: str):
        self.source = source
        self.toks = tokens(text, source)
        self.k = 0
        self.nodes: dict[str, DotNode] = {}
        self.edges: list[DotEdge] = []
        self.edge_defaults: list[tuple[str, str]] = []

    def peek(self) -> Token:
        return self.toks[self.k]

    def next(self) -> Token:
        tok = self.toks[self.k]
        self.k += 1
        return tok

    def fail(self, tok: Token, message: str) -> FileFormatError:
        return _fail(self.source, tok.line, tok.column, message)

    def expect(self, kind: str, what: str) -> Token:
        tok = self.next()
        if tok.kind != kind:
            raise self.fail(tok, f"expected {what}, got {_shown(tok)}")
        return tok

    def name(self) -> Token:
        tok = self.next()
        if tok.kind != "id":
            raise self.fail(tok, f"expected a node name, got {_shown(tok)}")
        if self.peek().kind == "+":
            raise self.fail(self.peek(), "strings joined with '+' are not supported")
        if self.peek().kind == ":":
            raise self.fail(self.peek(), "node ports (name:port) are not supported")
        return tok

    def graph(self) -> DotGraph:
        tok = self.next()
        strict = tok.kind == "keyword" and tok.text == "strict"
        if strict:
            tok = self.next()
        if tok.kind != "keyword" or tok.text not in ("digraph", "graph"):
            raise self.fail(tok, f"expected 'digraph' or 'graph', got {_shown(tok)}")
        directed = tok.text == "digraph"
        title = self.next().text if self.peek().kind == "id" else ""
        self.expect("{", "'{'")
        while self.peek().kind != "}":
            self.statement(directed)
            if self.peek().kind == ";":
                self.next()
        self.next()
        self.expect("end", "the end of the file")
        nodes = tuple(self.nodes.values())
        return DotGraph(title, strict, directed, nodes, tuple(self.edges), self.source)

    def statement(self, directed: bool) -> None:
        tok = self.peek()
        if tok.kind == "end":
            raise self.fail(tok, "the file ends before the graph's closing '}'")
        if tok.kind == "{" or (tok.kind == "keyword" and tok.text == "subgraph"):
            raise self.fail(tok, "subgraphs are not supported in MDP files")
        if tok.kind == "keyword" and tok.text in ("graph", "node", "edge"):
            self.next()
            attrs = self.attributes(required=True)
            if tok.text == "edge":
                self.edge_defaults.extend(attrs)
            return
        first = self.name()
        if self.peek().kind == "=":
            self.next()
            self.expect("id", "a value after '='")
            return
        self.rest(first, directed)

    def rest(self, first: Token, directed: bool) -> None:
        op, wrong = ("->", "--") if directed else ("--", "->")
        chain = [first]
        while self.peek().kind in ("->", "--"):
            arrow = self.next()
            if arrow.kind == wrong:
                kind = "a digraph" if directed else "an undirected graph"
                raise self.fail(arrow, f"{arrow.text!r} in {kind} (edges are written {op!r})")
            if self.peek().kind == "{":
                raise self.fail(self.peek(), "edges to a group {...} are not supported")
            chain.append(self.name())
        attrs = self.attributes(required=False)
        for tok in chain:
            self.add_node(tok, attrs if len(chain) == 1 else ())
        for tail, head in itertools.pairwise(chain):
            self.edges.append(
                DotEdge(tail.text, head.text, tail.line, tail.column, (*self.edge_defaults, *attrs))
            )
        if len(self.edges) + len(self.nodes) > limits.MAX_TREE_NODES:
            raise LimitError(
                f"{self.source}: line {first.line}: over MAX_TREE_NODES = "
                f"{limits.MAX_TREE_NODES} nodes and edges"
            )

    def add_node(self, tok: Token, attrs: tuple) -> None:
        old = self.nodes.get(tok.text)
        if old is None:
            self.nodes[tok.text] = DotNode(tok.text, tok.line, tok.column, tuple(attrs))
        elif attrs:
            self.nodes[tok.text] = DotNode(old.name, old.line, old.column, old.attrs + tuple(attrs))

    def attributes(self, required: bool) -> tuple[tuple[str, str], ...]:
        out: list[tuple[str, str]] = []
        if required and self.peek().kind != "[":
            raise self.fail(self.peek(), f"expected '[', got {_shown(self.peek())}")
        while self.peek().kind == "[":
            self.next()
            while self.peek().kind != "]":
                key = self.expect("id", "an attribute name")
                value = "true"
                if self.peek().kind == "=":
                    self.next()
                    value = self.expect("id", "an attribute value").text
                out.append((key.text, value))
                if self.peek().kind in (",", ";"):
                    self.next()
            self.next()
        return tuple(out)


def _shown(tok: Token) -> str:
    if tok.kind == "end":
        return "the end of the file"
    return repr(tok.text)


def parse_dot(text: str | bytes, source: str = "<string>") -> DotGraph:
    """Parse DOT text (``bytes`` are decoded as UTF-8) into a :class:`DotGraph`."""
    if isinstance(text, (bytes, bytearray)):
        if len(text) > limits.MAX_FILE_BYTES:
            raise LimitError(
                f"{source}: {len(text)} bytes, over the limit MAX_FILE_BYTES = "
                f"{limits.MAX_FILE_BYTES}"
            )
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise FileFormatError(f"{source}: byte {e.start}: not UTF-8 text") from None
    if len(text) > limits.MAX_FILE_BYTES:
        raise LimitError(
            f"{source}: {len(text)} characters, over the limit MAX_FILE_BYTES = "
            f"{limits.MAX_FILE_BYTES}"
        )
    return _Parser(text, source).graph()

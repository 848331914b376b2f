"""Gambit's strategic-form ``.nfg`` format (version 1), read and written exactly.

Both forms of version 1: the *outcome* form (a list of outcomes, then one
outcome number per strategy profile; what Gambit 16 writes, and the default) and
the *payoff* form (the payoffs of every profile listed directly;
``form="payoff"``).  Profiles are listed with the first player's strategy
changing fastest.  A game with one type per player is written as it is
(strategies = actions); a Bayesian game with types is refused unless
``strategic_form=True``, which writes its induced strategic form (a strategy is
a map type → action, the payoff its ex-ante expected reward) -- that is a
different game (its POWER is not the Bayesian game's), so it is never done
silently.  Reading gives a game with one type ``"-"`` per player.
``json → nfg → json`` is exact for games with one type per player.  See
:mod:`exactpower.io.gambit` for the common rules (exact numbers, names, errors)
and ``docs/gambit.md`` for the user's guide.

>>> from exactpower import BayesianGame
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
...                               names=("row", "col"), actions=("HT", "HT"))
>>> back = from_nfg(to_nfg(mp))
>>> back.players[0], back.reward(1, (0, 0), (0, 1))
(Player(name='row', types=('-',), actions=('H', 'T')), 1)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import sympy

from ..errors import GameStructureError, LimitError
from ..exact import to_rational
from ..game import BayesianGame, Player
from ..limits import MAX_FILE_CELLS
from .gambit_lexer import (
    Lexer,
    check_name,
    decode,
    describe,
    normalize_labels,
    number_text,
    quote,
    read_header,
)

__all__ = ["from_nfg", "to_nfg", "induced_strategic_form"]


# -- reading -----------------------------------------------------------------------


def from_nfg(text, *, source: str = "<nfg>") -> BayesianGame:
    """Read a Gambit strategic-form ``.nfg`` file (outcome or payoff form) as a game.

    Each player gets the single type ``"-"``; strategies become actions.
    Payoffs are exact (``0.1`` is 1/10).  Empty or repeated names are made
    unique as Gambit does (``"_1"``, ``"x_1"``).

    Parameters
    ----------
    text : str or bytes
        The file's contents (bytes are decoded as UTF-8, else Latin-1).
    source : str
        Names the file in error messages.

    Raises
    ------
    GambitFormatError
        On any malformed input, naming the line, the column and the token.

    Examples
    --------
    The payoff form, with strategy counts instead of names:

    >>> g = from_nfg('NFG 1 R "PD" { "A" "B" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> g.players[1], g.reward(0, (0, 0), (1, 0)), g.reward(1, (0, 0), (1, 0))
    (Player(name='B', types=('-',), actions=('1', '2')), 5, 0)

    The outcome form:

    >>> g = from_nfg('''NFG 1 R "" { "r" "c" } { { "U" "D" } { "L" "R" } } ""
    ... { { "win" 1, -1 } { "lose" -1, 1 } }
    ... 1 2 2 1''')
    >>> g.title, [g.reward(0, (0, 0), a) for a in g.action_profiles]
    (None, [1, -1, -1, 1])
    >>> from_nfg('NFG 1 R "x" { "a" } { 2 } 1', source="x.nfg")
    Traceback (most recent call last):
    ...
    exactpower.io.gambit_lexer.GambitFormatError: x.nfg: line 1 column 28: expected a number (a payoff of player 'a' at profile 2), got the end of the file
    """
    lexer = Lexer(decode(text, source), source)
    title, names, _ = read_header(lexer, "NFG", "1")
    n = len(names)
    brace = lexer.expect("{", "'{' before the strategies")
    strategies = _read_strategies(lexer, names)
    lexer.expect("}", f"'}}' after the strategies of the {n} players")
    shape = tuple(len(s) for s in strategies)
    cells = n * math.prod(shape)
    if cells > MAX_FILE_CELLS:
        lexer.fail(
            brace,
            f"{cells} payoffs (players x strategy profiles), over the limit "
            f"MAX_FILE_CELLS = {MAX_FILE_CELLS}",
            LimitError,
        )
    if lexer.peek().kind == "text":
        lexer.next()  # the comment
    payoffs = _read_payoffs(lexer, names, math.prod(shape))
    lexer.expect("eof", "the end of the file")
    rewards = np.empty((n,) + (1,) * n + shape, dtype=object)
    for k in range(n):
        rewards[(k,) + (0,) * n] = payoffs[k].reshape(shape, order="F")
    prior = np.empty((1,) * n, dtype=object)
    prior[(0,) * n] = sympy.Integer(1)
    players = [Player(name, ("-",), acts) for name, acts in zip(names, strategies)]
    return BayesianGame.from_values(players, prior, rewards, (), title or None)


def _read_strategies(lexer: Lexer, names: list) -> list:
    """Each player's strategy names: given by name (``{ { "U" "D" } ... }``) or by count."""
    strategies = []
    if lexer.peek().kind == "{":
        for name in names:
            lexer.expect("{", f"'{{' before the strategies of player {name!r}")
            labels = []
            while lexer.peek().kind == "text":
                labels.append(lexer.next())
            close = lexer.expect(
                "}", f"'}}' after the strategies of player {name!r} (each a quoted text)"
            )
            if not labels:
                lexer.fail(close, f"player {name!r} has no strategies")
            normalized = normalize_labels([t.text for t in labels])
            for token, label in zip(labels, normalized):
                check_name(lexer, token, label, "strategy", star_ok=False)
            strategies.append(tuple(normalized))
        return strategies
    for name in names:
        token = lexer.peek()
        count = lexer.integer(f"the number of strategies of player {name!r}")
        if count < 1:
            lexer.fail(token, f"player {name!r} has no strategies")
        if count > MAX_FILE_CELLS:
            lexer.fail(
                token,
                f"{count} strategies, over the limit MAX_FILE_CELLS = {MAX_FILE_CELLS}",
                LimitError,
            )
        strategies.append(tuple(str(s) for s in range(1, count + 1)))
    return strategies


def _read_payoffs(lexer: Lexer, names: list, profiles: int) -> np.ndarray:
    """The payoffs ``(n, profiles)`` of the outcome form or of the payoff form."""
    n = len(names)
    cache: dict = {}

    def value(q: Fraction) -> sympy.Rational:
        hit = cache.get(q)
        if hit is None:
            hit = cache[q] = to_rational(q)
        return hit

    payoffs = np.empty((n, profiles), dtype=object)
    token = lexer.peek()
    if token.kind == "{":
        lexer.next()
        outcomes = _read_outcomes(lexer, names, value)
        zero = [sympy.Integer(0)] * n
        for f in range(profiles):
            token = lexer.peek()
            index = lexer.integer(f"the outcome number of profile {f + 1}")
            if index > len(outcomes):
                lexer.fail(
                    token,
                    f"outcome {index} of profile {f + 1} is not defined (there "
                    f"are {len(outcomes)} outcomes)",
                )
            payoffs[:, f] = outcomes[index - 1] if index else zero
    elif token.kind == "number":
        for f in range(profiles):
            for k in range(n):
                payoffs[k, f] = value(
                    lexer.number(f"a payoff of player {names[k]!r} at profile {f + 1}")
                )
    else:
        lexer.fail(
            token,
            f"expected the payoffs (numbers) or the outcome list ('{{'), got {describe(token)}",
        )
    return payoffs


def _read_outcomes(lexer: Lexer, names: list, value) -> list:
    """The outcome list ``{ { "label" p1, p2, ... } ... }`` (after its opening brace)."""
    outcomes: list = []
    while lexer.peek().kind == "{":
        lexer.next()
        lexer.expect("text", f"an outcome's label (a quoted text) for outcome {len(outcomes) + 1}")
        vector = []
        for name in names:
            vector.append(
                value(lexer.number(f"the payoff of player {name!r} in outcome {len(outcomes) + 1}"))
            )
            lexer.accept(",")
        lexer.expect("}", f"'}}' after the {len(names)} payoffs of outcome {len(outcomes) + 1}")
        outcomes.append(vector)
    lexer.expect("}", "'}' after the list of outcomes")
    return outcomes


# -- writing -----------------------------------------------------------------------


def induced_strategic_form(game: BayesianGame):
    """The induced strategic form: strategy labels per player and payoff arrays (numerators)."""
    labels, choices = [], []
    for p in game.players:
        combos = list(itertools.product(range(len(p.actions)), repeat=len(p.types)))
        choices.append(np.array(combos, dtype=np.int64).reshape(len(combos), len(p.types)))
        labels.append(tuple("/".join(p.actions[a] for a in combo) for combo in combos))
    shape = tuple(len(s) for s in labels)
    cells = game.n_players * math.prod(shape)
    if cells > MAX_FILE_CELLS:
        raise LimitError(
            f"the induced strategic form has {cells} payoffs (players x strategy "
            f"profiles), over the limit MAX_FILE_CELLS = {MAX_FILE_CELLS}"
        )
    prior = game.prior.numerators
    rewards = game.rewards.numerators
    assert prior is not None and rewards is not None  # a rational game (to_nfg refuses others)
    totals = np.zeros((game.n_players,) + shape, dtype=object)
    for t in game.support:
        weight = int(prior[t])
        grid = np.ix_(*[c[:, k] for c, k in zip(choices, t)])
        for i in range(game.n_players):
            totals[i] += weight * rewards[(i,) + t].astype(object)[grid]
    denominator = game.prior.denominator * game.rewards.denominator
    return labels, totals, denominator


def to_nfg(
    game: BayesianGame,
    *,
    form: str = "outcome",
    strategic_form: bool = False,
    title: str | None = None,
) -> str:
    """Write a rational game as Gambit ``.nfg`` text (version 1).

    Parameters
    ----------
    game : BayesianGame
        A rational game.  With one type per player, strategies are its
        actions.  A game with types needs ``strategic_form=True``.
    form : {"outcome", "payoff"}
        ``"outcome"`` (the default, what Gambit 16 writes): a list of outcomes,
        one per distinct payoff vector, labelled with the vector (``"(1, -1)"``),
        then one outcome number per profile.  ``"payoff"``: every profile's
        payoffs, one profile per line.  Profiles are listed with the first
        player's strategy changing fastest.
    strategic_form : bool
        For a Bayesian game with types: write the induced strategic form (a
        strategy is a map type → action, labelled with the actions of the
        types joined by ``/`` in type order, e.g. ``"bet/check"``; its payoff is
        the ex-ante expected reward).  A different game: reading the file back
        gives that strategic form, not the Bayesian game.
    title : str, optional
        Default: the game's title, or ``""``.

    Raises
    ------
    GameStructureError
        For a symbolic game, or a game with types without ``strategic_form``.

    Examples
    --------
    >>> from exactpower import BayesianGame
    >>> g = BayesianGame.from_tables([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], names=("r", "c"))
    >>> print(to_nfg(g, form="payoff", title="PD"), end="")
    NFG 1 R "PD" { "r" "c" }
    { { "0" "1" } { "0" "1" } }
    ""
    <BLANKLINE>
    3 3
    5 0
    0 5
    1 1
    >>> print(to_nfg(g), end="")
    NFG 1 R "" { "r" "c" }
    <BLANKLINE>
    { { "0" "1" }
    { "0" "1" }
    }
    ""
    <BLANKLINE>
    {
    { "(3, 3)" 3, 3 }
    { "(5, 0)" 5, 0 }
    { "(0, 5)" 0, 5 }
    { "(1, 1)" 1, 1 }
    }
    1 2 3 4
    """
    if form not in ("outcome", "payoff"):
        raise ValueError(f"to_nfg: form must be 'outcome' or 'payoff', not {form!r}")
    with_types = _writable(game, strategic_form)
    if title is None:
        title = game.title or ""
    labels, shape, payoff = _payoff_table(game, with_types)
    n = game.n_players
    out = [f"NFG 1 R {quote(title)} {{ " + " ".join(quote(p.name) for p in game.players) + " }"]
    profiles = [tuple(reversed(s)) for s in itertools.product(*(range(k) for k in reversed(shape)))]
    vectors = [tuple(number_text(payoff(i, s)) for i in range(n)) for s in profiles]
    out += (_payoff_form if form == "payoff" else _outcome_form)(labels, vectors)
    out.append("")
    return "\n".join(out)


def _writable(game: BayesianGame, strategic_form: bool) -> bool:
    """Whether the game has types; refuses a symbolic game, and types without ``strategic_form``."""
    if getattr(game, "is_symbolic", False):
        raise GameStructureError(
            "cannot export a symbolic game to Gambit: Gambit files hold numbers only"
        )
    with_types = [p.name for p in game.players if len(p.types) > 1]
    if with_types and not strategic_form:
        raise GameStructureError(
            f"cannot write a Bayesian game with types (player {with_types[0]!r} has "
            f"{len(game.players[game.player_index(with_types[0])].types)}) as a strategic-form "
            f".nfg: write an .efg (chance picks the types), or ask for the induced strategic "
            f"form (to_nfg(..., strategic_form=True); convert --strategic-form)"
        )
    return bool(with_types)


def _payoff_table(game: BayesianGame, with_types: bool):
    """``(strategy labels, shape, payoff(i, s))``: the game's own table, or its strategic form."""
    if with_types:
        labels, totals, denominator = induced_strategic_form(game)

        def payoff(i, s):
            cell = (i, *s)
            return sympy.Rational(int(totals[cell]), denominator)

        return labels, tuple(len(s) for s in labels), payoff
    origin = (0,) * game.n_players

    def own(i, s):
        return game.reward(i, origin, s)

    return [p.actions for p in game.players], game.action_shape, own


def _payoff_form(labels: list, vectors: list) -> list:
    """The lines of the payoff form after the header: strategies, comment, one row per profile."""
    nested = "{ " + " ".join("{ " + " ".join(quote(s) for s in ss) + " }" for ss in labels) + " }"
    return [nested, '""', ""] + [" ".join(vector) for vector in vectors]


def _outcome_form(labels: list, vectors: list) -> list:
    """The lines of the outcome form after the header: one outcome per distinct payoff vector."""
    out = [
        "",
        "{ " + "\n".join("{ " + " ".join(quote(s) for s in ss) + " }" for ss in labels) + "\n}",
        '""',
        "",
        "{",
    ]
    numbers: dict = {}
    indices = []
    for vector in vectors:
        if vector not in numbers:
            numbers[vector] = len(numbers) + 1
            out.append(f"{{ {quote('(' + ', '.join(vector) + ')')} " + ", ".join(vector) + " }")
        indices.append(str(numbers[vector]))
    return out + ["}", " ".join(indices)]

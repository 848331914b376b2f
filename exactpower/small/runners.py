"""Where the work units of a class run: in this process, in local processes, or on Dask.

Each runner takes the units, a picklable ``call(unit) -> dict`` and its own
setting, and yields ``(unit index, result)`` as results arrive -- in any order
(the caller, :func:`exactpower.small.exhaust.exhaust`, puts them back in unit
order).  Futures are kept ``window`` at a time, so that a consumer that stops
early (``limit``) leaves little work behind; closing the generator cancels
what is still in flight.  :class:`Progress` draws a one-line progress bar.

>>> from exactpower.small.spaces import Unit
>>> units = [Unit(k, 0, k, k + 1) for k in range(3)]
>>> list(local(units, lambda u: u.start * 10, workers=1))
[(0, 0), (1, 10), (2, 20)]
"""

from __future__ import annotations

import time

from ..errors import GameError

__all__ = ["local", "on_dask", "Progress"]


def _windowed(units, submit, done, window: int):
    """Yield ``(unit index, result)`` as futures complete, keeping ``window`` in flight, so that
    a consumer that stops early (``limit``) leaves little work behind."""
    pending = iter(units)  # lazy: a class may have billions of units
    flying: dict = {}
    more = True
    while more or flying:
        while more and len(flying) < window:
            u = next(pending, None)
            if u is None:
                more = False
                break
            flying[submit(u)] = u.index
        if not flying:
            return
        finished = done(list(flying))
        for f in finished:
            yield flying.pop(f), f.result()


def local(units, call, workers: int):
    """In this process (``workers`` 1), else in a pool of ``workers`` local processes."""
    if workers <= 1:
        for u in units:
            yield u.index, call(u)
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=workers) as pool:
        flying: list = []
        try:
            yield from _windowed(
                units,
                lambda u: _track(flying, pool.submit(call, u)),
                lambda fs: wait(fs, return_when=FIRST_COMPLETED).done,
                4 * workers,
            )
        finally:
            for f in flying:
                f.cancel()


def _track(flying: list, future):
    """Remember a future (to cancel it on close) and return it."""
    flying.append(future)
    return future


def on_dask(units, call, scheduler):
    """On a Dask cluster: ``scheduler`` is an address or a ``dask.distributed.Client``."""
    try:
        from dask.distributed import Client, wait
    except ImportError:
        raise GameError(
            "exhaust: --scheduler needs dask.distributed; install it with "
            "pip install 'exactpower[dask]'"
        ) from None
    if isinstance(scheduler, Client):
        client, own = scheduler, False
    else:
        try:
            client, own = Client(scheduler, timeout="10s"), True
        except (OSError, TimeoutError) as exc:
            raise GameError(
                f"exhaust: cannot connect to the Dask scheduler {scheduler!r}: {exc}"
            ) from None
    flying: list = []
    try:
        window = 4 * max(1, len(client.scheduler_info().get("workers", {})))
        yield from _windowed(
            units,
            lambda u: _track(flying, client.submit(call, u, pure=False)),
            lambda fs: wait(fs, return_when="FIRST_COMPLETED").done,
            window,
        )
    finally:
        for f in flying:
            f.cancel()
        if own:
            client.close()


class Progress:
    """A one-line ``\\r`` progress bar on a terminal (``stream.isatty()``); silent otherwise.

    ``total`` steps (``what``: work units, games, support profiles), each adding a count
    of games (``None``: no count is shown); with a ``goal`` (a ``--limit`` of games) the
    bar measures the games against it.  Used by ``exhaust``, ``conjecture`` and, as a
    callback ``progress(done, total)``, by ``equilibria``.  Nothing is drawn in the first
    ``delay`` seconds (a quick run stays quiet).

    >>> import io
    >>> class Terminal(io.StringIO):
    ...     def isatty(self):
    ...         return True
    >>> out = Terminal()
    >>> bar = Progress(2, out, what="support profiles", games=None)
    >>> bar(1, 2); bar(2, 2); bar.close()
    >>> out.getvalue().split("\\r")[-1].split("]")[1].split("  ")[0]
    ' 2/2 support profiles'
    >>> quiet = Progress(2, io.StringIO()); quiet.update(5); quiet.close()
    """

    def __init__(
        self,
        total: int,
        stream,
        *,
        what: str = "units",
        games: str | None = "games",
        goal: int | None = None,
        delay: float = 0.0,
    ):
        self.total, self.stream, self.what, self.label, self.goal = total, stream, what, games, goal
        self.on = stream is not None and hasattr(stream, "isatty") and stream.isatty()
        self.start = time.perf_counter()
        self.done = self.games = 0
        self.last, self.delay, self.drawn = 0.0, delay, False

    def update(self, games: int = 0, steps: int = 1) -> None:
        """``steps`` more steps done, with ``games`` more games."""
        self.done += steps
        self.games += games
        self._draw()

    def __call__(self, done: int, total: int) -> None:
        """The callback form: ``done`` of ``total`` steps."""
        self.done, self.total = done, total
        self._draw()

    def _draw(self) -> None:
        now = time.perf_counter()
        finished = self.done >= self.total or (self.goal is not None and self.games >= self.goal)
        if not self.on or now - self.start < self.delay or (now - self.last < 0.2 and not finished):
            return
        self.last, self.drawn = now, True
        elapsed = max(now - self.start, 1e-9)
        frac = (
            min(self.games / self.goal, 1.0)
            if self.goal
            else min(self.done / max(self.total, 1), 1.0)
        )
        eta = elapsed * (1 - frac) / frac if frac else 0
        bar = "#" * int(30 * frac)
        count = (
            f"{self.games:,} {self.label}  {self.games / elapsed:,.0f} {self.label}/s  "
            if self.label
            else ""
        )
        self.stream.write(
            f"\r[{bar:<30}] {self.done:,}/{self.total:,} {self.what}  {count}"
            f"ETA {int(eta) // 60}:{int(eta) % 60:02d} "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()

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
    pending = list(units)[::-1]
    flying = {}
    while pending or flying:
        while pending and len(flying) < window:
            u = pending.pop()
            flying[submit(u)] = u.index
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
        flying = []
        try:
            yield from _windowed(units, lambda u: _track(flying, pool.submit(call, u)),
                                 lambda fs: wait(fs, return_when=FIRST_COMPLETED).done,
                                 4 * workers)
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
        raise GameError("exhaust: --scheduler needs dask.distributed; install it with "
                        "pip install 'exactpower[dask]'") from None
    if isinstance(scheduler, Client):
        client, own = scheduler, False
    else:
        try:
            client, own = Client(scheduler, timeout="10s"), True
        except (OSError, TimeoutError) as exc:
            raise GameError(f"exhaust: cannot connect to the Dask scheduler {scheduler!r}: "
                            f"{exc}") from None
    flying = []
    try:
        window = 4 * max(1, len(client.scheduler_info().get("workers", {})))
        yield from _windowed(units, lambda u: _track(flying, client.submit(call, u, pure=False)),
                             lambda fs: wait(fs, return_when="FIRST_COMPLETED").done, window)
    finally:
        for f in flying:
            f.cancel()
        if own:
            client.close()



class Progress:
    """A one-line ``\\r`` progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int, stream):
        self.total, self.stream = total, stream
        self.on = stream is not None and hasattr(stream, "isatty") and stream.isatty()
        self.start = time.perf_counter()
        self.done = self.games = 0
        self.last = 0.0

    def update(self, result: dict) -> None:
        self.done += 1
        self.games += result["classes"]
        now = time.perf_counter()
        if not self.on or (now - self.last < 0.2 and self.done < self.total):
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        frac = self.done / max(self.total, 1)
        eta = elapsed * (1 - frac) / frac if frac else 0
        bar = "#" * int(30 * frac)
        self.stream.write(f"\r[{bar:<30}] {self.done}/{self.total} units  {self.games:,} games  "
                          f"{self.games / elapsed:,.0f} games/s  ETA {int(eta) // 60}:"
                          f"{int(eta) % 60:02d} ")
        self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\n")
            self.stream.flush()


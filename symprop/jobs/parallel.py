"""Work spread over the cores: ``forked_map`` is ``[fn(x) for x in items]`` computed by a
pool of forked processes, one per core, for per-variant work that takes most of an exam's
run (its sheets, keys and drawings). Each worker is a fork of this process, so it inherits
everything ``fn`` reads (the exam, the compiled templates, the caches) and only the results
travel back, in the items' order: the same results as the loop, byte for byte.

It falls back to the loop where forking is not safe or not worth it: on one core, for few
items, where the platform does not fork (or forks badly: macOS), and when the process runs
other threads (a fork copies only the calling thread, and a lock another held stays held).
The pool is ``concurrent.futures``' (not ``multiprocessing.Pool``, which waits forever for
the share of a worker killed from outside): a dead worker is a one-line error.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from ..errors import SympropError
from .files import cores

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_WORKER = 8  # items each worker gets at least: below, forking costs more than it saves
CHUNKS_PER_WORKER = 4  # each worker takes several chunks in turn, so a busy core holds back little

_task: tuple[Callable, Sequence] | None = None  # what the forked workers run, inherited (never pickled)


def forked_map(fn: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> list[R]:
    """``[fn(x) for x in items]`` on up to ``workers`` (default: the cores) forked processes,
    in contiguous chunks; an exception in ``fn`` is raised here, as the loop would raise it."""
    global _task
    items = list(items)
    n = min(cores() if workers is None else workers, len(items) // MIN_PER_WORKER)
    if n < 2 or not can_fork():
        return [fn(x) for x in items]
    size = max(MIN_PER_WORKER, -(-len(items) // (n * CHUNKS_PER_WORKER)))
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _task = (fn, items)  # before the pool: its workers are forked as it starts
    try:
        pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"), initializer=_worker_signals)
    except OSError:  # no process-shared semaphores here (no /dev/shm, as in some sandboxes): the loop
        _task = None
        return [fn(x) for x in items]
    try:
        shares = [pool.submit(_chunk, bounds) for bounds in chunks]  # not map: it cancels what is left
        parts = [share.result() for share in shares]
    except BrokenProcessPool:  # a worker was killed (a signal, out of memory): the others are stopped
        _stop(pool)
        raise SympropError("a worker process died before it finished (killed, or out of memory); run again") from None
    except BaseException:  # an error, Ctrl-C or SIGTERM here: the workers die at once (their default SIGTERM)
        _stop(pool)
        raise
    finally:
        _task = None
    pool.shutdown()  # every worker has finished its share: they end as the queue closes
    return [result for part in parts for result in part]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Every worker of ``pool`` terminated (``_processes`` is the executor's own table of
    them), then the pool shut down: it finds its workers gone and fails the shares still
    queued (cancelling them too would race with that in the executor's own thread, which
    then dies with an error on a cancelled share)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=True)


def can_fork() -> bool:
    """Whether this process can fork its workers safely."""
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def _worker_signals() -> None:
    """A worker dies of SIGTERM (the parent's handler, inherited through the fork, would turn
    it into an exception in the middle of the pool's bookkeeping, with its locks held) and
    leaves Ctrl-C to the parent, which stops the pool."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunk(bounds: tuple[int, int]) -> list:
    assert _task is not None  # set before the fork
    fn, items = _task
    return [fn(items[k]) for k in range(*bounds)]

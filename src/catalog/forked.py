"""Work done in forked copies of the build process: rendering many pages and data files at once on every core.

A page or a data file is pure computation on the validated catalog, which a forked copy already holds: only the
task's number goes to a worker and only the text comes back, so nothing of the catalog is pickled. A build forks
only where no other thread of the process uses the templates or the catalog (the command line's builds, not
`serve`'s, whose preview threads render pages), and only on Linux, where fork is the platform's own way.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Generator, Sequence
from contextlib import suppress
from typing import TypeVar

T = TypeVar("T")

# Below this many tasks a fork and its start-up (tens of milliseconds) cost more than the second core gives.
FEWEST = 64
# How many tasks a worker takes at a time: small enough that the cores finish together, large enough that the
# hand-over is not the work (a page takes a few milliseconds).
CHUNKS_PER_WORKER = 8

# What the workers run, by number: set before they are forked, so each inherits it.
_tasks: Sequence[Callable[[], object]] = ()


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def can_fork() -> bool:
    return sys.platform.startswith("linux")


def end_with_parent(parent: int | None = None) -> None:
    """Have the kernel kill this worker the moment the process that started it ends (Linux): a build killed
    outright (SIGKILL, the out-of-memory killer, a default SIGTERM) cannot stop its workers, which went on with
    their work and then printed the traceback of a broken pipe to the terminal it had left. With `parent`, a
    worker whose parent ended before this took effect leaves at once."""
    if can_fork():
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def _start_worker(parent: int) -> None:
    end_with_parent(parent)
    # Ctrl-C reaches the whole process group: the build stops its workers itself, with no traceback from each,
    # by SIGTERM, which ends them at once whatever handler the build had set for it (serve's raises).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def results(tasks: Sequence[Callable[[], T]], workers: int) -> Generator[T, None, None]:
    """Each task's result in order: made by `workers` forked copies of this process when there are enough tasks
    (and workers), else here. A task that fails is made again here, so its error carries its own traceback
    (a template's file and line), not the worker's."""
    global _tasks
    if workers < 2 or len(tasks) < FEWEST or not can_fork():
        for task in tasks:
            yield task()
        return
    _tasks = tasks
    done = 0
    try:
        with multiprocessing.get_context("fork").Pool(workers, _start_worker, (os.getpid(),)) as pool:
            _tasks = ()  # the workers have their copies
            chunk = max(1, len(tasks) // (workers * CHUNKS_PER_WORKER))
            try:
                for result in pool.imap(_run, range(len(tasks)), chunk):
                    yield result  # type: ignore[misc]  # _run returns the task's own T
                    done += 1
            except Exception:
                tasks[done]()  # raises the same error here, located
                raise
    finally:
        _tasks = ()


def _run(index: int) -> object:
    return _tasks[index]()

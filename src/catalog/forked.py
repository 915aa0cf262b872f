"""Work done in forked copies of the build process: rendering many pages and data files at once on every core.

A page or a data file is pure computation on the validated catalog, which a forked copy already holds: only the
task's number goes to a worker and only the text comes back, so nothing of the catalog is pickled. A build forks
only where no other thread of the process uses the templates or the catalog (the command line's builds, not
`serve`'s, whose preview threads render pages), and only on Linux, where fork is the platform's own way.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Generator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Below this many tasks a fork and its start-up (tens of milliseconds) cost more than the second core gives.
FEWEST = 64
# How many tasks a worker takes at a time: small enough that the cores finish together, large enough that the
# hand-over is not the work (a page takes a few milliseconds).
CHUNKS_PER_WORKER = 8

# What the workers run, by number: set before they are forked, so each inherits it.
_tasks: Sequence[Callable[[], object]] = ()


def can_fork() -> bool:
    return sys.platform.startswith("linux")


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
        with multiprocessing.get_context("fork").Pool(workers) as pool:
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

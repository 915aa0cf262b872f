"""The requirements and scoring-guide PDF of each credential.

The print HTML is rendered here, cheaply, in the build process; turning it into
PDF (the costly part) happens in worker processes that import WeasyPrint once.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

import jinja2

from . import __version__
from .html import body_html, credential_context
from .model import Catalog, Credential
from .opendata import absolute
from .paths import ASSETS
from .problem import RenderError

PRINT_TEMPLATE = "print/credential.html"
PRINT_STYLESHEET = "css/print.css"


@dataclass(frozen=True)
class PdfJob:
    slug: str
    html: str
    base_url: str


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    deps: dict[str, str]  # every file the PDF was made from -> its digest


def print_html(env: jinja2.Environment, catalog: Catalog, credential: Credential) -> str:
    def image_for(target: str) -> str:
        # Images come straight from the content folder, through the sandboxed fetcher.
        return (catalog.content_dir / target).as_uri() if target.startswith(ASSETS + "/") else ""

    def link_for(target: str) -> str:
        return absolute(catalog, target)  # a PDF is read away from the site: only full addresses work

    context = {
        "site": catalog.site,
        "catalog": catalog,
        "version": __version__,
        "body": body_html(catalog, credential, link_for, image_for),
        "page_url": absolute(catalog, credential.page_path),
        **credential_context(catalog, credential),
    }
    return env.get_template(PRINT_TEMPLATE).render(context)


def pdf_job(env: jinja2.Environment, catalog: Catalog, credential: Credential) -> PdfJob:
    return PdfJob(credential.slug, print_html(env, catalog, credential), catalog.content_dir.as_uri() + "/")


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# A worker is replaced after this many PDFs, so whatever WeasyPrint keeps stays bounded. Measured: a worker
# grows from 89 to 105 MiB over its first 160 PDFs and then stays flat, while each replacement costs about a
# second of start-up (import and fonts); so replacements are rare.
PDFS_PER_WORKER = 1000
# Beyond the worker's own alarm, how long to wait for a PDF before deciding its worker is stuck.
GRACE_SECONDS = 10


class PdfRenderer:
    """Renders PDFs in worker processes as they are handed in, each within a time limit.

    Jobs are submitted while the caller is still preparing the next ones, so workers start at
    once. The pool outlives a build and is reused by the next one with the same set-up (as
    `serve` does on every save), so WeasyPrint and the fonts are loaded once, not per save.
    """

    def __init__(self, setup: PrinterSetup, workers: int, done: Callable[[str], None] = lambda slug: None) -> None:
        self.setup, self.workers, self.done = setup, workers, done
        self.pending: dict[str, AsyncResult[Rendered]] = {}

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None:
            # On a failure or Ctrl-C, queued PDFs are dropped and the workers stopped at once.
            stop_pool()

    def add(self, job: PdfJob) -> None:
        pool = shared_pool(self.setup, self.workers)
        self.pending[job.slug] = pool.apply_async(_render_in_worker, (job.html, job.base_url, self.setup.time_limit))

    def finish(self) -> dict[str, Rendered]:
        """Wait for every PDF; results keyed by slug."""
        results = {}
        for slug, pending in self.pending.items():
            try:
                results[slug] = pending.get(timeout=self.setup.time_limit + GRACE_SECONDS)
            except multiprocessing.TimeoutError:
                stop_pool()
                raise RenderError(
                    f"the PDF of '{slug}': rendering took longer than the limit of {self.setup.time_limit} s"
                ) from None
            except RenderError as error:
                raise RenderError(f"the PDF of '{slug}': {error}") from None
            self.done(slug)
        return results


@dataclass(frozen=True)
class PrinterSetup:
    """Everything a worker loads once: the print stylesheet, the folders it may read, the time limit."""

    stylesheet: Path
    roots: tuple[Path, ...]
    time_limit: int
    fingerprint: str  # of the theme's files: a changed stylesheet or font needs fresh workers


_pool: tuple[PrinterSetup, int, Pool] | None = None


def shared_pool(setup: PrinterSetup, workers: int) -> Pool:
    global _pool
    if _pool is not None and _pool[:2] == (setup, workers):
        return _pool[2]
    stop_pool()
    # forkserver: workers start from a clean process, safe even when the caller runs threads.
    pool = multiprocessing.get_context("forkserver").Pool(
        workers,
        initializer=_start_worker,
        initargs=(setup.stylesheet, setup.roots),
        maxtasksperchild=PDFS_PER_WORKER,
    )
    _pool = (setup, workers, pool)
    return pool


def stop_pool() -> None:
    global _pool
    if _pool is not None:
        _pool[2].terminate()
        _pool[2].join()
        _pool = None


atexit.register(stop_pool)


# Trampolines: the pool pickles these by name, so the build process itself never
# has to import WeasyPrint.
def _start_worker(stylesheet: Path, roots: tuple[Path, ...]) -> None:
    from . import printer

    printer.start_worker(stylesheet, roots)


def _render_in_worker(html: str, base_url: str, time_limit: int) -> Rendered:
    from . import printer

    return printer.render_in_worker(html, base_url, time_limit)

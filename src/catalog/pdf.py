"""The requirements and scoring-guide PDF of each credential.

The print HTML is rendered here, cheaply, in the build process; turning it into
PDF (the costly part) happens in worker processes that import WeasyPrint once.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import multiprocessing.forkserver
import os
import queue
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

import jinja2

from . import __version__
from .html import body_html, credential_context
from .messages import Messages
from .model import Catalog, Credential
from .opendata import absolute
from .paths import ASSETS
from .problem import RenderError
from .writer import owner_ended

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


def print_html(env: jinja2.Environment, catalog: Catalog, credential: Credential, messages: Messages) -> str:
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
        "href": link_for,  # a page of the site, by its full address; "" when the site has none
        **messages.template_functions(),
        **credential_context(catalog, credential),
    }
    return env.get_template(PRINT_TEMPLATE).render(context)


def pdf_job(env: jinja2.Environment, catalog: Catalog, credential: Credential, messages: Messages) -> PdfJob:
    html = print_html(env, catalog, credential, messages)
    # Named as its file is, without .pdf: each language's PDF of a credential has a name of its own.
    name = credential.pdf_path.rsplit("/", 1)[-1].removesuffix(".pdf")
    return PdfJob(name, html, catalog.content_dir.as_uri() + "/")


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

    Jobs are handed to the workers by a thread of their own as the caller prepares them, so the
    caller never waits for the workers to start (the first start takes about half a second). The
    pool outlives a build and is reused by the next one with the same set-up (as `serve` does on
    every save), so WeasyPrint and the fonts are loaded once, not per save.
    """

    def __init__(self, setup: PrinterSetup, workers: int) -> None:
        self.setup, self.workers = setup, workers
        self.pending: dict[str, AsyncResult[Rendered]] = {}
        self.jobs: queue.SimpleQueue[PdfJob | None] = queue.SimpleQueue()
        self.handing: threading.Thread | None = None
        self.failure: Exception | None = None

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._stop_handing()
        if error is not None:
            # On a failure or Ctrl-C, queued PDFs are dropped and the workers stopped at once.
            stop_pool()

    def add(self, job: PdfJob) -> None:
        if self.handing is None:
            self.handing = threading.Thread(target=self._hand_over, name="pdf-jobs", daemon=True)
            self.handing.start()
        self.jobs.put(job)

    def _hand_over(self) -> None:
        try:
            pool = shared_pool(self.setup, self.workers)
            while (job := self.jobs.get()) is not None:
                self.pending[job.slug] = _early_result(pool, job) or render_soon(pool, job, self.setup.time_limit)
        except Exception as error:  # raised in the build's own thread by finish()
            self.failure = error

    def _stop_handing(self) -> None:
        if self.handing is not None:
            self.jobs.put(None)
            self.handing.join()
            self.handing = None

    def finish(self, done: Callable[[str, Rendered], None]) -> None:
        """Wait for every PDF, handing each to `done` as it is ready, in the order they were added."""
        self._stop_handing()
        if self.failure is not None:
            raise self.failure
        for slug, pending in self.pending.items():
            try:
                rendered = pending.get(timeout=self.setup.time_limit + GRACE_SECONDS)
            except multiprocessing.TimeoutError:
                stop_pool()
                raise RenderError(
                    f"the PDF of '{slug}': rendering took longer than the limit of {self.setup.time_limit} s"
                ) from None
            except RenderError as error:
                raise RenderError(f"the PDF of '{slug}': {error}") from None
            done(slug, rendered)


def render_soon(pool: Pool, job: PdfJob, time_limit: int) -> AsyncResult[Rendered]:
    return pool.apply_async(_render_in_worker, (job.html, job.base_url, time_limit))


# PDFs `serve` started rendering the moment a file was saved, by their print HTML: the rebuild that follows
# takes the same PDF from here instead of rendering it a second time. Only the last few saves are kept.
_early: dict[str, tuple[Pool, AsyncResult[Rendered]]] = {}
EARLY_KEPT = 8


def render_early(setup: PrinterSetup, workers: int, job: PdfJob) -> AsyncResult[Rendered] | None:
    """Start a PDF at once, in the shared workers, for the next build to pick up (see `_early`); None when the
    workers were started for another set-up, which a build may be using: they are never replaced from here."""
    with _pool_lock:
        if _pool is not None and _pool[:2] != (setup, workers):
            return None
    pool = shared_pool(setup, workers)
    result = render_soon(pool, job, setup.time_limit)
    with _pool_lock:
        _early[job.html] = (pool, result)
        while len(_early) > EARLY_KEPT:
            del _early[next(iter(_early))]
    return result


def _early_result(pool: Pool, job: PdfJob) -> AsyncResult[Rendered] | None:
    with _pool_lock:
        early = _early.pop(job.html, None)
    # From the same workers only: a pool replaced since then never finishes what it was given.
    return early[1] if early is not None and early[0] is pool else None


@dataclass(frozen=True)
class PrinterSetup:
    """Everything a worker loads once: the print stylesheet, the folders it may read, the time limit."""

    stylesheet: Path
    roots: tuple[Path, ...]
    time_limit: int
    fingerprint: str  # of the theme's files and the site's fonts: a changed stylesheet or font needs fresh workers


SCRATCH_PREFIX = "catalog-pdf-"  # then the number of the process that owns the folder, a hyphen, and mkdtemp's letters


def sweep_scratch() -> None:
    """Remove the workers' folders left by builds that were killed (SIGKILL gives no chance to tidy up):
    only folders of ours, by name and owner, whose process has ended; never a link."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name.removeprefix(SCRATCH_PREFIX).partition("-")[0]
        try:
            info = folder.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and owner_ended(pid):
            shutil.rmtree(folder, ignore_errors=True)


_pool: tuple[PrinterSetup, int, Pool, Path] | None = None  # with the folder its workers keep temporary files in
_pool_lock = threading.Lock()  # the pool may be started by a warm-up thread while the build reads content


def shared_pool(setup: PrinterSetup, workers: int) -> Pool:
    global _pool
    with _pool_lock:
        if _pool is not None and _pool[:2] == (setup, workers):
            return _pool[2]
        _stop_pool()
        # forkserver: workers start from a clean process, safe even when the caller runs threads. The
        # server imports WeasyPrint once (about 0.5 s) and makes the printer (the stylesheet and its fonts,
        # about 0.6 s), and every worker is a copy of it, ready at once.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([f"{__package__}.printer"])
        _start_fork_server(setup)
        # WeasyPrint writes each worker's fonts to a temporary folder it removes only if the worker ends
        # normally; workers are stopped, so the pool owns one folder for all their files and removes it.
        # The folder is named for this process, so that the next build removes it if this one is killed.
        sweep_scratch()
        scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
        pool = context.Pool(
            workers,
            initializer=_start_worker,
            initargs=(setup.stylesheet, setup.roots, scratch),
            maxtasksperchild=PDFS_PER_WORKER,
        )
        _pool = (setup, workers, pool, scratch)
        return pool


# Names the stylesheet and folders of the printer the fork server makes (catalog.printer.preload_printer).
PRELOAD_VARIABLE = "CATALOG_PRINTER_PRELOAD"


def _start_fork_server(setup: PrinterSetup) -> None:
    """Start the fork server, unless it runs, telling it which printer to make for the workers.

    It runs as long as this process, so a set-up changed since (a theme edited under `serve`) finds a printer
    made for another: each worker checks what it inherits and makes its own when the files differ.
    The fork server takes its settings from its environment (it imports the modules it preloads, and takes
    no other argument); the variable is set only while it starts, under _pool_lock."""
    settings = {"stylesheet": str(setup.stylesheet), "roots": [str(root) for root in setup.roots]}
    os.environ[PRELOAD_VARIABLE] = json.dumps(settings)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        os.environ.pop(PRELOAD_VARIABLE, None)


def warm_pool(setup: PrinterSetup, workers: int) -> None:
    """Start the workers in the background, so they are ready when the first PDF is handed in."""

    def start() -> None:
        with suppress(Exception):  # a real failure is raised again, and reported, when a PDF is handed in
            shared_pool(setup, workers)

    threading.Thread(target=start, name="pdf-warm-up", daemon=True).start()


def stop_pool() -> None:
    with _pool_lock:
        _stop_pool()


def _stop_pool() -> None:
    global _pool
    if _pool is not None:
        _pool[2].terminate()
        _pool[2].join()
        shutil.rmtree(_pool[3], ignore_errors=True)
        _pool = None
        _early.clear()


atexit.register(stop_pool)


# Trampolines: the pool pickles these by name, so the build process itself never
# has to import WeasyPrint.
def _start_worker(stylesheet: Path, roots: tuple[Path, ...], scratch: Path) -> None:
    from . import printer

    tempfile.tempdir = str(scratch)
    printer.start_worker(stylesheet, roots)


def _render_in_worker(html: str, base_url: str, time_limit: int) -> Rendered:
    from . import printer

    return printer.render_in_worker(html, base_url, time_limit)

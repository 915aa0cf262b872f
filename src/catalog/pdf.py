"""The requirements and scoring-guide PDF of each credential.

The print HTML is rendered here, cheaply, in the build process; turning it into
PDF (the costly part) happens in worker processes that import WeasyPrint once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from . import __version__
from .cache import file_digest
from .html import body_html, credential_context
from .model import Catalog, Credential
from .paths import ASSETS

if TYPE_CHECKING:
    from .printer import Printer

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


def public_url(catalog: Catalog, target: str) -> str:
    """The absolute address of an output when the site has a URL, else ''."""
    if not catalog.site.url:
        return ""
    return catalog.site.url + target.removesuffix("index.html")


def print_html(env: jinja2.Environment, catalog: Catalog, credential: Credential) -> str:
    def image_for(target: str) -> str:
        # Images come straight from the content folder, through the sandboxed fetcher.
        return (catalog.content_dir / target).as_uri() if target.startswith(ASSETS + "/") else ""

    def link_for(target: str) -> str:
        return public_url(catalog, target)

    context = {
        "site": catalog.site,
        "catalog": catalog,
        "version": __version__,
        "body": body_html(catalog, credential, link_for, image_for),
        "page_url": public_url(catalog, credential.page_path),
        **credential_context(catalog, credential),
    }
    return env.get_template(PRINT_TEMPLATE).render(context)


def pdf_job(env: jinja2.Environment, catalog: Catalog, credential: Credential) -> PdfJob:
    return PdfJob(credential.slug, print_html(env, catalog, credential), catalog.content_dir.as_uri() + "/")


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# A worker is replaced after this many PDFs, so memory WeasyPrint keeps (caches, fragments) stays bounded.
PDFS_PER_WORKER = 100


class PdfRenderer:
    """Renders PDFs as they are handed in: in this process for a single one, in workers for more.

    Jobs are submitted while the caller is still preparing the next ones, so the workers
    (which take about a second to import WeasyPrint and load the fonts) start straight away.
    """

    def __init__(
        self, stylesheet: Path, roots: tuple[Path, ...], workers: int, done: Callable[[str], None] = lambda slug: None
    ) -> None:
        self.stylesheet, self.roots, self.workers, self.done = stylesheet, roots, workers, done
        self.held: PdfJob | None = None  # the first job waits: if it stays alone, no pool is started
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[str, Future[Rendered]] = {}
        self.results: dict[str, Rendered] = {}

    def add(self, job: PdfJob) -> None:
        if self.workers <= 1:
            self.held, first = job, self.held
            if first is not None:  # one at a time, in this process
                self.held = None
                self._render_here([first, job])
            return
        if self.pool is None and self.held is None:
            self.held = job
            return
        if self.pool is None:
            # forkserver: workers start from a clean process, safe even when the caller runs threads.
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker,
                initargs=(self.stylesheet, self.roots),
                max_tasks_per_child=PDFS_PER_WORKER,
            )
            assert self.held is not None
            self._submit(self.held)
            self.held = None
        self._submit(job)

    def _submit(self, job: PdfJob) -> None:
        assert self.pool is not None
        self.futures[job.slug] = self.pool.submit(_render_in_worker, job.html, job.base_url)

    def _render_here(self, jobs: list[PdfJob]) -> None:
        printer = local_printer(self.stylesheet, self.roots)
        for job in jobs:
            self.results[job.slug] = printer.render(job.html, job.base_url)
            self.done(job.slug)

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.pool is not None:
            # On an error or Ctrl-C, queued PDFs are dropped and the workers stopped promptly.
            self.pool.shutdown(wait=error is None, cancel_futures=error is not None)

    def finish(self) -> dict[str, Rendered]:
        """Wait for every PDF; results keyed by slug."""
        if self.held is not None:
            self._render_here([self.held])
            self.held = None
        for slug, future in self.futures.items():
            self.results[slug] = future.result()
            self.done(slug)
        return self.results


_printers: dict[tuple[Path, tuple[Path, ...]], Printer] = {}


def local_printer(stylesheet: Path, roots: tuple[Path, ...]) -> Printer:
    """A printer in this process, kept while its stylesheet and fonts are unchanged.

    `serve` renders one PDF per save: keeping the parsed stylesheet and fonts makes that
    a fraction of a second instead of paying WeasyPrint's set-up again each time.
    """
    from .printer import Printer  # imports WeasyPrint: only when there is a PDF to make

    key = (stylesheet, roots)
    kept = _printers.get(key)
    if kept is None or not all(file_digest(Path(path)) == digest for path, digest in kept.shared.items()):
        _printers.clear()
        kept = _printers[key] = Printer(stylesheet, roots)
    return kept


# Trampolines: the pool pickles these by name, so the build process itself never
# has to import WeasyPrint when only the workers render.
def _start_worker(stylesheet: Path, roots: tuple[Path, ...]) -> None:
    from . import printer

    printer.start_worker(stylesheet, roots)


def _render_in_worker(html: str, base_url: str) -> Rendered:
    from . import printer

    return printer.render_in_worker(html, base_url)

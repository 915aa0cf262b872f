"""The requirements and scoring-guide PDF of each credential.

The print HTML is rendered here, cheaply, in the build process; turning it into
PDF (the costly part) happens in worker processes that import WeasyPrint once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
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


def render_pdfs(
    jobs: list[PdfJob],
    stylesheet: Path,
    roots: tuple[Path, ...],
    workers: int,
    done: Callable[[str], None] = lambda slug: None,
) -> dict[str, Rendered]:
    """Render every job, in parallel when there are workers to spare; results keyed by slug."""
    if not jobs:
        return {}
    if workers <= 1 or len(jobs) == 1:
        one = local_printer(stylesheet, roots)
        results = {}
        for job in jobs:
            results[job.slug] = one.render(job.html, job.base_url)
            done(job.slug)
        return results
    # forkserver: workers start from a clean process, safe even when the caller runs threads.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        min(workers, len(jobs)), mp_context=context, initializer=_start_worker, initargs=(stylesheet, roots)
    ) as pool:
        futures = {job.slug: pool.submit(_render_in_worker, job.html, job.base_url) for job in jobs}
        results = {}
        try:
            for slug, future in futures.items():
                results[slug] = future.result()
                done(slug)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        return results


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

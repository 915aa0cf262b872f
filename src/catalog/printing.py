"""The PDFs of a build: each keyed first by its sources, then by its exact print HTML, carried over (from the output,
the cache or a shard run's cache) or handed to the PDF workers, and written as each is ready."""

from __future__ import annotations

import dataclasses
import importlib.metadata
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from . import __version__
from .cache import OutputRecord, digest_text, file_digest
from .html import source_digests, subject_job
from .messages import Messages
from .model import Catalog, Site
from .outputs import Outputs
from .pages import Pages, templates_digest
from .pdf import PRINT_STYLESHEET, PdfRenderer, PrinterSetup, Rendered, pdf_job, warm_pool
from .problem import RenderError
from .theme import Theme
from .validate import load_site
from .writer import StagedOutput

if TYPE_CHECKING:  # the build's options, which build.py declares
    from .build import BuildOptions

OnPdf = Callable[[str, int, int], None]  # (the PDF just rendered, how many so far, of how many)


def pdfs_shown(pages: Pages, own: Printing, original: Printing) -> tuple[dict[str, int], set[str]]:
    """The sizes of the PDFs an edition's pages show, by credential slug, and the slugs whose PDF is still being
    made: its own PDFs, and the original's for the credentials it has no translation of."""
    sizes = {**own.sizes, **{slug: size for slug, size in original.sizes.items() if slug in pages.borrowed}}
    return sizes, {*own.todo.values(), *(pages.borrowed & set(original.todo.values()))}


def finish_pdfs(renderer: PdfRenderer, printings: list[Printing], on_pdf: OnPdf | None) -> None:
    """Wait for every language's PDFs, each written by its own language's Printing as it comes."""
    owner = {name: printing for printing in printings for name in printing.todo}
    total = len(owner)

    def done(name: str, rendered: Rendered) -> None:
        owner[name].done(name, rendered)
        if on_pdf:
            on_pdf(name, len(owner[name].made.report.rendered_pdfs), total)

    renderer.finish(done)


def warm_printer(options: BuildOptions, content_dir: Path) -> None:
    """Start the PDF workers (importing WeasyPrint, loading fonts) while the content is still being read."""
    site = load_site(content_dir)
    if site is not None:
        theme = Theme.with_override(options.theme_dir or site.theme)
        with suppress(RenderError):  # a theme without a print stylesheet is reported where it is used
            warm_pool(printer_setup_for(content_dir, site, theme), options.jobs)


def printer_setup(catalog: Catalog, theme: Theme) -> PrinterSetup:
    return printer_setup_for(catalog.content_dir, catalog.site, theme)


def printer_setup_for(content_dir: Path, site: Site, theme: Theme) -> PrinterSetup:
    static = theme.static_files()
    stylesheet = static.get(PRINT_STYLESHEET)
    if stylesheet is None:
        raise RenderError(f"the theme has no static/{PRINT_STYLESHEET}")
    # The site's fonts too: a worker keeps every font face it loaded, so one replaced under the same name would
    # go on being drawn by the workers that drew it before.
    used = [*((f"static/{name}", path) for name, path in static.items()), *((f, content_dir / f) for f in site.fonts)]
    fingerprint = digest_text(*(f"{name}\0{file_digest(path)}" for name, path in used))
    return PrinterSetup(stylesheet, (content_dir, *theme.roots()), site.pdf_time_limit, fingerprint)


class Printing:
    """The PDFs: each keyed first by its sources, then by its exact print HTML, and rendered when either changed."""

    def __init__(
        self,
        staged: StagedOutput,
        made: Outputs,
        env: jinja2.Environment,
        catalog: Catalog,
        theme: Theme,
        messages: Messages,
        renderer: PdfRenderer,
        readers: list[Pages],
    ) -> None:
        self.staged, self.made, self.env, self.catalog = staged, made, env, catalog
        # The pages showing these PDFs: the default language's also serve the other languages' untranslated pages.
        self.messages, self.renderer, self.readers = messages, renderer, readers
        engine = f"weasyprint {importlib.metadata.version('weasyprint')}"
        templates = templates_digest(theme, messages, printing=True)
        self.prefix = (engine, __version__, templates, renderer.setup.fingerprint)
        self.sizes: dict[str, int] = {}  # credential slug -> its PDF's size
        # The PDFs being made, by name (the file's, without .pdf: unique across languages) -> credential slug.
        self.todo: dict[str, str] = {}
        self.records: dict[str, tuple[str, OutputRecord]] = {}  # name -> (output path, record to keep)
        # WeasyPrint loads a font face once per worker, so a worker's later PDFs do not fetch site.yml's fonts
        # again: every PDF is recorded as made from them, so that replacing one makes them all again.
        fonts = (str((catalog.content_dir / font).resolve()) for font in catalog.site.fonts)
        self.fonts = {path: made.digest_of(path) for path in fonts}

    def queue(self) -> None:
        """Carry unchanged PDFs over and hand the others to the workers, without waiting for them."""
        for credential in self.catalog.credentials:
            if credential.untranslated:  # the default language's Printing makes its PDF
                continue
            path = credential.pdf_path
            if not self.prints(path):
                continue
            sources = digest_text(*self.prefix, *source_digests(self.catalog, subject_job(credential)))
            # The last build's record, and that of a `build --pdf-shard` run, which may have rendered it since.
            olds = [old for old in (self.made.previous.get(path), self.made.cache.sharded.get(path)) if old is not None]
            if any(old.sources == sources and self._carry(path, old) for old in olds):
                continue
            # A build into another output folder with this cache may have made it (`serve` and the command line
            # share their PDFs): looked up only for a PDF this build would otherwise render.
            if (elsewhere := self.made.cache.pdfs_elsewhere().get(path)) is not None:
                if elsewhere.sources == sources and self._carry(path, elsewhere):
                    continue
                olds.append(elsewhere)
            job = pdf_job(self.env, self.catalog, credential, self.messages)
            key = digest_text(*self.prefix[:2], job.html)
            if any(old.key == key and self._carry(path, dataclasses.replace(old, sources=sources)) for old in olds):
                continue
            self.todo[job.slug] = credential.slug
            self.records[job.slug] = (path, OutputRecord(key, sources=sources))
            self.renderer.add(job)

    def prints(self, path: str) -> bool:
        """Whether this build makes the PDF at `path` (a shard run makes only its own)."""
        return True

    def _carry(self, path: str, record: OutputRecord) -> bool:
        """Keep a PDF from the output folder or, when the folder lost it, from the cache."""
        slug = path.removeprefix(self.catalog.prefix).split("/")[1]
        if self.made.keep(self.staged, path, record) is not None:
            self.sizes[slug] = self.staged.existing[path]
            return True
        blob = self.made.cache.pdf_blob(record.key)
        if record.deps_unchanged(self.made.digest_of) and blob.is_file():
            self.staged.copy(path, blob)
            self.sizes[slug] = blob.stat().st_size
            return True
        del self.made.cache.outputs[path]
        return False

    def done(self, name: str, rendered: Rendered) -> None:
        """Write a PDF just made, and the page that shows its size."""
        path, record = self.records[name]
        slug = self.todo[name]
        self.staged.write(path, rendered.pdf)
        self.made.cache.store_pdf(record.key, rendered.pdf)
        self.made.cache.outputs[path] = dataclasses.replace(record, deps={**rendered.deps, **self.fonts})
        self.sizes[slug] = len(rendered.pdf)
        self.made.report.rendered_pdfs.append(name)
        for pages in self.readers:
            if pages.catalog is self.catalog or slug in pages.borrowed:
                pages.pdf_ready(slug, self.sizes[slug])

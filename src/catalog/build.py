"""The build pipeline: load, validate, render what changed, then write in one swap.

Every output is keyed by what it was made from. An output whose key is unchanged
is carried over from the previous output folder as a hard link (same bytes, same
modification time); a build in which nothing changed writes nothing at all.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib.metadata
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import __version__
from .badge import badge_svg
from .cache import (
    FOLDER_NAME,
    BuildCache,
    OutputRecord,
    digest_bytes,
    digest_text,
    file_digest,
    output_state,
    tree_fingerprint,
)
from .content import display_path, visible_files
from .feeds import FEED_PATH, atom_feed, robots, sitemap
from .html import STANDALONE_COLOUR, human_size, page_jobs, page_sources, render_page
from .model import Catalog
from .opendata import achievement, achievement_path, badge_path, catalog_data, dumps
from .paths import ASSETS
from .pdf import PRINT_STYLESHEET, PdfRenderer, PrinterSetup, pdf_job, usable_cores
from .problem import ContentError, Problem, RenderError
from .search import FOLDER as SEARCH_FOLDER
from .search import Indexer
from .theme import Theme
from .validate import load_catalog
from .writer import StagedOutput, check_output_dir


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    theme_dir: Path | None = None  # overrides site.yml's theme
    pdf: bool = True
    jobs: int = field(default_factory=usable_cores)
    cache_dir: Path | None = None  # default: .catalog-cache beside the content folder
    base_url: str = ""  # the public address, overriding site.yml's url (a Pages workflow knows it)

    @property
    def cache_folder(self) -> Path:
        return self.cache_dir or self.content_dir.resolve().parent / FOLDER_NAME


@dataclass
class BuildReport:
    rendered_pages: list[str] = field(default_factory=list)
    rendered_pdfs: list[str] = field(default_factory=list)
    reused: int = 0
    written: int = 0
    removed: int = 0
    unchanged: bool = False  # nothing was even read: the inputs had not changed
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.unchanged:
            return f"nothing changed; nothing rebuilt ({self.seconds:.2f} s)"
        return (
            f"rendered {len(self.rendered_pages)} pages and {len(self.rendered_pdfs)} PDFs, "
            f"reused {self.reused} files, wrote {self.written}, removed {self.removed} ({self.seconds:.2f} s)"
        )


OnPdf = Callable[[str, int, int], None]  # (the PDF just rendered, how many so far, of how many)


def template_problem(error: Exception) -> Problem:
    """Locate a template mistake at its template file and line."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        source = display_path(Path(error.filename)) if error.filename else str(error.name)
        return Problem(source, error.lineno, f"template error: {error.message}")
    hint = "check the variable's spelling against the default theme"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml", ".j2"))]
    if not frames:
        return Problem("templates", 0, f"template error: {error}", hint)
    return Problem(display_path(Path(frames[-1].filename)), frames[-1].lineno or 0, f"template error: {error}", hint)


def _input_fingerprint(options: BuildOptions, folders: list[Path]) -> str:
    return tree_fingerprint(folders, f"{__version__}\0{options.pdf}\0{options.theme_dir}\0{options.base_url}")


@contextmanager
def paused_garbage_collector() -> Iterator[None]:
    """A build creates hundreds of thousands of small objects that live until it ends; the cyclic
    collector would scan them again and again (measured: 70% of the time spent reading 1,000
    credentials). Reference counting still frees everything else; one collection follows the build."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def build(options: BuildOptions, on_pdf: OnPdf | None = None) -> BuildReport:
    """Build the site, or raise ContentError/RenderError leaving the old output untouched."""
    with paused_garbage_collector():
        return _build(options, on_pdf)


def _build(options: BuildOptions, on_pdf: OnPdf | None) -> BuildReport:
    started = time.perf_counter()
    out = options.out_dir.expanduser().resolve()
    cache = BuildCache.open(options.cache_folder, out)
    report = BuildReport(notices=list(cache.notices))
    # Fast path: no input file and no output file has changed since the last build. The
    # fingerprint is taken before anything is read, so a save during the build is not missed.
    content_dir = options.content_dir.resolve()
    folders = cache.input_folders or [content_dir, *Theme.with_override(options.theme_dir).roots()]
    fingerprint = _input_fingerprint(options, folders)
    if cache.inputs == fingerprint and cache.output_state == output_state(out):
        report.unchanged = True
        report.seconds = time.perf_counter() - started
        return report

    catalog, warnings = load_catalog(options.content_dir)
    report.warnings = warnings
    if options.base_url:
        url = options.base_url.rstrip("/") + "/"
        catalog = dataclasses.replace(catalog, site=dataclasses.replace(catalog.site, url=url))
    theme = Theme.with_override(options.theme_dir or catalog.site.theme)
    check_output_dir(out, [catalog.content_dir, *theme.folders])
    env = theme.environment()
    previous = cache.outputs
    cache.outputs = {}
    try:
        with StagedOutput(out) as staged:
            sizes = _pdfs(staged, env, catalog, theme, options, cache, previous, report, on_pdf)
            _pages(staged, env, catalog, theme, sizes, cache, previous, report)
            # The search index is made from the finished pages, on another core, while the rest is written.
            indexing = _start_search(staged, catalog, cache, previous, report)
            try:
                _copies(staged, catalog, theme, cache, previous, report)
                _data(staged, catalog, cache, previous, report)
            except BaseException:
                if indexing is not None:
                    indexing[1].stop()
                raise
            if indexing is not None:
                key, indexer = indexing
                for path in indexer.finish():
                    staged.adopt(path)
                    cache.outputs[path] = OutputRecord(key)
            report.removed = len(set(previous) - set(cache.outputs))
            report.written = len(staged.written) - report.reused
            if report.written or report.removed or not out.is_dir():
                staged.commit()
    except (jinja2.TemplateError, jinja2.UndefinedError) as error:
        raise ContentError([template_problem(error)]) from None
    used = [catalog.content_dir, *theme.roots()]
    cache.inputs = fingerprint if used == folders else ""  # a theme newly named: look again next time
    cache.input_folders = used
    cache.output_state = output_state(out)
    cache.save()
    cache.prune_pdfs()
    report.seconds = time.perf_counter() - started
    return report


def _keep_or_make(
    staged: StagedOutput, path: str, key: str, previous: dict[str, OutputRecord], report: BuildReport
) -> bool:
    """Carry an output over when its key is unchanged; True when the caller must make it."""
    record = previous.get(path)
    if record is not None and record.key == key and record.deps_unchanged() and staged.reuse(path):
        report.reused += 1
        return False
    return True


def _pdfs(
    staged: StagedOutput,
    env: jinja2.Environment,
    catalog: Catalog,
    theme: Theme,
    options: BuildOptions,
    cache: BuildCache,
    previous: dict[str, OutputRecord],
    report: BuildReport,
    on_pdf: OnPdf | None,
) -> dict[str, int]:
    if not options.pdf:
        return {}
    static = theme.static_files()
    stylesheet = static.get(PRINT_STYLESHEET)
    if stylesheet is None:
        raise RenderError(f"the theme has no static/{PRINT_STYLESHEET}")
    engine = f"weasyprint {importlib.metadata.version('weasyprint')}"
    sizes: dict[str, int] = {}
    todo: dict[str, tuple[str, str]] = {}  # slug -> (output path, key)
    roots = (catalog.content_dir, *theme.roots())

    def done(slug: str) -> None:
        report.rendered_pdfs.append(slug)
        if on_pdf:
            on_pdf(slug, len(report.rendered_pdfs), len(todo))

    setup = PrinterSetup(
        stylesheet,
        roots,
        catalog.site.pdf_time_limit,
        digest_text(*(f"{name}\0{file_digest(path)}" for name, path in static.items())),
    )
    with PdfRenderer(setup, options.jobs, done) as renderer:
        for credential in catalog.credentials:
            job = pdf_job(env, catalog, credential)
            path = credential.pdf_path
            key = digest_text(engine, __version__, job.html)
            record = previous.get(path)
            if not _keep_or_make(staged, path, key, previous, report):
                assert record is not None
                cache.outputs[path] = record
                sizes[credential.slug] = (staged.out / path).stat().st_size
            elif record and record.key == key and record.deps_unchanged() and cache.pdf_blob(key).is_file():
                staged.copy(path, cache.pdf_blob(key))  # the output folder lost it, but the cache kept it
                cache.outputs[path] = record
                sizes[credential.slug] = cache.pdf_blob(key).stat().st_size
            else:
                todo[credential.slug] = (path, key)
                renderer.add(job)
        results = renderer.finish()
    for slug, (path, key) in todo.items():
        rendered = results[slug]
        staged.write(path, rendered.pdf)
        cache.store_pdf(key, rendered.pdf)
        cache.outputs[path] = OutputRecord(key, rendered.deps)
        sizes[slug] = len(rendered.pdf)
    return sizes


def _pages(
    staged: StagedOutput,
    env: jinja2.Environment,
    catalog: Catalog,
    theme: Theme,
    sizes: dict[str, int],
    cache: BuildCache,
    previous: dict[str, OutputRecord],
    report: BuildReport,
) -> None:
    # Pages never use the print/ templates, which make the PDFs; every other template may be used by any page.
    templates = digest_text(
        *(
            f"{name}\0{file_digest(path)}"
            for name, path in theme.template_files().items()
            if not name.startswith("print/")
        )
    )
    for job in page_jobs(catalog):
        # A credential page shows its PDF's size, rounded: only a change in what it shows counts.
        slug = job.subject.slug if job.subject else ""
        size = human_size(sizes[slug]) if job.template == "credential.html" and slug in sizes else ""
        sources = [catalog.digests[k] for k in page_sources(catalog, job)]
        key = digest_text(__version__, templates, size, *sources)
        cache.outputs[job.path] = OutputRecord(key)
        if _keep_or_make(staged, job.path, key, previous, report):
            staged.write(job.path, render_page(env, catalog, job, sizes))
            report.rendered_pages.append(job.path)


def _copies(
    staged: StagedOutput,
    catalog: Catalog,
    theme: Theme,
    cache: BuildCache,
    previous: dict[str, OutputRecord],
    report: BuildReport,
) -> None:
    files = {f"static/{relative}": source for relative, source in theme.static_files().items()}
    assets = catalog.content_dir / ASSETS
    for source in visible_files(assets):  # every one checked by validation before this point
        files[f"{ASSETS}/{source.relative_to(assets).as_posix()}"] = source
    for path, source in files.items():
        key = file_digest(source)
        cache.outputs[path] = OutputRecord(key)
        if _keep_or_make(staged, path, key, previous, report):
            staged.copy(path, source)
    # GitHub Pages would otherwise run Jekyll, which hides files starting with '_'.
    cache.outputs[".nojekyll"] = OutputRecord("empty")
    if _keep_or_make(staged, ".nojekyll", "empty", previous, report):
        staged.write(".nojekyll", b"")


def _emit(
    staged: StagedOutput,
    path: str,
    data: bytes,
    cache: BuildCache,
    previous: dict[str, OutputRecord],
    report: BuildReport,
) -> None:
    """Write a cheap output whose key is its own bytes, unless the output already holds them."""
    key = digest_bytes(data)
    cache.outputs[path] = OutputRecord(key)
    if _keep_or_make(staged, path, key, previous, report):
        staged.write(path, data)


def _data(
    staged: StagedOutput, catalog: Catalog, cache: BuildCache, previous: dict[str, OutputRecord], report: BuildReport
) -> None:
    """The catalog as data, badges for credentials without artwork, feeds."""
    outputs = {"catalog.json": dumps(catalog_data(catalog)).encode(), FEED_PATH: atom_feed(catalog)}
    for credential in catalog.credentials:
        outputs[achievement_path(credential)] = dumps(achievement(catalog, credential)).encode()
        if not credential.image:
            stack = catalog.stack_of(credential)
            colour = stack.colour if stack else STANDALONE_COLOUR
            outputs[badge_path(credential)] = badge_svg(credential.title, colour).encode()
    if catalog.site.url:
        outputs["sitemap.xml"] = sitemap(catalog)
        outputs["robots.txt"] = robots(catalog)
    for path, data in outputs.items():
        _emit(staged, path, data, cache, previous, report)


def _start_search(
    staged: StagedOutput, catalog: Catalog, cache: BuildCache, previous: dict[str, OutputRecord], report: BuildReport
) -> tuple[str, Indexer] | None:
    """Start Pagefind when some page changed; otherwise carry the previous index over."""
    pages = sorted(f"{path}\0{rec.key}" for path, rec in cache.outputs.items() if path.endswith(".html"))
    key = digest_text(importlib.metadata.version("pagefind"), *pages)
    kept = [path for path, rec in previous.items() if path.startswith(SEARCH_FOLDER + "/") and rec.key == key]
    if kept and all((staged.out / path).is_file() for path in kept):
        for path in kept:
            staged.reuse(path)
        report.reused += len(kept)
        cache.outputs.update({path: OutputRecord(key) for path in kept})
        return None
    staged.flush()  # Pagefind reads the pages from disk
    return key, Indexer(staged.staging, catalog.site.language)

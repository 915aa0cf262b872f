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
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import jinja2

from . import __version__, forked
from .cache import (
    FOLDER_NAME,
    BuildCache,
    OutputRecord,
    OutputSnapshot,
    digest_memo,
    digest_text,
    file_digest,
    tree_fingerprint,
)
from .content import display_path
from .datafiles import copies, data_files
from .feeds import robots, sitemap
from .html import PageJob, human_size, page_jobs, render_page, source_digests, subject_job
from .messages import Messages
from .model import Catalog
from .pdf import PRINT_STYLESHEET, PdfRenderer, PrinterSetup, Rendered, pdf_job, usable_cores, warm_pool
from .problem import ContentError, Problem, RenderError
from .reading import MEMO_FILE, Readings
from .search import MARKER, Indexer
from .searchbundles import SearchBundles, search_groups
from .theme import Theme, theme_trouble
from .validate import load_catalog, load_site
from .writer import StagedOutput, UnsafeOutput, check_output_dir, output_lock


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    theme_dir: Path | None = None  # overrides site.yml's theme
    pdf: bool = True
    jobs: int = field(default_factory=usable_cores)
    cache_dir: Path | None = None  # default: .catalog-cache beside the content folder
    base_url: str = ""  # the public address, overriding site.yml's url (a Pages workflow knows it)
    drafts: bool = False  # draft credentials are published only in the preview (serve)
    # Render pages and data files in forked copies of the build (forked.py); `serve` renders pages in threads of
    # its own, which a fork must not copy in the middle of their work.
    forks: bool = True

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
    catalog: Catalog | None = None  # what was built, for `serve` to show the next save's page at once

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


def _settings(options: BuildOptions, content_dir: Path, out: Path) -> str:
    """Everything besides the files read that decides what a build makes, and where."""
    theme = options.theme_dir.resolve() if options.theme_dir else None
    return "\0".join(
        (__version__, str(options.pdf), str(options.drafts), str(theme), options.base_url, str(content_dir), str(out))
    )


@contextmanager
def paused_garbage_collector(collect: bool = True) -> Iterator[None]:
    """A build creates hundreds of thousands of small objects that live until it ends; the cyclic
    collector would scan them again and again (measured: 70% of the time spent reading 1,000
    credentials). Reference counting still frees everything else; one collection follows the build,
    unless the caller does it at a better moment (`collect` false: a tenth of a second or more at 1,000)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        if collect:
            gc.collect()


def build(
    options: BuildOptions,
    on_pdf: OnPdf | None = None,
    on_wait: Callable[[str], None] | None = None,
    collect: bool = True,
) -> BuildReport:
    """Build the site, or raise ContentError/RenderError leaving the old output untouched.

    Another build into the same folder is waited for (`on_wait` is told), as both use the same cache records.
    Without `collect`, the garbage of cycles the build made is left to the caller (see paused_garbage_collector)."""
    with output_lock(options.out_dir, on_wait), paused_garbage_collector(collect):
        return _build(options, on_pdf)


_environments: dict[tuple[tuple[Path, ...], str], jinja2.Environment] = {}


def environment(theme: Theme) -> jinja2.Environment:
    """The theme's templates, compiled once in a process for as long as their files say the same: `serve` builds
    again on every save, and compiling them again was a third of a one-edit rebuild's rendering."""
    said = digest_text(*(f"{name}\0{file_digest(path)}" for name, path in theme.template_files().items()))
    key = (theme.folders, said)
    env = _environments.get(key)
    if env is None:  # `serve` asks from two threads: never a lookup after the clearing
        env = theme.environment()
        _environments.clear()
        _environments[key] = env
    return env


def _build(options: BuildOptions, on_pdf: OnPdf | None) -> BuildReport:
    started = time.perf_counter()
    out = options.out_dir.expanduser().resolve()
    if options.cache_folder.resolve().is_relative_to(out):  # it would be swapped away with the output, or published
        raise UnsafeOutput(f"refusing to build into {out}: it holds the build cache (choose another --cache)")
    cache = BuildCache.open(options.cache_folder, out)
    report = BuildReport(notices=list(cache.notices))
    # Fast path: no input file and no output file has changed since the last build. The
    # fingerprint is taken before anything is read, so a save during the build is not missed.
    content_dir = options.content_dir.resolve()
    settings = _settings(options, content_dir, out)
    # The folders the last build read (site.yml may name a theme) are this build's only if its settings
    # were the same: the cache beside a content folder is shared by every content folder beside it.
    if cache.input_settings == settings:
        folders = cache.input_folders
    else:
        folders = [content_dir, *Theme.with_override(options.theme_dir).roots()]
    fingerprint = tree_fingerprint(folders, settings)
    if options.pdf and cache.inputs != fingerprint:
        _warm_printer(options, content_dir)
    existing = OutputSnapshot.take(out)
    if cache.inputs == fingerprint and cache.output_state == existing.state:
        report.unchanged = True
        report.seconds = time.perf_counter() - started
        return report
    # Readings of the documents are kept even when the build fails.
    with Readings(cache.folder / MEMO_FILE) as memo:
        catalog, report.warnings, theme = load_for_build(options, memo)
        report.catalog = catalog
        check_output_dir(out, [catalog.content_dir, *theme.folders])
        env = environment(theme)
        previous, spare = cache.outputs, cache.spare
        # The spare's record holds only while the output is as the last build left it (the two are saved together).
        intact = existing.state == cache.output_state
        # Files changed by hand since then are made again, not carried over.
        as_left = existing.sizes if intact else existing.as_left(cache.recorded_files())
        cache.outputs, cache.spare = {}, {}
        made = Outputs(cache, previous, spare if intact else {}, report)
        try:
            spare_files = set(spare) if intact and spare else None
            with StagedOutput(out, as_left, cache.spare_folder, spare_files) as staged:
                indexer = Indexer(staged.staging, options.jobs)
                try:
                    _write_all(staged, made, indexer, env, catalog, theme, options, on_pdf)
                except BaseException:
                    indexer.stop()
                    raise
                report.removed = len(set(previous) - set(cache.outputs))
                report.written = len(staged.written) - report.reused
                # A folder changed by hand since the last build is replaced, stray files and all.
                if report.written or report.removed or not intact or not out.is_dir():
                    staged.commit()
                    cache.spare = previous if intact and staged.kept_spare else {}
                left = OutputSnapshot.take(out)
                cache.output_state, cache.output_files = left.state, left.files()
        except (jinja2.TemplateError, jinja2.UndefinedError) as error:
            raise ContentError([template_problem(error)]) from None
        used = [catalog.content_dir, *theme.roots()]
        cache.inputs = fingerprint if used == folders else ""  # a theme newly named: look again next time
        cache.input_folders, cache.input_settings = used, settings
        cache.save()
        cache.prune_pdfs(printed=options.pdf)
        report.seconds = time.perf_counter() - started
        return report


def load_for_build(options: BuildOptions, memo: Readings) -> tuple[Catalog, list[Problem], Theme]:
    """The catalog, validated, at its public address, its warnings, and the theme it is built with."""
    catalog, warnings = load_catalog(options.content_dir, memo, options.drafts, options.jobs if options.forks else 1)
    if options.base_url:
        catalog = _at_address(catalog, options.base_url.rstrip("/") + "/")
    theme = Theme.with_override(options.theme_dir or catalog.site.theme)
    if options.theme_dir and (trouble := theme_trouble(options.theme_dir, None, catalog.content_dir)):
        raise RenderError(f"the theme folder {options.theme_dir} {trouble}")
    return catalog, warnings, theme


@dataclass
class Outputs:
    """What this build made or carried over, recorded in the cache as it goes."""

    cache: BuildCache
    previous: dict[str, OutputRecord]
    spare: dict[str, OutputRecord]  # what the staging folder holds from the build before last
    report: BuildReport
    digest_of: Callable[[str], str] = field(default_factory=digest_memo)
    later: list[tuple[str, Callable[[], bytes | str]]] = field(default_factory=list)  # emitted, to be made

    def keep(self, staged: StagedOutput, path: str, record: OutputRecord) -> OutputRecord | None:
        """Carry an output over when its key is unchanged: the record of the file carried over, or None
        when the caller must make it."""
        self.cache.outputs[path] = record
        old = self.previous.get(path)
        live = old is not None and old.key == record.key and old.deps_unchanged(self.digest_of)
        held = self.spare.get(path)
        if held is not None and path in staged.held and held.key == record.key and held.deps_unchanged(self.digest_of):
            staged.keep_spare(path)
            if live and path in staged.existing:
                self.report.reused += 1
            # Else the spare's file differs from the output's: a change, counted as written, which the swap publishes.
            return held
        if live and staged.reuse(path):
            self.report.reused += 1
            return old
        return None

    def draft(self, staged: StagedOutput, path: str, html: str) -> None:
        """Put a provisional page in the staging folder. It replaces the spare's version of the page,
        so the spare's record no longer says what the folder holds: kept, it would publish the draft."""
        self.spare.pop(path, None)
        staged.draft(path, html)

    def emit(self, staged: StagedOutput, path: str, key: str, make: Callable[[], bytes | str]) -> None:
        """A cheap output: made only when its key changed (by `make_all`), and written only when its bytes did.
        Keys by sources are broad (a credential's Open Badges files by everything its page shows), so what a key
        change makes is often what the output folder holds: that file is carried over, its time kept."""
        if self.keep(staged, path, OutputRecord(key)) is None:
            self.later.append((path, make))

    def make_all(self, staged: StagedOutput, workers: int) -> None:
        """Make what `emit` was given to make, by `workers` forked copies when there is much."""
        later, self.later = self.later, []
        made = forked.results([make for _, make in later], workers)
        for (path, _), data in zip(later, made, strict=True):
            if isinstance(data, str):
                data = data.encode()
            if staged.existing.get(path) == len(data) and _holds(staged.out / path, data) and staged.reuse(path):
                self.report.reused += 1
            else:
                staged.write(path, data)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _write_all(
    staged: StagedOutput,
    made: Outputs,
    indexer: Indexer,
    env: jinja2.Environment,
    catalog: Catalog,
    theme: Theme,
    options: BuildOptions,
    on_pdf: OnPdf | None,
) -> None:
    """Every output of every language, ordered so that only the pages showing a PDF's size wait for the PDFs."""
    editions = catalog.editions
    said = {edition.edition: theme.messages(edition.site.language) for edition in editions}
    pages = [Pages(staged, made, env, edition, theme, said[edition.edition]) for edition in editions]
    searches = [SearchBundles(staged, made, indexer, edition) for edition in editions]
    with ExitStack() as stack:
        printings: list[Printing] = []
        if options.pdf:
            renderer = stack.enter_context(PdfRenderer(_printer_setup(catalog, theme), options.jobs))
            for edition, its_pages in zip(editions, pages, strict=True):
                readers = pages if edition is catalog else [its_pages]
                printing = Printing(staged, made, env, edition, theme, said[edition.edition], renderer, readers)
                printing.queue()
                printings.append(printing)
        # Every core for the pages and data files, unless PDFs are being rendered: they take the cores (and the
        # memory) then, and the pages go on in this process beside them.
        busy = any(printing.todo for printing in printings)
        workers = options.jobs if options.forks and not busy else 1
        for index, (its_pages, bundles) in enumerate(zip(pages, searches, strict=True)):
            sizes, waiting = _pdfs_shown(its_pages, printings[index], printings[0]) if printings else ({}, set())
            its_pages.render(sizes, waiting, bundles, workers)
        for bundles in searches:
            bundles.start()
        copies(staged, made, catalog, theme)
        for edition in editions:
            data_files(staged, made, edition, said[edition.edition])
        made.make_all(staged, workers)
        if options.pdf:
            _finish_pdfs(renderer, printings, on_pdf)
    indexed = indexer.finish()
    for bundles in searches:
        bundles.finish(indexed)
    if catalog.site.url:  # one of each for the whole site, every language's pages in it
        everything = digest_text(
            __version__, *(f"{name}\0{digest}" for e in editions for name, digest in sorted(e.facts.items()))
        )
        made.emit(staged, "sitemap.xml", everything, lambda: sitemap(catalog))
        made.emit(staged, "robots.txt", everything, lambda: robots(catalog))
    made.make_all(staged, 1)


def _pdfs_shown(pages: Pages, own: Printing, original: Printing) -> tuple[dict[str, int], set[str]]:
    """The sizes of the PDFs an edition's pages show, by credential slug, and the slugs whose PDF is still being
    made: its own PDFs, and the original's for the credentials it has no translation of."""
    sizes = {**own.sizes, **{slug: size for slug, size in original.sizes.items() if slug in pages.borrowed}}
    return sizes, {*own.todo.values(), *(pages.borrowed & set(original.todo.values()))}


def _finish_pdfs(renderer: PdfRenderer, printings: list[Printing], on_pdf: OnPdf | None) -> None:
    """Wait for every language's PDFs, each written by its own language's Printing as it comes."""
    owner = {name: printing for printing in printings for name in printing.todo}
    total = len(owner)

    def done(name: str, rendered: Rendered) -> None:
        owner[name].done(name, rendered)
        if on_pdf:
            on_pdf(name, len(owner[name].made.report.rendered_pdfs), total)

    renderer.finish(done)


def _at_address(catalog: Catalog, url: str) -> Catalog:
    """The catalog, and each of its languages', published at another address."""
    site = dataclasses.replace(catalog.site, url=url)
    # Every output showing an address changes with it, as if site.yml had said it.
    digests = {**catalog.digests, "site": digest_text(catalog.digests["site"], url)}
    facts = {**catalog.facts, "site": digest_text(catalog.facts["site"], url)}
    translations = tuple(_at_address(t, url) for t in catalog.translations)
    return dataclasses.replace(catalog, site=site, digests=digests, facts=facts, translations=translations)


def _warm_printer(options: BuildOptions, content_dir: Path) -> None:
    """Start the PDF workers (importing WeasyPrint, loading fonts) while the content is still being read."""
    site = load_site(content_dir)
    if site is not None:
        theme = Theme.with_override(options.theme_dir or site.theme)
        with suppress(RenderError):  # a theme without a print stylesheet is reported where it is used
            warm_pool(_printer_setup_for(content_dir, site.pdf_time_limit, theme), options.jobs)


def _printer_setup(catalog: Catalog, theme: Theme) -> PrinterSetup:
    return _printer_setup_for(catalog.content_dir, catalog.site.pdf_time_limit, theme)


def _printer_setup_for(content_dir: Path, time_limit: int, theme: Theme) -> PrinterSetup:
    static = theme.static_files()
    stylesheet = static.get(PRINT_STYLESHEET)
    if stylesheet is None:
        raise RenderError(f"the theme has no static/{PRINT_STYLESHEET}")
    fingerprint = digest_text(*(f"{name}\0{file_digest(path)}" for name, path in static.items()))
    return PrinterSetup(stylesheet, (content_dir, *theme.roots()), time_limit, fingerprint)


def _templates_digest(theme: Theme, messages: Messages, printing: bool) -> str:
    # Pages never use the print/ templates; the PDFs use theirs and the partials they include.
    return digest_text(
        messages.digest,
        *(
            f"{name}\0{file_digest(path)}"
            for name, path in theme.template_files().items()
            if printing or not name.startswith("print/")
        ),
    )


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
        templates = _templates_digest(theme, messages, printing=True)
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


class Pages:
    """The web pages. A credential page shows its PDF's size, so while the PDF is being made the page
    is only drafted without it, for the search index (which leaves the download link out, so that
    indexing never waits for PDFs), and made when the PDF is ready.
    """

    def __init__(
        self,
        staged: StagedOutput,
        made: Outputs,
        env: jinja2.Environment,
        catalog: Catalog,
        theme: Theme,
        messages: Messages,
    ) -> None:
        self.staged, self.made, self.env, self.catalog, self.messages = staged, made, env, catalog, messages
        self.templates = _templates_digest(theme, messages, printing=False)
        self.deferred: dict[str, PageJob] = {}  # credential slug -> its page, waiting for the PDF
        # The credentials shown untranslated, whose pages show the original's PDF.
        self.borrowed = {c.slug for c in catalog.credentials if c.untranslated}

    def render(self, sizes: dict[str, int], waiting: set[str], bundles: SearchBundles, workers: int) -> None:
        """Make every page, in the search index's order, but draft those whose PDF is still `waiting`: first
        what each says and which are unchanged, then the others, by `workers` forked copies when there are many."""
        jobs = {job.path: job for job in page_jobs(self.catalog)}
        # (page, what it says, its record if carried over, its credential's slug if drafted while its PDF is made)
        steps: list[tuple[PageJob, str, OutputRecord | None, str]] = []
        tasks: list[Callable[[], str]] = []
        for path in (path for group in search_groups(self.catalog) for path in group):
            job = jobs.pop(path)
            slug = job.subject.slug if job.subject else ""
            said = self._said(job)
            drafted = slug if job.template == "credential.html" and slug in waiting else ""
            kept = None if drafted else self._keep(job, said, sizes)
            steps.append((job, said, kept, drafted))
            if kept is None:
                shown = {slug: sizes[slug]} if slug in sizes and not drafted else {}
                tasks.append(partial(render_page, self.env, self.catalog, job, shown, self.messages))
        assert not jobs, f"pages left out of the search order: {sorted(jobs)}"
        made = forked.results(tasks, workers)  # a generator: closed below, which stops its workers
        for job, said, kept, drafted in steps:
            if kept is not None:
                bundles.page_done(job.path, said, kept.indexed)
            elif drafted:
                html = next(made)
                self.made.draft(self.staged, job.path, html)
                self.deferred[drafted] = job
                bundles.page_done(job.path, said, MARKER in html)
            else:
                bundles.page_done(job.path, said, self._write(job, next(made)))
        made.close()

    def pdf_ready(self, slug: str, size: int) -> None:
        """Make the page of a credential whose PDF has just been made, while the others are still being made."""
        job = self.deferred.pop(slug)
        self._make(job, self._said(job), {slug: size})

    def _said(self, job: PageJob) -> str:
        """A digest of what the page says, its PDF's size aside."""
        return digest_text(__version__, self.templates, *source_digests(self.catalog, job))

    def _record(self, job: PageJob, said: str, sizes: dict[str, int]) -> OutputRecord:
        slug = job.subject.slug if job.subject else ""
        # Only a change in the size as shown, rounded, counts.
        size = human_size(sizes[slug]) if job.template == "credential.html" and slug in sizes else ""
        return OutputRecord(digest_text(said, size))

    def _write(self, job: PageJob, html: str) -> bool:
        """Write a page just rendered, recorded as `keep` left it; whether it is marked for the search index."""
        record = self.made.cache.outputs[job.path]
        record.indexed = MARKER in html
        self.staged.write(job.path, html)
        self.made.report.rendered_pages.append(job.path)
        return record.indexed

    def _keep(self, job: PageJob, said: str, sizes: dict[str, int]) -> OutputRecord | None:
        """Carry the page over when unchanged (its record, from the file carried over, which may be the spare's
        rather than the last build's), or None when it must be rendered."""
        kept = self.made.keep(self.staged, job.path, self._record(job, said, sizes))
        if kept is not None:
            self.made.cache.outputs[job.path].indexed = kept.indexed
        return kept

    def _make(self, job: PageJob, said: str, sizes: dict[str, int]) -> bool:
        """Render the page unless it is unchanged; whether it is marked for the search index."""
        kept = self._keep(job, said, sizes)
        if kept is not None:
            return kept.indexed
        return self._write(job, render_page(self.env, self.catalog, job, sizes, self.messages))

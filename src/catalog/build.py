"""The build pipeline: load, validate, render what changed, then write in one swap.

Every output is keyed by what it was made from. An output whose key is unchanged
is carried over from the previous output folder as a hard link (same bytes, same
modification time); a build in which nothing changed writes nothing at all.
"""

from __future__ import annotations

import dataclasses
import gc
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import __version__
from .cache import (
    FOLDER_NAME,
    BuildCache,
    OutputSnapshot,
    digest_text,
    file_digest,
    tree_fingerprint,
)
from .content import display_path
from .datafiles import copies, data_files
from .feeds import robots, sitemap
from .model import Catalog
from .outputs import Outputs
from .pages import Pages
from .pdf import PdfRenderer, usable_cores
from .printing import OnPdf, Printing, finish_pdfs, pdfs_shown, printer_setup, warm_printer
from .problem import ContentError, Problem, RenderError
from .reading import MEMO_FILE, Readings
from .search import Indexer
from .searchbundles import SearchBundles
from .theme import Theme, theme_trouble
from .validate import load_catalog
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
    # The output folder is this process's own, as `serve`'s is (inside the cache, like the spare): what the last
    # build in this process left there is taken as what it holds, instead of a walk of its files on every save.
    own_output: bool = False

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


OnPublished = Callable[[BuildReport], None]


def build(
    options: BuildOptions,
    on_pdf: OnPdf | None = None,
    on_wait: Callable[[str], None] | None = None,
    collect: bool = True,
    on_published: OnPublished | None = None,
) -> BuildReport:
    """Build the site, or raise ContentError/RenderError leaving the old output untouched.

    Another build into the same folder is waited for (`on_wait` is told), as both use the same cache records.
    Without `collect`, the garbage of cycles the build made is left to the caller (see paused_garbage_collector).
    `on_published` is told as soon as the output folder holds the new site, before the build's records are
    saved (a tenth of a second or two at 1,000 credentials, which `serve`'s readers need not wait for); not
    when nothing had changed."""
    with output_lock(options.out_dir, on_wait), paused_garbage_collector(collect):
        return _build(options, on_pdf, on_published)


_environments: dict[tuple[tuple[Path, ...], str], jinja2.Environment] = {}

# What the last build in this process left in each output folder it owns (BuildOptions.own_output). Taken away
# while a build runs, and put back only by one that saved its records: after a failure the folder is walked.
_left: dict[Path, OutputSnapshot] = {}


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


def _build(options: BuildOptions, on_pdf: OnPdf | None, on_published: OnPublished | None) -> BuildReport:
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
        warm_printer(options, content_dir)
    existing = _left.pop(out, None) if options.own_output else None
    if existing is None or existing.state != cache.output_state or not out.is_dir():
        existing = OutputSnapshot.take(out)
    if cache.inputs == fingerprint and cache.output_state == existing.state:
        if options.own_output:
            _left[out] = existing
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
                if on_published is not None:
                    report.seconds = time.perf_counter() - started
                    on_published(report)
                left = OutputSnapshot.take(out)
                cache.output_state, cache.output_files = left.state, left.files()
        except (jinja2.TemplateError, jinja2.UndefinedError) as error:
            raise ContentError([template_problem(error)]) from None
        used = [catalog.content_dir, *theme.roots()]
        cache.inputs = fingerprint if used == folders else ""  # a theme newly named: look again next time
        cache.input_folders, cache.input_settings = used, settings
        cache.save()
        cache.prune_pdfs(printed=options.pdf)
        if options.own_output:
            _left[out] = left
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
            renderer = stack.enter_context(PdfRenderer(printer_setup(catalog, theme), options.jobs))
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
            sizes, waiting = pdfs_shown(its_pages, printings[index], printings[0]) if printings else ({}, set())
            its_pages.render(sizes, waiting, bundles, workers)
        for bundles in searches:
            bundles.start()
        copies(staged, made, catalog, theme)
        for edition in editions:
            data_files(staged, made, edition, said[edition.edition])
        made.make_all(staged, workers)
        if options.pdf:
            finish_pdfs(renderer, printings, on_pdf)
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


def _at_address(catalog: Catalog, url: str) -> Catalog:
    """The catalog, and each of its languages', published at another address."""
    site = dataclasses.replace(catalog.site, url=url)
    # Every output showing an address changes with it, as if site.yml had said it.
    digests = {**catalog.digests, "site": digest_text(catalog.digests["site"], url)}
    facts = {**catalog.facts, "site": digest_text(catalog.facts["site"], url)}
    translations = tuple(_at_address(t, url) for t in catalog.translations)
    return dataclasses.replace(catalog, site=site, digests=digests, facts=facts, translations=translations)

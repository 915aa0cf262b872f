"""The build pipeline: load, validate, render, then write everything in one swap."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .content import display_path
from .html import page_jobs, render_page
from .model import Catalog
from .paths import ASSETS
from .pdf import PRINT_STYLESHEET, pdf_job, render_pdfs, usable_cores
from .problem import ContentError, Problem, RenderError
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


@dataclass
class BuildReport:
    pages: int = 0
    pdfs: int = 0
    files: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)


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


def build(options: BuildOptions, progress: Callable[[str], None] = lambda message: None) -> BuildReport:
    """Build the whole site, or raise ContentError/RenderError leaving the old output untouched."""
    started = time.perf_counter()
    catalog, warnings = load_catalog(options.content_dir)
    theme = Theme.with_override(options.theme_dir or catalog.site.theme)
    out = check_output_dir(options.out_dir, [catalog.content_dir, *theme.folders])
    env = theme.environment()
    report = BuildReport(warnings=[w for w in warnings])
    try:
        with StagedOutput(out) as staged:
            sizes = _write_pdfs(staged, env, catalog, theme, options, progress) if options.pdf else {}
            report.pdfs = len(sizes)
            for job in page_jobs(catalog):
                staged.write(job.path, render_page(env, catalog, job, sizes))
                report.pages += 1
            for relative, source in theme.static_files().items():
                staged.copy(f"static/{relative}", source)
            assets = catalog.content_dir / ASSETS
            for source in sorted(assets.rglob("*")) if assets.is_dir() else []:
                if source.is_file() and not source.name.startswith("."):
                    staged.copy(f"{ASSETS}/{source.relative_to(assets).as_posix()}", source)
            # GitHub Pages would otherwise run Jekyll, which hides files starting with '_'.
            staged.write(".nojekyll", b"")
            report.files = len(staged.written)
            staged.commit()
    except (jinja2.TemplateError, jinja2.UndefinedError) as error:
        raise ContentError([template_problem(error)]) from None
    report.seconds = time.perf_counter() - started
    return report


def _write_pdfs(
    staged: StagedOutput,
    env: jinja2.Environment,
    catalog: Catalog,
    theme: Theme,
    options: BuildOptions,
    progress: Callable[[str], None],
) -> dict[str, int]:
    stylesheet = theme.static_files().get(PRINT_STYLESHEET)
    if stylesheet is None:
        raise RenderError(f"the theme has no static/{PRINT_STYLESHEET}")
    jobs = [pdf_job(env, catalog, credential) for credential in catalog.credentials]
    roots = (catalog.content_dir, *theme.roots())
    pdfs = render_pdfs(jobs, stylesheet, roots, options.jobs, lambda slug: progress(f"PDF {slug}"))
    by_slug = {c.slug: c for c in catalog.credentials}
    for slug, data in pdfs.items():
        staged.write(by_slug[slug].pdf_path, data)
    return {slug: len(data) for slug, data in pdfs.items()}

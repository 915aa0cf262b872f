"""The web pages of a build: each keyed by its sources, carried over when unchanged, else rendered (by forked
copies of the build when there are many); a credential page waits for its PDF's size."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import jinja2

from . import __version__, forked
from .cache import OutputRecord, digest_text, file_digest
from .html import PageJob, human_size, page_jobs, render_page, source_digests
from .messages import Messages
from .model import Catalog
from .outputs import Outputs
from .search import MARKER
from .searchbundles import SearchBundles, search_groups
from .theme import Theme
from .writer import StagedOutput


def templates_digest(theme: Theme, messages: Messages, printing: bool) -> str:
    # Pages never use the print/ templates; the PDFs use theirs and the partials they include.
    return digest_text(
        messages.digest,
        *(
            f"{name}\0{file_digest(path)}"
            for name, path in theme.template_files().items()
            if printing or not name.startswith("print/")
        ),
    )


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
        self.templates = templates_digest(theme, messages, printing=False)
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

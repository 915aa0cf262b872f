"""The page of a credential just saved, shown by `serve` at once, ahead of the rebuild.

A rebuild at 1,000 credentials takes seconds (every page that names the credential, the data files, the search
index); the author is looking at one page. So the moment an editor has finished writing a credential file, that
file alone is read and checked, its page rendered against the catalog of the last build and served from memory,
and its PDF started in the shared workers (the rebuild then takes the same PDF instead of rendering it again).
The rebuild follows as before, and whatever it publishes replaces what was shown ahead of it. A file with
any problem of its own, a new or translated file, anything but a credential: nothing is shown ahead, and the
rebuild alone shows it, or its problems.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from pathlib import Path

import jinja2

from .build import BuildOptions, environment
from .content import load_document
from .html import render_page, subject_job
from .messages import Messages
from .model import Catalog, Credential
from .pdf import Rendered, pdf_job, render_early
from .printing import printer_setup
from .problem import Problem, errors_in
from .reading import read
from .records import Checker
from .theme import Theme


@dataclass(frozen=True)
class Basis:
    """What the last build rendered from, kept to render one page the same way."""

    catalog: Catalog
    theme: Theme
    env: jinja2.Environment
    messages: Messages


@dataclass(frozen=True)
class Shown:
    data: bytes
    saved: float  # when the save that made it was noticed (time.monotonic)


class QuickPages:
    """Outputs shown ahead of the rebuild, by their path in the site; one thread makes them, in order of saves."""

    def __init__(self, options: BuildOptions, on_change: Callable[[], None]) -> None:
        self.options, self.on_change = options, on_change
        self.out = options.out_dir.resolve()
        self.basis: Basis | None = None
        self.shown: dict[str, Shown] = {}
        self.lock = threading.Lock()
        self.work: queue.SimpleQueue[Saved | Printed | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="quick-pages", daemon=True)
        self.thread.start()

    def get(self, relative: str) -> bytes | None:
        with self.lock:
            shown = self.shown.get(relative)
        return shown.data if shown else None

    def saved(self, path: Path) -> None:
        """An editor has finished writing this file (renamed it into place, or closed it after writing)."""
        self.work.put(Saved(path, time.monotonic()))

    def rebuilt(self, started: float, catalog: Catalog | None, theme_changed: bool) -> None:
        """A rebuild that began at `started` has ended, published or failed: it shows every save before then."""
        with self.lock:
            self.shown = {path: shown for path, shown in self.shown.items() if shown.saved >= started}
        if theme_changed:
            self.basis = None
        if catalog is not None:
            basis = self.basis
            if basis is None:
                theme = Theme.with_override(self.options.theme_dir or catalog.site.theme)
                basis = Basis(catalog, theme, environment(theme), theme.messages(catalog.site.language))
            # The same environment, with its templates compiled, until the theme changes.
            self.basis = dataclasses.replace(basis, catalog=catalog)

    def stop(self) -> None:
        self.work.put(None)

    def _run(self) -> None:
        while (item := self.work.get()) is not None:
            try:
                if isinstance(item, Saved):
                    self._page(item)
                else:
                    self._printed(item)
            except Exception:  # only a head start: the rebuild shows the file, or what is wrong with it
                continue

    def _credential(self, basis: Basis, path: Path) -> Credential | None:
        """The saved file as a credential of the last build, read and checked alone; None for anything else."""
        known = basis.catalog.credential(path.stem)
        if path.suffix != ".md" or known is None or known.source != path:
            return None
        problems: list[Problem] = []
        doc = load_document(path, "credential", problems)
        if doc is None or problems or doc.language:
            return None
        reading = read(doc)
        if not reading.readable:
            return None
        checker = Checker(basis.catalog.content_dir, {doc.source: reading})
        checker.allow_html = basis.catalog.site.allow_html
        credential = checker.credential(doc, basis.catalog.site)
        return None if credential is None or errors_in(checker.problems) else credential

    def _page(self, save: Saved) -> None:
        basis = self.basis
        credential = self._credential(basis, save.path) if basis is not None else None
        if basis is None or credential is None:
            return
        catalog = dataclasses.replace(
            basis.catalog,
            credentials=tuple(credential if c.slug == credential.slug else c for c in basis.catalog.credentials),
        )
        # Until its new PDF is made, the page links the one there is (its size as it was), or none.
        size = self._pdf_size(credential)
        self._show(credential.page_path, _render(basis, catalog, credential, size), save.at)
        if self.options.pdf:
            job = pdf_job(basis.env, catalog, credential, basis.messages)
            result = render_early(printer_setup(catalog, basis.theme), self.options.jobs, job)
            if result is None:
                return
            printed = Printed(save.at, basis, catalog, credential, result)
            threading.Thread(target=self._await, args=(printed,), name="quick-pdf", daemon=True).start()

    def _await(self, printed: Printed) -> None:
        printed.result.wait(printed.catalog.site.pdf_time_limit)
        if printed.result.ready() and printed.result.successful():
            self.work.put(printed)

    def _printed(self, printed: Printed) -> None:
        pdf = printed.result.get().pdf
        credential = printed.credential
        self._show(credential.pdf_path, pdf, printed.at)
        self._show(credential.page_path, _render(printed.basis, printed.catalog, credential, len(pdf)), printed.at)

    def _pdf_size(self, credential: Credential) -> int | None:
        if not self.options.pdf:
            return None
        try:
            return (self.out / credential.pdf_path).stat().st_size
        except OSError:  # not rendered yet: the page shows no link until it is
            return None

    def _show(self, relative: str, data: bytes, saved: float) -> None:
        with self.lock:
            current = self.shown.get(relative)
            if current is not None and current.saved > saved:
                return  # a later save's is shown already
            self.shown[relative] = Shown(data, saved)
        self.on_change()


@dataclass(frozen=True)
class Saved:
    path: Path
    at: float  # time.monotonic() when the save was noticed


@dataclass(frozen=True)
class Printed:
    """A PDF started for a save, with what its page is rendered from once it is made."""

    at: float
    basis: Basis
    catalog: Catalog
    credential: Credential
    result: AsyncResult[Rendered]


def _render(basis: Basis, catalog: Catalog, credential: Credential, size: int | None) -> bytes:
    job = subject_job(credential)
    sizes = {credential.slug: size} if size is not None else {}
    return render_page(basis.env, catalog, job, sizes, basis.messages).encode()

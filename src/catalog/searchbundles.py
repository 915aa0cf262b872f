"""The search index, built as the pages are made: the pages cut into runs by the catalog's shape (a stack with its
credentials), and each run whose pages changed indexed by Pagefind, or its index carried over."""

from __future__ import annotations

import importlib.metadata

from . import search
from .cache import OutputRecord, digest_text
from .html import NOT_FOUND
from .model import Catalog
from .outputs import Outputs
from .problem import RenderError
from .search import Indexer
from .writer import StagedOutput


def search_groups(catalog: Catalog) -> list[list[str]]:
    """The pages in the order they are rendered and cut into search bundles, a stack with its credentials.

    A credential in several stacks goes with the first of them; each page is in exactly one group."""
    placed: set[str] = set()
    groups = []
    for stack in catalog.stacks:
        members = [c.page_path for c in catalog.credentials_of(stack) if c.page_path not in placed]
        placed.update(members)
        groups.append([stack.page_path, *members])
    groups += [[c.page_path] for c in catalog.credentials if c.page_path not in placed]
    groups.append([*(b.page_path for b in catalog.bundles), *(p.page_path for p in catalog.pages)])
    groups.append([catalog.local("index.html"), catalog.local(NOT_FOUND)])
    return groups


class SearchBundles:
    """Cuts the pages into runs by the catalog's shape, and indexes each run whose pages changed, or carries
    its index over."""

    def __init__(self, staged: StagedOutput, made: Outputs, indexer: Indexer, catalog: Catalog) -> None:
        self.staged, self.made, self.indexer = staged, made, indexer
        self.runs = search.plan(search_groups(catalog))
        self.left = {id(run): len(run) for run in self.runs}
        self.run_of = {page: run for run in self.runs for page in run}
        self.said: dict[str, tuple[str, bool]] = {}  # page -> (digest of what it says, marked for search)
        self.complete: list[list[str]] = []  # runs whose pages are all made: their pages marked for search
        self.found: list[search.Bundle] = []
        self.keys: dict[str, str] = {}  # bundle folder -> key, for the bundles being indexed
        self.prefix = (importlib.metadata.version("pagefind"), catalog.site.language)
        self.root, self.language = catalog.prefix, catalog.site.language  # each language has an index of its own
        folder = catalog.local(search.FOLDER) + "/"
        self.before = [(path, rec) for path, rec in made.previous.items() if path.startswith(folder)]

    def page_done(self, path: str, said: str, marked: bool) -> None:
        self.said[path] = (said, marked)
        run = self.run_of[path]
        self.left[id(run)] -= 1
        if self.left[id(run)] == 0:
            self.complete.append([page for page in run if self.said[page][1]])

    def start(self) -> None:
        """Index every run completed so far. Called once all pages are made: Pagefind and the page
        rendering would only slow each other down on a machine whose cores are all busy."""
        for pages in self.complete:
            if pages:
                self._index(pages)
        self.complete = []

    def _index(self, pages: list[str]) -> None:
        folder = self.root + search.bundle_folder(len(self.found) + 1)
        bundle = search.Bundle(folder, tuple(pages), self.root, self.language)
        self.found.append(bundle)
        key = digest_text(*self.prefix, bundle.folder, *(f"{page}\0{self.said[page][0]}" for page in pages))
        kept = [path for path, record in self.before if record.key == key and bundle.owns(path)]
        # All or nothing: Pagefind must never write over a file linked to the current output.
        if kept and all(path in self.staged.existing for path in kept):
            for path in kept:
                self.made.keep(self.staged, path, OutputRecord(key))
            return
        self.staged.clear([path for path in self.staged.held if bundle.owns(path)])  # Pagefind writes in place
        self.staged.flush()  # Pagefind reads the pages from the staging folder
        self.indexer.start(bundle)
        self.keys[bundle.folder] = key

    def finish(self, indexed: dict[str, list[str]]) -> None:
        """List the bundles for the search page, and record the files of those indexed (by folder)."""
        if not self.found:
            raise RenderError(f"the search index is empty: no page is marked {search.MARKER}")
        found = self.found
        self.made.emit(
            self.staged,
            self.root + search.BUNDLE_LIST,
            digest_text(*(b.folder for b in found)),
            lambda: search.bundle_list(found),
        )
        for folder in self.keys:
            for path in indexed[folder]:
                self.staged.adopt(path)
                self.made.cache.outputs[path] = OutputRecord(self.keys[folder])

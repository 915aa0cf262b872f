"""Full-text search with no server: Pagefind indexes of the built pages.

Pagefind reads the finished HTML (the parts marked data-pagefind-body, with the
filters each credential page declares) and writes an index and its UI. It has no
incremental mode: any change to a page means indexing again every page of its
index. So a large catalog is indexed as several bundles of about PAGES_PER_BUNDLE
pages, a stack always with its credentials; a save re-indexes only the bundle
that holds the changed pages, and the search page merges the bundles in the
browser (Pagefind's mergeIndex). A catalog of up to PAGES_PER_BUNDLE pages has a
single bundle, in pagefind/.

Pagefind's command-line binary, from the pagefind[bin] package, is used; its
Python service wrapper takes about 0.1 s per page.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from .problem import RenderError

FOLDER = "pagefind"
SHARDS = "shards"  # the bundles after the first, in pagefind/shards/<n>/
BUNDLE_LIST = f"{FOLDER}/bundles.json"  # which bundles the search page merges
MARKER = "data-pagefind-body"  # once any page has it, Pagefind indexes only pages that do
# Measured with the binary on this project's pages: about 40 ms plus 1.7 ms per page per bundle, so a
# 200-page bundle is indexed in about 0.4 s; each further bundle costs a searcher one more small download.
PAGES_PER_BUNDLE = 200


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index: its folder in the site and the pages it indexes."""

    folder: str
    pages: tuple[str, ...]
    root: str = ""  # the folder of its language's pages, which Pagefind is given as the site: '' or 'es/'
    language: str = "en"

    def owns(self, path: str) -> bool:
        """Whether an output file belongs to this bundle's folder (the first holds the others' folder)."""
        if not path.startswith(self.folder + "/"):
            return False
        first = self.root + FOLDER
        return self.folder != first or not path.startswith((f"{first}/{SHARDS}/", self.root + BUNDLE_LIST))


def plan(groups: list[list[str]]) -> list[list[str]]:
    """Cut the pages, in order, into runs of about PAGES_PER_BUNDLE (evenly), keeping each group whole.

    The cut depends on the catalog's shape only, so a run is indexed as soon as its pages are made."""
    total = sum(len(group) for group in groups)
    target = math.ceil(total / max(1, round(total / PAGES_PER_BUNDLE)))
    runs: list[list[str]] = []
    current: list[str] = []
    for group in groups:
        current += group
        if len(current) >= target:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def bundle_folder(number: int) -> str:
    """Where the bundle with this number (from 1, counting only bundles with pages) is written."""
    return FOLDER if number == 1 else f"{FOLDER}/{SHARDS}/{number}"


def bundle_list(found: list[Bundle]) -> bytes:
    """What the search page reads to merge the bundles after the first."""
    return json.dumps({"merge": [f"{bundle.folder}/" for bundle in found[1:]]}, indent=1).encode() + b"\n"


def pagefind_binary() -> Path:
    if os.getenv("PAGEFIND_BINARY_PATH") is None:
        # The binary's own package first: pagefind.service, which finds it too, imports asyncio, a tenth of a
        # one-edit build's time.
        with suppress(ImportError):
            from pagefind_bin import get_executable as binary_of  # type: ignore[import-untyped]

            return Path(binary_of())
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise RenderError("Pagefind's binary is missing: pip install 'pagefind[bin]'")
    return Path(binary)


def _glob(pages: tuple[str, ...]) -> str:
    # Output paths are made of slugs and fixed folder names, so they hold no glob syntax.
    return pages[0] if len(pages) == 1 else "{" + ",".join(pages) + "}"


class Indexer:
    """Pagefind runs, at most `jobs` at a time, over pages in the staging folder while the build writes
    everything else. Pages still waiting for their PDF are there as drafts (see pages.Pages)."""

    def __init__(self, site: Path, jobs: int) -> None:
        self.site = site
        self.runs = ThreadPoolExecutor(max(1, jobs), thread_name_prefix="pagefind")
        self.pending: dict[str, Future[str]] = {}
        self.started: dict[str, Bundle] = {}
        self.processes: set[subprocess.Popen[str]] = set()
        self.lock = threading.Lock()
        self.stopped = False

    def start(self, bundle: Bundle) -> None:
        self.pending[bundle.folder] = self.runs.submit(self._run, bundle)
        self.started[bundle.folder] = bundle

    def _run(self, bundle: Bundle) -> str:
        # Each language's pages are a site of their own to Pagefind, so that its results' addresses are relative
        # to that language's pages, where the search page finds them.
        command = [
            str(pagefind_binary()),
            "--site",
            str(self.site / bundle.root),
            "--glob",
            _glob(tuple(page.removeprefix(bundle.root) for page in bundle.pages)),
            "--output-subdir",
            bundle.folder.removeprefix(bundle.root),
            "--keep-index-url",  # our links name index.html, so they also work opened from disk
            "--force-language",
            bundle.language.split("-")[0],
            "--silent",
        ]
        with self.lock:
            if self.stopped:
                return ""
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            self.processes.add(process)
        try:
            output, _ = process.communicate(timeout=600)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            with self.lock:
                self.processes.discard(process)
        if process.returncode != 0 and not self.stopped:
            raise RenderError(f"the search index could not be built: {output.strip()}")
        return output

    def stop(self) -> None:
        """Abandon the indexes: the build failed before they were needed."""
        with self.lock:
            self.stopped = True
            for process in self.processes:
                process.kill()
        self.runs.shutdown(wait=True, cancel_futures=True)

    def finish(self) -> dict[str, list[str]]:
        """Wait for every index started; return the paths each wrote, relative to the site, by folder."""
        try:
            for future in self.pending.values():
                future.result()
        except BaseException:
            self.stop()
            raise
        self.runs.shutdown()
        written = {}
        for folder in self.pending:
            bundle = self.started[folder]
            files = [p.relative_to(self.site).as_posix() for p in (self.site / folder).rglob("*") if p.is_file()]
            written[folder] = sorted(path for path in files if bundle.owns(path))
            if not any(path.startswith(f"{folder}/fragment/") for path in written[folder]):
                raise RenderError(f"the search index in {folder}/ is empty: no page is marked {MARKER}")
        return written

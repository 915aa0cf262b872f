"""Full-text search with no server: a Pagefind index of the built pages.

Pagefind reads the finished HTML (the parts marked data-pagefind-body, with the
filters each credential page declares) and writes its index and UI under pagefind/.
Its command-line binary, from the pagefind[bin] package, indexes a catalog in a
fraction of a second; the Python service wrapper takes about 0.1 s per page.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .problem import RenderError

FOLDER = "pagefind"


def pagefind_binary() -> Path:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise RenderError("Pagefind's binary is missing: pip install 'pagefind[bin]'")
    return Path(binary)


class Indexer:
    """Pagefind running over the finished pages while the build writes everything else."""

    def __init__(self, site: Path, language: str) -> None:
        self.site = site
        command = [
            str(pagefind_binary()),
            "--site",
            str(site),
            "--glob",
            "**/*.html",
            "--output-subdir",
            FOLDER,
            "--keep-index-url",  # our links name index.html, so they also work opened from disk
            "--force-language",
            language.split("-")[0],
            "--silent",
        ]
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    def stop(self) -> None:
        """Abandon the index: the build failed before it was needed."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def finish(self) -> list[str]:
        """Wait for the index; return the paths written, relative to the site."""
        try:
            output, _ = self.process.communicate(timeout=600)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        if self.process.returncode != 0:
            raise RenderError(f"the search index could not be built: {output.strip()}")
        written = sorted(p.relative_to(self.site).as_posix() for p in (self.site / FOLDER).rglob("*") if p.is_file())
        if not any(path.startswith(f"{FOLDER}/fragment/") for path in written):
            raise RenderError("the search index is empty: no page is marked data-pagefind-body")
        return written

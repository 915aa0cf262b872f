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


def build_index(site: Path, language: str) -> list[str]:
    """Index the site folder in place; return the paths written, relative to it."""
    command = [
        str(pagefind_binary()),
        "--site",
        str(site),
        "--output-subdir",
        FOLDER,
        "--keep-index-url",  # our links name index.html, so they also work opened from disk
        "--force-language",
        language.split("-")[0],
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RenderError(f"the search index could not be built: {(result.stderr or result.stdout).strip()}")
    written = sorted(p.relative_to(site).as_posix() for p in (site / FOLDER).rglob("*") if p.is_file())
    if not any(path.startswith(f"{FOLDER}/fragment/") for path in written):
        raise RenderError("the search index is empty: no page is marked data-pagefind-body")
    return written

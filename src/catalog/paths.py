"""Where outputs live, and how one output links to another.

Every link we emit is relative to the page that holds it, so the same dist/
works at a domain root, under a project subpath, and opened from disk.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .content import KINDS

ASSETS = "assets"


def relative_url(from_page: str, to: str) -> str:
    """The URL from one output file (like 'stacks/x/index.html') to another.

    Pure string work on site paths: posixpath.relpath would ask the OS for the working
    folder twice per link, which was a fifth of the time of rendering a large catalog.
    """
    here = from_page.split("/")[:-1]
    there = to.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    return quote("/".join(parts)) if parts != [""] else "./"


def content_target(content_dir: Path, source: Path, url: str) -> tuple[str, str] | None:
    """The output path an author's relative link points at, and its '#fragment' or '?query' tail.

    Authors write links relative to their Markdown file, as they would on GitHub:
    '../assets/plc.png' or '../credentials/other.md#part-2'. None when nothing is there.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    tail = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
    if not parts.path or "\0" in unquote(parts.path):
        return None
    target = Path(posixpath.normpath((source.parent / unquote(parts.path)).as_posix()))
    try:
        inside = target.relative_to(content_dir).parts
    except ValueError:
        return None
    try:
        if not target.resolve().is_relative_to(content_dir.resolve()):
            return None  # a link that leads out of the content folder
    except (OSError, RuntimeError):  # a loop of links
        return None
    if not inside:
        return None
    if inside[0] == ASSETS and target.is_file():
        return posixpath.join(*inside), tail
    if inside[0] in KINDS and target.suffix == ".md" and target.is_file():
        return f"{inside[0]}/{target.stem}/index.html", tail
    return None

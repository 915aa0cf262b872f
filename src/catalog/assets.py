"""Checks on the files authors add to content/assets/: which types are published, and that each
file really is what its name says.

Every file in content/assets/ is published on the site's own address, where a browser runs
whatever HTML or script it finds. So only the types below are published, each file's first bytes
must be its type's signature, raster images must decode, and SVGs must pass images.py's policy.
Plain text (.txt, .csv) is left out: a server that guesses types from content could serve it as HTML.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .content import Unreadable, read_regular, visible_files
from .images import PILLOW_FORMATS, raster_problem, svg_problem
from .paths import ASSETS

MAX_ASSET_BYTES = 20 * 1024 * 1024


def _starts(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda data: data.startswith(signatures)


def _webp(data: bytes) -> bool:
    return data.startswith(b"RIFF") and data[8:12] == b"WEBP"


def _avif(data: bytes) -> bool:
    """An ISO media file whose 'ftyp' box names the AVIF brand, major or compatible."""
    size = int.from_bytes(data[:4], "big")
    return (
        data[4:8] == b"ftyp"
        and 16 <= size <= len(data)
        and any(data[i : i + 4] in (b"avif", b"avis") for i in range(8, size, 4))
    )


# The one list of published types: file ending -> its signature test. Images first.
PUBLISHED: dict[str, Callable[[bytes], bool]] = {
    ".png": _starts(b"\x89PNG\r\n\x1a\n"),
    ".jpg": _starts(b"\xff\xd8\xff"),
    ".jpeg": _starts(b"\xff\xd8\xff"),
    ".gif": _starts(b"GIF87a", b"GIF89a"),
    ".webp": _webp,
    ".avif": _avif,
    ".svg": _starts(b""),  # text, whose encoding and content images.svg_problem checks
    ".pdf": _starts(b"%PDF-"),
    ".woff2": _starts(b"wOF2"),
    ".woff": _starts(b"wOFF"),
    ".ttf": _starts(b"\x00\x01\x00\x00", b"true"),
    ".otf": _starts(b"OTTO"),
}
IMAGE_TYPES = {*PILLOW_FORMATS, ".svg"}
FONT_TYPES = {".woff2", ".woff", ".ttf", ".otf"}
ALLOWED = ", ".join(suffix[1:] for suffix in PUBLISHED)
# Endings a web server may act on wherever they appear in a name: Apache, for one, gives
# 'x.html.png' or 'x.php.png' the handler of the inner ending. Such names are refused.
SERVER_ENDINGS = {
    "html", "htm", "xhtml", "xht", "shtml", "shtm", "mht", "mhtml", "xml", "xsl", "xslt", "svgz",
    "js", "mjs", "php", "php3", "php4", "php5", "php7", "phtml", "phar", "asp", "aspx", "jsp", "cgi", "pl", "py",
}  # fmt: skip
RENAME = "rename it with letters, digits, '-' and one type ending"


def is_hidden(path: str) -> bool:
    """Whether a '/'-separated path goes through a hidden file or folder, which is never published."""
    return any(part.startswith(".") and part not in (".", "..") for part in path.split("/"))


@dataclass(frozen=True)
class Refusal:
    """Why an asset may not be published: a message, the line it concerns (0: the whole file), a fix."""

    message: str
    line: int = 0
    hint: str = "replace it with a real file of its type, saved inside content/assets/"


def name_refusal(path: Path) -> Refusal | None:
    """A published name must end in an allowed type, and nothing in it may look like another."""
    suffix = path.suffix.lower()
    if suffix not in PUBLISHED:
        return Refusal(
            f"files ending in '{suffix}' are not published"
            if suffix
            else "a file without a type ending is not published",
            hint=f"the published types are: {ALLOWED}",
        )
    inner = next((part for part in path.name.lower().split(".")[1:-1] if part in SERVER_ENDINGS), None)
    if inner is not None:
        return Refusal(f"the name '{path.name}' holds the ending '.{inner}', which servers act on", hint=RENAME)
    if ";" in path.name:  # IIS once served 'x.asp;.png' as ASP
        return Refusal(f"the name '{path.name}' holds ';', which servers act on", hint=RENAME)
    return None


def link_refusal(path: Path, content_dir: Path) -> Refusal:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a loop of links, or a link to nothing
        return Refusal("it is a link that leads nowhere (to a missing file, or round a loop of links)")
    if not target.is_relative_to(content_dir.resolve()):
        return Refusal("it is a link to a file outside the content folder")
    return Refusal("it is a link; assets must be real files and folders", hint="replace the link with the file itself")


def asset_refusal(path: Path, content_dir: Path) -> Refusal | None:
    """What is wrong with an asset file, or None when it may be published."""
    try:
        if stat.S_ISLNK(path.lstat().st_mode):
            return link_refusal(path, content_dir)
    except OSError as error:
        return Refusal(f"cannot read the file: {error.strerror}")
    if refusal := name_refusal(path):
        return refusal
    try:
        data = read_regular(path, MAX_ASSET_BYTES, "make it smaller before adding it")
    except Unreadable as error:
        return Refusal(error.message, hint=error.hint)
    return data_refusal(data, path.suffix.lower())


def data_refusal(data: bytes, suffix: str) -> Refusal | None:
    """What is wrong with a file's bytes for its type ending (as '.png'), or None when they may be published."""
    if not data:
        return Refusal("the file is empty")
    if not PUBLISHED[suffix](data):
        kind = "image" if suffix in IMAGE_TYPES else "file"
        return Refusal(f"the file is not a {suffix[1:].upper()} {kind}, whatever its name says")
    if suffix == ".svg":
        line, message = svg_problem(data)
        return Refusal(message, line, "remove it, or export the drawing again as plain SVG") if message else None
    if suffix in PILLOW_FORMATS and (message := raster_problem(data, suffix)):
        return Refusal(message, hint="export it again as a working image of at most 50 megapixels")
    return None


@dataclass
class AssetFolder:
    """content/assets/: each file checked once, however many pages and fields name it."""

    content_dir: Path
    checked: dict[Path, Refusal | None] = field(default_factory=dict)

    @cached_property
    def files(self) -> list[Path]:
        """Every file published from content/assets/ (or refused as it is: a link, a FIFO...)."""
        return visible_files(self.content_dir / ASSETS)

    @cached_property
    def published(self) -> frozenset[Path]:
        return frozenset(self.files)

    def refusal(self, path: Path) -> Refusal | None:
        if path not in self.checked:
            self.checked[path] = asset_refusal(path, self.content_dir)
        return self.checked[path]

    def image_refusal(self, value: str) -> Refusal | None:
        """Why a path given in front matter does not name a published image, or None when it does."""
        return self.named_refusal(value, "image", IMAGE_TYPES, "assets/badges/my-badge.png")

    def font_refusal(self, value: str) -> Refusal | None:
        """Why a path in site.yml's fonts does not name a published font file, or None when it does."""
        return self.named_refusal(value, "font", FONT_TYPES, "assets/fonts/NotoNaskhArabic-Regular.ttf")

    def named_refusal(self, value: str, noun: str, types: set[str], example: str) -> Refusal | None:
        """Why a path written in content does not name a published file of the given types, or None."""
        parts = value.split("/")
        hint = f"give its path from the content folder, like {example}"
        if "\\" in value:
            return Refusal(f"the {noun} '{value}' has a backslash; separate folders with '/'", hint=hint)
        if value.startswith("/"):
            return Refusal(f"the {noun} '{value}' is an absolute path", hint=hint)
        if ".." in parts:
            return Refusal(f"the {noun} '{value}' goes up a folder with '..'", hint=hint)
        if any(part in ("", ".") for part in parts):
            return Refusal(f"the {noun} '{value}' has an empty or '.' folder in its path", hint=hint)
        if parts[0] != ASSETS or len(parts) < 2:
            return Refusal(f"the {noun} '{value}' is not inside content/assets/", hint=hint)
        if is_hidden(value):
            return Refusal(f"the {noun} '{value}' is a hidden file, which is never published", hint=hint)
        path = self.content_dir.joinpath(*parts)
        if path.suffix.lower() not in types:
            return Refusal(
                f"'{value}' is not {'an' if noun[0] in 'aeiou' else 'a'} {noun}",
                hint=f"use one of: {', '.join(sorted(types))}",
            )
        if path not in self.published:
            if os.path.lexists(path):  # reached through a linked folder, which is not followed
                return Refusal(f"the {noun} '{value}' is behind a link to another folder", hint=hint)
            return Refusal(
                f"the {noun} '{value}' does not exist",
                hint="put the file in content/assets/ and give its path from the content folder",
            )
        refusal = self.refusal(path)
        if refusal is None:
            return None
        return Refusal(f"the {noun} '{value}' cannot be published: {refusal.message}", hint=refusal.hint)

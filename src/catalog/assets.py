"""Checks on the files authors add to content/assets/: each must really be what it says it is.

An image that is a link to a file elsewhere would copy that file into the published site;
an SVG can carry script; a file named .png may be anything. All are refused before a build.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

MAX_ASSET_BYTES = 20 * 1024 * 1024

# The first bytes of each image format we publish.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
SVG_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}


def outside(path: Path, root: Path) -> bool:
    """True when a path, with every link followed, is not inside root."""
    return not path.resolve().is_relative_to(root.resolve())


def svg_problem(data: bytes) -> str:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "the SVG declares a DOCTYPE or entities, which are not allowed"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"the SVG is not well-formed XML ({error})"
    if root.tag != SVG_NS + "svg":
        return "the file is not an SVG image"
    for element in root.iter():
        name = str(element.tag).rsplit("}", 1)[-1]
        if name in SVG_FORBIDDEN:
            return f"the SVG contains a <{name}> element"
        for attribute, value in element.attrib.items():
            if attribute.rsplit("}", 1)[-1].lower().startswith("on"):
                return f"the SVG has an event handler attribute ({attribute.rsplit('}', 1)[-1]})"
            if attribute in ("href", XLINK_HREF) and not value.strip().startswith("#"):
                return "the SVG refers to another file or address; only references inside the SVG (#id) are allowed"
    return ""


def asset_problem(path: Path, content_dir: Path) -> str:
    """What is wrong with an asset file, or '' when it may be published."""
    if outside(path, content_dir):
        return "it is a link to a file outside the content folder"
    if not path.is_file():
        return "it is not a regular file"
    size = path.stat().st_size
    if size == 0:
        return "the file is empty"
    if size > MAX_ASSET_BYTES:
        return f"the file is larger than {MAX_ASSET_BYTES // 2**20} MB"
    suffix = path.suffix.lower()
    data = path.read_bytes() if suffix == ".svg" else path.read_bytes()[:16]
    if suffix == ".svg":
        return svg_problem(data)
    signatures = SIGNATURES.get(suffix)
    if signatures and not data.startswith(signatures):
        return f"the file is not a {suffix[1:].upper()} image, whatever its name says"
    if suffix == ".webp" and data[8:12] != b"WEBP":
        return "the file is not a WEBP image, whatever its name says"
    return ""

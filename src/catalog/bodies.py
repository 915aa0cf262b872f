"""What is checked in a Markdown body: links and images lead to something publishable and say what they
are, sections are not empty, and the text holds nothing no output can hold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import markdown
from .assets import IMAGE_TYPES, is_hidden
from .content import Document
from .kinds import FORBIDDEN_HINT, forbidden_character
from .paths import content_target
from .problem import Problem, Severity
from .reading import Reading


def body_problems(doc: Document, reading: Reading, content_dir: Path, allow_html: bool) -> Iterator[Problem]:
    """Every problem of one document's body; `reading` holds its links, images and empty sections."""
    if found := forbidden_character(doc.body):
        line, code = found
        message = f"the text contains the control character {code}"
        yield Problem(doc.display, doc.body_line + line, message, FORBIDDEN_HINT)
    if allow_html and (deep := markdown.raw_html_too_deep(doc.body)) is not None:
        yield (
            Problem(
                doc.display,
                doc.body_line + deep,
                f"HTML elements are nested more than {markdown.MAX_HTML_NESTING} deep here",
                "close the elements you open; no page needs them nested this deep",
            )
        )
    for ref in reading.references:
        if not ref.text:
            yield (
                Problem(
                    doc.display,
                    ref.line,
                    "an image has no alt text",
                    "describe the image between the brackets: ![a diagram of ...](...)",
                )
                if ref.is_image
                else Problem(
                    doc.display,
                    ref.line,
                    f"the link to '{ref.url}' has no text",
                    "write what it points at between the brackets: [the research summary](...)",
                    Severity.WARNING,
                )
            )
        if markdown.scheme_of(ref.url) or ref.url.startswith("#"):
            continue
        what = "image" if ref.is_image else "link"
        target = content_target(content_dir, doc.source, ref.url)
        # Hidden files are never published (nor checked): a page or PDF must not use one either.
        if is_hidden(unquote(urlsplit(ref.url).path)):
            yield (
                Problem(
                    doc.display,
                    ref.line,
                    f"the {what} '{ref.url}' points at a hidden file or folder, which is never published",
                    "rename it without the leading '.'",
                )
            )
        elif target is None:
            yield (
                Problem(
                    doc.display,
                    ref.line,
                    f"the {what} '{ref.url}' points at nothing in the content folder",
                    "write the path relative to this file, like ../assets/picture.png or ../credentials/other.md",
                )
            )
        elif ref.is_image and Path(target[0]).suffix.lower() not in IMAGE_TYPES:
            yield (
                Problem(
                    doc.display,
                    ref.line,
                    f"the image '{ref.url}' is not an image",
                    f"show one of: {', '.join(sorted(IMAGE_TYPES))}; link to other files with [text](...)",
                )
            )
    for line, title in reading.empty_sections:
        yield (
            Problem(
                doc.display,
                line,
                f"the section '{title}' is empty",
                "write something under the heading, or remove it",
                Severity.WARNING,
            )
        )

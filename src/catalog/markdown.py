"""The one configured Markdown renderer for author prose.

Author Markdown is untrusted: raw HTML is off, only http, https, mailto and
relative links survive, and relative links are rewritten by the caller's
``link`` function so one body renders correctly in a page and in a PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]")
SECTION_PREFIX = "section-"

# Maps an author's link (as written) to the URL to emit, or None to drop it.
LinkMapper = Callable[[str, bool], str | None]


def scheme_of(url: str) -> str:
    match = SCHEME_RE.match(IGNORED_IN_SCHEME.sub("", url))
    return match.group(1).lower() if match else ""


def is_safe_url(url: str) -> bool:
    return scheme_of(url) in SAFE_SCHEMES | {""}


def _heading_id(title: str) -> str:
    # Prefixed so an author's heading can never take an id the template uses,
    # nor a name the browser exposes on document (such as "forms").
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
    return SECTION_PREFIX + (slug or "untitled")


def _rewrite_links(state: StateCore) -> None:
    mapper: LinkMapper | None = state.env.get("link")
    if mapper is None:
        return
    for token in state.tokens:
        for child in token.children or ():
            attr = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if attr is None:
                continue
            url = str(child.attrGet(attr) or "")
            if scheme_of(url) or url.startswith("#"):
                continue
            mapped = mapper(url, attr == "src")
            if mapped is None:
                del child.attrs[attr]
            else:
                child.attrSet(attr, mapped)


# With `allow_html: true` in site.yml, authors may use this formatting subset of raw HTML; the
# sanitiser keeps it and what Markdown itself produces, and drops everything else (script, style,
# event handlers, forms, frames, and any link scheme but http, https and mailto).
SAFE_HTML_TAGS = {
    "abbr",
    "b",
    "br",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "dl",
    "dt",
    "em",
    "i",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "u",
    "var",
}
MARKDOWN_TAGS = {
    "a",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
SAFE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "ol": {"start"},
    "td": {"style"},
    "th": {"style"},
}


RAW_TAG = re.compile(r"^</?([a-zA-Z][a-zA-Z0-9-]*)")
ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?(/?)>")
# Markdown's own nesting is bounded by the parser (maxNesting); raw HTML is bounded here, so that no
# body can nest elements deep enough to exhaust the PDF renderer's recursion (20,000 <sup>s did).
MAX_HTML_NESTING = 20


def raw_html_too_deep(body: str) -> int | None:
    """The 0-based line where the allowed raw HTML tags nest deeper than MAX_HTML_NESTING, if they do."""
    depth = 0
    for match in ANY_TAG.finditer(body):
        closing, name, self_closing = match.groups()
        if name.lower() not in SAFE_HTML_TAGS or name.lower() == "br" or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > MAX_HTML_NESTING:
            return body.count("\n", 0, match.start())
    return None


def _restrict_raw_html(state: StateCore) -> None:
    """Raw HTML outside the formatting subset is shown as text, before anything renders.

    Links and images must be written in Markdown, where they are checked and rewritten; a raw
    <a> or <img> would bypass both, so it is shown as text like any other tag not allowed.
    """
    for token in state.tokens:
        if token.type == "html_block":
            token.content = sanitise(token.content, SAFE_HTML_TAGS)
        for child in token.children or ():
            if child.type == "html_inline":
                match = RAW_TAG.match(child.content)
                if not match or match.group(1).lower() not in SAFE_HTML_TAGS:
                    child.type = "text"


def sanitise(html: str, tags: set[str] | None = None) -> str:
    import nh3

    return str(
        nh3.clean(
            html,
            tags=tags or SAFE_HTML_TAGS | MARKDOWN_TAGS,
            attributes=SAFE_ATTRIBUTES,
            url_schemes=SAFE_SCHEMES,
            link_rel=None,
            filter_style_properties={"text-align"},
        )
    )


@lru_cache(maxsize=2)
def renderer(allow_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": True})
    md.enable(["table", "strikethrough"])
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    anchors_plugin(md, min_level=2, max_level=3, slug_func=_heading_id)
    md.core.ruler.push("rewrite_links", _rewrite_links)
    if allow_html:
        md.core.ruler.push("restrict_raw_html", _restrict_raw_html)
    return md


@dataclass(frozen=True)
class Reference:
    """A link or image in a body, with the file line it is on and its text (or alt text)."""

    line: int
    url: str
    is_image: bool
    text: str


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str


def render(body: str, link: LinkMapper, allow_html: bool = False) -> str:
    html = str(renderer(allow_html).render(body, {"link": link}))
    return sanitise(html) if allow_html else html


@lru_cache(maxsize=256)
def _tokens(body: str) -> tuple[Token, ...]:
    """One parse of a body for every read-only look at it (links, sections); never rendered."""
    return tuple(renderer().parse(body, {}))


def references(body: str, first_line: int) -> list[Reference]:
    """Every link and image, for validation before anything renders."""
    found = []
    for token in _tokens(body):
        line = first_line + (token.map[0] if token.map else 0)
        open_link: tuple[int, str, list[str]] | None = None
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                open_link = (line, str(child.attrGet("href") or ""), [])
            elif child.type == "link_close" and open_link:
                found.append(Reference(open_link[0], open_link[1], False, "".join(open_link[2]).strip()))
                open_link = None
            elif child.type == "image":
                found.append(Reference(line, str(child.attrGet("src") or ""), True, child.content.strip()))
            elif open_link and child.content:
                open_link[2].append(child.content)
    return found


def empty_sections(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, title) of each ## or ### heading with nothing under it before the next heading of its level."""
    tokens = _tokens(body)
    empty = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h2", "h3") and token.level == 0:
            following = tokens[i + 3] if i + 3 < len(tokens) else None  # past heading_open, inline, heading_close
            if following is None or (following.type == "heading_open" and following.tag <= token.tag):
                line = first_line + (token.map[0] if token.map else 0)
                empty.append((line, tokens[i + 1].content))
    return empty


def sections(body: str) -> list[Section]:
    """The body's ## headings, for the page's table of contents."""
    tokens = _tokens(body)
    return [
        Section(tokens[i + 1].content, str(token.attrGet("id")))
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h2"
    ]

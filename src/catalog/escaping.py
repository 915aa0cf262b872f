"""One escaping rule per place text from the content is shown: the terminal, GitHub annotations,
JSON for tools, JSON inside a page's <script>, and Pagefind's filters.

Content is untrusted, and every output quotes it: file names, YAML values in messages,
titles. A terminal obeys escape sequences (colours, the window title, clearing the
screen, hyperlinks), reorders text around bidi controls (a line can then read other
than it is), and a CI runner obeys `::command::` lines; so each output gets its own
rule, and all output paths go through these functions. In pages, templates autoescape
text and attributes; the two contexts that need more are here too.
"""

from __future__ import annotations

import html
import json
import re

# DEL and the C1 controls (\x9b alone starts a terminal sequence), and the bidi embeddings, overrides
# and isolates (U+202A-202E, U+2066-2069) with the marks, which reorder what is shown around them.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE_ON_A_LINE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_IN_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_BEYOND_C0}]")  # keeps \t and \n
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")  # json.dumps escapes the C0 controls itself
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _shown(match: re.Match[str]) -> str:
    char = match[0]
    return _SHORT.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def terminal(text: str, lines: bool = False) -> str:
    """Text for a terminal: control and bidi characters shown as escapes (\\x1b, \\u202e).

    With `lines`, line breaks and tabs are kept; otherwise the text stays on one line."""
    return (_UNSAFE_IN_LINES if lines else _UNSAFE_ON_A_LINE).sub(_shown, text)


def github_data(text: str) -> str:
    """The message of a workflow command (after `::`): a line break must not start a command of its own."""
    return terminal(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"), lines=True)


def github_property(text: str) -> str:
    """A property value of a workflow command (file=..., title=...), where ':' and ',' also end the value."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def json_text(data: object) -> str:
    """JSON for tools, still readable in a terminal: json.dumps escapes the C0 controls, and the others
    are written as \\u escapes too, which decode to the same string."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


# In JSON strings these escapes mean the same characters; outside strings JSON has none of them.
_SCRIPT_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(text: str) -> str:
    """JSON text made safe to place between <script> and </script>: the HTML parser ends the element at
    the first "</script" (and "<!--" changes how it looks for it) whatever JSON thinks, so no '<', '>'
    or '&' is left."""
    return text.translate(_SCRIPT_JSON)


def pagefind_filter(text: str) -> str:
    """A filter value for Pagefind, to be autoescaped into the page like any text.

    Pagefind's indexer undoes HTML escaping of a filter value twice (once as the page's own escaping,
    once more itself: measured with pagefind 1.x, in attributes and in element text alike), and its
    search interface then inserts the value as HTML. So the value is escaped here once more than the
    page needs; titles, metadata and excerpts are shown as text and need nothing more. The browser
    test test_trust_browser.py proves the result with a real search, so a change in Pagefind shows.
    """
    return html.escape(html.escape(text, quote=True), quote=True)

"""One escaping rule per output context that templates' autoescaping does not cover.

Autoescaping makes author text safe as HTML text and attribute values. Two contexts need more:
JSON placed inside a <script> element, where the HTML parser ends the element at the first
"</script" (or is confused by "<!--") whatever JSON thinks, and the filter values Pagefind reads from
our pages, which its search interface later inserts as HTML.
"""

from __future__ import annotations

import html

# In JSON strings these escapes mean the same characters; outside strings JSON has none of them.
_SCRIPT_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(text: str) -> str:
    """JSON text made safe to place between <script> and </script>: no '<', '>' or '&' is left."""
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

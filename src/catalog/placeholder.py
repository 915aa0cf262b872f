"""The example texts `new` and `init` write where only the author knows what is true.

They are defined here only: scaffold.py writes them, and validation warns at each one still in a
file, so a file that `new` or `init` made and nobody edited passes `check` but fails `check --strict`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .content import Document
from .problem import Problem, Severity

SUMMARY = {
    "credential": "One line saying what the earner shows.",
    "stack": "One line saying what the stack is about.",
    "bundle": "One line saying what the bundle is about.",
}
KEY_METHOD = "What the earner does, in a sentence or two."
PROMPT = "A question the earner answers."
CRITERION = "A criterion reviewers judge"
LEVEL = "What work at this level shows."
SITE_TITLE = "Your catalog's title"
SITE_DESCRIPTION = "One line saying what this catalog offers, and to whom."
ORGANISATION = "Your organisation"
# The first files `init` writes: the credential's and the stack's titles are examples too; the page's
# is a page most catalogs keep.
FIRST_TITLES = {
    "credential": "Your first credential",
    "stack": "Your first stack",
    "page": "How to earn a micro-credential",
}

# Bodies: Markdown whose headings are kept as a suggested outline, and whose sentences are examples.
BODY = {
    "credential": "## Method components\n\nExplain the knowledge behind the key method.\n\n"
    "## Research\n\nSummarise the research that supports the method.\n",
    "stack": "Say who this stack is for and how its credentials build on each other.\n",
    "bundle": "Say who this bundle is for and what its stacks have in common.\n",
    "page": "Say how educators choose a micro-credential, prepare their submission and send it.\n",
}

TEXTS = frozenset(
    [
        *SUMMARY.values(),
        KEY_METHOD,
        PROMPT,
        CRITERION,
        LEVEL,
        SITE_TITLE,
        SITE_DESCRIPTION,
        ORGANISATION,
        FIRST_TITLES["credential"],
        FIRST_TITLES["stack"],
        *(line for body in BODY.values() for line in body.splitlines() if line and not line.startswith("#")),
    ]
)


def placeholder_problems(doc: Document, values: dict[str, Any] | None, lines: dict[str, int]) -> Iterator[Problem]:
    """A warning at each example text still in a file's front matter or body."""
    what = "this catalog" if doc.kind == "site" else f"this {doc.kind}"
    for where, text in _texts(values or {}, ""):
        if text in TEXTS:
            yield Problem(
                doc.display,
                lines.get(where, doc.yaml_line),
                f"'{where}' is still the example text that `new` or `init` wrote",
                f"replace it with what is true of {what}",
                Severity.WARNING,
            )
    for number, line in enumerate(doc.body.splitlines()):
        if line.strip() in TEXTS:
            yield Problem(
                doc.display,
                doc.body_line + number,
                "this line is still the example text that `new` or `init` wrote",
                f"replace it with your own text about {what}",
                Severity.WARNING,
            )


def _texts(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every text in front-matter values, with its path as reading.lines names it."""
    if isinstance(value, str):
        yield where, value.strip()
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(inner, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value, 1):
            yield from _texts(inner, f"{where}[{index}]")

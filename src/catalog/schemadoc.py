"""Write the authoring reference (docs/authoring.md) from the schema itself,
so the documentation cannot drift from what validation accepts.

Run `make docs` (python -m catalog.docs docs) after changing schema.py or values.py;
a test fails when the committed file differs from what this produces.
"""

from __future__ import annotations

from .kinds import Kind, ListOf, Record
from .schema import FILE_SCHEMAS

INTRO = """\
# Authoring reference

This page is generated from `src/catalog/schema.py` by `make docs` (python -m catalog.docs docs);
do not edit it by hand. `python build.py check` enforces every rule below and reports each
problem as `file:line: message (hint)`.

Each content file is Markdown with YAML front matter between two `---` lines. Structured facts
(requirements, scoring guide, limits) go in the front matter; prose goes in the body under `##`
headings (for example `## Method components` and `## Research`), which become sections of the
page and the PDF and entries of its table of contents.

Values are read as written: text stays text (`version: 1.10` is the text 1.10, `title: yes` is the
word yes). Yes/no fields take only `true` or `false`. Dates are `YYYY-MM-DD` and must exist.
Duplicate keys, YAML anchors and aliases, and `!` tags are errors.

Links and images in a body are written relative to the Markdown file, as on GitHub:
`[the next credential](other-credential.md)`, `![a diagram of the cycle](../assets/cycle.png)`.
They are checked, and rewritten for the web pages and the PDFs. Every image needs alt text.
Raw HTML in Markdown is shown as text, and only `http`, `https`, `mailto` and relative links are kept.

`python build.py new credential|stack|bundle|page "Title"` writes a new file with every required field
filled in and every optional field shown as a commented example; `python build.py init DIR` starts a
whole new catalog. The example texts they write (such as "One line saying what the earner shows.")
are reported by `check` as warnings at their lines, and fail `check --strict`, until they are replaced.
"""


def _kind_cell(kind: Kind) -> str:
    return kind.describe().replace("|", "\\|")


def record_section(path: str, record: Record, nested: list[tuple[str, Record, bool]]) -> list[str]:
    lines = ["| field | required | value | meaning |", "|---|---|---|---|"]
    for spec in record.fields:
        kind = spec.kind
        is_list = isinstance(kind, ListOf)
        inner = kind.item if isinstance(kind, ListOf) else kind
        if isinstance(inner, Record):
            name = f"{path}.{spec.name}" if path else spec.name
            nested.append((name, inner, is_list))
            value = f"{'a list of mappings' if is_list else 'a mapping'}, see `{name}`"
        else:
            value = _kind_cell(kind)
        required = ("yes, but a draft may leave it out" if spec.draft_may_omit else "yes") if spec.required else "no"
        lines.append(f"| `{spec.name}` | {required} | {value} | {spec.doc} |")
    return [*lines, ""]


def reference() -> str:
    out = [INTRO]
    for filename, record in FILE_SCHEMAS.items():
        out += [f"## `{filename}`", ""]
        pending: list[tuple[str, Record, bool]] = []
        out += record_section("", record, pending)
        while pending:
            name, nested, is_list = pending.pop(0)
            out += [f"### `{name}`" + (" (each item)" if is_list else ""), ""]
            out += record_section(name, nested, pending)
    return "\n".join(out).rstrip() + "\n"

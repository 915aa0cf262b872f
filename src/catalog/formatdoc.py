"""docs/formats.md: where each front-matter field goes in every format, generated from the formats' Shapes.

FORMATS is the one registry of Shapes: every output the build writes and every source `import` reads declares
a Shape for each kind of file it describes, and is added here with one line. The tests hold every registered
Shape to the schema (a field it neither carries nor excuses fails them), and this page shows them all.
"""

from __future__ import annotations

from . import opendata, spreadsheet
from .badgefields import IMPORT_SHAPES
from .kinds import Record
from .schema import FILE_SCHEMAS
from .shapes import Shape

FORMATS: tuple[Shape, ...] = (*opendata.SHAPES, *IMPORT_SHAPES, spreadsheet.SHAPE)


def record_name(path: str) -> str:
    """The name a Shape gives a kind of file: 'credentials/<slug>.md' is credential, 'site.yml' is site."""
    return path.split("/")[0].removesuffix(".yml").removesuffix("s")


FILES: dict[str, str] = {record_name(path): path for path in FILE_SCHEMAS}  # record name -> its file
RECORDS: dict[str, Record] = {record_name(path): record for path, record in FILE_SCHEMAS.items()}

INTRO = """\
# Formats: where each field goes

This page is generated from the Shape tables in the code (`catalog.formatdoc.FORMATS`) by `make docs`;
do not edit it by hand.

Each table has a row for every front-matter field of one kind of file (see [authoring.md](authoring.md)) and a
column for every format that describes it: a file the build publishes, or a source `import` reads (a column
named `import: ...`). A cell is where the field is in that format: its keys joined by `.`, `[]` for every item
of a list. A dash means the format has no place for the field, and its note says why. A test holds every
format to its table, so a field added to the schema fails it until each format carries the field or says why
not. The properties `catalog.json` adds (slugs, paths, memberships, a part's levels) are described in its
schema, [catalog.schema.json](catalog.schema.json).

To add a front-matter field: declare it in `src/catalog/schema.py`; give it its place, or the reason it has
none, in each format's Shape; when catalog.json writes it otherwise than the front matter reads it, say how in
the Output beside its writer in `src/catalog/catalogdata.py`; then run `make docs`. A new format declares its
Shapes and adds them to `FORMATS` in `src/catalog/formatdoc.py`, one line each.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def reference() -> str:
    out = [INTRO]
    notes: list[str] = []  # every note once, numbered in order of first use
    for name, record in RECORDS.items():
        shapes = [s for s in FORMATS if s.record == name]
        if not shapes:
            continue
        first_note = len(notes)
        out += [f"## `{FILES[name]}`", ""]
        out += ["| field | " + " | ".join(_cell(s.format) for s in shapes) + " |"]
        out += ["|---" * (len(shapes) + 1) + "|"]
        for spec in record.fields:
            cells = []
            for shape in shapes:
                if spec.name in shape.carried:
                    cells.append(f"`{_cell(shape.carried[spec.name])}`")
                elif spec.name in shape.not_carried:
                    note = f"{shape.format}: {shape.not_carried[spec.name]}"
                    if note not in notes:
                        notes.append(note)
                    cells.append(f"—[^{notes.index(note) + 1}]")
                else:
                    cells.append("**not declared**")  # a test fails on it; the page still shows where
            out.append(f"| `{spec.name}` | " + " | ".join(cells) + " |")
        out.append("")
        if notes[first_note:]:
            out += [f"[^{number}]: {note}" for number, note in enumerate(notes[first_note:], first_note + 1)]
            out.append("")
    return "\n".join(out).rstrip() + "\n"

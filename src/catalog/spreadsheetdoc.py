"""Write the spreadsheet column reference (docs/spreadsheet.md) from the columns the reader walks from
the schema, so the documentation cannot drift from what the import accepts.

Run `make docs` (python -m catalog.docs docs) after changing schema.py or values.py;
a test fails when the committed file differs from what this produces.
"""

from __future__ import annotations

import csv

from .kinds import ListOf
from .spreadsheet import (
    ITEM_NUMBER,
    LIST_SEPARATOR,
    MAX_COLUMNS,
    MAX_ITEMS,
    MAX_ROWS,
    MAX_SPREADSHEET_BYTES,
    Column,
    columns,
    left_out,
)

INTRO = f"""\
# Spreadsheet columns

This page is generated from `src/catalog/schema.py` by `make docs` (python -m catalog.docs docs);
do not edit it by hand. The columns are the fields of a credential file ([authoring.md](authoring.md)),
so anything a credential can say in a cell has a column here.

`python build.py import catalog.csv` reads a spreadsheet saved as CSV: **one row per credential**,
the **first row names the columns**, in any order, and only the columns you use.
[examples/catalog.csv](examples/catalog.csv) is a small example.

## The file

- Save it as CSV as your spreadsheet program does: "CSV UTF-8 (Comma delimited)" in Excel, "Text CSV"
  with the character set "Unicode (UTF-8)" in LibreOffice. UTF-8 with or without a byte-order mark,
  Windows (CRLF) or Unix (LF) line ends. A file in another encoding (old Excel versions save Windows-1252),
  a workbook (.xlsx, .ods, .xls) or a file that is not CSV is refused with a message saying so.
- Cells are separated by commas, semicolons or tabs: the first row tells which (it holds only column
  names, so a comma in a title cannot mislead it). A cell holding the separator, a quote or a line break
  is in double quotes, with a quote inside doubled: `"The ""best"" one"`. Spreadsheet programs do this.
- Every row has a cell for each column, empty or not: a row with fewer cells, or with a value beyond
  the last named column (often a comma in a cell that is not quoted), is an error. Empty rows are skipped.
- Rows are numbered as your spreadsheet program numbers them, the first row (the column names) being
  row 1; a message names the file's line too, as `catalog.csv:4: row 3: ...`.
- At most {MAX_SPREADSHEET_BYTES // 2**20} MB, {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns; a cell holds at most
  {csv.field_size_limit():,} characters.

## Cells

- An **empty cell** is a field not given. Spaces around a value are ignored.
- **Text** is kept as written: `1.10` stays 1.10 and `yes` stays the word yes.
- **Numbers** are written with a point: `12.50`, `0.5`. In a semicolon-separated file (the locales
  whose decimal separator is a comma save CSV that way) `12,50` is read as 12.50 too; in a
  comma-separated file a comma in a number is an error, as `1,250` could be either 1.25 or 1250.
  No thousands separators. Whole numbers are digits only.
- **Dates** are `YYYY-MM-DD`, such as `2024-05-01`. A date in a local order (`01/05/2024`,
  `1.5.2024`) is refused, as its day and month may be either way round: format the column's cells
  as `YYYY-MM-DD` before saving.
- **Yes or no** is `true` or `false` (`TRUE` and `FALSE`, as Excel writes them, too).
- A **list** of short values (tags, audience, slugs) is one cell, the items separated by
  `{LIST_SEPARATOR}`: `assessment | feedback`. An item cannot hold `{LIST_SEPARATOR}` itself.
- A **list of records** (credits, resources, alignments) takes numbered columns, one set per item:
  `credits.1.kind`, `credits.1.amount`, `credits.2.kind`... The items are numbered from 1 to {MAX_ITEMS};
  an item whose cells are all empty in a row is left out, so the numbers need not follow each other.
- A **record** (fee, review) takes a column per field, named with a dot: `fee.amount`, `fee.currency`.
  A row that fills in any of a record's cells must fill in its required ones.
- Each row needs a `title` (the new file's name is made from it) and an identifier: its `source.id`
  when that cell is filled in, else its `code`. Importing the file again updates the
  credential made from the row with that identifier, so no two rows may share one.

## What a spreadsheet cannot hold

A credential's requirement parts, each with its scoring guide, and its own scoring scales do not fit
in cells, so they have no column: {{omitted}}. A credential imported from a spreadsheet is a **draft**
until an author adds its requirements (and any other required field its row left empty) in the
credential's file; `check --strict` lists what is missing.

## The columns

"Required" means needed before the credential can be published (a row without it makes a draft); in a
record or a numbered item, needed when any of its other cells is filled in. `{ITEM_NUMBER}` stands for
an item's number.

| column | required | value | meaning |
|---|---|---|---|
"""


def _value(column: Column) -> str:
    kind = column.kind
    if isinstance(kind, ListOf):
        text = f"{kind.item.describe()}; several separated by {LIST_SEPARATOR}"
    else:
        text = kind.describe()
    return text.replace("|", "\\|")


def _required(column: Column) -> str:
    if column.name == "title":
        return "every row"
    return "yes" if column.required else "no"


def reference() -> str:
    omitted = ", ".join(f"`{name}`" for name, _ in left_out())
    rows = [f"| `{column.name}` | {_required(column)} | {_value(column)} | {column.doc} |" for column in columns()]
    return INTRO.replace("{omitted}", omitted) + "\n".join(rows) + "\n"

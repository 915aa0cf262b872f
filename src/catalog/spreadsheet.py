"""Read a spreadsheet saved as CSV into Imported records: one credential per row, the first row naming
the columns.

The columns are not a list of their own: they are walked from schema.CREDENTIAL, so a field added
there is a column at once, and each cell is read by its field's kind, the code validation uses, so a
value the import accepts is one `check` accepts. docs/spreadsheet.md is generated from the same walk
(spreadsheetdoc.py).
"""

from __future__ import annotations

import _csv  # the type of csv.reader(): its line_num locates a row
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import schema
from .content import Unreadable, read_regular
from .imported import Imported, ImportedImage, Origin
from .kinds import YAML_TAG, Amount, Date, Either, Field, Kind, ListOf, MapOf, Reader, Record, did_you_mean
from .problem import Problem
from .shapes import Shape

# A catalog of a thousand credentials with long texts is a few megabytes; this bounds the work.
MAX_SPREADSHEET_BYTES = 10 * 2**20
SEPARATORS = (",", ";", "\t")
# Items of a list in one cell. Not ',' or ';' (they separate cells, and are common in text) and not a
# line break (a cell's line breaks are hard to see and to type): '|' is rare in the words of a catalog.
LIST_SEPARATOR = "|"
ITEM_NUMBER = "N"  # stands for an item's number in a column's name: credits.N.kind is credits.1.kind, ...
MAX_ITEMS = 50  # items of one list: a credential with more credits or alignments is hard to read anyway
# With the size limit, these bound the cells read (each through its kind, a few microseconds) to seconds.
MAX_ROWS = 10_000
MAX_COLUMNS = 1_000
REFERENCE = "docs/spreadsheet.md"
SAVE_AS_UTF8 = (
    'save it again as "CSV UTF-8 (Comma delimited)" in Excel, or as "Text CSV" with the character set '
    '"Unicode (UTF-8)" in LibreOffice'
)
# What spreadsheet programs write for a date cell in the user's locale: 01/05/2024 is 1 May or 5 January.
LOCAL_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


@dataclass(frozen=True)
class Column:
    """A column a spreadsheet may have, as the schema defines it."""

    name: str  # as in a header, with N for an item's number: 'fee.amount', 'credits.N.kind'
    kind: Kind  # a single value's kind, or a ListOf one (its items in one cell)
    required: bool  # required in its record: a row's record that has any cell must have this one
    doc: str


def _single(kind: Kind) -> bool:
    return not isinstance(kind, (ListOf, Record, MapOf, Either))


def fits(kind: Kind) -> bool:
    """Whether a field of this kind can be written in cells: a single value, a list of them in one cell,
    a record of such fields, or a numbered list of such records; a record whose required fields cannot
    (a requirement part needs criteria, each with a mapping of levels) is left to the content file."""
    if isinstance(kind, ListOf):
        return _single(kind.item) or (isinstance(kind.item, Record) and fits(kind.item))
    if isinstance(kind, Record):
        return all(fits(spec.kind) for spec in kind.fields if spec.required)
    if isinstance(kind, Either):  # a cell holds its single form: an issuer's name, not the record
        return _single(kind.single)
    return _single(kind)


def columns(record: Record | None = None, prefix: str = "") -> list[Column]:
    """Every column, in the schema's order. schema.CREDENTIAL is looked up at each call, never copied."""
    columns_: list[Column] = []
    for spec in (record or schema.CREDENTIAL).fields:
        kind, name = spec.kind, prefix + spec.name
        if not fits(kind):
            continue
        if isinstance(kind, Record):
            columns_ += columns(kind, f"{name}.")
        elif isinstance(kind, ListOf) and isinstance(kind.item, Record):
            columns_ += columns(kind.item, f"{name}.{ITEM_NUMBER}.")
        else:
            single = kind.single if isinstance(kind, Either) else kind
            columns_.append(Column(name, single, spec.required, spec.doc))
    return columns_


def left_out(record: Record | None = None, prefix: str = "") -> list[tuple[str, Field]]:
    """The fields no column can hold (requirements, scales), by their dotted names: the author adds them."""
    found: list[tuple[str, Field]] = []
    for spec in (record or schema.CREDENTIAL).fields:
        kind, name = spec.kind, prefix + spec.name
        if not fits(kind):
            found.append((name, spec))
        elif isinstance(kind, Record):
            found += left_out(kind, f"{name}.")
        elif isinstance(kind, ListOf) and isinstance(kind.item, Record):
            found += left_out(kind.item, f"{name}.{ITEM_NUMBER}.")
    return found


# Why a field of a credential has no column; one left out without a reason here fails the shape tests.
NO_COLUMN = {
    "requirements": "a part's criteria describe every level of its scale, more than a row's cells can hold; the "
    "author adds them, and the file stays a draft until then",
    "scales": "a scale is a named list of levels, which one cell cannot name; the author adds it to the file",
}
SHAPE = Shape(
    "import: spreadsheet",
    "credential",
    # each field's first column (reversed, so that the first one is kept), as the reference lists them
    carried={column.name.split(".")[0]: column.name for column in reversed(columns())},
    not_carried={name: NO_COLUMN.get(name, "") for name, _ in left_out() if "." not in name},
)


def _template(name: str) -> str:
    return ".".join(ITEM_NUMBER if part.isdigit() else part for part in name.split("."))


def _numbered_like(template: str, name: str) -> str:
    """A column template with the item numbers of the header cell `name` (1 where it has none)."""
    numbers = [part for part in name.split(".") if part.isdigit()]
    return ".".join((numbers.pop(0) if numbers else "1") if p == ITEM_NUMBER else p for p in template.split("."))


@dataclass(frozen=True)
class _Cell:
    """A header cell naming a known column."""

    index: int
    name: str  # as written: 'credits.2.kind'
    column: Column


@dataclass
class _Sheet:
    display: str
    separator: str
    known: dict[str, Column]  # by name as columns() gives them, 'credits.N.kind'
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.display, line, message, hint))


def read_spreadsheet(path: Path, display: str) -> tuple[list[Imported], list[Problem]]:
    """The credentials of a CSV file, one per row, and the located problems of its rows and cells."""
    try:
        data = read_regular(path, MAX_SPREADSHEET_BYTES, "split it into several files")
    except Unreadable as error:
        return [], [Problem(display, 0, error.message, error.hint)]
    text = _text(data, display)
    if isinstance(text, Problem):
        return [], [text]
    header_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    if not header_line.strip():
        return [], [
            Problem(
                display, 1, "the first row is empty", f"it names the columns, such as title,summary,code ({REFERENCE})"
            )
        ]
    known = {column.name: column for column in columns()}
    separator = max(SEPARATORS, key=lambda sep: _count_known(header_line, sep, known))
    sheet = _Sheet(display, separator, known)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        header = _header(next(rows), sheet)
    except csv.Error as error:
        _broken_csv(sheet, 1, 1, rows.line_num, str(error))
        return [], sheet.problems
    if header is None:
        return [], sheet.problems
    records = _records(rows, header, sheet)
    if not records and not sheet.problems:
        sheet.error(1, "the file has no row of credentials", "each row after the first is one credential")
    return records, sheet.problems


def _records(rows: _csv.Reader, header: list[_Cell], sheet: _Sheet) -> list[Imported]:
    """The credentials of the rows after the header; a row with a problem is reported and left out."""
    width = max(cell.index for cell in header) + 1
    records: list[Imported] = []
    seen: dict[str, int] = {}
    number = 1
    while True:
        number += 1
        start = rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            _broken_csv(sheet, number, start, rows.line_num, str(error))
            break
        if number > MAX_ROWS + 1:
            sheet.error(start, f"row {number}: the file has more than {MAX_ROWS:,} credentials", "split it")
            break
        cells = [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in row]
        if not any(cell.strip() for cell in cells):
            continue
        record = _row(cells, header, width, number, start, sheet)
        if record is None:
            continue
        if record.source_id in seen:
            sheet.error(
                start,
                f"row {number}: the identifier '{record.source_id}' is also row {seen[record.source_id]}'s",
                "each row needs its own source.id, or else code: a new import finds a row's file by it",
            )
            continue
        seen[record.source_id] = number
        records.append(record)
    return records


def _text(data: bytes, display: str) -> str | Problem:
    """The file's text, or why it is not a CSV file in UTF-8."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return Problem(display, 0, "the file is a spreadsheet workbook (.xlsx, .ods or .xls), not CSV", SAVE_AS_UTF8)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(display, 1, 'the file is in UTF-16 (Excel\'s "Unicode Text"), not UTF-8', SAVE_AS_UTF8)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return Problem(display, line, "the file holds binary data (a NUL byte): it is not a CSV file", SAVE_AS_UTF8)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Problem(
            display,
            line,
            f"the file is not in UTF-8: byte 0x{data[error.start]:02X} is not a character there "
            "(old versions of Excel save CSV in Windows-1252)",
            SAVE_AS_UTF8,
        )


def _count_known(line: str, separator: str, known: dict[str, Column]) -> int:
    """How many of the header's cells name a column when split at `separator`: only data rows hold
    text with commas, so the header alone tells the separator."""
    try:
        cells = next(csv.reader([line], delimiter=separator))
    except (csv.Error, StopIteration):
        return 0
    return sum(_template(cell.strip()) in known for cell in cells)


def _header(cells: list[str], sheet: _Sheet) -> list[_Cell] | None:
    """The header's known columns, or None after reporting why the rows cannot be read."""
    known = sheet.known
    names = [cell.strip() for cell in cells]
    while names and not names[-1]:
        names.pop()  # spreadsheet programs may write empty cells after the last column
    if not any(_template(name) in known for name in names):
        sheet.error(
            1,
            "the first row names no column of a credential, so this is not a CSV file of credentials",
            f"the first row names the columns, such as title,summary,code; {REFERENCE} lists them all",
        )
        return None
    if len(names) > MAX_COLUMNS:
        sheet.error(
            1, f"the first row names {len(names):,} columns, more than {MAX_COLUMNS:,}", f"{REFERENCE} lists them"
        )
        return None
    cannot_hold = {name for name, _ in left_out()}
    header: list[_Cell] = []
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        where = f"column {index + 1}"
        template = _template(name)
        if not name:
            sheet.error(1, f"{where} has no name in the first row", "name it, or delete the column")
        elif name in first:
            sheet.error(1, f"{where} is '{name}' again (column {first[name]} is too)", "keep one of them")
        elif template.split(".")[0] in cannot_hold:
            sheet.error(
                1,
                f"{where} is '{name}', which a spreadsheet cannot hold",
                f"add it in the credential's file after the import; {REFERENCE} says why",
            )
        elif template not in known:
            hint = did_you_mean(name, [_numbered_like(column, name) for column in known]) or f"{REFERENCE} lists them"
            sheet.error(1, f"{where} is '{name}', which is not a column", hint)
        elif not all(_item_number(part) for part in name.split(".") if part.isdigit()):
            sheet.error(
                1,
                f"{where} is '{name}': items are numbered from 1 to {MAX_ITEMS}",
                f"for example {_numbered_like(template, '')}",
            )
        else:
            header.append(_Cell(index, name, known[template]))
        first.setdefault(name, index + 1)
    if "title" not in first:
        sheet.error(
            1, "the first row has no 'title' column", "every credential needs a title: its file's name is made from it"
        )
    return None if sheet.problems else header


def _item_number(part: str) -> bool:
    return bool(re.fullmatch(r"[1-9][0-9]{0,2}", part)) and int(part) <= MAX_ITEMS


def _broken_csv(sheet: _Sheet, number: int, start: int, line: int, error: str) -> None:
    """Report what Python's csv module found wrong; the rows after it cannot be told apart."""
    if "field larger than field limit" in error:
        sheet.error(
            line,
            f"row {number}: a cell is longer than {csv.field_size_limit():,} characters",
            "shorten it: a long text belongs in the body of the credential's file",
        )
        return
    if "end of data" in error:
        sheet.error(
            start, f"row {number}: a quoted cell that starts in this row is never closed", "add the closing '\"'"
        )
        return
    sheet.error(
        line,
        f"row {number}: a cell's quotes are not as spreadsheet programs write them ({error})",
        'a cell in quotes ends at its closing quote; a quote inside it is doubled: "the ""best"" one"',
    )


def _row(cells: list[str], header: list[_Cell], width: int, number: int, start: int, sheet: _Sheet) -> Imported | None:
    """The credential of one row, or None after reporting what is wrong with it."""
    lines = [start]  # the line each cell starts on: a quoted cell may hold line breaks
    for text in cells:
        lines.append(lines[-1] + text.count("\n"))
    if len(cells) < width:
        sheet.error(
            start,
            f"row {number} has {len(cells)} cells, but the first row names {width} columns",
            "a separator is missing, or the row was cut short: every row has a cell for each column, empty or not",
        )
        return None
    extra = next((index for index in range(width, len(cells)) if cells[index].strip()), None)
    if extra is not None:
        shown = "a tab" if sheet.separator == "\t" else f"'{sheet.separator}'"
        sheet.error(
            lines[extra],
            f"row {number} has a value in column {extra + 1}, but the first row names {width} columns",
            f"a cell that holds {shown} must be in double quotes, or the column needs a name in the first row",
        )
        return None
    before = len(sheet.problems)
    values: dict[str, Any] = {}
    filled: set[str] = set()
    for cell in header:
        raw = cells[cell.index]
        if not raw.strip():
            continue  # an empty cell is a field not given
        filled.add(cell.name)
        value = _value(cell, raw, lines[cell.index], number, sheet)
        if value is not None:
            _place(values, cell.name.split("."), value)
    _check_records(filled, {cell.name for cell in header}, number, start, sheet)
    if "title" not in filled:
        sheet.error(
            start, f"row {number}: 'title' is empty", "every row needs a title: its file's name is made from it"
        )
    if len(sheet.problems) > before:
        return None
    fields = _lists(values)
    # The contract carries the source record as source_id, source_url and a remote image's address.
    source = fields.pop("source", {})
    source_id = str(source.get("id") or fields.get("code") or "")
    if not source_id:
        sheet.error(
            start,
            f"row {number} has no {'source.id or ' if 'source.id' in sheet.known else ''}code",
            "fill in 'code': a new import of this file finds the row's credential by it",
        )
        return None
    return Imported(
        origin=Origin(sheet.display, f"row {number}", start),
        title=fields["title"],
        source_id=source_id,
        source_url=str(source.get("url", "")),
        fields=fields,
        image=ImportedImage(url=source["image"]) if "image" in source else None,
    )


def _value(cell: _Cell, raw: str, line: int, number: int, sheet: _Sheet) -> Any:
    """A cell's value read by its column's kind, or None after reporting the problem."""
    text = raw.strip()
    line += raw[: len(raw) - len(raw.lstrip())].count("\n")
    kind = cell.column.kind
    node: yaml.Node
    if isinstance(kind, ListOf):
        items = text.split(LIST_SEPARATOR)
        if not all(item.strip() for item in items):
            sheet.error(
                line,
                f"row {number}: '{cell.name}' has an empty item",
                f"separate the items with '{LIST_SEPARATOR}', with a value between each two",
            )
            return None
        nodes, offset = [], 0
        for item in items:
            nodes.append(_node(item.strip(), line + offset + item[: len(item) - len(item.lstrip())].count("\n")))
            offset += item.count("\n")
        node = yaml.SequenceNode(YAML_TAG + "seq", nodes, start_mark=_mark(line))
    else:
        if (
            isinstance(kind, Amount)
            and sheet.separator == ";"
            and re.fullmatch(f"[0-9]+,[0-9]{{1,{kind.places}}}", text)
        ):
            text = text.replace(",", ".")  # the decimal comma of the locales that separate cells with ';'
        if isinstance(kind, Date) and LOCAL_DATE.fullmatch(text):
            sheet.error(
                line,
                f"row {number}: '{cell.name}' is '{text}', a date in a local order: its day and month may be "
                "either way round",
                "write it as YYYY-MM-DD, for example 2024-05-01: format the column's cells as that date format "
                "before saving the CSV",
            )
            return None
        node = _node(text, line)
    reader = Reader(sheet.display, 0)
    value = kind.read(node, reader, cell.name)
    sheet.problems += [
        Problem(p.path, p.line, f"row {number}: {p.message}", p.hint, p.severity) for p in reader.problems
    ]
    return value


def _mark(line: int) -> yaml.Mark:
    return yaml.Mark("", 0, line - 1, 0, "", 0)


def _node(text: str, line: int) -> yaml.ScalarNode:
    """A cell as the YAML node a kind reads: always text, as a quoted YAML value is."""
    return yaml.ScalarNode(YAML_TAG + "str", text, start_mark=_mark(line), style='"')


def _check_records(filled: set[str], named: set[str], number: int, start: int, sheet: _Sheet) -> None:
    """A record with any cell filled in (fee.note, credits.2.url) needs its required fields too."""
    for prefix in sorted({name.rsplit(".", 1)[0] + "." for name in filled if "." in name}):
        template = _template(prefix[:-1]) + "."
        for column in sheet.known.values():
            rest = column.name.removeprefix(template)
            needed = prefix + rest
            if column.required and rest != column.name and "." not in rest and needed not in filled:
                given = min(name for name in filled if name.startswith(prefix))
                sheet.error(
                    start,
                    f"row {number}: '{given}' is filled in, but '{needed}' is empty",
                    f"{'fill in' if needed in named else 'add the column'} '{needed}' ({column.doc.rstrip('.')}), "
                    f"or empty the row's other '{prefix}' cells",
                )


def _place(values: dict[Any, Any], path: list[str], value: Any) -> None:
    """Put a cell's value where its dotted name says; an item's number is an int key until _lists."""
    keys: list[Any] = [int(part) if part.isdigit() else part for part in path]
    for key in keys[:-1]:
        values = values.setdefault(key, {})
    values[keys[-1]] = value


def _lists(values: dict[Any, Any]) -> dict[str, Any]:
    """Numbered items as lists in the order of their numbers (a gap in the numbers is no item)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict) and value and all(isinstance(k, int) for k in value):
            out[key] = [_lists(value[k]) for k in sorted(value)]
        elif isinstance(value, dict):
            out[key] = _lists(value)
        else:
            out[key] = value
    return out

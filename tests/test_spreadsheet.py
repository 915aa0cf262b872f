"""The spreadsheet reader: CSV files as Excel and LibreOffice save them become Imported records, and
every malformed file, row or cell ends in a located problem, never a traceback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from catalog import schema, spreadsheet, values
from catalog.imported import Imported, ImportedImage, Origin
from catalog.kinds import Field, Record, Text
from catalog.problem import Problem
from catalog.spreadsheet import read_spreadsheet
from catalog.spreadsheetdoc import reference

ROOT = Path(__file__).resolve().parents[1]
BOM = b"\xef\xbb\xbf"


def read(tmp_path: Path, data: bytes) -> tuple[list[Imported], list[str]]:
    """Read bytes written as a file exactly as given; the problems as the terminal shows them."""
    path = tmp_path / "catalog.csv"
    path.write_bytes(data)
    records, problems = read_spreadsheet(path, "catalog.csv")
    return records, [problem.format_text() for problem in sorted(problems)]


def crlf(*lines: str) -> bytes:
    """Lines as Excel and LibreOffice end them on Windows, in UTF-8."""
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def problems_of(tmp_path: Path, data: bytes) -> list[str]:
    records, problems = read(tmp_path, data)
    assert not records
    return problems


# Files as spreadsheet programs save them


def test_libreoffice_semicolon_file_with_bom_crlf_quoted_newlines_and_doubled_quotes(tmp_path: Path) -> None:
    data = BOM + crlf(
        "title;summary;code;version;published;hours;fee.amount;fee.currency;tags;key_method;"
        "graduate_credit.offered;credits.1.kind;credits.1.amount;language",
        'Evaluación “auténtica”;"El docente diseña una tarea; la prueba con su grupo.";EVA-1;1.10;2024-05-01;'
        '7,5;12,50;EUR;evaluación | diseño;"El docente escribe ""la tarea"".\r\nLuego la aplica.";TRUE;'
        "ceu;0,5;es",
    )
    records, problems = read(tmp_path, data)
    assert problems == []
    assert records == [
        Imported(
            origin=Origin("catalog.csv", "row 2", 2),
            title="Evaluación “auténtica”",
            source_id="EVA-1",
            fields={
                "title": "Evaluación “auténtica”",
                "summary": "El docente diseña una tarea; la prueba con su grupo.",
                "code": "EVA-1",
                "version": "1.10",
                "published": dt.date(2024, 5, 1),
                "hours": Decimal("7.5"),
                "fee": {"amount": Decimal("12.50"), "currency": "EUR"},
                "tags": ["evaluación", "diseño"],
                "key_method": 'El docente escribe "la tarea".\nLuego la aplica.',
                "graduate_credit": {"offered": True},
                "credits": [{"kind": "ceu", "amount": Decimal("0.5")}],
                "language": "es",
            },
        )
    ]


def test_excel_comma_file_a_title_with_commas_does_not_fool_the_separator(tmp_path: Path) -> None:
    data = crlf(
        "title,code,summary",
        '"Feedback, Revision, and Growth; a Stack",FRG-1,"One line, with commas; and a semicolon."',
    )
    records, problems = read(tmp_path, data)
    assert problems == []
    assert [(r.title, r.source_id, r.fields["summary"]) for r in records] == [
        ("Feedback, Revision, and Growth; a Stack", "FRG-1", "One line, with commas; and a semicolon.")
    ]


def test_lf_file_without_bom_and_a_tab_separated_file_read_alike(tmp_path: Path) -> None:
    comma, _ = read(tmp_path, b"title,code,hours\nA task,T-1,3\n")
    tab, _ = read(tmp_path, b"title\tcode\thours\nA task\tT-1\t3\n")
    assert comma == tab
    assert comma[0].fields == {"title": "A task", "code": "T-1", "hours": Decimal("3")}


def test_text_stays_text_and_amounts_are_exact_decimals(tmp_path: Path) -> None:
    records, problems = read(tmp_path, crlf("title,version,code,hours,fee.amount", "yes,1.10,007,12.50,0"))
    assert problems == []
    fields = records[0].fields
    assert fields == {"title": "yes", "version": "1.10", "code": "007", "hours": Decimal("12.50"), "fee": {"amount": 0}}
    assert str(fields["hours"]) == "12.50" and isinstance(fields["fee"]["amount"], Decimal)


def test_empty_cells_are_absent_fields_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    data = crlf("title,code,hours,fee.amount,fee.note,tags", ",,,,,", "A task,T-1,,,,", "", " , ,,,,", "Two,T-2,,,,")
    records, problems = read(tmp_path, data)
    assert problems == []
    assert [(r.origin, r.fields) for r in records] == [
        (Origin("catalog.csv", "row 3", 3), {"title": "A task", "code": "T-1"}),
        (Origin("catalog.csv", "row 6", 6), {"title": "Two", "code": "T-2"}),
    ]


def test_numbered_columns_become_lists_in_number_order_whatever_the_column_order(tmp_path: Path) -> None:
    data = crlf(
        "title,code,credits.3.kind,credits.3.amount,credits.1.kind,credits.1.amount,credits.2.kind,credits.2.amount,"
        "alignments.1.name,alignments.1.url",
        "A task,T-1,salary,10,graduate,3,,,Domain II,https://example.org/ii",
    )
    records, problems = read(tmp_path, data)
    assert problems == []
    assert records[0].fields["credits"] == [
        {"kind": "graduate", "amount": Decimal("3")},
        {"kind": "salary", "amount": Decimal("10")},
    ]
    assert records[0].fields["alignments"] == [{"name": "Domain II", "url": "https://example.org/ii"}]


def test_rows_are_numbered_as_the_spreadsheet_shows_them_and_located_at_their_first_line(tmp_path: Path) -> None:
    data = crlf("title,code,key_method", 'One,C-1,"Three\r\nline\r\ncell"', "", "Two,C-2,short")
    records, _ = read(tmp_path, data)
    assert [r.origin for r in records] == [Origin("catalog.csv", "row 2", 2), Origin("catalog.csv", "row 4", 6)]


# The identifier that finds a row's credential again


def with_source() -> Record:
    """The credential schema with a `source` record, as the import adds it (once schema.py has it, as is)."""
    if any(spec.name == "source" for spec in schema.CREDENTIAL.fields):
        return schema.CREDENTIAL
    source = Record(
        fields=(
            Field("id", Text(one_line=True), True, "Its id."),
            Field("url", values.URL, False, "Where it is."),
            Field("image", values.URL, False, "Its image on the web."),
        )
    )
    return Record(fields=(*schema.CREDENTIAL.fields, Field("source", source, False, "Where it came from.")))


def test_code_identifies_a_row_and_two_rows_may_not_share_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "CREDENTIAL", with_source())
    records, problems = read(tmp_path, crlf("title,code", "One,C-1", "Two,C-1", "Three,"))
    assert [r.source_id for r in records] == ["C-1"]
    assert problems == [
        "catalog.csv:3: row 3: the identifier 'C-1' is also row 2's (each row needs its own source.id, or else "
        "code: a new import finds a row's file by it)",
        "catalog.csv:4: row 4 has no source.id or code (fill in 'code': a new import of this file finds the row's "
        "credential by it)",
    ]


def test_a_source_record_in_the_schema_becomes_columns_and_identifies_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "CREDENTIAL", with_source())
    assert {"source.id", "source.url", "source.image"} <= {column.name for column in spreadsheet.columns()}
    data = crlf(
        "title,code,source.id,source.url,source.image",
        "One,C-1,badge-41,https://example.org/b/41,https://example.org/b/41.png",
        "Two,C-2,,,",
        "Three,,,https://example.org/b/3,",
    )
    records, problems = read(tmp_path, data)
    assert [(r.source_id, r.source_url, r.image, "source" in r.fields) for r in records] == [
        ("badge-41", "https://example.org/b/41", ImportedImage(url="https://example.org/b/41.png"), False),
        ("C-2", "", None, False),
    ]
    id_doc = next(column.doc for column in spreadsheet.columns() if column.name == "source.id").rstrip(".")
    assert problems == [
        f"catalog.csv:4: row 4: 'source.url' is filled in, but 'source.id' is empty (fill in 'source.id' ({id_doc}), "
        "or empty the row's other 'source.' cells)"
    ]


# Located errors: columns


def test_unknown_columns_are_located_with_did_you_mean(tmp_path: Path) -> None:
    data = crlf("Title,code,credits.2.knd,fee.amout,colour", "A,B,C,D,E")
    assert problems_of(tmp_path, data) == [
        "catalog.csv:1: column 1 is 'Title', which is not a column (did you mean 'title'?)",
        "catalog.csv:1: column 3 is 'credits.2.knd', which is not a column (did you mean 'credits.2.kind'?)",
        "catalog.csv:1: column 4 is 'fee.amout', which is not a column (did you mean 'fee.amount'?)",
        "catalog.csv:1: column 5 is 'colour', which is not a column (docs/spreadsheet.md lists them)",
        "catalog.csv:1: the first row has no 'title' column (every credential needs a title: its file's name is "
        "made from it)",
    ]


def test_duplicate_unnamed_and_misnumbered_columns_are_located(tmp_path: Path) -> None:
    data = crlf("title,code,,code,credits.0.kind,credits.51.kind", "A,B,,,,")
    assert problems_of(tmp_path, data) == [
        "catalog.csv:1: column 3 has no name in the first row (name it, or delete the column)",
        "catalog.csv:1: column 4 is 'code' again (column 2 is too) (keep one of them)",
        "catalog.csv:1: column 5 is 'credits.0.kind': items are numbered from 1 to 50 (for example credits.1.kind)",
        "catalog.csv:1: column 6 is 'credits.51.kind': items are numbered from 1 to 50 (for example credits.1.kind)",
    ]


def test_requirements_and_scales_have_no_column(tmp_path: Path) -> None:
    assert [name for name, _ in spreadsheet.left_out()] == ["scales", "requirements"]
    assert problems_of(tmp_path, crlf("title,code,requirements,scales.passing", "A,B,C,D")) == [
        "catalog.csv:1: column 3 is 'requirements', which a spreadsheet cannot hold (add it in the credential's "
        "file after the import; docs/spreadsheet.md says why)",
        "catalog.csv:1: column 4 is 'scales.passing', which a spreadsheet cannot hold (add it in the credential's "
        "file after the import; docs/spreadsheet.md says why)",
    ]


# Located errors: cells


def test_a_bad_cell_names_file_line_row_and_column(tmp_path: Path) -> None:
    data = crlf("title,code,key_method,hours", 'One,C-1,"two\r\nlines",3', "Two,C-2,,12h")
    records, problems = read(tmp_path, data)
    assert [r.source_id for r in records] == ["C-1"]
    assert problems == [
        "catalog.csv:4: row 3: 'hours' should be a positive number, not '12h' (write digits with at most 2 after "
        "a point, for example 0.5 or 125.00)"
    ]


def test_cells_are_checked_as_validation_checks_them(tmp_path: Path) -> None:
    data = crlf(
        "title,code,published,graduate_credit.offered,fee.currency,requires,credits.1.kind,credits.1.amount,apply_url",
        "One,C-1,2024-02-30,yes,EUD,Not A Slug,grad,3,example.org",
    )
    assert problems_of(tmp_path, data) == [
        "catalog.csv:2: row 2: 'apply_url' should be a web address starting with https:// or http://, not "
        "'example.org' (for example https://example.org/page)",
        "catalog.csv:2: row 2: 'credits.1.kind' is 'grad', which is not one of graduate, recertification, ceu, "
        "salary, other (did you mean 'graduate'?)",
        "catalog.csv:2: row 2: 'fee.currency' is filled in, but 'fee.amount' is empty (add the column 'fee.amount' "
        "(The price; 0 means free), or empty the row's other 'fee.' cells)",
        "catalog.csv:2: row 2: 'fee.currency': 'EUD' is not an ISO 4217 currency code (three capital letters, for "
        "example USD, EUR or CAD)",
        "catalog.csv:2: row 2: 'graduate_credit.offered' should be true or false, not 'yes' (write true or false; "
        "words like yes, no, on and off are ambiguous in YAML)",
        "catalog.csv:2: row 2: 'published' is 2024-02-30, a date that does not exist (check the day and the month)",
        "catalog.csv:2: row 2: 'requires[1]' should be a slug (lower-case letters, digits and single hyphens), not "
        "'Not A Slug' (a slug is the file name without .md, for example building-a-learning-community)",
    ]


def test_dates_in_a_local_order_are_refused_as_ambiguous(tmp_path: Path) -> None:
    assert problems_of(tmp_path, crlf("title;code;published", "One;C-1;01/05/2024")) == [
        "catalog.csv:2: row 2: 'published' is '01/05/2024', a date in a local order: its day and month may be "
        "either way round (write it as YYYY-MM-DD, for example 2024-05-01: format the column's cells as that date "
        "format before saving the CSV)"
    ]


def test_a_decimal_comma_is_read_only_in_semicolon_files(tmp_path: Path) -> None:
    records, _ = read(tmp_path, crlf("title;code;hours", "One;C-1;12,5"))
    assert records[0].fields["hours"] == Decimal("12.5")
    assert problems_of(tmp_path, crlf("title,code,hours", 'One,C-1,"1,250"')) == [
        "catalog.csv:2: row 2: 'hours' should be a positive number, not '1,250' (write digits with at most 2 after "
        "a point, for example 0.5 or 125.00)"
    ]
    assert problems_of(tmp_path, crlf("title;code;hours", "One;C-1;1.234,50")) == [
        "catalog.csv:2: row 2: 'hours' should be a positive number, not '1.234,50' (write digits with at most 2 "
        "after a point, for example 0.5 or 125.00)"
    ]


def test_one_line_fields_empty_list_items_and_control_characters_are_located_at_their_line(tmp_path: Path) -> None:
    data = crlf("title,code,tags,key_method", '"Two\r\nlines",C-1,a || b,"fine\r\nthen a bell \x07 here"')
    assert problems_of(tmp_path, data) == [
        "catalog.csv:2: row 2: 'title' should be one line (shorten it, or move detail into the body)",
        "catalog.csv:3: row 2: 'tags' has an empty item (separate the items with '|', with a value between each two)",
        "catalog.csv:4: row 2: 'key_method' contains the control character U+0007 (delete it: it is invisible, "
        "often pasted from another program, and pages, feeds and PDFs cannot hold it)",
    ]


def test_a_record_with_any_cell_needs_its_required_cells(tmp_path: Path) -> None:
    data = crlf("title,code,fee.currency,credits.2.amount,credits.2.kind,credits.3.unit", "One,C-1,EUR,3,,hours")
    assert problems_of(tmp_path, data) == [
        "catalog.csv:2: row 2: 'credits.2.amount' is filled in, but 'credits.2.kind' is empty (fill in "
        "'credits.2.kind' (graduate (credit hours), recertification (units toward a licence), ceu "
        "(continuing-education units), salary (salary-advancement hours) or other), or empty the row's other "
        "'credits.2.' cells)",
        "catalog.csv:2: row 2: 'credits.3.unit' is filled in, but 'credits.3.amount' is empty (add the column "
        "'credits.3.amount' (How much credit, for example 3 or 0.5), or empty the row's other 'credits.3.' cells)",
        "catalog.csv:2: row 2: 'credits.3.unit' is filled in, but 'credits.3.kind' is empty (add the column "
        "'credits.3.kind' (graduate (credit hours), recertification (units toward a licence), ceu "
        "(continuing-education units), salary (salary-advancement hours) or other), or empty the row's other "
        "'credits.3.' cells)",
        "catalog.csv:2: row 2: 'fee.currency' is filled in, but 'fee.amount' is empty (add the column 'fee.amount' "
        "(The price; 0 means free), or empty the row's other 'fee.' cells)",
    ]


def test_a_row_without_a_title_is_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path, crlf("title,code", " ,C-1")) == [
        "catalog.csv:2: row 2: 'title' is empty (every row needs a title: its file's name is made from it)"
    ]


# Located errors: rows and quotes


def test_short_and_long_rows_are_located(tmp_path: Path) -> None:
    data = crlf("title,code,hours", "One,C-1", "Two, a title with a comma,C-2,3", "Three,C-3,3,,")
    records, problems = read(tmp_path, data)
    assert [r.source_id for r in records] == ["C-3"]  # empty cells after the last column are no value
    assert problems == [
        "catalog.csv:2: row 2 has 2 cells, but the first row names 3 columns (a separator is missing, or the row "
        "was cut short: every row has a cell for each column, empty or not)",
        "catalog.csv:3: row 3 has a value in column 4, but the first row names 3 columns (a cell that holds ',' "
        "must be in double quotes, or the column needs a name in the first row)",
    ]


def test_an_unclosed_or_misplaced_quote_is_located(tmp_path: Path) -> None:
    records, problems = read(tmp_path, crlf("title,code", "One,C-1", '"Two,C-2', "Three,C-3"))
    assert [r.source_id for r in records] == ["C-1"]  # the rows before it; the import writes nothing anyway
    assert problems == [
        "catalog.csv:3: row 3: a quoted cell that starts in this row is never closed (add the closing '\"')"
    ]
    records, problems = read(tmp_path, crlf("title,code", "One,C-1", '"Two" and more,C-2'))
    assert [r.source_id for r in records] == ["C-1"]
    assert problems_of(tmp_path, b'"title,code\nOne,C-1\n') == [
        "catalog.csv:1: row 1: a quoted cell that starts in this row is never closed (add the closing '\"')"
    ]
    assert problems == [
        "catalog.csv:3: row 3: a cell's quotes are not as spreadsheet programs write them (',' expected after "
        '\'"\') (a cell in quotes ends at its closing quote; a quote inside it is doubled: "the ""best"" one")'
    ]


# Located errors: files that are not CSV in UTF-8

SAVE_AS = (
    '(save it again as "CSV UTF-8 (Comma delimited)" in Excel, or as "Text CSV" with the character set '
    '"Unicode (UTF-8)" in LibreOffice)'
)


def test_a_windows_1252_file_from_old_excel_asks_for_csv_utf8(tmp_path: Path) -> None:
    data = "title;code\r\nOne;C-1\r\nEvaluación “auténtica”;C-2\r\n".encode("cp1252")
    assert problems_of(tmp_path, data) == [
        "catalog.csv:3: the file is not in UTF-8: byte 0xF3 is not a character there (old versions of Excel save "
        f"CSV in Windows-1252) {SAVE_AS}"
    ]


def test_workbooks_utf16_and_binary_files_are_not_csv(tmp_path: Path) -> None:
    assert problems_of(tmp_path, b"PK\x03\x04\x14\x00\x06\x00") == [
        f"catalog.csv: the file is a spreadsheet workbook (.xlsx, .ods or .xls), not CSV {SAVE_AS}"
    ]
    assert problems_of(tmp_path, "title\tcode\r\n".encode("utf-16")) == [
        f'catalog.csv:1: the file is in UTF-16 (Excel\'s "Unicode Text"), not UTF-8 {SAVE_AS}'
    ]
    assert problems_of(tmp_path, b"title,code\nA,\x00B\n") == [
        f"catalog.csv:2: the file holds binary data (a NUL byte): it is not a CSV file {SAVE_AS}"
    ]


def test_a_file_that_is_not_a_csv_of_credentials_says_so(tmp_path: Path) -> None:
    not_csv = "catalog.csv:1: the first row names no column of a credential, so this is not a CSV file of credentials"
    hint = " (the first row names the columns, such as title,summary,code; docs/spreadsheet.md lists them all)"
    assert problems_of(tmp_path, b'{"type": "BadgeClass", "name": "One"}\n') == [not_csv + hint]
    assert problems_of(tmp_path, crlf("title,code", ",", "")) == [
        "catalog.csv:1: the file has no row of credentials (each row after the first is one credential)"
    ]
    assert problems_of(tmp_path, b"") == [
        "catalog.csv:1: the first row is empty (it names the columns, such as title,summary,code (docs/spreadsheet.md))"
    ]


def test_rows_columns_and_cells_beyond_the_limits_are_refused(tmp_path: Path) -> None:
    rows = [f"Title {n},C-{n}" for n in range(spreadsheet.MAX_ROWS + 1)]
    records, problems = read(tmp_path, crlf("title,code", *rows))
    assert len(records) == spreadsheet.MAX_ROWS
    assert problems == ["catalog.csv:10002: row 10002: the file has more than 10,000 credentials (split it)"]
    assert problems_of(tmp_path, crlf("title," + ",".join(["tags"] * 1000), "A")) == [
        "catalog.csv:1: the first row names 1,001 columns, more than 1,000 (docs/spreadsheet.md lists them)"
    ]
    long_cell = "x" * 200_000
    records, problems = read(tmp_path, crlf("title,code,key_method", "One,C-1,short", f'Two,C-2,"{long_cell}"'))
    assert [r.source_id for r in records] == ["C-1"]
    assert problems == [
        "catalog.csv:3: row 3: a cell is longer than 131,072 characters (shorten it: a long text belongs in the "
        "body of the credential's file)"
    ]


def test_size_limit_and_links_are_refused_as_for_content_files(tmp_path: Path) -> None:
    big = b"title,code\n" + b"A title,C-1\n" * (spreadsheet.MAX_SPREADSHEET_BYTES // 12 + 1)
    assert problems_of(tmp_path, big) == ["catalog.csv: the file is larger than 10 MB (split it into several files)"]
    (tmp_path / "real.csv").write_bytes(b"title,code\nA,B\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    records, problems = read_spreadsheet(tmp_path / "link.csv", "link.csv")
    assert records == []
    assert problems == [
        Problem(
            "link.csv",
            0,
            "the file is a link; content files and folders must be real ones, as a link can lead anywhere",
            "replace the link with the file or folder itself",
        )
    ]


# The column reference and its example


def test_the_committed_column_reference_is_what_the_generator_writes() -> None:
    committed = (ROOT / "docs/spreadsheet.md").read_text(encoding="utf-8")
    assert committed == reference(), "docs/spreadsheet.md is stale: run `make docs`"


def test_the_column_reference_names_every_column_and_what_has_none() -> None:
    text = reference()
    for column in spreadsheet.columns():
        assert f"| `{column.name}` |" in text
    assert "no column: `scales`, `requirements`" in text
    assert "| `credits.N.kind` | yes | one of graduate, recertification, ceu, salary, other |" in text
    assert "| `tags` | no | one line of text; several separated by \\| |" in text


def test_the_example_file_reads_without_problems() -> None:
    records, problems = read_spreadsheet(ROOT / "docs/examples/catalog.csv", "docs/examples/catalog.csv")
    assert problems == []
    assert [(r.title, r.source_id) for r in records] == [
        ("Feedback, Revision and Growth", "FRG-1"),
        ("Evaluación del aprendizaje", "EVA-2"),
    ]
    assert records[0].fields["key_method"].count("\n") == 1

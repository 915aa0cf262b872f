"""One place for the shapes: catalog.json's published schema is generated from schema.py's Records and the
Outputs catalogdata declares, docs/formats.md from the formats' Shapes, and every format registered once in
formatdoc.FORMATS is held to the schema."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import json
import pkgutil
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_shapes_data import FILES

import catalog
from catalog import catalogdata, docs, formatdoc, schema, values
from catalog.achievement import SHAPE as ACHIEVEMENT
from catalog.cli import main
from catalog.dataschema import Output, json_pattern, kind_schema, output_schema
from catalog.kinds import (
    Amount,
    Boolean,
    Choice,
    Date,
    Either,
    Field,
    ListOf,
    MapOf,
    Pattern,
    PositiveInt,
    Record,
    Text,
)
from catalog.shapes import Shape

from conftest import ROOT, write_files

# --- The generated references are what their generators write -----------------------------------------------


@pytest.mark.parametrize("name", sorted(docs.GENERATED))
def test_each_generated_reference_in_docs_is_what_its_generator_writes(name: str) -> None:
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == docs.GENERATED[name](), f"docs/{name} is stale: run `make docs`"


def test_make_docs_writes_every_generated_reference(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "catalog.docs", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert (run.returncode, run.stderr) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(docs.GENERATED)
    for name, text in docs.GENERATED.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text()
    usage = subprocess.run([sys.executable, "-m", "catalog.docs"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and usage.stderr.startswith("usage: python -m catalog.docs FOLDER")
    assert "\ndocs: $(STAMP)\n\t$(PY) -m catalog.docs docs\n" in (ROOT / "Makefile").read_text()


# --- catalog.json's schema follows schema.py ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Text(), {"type": "string", "minLength": 1}),
        (Text(one_line=True), {"type": "string", "minLength": 1, "pattern": "^[^\\n]*$"}),
        (Amount(maximum=1_000), {"type": "number", "exclusiveMinimum": 0, "maximum": 1_000}),
        (Amount(maximum=50, zero_allowed=True), {"type": "number", "minimum": 0, "maximum": 50}),
        (PositiveInt(maximum=600), {"type": "integer", "minimum": 1, "maximum": 600}),
        (Date(), {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
        (Boolean(), {"type": "boolean"}),
        (Choice(choices=("active", "draft")), {"enum": ["active", "draft"]}),
        (values.URL, {"type": "string", "pattern": '^(?:https?://[^\\s<>"]+)$'}),
        (Pattern(regex=r"(?P<year>\d{4})"), {"type": "string"}),  # a named group: JSON Schema cannot say it
        (ListOf(item=values.SLUG, min_items=1), {"type": "array", "items": kind_schema(values.SLUG), "minItems": 1}),
        (
            MapOf(value=Text()),
            {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string", "minLength": 1}},
        ),
        (
            Either(single=PositiveInt(maximum=9), mapping=Record(fields=(Field("max", PositiveInt(maximum=9), True),))),
            {
                "oneOf": [
                    {"type": "integer", "minimum": 1, "maximum": 9},
                    {
                        "type": "object",
                        "required": ["max"],
                        "additionalProperties": False,
                        "properties": {"max": {"type": "integer", "minimum": 1, "maximum": 9, "description": ""}},
                    },
                ]
            },
        ),
    ],
)
def test_each_kind_becomes_its_json_schema_fragment(kind: Any, expected: dict[str, Any]) -> None:
    assert kind_schema(kind) == expected


def test_a_pattern_is_published_only_where_json_schema_reads_it_as_python_does() -> None:
    assert json_pattern(r"[A-Z]{3}") == "^(?:[A-Z]{3})$"
    assert json_pattern(r"a\.b\-c") == r"^(?:a\.b\-c)$"
    for python_only in (r"\Aabc", r"(?i)abc", r"(?P<n>a)\1", r"a\Z"):
        assert json_pattern(python_only) is None, python_only


# A field no one else adds (they add source, ctid...), so the test stays true when they do.
ADDED = Field(
    "imported_from",
    Record(
        fields=(
            Field("id", Text(one_line=True), True, "The source's own identifier."),
            Field("url", values.URL, False, "Where the source was read."),
        )
    ),
    False,
    "Where an imported credential came from.",
)
ISSUER = Field(
    "issuer",
    Either(single=Text(one_line=True), mapping=Record(fields=(Field("name", Text(), True, "Its name."),))),
    False,
    "Who awards it: a name, or a record.",
)


def with_fields(record: Record, *added: Field) -> Record:
    """The record with fields added, or put in the place of those of the same name."""
    names = {f.name for f in added}
    return Record(fields=(*(f for f in record.fields if f.name not in names), *added))


def credential_schema(record: Record) -> dict[str, Any]:
    return output_schema(dataclasses.replace(catalogdata.CREDENTIAL_DATA, record=record))


def test_a_field_added_to_the_credential_schema_is_in_catalog_json_schema_with_no_other_edit() -> None:
    published = credential_schema(schema.CREDENTIAL)
    assert "imported_from" not in published["properties"]
    extended = credential_schema(with_fields(schema.CREDENTIAL, ADDED))
    assert extended["properties"]["imported_from"] == {
        "anyOf": [
            {
                "type": "object",
                "required": ["id", "url"],
                "additionalProperties": False,
                "properties": {
                    "id": {
                        "type": "string",
                        "minLength": 1,
                        "pattern": "^[^\\n]*$",
                        "description": "The source's own identifier.",
                    },
                    "url": {
                        "anyOf": [kind_schema(values.URL), {"const": ""}],
                        "description": "Where the source was read.",
                    },
                },
            },
            {"type": "null"},
        ],
        "description": "Where an imported credential came from.",
    }
    assert "imported_from" in extended["required"]  # so a writer that forgets to write it fails the schema test
    # A field that becomes a name or a record is published as either.
    issuer = credential_schema(with_fields(schema.CREDENTIAL, ISSUER))["properties"]["issuer"]
    assert [option["type"] for option in issuer["oneOf"]] == ["string", "object"]
    assert issuer["description"] == catalogdata.CREDENTIAL_DATA.notes["issuer"]


def test_an_output_declaring_a_field_its_record_lacks_fails_at_once() -> None:
    with pytest.raises(ValueError, match=r"Output declares fields its record does not have: \['currancy'\]"):
        Output(values.FEE, null=("currancy",))
    with pytest.raises(ValueError, match=r"Output adds properties its record already has: \['note'\]"):
        Output(values.FEE, added={"note": {"type": "string"}})


def objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every object schema inside a schema."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield node
        for value in node.values():
            yield from objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from objects(value)


def test_the_published_schema_is_closed_and_requires_every_property() -> None:
    published = json.loads((ROOT / "docs/catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(published)
    found = list(objects(published))
    assert len(found) >= 15
    for node in found:
        assert node["additionalProperties"] is False
        assert sorted(node["required"]) == sorted(node["properties"])
    credential = published["properties"]["credentials"]["items"]["properties"]
    # Every front-matter field it does not leave out, described by its doc, and what it adds.
    left_out = set(catalogdata.CREDENTIAL_DATA.left_out)
    assert "scales" in left_out  # each part lists its scale's levels
    assert set(credential) == {f.name for f in schema.CREDENTIAL.fields} - left_out | {
        "slug",
        "stack",
        "memberships",
        "page",
        "pdf",
        "achievement",
    }
    assert credential["review"]["description"] == next(f.doc for f in schema.CREDENTIAL.fields if f.name == "review")
    assert published["properties"]["format"] == {
        "const": catalogdata.CATALOG_FORMAT,
        "description": "The version of this format.",
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The catalog.json of a catalog that sets every field, built through the command line."""
    root = tmp_path_factory.mktemp("formats")
    content = write_files(root / "content", FILES)
    assert main(["build", "--content", str(content), "--out", str(root / "dist"), "--no-pdf", "-q"]) == 0
    data: dict[str, Any] = json.loads((root / "dist/catalog.json").read_text(encoding="utf-8"))
    return data


def shaped(data: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in data["credentials"] if c["slug"] == "restorative-practices")


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "an unknown property": lambda d: shaped(d).update(colour="#000000"),
    "a missing property": lambda d: shaped(d).pop("code"),
    "a date that does not exist": lambda d: shaped(d).update(published="2024-02-30"),
    "a date in another form": lambda d: shaped(d).update(updated="01/02/2025"),
    "a negative amount": lambda d: shaped(d).update(hours=-1),
    "more than the most allowed": lambda d: shaped(d)["review"].update(days=100_000),
    "a slug with spaces": lambda d: shaped(d).update(requires=["Circles Basics"]),
    "a status that is no choice": lambda d: shaped(d).update(status="published"),
    "a currency in lower case": lambda d: shaped(d)["fee"].update(currency="usd"),
    "an empty title": lambda d: shaped(d).update(title=""),
    "a title of two lines": lambda d: shaped(d).update(title="Two\nlines"),
    "an address that is not one": lambda d: shaped(d)["alignments"][0].update(url="standards.example.org"),
    "a part without criteria": lambda d: shaped(d)["requirements"][0].update(criteria=[]),
    "a scale of one level": lambda d: shaped(d)["requirements"][0].update(levels=["Only"]),
    "null where the writer always writes a value": lambda d: shaped(d).update(licence=None),
}


@pytest.mark.parametrize("mistake", sorted(MUTATIONS))
def test_the_published_schema_refuses_what_the_front_matter_rules_out(written: dict[str, Any], mistake: str) -> None:
    published = json.loads((ROOT / "docs/catalog.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(published, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(written)) == []
    broken = copy.deepcopy(written)
    MUTATIONS[mistake](broken)
    assert list(validator.iter_errors(broken)) != [], mistake


# --- docs/formats.md and the one registry of formats --------------------------------------------------------


def tables(text: str) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
    """Each section's columns and its rows: field -> cells."""
    found: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line.removeprefix("## ").strip("`")
        elif line.startswith("| field |"):
            found[section] = ([c.strip() for c in line.strip("|").split(" | ")[1:]], {})
        elif line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            found[section][1][cells[0].strip("`")] = cells[1:]
    return found


def test_formats_md_has_a_row_for_every_schema_field_and_a_column_for_every_format() -> None:
    found = tables(formatdoc.reference())
    recorded = {s.record for s in formatdoc.FORMATS}
    assert set(found) == {formatdoc.FILES[name] for name in recorded}
    assert {"credentials/<slug>.md", "stacks/<slug>.md", "bundles/<slug>.md"} <= set(found)
    for name in recorded:
        columns, rows = found[formatdoc.FILES[name]]
        assert columns == [s.format for s in formatdoc.FORMATS if s.record == name]
        assert list(rows) == [f.name for f in formatdoc.RECORDS[name].fields]
        assert not [cells for cells in rows.values() if "**not declared**" in cells]
    columns, credential = found["credentials/<slug>.md"]
    code = dict(zip(columns, credential["code"], strict=True))
    assert (code["catalog.json"], code["achievement.json"], code["JSON-LD"]) == (
        "`code`",
        "`humanCode`",
        "`identifier`",
    )
    # A field a format leaves out is a dash with a note that says why.
    note = re.fullmatch(r"—\[\^(\d+)\]", dict(zip(columns, credential["published"], strict=True))["achievement.json"])
    assert note is not None
    assert f"[^{note[1]}]: achievement.json: {ACHIEVEMENT.not_carried['published']}" in formatdoc.reference()


def test_a_format_registered_with_one_line_gets_its_column_and_its_gaps_show(monkeypatch: pytest.MonkeyPatch) -> None:
    fields = [f.name for f in schema.CREDENTIAL.fields]
    importer = Shape(
        "import: example",
        "credential",
        carried={"title": "name", "summary": "description"},
        not_carried={name: "the example source has no place for it" for name in fields[3:]},
    )
    monkeypatch.setattr(formatdoc, "FORMATS", (*formatdoc.FORMATS, importer))
    columns, rows = tables(formatdoc.reference())["credentials/<slug>.md"]
    assert columns[-1] == "import: example"
    assert rows["title"][-1] == "`name`"
    assert rows[fields[2]][-1] == "**not declared**"  # the field it forgot, shown where it is missing
    assert rows[fields[3]][-1].startswith("—[^")


def shapes_in_the_code() -> list[tuple[str, Shape]]:
    found = []
    for module in pkgutil.iter_modules(catalog.__path__):
        loaded = importlib.import_module(f"catalog.{module.name}")
        found += [(f"{module.name}.{name}", v) for name, v in vars(loaded).items() if isinstance(v, Shape)]
    return found


def test_every_shape_declared_in_the_code_is_registered_in_formats() -> None:
    declared = shapes_in_the_code()
    assert len(declared) >= 5
    assert [name for name, shape in declared if shape not in formatdoc.FORMATS] == []
    assert len(set(map(id, formatdoc.FORMATS))) == len(formatdoc.FORMATS)


def test_catalog_json_leaves_out_only_what_its_shapes_carry_elsewhere() -> None:
    for output, shape in (
        (catalogdata.CREDENTIAL_DATA, catalogdata.CREDENTIAL_SHAPE),
        (catalogdata.STACK_DATA, catalogdata.STACK_SHAPE),
        (catalogdata.BUNDLE_DATA, catalogdata.BUNDLE_SHAPE),
    ):
        assert set(shape.not_carried) <= set(output.left_out), shape.record
        # A field carried under its own name is written under it.
        own = {name for name, path in shape.carried.items() if path.split(".")[0].removesuffix("[]") == name}
        assert not own & set(output.left_out), shape.record

"""The JSON Schema of an output written from the front matter (catalog.json), derived from schema.py's Records.

A front-matter field is written as its kind reads it (kind_schema), under its own name and with its doc as the
description, so a field added to schema.py is in the published schema with no edit here. What the writer does
otherwise is declared beside it, as an Output: fields it writes in another shape, fields it leaves out, what a
field the author left out becomes, and the properties it adds. Every property an Output writes is always
present, so every one is required; none is allowed that it does not declare.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .kinds import (
    DATE_RE,
    Amount,
    Boolean,
    Choice,
    Date,
    Either,
    Kind,
    ListOf,
    MapOf,
    Pattern,
    PositiveInt,
    Record,
    Text,
)

JsonSchema = dict[str, Any]  # draft 2020-12
# The kinds an author's left-out value may be written as blank text ("") instead of null.
TEXT_KINDS = (Text, Pattern, Choice)
# Escapes that mean the same in Python's re and in ECMA-262, the regular expressions JSON Schema names.
SHARED_ESCAPES = frozenset("dDsSwWbB\\^$.|?*+()[]{}/-")


def json_pattern(regex: str) -> str | None:
    """A Python pattern, matched whole, as a JSON Schema pattern (ECMA-262, which searches), or None when it uses
    what ECMA-262 lacks or reads otherwise (named groups, inline flags, \\A)."""
    if re.search(r"\(\?(?![:=!])", regex):
        return None
    if any(c not in SHARED_ESCAPES and (c.isalnum() or c.isspace()) for c in re.findall(r"\\(.)", regex)):
        return None
    # An escaped character that is not special (\" in a raw string) is an error in ECMA-262's unicode mode.
    plain = re.sub(r"\\([^\w\s])", lambda m: m[0] if m[1] in SHARED_ESCAPES else m[1], regex)
    return f"^(?:{plain})$"


def kind_schema(kind: Kind, record: Callable[[Record], JsonSchema] | None = None) -> JsonSchema:
    """The values a kind reads, as JSON Schema; ``record`` writes the records inside it (by default as an Output
    that declares nothing)."""
    match kind:
        case Text(one_line=one_line):
            # Read text is stripped and never empty; one line holds no line break.
            return {"type": "string", "minLength": 1} | ({"pattern": "^[^\\n]*$"} if one_line else {})
        case Choice(choices=choices):
            return {"enum": list(choices)}
        case Pattern(regex=regex):
            # The pattern when JSON Schema can say it; a Pattern's check (a currency list, SPDX ids) it cannot.
            pattern = json_pattern(regex)
            return {"type": "string"} | ({"pattern": pattern} if pattern else {})
        case PositiveInt(maximum=maximum, zero_allowed=zero):
            return {"type": "integer", "minimum": 0 if zero else 1, "maximum": maximum}
        case Amount(maximum=maximum, zero_allowed=zero):
            # A JSON number with the value written (shapes.json_number): 125.00 is 125, 0.5 is 0.5.
            return {"type": "number", **({"minimum": 0} if zero else {"exclusiveMinimum": 0}), "maximum": maximum}
        case Boolean():
            return {"type": "boolean"}
        case Date():
            # JSON has no dates: the ISO 8601 text every output writes (date.isoformat()).
            return {"type": "string", "format": "date", "pattern": DATE_RE.pattern}
        case ListOf(item=item, min_items=least):
            return {"type": "array", "items": kind_schema(item, record)} | ({"minItems": least} if least else {})
        case MapOf(value=value, min_items=least):
            return {"type": "object", "minProperties": least, "additionalProperties": kind_schema(value, record)}
        case Either(single=single, mapping=mapping):
            return {"oneOf": [kind_schema(single, record), kind_schema(mapping, record)]}
        case Record():
            return record(kind) if record else output_schema(Output(kind))
    raise TypeError(f"no JSON Schema for the kind {type(kind).__name__}: add it to dataschema.kind_schema")


def field_kind(record: Record, name: str) -> Kind:
    return next(f.kind for f in record.fields if f.name == name)


def nullable(schema: JsonSchema) -> JsonSchema:
    return {"anyOf": [schema, {"type": "null"}]}


@dataclass(frozen=True)
class Output:
    """How a writer writes the values of one Record."""

    record: Record
    # What an optional text field the author left out is written as: "" or None (null). Any other optional
    # field left out is null, a list is empty; `defaulted` and `null` say otherwise.
    blank: str | None = ""
    null: tuple[str, ...] = ()  # fields that may be null whatever their kind (a value the writer may not know)
    defaulted: tuple[str, ...] = ()  # optional fields written with their default when left out: never empty
    left_out: tuple[str, ...] = ()  # fields not written here (a format's Shape says where they went)
    reshaped: Mapping[str, JsonSchema] = field(default_factory=dict)  # fields written in another shape
    notes: Mapping[str, str] = field(default_factory=dict)  # field -> what it means here, when not its doc
    nested: Mapping[str, Output] = field(default_factory=dict)  # field -> how the records it holds are written
    added: Mapping[str, JsonSchema] = field(default_factory=dict)  # properties the writer adds, with descriptions

    def __post_init__(self) -> None:
        # A declaration about a field the record does not have is stale: fail at import, not in a reader's hands.
        names = {f.name for f in self.record.fields}
        declared = {*self.null, *self.defaulted, *self.left_out, *self.reshaped, *self.notes, *self.nested}
        if unknown := declared - names:
            raise ValueError(f"Output declares fields its record does not have: {sorted(unknown)}")
        if clash := names & self.added.keys():
            raise ValueError(f"Output adds properties its record already has: {sorted(clash)}")


def output_schema(output: Output) -> JsonSchema:
    """The JSON Schema of one value written by ``output``: an object with exactly the properties it writes."""
    properties: dict[str, JsonSchema] = dict(output.added)  # first: a slug or a number names the value
    for spec in output.record.fields:
        if spec.name in output.left_out:
            continue
        if spec.name in output.reshaped:
            value = output.reshaped[spec.name]
        else:
            value = kind_schema(spec.kind, _records(output.nested.get(spec.name)))
            if spec.name in output.null:
                value = nullable(value)
            elif not spec.required and spec.name not in output.defaulted and not isinstance(spec.kind, ListOf):
                value = _left_out(value, spec.kind, output.blank)
        properties[spec.name] = {**value, "description": output.notes.get(spec.name, spec.doc)}
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


def _records(nested: Output | None) -> Callable[[Record], JsonSchema]:
    """Writes a record inside a field: as its declared Output, or as an Output that declares nothing."""

    def schema(record: Record) -> JsonSchema:
        return output_schema(nested if nested is not None and nested.record is record else Output(record))

    return schema


def _left_out(value: JsonSchema, kind: Kind, blank: str | None) -> JsonSchema:
    if isinstance(kind, TEXT_KINDS) and blank is not None:
        return {"anyOf": [value, {"const": blank}]}
    return nullable(value)


def document(root: Output, address: str, title: str, description: str) -> JsonSchema:
    """A whole published schema, at ``address``, whose document is one value of ``root``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": address,
        "title": title,
        "description": description,
        **output_schema(root),
    }

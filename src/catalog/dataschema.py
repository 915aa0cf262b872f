"""The JSON Schema of an output written from the front matter (catalog.json), derived from schema.py's Records.

A front-matter field is written as its kind reads it (kinds.Kind.json_schema), under its own name and with its
doc as the description, so a field added to schema.py is in the published schema with no edit here. What the
writer does otherwise is declared beside it, as an Output: fields it writes in another shape, fields it leaves
out, what a field the author left out becomes, and the properties it adds. Every property an Output writes is
always present, so every one is required; none is allowed that it does not declare.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .kinds import Choice, JsonSchema, Kind, ListOf, Pattern, Record, Text

# The kinds an author's left-out value may be written as blank text ("") instead of null.
TEXT_KINDS = (Text, Pattern, Choice)


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
    left_out: tuple[str, ...] = ()  # fields not written here (the format's Shape says where they went)
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
            value = spec.kind.json_schema(_records(output.nested.get(spec.name)))
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

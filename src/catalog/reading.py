"""What one document says: its front matter read against the schema, and the links and
sections of its body. A reading depends on nothing but the document's text, so it is
remembered between builds, by text, in the build cache: a save re-reads one file, not
the whole catalog (reading 1,000 credentials takes about 0.6 s, most of it here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from . import __version__, forked, markdown
from .cache import Held, file_signature
from .content import Document, compose, first_alias
from .kinds import Reader, Record
from .markdown import Reference
from .placeholder import placeholder_problems
from .problem import Problem, Severity
from .schema import BUNDLE, CREDENTIAL, PAGE, SITE, STACK, TRANSLATED_FROM
from .translate import loosened

SCHEMAS: dict[str, Record] = {"site": SITE, "credential": CREDENTIAL, "stack": STACK, "bundle": BUNDLE, "page": PAGE}


def _translation_schema(record: Record) -> Record:
    """A translation gives any of its original's fields, each checked as the original's is and none required, and
    says what it was translated from."""
    loose = loosened(record)
    assert isinstance(loose, Record)  # loosened keeps a kind's kind
    return replace(loose, fields=(*loose.fields, TRANSLATED_FROM))


TRANSLATION_SCHEMAS = {kind: _translation_schema(record) for kind, record in SCHEMAS.items()}
MEMO_FILE = "readings.jsonl"
DATE_TAG = "\0date"  # marks a date in the memo; YAML text cannot hold a NUL, so no key collides
DECIMAL_TAG = "\0decimal"  # marks an exact decimal (hours, fees, credits) the same way


@dataclass(frozen=True)
class Reading:
    readable: bool  # False when the YAML itself is broken: the document is left out, its problems reported
    values: dict[str, Any] | None  # None when the front matter is empty or breaks the schema
    problems: tuple[Problem, ...]
    lines: dict[str, int]  # value path -> file line
    references: tuple[Reference, ...]
    empty_sections: tuple[tuple[int, str], ...]


def read(doc: Document) -> Reading:
    problems: list[Problem] = []
    node = compose(doc.yaml_text, doc.display, doc.yaml_line, problems)
    if node is not None and (alias_line := first_alias(node)) is not None:
        problems.append(
            Problem(
                doc.display,
                doc.yaml_line + alias_line,
                "YAML aliases (*name) are not allowed",
                "write the value out in full; an alias can multiply a file's size",
            )
        )
    if problems:
        return Reading(False, None, tuple(problems), {}, (), ())
    reader = Reader(doc.display, doc.yaml_line - 1)
    if node is None:
        reader.problems.append(
            Problem(
                doc.display,
                doc.yaml_line,
                "the front matter is empty",
                "give at least the required fields; see docs/authoring.md",
            )
        )
        values = None
    else:
        values = (TRANSLATION_SCHEMAS if doc.language else SCHEMAS)[doc.kind].read(node, reader, "")
    # The example texts `new` wrote depend on nothing but this document, so they are remembered with its reading.
    examples = placeholder_problems(doc, values, reader.lines)
    return Reading(
        True,
        values,
        (*reader.problems, *examples),
        reader.lines,
        tuple(markdown.references(doc.body, doc.body_line)),
        tuple(markdown.empty_sections(doc.body, doc.body_line)),
    )


def _encode(value: object) -> object:
    if isinstance(value, dt.date):
        return {DATE_TAG: value.isoformat()}
    if isinstance(value, Decimal):
        return {DECIMAL_TAG: str(value)}
    raise TypeError(f"cannot remember {type(value).__name__}")


def _decode(mapping: dict[str, Any]) -> object:
    if DATE_TAG in mapping:
        return dt.date.fromisoformat(mapping[DATE_TAG])
    if DECIMAL_TAG in mapping:
        return Decimal(mapping[DECIMAL_TAG])
    return mapping


def _to_data(reading: Reading) -> dict[str, Any]:
    return {
        "values": reading.values,
        "problems": [[p.path, p.line, p.message, p.hint, p.severity.value] for p in reading.problems],
        "lines": reading.lines,
        "references": [[r.line, r.url, r.is_image, r.text] for r in reading.references],
        "empty_sections": [list(section) for section in reading.empty_sections],
    }


def _from_data(data: dict[str, Any]) -> Reading:
    return Reading(
        True,
        data["values"],
        tuple(
            Problem(path, line, message, hint, Severity(severity))
            for path, line, message, hint, severity in data["problems"]
        ),
        data["lines"],
        tuple(Reference(line, url, is_image, text) for line, url, is_image, text in data["references"]),
        tuple((line, title) for line, title in data["empty_sections"]),
    )


class Readings:
    """Readings by document text, kept between builds in a file of JSON lines when given one.

    A save appends only the readings that are new, so an edit costs one line, not a rewrite of the
    whole catalog's; the file is rewritten with only what is in use once it holds twice that.
    """

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self.known: dict[str, dict[str, Any]] = {}  # in the file
        self.used: dict[str, dict[str, Any]] = {}  # by this load, new ones included
        self.ahead: dict[str, Reading] = {}  # read by read_ahead, not yet asked for
        self.appendable = False  # the file exists, was written by this version and read whole
        if file is None:
            return
        if (held := _held.get(file)) is not None:  # `serve`'s next build: the file is as this process left it
            self.known, self.appendable = dict(held), True
            return
        signature = file_signature(file)  # before reading: a write meanwhile makes the next build read it again
        try:
            with file.open(encoding="utf-8") as lines:
                if json.loads(next(lines)) == _header():
                    for line in lines:
                        entry = json.loads(line, object_hook=_decode)
                        self.known[entry["key"]] = entry["reading"]
                    self.appendable = True
        except (OSError, StopIteration, ValueError, KeyError, TypeError, AttributeError):
            self.known = {}  # a missing, damaged or older memo only means reading everything again
        if self.appendable:
            _held.put(file, dict(self.known), signature)

    def read_ahead(self, docs: list[Document], workers: int) -> None:
        """Read the documents not remembered now, by `workers` forked copies of this process when there are many
        (a catalog read the first time: the YAML and the schema walk are most of a cold build's reading)."""
        missing = {key: doc for doc in docs if (key := _key(doc)) not in self.known}
        readings = forked.results([partial(read, doc) for doc in missing.values()], workers)
        self.ahead.update(zip(missing, readings, strict=True))

    def read(self, doc: Document) -> Reading:
        key = _key(doc)
        data = self.known.get(key)
        if data is not None:
            try:
                reading = _from_data(data)
                self.used[key] = data
                return reading
            except (KeyError, TypeError, ValueError):
                del self.known[key]  # a damaged entry: read the document again
        reading = self.ahead.pop(key) if key in self.ahead else read(doc)
        if reading.readable:  # broken YAML is reported afresh each time
            self.used[key] = _to_data(reading)
        return reading

    def __enter__(self) -> Readings:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.save()

    def save(self) -> None:
        if self.file is None:
            return
        new = [(key, data) for key, data in self.used.items() if key not in self.known]
        if not self.appendable or len(self.known) > 2 * len(self.used) + 100:
            self._rewrite(self.file)
            _held.put(self.file, dict(self.used))
        elif new:
            with self.file.open("a", encoding="utf-8") as memo:
                memo.writelines(_line(key, data) for key, data in new)
            _held.put(self.file, {**self.known, **dict(new)})

    def _rewrite(self, file: Path) -> None:
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_suffix(f".{os.getpid()}.tmp")  # builds into other folders share this file
        with temporary.open("w", encoding="utf-8") as memo:
            memo.write(json.dumps(_header()) + "\n")
            memo.writelines(_line(key, data) for key, data in self.used.items())
        os.replace(temporary, file)


def _key(doc: Document) -> str:
    fields = f"{doc.kind}\0{doc.display}\0{doc.yaml_line}\0{doc.body_line}\0{doc.digest}"
    return hashlib.sha256(fields.encode()).hexdigest()


# The memo files this process read or wrote: what they held (a rebuild in `serve` parsed the whole memo again).
_held: Held[dict[str, dict[str, Any]]] = Held()


def _header() -> dict[str, Any]:
    # The memo's format: 2 holds the example-text warnings in each reading's problems.
    return {"catalog": __version__, "format": 2}


def _line(key: str, data: dict[str, Any]) -> str:
    return json.dumps({"key": key, "reading": data}, default=_encode, separators=(",", ":")) + "\n"

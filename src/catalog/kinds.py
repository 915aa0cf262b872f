"""Kinds of front-matter values, and how a YAML node becomes a checked Python value.

PyYAML's own constructor guesses types (``yes`` becomes True, ``1.10`` becomes 1.1, a
duplicate key silently wins). We never use it: each kind reads the composed node
itself, keeps text as the author wrote it, and reports every mismatch with its line.
"""

from __future__ import annotations

import datetime as dt
import decimal
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problem import Problem, Severity

YAML_TAG = "tag:yaml.org,2002:"
PLAIN_TAGS = {YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
# A slug names a folder and, with ".pdf", a file: most file systems allow 255 bytes per name.
MAX_SLUG_LENGTH = 100
# Characters that XML 1.0 (the feed, the sitemap, SVG) cannot hold and HTML treats as errors:
# C0 controls but tab, line feed and carriage return; DEL and the C1 controls (terminals act on
# them); lone surrogates (YAML's "\ud800" escape makes one); and the two noncharacters U+FFFE/U+FFFF.
FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text: str) -> tuple[int, str] | None:
    """The 0-based line and U+ name of the first character no output may hold, if any."""
    found = FORBIDDEN_CHARACTER.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()), f"U+{ord(found.group()):04X}"


FORBIDDEN_HINT = (
    "delete it: it is invisible, often pasted from another program, and pages, feeds and PDFs cannot hold it"
)


@dataclass
class Reader:
    """Collects problems while reading one file's front matter."""

    path: str
    line_offset: int  # file line of the YAML's first line, minus one
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # value path -> file line

    def line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + 1 + self.line_offset

    def error(self, node: yaml.Node | None, message: str, hint: str = "") -> None:
        line = self.line(node) if node is not None else 0
        self.problems.append(Problem(self.path, line, message, hint))


class Kind:
    """A kind of value. ``read`` returns the value, or None after reporting a problem."""

    label = "a value"
    example: Any = ""

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        return self.label


def _check_node(node: yaml.Node, reader: Reader, name: str) -> bool:
    reader.lines.setdefault(name, reader.line(node))
    tag = str(node.tag)
    allowed = PLAIN_TAGS | {YAML_TAG + "map", YAML_TAG + "seq"}
    if tag not in allowed:
        reader.error(
            node,
            f"'{name}' has the YAML tag '{tag.removeprefix(YAML_TAG)}'",
            "remove the '!' tag; tags are not allowed in front matter",
        )
        return False
    return True


def _scalar(node: yaml.Node, reader: Reader, name: str, label: str) -> str | None:
    if not _check_node(node, reader, name):
        return None
    if not isinstance(node, yaml.ScalarNode):
        reader.error(node, f"'{name}' should be {label}, not a {_shape(node)}")
        return None
    if node.tag == YAML_TAG + "null" and node.style is None:
        reader.error(node, f"'{name}' is empty", f"give {label}")
        return None
    value = str(node.value)
    if found := forbidden_character(value):
        # A quoted value may span lines: point at the line that holds the character.
        line, code = found
        reader.problems.append(
            Problem(
                reader.path, reader.line(node) + line, f"'{name}' contains the control character {code}", FORBIDDEN_HINT
            )
        )
        return None
    return value


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "single value"


@dataclass(frozen=True)
class Text(Kind):
    """Text, kept exactly as written: ``yes`` stays the word yes, ``1.10`` stays 1.10."""

    one_line: bool = False
    example_text: str = "Some text"
    # Words a reader reads, which a translation file (<slug>.<lang>.md) may give in its language; False for
    # text that is a fact, the same in every language (a version, a level's name as a key, a code).
    translatable: bool = True

    @property
    def label(self) -> str:  # type: ignore[override]
        return "one line of text" if self.one_line else "text"

    @property
    def example(self) -> Any:
        return self.example_text

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        value = _scalar(node, reader, name, self.label)
        if value is None:
            return None
        value = value.strip()
        if not value:
            reader.error(node, f"'{name}' is empty", f"give {self.label}")
            return None
        if self.one_line and "\n" in value:
            reader.error(node, f"'{name}' should be one line", "shorten it, or move detail into the body")
            return None
        return value


@dataclass(frozen=True)
class Choice(Kind):
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    @property
    def example(self) -> Any:
        return self.choices[0]

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        value = _scalar(node, reader, name, self.label)
        if value is None:
            return None
        if value not in self.choices:
            reader.error(node, f"'{name}' is '{value}', which is not {self.label}", did_you_mean(value, self.choices))
            return None
        return value


@dataclass(frozen=True)
class Pattern(Kind):
    """Text that must match a pattern (slugs, colours, SPDX ids, URLs)."""

    regex: str = ".*"
    label: str = "text"
    hint: str = ""
    example: Any = ""
    check: Callable[[str], str] | None = None  # returns a problem message, or ""

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        value = _scalar(node, reader, name, self.label)
        if value is None:
            return None
        value = value.strip()
        if not re.fullmatch(self.regex, value):
            reader.error(node, f"'{name}' should be {self.label}, not '{value}'", self.hint)
            return None
        if self.check and (message := self.check(value)):
            reader.error(node, f"'{name}': {message}", self.hint)
            return None
        return value


@dataclass(frozen=True)
class PositiveInt(Kind):
    """A whole number from 1 (or 0) to a maximum that keeps every use of it sensible and bounded."""

    maximum: int = 1_000_000
    zero_allowed: bool = False
    example: Any = 200

    @property
    def label(self) -> str:  # type: ignore[override]
        return "a whole number" if self.zero_allowed else "a positive whole number"

    def describe(self) -> str:
        return f"{self.label} (at most {self.maximum:,})"

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        value = _scalar(node, reader, name, self.label)
        if value is None:
            return None
        digits = value.strip()
        if not re.fullmatch(r"0|[1-9][0-9]*" if self.zero_allowed else r"[1-9][0-9]*", digits):
            reader.error(
                node,
                f"'{name}' should be {self.label}, not '{value}'",
                f"write digits only, for example {self.example}",
            )
            return None
        # Compared as text first: Python refuses to convert numbers of thousands of digits.
        if len(digits) > len(str(self.maximum)) or int(digits) > self.maximum:
            shown = digits if len(digits) <= 20 else f"a number of {len(digits)} digits"
            reader.error(node, f"'{name}' is {shown}, more than the most allowed, {self.maximum:,}")
            return None
        return int(digits)


@dataclass(frozen=True)
class Amount(Kind):
    """A decimal number such as 0.5, 12 or 125.00, kept exact (never a binary fraction)."""

    maximum: int = 1_000_000
    zero_allowed: bool = False
    places: int = 2
    example: Any = "1.5"

    @property
    def label(self) -> str:  # type: ignore[override]
        return "a number, 0 or more" if self.zero_allowed else "a positive number"

    def describe(self) -> str:
        return f"{self.label} such as 0.5 or 12 (at most {self.maximum:,}, {self.places} decimal places)"

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        value = _scalar(node, reader, name, self.label)
        if value is None:
            return None
        text = value.strip()
        shape = re.fullmatch(r"([0-9]{1,12})(?:\.([0-9]+))?", text)
        hint = f"write digits with at most {self.places} after a point, for example 0.5 or 125.00"
        if shape is None or len(shape.group(2) or "") > self.places:
            reader.error(node, f"'{name}' should be {self.label}, not '{value}'", hint)
            return None
        amount = decimal.Decimal(text)
        if amount > self.maximum:
            reader.error(node, f"'{name}' is {text}, more than the most allowed, {self.maximum:,}")
            return None
        if amount == 0 and not self.zero_allowed:
            reader.error(node, f"'{name}' should be {self.label}, not '{value}'", hint)
            return None
        return amount


@dataclass(frozen=True)
class Either(Kind):
    """One value written either as a single value or as a mapping (a word limit, or its range)."""

    single: Kind = field(default_factory=Text)
    mapping: Kind = field(default_factory=Text)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"{self.single.describe()}, or {self.mapping.describe()}"

    @property
    def example(self) -> Any:
        return self.single.example

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        return (self.mapping if isinstance(node, yaml.MappingNode) else self.single).read(node, reader, name)


@dataclass(frozen=True)
class Boolean(Kind):
    label = "true or false"
    example: Any = False

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        value = _scalar(node, reader, name, self.label)
        if value is None:
            return None
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        reader.error(
            node,
            f"'{name}' should be true or false, not '{value}'",
            "write true or false; words like yes, no, on and off are ambiguous in YAML",
        )
        return None


@dataclass(frozen=True)
class Date(Kind):
    label = "a date (YYYY-MM-DD)"
    example: Any = "2024-09-01"

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        value = _scalar(node, reader, name, self.label)
        if value is None:
            return None
        value = value.strip()
        if not DATE_RE.match(value):
            reader.error(node, f"'{name}' should be {self.label}, not '{value}'", "for example 2024-09-01")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            reader.error(node, f"'{name}' is {value}, a date that does not exist", "check the day and the month")
            return None


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind = field(default_factory=Text)
    min_items: int = 0

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"a list of {self.item.describe()}"

    @property
    def example(self) -> Any:
        return [self.item.example]

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        if not _check_node(node, reader, name):
            return None
        if not isinstance(node, yaml.SequenceNode):
            reader.error(
                node,
                f"'{name}' should be {self.label}, not a {_shape(node)}",
                "start each item on its own line with '- '",
            )
            return None
        if len(node.value) < self.min_items:
            reader.error(node, f"'{name}' needs at least {self.min_items} item(s)")
            return None
        items = [self.item.read(child, reader, f"{name}[{i + 1}]") for i, child in enumerate(node.value)]
        if any(item is None for item in items):
            return None
        return items


DRAFT = "draft"  # the status of a credential not published yet


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    doc: str = ""
    # Required, but a draft (status: draft in the same mapping) may leave it out: a located warning says
    # what is missing until it is given, and `build` never publishes a draft.
    draft_may_omit: bool = False


@dataclass(frozen=True)
class Record(Kind):
    """A mapping with a fixed set of fields, read to a dict of the fields given."""

    fields: tuple[Field, ...] = ()
    label = "a mapping"

    @property
    def example(self) -> Any:
        return {f.name: f.kind.example for f in self.fields if f.required}

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        pairs = mapping_pairs(node, reader, name)
        if pairs is None:
            return None
        known = {f.name: f for f in self.fields}
        values: dict[str, Any] = {}
        ok = True
        for key, key_node, value_node in pairs:
            spec = known.get(key)
            if spec is None:
                where = f" in '{name}'" if name else ""
                reader.error(key_node, f"unknown field '{key}'{where}", fields_hint(key, list(known)))
                ok = False
                continue
            reader.lines[_join(name, key)] = reader.line(key_node)
            value = spec.kind.read(value_node, reader, _join(name, key))
            if value is None:
                ok = False
            values[key] = value
        for spec in self.fields:
            if spec.required and spec.name not in values:
                where = f"'{name}'" if name else "the front matter"
                hint = f"add '{spec.name}:' with {spec.kind.describe()}: {spec.doc[:1].lower()}{spec.doc[1:]}"
                if spec.draft_may_omit and values.get("status") == DRAFT:
                    reader.problems.append(
                        Problem(
                            reader.path,
                            reader.line(node),
                            f"this draft has no '{spec.name}' yet; it is required before the status is active",
                            hint,
                            Severity.WARNING,
                        )
                    )
                    continue
                reader.error(node, f"{where} is missing the required field '{spec.name}'", hint)
                ok = False
        return values if ok else None


@dataclass(frozen=True)
class MapOf(Kind):
    """A mapping from author-chosen keys to values of one kind (scales, level texts)."""

    value: Kind = field(default_factory=Text)
    min_items: int = 1
    key_label: str = "name"
    example: Any = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"a mapping from {self.key_label} to {self.value.describe()}"

    def read(self, node: yaml.Node, reader: Reader, name: str) -> Any:
        pairs = mapping_pairs(node, reader, name)
        if pairs is None:
            return None
        if len(pairs) < self.min_items:
            reader.error(node, f"'{name}' needs at least {self.min_items} entry")
            return None
        values = {}
        for key, key_node, value_node in pairs:
            reader.lines[_join(name, key)] = reader.line(key_node)
            values[key] = self.value.read(value_node, reader, _join(name, key))
        if any(v is None for v in values.values()):
            return None
        return values


def mapping_pairs(node: yaml.Node, reader: Reader, name: str) -> list[tuple[str, yaml.Node, yaml.Node]] | None:
    """The (key, key node, value node) pairs of a mapping, refusing duplicate keys."""
    if not _check_node(node, reader, name or "front matter"):
        return None
    if not isinstance(node, yaml.MappingNode):
        what = f"'{name}'" if name else "the front matter"
        reader.error(node, f"{what} should be a mapping of 'field: value' lines, not a {_shape(node)}")
        return None
    pairs: list[tuple[str, yaml.Node, yaml.Node]] = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or str(key_node.tag) not in PLAIN_TAGS:
            reader.error(key_node, f"a key in '{name or 'front matter'}' is not plain text")
            continue
        key = str(key_node.value)
        if found := forbidden_character(key):
            reader.error(key_node, f"a key in '{name or 'front matter'}' contains the control character {found[1]}")
            continue
        if key in seen:
            reader.error(key_node, f"duplicate key '{key}'", f"already given on line {seen[key]}; keep one")
            continue
        seen[key] = reader.line(key_node)
        pairs.append((key, key_node, value_node))
    return pairs


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if choices and len(choices) <= 12:
        return "expected one of: " + ", ".join(choices)
    return ""


def fields_hint(word: str, fields: Sequence[str]) -> str:
    """For an unknown field: the closest valid one, and every field valid in that place."""
    close = difflib.get_close_matches(word, list(fields), n=1, cutoff=0.6)
    guess = f"did you mean '{close[0]}'? " if close else ""
    return f"{guess}the fields here are: {', '.join(fields)}"


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key

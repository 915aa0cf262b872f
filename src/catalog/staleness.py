"""Stale translations: what a translation was made from (its `translated_from:`), and what has changed since.

A translation `<slug>.<lang>.md` beside its original records a digest of the original's translatable content when
it is made (`new translation`) or confirmed (`check --fix-translations`). The digest is of what a translator
translates, read as the build reads it: the text values of the front matter (titles, summaries, prompts, level
descriptions...; not dates, numbers, slugs, scale names or codes, which translations do not carry) and the body's
`##` sections. Quoting, folding, the order of fields and line endings change nothing; a changed word does.

Beside the whole digest, each text field keeps three hexadecimal digits per text it holds and each section three
digits, so `check` can say which ones changed: `requirements[2].title`, `section 'Research'`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import markdown
from .content import (
    MAX_SOURCE_BYTES,
    Document,
    Unreadable,
    compose,
    discover,
    display_path,
    first_alias,
    load_document,
    read_regular,
    split_front_matter,
    translation_name,
)
from .ctids import replace_text
from .kinds import Kind, ListOf, MapOf, Reader, Record, Text
from .problem import Problem, Severity
from .reading import SCHEMAS, read
from .schema import TRANSLATED_FROM

FIX_COMMAND = "python build.py check --fix-translations"
UPDATE_HINT = f"update the translation, then run `{FIX_COMMAND}`"
INTRO = ""  # the key of the text before the body's first ## heading
LEAF_DIGITS = 3
MOST_NAMED = 8  # more changed texts than this are counted, not named


@dataclass(frozen=True)
class Source:
    """What a translation was made from: the value of `translated_from:`."""

    digest: str
    fields: dict[str, str]  # top-level field -> three digits per text value, in a stable order
    sections: dict[str, str]  # section heading -> three digits
    # The path of each text, by field, in the order of its digits: known for an original read now, not for a
    # recorded source, and not part of what is compared.
    paths: dict[str, list[str]] = field(default_factory=dict, compare=False)

    def as_value(self) -> dict[str, Any]:
        value: dict[str, Any] = {"digest": self.digest, "fields": self.fields}
        return {**value, "sections": self.sections} if self.sections else value


@dataclass(frozen=True)
class Translation:
    """A translation file and the original it translates."""

    path: Path
    original: Path
    kind: str


def translations(content_dir: Path) -> list[Translation]:
    """Every translation file whose original is beside it, in a stable order."""
    found = []
    for path, kind in discover(content_dir)[1:]:
        if (named := translation_name(path.stem)) is None:
            continue
        original = path.with_name(f"{named[0]}.md")
        if original.is_file() and not original.is_symlink():
            found.append(Translation(path, original, kind))
    return found


# --- what an original says that a translator translates --------------------------------------------------------


def translatable(kind: Kind, value: Any) -> Any:
    """The part of a value a translation carries: its texts in the value's own shape, or None when it has none.

    A list keeps its length (an item with nothing to translate is None), as translations match lists by position.
    """
    if isinstance(kind, Record) and isinstance(value, dict):
        kept = {
            spec.name: found
            for spec in kind.fields
            if spec.name in value and (found := translatable(spec.kind, value[spec.name])) is not None
        }
        return kept or None
    if isinstance(kind, ListOf) and isinstance(value, list):
        items = [translatable(kind.item, item) for item in value]
        return items if any(item is not None for item in items) else None
    if isinstance(kind, MapOf) and isinstance(value, dict):
        entries = {key: found for key, item in value.items() if (found := translatable(kind.value, item)) is not None}
        return entries or None
    return value if is_text(kind) and isinstance(value, str) else None


def is_text(kind: Kind) -> bool:
    """Whether a value of this kind is words a translator translates: the schema's translatable Text."""
    return isinstance(kind, Text) and kind.translatable


def texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) of every text in a translatable value, paths written as check writes them
    (`requirements[2].criteria[1].levels.Passing`), in an order that does not depend on the YAML's."""
    if isinstance(value, dict):
        for key in sorted(value):
            yield from texts(value[key], f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from texts(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, " ".join(value.split())  # folding and re-wrapping a text does not change it


def sections(body: str) -> dict[str, str]:
    """Each ## section's text by heading (a repeated heading numbered: 'Notes (2)'), and the text before the first
    heading, when there is any, under ''."""
    lines = body.split("\n")
    tokens = markdown.renderer().parse(body, {})
    headings = [
        (token.map[0], token.map[1], tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h2" and token.level == 0 and token.map
    ]
    bounds = [start for start, _, _ in headings] + [len(lines)]
    parts = [(INTRO, 0, bounds[0])]
    parts += [(title, after, end) for (_, after, title), end in zip(headings, bounds[1:], strict=True)]
    found: dict[str, str] = {}
    for title, start, end in parts:
        text = "\n".join(line.rstrip() for line in lines[start:end]).strip("\n")
        if title == INTRO and not text:
            continue
        key, count = title, 1
        while key in found:
            count += 1
            key = f"{title} ({count})"
        found[key] = text
    return found


def _digest(text: str, digits: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:digits]


def source_of(kind: str, values: dict[str, Any], body: str) -> Source:
    """What `translated_from:` records for an original of this kind with these values and body."""
    record = SCHEMAS[kind]
    carried = translatable(record, values) or {}
    found = {spec.name: list(texts(carried[spec.name], spec.name)) for spec in record.fields if spec.name in carried}
    body_sections = sections(body)
    whole = json.dumps([list(found.items()), sorted(body_sections.items())], ensure_ascii=False)
    return Source(
        _digest(whole, 12),
        {
            name: "".join(_digest(f"{path}\0{text}", LEAF_DIGITS) for path, text in pairs)
            for name, pairs in found.items()
        },
        {title: _digest(text, LEAF_DIGITS) for title, text in body_sections.items()},
        {name: [path for path, _ in pairs] for name, pairs in found.items()},
    )


def _original(translation: Translation, known: dict[Path, tuple[str, Source] | None]) -> tuple[str, Source] | None:
    """The original's display path and what it says now, or None when it has problems of its own (check reports
    them); `known` keeps each original's, read once for all its translations."""
    if translation.original not in known:
        doc = load_document(translation.original, translation.kind, [])
        reading = read(doc) if doc is not None else None
        known[translation.original] = (
            None
            if doc is None or reading is None or reading.values is None
            else (doc.display, source_of(translation.kind, reading.values, doc.body))
        )
    return known[translation.original]


# --- what a translation recorded ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """A translation's front matter as far as staleness needs it."""

    keys: frozenset[str]  # the top-level fields it gives
    has_body: bool  # a translation without a body shows its original's
    title_line: int  # where a missing translated_from is reported
    node: tuple[yaml.Node, yaml.Node] | None  # the translated_from key and value
    source: Source | None  # None when translated_from is not what the fixer writes (the schema says why)


def recorded(doc: Document) -> Recorded | None:
    """What a translation's front matter says; None when its YAML is broken or holds an alias (its reading reports
    that)."""
    node = compose(doc.yaml_text, doc.display, doc.yaml_line, [])
    if not isinstance(node, yaml.MappingNode) or first_alias(node) is not None:
        return None
    pairs = [(key, value) for key, value in node.value if isinstance(key, yaml.ScalarNode)]
    keys = frozenset(str(key.value) for key, _ in pairs)
    title_line = next((doc.yaml_line + key.start_mark.line for key, _ in pairs if key.value == "title"), 1)
    found = next(((key, value) for key, value in pairs if key.value == TRANSLATED_FROM.name), None)
    if found is None:
        return Recorded(keys, bool(doc.body.strip()), title_line, None, None)
    reader = Reader(doc.display, doc.yaml_line - 1)
    value = TRANSLATED_FROM.kind.read(found[1], reader, TRANSLATED_FROM.name)
    source = None if value is None else Source(value["digest"], value.get("fields", {}), value.get("sections", {}))
    return Recorded(keys, bool(doc.body.strip()), title_line, found, source)


def _line(doc: Document, node: yaml.Node) -> int:
    return doc.yaml_line + int(node.start_mark.line)


# --- what changed --------------------------------------------------------------------------------------------------


def changes(then: Source, now: Source, given: Recorded | None = None) -> str:
    """What changed between a recorded source and the original now, in words ('title, requirements[2].title and
    section 'Research' changed'); '' when nothing did. What the translation (when `given`) leaves out, a field or
    its whole body, is shown from the original anyway, so its changes are not the translation's to follow; a
    field the original gained is, as the translation may now give it."""
    if given is not None and not given.has_body:
        now = replace(now, sections={})
        then = replace(then, sections={})
    changed: list[str] = []
    added = [name for name in now.fields if name not in then.fields]
    removed = [name for name in then.fields if name not in now.fields and (given is None or name in given.keys)]
    for name, digits in now.fields.items():
        before = then.fields.get(name, digits)
        if before == digits or (given is not None and name not in given.keys):
            continue
        if len(before) != len(digits):  # texts were added or removed: the field as a whole changed
            changed.append(name)
            continue
        pieces = range(0, len(digits), LEAF_DIGITS)
        changed += [
            now.paths[name][i // LEAF_DIGITS]
            for i in pieces
            if digits[i : i + LEAF_DIGITS] != before[i : i + LEAF_DIGITS]
        ]
    changed += [_section(title) for title, digits in now.sections.items() if then.sections.get(title, digits) != digits]
    added += [_section(title) for title in now.sections if title not in then.sections]
    removed += [_section(title) for title in then.sections if title not in now.sections]
    said = [(names, verb) for names, verb in ((changed, "changed"), (added, "added"), (removed, "removed")) if names]
    return "; ".join(f"{_names(names)} {verb}" for names, verb in said)


def _section(title: str) -> str:
    return "the text before the first heading" if title == INTRO else f"section '{title}'"


def _names(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'; past MOST_NAMED, the rest counted: 'a, b ... and 5 more'."""
    if len(names) > MOST_NAMED:
        names = [*names[: MOST_NAMED - 1], f"{len(names) - MOST_NAMED + 1} more"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def stale_translations(content_dir: Path) -> list[Problem]:
    """A warning at each translation whose original changed since its translated_from, naming what changed; a
    suggestion at each translation without one."""
    problems: list[Problem] = []
    known: dict[Path, tuple[str, Source] | None] = {}
    for translation in translations(content_dir):
        doc = load_document(translation.path, translation.kind, [])
        found = recorded(doc) if doc is not None else None
        original = _original(translation, known)
        if doc is None or found is None or original is None:
            continue  # a file that does not read is reported by its own checks
        display, now = original
        if found.node is None:
            problems.append(
                Problem(
                    doc.display,
                    found.title_line,
                    f"this translation has no translated_from, so check cannot tell when {display} changes",
                    f"once it says what the original says, run `{FIX_COMMAND}`",
                    Severity.SUGGESTION,
                )
            )
            continue
        if found.source is None or found.source.digest == now.digest:
            continue
        said = changes(found.source, now, found)
        if not said and changes(found.source, now):
            continue  # only what the translation leaves to the original changed
        problems.append(
            Problem(
                doc.display,
                _line(doc, found.node[0]),
                f"{said or 'the text changed'} in {display} since this translation",
                UPDATE_HINT,
                Severity.WARNING,
            )
        )
    return problems


# --- writing translated_from ---------------------------------------------------------------------------------------


def source_lines(source: Source) -> list[str]:
    """`translated_from:` and its value, as lines of YAML without line breaks: a small block."""
    text = yaml.safe_dump(
        {TRANSLATED_FROM.name: source.as_value()},
        default_flow_style=None,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
    )
    return text.splitlines()


def with_source(doc: Document, found: Recorded, source: Source) -> str | None:
    """The translation file's text with translated_from set to `source`: the block replaced where it is, or added
    at the end of the front matter; every other byte as it was. None when the result would not read back so."""
    try:  # never through a link, even one put there since it was read
        lines = read_regular(doc.source, MAX_SOURCE_BYTES, "").decode("utf-8").splitlines(keepends=True)
    except (Unreadable, UnicodeDecodeError):
        return None
    if found.node is None:
        start = end = doc.body_line - 2  # before the closing '---'
    else:
        start = doc.yaml_line - 1 + int(found.node[0].start_mark.line)
        end = doc.yaml_line - 1 + _end_line(found.node[1])
    if not 0 < start <= end < len(lines):
        return None
    ending = "\r\n" if lines[start if start < end else end].endswith("\r\n") else "\n"
    lines[start:end] = [line + ending for line in source_lines(source)]
    edited = "".join(lines)
    return edited if _source_in(doc, edited) == source else None


def _end_line(node: yaml.Node) -> int:
    """The 0-based YAML line after a value's last: a block collection ends where its last value does (its own end
    mark lies past the comments that follow it, which belong to the next field)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = node.end_mark
    return int(end.line) if end.column == 0 else int(end.line) + 1


def _source_in(doc: Document, text: str) -> Source | None:
    """The translated_from a translation's text says, read as check reads it."""
    parts = split_front_matter(text.removeprefix("\ufeff").replace("\r\n", "\n"), doc.display, [])
    if parts is None:
        return None
    yaml_text, yaml_line, body, body_line = parts
    found = recorded(replace(doc, yaml_text=yaml_text, yaml_line=yaml_line, body=body, body_line=body_line))
    return found.source if found is not None else None


@dataclass(frozen=True)
class Fixed:
    """What `check --fix-translations` did to one translation."""

    path: Path
    done: str  # 'wrote', 'updated' or why it was left as it was


def fix_translations(content_dir: Path) -> list[Fixed]:
    """Set translated_from in every translation whose original reads, to what the original says now."""
    done = []
    known: dict[Path, tuple[str, Source] | None] = {}
    for translation in translations(content_dir):
        doc = load_document(translation.path, translation.kind, [])
        found = recorded(doc) if doc is not None else None
        original = _original(translation, known)
        if doc is None or found is None:
            done.append(Fixed(translation.path, "left as it was: its front matter does not read"))
            continue
        if original is None:
            done.append(Fixed(translation.path, f"left as it was: {display_path(translation.original)} has errors"))
            continue
        source = original[1]
        if found.source == source:
            continue
        edited = with_source(doc, found, source)
        if edited is None:
            done.append(Fixed(translation.path, "left as it was: translated_from could not be written as a line edit"))
            continue
        try:
            replace_text(translation.path, edited)
        except OSError as error:  # a read-only file or folder: the machine's, not the content's
            done.append(Fixed(translation.path, f"left as it was: {error.strerror or error}"))
            continue
        done.append(
            Fixed(translation.path, f"{'updated' if found.node else 'wrote'} translated_from ({source.digest})")
        )
    return done

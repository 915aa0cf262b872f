"""What an import will write, decided in memory before anything is written: each record's file (a new
draft, or the file an earlier import made, merged), its text, and the image it copies into
content/assets/imported/. importer.py reads the sources and writes these plans when no record has an error.
Rules a user relies on:

- A new file is `status: draft`, named by the slug of its title, unique against every file present and
  every file of the run. What the source lacks (requirements, a published date...) is left out, never
  invented: `check` lists each missing piece as a warning until the author adds it.
- A file is updated only when its `source.id` is the record's: the fields the record has are replaced, and
  the body sections an import writes (IMPORTED_SECTIONS); every other field and section, and the front
  matter's comments, stay exactly as the author wrote them. So do `status` and `scales` once the file has
  them (the author's requirements may use those scales), and a field the source no longer has.
- A file an author made (no source.id) is never overwritten: a record whose slug it holds is an error
  naming both, with the way to link them.
- A remote image is never fetched: its address is kept as source.image and named in the summary.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .assets import MAX_ASSET_BYTES, data_refusal
from .content import (
    MAX_SOURCE_BYTES,
    RESERVED_SLUGS,
    Document,
    Unreadable,
    compose,
    display_path,
    read_regular,
    read_text,
    split_front_matter,
    suggest_slug,
    visible_files,
)
from .ctids import new_ctid
from .imported import Imported, Origin
from .kinds import DRAFT
from .problem import Problem, errors_in
from .reading import read as read_document
from .scaffold import field_lines
from .schema import CREDENTIAL
from .values import ASSET, URL

IMAGE_FOLDER = "assets/imported"
IMAGE_ENDINGS = re.search(r"\((.*)\)", ASSET.regex).group(1).split("|")  # type: ignore[union-attr]
# The body sections an import writes, replaced by the next import; an author's other sections stay.
IMPORTED_SECTIONS = ("Description", "Criteria", "Scoring in the source")
# Fields an update leaves as the file has them: the author's decision, and what their requirements use.
AUTHORS = ("status", "scales")
HEADER = (
    "# Imported by `catalog import`. Importing the same badge again (source.id) replaces what it wrote;\n"
    "# fields and body sections you add are kept. `check` lists what this draft still needs."
)


@dataclass
class Outcome:
    """What a run did, or would have done: files by display path, notes, and the problems found."""

    written: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Present:
    """A credential file already in the content folder."""

    path: Path
    display: str
    source_id: str  # '' for a file an author made
    unreadable: str = ""  # why the file cannot be read (a link, not UTF-8...): its source.id is unknown


def problem_at(origin: Origin, message: str, hint: str = "") -> Problem:
    """A problem of the record read from this place in its source."""
    where = f"{origin.where}: " if origin.where else ""
    return Problem(origin.file, origin.line, where + message, hint)


def _source_id(text: str) -> str:
    """A file's source.id, read from its composed front matter without judging the rest."""
    parts = split_front_matter(text, "", [])
    node = compose(parts[0], "", 1, []) if parts else None
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        if key.value == "source" and isinstance(value, yaml.MappingNode):
            for inner, found in value.value:
                if inner.value == "id" and isinstance(found, yaml.ScalarNode):
                    return str(found.value).strip()
    return ""


def present_credentials(content_dir: Path) -> dict[str, Present]:
    """Every credential file, by slug, with the source.id of those an import made."""
    found: dict[str, Present] = {}
    for path in visible_files(content_dir / "credentials", "*.md"):
        display = display_path(path)
        problems: list[Problem] = []
        text = read_text(path, display, problems) or ""
        found[path.stem] = Present(path, display, _source_id(text), "; ".join(p.message for p in problems))
    return found


def _chunks(text: str) -> tuple[list[str], dict[str, list[str]], str]:
    """A file's front matter as (lines before the first field, each top-level field's lines, body)."""
    parts = split_front_matter(text, "", [])
    if parts is None:
        return [], {}, text
    yaml_text, _, body, _ = parts
    lines = yaml_text.split("\n")
    node = compose(yaml_text, "", 1, [])
    keys = node.value if isinstance(node, yaml.MappingNode) else []
    starts: list[tuple[str, int]] = []
    for key, _ in keys:
        start = key.start_mark.line
        # Comments right above a field belong to it; those above the first field are the file's own.
        while starts and start > starts[-1][1] + 1 and lines[start - 1].startswith("#"):
            start -= 1
        starts.append((str(key.value), start))
    chunks = {}
    for index, (name, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(lines)
        chunks[name] = lines[start:end]
    head = lines[: starts[0][1]] if starts else lines
    return head, chunks, body


def _sections(body: str) -> list[tuple[str, str]]:
    """A body split at its '## ' headings: (heading, the section's text with its heading line)."""
    sections: list[tuple[str, str]] = []
    heading, lines = "", list[str]()
    for line in body.strip("\n").split("\n"):
        if line.startswith("## "):
            if lines:
                sections.append((heading, "\n".join(lines).strip("\n")))
            heading, lines = line[3:].strip(), []
        lines.append(line)
    if any(line.strip() for line in lines):
        sections.append((heading, "\n".join(lines).strip("\n")))
    return sections


def merged_body(old: str, new: str) -> str:
    """The author's sections of the old body, in place, with the imported ones replaced by the new body's."""
    fresh = dict(_sections(new))
    owned = set(IMPORTED_SECTIONS) | fresh.keys()
    kept: list[str] = []
    for heading, text in _sections(old):
        if heading not in owned or not heading:
            kept.append(text)
        elif heading in fresh:
            kept.append(fresh.pop(heading))
    return "\n\n".join([*kept, *fresh.values()])


def file_text(values: dict[str, Any], body: str, before: str = "") -> str:
    """A credential file: the values in schema order; an earlier file's other fields and sections kept as written."""
    head, chunks, old_body = _chunks(before) if before else (HEADER.split("\n"), {}, "")
    lines = list(head)
    for spec in CREDENTIAL.fields:
        chunk = chunks.pop(spec.name, None)
        if chunk is not None and (spec.name not in values or spec.name in AUTHORS):
            lines += chunk
        elif spec.name in values:
            lines += field_lines(spec, values[spec.name])
    lines += [line for chunk in chunks.values() for line in chunk]  # fields check will name as unknown
    text_body = merged_body(old_body, body) if before else body
    return "\n".join(["---", *lines, "---", text_body.strip("\n"), ""])


def _slug(record: Imported, taken: set[str]) -> str:
    slug = suggest_slug(record.title)
    if slug in RESERVED_SLUGS:
        slug += "-credential"
    base, number = slug, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@dataclass
class Plan:
    """One record's file and image, in memory until the whole run is known to succeed."""

    record: Imported
    path: Path
    text: str
    updating: bool
    image: tuple[Path, bytes] | None = None


class Refused(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Run:
    """One import: the content folder's files as they are, and what this run has claimed so far."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir
        self.outcome = Outcome()
        self.present = present_credentials(content_dir)
        self.by_source: dict[str, Present] = {}
        for item in self.present.values():
            if item.source_id and (other := self.by_source.get(item.source_id)):
                self.outcome.problems.append(
                    Problem(
                        item.display,
                        0,
                        f"this file and {other.display} have the same source.id '{item.source_id}'",
                        "keep it in one of them: an import updates one file per badge",
                    )
                )
            self.by_source.setdefault(item.source_id, item)
        self.taken = set(self.present)
        self.outcome.problems += _folders_not_real(content_dir)
        self.seen: dict[str, Origin] = {}
        self.registering = False  # site.yml has credential_engine: a new file gets its CTID as `new` gives one
        self.organisation = ""  # site.yml's organisation: an issuer of that name is it, with its url and email

    def plan(self, record: Imported, scales: dict[str, tuple[str, ...]]) -> Plan | None:
        origin = record.origin
        if earlier := self.seen.get(record.source_id):
            self.outcome.problems.append(
                problem_at(
                    origin,
                    f"the badge '{record.source_id}' is imported twice in this run, "
                    f"also from {earlier.file}{' ' + earlier.where if earlier.where else ''}",
                    "import each badge once",
                )
            )
            return None
        self.seen[record.source_id] = origin
        present = self.by_source.get(record.source_id)
        if present is not None:
            slug, updating = present.path.stem, True
        else:
            slug, updating = _slug(record, self.taken), False
            author = self.present.get(suggest_slug(record.title))
            if author is not None and author.unreadable:
                self.outcome.problems.append(
                    problem_at(
                        origin,
                        f"the badge '{record.title}' would be written as {author.display}, which cannot be read: "
                        f"{author.unreadable}",
                        "make it a readable file again, or rename it, then import again",
                    )
                )
                return None
            if author is not None and not author.source_id:
                self.outcome.problems.append(
                    problem_at(
                        origin,
                        f"the badge '{record.title}' would be written as {author.display}, a file an author made; "
                        "it is never overwritten",
                        f"if it is the same credential, add source: {{id: '{record.source_id}'}} to that file so "
                        "that import updates it; otherwise rename that file or the badge",
                    )
                )
                return None
        self.taken.add(slug)
        path = present.path if present else self.content_dir / "credentials" / f"{slug}.md"
        if not present and os.path.lexists(path):  # a folder named like a file: no rename can replace it
            self.outcome.problems.append(
                problem_at(
                    origin,
                    f"the badge '{record.title}' would be written as {display_path(path)}, which is not a file",
                    "move or rename it, then import again",
                )
            )
            return None
        values = self.values(record, slug, scales, updating)
        try:
            image = self.image(record, slug, values, updating)
        except Refused as refused:
            self.outcome.problems.append(problem_at(origin, refused.message, refused.hint))
            return None
        before = ""
        if updating:
            before = read_text(path, display_path(path), self.outcome.problems) or ""
        # What the import writes must read back exactly, checked as a file of its own: what an author
        # added to an updated file (a status without requirements yet...) is for `check` to report.
        if not self.verified(record, file_text({**values, "status": DRAFT}, record.body), path, values):
            return None
        text = file_text(values, record.body, before)
        if len(text.encode()) > MAX_SOURCE_BYTES:  # check would refuse the file
            limit = MAX_SOURCE_BYTES // 2**20
            self.outcome.problems.append(
                problem_at(
                    origin,
                    f"cannot be written: its file would be larger than {limit} MB, more than a content file may be",
                    "shorten its description or criteria",
                )
            )
            return None
        return Plan(record, path, text, updating, image)

    def values(self, record: Imported, slug: str, scales: dict[str, tuple[str, ...]], updating: bool) -> dict[str, Any]:
        values = dict(record.fields)
        if own := values.get("scales"):
            kept = {}
            for name, levels in own.items():
                if tuple(levels) in scales.values():  # the site's scale says it already
                    continue
                while name in scales:
                    name += "-imported"
                kept[name] = levels
            if kept:
                values["scales"] = kept
            else:
                del values["scales"]
        source = {"id": record.source_id, **({"url": record.source_url} if record.source_url else {})}
        image = record.image
        if image is not None and image.url:
            if re.fullmatch(URL.regex, image.url):
                source["image"] = image.url
            self.outcome.notes.append(
                f"{place_of(record.origin)}: image: {image.url} is on the web; recorded as source.image and not "
                f"fetched (save it in content/{IMAGE_FOLDER}/ and set image)"
            )
        values["source"] = source
        issuer = values.get("issuer")
        if isinstance(issuer, dict) and issuer["name"] == self.organisation:
            values["issuer"] = issuer["name"]  # the organisation's own url and email are site.yml's, never two
        # A new file gets a CTID unless its source gave one; an updated file keeps its own (or check asks for one).
        if self.registering and not updating and "ctid" not in values:
            values["ctid"] = new_ctid()
        if not updating:
            values["status"] = DRAFT
        return values

    def image(self, record: Imported, slug: str, values: dict[str, Any], updating: bool) -> tuple[Path, bytes] | None:
        """The image file to write, if the record has one to copy; sets the image field."""
        image = record.image
        if image is None or image.url:
            return None
        if image.local is not None:
            suffix = image.local.suffix.lower()
            try:
                data = read_regular(image.local, MAX_ASSET_BYTES, "make it smaller before importing it")
            except Unreadable as error:
                raise Refused(f"the image {image.local.as_posix()}: {error.message}", error.hint) from None
        else:
            suffix, data = image.suffix, image.data or b""
        if suffix[1:] not in IMAGE_ENDINGS:
            raise Refused(f"the image's type '{suffix}' cannot be a badge", f"use {', '.join(IMAGE_ENDINGS)}")
        if refusal := data_refusal(data, suffix):
            raise Refused(f"the image cannot be published: {refusal.message}", refusal.hint)
        name = f"{IMAGE_FOLDER}/{slug}{suffix}"
        target = self.content_dir / name
        # An update replaces the image an earlier import copied; a new file never takes another's.
        if not updating and os.path.lexists(target):
            raise Refused(f"{display_path(target)} exists already", "move or rename that file, then import again")
        if os.path.lexists(target) and not stat.S_ISREG(target.lstat().st_mode):  # no rename can replace it
            raise Refused(
                f"{display_path(target)} is in the way: it is not a file", "move or rename it, then import again"
            )
        values["image"] = name
        return target, data

    def verified(self, record: Imported, text: str, path: Path, values: dict[str, Any]) -> bool:
        """Whether the file reads back as the values meant for it; otherwise the source's value is the problem."""
        problems: list[Problem] = []
        yaml_text, yaml_line, body, body_line = split_front_matter(text, "", problems) or ("", 0, "", 0)
        doc = Document("credential", path.stem, path, display_path(path), yaml_text, yaml_line, body, body_line, "")
        reading = read_document(doc)
        errors = errors_in(list(reading.problems))
        for problem in errors:
            self.outcome.problems.append(
                problem_at(record.origin, f"cannot be written: {problem.message}", problem.hint)
            )
        if errors or reading.values is None:
            return False
        differs = sorted(k for k, v in values.items() if reading.values.get(k) != v)
        if differs:  # a bug in the writer, not in the source: say which fields
            self.outcome.problems.append(problem_at(record.origin, f"cannot be written exactly: {', '.join(differs)}"))
        return not differs


def _folders_not_real(content_dir: Path) -> list[Problem]:
    """The folders an import writes into that are links or not folders: a write would land wherever they lead."""
    problems = []
    for name in ("credentials", "assets", IMAGE_FOLDER):
        folder = content_dir / name
        try:
            mode = folder.lstat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISDIR(mode):
            what = "a link" if stat.S_ISLNK(mode) else "not a folder"
            problems.append(
                Problem(
                    display_path(folder),
                    0,
                    f"this is {what}; import writes only into real folders of the content folder",
                    "replace it with a folder",
                )
            )
    return problems


def place_of(origin: Origin) -> str:
    """The source file and the place in it, as a note names them."""
    return origin.file + (f" {origin.where}" if origin.where else "")

"""Find the content files, read them as UTF-8 and split front matter from body.

Nothing here judges the values: a Document keeps the front matter's text and where it
starts, and reading.py composes it with line numbers so that validation can point at the
exact line of every problem.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .kinds import FORBIDDEN_HINT, LANGUAGE_RE, MAX_SLUG_LENGTH, SLUG_RE, forbidden_character
from .problem import Problem

try:  # the C composer is several times faster; fall back when libyaml is absent
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]

NULL_WORDS = {"", "~", "null", "Null", "NULL"}


class Loader(BaseLoader):
    """Composes only: plain scalars are text or null, never guessed numbers, dates or booleans.

    The schema's kinds decide what a value means, so PyYAML's regular-expression type
    guessing (most of the time spent reading a file) is skipped. Explicit tags are kept.
    """

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool] | None) -> str:
        if kind is yaml.ScalarNode and implicit and implicit[0]:
            return "tag:yaml.org,2002:null" if value in NULL_WORDS else "tag:yaml.org,2002:str"
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


KINDS = {"credentials": "credential", "stacks": "stack", "bundles": "bundle", "pages": "page"}
FENCE = "---"
CLOSERS = ("---", "...")
SITE_FILE = "site.yml"
MAX_SOURCE_BYTES = 2 * 1024 * 1024  # a credential is a few thousand words; this is a hundred times that
# Names Windows reserves: an output folder called "con" could not be checked out there.
RESERVED_SLUGS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class Document:
    kind: str  # "site", "credential", "stack" or "page"
    slug: str
    source: Path  # absolute path of the file
    display: str  # the path shown in messages
    yaml_text: str  # the front matter, composed and read by reading.py
    yaml_line: int  # file line of the first line of YAML
    body: str
    body_line: int  # file line of the first line of the body
    digest: str  # of the file's text: what outputs made from it record
    language: str = ""  # a translation's language: the file is <slug>.<language>.md beside its original

    @property
    def facts(self) -> str:
        """A digest of the front matter alone: what the data files and feeds show of the document."""
        return hashlib.sha256(self.yaml_text.encode()).hexdigest()


def translation_name(stem: str) -> tuple[str, str] | None:
    """(slug, language) of a translation's file name without .md, like designing-a-task.es; None for another."""
    slug, dot, language = stem.rpartition(".")
    if dot and SLUG_RE.match(slug) and LANGUAGE_RE.fullmatch(language):
        return slug, language
    return None


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def visible_files(folder: Path, pattern: str = "*") -> list[Path]:
    """Every entry under a folder that is not a real folder and matches the pattern, in a stable
    order, leaving out hidden files and folders (editors' and version control's).

    No link is followed: a link (to a file or a folder, the folder itself included), a FIFO or a
    device is listed as it is, so that reading it is refused with its name, instead of a linked
    folder's files being read and published as if they were inside the content folder.
    """
    try:
        if stat.S_ISLNK(folder.lstat().st_mode):
            return [folder]
    except OSError:
        return []
    if not folder.is_dir():
        return []
    found = []
    waiting = [folder]  # a list, not recursion: nesting depth is the author's to choose
    while waiting:
        current = waiting.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = current / entry.name
                if entry.is_dir(follow_symlinks=False):
                    waiting.append(path)
                elif fnmatch.fnmatchcase(entry.name, pattern) or (entry.is_symlink() and entry.is_dir()):
                    found.append(path)
    return sorted(found, key=_parts)


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts  # the order of paths themselves, without their slow comparison


def discover(content_dir: Path) -> list[tuple[Path, str]]:
    """site.yml and every Markdown file of a known kind, each with its kind, in a stable order."""
    found = [(content_dir / SITE_FILE, "site")]
    for folder, kind in KINDS.items():
        # Subfolders are allowed for the authors' own order; the file name alone is the slug.
        found.extend((path, kind) for path in visible_files(content_dir / folder, "*.md"))
    return found


class Unreadable(Exception):
    """Why a content file was not read, in words for its author."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


FILE_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def read_regular(path: Path, limit: int, large_hint: str) -> bytes:
    """The bytes of a regular file that is not a link, reading at most `limit` + 1 bytes.

    A FIFO or a device reports a size of 0 and, once opened, waits for ever or never ends, so the
    file's kind is checked before it is opened and again on what was opened (it may have been
    swapped meanwhile); the read is bounded whatever size the file claims or grows to.
    """
    too_large = Unreadable(f"the file is larger than {limit // 2**20} MB", large_hint)
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            raise Unreadable(
                "the file is a link; content files and folders must be real ones, as a link can lead anywhere",
                "replace the link with the file or folder itself",
            )
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(
                f"the file is {FILE_KINDS.get(stat.S_IFMT(info.st_mode), 'of an unknown kind')}, not a regular file",
                "replace it with a regular file",
            )
        if info.st_size > limit:
            raise too_large
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(path, flags), "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise Unreadable("the file was replaced by something other than a regular file while it was read")
            data = file.read(limit + 1)
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None
    if len(data) > limit:
        raise too_large
    return data


def present_slugs(discovered: list[tuple[Path, str]]) -> dict[str, set[str]]:
    """The slugs of every content file there is (`discover`'s), by kind, readable or not: what references may name."""
    found: dict[str, set[str]] = {kind: set() for kind in KINDS.values()}
    for path, kind in discovered[1:]:
        if translation_name(path.stem) is None:  # a translation is named by its original's slug
            found[kind].add(path.stem)
    return found


def read_text(path: Path, display: str, problems: list[Problem]) -> str | None:
    try:
        raw = read_regular(path, MAX_SOURCE_BYTES, "split it, or move long material into linked resources")
    except Unreadable as error:
        problems.append(Problem(display, 0, error.message, error.hint))
        return None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark some editors add is harmless
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(
            Problem(
                display, line, "the file is not UTF-8 text", "save it as UTF-8 in your editor ('Save with encoding')"
            )
        )
        return None
    return text.replace("\r\n", "\n")


def compose(text: str, display: str, first_line: int, problems: list[Problem]) -> yaml.Node | None:
    """Compose YAML into a node tree without constructing values, keeping marks."""
    if found := forbidden_character(text):
        # PyYAML would refuse it too, but without the line.
        line, code = found
        problems.append(
            Problem(
                display, first_line + line, f"the front matter contains the control character {code}", FORBIDDEN_HINT
            )
        )
        return None
    try:
        return yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        message = " ".join(str(error.problem or error.context or "invalid YAML").split())
        if error.problem and error.context and error.context_mark and error.context_mark is not mark:
            message += f", {error.context} that starts on line {first_line + error.context_mark.line}"
        if "expected a single document" in str(error):
            message = "the front matter holds a second YAML document"
        hint = "check the indentation and quote values that contain ': ' or start with a special character"
        if ("\t" in text and "tab" in message.lower()) or "found character '\\t'" in message:
            hint = "indent with spaces, not tabs"
        problems.append(Problem(display, line, f"YAML syntax error: {message}", hint))
    except yaml.YAMLError as error:
        problems.append(Problem(display, first_line, f"YAML error: {error}"))
    return None


def first_alias(root: yaml.Node) -> int | None:
    """The 0-based line of the first key whose value repeats a node (a YAML alias), if any.

    Each node is visited once, so even an alias bomb is checked in time linear in the file."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, root.start_mark.line)]
    while stack:
        node, line = stack.pop()
        if id(node) in seen:
            return line
        seen.add(id(node))
        # A shared node's own mark is where its anchor is: report the line of the key that holds it.
        if isinstance(node, yaml.MappingNode):
            stack.extend((value, key.start_mark.line) for key, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, line) for item in reversed(node.value))
    return None


def split_front_matter(text: str, display: str, problems: list[Problem]) -> tuple[str, int, str, int] | None:
    """Return (yaml text, its first line, body, body's first line), or None with a problem."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and lines[first].rstrip() == FENCE:
            problems.append(
                Problem(
                    display,
                    first + 1,
                    "the front matter must start on the first line",
                    "remove the blank lines above '---'",
                )
            )
        else:
            problems.append(
                Problem(
                    display,
                    1,
                    "the file has no front matter",
                    "start the file with a line '---', the fields, then another '---'",
                )
            )
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSERS:
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1 :]), index + 2
    problems.append(Problem(display, 1, "the front matter is never closed", "add a line '---' after the last field"))
    return None


# Documents this process read, by file, with the file's signature then: `serve` builds again on every save,
# and reads again only the files whose signature changed (any write changes a file's ctime).
_loaded: dict[Path, tuple[tuple[object, ...], Document]] = {}


def _signature(path: Path) -> tuple[object, ...] | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns, info.st_ctime_ns, os.getcwd())


def load_document(path: Path, kind: str, problems: list[Problem]) -> Document | None:
    signature = _signature(path)
    held = _loaded.get(path)
    if held is not None and signature is not None and held[0] == signature and held[1].kind == kind:
        return held[1]
    doc = _read_document(path, kind, problems)
    if doc is not None and signature is not None:
        _loaded[path] = (signature, doc)
    return doc


def _read_document(path: Path, kind: str, problems: list[Problem]) -> Document | None:
    display = display_path(path)
    text = read_text(path, display, problems)
    if text is None:
        return None
    slug, language = path.stem, ""
    if kind == "site":
        parts: tuple[str, int, str, int] | None = (text, 1, "", 0)
    elif translated := translation_name(slug):
        slug, language = translated
        parts = split_front_matter(text, display, problems)
    else:
        if not SLUG_RE.match(slug):
            problems.append(
                Problem(
                    display,
                    0,
                    f"the file name '{path.name}' is not a valid slug",
                    f"rename it to {suggest_slug(slug)}.md",
                )
            )
            return None
        if len(slug) > MAX_SLUG_LENGTH:
            problems.append(
                Problem(
                    display,
                    0,
                    f"the file name is {len(slug)} characters long; a slug may have at most {MAX_SLUG_LENGTH}",
                    f"rename it to {suggest_slug(slug)}.md",
                )
            )
            return None
        if slug in RESERVED_SLUGS:
            problems.append(
                Problem(
                    display,
                    0,
                    f"'{slug}' is a reserved file name on Windows",
                    f"rename it, for example to {slug}-credential.md",
                )
            )
            return None
        parts = split_front_matter(text, display, problems)
    if parts is None:
        return None
    yaml_text, yaml_line, body, body_line = parts
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(kind, slug, path, display, yaml_text, yaml_line, body, body_line, digest, language)


def load_documents(content_dir: Path, discovered: list[tuple[Path, str]], problems: list[Problem]) -> list[Document]:
    """Every content document `discover` found; what cannot be read becomes a problem instead."""
    documents = []
    site_path = content_dir / SITE_FILE
    if not os.path.lexists(site_path):
        problems.append(
            Problem(
                display_path(site_path),
                0,
                "site.yml is missing",
                "every content folder needs a site.yml; see docs/authoring.md",
            )
        )
    for path, kind in discovered:
        if kind == "site" and not os.path.lexists(path):
            continue
        doc = load_document(path, kind, problems)
        if doc is not None:
            documents.append(doc)
    return documents


def suggest_slug(text: str) -> str:
    """A slug made from any title or file name: 'Building a PLC!' -> 'building-a-plc'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:  # cut at a word where one ends early enough
        cut = slug[: MAX_SLUG_LENGTH + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut[1:] else cut[:MAX_SLUG_LENGTH]
    return slug.strip("-") or "untitled"

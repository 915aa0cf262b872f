"""CTIDs, the identifiers of credentials and stacks in the Credential Engine Registry: their rules, and the fixer.

A CTID is written once and never changed: the Registry knows a resource by it, so a new CTID would publish a
second credential instead of updating the first. catalog writes one (`new`, `check --fix-ctids`, and the
importer through `add_ctids`) as a text edit of the front matter: one line `ctid: ...` after the title, every
other byte of the file as it was, so an author's comments, quoting and line endings (CRLF stays CRLF) survive.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import yaml

from .content import KINDS, Document, compose, discover, load_document, split_front_matter
from .model import Credential, Stack
from .problem import Problem
from .reading import read
from .references import Located

FIX_COMMAND = "python build.py check --fix-ctids"
# Every missing-ctid problem ends with this, which is how `check --fix-ctids` tells them from other errors.
MISSING_CTID = "has no ctid, which site.yml's credential_engine needs to publish it to the Registry"
CTDL_NEEDS_URL = (
    "credential_engine needs the site's public address: the Registry links each credential to its page",
    "add url: https://... (the address the catalog is published at) to site.yml",
)
REGISTRY_RESOURCES = "https://credentialengineregistry.org/resources/"


def new_ctid() -> str:
    """A fresh CTID: 'ce-' and a random (version 4) UUID, as the Registry's own tools make them."""
    return f"ce-{uuid.uuid4()}"


def registry_uri(ctid: str) -> str:
    """The Registry's address of the resource a CTID names, which other resources point at."""
    return REGISTRY_RESOURCES + ctid


def is_missing_ctid(problem: Problem) -> bool:
    return problem.message.endswith(MISSING_CTID)


def ctid_problems(
    organisation_ctid: str,
    credentials: dict[str, tuple[Located, Credential]],
    stacks: list[tuple[Located, Stack]],
) -> Iterator[Problem]:
    """Each credential and stack has a CTID of its own when site.yml has credential_engine; a CTID written
    without it is still checked, for its form (by the schema) and against the others."""
    owners: dict[str, Located] = {}
    items = [(located, c.ctid, "credential") for located, c in credentials.values()]
    items += [(located, s.ctid, "stack") for located, s in stacks]
    for located, ctid, kind in items:
        if not ctid:
            if organisation_ctid:
                yield located.problem("title", f"this {kind} {MISSING_CTID}", f"run `{FIX_COMMAND}`")
            continue
        if ctid == organisation_ctid:
            yield located.problem(
                "ctid",
                f"the ctid {ctid} is the organisation's own (site.yml's credential_engine.organisation_ctid)",
                f"delete this line and run `{FIX_COMMAND}`, which writes a ctid of its own",
            )
        elif ctid in owners:
            yield located.problem(
                "ctid",
                f"the ctid {ctid} is also the ctid of {owners[ctid].doc.display}",
                f"each credential and stack needs its own: delete this line and run `{FIX_COMMAND}`",
            )
        owners.setdefault(ctid, located)


def lacking_ctid(content_dir: Path) -> list[Path]:
    """The credential and stack files whose front matter has no ctid, in a stable order; never a translation,
    which takes its original's."""
    found = []
    for path, kind in discover(content_dir)[1:]:
        if kind not in ("credential", "stack"):
            continue
        doc = load_document(path, kind, [])
        if doc is not None and doc.language:
            continue
        values = read(doc).values if doc is not None else None
        if values is not None and "ctid" not in values:
            found.append(path)
    return found


def add_ctids(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """Write a fresh CTID into each credential or stack file that has none, as one new line after its title;
    returns what it wrote. A file that has a ctid already, whose title cannot be found, or which would not read
    back with exactly the new CTID, is left as it was."""
    written = []
    for path in paths:
        ctid = new_ctid()
        edited = with_ctid(path, ctid)
        if edited is not None:
            replace_text(path, edited)
            written.append((path, ctid))
    return written


def with_ctid(path: Path, ctid: str) -> str | None:
    """The file's text with the line `ctid: <ctid>` after the title's last line, or None."""
    kind = next((KINDS[folder.name] for folder in path.parents if folder.name in KINDS), "credential")
    doc = load_document(path, kind, [])
    at = _after_title(doc) if doc is not None else None
    if doc is None or at is None:
        return None
    lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    before = lines[at - 1]
    ending = "\r\n" if before.endswith("\r\n") else "\n"
    if not before.endswith(("\n", "\r")):  # a last line without its line break
        lines[at - 1] = before + ending
    lines.insert(at, f"ctid: {ctid}{ending}")
    edited = "".join(lines)
    return edited if _ctid_in(doc, edited) == ctid else None


def _after_title(doc: Document) -> int | None:
    """The 0-based file line before which the new line goes: the one after the title's value ends."""
    node = compose(doc.yaml_text, doc.display, doc.yaml_line, [])
    if not isinstance(node, yaml.MappingNode):
        return None
    if any(isinstance(key, yaml.ScalarNode) and key.value == "ctid" for key, _ in node.value):
        return None  # a CTID is never changed, nor a second one added
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "title":
            end = value.end_mark
            # A block scalar (title: >-) ends at the start of the next line; a plain or quoted one on its own.
            line = int(end.line) if end.column == 0 else int(end.line) + 1
            return doc.yaml_line - 1 + line
    return None


def _ctid_in(doc: Document, text: str) -> str | None:
    """The ctid the text's front matter says, read as the build reads it."""
    parts = split_front_matter(text.removeprefix("\ufeff").replace("\r\n", "\n"), doc.display, [])
    if parts is None:
        return None
    yaml_text, yaml_line, body, body_line = parts
    values = read(replace(doc, yaml_text=yaml_text, yaml_line=yaml_line, body=body, body_line=body_line)).values
    return values.get("ctid") if values else None


def replace_text(path: Path, text: str) -> None:
    """Write the whole new text beside the file, then swap it in: a crash leaves the old file or the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(text.encode("utf-8"))
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

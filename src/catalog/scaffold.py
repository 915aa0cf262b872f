"""`new credential|stack|bundle|page "Title"`: a file made from the schema that passes `check`.

Every required field gets a value: the author's title, or an example text from placeholder.py,
which `check` points at until it is replaced. Every optional field is shown as a commented example,
so the file lists everything its kind can say. starter.py writes a new catalog's first files with it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from . import placeholder
from .content import KINDS as FOLDERS
from .content import discover, display_path, load_document, present_slugs, suggest_slug
from .ctids import new_ctid
from .kinds import (
    FORBIDDEN_HINT,
    SLUG_RE,
    Amount,
    Date,
    Either,
    Field,
    Kind,
    ListOf,
    MapOf,
    PositiveInt,
    Record,
    Text,
    forbidden_character,
)
from .model import Site
from .reading import SCHEMAS, read
from .schema import BUNDLE, CREDENTIAL, PAGE, SITE, STACK
from .staleness import source_lines, source_of, translatable
from .validate import check_content, load_site
from .values import LANGUAGE, SCALES

KINDS = {
    "credential": ("credentials", CREDENTIAL),
    "stack": ("stacks", STACK),
    "bundle": ("bundles", BUNDLE),
    "page": ("pages", PAGE),
}
# Read, never suggested: `credits` says graduate_credit better, and `import` writes source for itself. Nor a ctid:
# an uncommented example would be every file's, and the Registry's identifier must be each file's own (`new`
# writes one when site.yml has credential_engine).
NOT_SUGGESTED = {"graduate_credit", "source", "ctid"}
OPTIONAL = "# Optional fields are commented out: delete the '# ' before one (and the lines under it) to use it."
HEADER = "# A new {kind}. Every field is described in catalog's docs/authoring.md.\n" + OPTIONAL


LONG_LIST = 80  # characters: a list of texts longer than this on one line is written one item a line


class ScaffoldError(Exception):
    pass


def _scalar(value: object, kind: Kind) -> str:
    if isinstance(kind, Amount | PositiveInt | Date):
        return str(value)  # as an author writes them: 15, 2024-09-01, not '15' or '2024-09-01'
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
        .strip()
        .removesuffix("...")
        .strip()
    )


def _example(kind: Kind) -> Any:
    """A value for every field of a kind, optional ones included: what a commented example shows."""
    if isinstance(kind, Record):
        return {f.name: _example(f.kind) for f in kind.fields if f.name not in NOT_SUGGESTED}
    if isinstance(kind, ListOf):
        return [_example(kind.item)]
    if isinstance(kind, Either):
        return _example(kind.single)
    return kind.example


def _lines(spec: Field, value: object, indent: str, examples: bool = True) -> list[str]:
    """The YAML lines of one field; with `examples`, each with its doc as a comment, as `new` writes them."""
    # An example text may say its doc already.
    comment = f"  # {spec.doc}" if examples and spec.doc and value != spec.doc else ""
    kind = spec.kind
    if isinstance(kind, Either):
        kind = kind.mapping if isinstance(value, dict) else kind.single
    if isinstance(kind, Record) and isinstance(value, dict):
        return [f"{indent}{spec.name}:{comment}", *_record(kind, value, indent + "  ", examples)]
    if isinstance(kind, ListOf) and isinstance(kind.item, Record) and isinstance(value, list) and value:
        lines = [f"{indent}{spec.name}:{comment}"]
        for item in value:
            inner = _record(kind.item, item, indent + "    ", examples)
            # The item's dash goes on its first field that is not a comment.
            first = next(i for i, line in enumerate(inner) if not line.lstrip().startswith("#"))
            lines += [*inner[:first], f"{indent}  - {inner[first].lstrip()}", *inner[first + 1 :]]
        return lines
    if isinstance(kind, ListOf) and isinstance(value, list) and len(_scalar(value, kind)) > LONG_LIST:
        # Sentences (prompts, artefacts) one under the other, where a translator or a reviewer can read them.
        return [f"{indent}{spec.name}:{comment}", *(f"{indent}  - {_scalar(item, kind.item)}" for item in value)]
    if isinstance(kind, MapOf) and isinstance(value, dict):
        return [
            f"{indent}{spec.name}:{comment}",
            *(f"{indent}  {_scalar(k, Text())}: {_scalar(v, kind.value)}" for k, v in value.items()),
        ]
    return [f"{indent}{spec.name}: {_scalar(value, kind)}{comment}"]


def _record(record: Record, values: dict[str, Any], indent: str, examples: bool = True) -> list[str]:
    """The fields given, in the schema's order; with `examples`, every other optional field as a commented
    example."""
    lines: list[str] = []
    for spec in record.fields:
        if spec.name in values:
            lines += _lines(spec, values[spec.name], indent, examples)
        elif examples and not spec.required and spec.name not in NOT_SUGGESTED:
            lines += [f"{indent}# {line[len(indent) :]}" for line in _lines(spec, _example(spec.kind), indent)]
    return lines


def field_lines(spec: Field, value: object) -> list[str]:
    """One top-level field as YAML lines that read back as the same value, without comments: what
    `import` writes."""
    return _lines(spec, value, "", examples=False)


def site_text() -> str:
    """A new catalog's site.yml: every field, the optional ones commented."""
    values = {
        "title": placeholder.SITE_TITLE,
        "description": placeholder.SITE_DESCRIPTION,
        "organisation": {"name": placeholder.ORGANISATION},
        "scales": SCALES.example,
    }
    header = "# The catalog's settings. Every field is described in catalog's docs/authoring.md.\n" + OPTIONAL
    return "\n".join([header, *_record(SITE, values, "")]) + "\n"


def _next_order(content_dir: Path, kind: str) -> int:
    catalog, _ = check_content(content_dir)
    if catalog is None:  # the content has errors: after every file there is
        return len(present_slugs(discover(content_dir))[kind]) + 1
    return max((item.order for item in (catalog.stacks if kind == "stack" else catalog.bundles)), default=0) + 1


def _first_unbundled_stack(content_dir: Path) -> str:
    catalog, _ = check_content(content_dir)
    if catalog is None:
        raise ScaffoldError("a new bundle lists a stack, so the content must pass `check` first")
    if not catalog.unbundled_stacks:
        raise ScaffoldError(
            "a bundle needs a stack that is in no bundle yet, and there is none; "
            'make one first with `new stack "Title"`'
        )
    return catalog.unbundled_stacks[0].slug


def new_values(kind: str, title: str, content_dir: Path) -> dict[str, Any]:
    """The required fields of a new file of this kind, as `new` writes them."""
    if kind == "page":
        return {"title": title}
    if kind == "stack":
        order = _next_order(content_dir, "stack")
        values = {"title": title, "summary": placeholder.SUMMARY[kind], "order": order, "credentials": []}
        return {**values, **_ctid(load_site(content_dir))}
    if kind == "bundle":
        stack = _first_unbundled_stack(content_dir)
        order = _next_order(content_dir, "bundle")
        return {"title": title, "summary": placeholder.SUMMARY[kind], "order": order, "stacks": [stack]}
    site = load_site(content_dir)
    scale = next(iter(site.scales.values()), None) if site else None
    if scale is None:
        raise ScaffoldError("site.yml is missing or has problems; run `python build.py check` and fix it first")
    return {
        "title": title,
        **_ctid(site),
        "summary": placeholder.SUMMARY[kind],
        "key_method": placeholder.KEY_METHOD,
        "version": "1.0",
        "published": dt.date.today().isoformat(),
        "requirements": [
            {
                "title": "Overview questions",
                "scale": scale.name,
                "pass": scale.levels[0],
                "word_limit": 200,
                "prompts": [placeholder.PROMPT],
                "criteria": [
                    {"title": placeholder.CRITERION, "levels": {level: placeholder.LEVEL for level in scale.levels}}
                ],
            }
        ],
    }


def _ctid(site: Site | None) -> dict[str, str]:
    """A new credential or stack gets its Registry identifier at birth when the site publishes to the Registry."""
    return {"ctid": new_ctid()} if site is not None and site.organisation_ctid else {}


def checked_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ScaffoldError("the title is empty; give the new file's title in quotes")
    if "\n" in title or "\r" in title:
        raise ScaffoldError("the title must be one line; put the rest in the summary or the body")
    if found := forbidden_character(title):
        raise ScaffoldError(f"the title contains the control character {found[1]}; {FORBIDDEN_HINT}")
    return title


def write_new(kind: str, values: dict[str, Any], content_dir: Path) -> Path:
    """Write a new file of this kind with these values; refuses a slug that is taken."""
    folder, record = KINDS[kind]
    slug = suggest_slug(values["title"])
    path = content_dir / folder / f"{slug}.md"
    # A file of that name in a subfolder would take the same slug (and address).
    if path.exists() or path.is_symlink() or slug in present_slugs(discover(content_dir))[kind]:
        raise ScaffoldError(f"a {kind} with the slug '{slug}' already exists; choose another title or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(["---", HEADER.format(kind=kind), *_record(record, values, ""), "---", placeholder.BODY[kind]])
    with path.open("x", encoding="utf-8") as file:
        file.write(text)
    return path


def scaffold(kind: str, title: str, content_dir: Path) -> Path:
    """Write the new file and return its path; refuses to overwrite."""
    return write_new(kind, new_values(kind, checked_title(title), content_dir), content_dir)


TRANSLATION_HEADER = (
    "# A translation into {language} of {original}.\n"
    "# Translate the texts below, keeping each list as long as the original's and in its order; a field left\n"
    "# out shows the original's text. Dates, numbers, codes, scales and members come from the original.\n"
    "# Once this says what the original says, run `python build.py check --fix-translations`: from then on\n"
    "# check warns when the original changes."
)


def translation_text(kind: str, values: dict[str, Any], body: str, language: str, original: str) -> str:
    """A new translation of an original with these values and body: its texts, still in the original's language,
    to be translated, and translated_from."""
    record = SCHEMAS[kind]
    texts = translatable(record, values) or {}
    lines = ["---", TRANSLATION_HEADER.format(language=language, original=original)]
    for spec in record.fields:
        # A list with an item that has no text (a credit with only an amount) is left to the original: its item
        # would be an empty mapping.
        if spec.name in texts and not (isinstance(texts[spec.name], list) and None in texts[spec.name]):
            lines += field_lines(spec, texts[spec.name])
    lines += [*source_lines(source_of(kind, values, body)), "---"]
    return "\n".join(lines) + "\n" + body


def new_translation(slug: str, language: str, content_dir: Path, languages: tuple[str, ...]) -> Path:
    """Write `<folder>/<slug>.<language>.md` beside the original of that slug; refuses an existing file, an unknown
    slug and a language that is not one of the site's other languages (`languages`, the default first)."""
    if not re.fullmatch(LANGUAGE.regex, language):
        raise ScaffoldError(f"'{language}' is not a language tag; give one like es, fr or pt-BR")
    if language not in languages[1:]:
        others = ", ".join(languages[1:]) or "none yet"
        fix = (
            "the default language is the originals' own"
            if language == languages[0]
            else f"add it to languages: [{', '.join((*languages, language))}] first"
        )
        raise ScaffoldError(f"'{language}' is not one of site.yml's other languages ({others}); {fix}")
    original = _original(slug, content_dir)
    kind = FOLDERS[original.relative_to(content_dir).parts[0]]
    path = original.with_name(f"{original.stem}.{language}.md")
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{display_path(path)} already exists; edit it, or delete it to start again")
    doc = load_document(original, kind, [])
    values = read(doc).values if doc is not None else None
    if doc is None or values is None:
        raise ScaffoldError(f"{display_path(original)} has problems; run `python build.py check` and fix them first")
    with path.open("x", encoding="utf-8") as file:
        file.write(translation_text(kind, values, doc.body, language, original.relative_to(content_dir).as_posix()))
    return path


def _original(slug: str, content_dir: Path) -> Path:
    """The one content file of that slug (or `<folder>/<slug>`) that a translation translates."""
    folder, _, name = slug.rpartition("/")
    if not SLUG_RE.match(name) or (folder and folder not in FOLDERS):
        raise ScaffoldError(
            f"'{slug}' is not a slug; give one like designing-a-performance-task, or credentials/<slug>"
        )
    found = [
        path
        for path, kind in discover(content_dir)[1:]
        if path.name == f"{name}.md" and (not folder or FOLDERS.get(folder) == kind)
    ]
    if not found:
        raise ScaffoldError(f"there is no credential, stack, bundle or page with the slug '{name}'")
    if len(found) > 1:
        named = ", ".join(display_path(path) for path in found)
        raise ScaffoldError(
            f"the slug '{name}' names more than one file ({named}); give its folder too, like credentials/{name}"
        )
    return found[0]

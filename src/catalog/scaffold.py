"""`new credential|stack "Title"`: a file with every required field, commented, that passes check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .content import suggest_slug
from .kinds import FORBIDDEN_HINT, Field, ListOf, MapOf, Record, forbidden_character
from .schema import CREDENTIAL, STACK
from .validate import check_content, load_site

KINDS = {"credential": ("credentials", CREDENTIAL), "stack": ("stacks", STACK)}
BODIES = {
    "credential": "## Method components\n\nExplain the knowledge behind the key method.\n\n"
    "## Research\n\nSummarise the research that supports the method.\n",
    "stack": "Say who this stack is for and how its credentials build on each other.\n",
}


class ScaffoldError(Exception):
    pass


def _scalar(value: object) -> str:
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
        .strip()
        .removesuffix("...")
        .strip()
    )


def _lines(spec: Field, value: object, indent: str) -> list[str]:
    comment = f"  # {spec.doc}" if spec.doc else ""
    kind = spec.kind
    if isinstance(kind, Record) and isinstance(value, dict):
        return [f"{indent}{spec.name}:{comment}", *_record(kind, value, indent + "  ")]
    if isinstance(kind, ListOf) and isinstance(kind.item, Record) and isinstance(value, list):
        lines = [f"{indent}{spec.name}:{comment}"]
        for item in value:
            inner = _record(kind.item, item, indent + "    ")
            lines += [f"{indent}  - {inner[0].lstrip()}", *inner[1:]]
        return lines
    if isinstance(kind, MapOf) and isinstance(value, dict):
        return [f"{indent}{spec.name}:{comment}", *(f"{indent}  {k}: {_scalar(v)}" for k, v in value.items())]
    return [f"{indent}{spec.name}: {_scalar(value)}{comment}"]


def _record(record: Record, values: dict[str, object], indent: str) -> list[str]:
    lines: list[str] = []
    for spec in record.fields:
        if spec.name in values:
            lines += _lines(spec, values[spec.name], indent)
    return lines


def _values(kind: str, title: str, content_dir: Path) -> dict[str, object]:
    if kind == "stack":
        catalog, _ = check_content(content_dir)
        orders = [s.order for s in catalog.stacks] if catalog else []
        order = max(orders, default=len(list((content_dir / "stacks").glob("*.md"))) if not catalog else 0) + 1
        return {
            "title": title,
            "summary": "One line saying what this stack is about.",
            "order": order,
            "credentials": [],
        }
    site = load_site(content_dir)
    scale = next(iter(site.scales.values()), None) if site else None
    if scale is None:
        raise ScaffoldError("site.yml is missing or has problems; run `python build.py check` and fix it first")
    return {
        "title": title,
        "summary": "One line saying what the earner shows.",
        "key_method": "What the earner does, in a sentence or two.",
        "version": "1.0",
        "published": dt.date.today().isoformat(),
        "requirements": [
            {
                "title": "Overview questions",
                "scale": scale.name,
                "pass": scale.levels[0],
                "word_limit": 200,
                "prompts": ["A question the earner answers."],
                "criteria": [
                    {
                        "title": "A criterion reviewers judge",
                        "levels": {level: f"What work at '{level}' shows." for level in scale.levels},
                    }
                ],
            }
        ],
    }


def scaffold(kind: str, title: str, content_dir: Path) -> Path:
    """Write the new file and return its path; refuses to overwrite."""
    folder, record = KINDS[kind]
    title = title.strip()
    if not title:
        raise ScaffoldError("the title is empty; give the new file's title in quotes")
    if "\n" in title or "\r" in title:
        raise ScaffoldError("the title must be one line; put the rest in the summary or the body")
    if found := forbidden_character(title):
        raise ScaffoldError(f"the title contains the control character {found[1]}; {FORBIDDEN_HINT}")
    slug = suggest_slug(title)
    path = content_dir / folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; choose another title or edit that file")
    header = f"# A new {kind}. Every field is described in docs/authoring.md."
    front = _record(record, _values(kind, title, content_dir), "")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write("\n".join(["---", header, *front, "---", BODIES[kind]]))
    return path

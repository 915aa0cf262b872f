"""What the open-data formats share: each one's table of the fields it carries, and the values they all use.

Every format (catalog.json, the Open Badges Achievement, the page's JSON-LD) declares a Shape for each kind of
file it describes: where each front-matter field goes, or why that format leaves it out. The tests hold every
format to its shapes against the schema, so a new field that a format forgets fails a test instead of going
missing quietly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .model import Catalog, Credential


@dataclass(frozen=True)
class Shape:
    """Where one format puts each front-matter field of one kind of file, and why it leaves out the others."""

    format: str  # the output, as the tests find it: "catalog.json", "achievement.json", "JSON-LD"
    record: str  # the file it describes: "credential", "stack", "bundle" (a name in schema.FILE_SCHEMAS' records)
    # field -> where it is in the output: keys joined by '.', '[]' for every item of a list
    carried: Mapping[str, str]
    not_carried: Mapping[str, str]  # field -> why this format has no place for it


def json_number(value: Decimal) -> int | float:
    """A decimal as a JSON number that reads back as the same value: whole numbers as integers
    (125.00 is 125), others through their text (0.1 stays 0.1, never 0.1000000000000000055)."""
    return int(value) if value == value.to_integral_value() else float(str(value))


def named(catalog: Catalog, slugs: tuple[str, ...]) -> list[Credential]:
    """The published credentials among the slugs, in their order: a draft is not published, so no output
    names it, even when a published credential does."""
    return [c for slug in slugs if (c := catalog.credential(slug)) is not None]


def language(catalog: Catalog, credential: Credential) -> str:
    """The language a credential is written in: its own, or the site's."""
    return credential.language or catalog.site.language

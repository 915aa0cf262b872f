"""What an importer reads from one record of a source, before it becomes a content file.

Every reader (Open Badges JSON in badges.py, spreadsheets in spreadsheet.py) turns its input into
Imported records and located Problems; plans.py decides slugs, merges with files an earlier
import made and copies images, and importer.py writes the files, all or nothing. Readers never write anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where a record was read, for messages: the file as the user named it, and the place inside it."""

    file: str  # the source file, with forward slashes, as given on the command line (or under a folder given)
    where: str = ""  # inside the file: "row 4", "$[2].badge", "" for the whole file
    line: int = 0  # 1-based line where the record starts, when the reader knows it; 0 otherwise


@dataclass(frozen=True)
class ImportedImage:
    """A record's badge image, exactly one of: a file beside the source, bytes decoded from a data: URI,
    or a remote address, which is recorded and reported, never fetched."""

    local: Path | None = None
    data: bytes | None = None
    suffix: str = ""  # '.png', '.svg', ... for data
    url: str = ""


@dataclass
class Imported:
    """One credential as a source describes it.

    `fields` holds front-matter values keyed by the names in schema.CREDENTIAL, typed as the YAML loader
    gives them to validation: str for text (a version is "1.10", never 1.1), int, decimal.Decimal for
    amounts, datetime.date, lists and dicts. Only what the source has is set; plans.py adds status: draft
    and what the reader reports missing becomes check --strict warnings, never invented values.
    """

    origin: Origin
    title: str  # the slug is made from it
    source_id: str  # the source's own identifier (a badge's IRI, a spreadsheet's source_id or code column)
    source_url: str = ""  # where the source can be read, when it says
    fields: dict[str, Any] = field(default_factory=dict)
    body: str = ""  # Markdown body sections the source has, '' for none
    image: ImportedImage | None = None
    notes: list[str] = field(default_factory=list)  # what the source had that no field can carry, reported

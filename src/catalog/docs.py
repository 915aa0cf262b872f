"""The references in docs/ that are generated from the code, so that none can drift from what it describes.

`make docs` (python -m catalog.docs docs) writes them all after a change to schema.py or values.py, to a format's
Shape or to catalog.json's Outputs; a test fails when a committed file differs from what its generator writes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from . import catalogdata, formatdoc, schemadoc, spreadsheetdoc, translationdoc


def _catalog_schema() -> str:
    return json.dumps(catalogdata.json_schema(), ensure_ascii=False, indent=2) + "\n"


# File name in docs/ -> what writes its text.
GENERATED: dict[str, Callable[[], str]] = {
    "authoring.md": schemadoc.reference,
    "catalog.schema.json": _catalog_schema,
    "formats.md": formatdoc.reference,
    "spreadsheet.md": spreadsheetdoc.reference,
    "translations.md": translationdoc.reference,
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m catalog.docs FOLDER (writes " + ", ".join(GENERATED) + " into it)\n")
        return 2
    folder = Path(args[0])
    for name, text in GENERATED.items():
        (folder / name).write_text(text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

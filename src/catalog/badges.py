"""Open Badges JSON files read safely into Imported records: a source file holds one badge, or a JSON array of
them, and each is told apart by its type (a 2.0 BadgeClass, a 3.0 Achievement alone or inside an
OpenBadgeCredential, an untyped 1.0 badge class) before badgefields.py carries its fields.

A file is read as a file of the content folder is (a regular file, not a link, 20 MB at most), as UTF-8, and as
strict JSON: a key given twice in one object, or text holding half a character, is refused rather than read one
way of two; a value that is no badge (an Assertion, an Issuer Profile...) is named and skipped.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from .badgefields import OB1_SHAPE, OB2_SHAPE, NotABadge, badge_types, from_achievement, from_badge_class
from .content import Unreadable, read_regular
from .imported import Imported, Origin
from .problem import Problem, Severity

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # a badge with an embedded image is a few hundred kilobytes
OB2_CONTEXT = "w3id.org/openbadges/v2"
JSON_HINT = "JSON needs double-quoted keys and strings, and no comma after the last item of a list or object"


def read(path: Path, display: str) -> tuple[list[Imported], list[Problem]]:
    """Every badge in one JSON file (one badge, or an array of them), and what is wrong with the rest."""
    try:
        raw = read_regular(path, MAX_SOURCE_BYTES, "split the file into smaller ones")
        text = raw.decode("utf-8-sig")
    except Unreadable as error:
        return [], [Problem(display, 0, error.message, error.hint)]
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [], [Problem(display, line, "the file is not UTF-8 text", "save it as UTF-8 (JSON always is)")]
    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        return [], [Problem(display, error.lineno, f"not valid JSON: {error.msg} at column {error.colno}", JSON_HINT)]
    except DuplicateKey as error:
        return [], [Problem(display, 0, error.message, "keep one of them: readers differ on which one counts")]
    except BrokenText as error:
        return [], [Problem(display, 0, error.message, "the program that wrote it cut a character: export it again")]
    except RecursionError:
        return [], [Problem(display, 0, "not valid JSON: nested too deeply")]
    except ValueError:  # Python refuses to read an integer of thousands of digits
        return [], [Problem(display, 0, "not valid JSON: a number too long to read", "no badge has such a number")]
    items = list(enumerate(data)) if isinstance(data, list) else [(None, data)]
    records: list[Imported] = []
    problems: list[Problem] = []
    for index, item in items:
        where = "$" if index is None else f"$[{index}]"
        try:
            records.append(_badge(item, Origin(display, where), path.parent))
        except NotABadge as error:
            problems.append(Problem(display, 0, f"{where}: {error.message}", error.hint, error.severity))
    return records, problems


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.message = f"the key '{key}' appears twice in one object"


class BrokenText(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.message = f"'{key}' holds half of a character (an escaped lone surrogate such as \\ud800)"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are unique (of two, JSON readers keep either, so what is imported would be a
    guess) and whose text is characters: JSON can escape half of one, which no file can hold."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(key)
        items = value if isinstance(value, list) else [value]  # a tag list's text is read too
        if any(isinstance(text, str) and _SURROGATE.search(text) for text in [key, *items]):
            raise BrokenText(_SURROGATE.sub("\ufffd", key))
        found[key] = value
    return found


def _contexts(data: dict[str, Any]) -> str:
    context = data.get("@context", "")
    return json.dumps(context) if not isinstance(context, str) else context


def _badge(data: Any, origin: Origin, folder: Path) -> Imported:
    if not isinstance(data, dict):
        raise NotABadge(f"a {type(data).__name__} where a badge (a JSON object) was expected")
    types = badge_types(data)
    if types & {"OpenBadgeCredential", "AchievementCredential"}:
        subject = data.get("credentialSubject")
        subject = subject[0] if isinstance(subject, list) and subject else subject
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        if not isinstance(achievement, dict):
            raise NotABadge("an OpenBadgeCredential without credentialSubject.achievement", "export the badge again")
        inner = Origin(origin.file, f"{origin.where}.credentialSubject.achievement", origin.line)
        return from_achievement(achievement, inner, folder)
    if "Achievement" in types:
        return from_achievement(data, origin, folder)
    if "BadgeClass" in types:
        return from_badge_class(data, origin, folder, OB2_SHAPE)
    if types & {"Assertion", "Profile", "Issuer", "VerifiableCredential", "EndorsementCredential"}:
        kind = sorted(types)[0]
        raise NotABadge(
            f"skipped: an Open Badges {kind}, not a badge definition",
            "import BadgeClass or Achievement files; an issuer's name comes with each badge",
            Severity.WARNING,
        )
    if not types and OB2_CONTEXT not in _contexts(data) and {"name", "description", "criteria"} <= data.keys():
        if "badge" in data and "recipient" in data:  # a 1.0 assertion, which names its class by address
            raise NotABadge("an Open Badges 1.0 assertion, not a badge class", "import the badge class it names")
        return from_badge_class(data, origin, folder, OB1_SHAPE)
    raise NotABadge(
        "not an Open Badges badge definition (no type BadgeClass or Achievement, and not a 1.0 badge class)",
        "import BadgeClass (2.0) or Achievement (3.0) JSON as a badge platform exports it",
    )

"""Translations: a credential's, stack's, bundle's or page's words in another of the site's languages, from a
file beside it named <slug>.<lang>.md, laid over its original's values.

What a translation may say differently is decided by the schema alone: text whose kind is translatable
(kinds.Text.translatable). Everything else (dates, numbers, codes, fees, credits, prerequisites, memberships,
images, a scale's levels...) is a fact of the original, which a translation may repeat but not contradict.
Lists match their original's by position; a mapping (a criterion's levels) keeps its original's keys.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .kinds import Either, Kind, ListOf, MapOf, Record, Text
from .model import Credential, Criterion, Part
from .problem import Problem, Severity

FACT_HINT = "a translation repeats its original's facts or leaves them out: change them in the original"


def loosened(kind: Kind) -> Kind:
    """The kind as a translation reads it: every field may be left out, and a list may have any length
    (a length that differs from the original's is reported by the overlay, which knows both)."""
    if isinstance(kind, Record):
        fields = tuple(
            dataclasses.replace(f, kind=loosened(f.kind), required=False, draft_may_omit=False) for f in kind.fields
        )
        return dataclasses.replace(kind, fields=fields)
    if isinstance(kind, ListOf):
        return dataclasses.replace(kind, item=loosened(kind.item), min_items=0)
    if isinstance(kind, MapOf):
        return dataclasses.replace(kind, value=loosened(kind.value))
    if isinstance(kind, Either):
        return dataclasses.replace(kind, single=loosened(kind.single), mapping=loosened(kind.mapping))
    return kind


def has_text(kind: Kind) -> bool:
    """Whether a value of this kind holds any words a translation may give."""
    if isinstance(kind, Text):
        return kind.translatable
    if isinstance(kind, Record):
        return any(has_text(f.kind) for f in kind.fields)
    if isinstance(kind, ListOf):
        return has_text(kind.item)
    if isinstance(kind, MapOf):
        return has_text(kind.value)
    return False  # Either (a word limit, a scale's levels) and every other kind: facts


def holds_text(kind: Kind, value: Any) -> bool:
    """Whether this value of the kind has words to translate: a review of days alone has none, though its kind
    has a note."""
    if isinstance(kind, Text):
        return kind.translatable and bool(value)
    if isinstance(kind, Record) and isinstance(value, dict):
        return any(holds_text(f.kind, value[f.name]) for f in kind.fields if f.name in value)
    if isinstance(kind, ListOf) and isinstance(value, list):
        return any(holds_text(kind.item, item) for item in value)
    if isinstance(kind, MapOf) and isinstance(value, dict):
        return any(holds_text(kind.value, item) for item in value.values())
    return False


def _shown(value: Any) -> str:
    if isinstance(value, dt.date | Decimal | int | str | bool):
        return f"'{str(value).lower() if isinstance(value, bool) else value}'"
    return "another value"


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


@dataclass
class Overlay:
    """Lays one translation's values over its original's, collecting contradictions and the texts left out."""

    display: str  # the translation's path, where its problems are located
    original: str  # the original's file name (it is beside the translation), named in messages
    lines: dict[str, int]  # the translation's value paths -> lines
    first_line: int  # the translation's front matter's first line, for a problem with no value of its own
    problems: list[Problem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # texts of the original the translation does not give

    def merge(self, kind: Kind, original: Any, given: Any, name: str) -> Any:
        """The original's value with the translation's words in place of its own."""
        if isinstance(kind, Text) and kind.translatable:
            return given
        if isinstance(kind, Record) and isinstance(original, dict):
            return self._record(kind, original, given, name)
        if isinstance(kind, ListOf) and isinstance(original, list) and has_text(kind.item):
            if len(given) != len(original):
                self._problem(
                    name,
                    f"'{name}' has {len(given)} item(s) here and {len(original)} in {self.original}",
                    "a translation gives the same items in the same order; leave the list out to show the original's",
                )
                return original
            return [
                self.merge(kind.item, o, g, f"{name}[{i}]")
                for i, (o, g) in enumerate(zip(original, given, strict=True), 1)
            ]
        if isinstance(kind, MapOf) and isinstance(original, dict) and has_text(kind.value):
            merged = dict(original)
            for key, value in given.items():
                if key not in original:
                    self._problem(
                        _join(name, key),
                        f"'{key}' is not a {kind.key_label} in {self.original}",
                        f"keep the original's names: {', '.join(original)}",
                    )
                    continue
                merged[key] = self.merge(kind.value, original[key], value, _join(name, key))
            self.missing += [_join(name, key) for key in original if key not in given]
            return merged
        if given != original:
            self._problem(
                name, f"'{name}' is {_shown(given)} here but {_shown(original)} in {self.original}", FACT_HINT
            )
        return original

    def _record(self, kind: Record, original: dict[str, Any], given: dict[str, Any], name: str) -> dict[str, Any]:
        merged = dict(original)
        for spec in kind.fields:
            where = _join(name, spec.name)
            if spec.name not in given:
                if spec.name in original and holds_text(spec.kind, original[spec.name]):
                    self.missing.append(where)
                continue
            if spec.name in original:
                merged[spec.name] = self.merge(spec.kind, original[spec.name], given[spec.name], where)
            elif isinstance(spec.kind, Text) and spec.kind.translatable:
                merged[spec.name] = given[spec.name]  # words the original leaves out, such as a criterion's looks_for
            else:
                self._problem(where, f"'{where}' is not given in {self.original}", FACT_HINT)
        return merged

    def _problem(self, name: str, message: str, hint: str) -> None:
        self.problems.append(Problem(self.display, self.lines.get(name, self.first_line), message, hint))

    def missing_problem(self, body_missing: bool, language: str) -> Problem | None:
        """What `check --strict` lists: the original's texts this translation still shows untranslated."""
        left = [*dict.fromkeys(_top(path) for path in self.missing), *(["the body"] if body_missing else [])]
        if not left:
            return None
        return Problem(
            self.display,
            0,
            f"the translation into '{language}' leaves {', '.join(left)} in the original's language",
            f"translate them here; until then pages in '{language}' show {self.original}'s",
            Severity.SUGGESTION,
        )


def _top(path: str) -> str:
    """A field as the author looks for it: requirements[2].criteria[1].levels.Passing -> requirements[2]."""
    return path.split(".")[0]


def named_levels(credential: Credential, language: str) -> Credential:
    """The credential as a page in `language` shows it: each part's scale, pass level and criteria's levels
    named in that language. Criteria keep the order of the default language's levels, so names follow by
    position."""

    def renamed(part: Part) -> Part:
        names = part.scale.named_in(language)
        by_level = dict(zip(part.scale.levels, names, strict=True))
        criteria = tuple(
            Criterion(c.title, c.looks_for, tuple((by_level[level], text) for level, text in c.levels))
            for c in part.criteria
        )
        scale = dataclasses.replace(part.scale, levels=names, names=())
        return dataclasses.replace(part, scale=scale, pass_level=by_level[part.pass_level], criteria=criteria)

    return dataclasses.replace(credential, parts=tuple(renamed(p) for p in credential.parts))

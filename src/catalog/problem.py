"""Problems found in content: one located message each, reported together."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import StrEnum

from .escaping import github_data, github_property, json_text, terminal


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    # A better way to say something that is not wrong (an older form of a field): shown, as an
    # error, only by `check --strict`, so old catalogs build without noise and strict CI stays clean.
    SUGGESTION = "suggestion"


@dataclass(frozen=True, order=True)
class Problem:
    """A single thing wrong with the content, pointing at a file and line."""

    path: str  # relative to the project folder, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format_text(self) -> str:
        where = terminal(self.path) + (f":{self.line}" if self.line else "")
        label = "" if self.severity is Severity.ERROR else "warning: "
        hint = f" ({self.hint})" if self.hint else ""
        # A message may run over lines (a YAML error's context); those lines are indented, so that no
        # text quoted from the content can look like a problem of its own.
        return f"{where}: " + re.sub(r"\n(?=\S)", "\n  ", terminal(f"{label}{self.message}{hint}", lines=True))

    def format_github(self) -> str:
        level = "error" if self.severity is Severity.ERROR else "warning"
        text = self.message + (f" ({self.hint})" if self.hint else "")
        props = f"file={github_property(self.path)}" + (f",line={self.line}" if self.line else "")
        return f"::{level} {props},title=catalog check::{github_data(text)}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


class ContentError(Exception):
    """Raised when content has problems; carries all of them at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = sorted(problems)


def format_problems(problems: list[Problem], style: str) -> str:
    """Render problems for the terminal (text), GitHub Actions (github) or tools (json)."""
    ordered = sorted(problems)
    if style == "json":
        return json_text([p.as_dict() for p in ordered])
    if style == "github":
        return "\n".join(p.format_github() for p in ordered)
    return "\n".join(p.format_text() for p in ordered)


def without_suggestions(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is not Severity.SUGGESTION]


def errors_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


class RenderError(Exception):
    """An output could not be rendered (a refused resource, a template mistake)."""

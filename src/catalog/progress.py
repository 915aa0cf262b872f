"""What a build tells the person running it: problems, notices, progress, summary.

A progress bar (rich) when standard error is a terminal, plain lines otherwise, so
CI logs stay readable; --quiet keeps only problems, --verbose names every output.
Everything said may quote the content, so it goes through the terminal's escaping rule.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from .build import BuildReport
from .escaping import terminal
from .printing import OnPdf
from .problem import Problem, format_problems, without_suggestions

QUIET, NORMAL, VERBOSE = 0, 1, 2


@dataclass
class Reporter:
    level: int = NORMAL
    stream: TextIO = field(default_factory=lambda: sys.stderr)

    @property
    def interactive(self) -> bool:
        return self.stream.isatty()

    def say(self, message: str, level: int = NORMAL, lines: bool = False) -> None:
        """Print a message on one line, or on several with `lines`, its control characters shown escaped."""
        if self.level >= level:
            print(terminal(message, lines), file=self.stream, flush=True)

    def problems(self, problems: list[Problem], style: str = "text") -> None:
        """Errors and warnings; suggestions are for `check --strict` only."""
        if shown := without_suggestions(problems):
            print(format_problems(shown, style), file=self.stream, flush=True)

    @contextmanager
    def pdf_progress(self) -> Iterator[OnPdf]:
        """A callback for each rendered PDF: a bar on a terminal, a line each otherwise."""
        if self.level == QUIET:
            yield lambda slug, done, total: None
            return
        if not self.interactive:
            yield lambda slug, done, total: self.say(f"PDF {done}/{total} {slug}")
            return
        from rich.console import Console  # only for a bar on a terminal: a tenth of a second of every start
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("Rendering PDFs"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", markup=False),  # a file name, not rich markup
            console=Console(file=self.stream),
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None)

            def advance(slug: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description=terminal(slug))

            yield advance

    def summary(self, report: BuildReport, out: str) -> None:
        for notice in report.notices:
            self.say(f"notice: {notice}", QUIET)
        self.problems(report.warnings)
        if self.level >= VERBOSE:
            for path in report.rendered_pages:
                self.say(f"rendered {path}", VERBOSE)
        self.say(f"{out}: {report.summary()}")

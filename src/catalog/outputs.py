"""What a build made or carried over, recorded in the build cache as it goes: every output is keyed by what it
was made from, and one whose key is unchanged is carried over from the previous output folder (see build.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import forked
from .cache import BuildCache, OutputRecord, digest_memo
from .writer import StagedOutput

if TYPE_CHECKING:  # the build's report, which build.py makes
    from .build import BuildReport


@dataclass
class Outputs:
    """What this build made or carried over, recorded in the cache as it goes."""

    cache: BuildCache
    previous: dict[str, OutputRecord]
    spare: dict[str, OutputRecord]  # what the staging folder holds from the build before last
    report: BuildReport
    digest_of: Callable[[str], str] = field(default_factory=digest_memo)
    later: list[tuple[str, Callable[[], bytes | str]]] = field(default_factory=list)  # emitted, to be made

    def keep(self, staged: StagedOutput, path: str, record: OutputRecord) -> OutputRecord | None:
        """Carry an output over when its key is unchanged: the record of the file carried over, or None
        when the caller must make it."""
        self.cache.outputs[path] = record
        old = self.previous.get(path)
        live = old is not None and old.key == record.key and old.deps_unchanged(self.digest_of)
        held = self.spare.get(path)
        if held is not None and path in staged.held and held.key == record.key and held.deps_unchanged(self.digest_of):
            staged.keep_spare(path)
            if live and path in staged.existing:
                self.report.reused += 1
            # Else the spare's file differs from the output's: a change, counted as written, which the swap publishes.
            return held
        if live and staged.reuse(path):
            self.report.reused += 1
            return old
        return None

    def draft(self, staged: StagedOutput, path: str, html: str) -> None:
        """Put a provisional page in the staging folder. It replaces the spare's version of the page,
        so the spare's record no longer says what the folder holds: kept, it would publish the draft."""
        self.spare.pop(path, None)
        staged.draft(path, html)

    def emit(self, staged: StagedOutput, path: str, key: str, make: Callable[[], bytes | str]) -> None:
        """A cheap output: made only when its key changed (by `make_all`), and written only when its bytes did.
        Keys by sources are broad (a credential's Open Badges files by everything its page shows), so what a key
        change makes is often what the output folder holds: that file is carried over, its time kept."""
        if self.keep(staged, path, OutputRecord(key)) is None:
            self.later.append((path, make))

    def make_all(self, staged: StagedOutput, workers: int) -> None:
        """Make what `emit` was given to make, by `workers` forked copies when there is much."""
        later, self.later = self.later, []
        made = forked.results([make for _, make in later], workers)
        for (path, _), data in zip(later, made, strict=True):
            if isinstance(data, str):
                data = data.encode()
            if staged.existing.get(path) == len(data) and _holds(staged.out / path, data) and staged.reuse(path):
                self.report.reused += 1
            else:
                staged.write(path, data)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False

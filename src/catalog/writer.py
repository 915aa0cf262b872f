"""The only code that touches the output folder.

A build writes into a staging folder beside the output and swaps it in only
when everything succeeded, so a failed build leaves the old output exactly as
it was. Nothing outside the output folder is ever deleted.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from pathlib import Path

from .problem import RenderError

MARKER = ".catalog-output"  # marks a folder as ours, so we may replace it


class UnsafeOutput(Exception):
    """The output folder is somewhere a build must never replace."""


def check_output_dir(out: Path, protected: list[Path]) -> Path:
    """Refuse an output folder whose replacement would destroy something else."""
    out = out.expanduser().resolve()
    if out == Path(out.anchor):
        raise UnsafeOutput(f"refusing to build into {out}: it is the root of the file system")
    if out == Path.home().resolve():
        raise UnsafeOutput(f"refusing to build into {out}: it is your home folder")
    for folder in protected:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            raise UnsafeOutput(f"refusing to build into {out}: it holds {folder}")
        if out.is_relative_to(folder):
            raise UnsafeOutput(f"refusing to build into {out}: it is inside {folder}")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"refusing to build into {out}: it is a file")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UnsafeOutput(
            f"refusing to build into {out}: it holds files this tool did not make (empty it, or choose another --out)"
        )
    return out


class StagedOutput:
    """A staging folder that becomes the output folder on commit, or vanishes."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out.parent / f".{out.name}.staging-{os.getpid()}"
        self.written: set[str] = set()

    def __enter__(self) -> StagedOutput:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir()
        if not self.reuse(MARKER):
            (self.staging / MARKER).write_bytes(b"")
        self.written.clear()  # the marker is not an output
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging)

    def target(self, relative: str) -> Path:
        """Where a relative output path lands, refusing escapes and duplicates."""
        normal = posixpath.normpath(relative)
        if normal.startswith(("../", "/")) or normal in ("..", ".") or "\\" in normal:
            raise RenderError(f"refused to write '{relative}': it is outside the output folder")
        if normal in self.written:
            raise RenderError(f"two outputs were to be written at '{normal}'")
        self.written.add(normal)
        path = self.staging / normal
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, relative: str, data: bytes | str) -> None:
        path = self.target(relative)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)

    def copy(self, relative: str, source: Path) -> None:
        shutil.copyfile(source, self.target(relative))

    def reuse(self, relative: str) -> bool:
        """Carry a file over from the current output unchanged: a hard link, so same bytes and time.

        Never written to afterwards, so the current output stays intact if this build fails.
        """
        old = self.out / relative
        if not old.is_file() or old.is_symlink():
            return False
        target = self.target(relative)
        try:
            os.link(old, target)
        except OSError:  # a file system without hard links
            shutil.copy2(old, target)
        return True

    def adopt(self, relative: str) -> None:
        """Count a file that a tool wrote into the staging folder itself as an output."""
        if not (self.staging / relative).is_file():
            raise RenderError(f"'{relative}' was not written")
        self.target(relative)

    def size(self, relative: str) -> int:
        return (self.staging / relative).stat().st_size

    def commit(self) -> None:
        """Swap the staging folder in as the output folder."""
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            os.rename(self.out, old)
        os.rename(self.staging, self.out)
        if old.exists():
            shutil.rmtree(old)

"""The only code that touches the output folder.

A build writes into a staging folder beside the output and swaps it in only
when everything succeeded, so a failed build leaves the old output exactly as
it was. Nothing outside the output folder is ever deleted.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path) -> None:
    """Tidy up after a build that was killed: a staging folder is dropped; if the kill came in the
    instant between the two renames of a swap, the previous output is put back first."""
    for leftover in sorted(out.parent.glob(f".{out.name}.*-*")):
        kind, _, pid = leftover.name.rpartition("-")
        if not pid.isdigit() or _alive(int(pid)) or not (leftover / MARKER).exists():
            continue  # not ours, or a build still running
        if kind.endswith(".old") and not out.exists():
            os.rename(leftover, out)
        elif kind.endswith((".old", ".staging")):
            shutil.rmtree(leftover)


# Creating a file costs about half a millisecond of waiting on this kind of virtual disk, and the
# waits overlap: eight threads write a thousand-credential catalog five times faster than one.
WRITERS = 8


def _make(path: Path, action: Callable[[Path], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    action(path)


def _link_or_copy(old: Path, target: Path) -> None:
    try:
        os.link(old, target)
    except OSError:  # a file system without hard links
        shutil.copy2(old, target)


class StagedOutput:
    """A staging folder that becomes the output folder on commit, or vanishes.

    Files are written by a small pool of threads; `flush` waits for them (and raises the
    first failure), and `commit` flushes before the swap.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out.parent / f".{out.name}.staging-{os.getpid()}"
        self.written: set[str] = set()
        self._io: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []

    def __enter__(self) -> StagedOutput:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir()
        self._io = ThreadPoolExecutor(WRITERS, thread_name_prefix="writer")
        if not self.reuse(MARKER):
            self.write(MARKER, b"")
        self.written.clear()  # the marker is not an output
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._io is not None:
            self._io.shutdown(wait=True, cancel_futures=True)
            self._io = None
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
        return self.staging / normal

    def _submit(self, path: Path, action: Callable[[Path], object]) -> None:
        assert self._io is not None, "use StagedOutput as a context manager"
        self._pending.append(self._io.submit(_make, path, action))

    def write(self, relative: str, data: bytes | str) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        self._submit(self.target(relative), lambda path: path.write_bytes(payload))

    def copy(self, relative: str, source: Path) -> None:
        self._submit(self.target(relative), lambda path: shutil.copyfile(source, path))

    def reuse(self, relative: str) -> bool:
        """Carry a file over from the current output unchanged: a hard link, so same bytes and time.

        Never written to afterwards, so the current output stays intact if this build fails.
        """
        old = self.out / relative
        if not old.is_file() or old.is_symlink():
            return False
        self._submit(self.target(relative), lambda path: _link_or_copy(old, path))
        return True

    def adopt(self, relative: str) -> None:
        """Count a file that a tool wrote into the staging folder itself as an output."""
        if not (self.staging / relative).is_file():
            raise RenderError(f"'{relative}' was not written")
        self.target(relative)

    def flush(self) -> None:
        """Wait until every file handed in so far is on disk."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def commit(self) -> None:
        """Swap the staging folder in as the output folder."""
        self.flush()
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            os.rename(self.out, old)
        os.rename(self.staging, self.out)
        if old.exists():
            shutil.rmtree(old)

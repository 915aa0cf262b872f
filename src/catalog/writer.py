"""The only code that touches the output folder.

A build writes into a staging folder beside the output and swaps it in only
when everything succeeded, so a failed build leaves the old output exactly as
it was. Nothing outside the output folder is ever deleted.

The output a build replaces is kept as the next build's staging folder (the
"spare", in the build cache): it already holds almost every file, so a small
change updates a few files instead of creating and deleting thousands, which
on a typical Linux disk costs more than everything else in a rebuild. Files
are never written in place there (they may be hard links to the output's):
a changed one is unlinked and made anew.

One build at a time writes into an output folder: a build holds a lock on a file
beside it (never inside, where it would be published) from reading the build
cache to saving it, and a second build waits for it, for a bounded time.
"""

from __future__ import annotations

import fcntl
import os
import posixpath
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
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


def owner_ended(pid: str) -> bool:
    """Whether the process named by a leftover's number has ended; False for any text that names no process."""
    if not (pid.isascii() and pid.isdigit()):
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):  # another user's process; a number no process can have
        return False
    return False


# How long a build waits for another build into the same folder before giving up: long enough for a
# large catalog's full build, short enough that a CI job never hangs for good.
LOCK_WAIT = 600.0


class OutputBusy(UnsafeOutput):
    """Another build is writing into the output folder, and did not finish in time."""


def _lock_holder(lock: Path) -> str:
    try:
        pid = lock.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


def _is_at(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
    except FileNotFoundError:
        return False


def _take(lock: Path) -> int | None:
    """The lock file, open and locked; None while another process holds it."""
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError:
            os.close(fd)
            raise
        if _is_at(fd, lock):
            return fd
        # The holder removed this file as it let go, and the next build makes a new one: a lock on
        # this one would keep nobody out.
        os.close(fd)


@contextmanager
def output_lock(out: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder for one build; wait up to LOCK_WAIT seconds for another build into it.

    `on_wait` is told once, if the build has to wait. The lock is the file `.<name>.lock` beside the
    folder; the system releases it when its holder ends, however it ends.
    """
    out = check_output_dir(out, [])  # no lock file is made beside a folder a build would refuse
    lock = out.parent / f".{out.name}.lock"
    deadline = time.monotonic() + LOCK_WAIT
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        while (fd := _take(lock)) is None:
            if time.monotonic() > deadline:
                raise OutputBusy(
                    f"{_lock_holder(lock)} is still building into {out} after {LOCK_WAIT:.0f} s "
                    "of waiting; try again when it has finished"
                )
            if on_wait is not None:
                on_wait(f"waiting for {_lock_holder(lock)}, which is building into {out}")
                on_wait = None
            time.sleep(0.1)
    except OSError as error:
        raise UnsafeOutput(
            f"refusing to build into {out}: its lock file {lock} cannot be made ({error.strerror})"
        ) from None
    try:
        os.ftruncate(fd, 0)  # the file a killed build left holds its number
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)


def recover(out: Path) -> None:
    """Tidy up after a build that was killed: a staging folder is dropped; if the kill came in the
    instant between the two renames of a swap, the previous output is put back first."""
    for leftover in sorted(out.parent.glob(f".{out.name}.*-*")):
        kind, _, pid = leftover.name.rpartition("-")
        if not owner_ended(pid) or not (leftover / MARKER).exists():
            continue  # not ours, or a build still running
        if kind.endswith(".old") and not out.exists():
            os.rename(leftover, out)
        elif kind.endswith((".old", ".staging")):
            shutil.rmtree(leftover)


# Creating a file costs about half a millisecond of waiting on this kind of virtual disk, and the
# waits overlap; but every thread also contends for the interpreter lock, which costs system time
# (measured: with eight, a small rebuild spent more time in the kernel than in Python). Four.
WRITERS = 4


LINK_BATCH = 200  # carried-over files are linked in batches: one hand-over to a thread per batch, not per file


def _make(path: Path, action: Callable[[Path], object], replace: bool) -> None:
    if replace:
        # Made beside and renamed over: the file it replaces may be a link to the output's, and a
        # search indexer may be reading it, so it is never written in place nor seen half-written.
        temporary = path.with_name(path.name + ".partial")
        action(temporary)
        os.replace(temporary, path)
        # A rename between two links to one file does nothing: the spare's file may be the output's own (a file
        # carried over by a link again), and the temporary name would be left behind.
        temporary.unlink(missing_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        action(path)


def _link_or_copy(old: str | Path, target: str | Path) -> None:
    try:
        os.link(old, target)
    except FileNotFoundError:
        if os.path.exists(old):
            raise
        raise RenderError(f"'{old}' disappeared from the output folder during the build; build again") from None
    except OSError:  # a file system without hard links
        shutil.copy2(old, target)


def _link_all(pairs: list[tuple[str, str, bool]]) -> None:
    folders: set[str] = set()
    for old, target, replace in pairs:
        if replace:
            _make(Path(target), partial(_link_or_copy, old), replace=True)
            continue
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        _link_or_copy(old, target)


def _remove_stale(staging: Path, stale: list[str]) -> None:
    """Remove what the spare held that this build does not make, and the folders that leaves empty."""
    folders = set()
    for relative in stale:
        (staging / relative).unlink(missing_ok=True)
        folders.add((staging / relative).parent)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != staging:
            try:
                folder.rmdir()
            except OSError:  # not empty: still holds outputs
                break
            folder = folder.parent


def _claim_spare(spare: Path, staging: Path) -> bool:
    """Make the spare the staging folder; False when there is none or it is on another disk."""
    if not (spare / MARKER).is_file():
        return False
    try:
        os.rename(spare, staging)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)
        return False
    return True


class StagedOutput:
    """A staging folder that becomes the output folder on commit, or vanishes.

    Files are written by a small pool of threads; `flush` waits for them (and raises the
    first failure), and `commit` flushes before the swap. With a spare, the staging folder
    starts as the output before last, holding `spare_files`; what this build does not make
    again is removed from it at commit.
    """

    def __init__(self, out: Path, existing: dict[str, int], spare: Path, spare_files: set[str] | None) -> None:
        self.out = out
        self.existing = existing  # the regular files in the output folder now -> size
        self.spare = spare
        self.staging = out.parent / f".{out.name}.staging-{os.getpid()}"
        self.held: set[str] = set()  # files the staging folder holds from the spare, not yet claimed
        self.wanted_spare = spare_files
        self.written: set[str] = set()
        self._links: list[tuple[str, str, bool]] = []  # (carried-over file, its place in staging, replacing one)
        self._io: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []
        self.kept_spare = False  # whether the replaced output was kept as the next spare

    def __enter__(self) -> StagedOutput:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        if self.wanted_spare is not None and _claim_spare(self.spare, self.staging):
            self.held = set(self.wanted_spare)
        else:
            shutil.rmtree(self.spare, ignore_errors=True)  # unknown contents: never trusted
            self.staging.mkdir()
            # At once, not by a writer thread: a staging folder left by a killed build is recognised by it.
            if MARKER in self.existing:
                _link_or_copy(self.out / MARKER, self.staging / MARKER)
            else:
                (self.staging / MARKER).write_bytes(b"")
        self._io = ThreadPoolExecutor(WRITERS, thread_name_prefix="writer")
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._io is not None:
            self._io.shutdown(wait=True, cancel_futures=True)
            self._io = None
        if self.staging.exists():
            shutil.rmtree(self.staging)

    def target(self, relative: str) -> Path:
        """Where a relative output path lands, refusing escapes and duplicates."""
        return self.staging / self._claim(relative)

    def _claim(self, relative: str) -> str:
        """The output path, normalised and counted as written, refusing escapes and duplicates. (A string:
        an incremental build claims every output, and a Path for each cost a third of a second at 1,000.)"""
        normal = posixpath.normpath(relative)
        if normal.startswith(("../", "/")) or normal in ("..", ".") or "\\" in normal:
            raise RenderError(f"refused to write '{relative}': it is outside the output folder")
        if normal in self.written:
            raise RenderError(f"two outputs were to be written at '{normal}'")
        self.written.add(normal)
        return normal

    def _submit(self, relative: str, action: Callable[[Path], object]) -> None:
        assert self._io is not None, "use StagedOutput as a context manager"
        path = self.target(relative)
        replace = relative in self.held
        self.held.discard(relative)
        self._pending.append(self._io.submit(_make, path, action, replace))

    def write(self, relative: str, data: bytes | str) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        self._submit(relative, lambda path: path.write_bytes(payload))

    def copy(self, relative: str, source: Path) -> None:
        self._submit(relative, lambda path: shutil.copyfile(source, path))

    def keep_spare(self, relative: str) -> None:
        """The staging folder already holds this output, unchanged since the build before last."""
        assert relative in self.held
        self.held.discard(relative)
        self._claim(relative)

    def reuse(self, relative: str) -> bool:
        """Carry a file over from the current output unchanged: a hard link, so same bytes and time.

        Never written to afterwards, so the current output stays intact if this build fails.
        """
        if relative not in self.existing:
            return False
        replace = relative in self.held
        self.held.discard(relative)
        normal = self._claim(relative)
        self._links.append((os.path.join(self.out, normal), os.path.join(self.staging, normal), replace))
        if len(self._links) >= LINK_BATCH:
            self._submit_links()
        return True

    def _submit_links(self) -> None:
        assert self._io is not None, "use StagedOutput as a context manager"
        batch, self._links = self._links, []
        self._pending.append(self._io.submit(_link_all, batch))

    def draft(self, relative: str, data: str) -> None:
        """Put a provisional version of an output in place, to be replaced by `write` (see search.py)."""
        payload = data.encode("utf-8")
        _make(self.staging / relative, lambda path: path.write_bytes(payload), replace=relative in self.held)
        self.held.add(relative)  # so that the final version replaces it

    def clear(self, relatives: list[str]) -> None:
        """Remove files the spare holds that a tool is about to write again itself."""
        for relative in relatives:
            if relative in self.held:
                self.held.discard(relative)
                (self.staging / relative).unlink()

    def adopt(self, relative: str) -> None:
        """Count a file that a tool wrote into the staging folder itself as an output."""
        if not (self.staging / relative).is_file():
            raise RenderError(f"'{relative}' was not written")
        self.target(relative)

    def flush(self) -> None:
        """Wait until every file handed in so far is on disk."""
        if self._links:
            self._submit_links()
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def commit(self) -> None:
        """Swap the staging folder in as the output folder; keep the replaced one as the next spare."""
        self.flush()
        _remove_stale(self.staging, sorted(self.held))
        self.held = set()
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            os.rename(self.out, old)
        os.rename(self.staging, self.out)
        if old.exists():
            try:
                self.spare.parent.mkdir(parents=True, exist_ok=True)
                os.rename(old, self.spare)
                self.kept_spare = True
            except OSError:  # the cache is on another disk
                shutil.rmtree(old)

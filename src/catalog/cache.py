"""The build cache: what every output was made from, and rendered PDFs by key.

It lives in a folder that may be deleted at any time (.catalog-cache/ beside the
content by default) and that CI may keep between runs. Anything in it that was
written by another version, or cannot be read, is discarded with a notice.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import __version__

T = TypeVar("T")

FORMAT = 3
FOLDER_NAME = ".catalog-cache"
# What each `build --pdf-shard I/N` run made goes into a folder of its own under this one ("2-of-4"): its
# record (SHARD_RECORD) and the PDFs it rendered, by key. Copying several shards' cache folders into one
# merges them without a conflict, and the next build that renders PDFs takes them in (prune_pdfs).
SHARDS_FOLDER = "shards"
SHARD_RECORD = "pdfs.json"


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_text(*parts: str) -> str:
    return digest_bytes("\0".join(parts).encode())


def file_digest(path: Path) -> str:
    try:
        return digest_bytes(path.read_bytes())
    except OSError:
        return "missing"


def _file_stats(folder: Path, follow_links: bool = True) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of every file under a folder, hidden folders left out, in a stable order: a folder's own files
    by name, then its folders by name. A link to a folder is not followed (nor listed), as os.walk does; one
    scandir a folder, as a walk of the output folder runs on every build and save."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    folders: list[os.DirEntry[str]] = []
    files: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        (folders if is_folder else files).append(entry)
    for entry in sorted(files, key=_name):
        try:
            yield entry.path, entry.stat(follow_symlinks=follow_links)
        except OSError:
            continue
    for entry in sorted(folders, key=_name):
        if not entry.name.startswith(".") and not entry.is_symlink():
            yield from _file_stats(Path(entry.path), follow_links)


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def tree_fingerprint(folders: list[Path], extra: str = "") -> str:
    """A digest of the names, sizes and modification and change times of every file under the folders.

    Cheap (no file is read), so an unchanged project is recognised without parsing anything. The change time too:
    a copy that keeps the modification time (`cp -p`, rsync -t, an unpacked archive) over a file of the same size
    changes only that, and no one can set it back.
    """
    entries = [extra]
    for folder in folders:
        entries += (
            f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}" for path, info in _file_stats(folder)
        )
    return digest_text(*entries)


@dataclass(frozen=True)
class OutputSnapshot:
    """What the output folder holds now, from one walk: an edited or deleted output is noticed."""

    state: str  # digest of names, sizes and times; "" when there is no output folder
    sizes: dict[str, int]  # every regular file (not a link) by its path in the folder -> size
    times: dict[str, int]  # the same files -> modification time in nanoseconds

    @classmethod
    def take(cls, out: Path) -> OutputSnapshot:
        if not out.is_dir():
            return cls("", {}, {})
        entries, sizes, times = [], {}, {}
        start = len(str(out)) + 1
        for path, info in _file_stats(out, follow_links=False):
            entries.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
            if stat.S_ISREG(info.st_mode):
                relative = path[start:].replace(os.sep, "/")
                sizes[relative], times[relative] = info.st_size, info.st_mtime_ns
        return cls(digest_text(*entries), sizes, times)

    def files(self) -> dict[str, list[int]]:
        return {path: [size, self.times[path]] for path, size in self.sizes.items()}

    def as_left(self, recorded: dict[str, list[int]]) -> dict[str, int]:
        """The sizes of the files that are as a build left them (`recorded` by its `files()`):
        only those may be carried over into the next output."""
        return {path: size for path, size in self.sizes.items() if recorded.get(path) == [size, self.times[path]]}


@dataclass
class OutputRecord:
    key: str  # digest of everything the output was made from
    deps: dict[str, str] = field(default_factory=dict)  # files a PDF fetched while rendering -> digest
    sources: str = ""  # a PDF: digest of the sources of its print HTML, so unchanged ones are not even rendered
    indexed: bool = False  # a page: whether it is marked for the search index

    def deps_unchanged(self, digest_of: Callable[[str], str]) -> bool:
        """Whether every file it was made from is as it was; `digest_of` may remember digests for a build."""
        return all(digest_of(path) == digest for path, digest in self.deps.items())


def digest_memo() -> Callable[[str], str]:
    """File digests taken once for a whole build: every PDF names the same stylesheet and fonts."""
    return cache(lambda path: file_digest(Path(path)))


@dataclass
class BuildCache:
    folder: Path
    out: Path
    inputs: str = ""
    input_folders: list[Path] = field(default_factory=list)  # what `inputs` was computed over
    input_settings: str = ""  # the build's settings, which `inputs` also covers (see build._settings)
    output_state: str = ""
    output_files: dict[str, list[int]] = field(default_factory=dict)  # of the state: path -> [size, time]
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    spare: dict[str, OutputRecord] = field(default_factory=dict)  # what the spare output folder holds
    sharded: dict[str, OutputRecord] = field(default_factory=dict)  # the PDFs of the shard runs, by output path
    notices: list[str] = field(default_factory=list)
    _elsewhere: dict[str, OutputRecord] | None = field(default=None, repr=False)  # see pdfs_elsewhere

    @property
    def manifest(self) -> Path:
        # One manifest per output folder, so `build` and `serve` do not undo each other's work.
        return self.folder / f"manifest-{digest_text(str(self.out))[:12]}.json"

    @property
    def files_record(self) -> Path:
        """Each output file's size and time, read only when the output folder was changed after a build."""
        return self.folder / f"files-{digest_text(str(self.out))[:12]}.json"

    @property
    def spare_folder(self) -> Path:
        """The output before last, kept to be updated into the next one (see writer.py)."""
        return self.folder / f"spare-{digest_text(str(self.out))[:12]}"

    @classmethod
    def open(cls, folder: Path, out: Path) -> BuildCache:
        cache = cls(folder.resolve(), out.resolve())
        cache.sharded = cache._shard_records()
        if not cache.manifest.exists():
            return cache
        if (held := _held.get(cache.manifest)) is not None:  # as this process saved it: `serve`
            cache.inputs, cache.input_folders, cache.input_settings, cache.output_state = held[0]
            cache.outputs, cache.spare = dict(held[1]), dict(held[2])
            return cache
        try:
            data: dict[str, Any] = json.loads(cache.manifest.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("catalog") != __version__:
                cache.notices.append(
                    f"the build cache in {folder} was made by another version of catalog; rebuilding everything"
                )
                cache.discard()
                return cache
            cache.inputs = str(data["inputs"])
            cache.input_folders = [Path(str(p)) for p in data["input_folders"]]
            cache.input_settings = str(data["input_settings"])
            cache.output_state = str(data["output_state"])
            cache.outputs = _records(data["outputs"])
            cache.spare = _records(data.get("spare", {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            cache.notices.append(f"the build cache in {folder} could not be read; rebuilding everything")
            cache.discard()
            cache.inputs, cache.output_state, cache.outputs, cache.spare = "", "", {}, {}
        return cache

    def pdfs_elsewhere(self) -> dict[str, OutputRecord]:
        """The PDFs the builds into this cache's other output folders recorded, by output path (read once)."""
        if self._elsewhere is None:
            self._elsewhere = {}
            for manifest in sorted(self.folder.glob("manifest-*.json")):
                if manifest == self.manifest:
                    continue
                try:
                    data = json.loads(manifest.read_text(encoding="utf-8"))
                    if data.get("format") == FORMAT and data.get("catalog") == __version__:
                        outputs = {p: rec for p, rec in data["outputs"].items() if p.endswith(".pdf")}
                        self._elsewhere |= _records(outputs)
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    continue  # another build's damaged record: that build will say so
        return self._elsewhere

    def _shard_records(self) -> dict[str, OutputRecord]:
        """Every shard run's records, merged; one written by another version, or damaged, is left out."""
        records: dict[str, OutputRecord] = {}
        for record in sorted((self.folder / SHARDS_FOLDER).glob(f"*/{SHARD_RECORD}")):
            try:
                data = json.loads(record.read_text(encoding="utf-8"))
                if data.get("format") == FORMAT and data.get("catalog") == __version__:
                    records |= _records(data["pdfs"])
                    continue
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass
            self.notices.append(f"{record} was written by another version of catalog, or is damaged; left out")
        return records

    def shard_folder(self, shard: str) -> Path:
        """Where the shard named `shard` ("2-of-4") keeps its record and the PDFs it rendered."""
        return self.folder / SHARDS_FOLDER / shard

    def save_shard(self, shard: str, records: dict[str, OutputRecord]) -> None:
        data = {"format": FORMAT, "catalog": __version__, "pdfs": _records_data(records)}
        self.shard_folder(shard).mkdir(parents=True, exist_ok=True)
        _replace_text(self.shard_folder(shard) / SHARD_RECORD, json.dumps(data))

    def recorded_files(self) -> dict[str, list[int]]:
        """The output files as the last build left them, or nothing when that is not known."""
        try:
            data = json.loads(self.files_record.read_text(encoding="utf-8"))
            if data["state"] == self.output_state:
                return {str(path): [int(size), int(time)] for path, (size, time) in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        return {}

    def discard(self) -> None:
        """Forget everything: only files this cache wrote are removed."""
        for pattern in ("manifest-*.json", "files-*.json"):
            for path in self.folder.glob(pattern):
                path.unlink(missing_ok=True)
        shutil.rmtree(self.folder / "pdf", ignore_errors=True)
        for spare in self.folder.glob("spare-*"):
            shutil.rmtree(spare, ignore_errors=True)

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "catalog": __version__,
            "out": str(self.out),
            "inputs": self.inputs,
            "input_folders": [str(p) for p in self.input_folders],
            "input_settings": self.input_settings,
            "output_state": self.output_state,
            "outputs": _records_data(self.outputs),
            "spare": _records_data(self.spare),
        }
        _replace_text(self.files_record, json.dumps({"state": self.output_state, "files": self.output_files}))
        _replace_text(self.manifest, json.dumps(data))  # indented, it went through the pure-Python encoder
        # Records are never changed once made (a build makes new ones), so the next build in this process may
        # take these instead of reading the file again, while it is as saved here.
        settings = (self.inputs, list(self.input_folders), self.input_settings, self.output_state)
        _held.put(self.manifest, (settings, dict(self.outputs), dict(self.spare)))

    def pdf_blob(self, key: str) -> Path:
        """The PDF made with this key, among this cache's or else a shard run's; its place in this cache's
        when there is none yet."""
        blob = self.folder / "pdf" / f"{key}.pdf"
        if not blob.is_file():
            blob = next((self.folder / SHARDS_FOLDER).glob(f"*/pdf/{key}.pdf"), blob)
        return blob

    def store_pdf(self, key: str, data: bytes, shard: str = "") -> None:
        """Keep a PDF by its key in this cache's PDFs, or in those of the shard run named `shard`."""
        blob = (self.shard_folder(shard) if shard else self.folder) / "pdf" / f"{key}.pdf"
        blob.parent.mkdir(parents=True, exist_ok=True)
        temporary = blob.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, blob)

    def prune_pdfs(self, printed: bool) -> None:
        """Drop PDFs that no manifest refers to any more, so the cache does not grow for ever. A build that
        `printed` takes in the shard runs' PDFs it used (its manifest now records them) and drops the rest."""
        keep = {rec.key for rec in self.outputs.values()}
        if printed and (self.folder / SHARDS_FOLDER).is_dir():
            for blob in (self.folder / SHARDS_FOLDER).glob("*/pdf/*.pdf"):
                if blob.stem in keep:
                    (self.folder / "pdf").mkdir(exist_ok=True)
                    os.replace(blob, self.folder / "pdf" / blob.name)
            shutil.rmtree(self.folder / SHARDS_FOLDER)
        for manifest in self.folder.glob("manifest-*.json"):
            if manifest != self.manifest:
                try:
                    keep |= {str(rec["key"]) for rec in json.loads(manifest.read_text())["outputs"].values()}
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    manifest.unlink(missing_ok=True)
        folder = self.folder / "pdf"
        if folder.is_dir():
            for blob in folder.glob("*.pdf"):
                if blob.stem not in keep:
                    blob.unlink(missing_ok=True)


def file_signature(path: Path) -> tuple[int, int, int]:
    """Which file is at `path`, and as it was when last written: (inode, size, modification time)."""
    try:
        info = path.stat()
    except OSError:
        return (0, 0, 0)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


class Held(Generic[T]):
    """What this process last read from or wrote to each of some files, kept while the file is as it was then:
    `serve` builds again on every save, and parsing the same files again was a good part of a rebuild."""

    def __init__(self) -> None:
        self._by_file: dict[Path, tuple[tuple[int, int, int], T]] = {}

    def get(self, path: Path) -> T | None:
        held = self._by_file.get(path)
        return held[1] if held is not None and held[0] == file_signature(path) else None

    def put(self, path: Path, value: T, signature: tuple[int, int, int] | None = None) -> None:
        """Keep `value` for the file as it is now, or as it was at `signature` (taken before it was read)."""
        self._by_file[path] = (signature or file_signature(path), value)


# The manifests this process saved (see BuildCache.save): settings, outputs, spare.
Settings = tuple[str, list[Path], str, str]  # inputs, input folders, input settings, output state
_held: Held[tuple[Settings, dict[str, OutputRecord], dict[str, OutputRecord]]] = Held()


def _replace_text(path: Path, text: str) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")  # one per process: builds may share a cache
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _records(data: dict[str, Any]) -> dict[str, OutputRecord]:
    return {
        str(path): OutputRecord(
            str(rec["key"]),
            {str(k): str(v) for k, v in rec.get("deps", {}).items()},
            str(rec.get("sources", "")),
            bool(rec.get("indexed", False)),
        )
        for path, rec in data.items()
    }


def _records_data(records: dict[str, OutputRecord]) -> dict[str, Any]:
    return {
        path: {
            "key": rec.key,
            **({"deps": rec.deps} if rec.deps else {}),
            **({"sources": rec.sources} if rec.sources else {}),
            **({"indexed": True} if rec.indexed else {}),
        }
        for path, rec in sorted(records.items())
    }

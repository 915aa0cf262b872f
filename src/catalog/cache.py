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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 1
FOLDER_NAME = ".catalog-cache"


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_text(*parts: str) -> str:
    return digest_bytes("\0".join(parts).encode())


def file_digest(path: Path) -> str:
    try:
        return digest_bytes(path.read_bytes())
    except OSError:
        return "missing"


def tree_fingerprint(folders: list[Path], extra: str = "") -> str:
    """A digest of the names, sizes and modification times of every file under the folders.

    Cheap (no file is read), so an unchanged project is recognised without parsing anything.
    """
    entries = [extra]
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return digest_text(*entries)


@dataclass
class OutputRecord:
    key: str  # digest of everything the output was made from
    deps: dict[str, str] = field(default_factory=dict)  # files a PDF fetched while rendering -> digest

    def deps_unchanged(self) -> bool:
        return all(file_digest(Path(path)) == digest for path, digest in self.deps.items())


@dataclass
class BuildCache:
    folder: Path
    out: Path
    inputs: str = ""
    input_folders: list[Path] = field(default_factory=list)  # what `inputs` was computed over
    output_state: str = ""
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        # One manifest per output folder, so `build` and `serve` do not undo each other's work.
        return self.folder / f"manifest-{digest_text(str(self.out))[:12]}.json"

    @classmethod
    def open(cls, folder: Path, out: Path) -> BuildCache:
        cache = cls(folder.resolve(), out.resolve())
        if not cache.manifest.exists():
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
            cache.output_state = str(data["output_state"])
            cache.outputs = {
                str(path): OutputRecord(str(rec["key"]), {str(k): str(v) for k, v in rec.get("deps", {}).items()})
                for path, rec in data["outputs"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            cache.notices.append(f"the build cache in {folder} could not be read; rebuilding everything")
            cache.discard()
            cache.inputs, cache.output_state, cache.outputs = "", "", {}
        return cache

    def discard(self) -> None:
        """Forget everything: only files this cache wrote are removed."""
        for path in self.folder.glob("manifest-*.json"):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.folder / "pdf", ignore_errors=True)

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "catalog": __version__,
            "out": str(self.out),
            "inputs": self.inputs,
            "input_folders": [str(p) for p in self.input_folders],
            "output_state": self.output_state,
            "outputs": {
                path: {"key": rec.key, **({"deps": rec.deps} if rec.deps else {})}
                for path, rec in sorted(self.outputs.items())
            },
        }
        temporary = self.manifest.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, self.manifest)

    def pdf_blob(self, key: str) -> Path:
        return self.folder / "pdf" / f"{key}.pdf"

    def store_pdf(self, key: str, data: bytes) -> None:
        blob = self.pdf_blob(key)
        blob.parent.mkdir(parents=True, exist_ok=True)
        temporary = blob.with_suffix(".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, blob)

    def prune_pdfs(self) -> None:
        """Drop PDFs that no manifest refers to any more, so the cache does not grow for ever."""
        keep = {rec.key for rec in self.outputs.values()}
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


def output_state(out: Path) -> str:
    """Names, sizes and times of what is in the output folder now: an edited or deleted output is noticed."""
    return tree_fingerprint([out]) if out.is_dir() else ""

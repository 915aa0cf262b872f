"""Incremental build timings: full build, no-change rebuild, one-credential edit.

    python bench/incremental.py [--sizes sample 200] [--jobs N]

Prints one row per catalog: seconds and PDFs rendered for each kind of build, both
in-process (what `serve` does on a save) and through the command line (what a
person or CI runs, Python start-up included).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

from catalog.build import BuildOptions, build  # noqa: E402
from catalog.pdf import usable_cores  # noqa: E402


def edit_one(content: Path, round_: int) -> None:
    path = sorted((content / "credentials").glob("*.md"))[0]
    text = path.read_text()
    path.write_text(text.replace("title: ", f"title: Edited {round_} ", 1))


def cli_seconds(content: Path, out: Path, cache: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "build",
            "--content",
            str(content),
            "--out",
            str(out),
            "--cache",
            str(cache),
            "--jobs",
            str(jobs),
            "--quiet",
        ],
        check=True,
    )
    return time.perf_counter() - started


def measure(name: str, content: Path, work: Path, jobs: int) -> list[str]:
    out = work / "dist"
    options = BuildOptions(content, out, jobs=jobs, cache_dir=work / "cache")
    started = time.perf_counter()
    full = build(options)
    full_s = time.perf_counter() - started
    started = time.perf_counter()
    same = build(options)
    same_s = time.perf_counter() - started
    edit_one(content, 1)
    started = time.perf_counter()
    edited = build(options)
    edit_s = time.perf_counter() - started
    edit_one(content, 3)  # a second save, as in `serve`: WeasyPrint is already set up
    started = time.perf_counter()
    warm = build(options)
    warm_s = time.perf_counter() - started
    same_cli = cli_seconds(content, out, work / "cache", jobs)
    edit_one(content, 2)
    edit_cli = cli_seconds(content, out, work / "cache", jobs)
    count = len(list((content / "credentials").glob("*.md")))
    return [
        name,
        str(count),
        f"{full_s:.2f}",
        str(len(full.rendered_pdfs)),
        f"{same_s:.3f}",
        str(len(same.rendered_pdfs)),
        f"{edit_s:.2f}",
        str(len(edited.rendered_pdfs)),
        f"{warm_s:.2f}",
        str(len(warm.rendered_pdfs)),
        f"{same_cli:.2f}",
        f"{edit_cli:.2f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["sample", "200"])
    parser.add_argument("--jobs", type=int, default=usable_cores())
    args = parser.parse_args()
    header = [
        "catalog",
        "credentials",
        "full s",
        "PDFs",
        "no-change s",
        "PDFs",
        "one edit s",
        "PDFs",
        "next edit s",
        "PDFs",
        "no-change CLI s",
        "one edit CLI s",
    ]
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            content = work / "content"
            if size == "sample":
                shutil.copytree(ROOT / "content", content)
            else:
                generate(int(size), content)
            rows.append(measure(size, content, work, args.jobs))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"jobs={args.jobs}")
    for row in [header, *rows]:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()

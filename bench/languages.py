"""What languages cost: build times of a catalog in several languages against the same catalog in English alone.

    python bench/languages.py [--count 60] [--repeat 3] [--jobs N]

Two catalogs: tests/fixtures/multilingual (en, es, ar and ja, with its Arabic and Japanese fonts copied in from
Debian's Noto packages as the tests do) against the same files with `languages: [en]`, the scales' names in
other languages and every translation left out; and `bench/generate.py COUNT --languages en,es,ar` against
`--languages en`. Each is built through the command line, as a person or CI runs it, HTML only (--no-pdf) and
with its PDFs, --repeat times from cold (a fresh output and cache folder each time); the median is shown,
with the number of pages and PDFs the build made.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from generate import generate  # noqa: E402

from catalog.pdf import usable_cores  # noqa: E402

from conftest import multilingual_content  # noqa: E402

SUMMARY = re.compile(r"rendered (\d+) pages and (\d+) PDFs")
TRANSLATION = re.compile(r"^[^.]+\.[a-z]{2}(-[A-Za-z0-9]+)*\.md$")


def english_only(content: Path) -> Path:
    """The same catalog in English alone: languages: [en], no translations, no scale names in other languages."""
    for path in content.rglob("*.md"):
        if TRANSLATION.match(path.name):
            path.unlink()
    site = content / "site.yml"
    lines = site.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not re.match(r"^\s+(es|ar|ja): \[", line)]
    site.write_text("\n".join(kept).replace("languages: [en, es, ar, ja]", "languages: [en]") + "\n", encoding="utf-8")
    return content


def cold_build(content: Path, work: Path, jobs: int, pdf: bool) -> tuple[float, str]:
    """Seconds of one build into a fresh output and cache folder, and its summary ("N pages and M PDFs")."""
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(work / "dist")]
    command += ["--cache", str(work / "cache"), "--jobs", str(jobs), *([] if pdf else ["--no-pdf"])]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    found = SUMMARY.search(result.stderr)
    assert found, result.stderr
    return seconds, f"{found[1]} pages, {found[2]} PDFs"


def measure(name: str, make: Callable[[Path], Path], repeat: int, jobs: int) -> list[str]:
    row = [name]
    with tempfile.TemporaryDirectory() as temporary:
        content = make(Path(temporary) / "content")
        for pdf in (False, True):
            runs = []
            for round_ in range(repeat):
                work = Path(temporary) / f"{'pdf' if pdf else 'html'}-{round_}"
                runs.append(cold_build(content, work, jobs, pdf))
            row += [f"{statistics.median(seconds for seconds, _ in runs):.2f}", runs[0][1]]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="credentials in the generated catalog")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=usable_cores())
    args = parser.parse_args()
    count = args.count

    def generated(languages: tuple[str, ...]) -> Callable[[Path], Path]:
        def make(content: Path) -> Path:
            generate(count, content, languages=languages)
            return content

        return make

    catalogs: list[tuple[str, Callable[[Path], Path]]] = [
        ("fixture en,es,ar,ja", multilingual_content),
        ("fixture en", lambda content: english_only(multilingual_content(content))),
        (f"generated {count} en,es,ar", generated(("en", "es", "ar"))),
        (f"generated {count} en", generated(("en",))),
    ]
    header = ["catalog", "HTML-only s", "made", "with PDFs s", "made"]
    rows = [measure(name, make, args.repeat, args.jobs) for name, make in catalogs]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(f"jobs={args.jobs}, median of {args.repeat} cold builds through the command line")
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )


if __name__ == "__main__":
    main()

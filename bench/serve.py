"""Save-to-visible in the preview server: how long after an editor's save the page, its PDF, and the rest are served.

    python bench/serve.py [--sizes 200 1000] [--saves 5] [--no-pdf]

For each size, a generated catalog is served by `build.py serve` in a subprocess. Before any PDF is made the
pages must be served already (the first row says when the first page and the first PDF were served). Then one
credential is saved several times, each time by an atomic rename (as editors save) with a new marker sentence in
its body, and the server is polled every 25 ms: "page" is the time until its page shows the marker, "PDF" until
its PDF has changed, "settled" until the rebuild that follows has published the new site (its "rebuilt" line, said
as the rebuilt output folder takes the old one's place and open pages reload: the stack and index pages, the search
index and the data files are then served new; the build goes on saving its records for a tenth of a second or two).
Median and range of the saves.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

POLL = 0.025
LIMIT = 60.0  # seconds to wait for anything after a save
FIRST_LIMIT = 3600.0  # for the first PDF of a cold start


class Preview:
    """`serve` in a subprocess, its terminal lines timed as they come."""

    def __init__(self, content: Path, cache: Path, pdf: bool) -> None:
        command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--port", "0"]
        command += ["--cache", str(cache), *([] if pdf else ["--no-pdf"])]
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.rebuilds: list[float] = []  # when each rebuild ended
        self.url = ""
        threading.Thread(target=self._read, daemon=True).start()
        while not self.url:
            if self.process.poll() is not None:
                raise SystemExit("serve stopped before serving")
            time.sleep(POLL)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if line.startswith(("rebuilt:", "rebuild failed")):
                self.rebuilds.append(time.monotonic())
            elif match := re.search(r"serving on (http://\S+)", line):
                self.url = match.group(1)

    def get(self, path: str) -> bytes | None:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return bytes(response.read())
        except urllib.error.HTTPError:
            return None

    def stop(self) -> None:
        self.process.send_signal(2)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wait_for(check: Callable[[], object], since: float, limit: float) -> float | None:
    while time.monotonic() - since < limit:
        if check():
            return time.monotonic() - since
        time.sleep(POLL)
    return None


def settle(preview: Preview) -> None:
    """Until no rebuild has ended for three seconds."""
    while True:
        count = len(preview.rebuilds)
        time.sleep(3)
        if len(preview.rebuilds) == count:
            return


def figures(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "-"
    missed = f" ({len(values) - len(known)} missed)" if len(known) < len(values) else ""
    return f"{statistics.median(known):.3f} ({min(known):.3f}-{max(known):.3f}){missed}"


def measure(size: int, saves: int, pdf: bool) -> list[str]:
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        content = work / "content"
        generate(size, content)
        source = sorted((content / "credentials").glob("*.md"))[size // 2]
        slug = source.stem
        page, pdf_path = f"credentials/{slug}/", f"credentials/{slug}/{slug}.pdf"
        preview = Preview(content, work / "cache", pdf)
        try:
            first_page = time.monotonic() - preview.started
            first_pdf = wait_for(lambda: preview.get(pdf_path), preview.started, FIRST_LIMIT) if pdf else None
            settle(preview)
            original = source.read_text()
            pages, pdfs, settled = [], [], []
            for number in range(saves):
                marker = f"Marker sentence {number}.".encode()
                old_pdf = preview.get(pdf_path)
                ended = len(preview.rebuilds)
                temporary_file = source.with_name(f".{source.name}.tmp")
                temporary_file.write_text(original.rstrip("\n") + f"\n\n{marker.decode()}\n")
                saved = time.monotonic()
                os.replace(temporary_file, source)
                pages.append(wait_for(lambda m=marker: m in (preview.get(page) or b""), saved, LIMIT))
                if pdf:
                    pdfs.append(wait_for(lambda old=old_pdf: preview.get(pdf_path) not in (None, old), saved, LIMIT))
                done = wait_for(lambda n=ended: len(preview.rebuilds) > n, saved, LIMIT)
                settled.append(preview.rebuilds[ended] - saved if done is not None else None)
                settle(preview)
        finally:
            preview.stop()
    return [
        str(size),
        f"{first_page:.2f}",
        f"{first_pdf:.1f}" if first_pdf is not None else "-",
        figures(pages),
        figures(pdfs) if pdf else "-",
        figures(settled),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[200, 1000])
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--no-pdf", dest="pdf", action="store_false")
    args = parser.parse_args()
    header = ["credentials", "first page s", "first PDF s", "page s", "PDF s", "settled s"]
    rows = [measure(size, args.saves, args.pdf) for size in args.sizes]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"save to visible in `serve` ({args.saves} saves each: median (range)); cores: {os.cpu_count()}")
    for row in [header, *rows]:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()

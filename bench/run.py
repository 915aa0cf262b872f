"""The performance table: full builds, HTML-only builds, rebuilds, and the bare-WeasyPrint floor.

    python bench/run.py [--sizes 12 200 1000] [--jobs N] [--repeat 3] [--pairs 1]

For each catalog size (12 is the sample; others come from bench/generate.py) it measures, each in a
fresh process through the command line: a full build with PDFs (wall seconds, PDFs per second, peak
memory of the build and its workers together), an HTML-only build (--no-pdf, into a fresh folder and
cache), a no-change rebuild and a one-credential edit; the last three --repeat times (median, range).
The floor renders the very same print HTML with bare WeasyPrint in one loop in one process, nothing
else; the ratio compares our full build with that floor divided by the cores used. The same loops
split across the cores, run at once, show what the cores really give: on a machine whose cores slow
each other down, floor/cores is out of reach for anything. The "tuned" loops are the same split
loops with our PDF workers' two process settings (catalog.printer.with_stack_room, which sidesteps a
CPython 3.11/3.12 slowdown in deep recursion, and one garbage collection per PDF): they make
WeasyPrint itself faster, so our build can beat the bare floor, and "full / tuned" is our own overhead.
With --pairs N the full build and the tuned floor run N times, taking turns, each ratio taken within a
pair (median, range): this machine drifts by a tenth over minutes, more than the overhead measured.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

from catalog.pdf import PRINT_STYLESHEET, pdf_job, usable_cores  # noqa: E402
from catalog.theme import Theme  # noqa: E402
from catalog.validate import load_catalog  # noqa: E402

FLOOR = """
import gc, sys, time
from pathlib import Path
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
folder, stylesheet, share, shares = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
tuned = sys.argv[5] == "tuned"
fonts = FontConfiguration()
css = CSS(filename=stylesheet, font_config=fonts)
pages = sorted(folder.glob("*.html"))[share::shares]
base = (folder / "base").read_text()
if tuned:  # the two settings of our PDF workers (catalog.printer), nothing else of ours
    sys.path.insert(0, sys.argv[6])
    from catalog.printer import collect_once_per_pdf, with_stack_room
    collect_once_per_pdf()
started = time.perf_counter()
for page in pages:
    document = HTML(string=page.read_text(), base_url=base)
    write = lambda: document.write_pdf(stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1", pdf_forms=True)
    if tuned:
        with_stack_room(write)
        gc.collect()
    else:
        write()
print(time.perf_counter() - started)
"""


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants that are alive now (Linux /proc)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
        found.append(current)
    return found


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total = 0
    for current in process_tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) * 1024
        except (OSError, StopIteration, ValueError):
            continue
    return total


def wait_measuring(process: subprocess.Popen[bytes], started: float, memory: bool) -> tuple[float, int, int]:
    """Wait for a process started at `started` (perf_counter): its wall seconds, the peak memory of its
    process tree when asked (else 0), and its exit code.

    Sampling is done only for the runs whose memory is reported, and only every 250 ms: the full build it
    measures is compared with floors that nobody samples, and every 50 ms cost 1.2 ms of CPU a sample (2.3%
    of a core, about 7 s of CPU over a 1,000-credential build), a percent of "full / tuned". A build's
    memory grows and shrinks over seconds (the catalog, the workers' heaps), so the peak is not missed."""
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    if memory:
        sampler.join()
    return seconds, peak, code


def run(args: list[str], memory: bool = False) -> tuple[float, int]:
    """Wall seconds of one command-line build and, when asked, its peak memory (process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args, "--quiet"])
    seconds, peak, code = wait_measuring(process, started, memory)
    if code != 0:
        raise SystemExit(f"build failed: {args}")
    return seconds, peak


class Floor:
    """Bare WeasyPrint rendering the very print HTML a build renders, in loops of its own: one loop in one
    process, or the loop split across processes running at once (the longest of them is the time), bare or
    with our workers' two process settings (the stack room and one collection per PDF), which make WeasyPrint
    itself faster: what is left between that "tuned" floor and our build is our own overhead."""

    def __init__(self, content: Path, work: Path) -> None:
        catalog, _ = load_catalog(content)
        theme = Theme.with_override(None)
        env, messages = theme.environment(), theme.messages(catalog.site.language)
        self.folder = work / "print-html"
        self.folder.mkdir()
        for credential in catalog.credentials:
            job = pdf_job(env, catalog, credential, messages)
            (self.folder / f"{credential.slug}.html").write_text(job.html)
        (self.folder / "base").write_text(catalog.content_dir.as_uri() + "/")
        self.stylesheet = str(theme.static_files()[PRINT_STYLESHEET])

    def loops(self, shares: int, variant: str = "bare") -> float:
        """The longest of the loops run at once (each prints its own time, WeasyPrint's import left out)."""
        arguments = [str(self.folder), self.stylesheet]
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", FLOOR, *arguments, str(share), str(shares), variant, str(ROOT / "src")],
                stdout=subprocess.PIPE,
                text=True,
            )
            for share in range(shares)
        ]
        outputs = [process.communicate()[0] for process in processes]
        if any(process.returncode != 0 for process in processes):
            raise SystemExit("the floor loop failed")
        return max(float(output.strip()) for output in outputs)


def edit_one(content: Path, round_: int) -> None:
    path = sorted((content / "credentials").glob("*.md"))[0]
    path.write_text(path.read_text().replace("title: ", f"title: Edit {round_} ", 1))


def spread(values: list[float], places: int = 2) -> str:
    """The median of repeated runs, with the range: this machine's timings vary by a tenth or more."""
    low, middle, high = min(values), statistics.median(values), max(values)
    return f"{middle:.{places}f} ({low:.{places}f}-{high:.{places}f})" if len(values) > 1 else f"{middle:.{places}f}"


def measure(size: str, jobs: int, work: Path, repeat: int, pairs: int) -> dict[str, str]:
    content = work / "content"
    if size == "12":
        shutil.copytree(ROOT / "content", content)
    else:
        generate(int(size), content)
    count = len(list((content / "credentials").glob("*.md")))
    pages = count + len(list((content / "stacks").glob("*.md"))) + len(list((content / "pages").glob("*.md"))) + 2
    common = ["build", "--content", str(content), "--jobs", str(jobs)]
    floor = Floor(content, work)
    # Full builds and the tuned floor take turns: this machine's speed drifts by a tenth over minutes, so a full
    # build is compared with the floor run next to it, and the ratio shown is the median of those pairs.
    fulls, peaks, tuneds = [], [], []
    for n in range(pairs):
        full, peak = run([*common, "--out", str(work / f"dist-{n}"), "--cache", str(work / f"cache-{n}")], memory=True)
        fulls.append(full)
        peaks.append(peak)
        tuneds.append(floor.loops(jobs, "tuned"))
    full = statistics.median(fulls)
    same, edit = [], []
    for round_ in range(repeat):
        same.append(run([*common, "--out", str(work / "dist-0"), "--cache", str(work / "cache-0")])[0])
        edit_one(content, round_)
        edit.append(run([*common, "--out", str(work / "dist-0"), "--cache", str(work / "cache-0")])[0])
    html = [
        run([*common, "--no-pdf", "--out", str(work / f"html-{n}"), "--cache", str(work / f"cache-html-{n}")])[0]
        for n in range(repeat)
    ]
    bare, parallel = floor.loops(1), floor.loops(jobs)
    return {
        "credentials": str(count),
        "full s": spread(fulls, 1),
        "PDFs/s": f"{count / full:.2f}",
        "peak MiB": f"{max(peaks) / 2**20:.0f}",
        "HTML-only s": spread(html),
        "pages/s": f"{pages / statistics.median(html):.0f}",
        "no-change s": spread(same),
        "one edit s": spread(edit),
        "floor s": f"{bare:.1f}",
        "floor/cores s": f"{bare / jobs:.1f}",
        "full / (floor/cores)": f"{full / (bare / jobs):.2f}",
        f"floor on {jobs} cores s": f"{parallel:.1f}",
        "full / that": f"{full / parallel:.2f}",
        f"tuned floor on {jobs} cores s": spread(tuneds, 1),
        "full / tuned": spread([f / t for f, t in zip(fulls, tuneds, strict=True)]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["12", "200", "1000"])
    parser.add_argument("--jobs", type=int, default=usable_cores())
    parser.add_argument("--repeat", type=int, default=3, help="runs of each quick measurement (median shown)")
    parser.add_argument("--pairs", type=int, default=1, help="full builds, each followed by a tuned floor (median)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as temporary:
            rows.append(measure(size, args.jobs, Path(temporary), args.repeat, args.pairs))
            print(f"measured {size}", file=sys.stderr, flush=True)
    header = list(rows[0])
    widths = [max(len(h), *(len(r[h]) for r in rows)) for h in header]
    print(f"cores used: {args.jobs}; machine: {os.cpu_count()} cores")
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(row[h].rjust(w) for h, w in zip(header, widths, strict=True)))


if __name__ == "__main__":
    main()

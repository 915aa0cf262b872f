"""Shared test helpers: real projects written into tmp_path, built through the CLI."""

from __future__ import annotations

import functools
import io
import os
import shutil
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest

from catalog.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content"
FIXTURES = Path(__file__).parent / "fixtures"

# Fonts for scripts beyond Latin, from Debian's packages (scripts/install-fonts).
ARABIC_FONT = Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf")
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
INSTALL_FONTS = "run scripts/install-fonts (Debian's fonts-noto-core and fonts-noto-cjk)"


def missing_tool(message: str) -> NoReturn:
    """A test needs a program that is not installed: locally a skip that says how to install it; in CI
    (CI=true), which always installs its tools first, a failure, so a check can never silently not run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; in CI a missing tool is a failure")
    pytest.skip(message)


def system_font(path: Path) -> Path:
    if not path.is_file():
        missing_tool(f"{path.name} is not installed: {INSTALL_FONTS}")
    return path


def japanese_font(destination: Path, text: str) -> Path:
    """Noto Sans CJK JP (the system collection's first face) cut down to the characters of `text`, as a site
    would ship it: the whole face is 16 MB."""
    from fontTools import subset

    options = subset.Options()
    options.font_number = 0  # the collection's first face: Noto Sans CJK JP
    font = subset.load_font(str(system_font(CJK_FONT)), options)
    cutter = subset.Subsetter(options)
    cutter.populate(text=text)
    cutter.subset(font)
    destination.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(destination), options)
    return destination


def multilingual_content(destination: Path) -> Path:
    """A copy of tests/fixtures/multilingual with the two fonts its site.yml names: Debian's Noto Naskh Arabic,
    and Noto Sans CJK JP cut down to every character the Japanese edition shows (the fixture's words, the
    theme's Japanese messages, and those Babel writes: the languages' names, dates such as 2026年3月9日)."""
    from babel import Locale

    shutil.copytree(FIXTURES / "multilingual", destination)
    fonts = destination / "assets" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy(system_font(ARABIC_FONT), fonts)
    texts = [path.read_text(encoding="utf-8") for path in sorted(destination.rglob("*.[my][dm]*"))]
    texts.append((ROOT / "themes/default/translations/ja/LC_MESSAGES/messages.po").read_text(encoding="utf-8"))
    names = [Locale("ja").languages[tag] for tag in ("en", "es", "ar", "ja")]
    japanese_font(fonts / "NotoSansCJKjp-Regular.otf", "".join(texts + names) + "年月日")
    return destination


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run the command line in-process, as `python build.py ...` would."""

    def run(*args: str | Path) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def assert_refused(
    run_cli: Callable[..., Run], content: Path, out: Path, expected: str, *command: str | Path
) -> list[str]:
    """Run a command (default: an HTML-only build) on hostile content: it must end quickly in a problem
    line starting with `expected` (after the content folder's path), exit code 1, no traceback and no
    output folder. Returns the problem lines."""
    started = time.monotonic()
    run = run_cli(*(command or ("build", "--content", content, "--out", out, "--no-pdf")))
    assert time.monotonic() - started < 20
    assert run.code == 1, run.err
    lines = [line.removeprefix(f"{content}/") for line in run.err.splitlines()]
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    assert "Traceback" not in run.err
    assert not out.exists()
    return lines


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a project from an inline dict of relative path -> text (dedented) or bytes."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


SITE_YML = """
    title: Test catalog
    organisation:
      {name: Test Organisation, url: "https://test.example.org/", email: hello@test.example.org}
    scales:
      passing: [Passing, Not yet]
      got-it: [Got it, Not yet]
"""


def originals(folder: Path) -> list[Path]:
    """A content folder's files in the default language, in name order: a translation is <slug>.<lang>.md."""
    return sorted(p for p in folder.glob("*.md") if "." not in p.stem)


def credential_md(title: str = "A credential", extra: str = "", body: str = "Body.") -> str:
    """A valid credential file; `extra` adds front-matter lines."""
    return (
        "---\n"
        f"title: {title}\n"
        "summary: A one-line summary.\n"
        "key_method: The earner does one thing.\n"
        'version: "1.0"\n'
        "published: 2024-01-01\n"
        f"{extra}"
        "requirements:\n"
        "  - title: Overview\n"
        "    scale: passing\n"
        "    pass: Passing\n"
        "    word_limit: 200\n"
        "    criteria:\n"
        "      - title: Clarity\n"
        "        levels:\n"
        "          Passing: Clear.\n"
        "          Not yet: Unclear.\n"
        "---\n"
        f"{body}\n"
    )


ONLY_STACK = """
    ---
    title: Only stack
    summary: The one stack.
    order: 1
    credentials: [first]
    ---
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal valid content folder with one stack (ONLY_STACK) of one credential."""
    return write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "stacks/only.md": ONLY_STACK},
    )


@pytest.fixture(scope="session")
def sample_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built once, with PDFs, through the public entry point."""
    out = tmp_path_factory.mktemp("sample") / "dist"
    code = main(["build", "--content", str(SAMPLE), "--out", str(out)])
    assert code == 0
    return out


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample content to modify."""
    copy = tmp_path / "content"
    shutil.copytree(SAMPLE, copy)
    return copy


class PagesHandler(SimpleHTTPRequestHandler):
    """Serves a folder as GitHub Pages does under a prefix: index.html for folders, 404.html when missing."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        if not path.startswith(self.prefix):
            self.send_error(404)
            return None
        self.path = "/" + path[len(self.prefix) :]
        found = Path(self.translate_path(self.path))
        if found.is_dir() and not path.endswith("/"):
            return super().send_head()  # the redirect to the slash
        if not found.exists() or (found.is_dir() and not (found / "index.html").exists()):
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


def start_pages_server(folder: Path, prefix: str) -> tuple[str, ThreadingHTTPServer]:
    """Serve a folder on a free loopback port under a prefix; returns its address and the server."""
    handler = type("Handler", (PagesHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{prefix}", server


@pytest.fixture
def pages_server() -> Iterator[Callable[[Path, str], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(folder: Path, prefix: str) -> str:
        url, server = start_pages_server(folder, prefix)
        servers.append(server)
        return url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# The system Chromium, driven by Playwright, for every browser test.
CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",  # this machine has no network beyond the package registries
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    missing_tool("Chromium is not installed: run `sudo scripts/install-chromium` (Debian's chromium package)")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def descendants(pid: int) -> set[int]:
    """The processes a process started, and theirs (from /proc: Linux)."""
    children, found, waiting = _children(), set(), [pid]
    while waiting:
        for child in children.get(waiting.pop(), []):
            found.add(child)
            waiting.append(child)
    return found


def running(pid: int) -> bool:
    """Whether a process is there and not a zombie."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False

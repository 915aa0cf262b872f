"""The preview server, for real: a subprocess, HTTP requests, editor-style saves, live reload."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from textwrap import dedent

import pytest

from catalog.serve import is_editor_temporary

from conftest import ROOT, SITE_YML, credential_md, descendants, originals, write_files


class Server:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.url = ""
        threading.Thread(target=self._read, daemon=True).start()
        assert self.ready.wait(60), "the server did not start:\n" + "".join(self.lines)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            if match := re.search(r"serving on (http://\S+)", line):
                self.url = match.group(1)
                self.ready.set()

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def rebuilds(self) -> int:
        return sum(1 for line in self.lines if line.startswith(("rebuilt:", "rebuild failed")))


def eventually(check: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def save_atomically(path: Path, text: str) -> None:
    """As most editors save: write a temporary file beside it, then rename it over the original."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_text(text)
    os.replace(temporary, path)


@contextmanager
def serving(*arguments: str) -> Iterator[Server]:
    """`python ARGUMENTS` (a serve command) in a subprocess; on leaving, Ctrl-C must stop it cleanly."""
    process = subprocess.Popen(
        [sys.executable, *arguments],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield Server(process)
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def serve_arguments(content: Path, cache: Path, *more: str) -> list[str]:
    """`build.py serve` on a content folder, on a free port, with a cache of its own."""
    return [str(ROOT / "build.py"), "serve", "--content", str(content), "--port", "0", "--cache", str(cache), *more]


@contextmanager
def in_own_session(arguments: list[str]) -> Iterator[subprocess.Popen[str]]:
    """`python ARGUMENTS` in a process group of its own, to signal as a whole; killed with its group on leaving."""
    process = subprocess.Popen(
        [sys.executable, *arguments],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def server(sample_copy: Path, tmp_path: Path) -> Iterator[Server]:
    with serving(
        str(ROOT / "build.py"),
        "serve",
        "--content",
        str(sample_copy),
        "--port",
        "0",
        "--base-path",
        "/catalog/",
        "--no-pdf",
        "--cache",
        str(tmp_path / "cache"),
    ) as running:
        yield running


def test_serves_under_the_base_path_only_inside_the_site(server: Server) -> None:
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/catalog/")
    status, body = server.get("")
    assert status == 200 and "Basic Performance Assessment Design" in body
    assert "EventSource" in body  # live reload is injected when serving
    status, body = server.get("credentials/calibrating-scorers/")
    assert status == 200 and "<h1>Calibrating Scorers for Reliability</h1>" in body
    for escape in ("%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc%2fpasswd", "%2E%2E/", "static/%2e%2e/%2e%2e/%2e%2e/x"):
        status, body = server.get(escape)
        assert status == 404, escape
        assert "root:" not in body
    status, body = server.get("no/such/page")
    assert status == 404 and "Page not found" in body
    root = server.url.removesuffix("catalog/")
    with pytest.raises(urllib.error.HTTPError) as outside:
        urllib.request.urlopen(root + "index.html", timeout=10)
    assert outside.value.code == 404


def test_atomic_save_is_served_and_reload_event_sent(server: Server, sample_copy: Path) -> None:
    events: list[str] = []

    def listen() -> None:
        with urllib.request.urlopen(server.url + "__catalog/events?epoch=1", timeout=20) as stream:
            for raw in stream:
                events.append(raw.decode())
                if raw.startswith(b"event: reload"):
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    path = sample_copy / "credentials/calibrating-scorers.md"
    save_atomically(path, path.read_text().replace("Calibrating Scorers for Reliability", "Calibrating Together"))
    eventually(lambda: "Calibrating Together" in server.get("credentials/calibrating-scorers/")[1])
    listener.join(20)
    assert "event: reload\n" in events


def test_failed_rebuild_keeps_site_and_shows_overlay_until_fixed(server: Server, sample_copy: Path) -> None:
    broken = sample_copy / "credentials/designing-a-performance-task.md"
    good = broken.read_text()
    save_atomically(broken, good.replace('version: "2.0"', "version: [2.0"))
    eventually(lambda: "catalog-problems" in server.get("")[1])
    status, body = server.get("credentials/designing-a-performance-task/")
    assert status == 200 and "<h1>Designing a Performance Task</h1>" in body  # the last good page
    assert re.search(r"credentials/designing-a-performance-task\.md:\d+: YAML syntax error", body)
    assert any("designing-a-performance-task.md" in line for line in server.lines)  # and in the terminal
    save_atomically(broken, good)
    eventually(lambda: "catalog-problems" not in server.get("")[1])


def test_a_theme_that_site_yml_comes_to_name_is_watched_from_then_on(server: Server, sample_copy: Path) -> None:
    """The folders watched follow site.yml: an edit of a theme named after the preview started shows."""
    theme = sample_copy.parent / "mytheme"
    (theme / "templates").mkdir(parents=True)
    before = server.rebuilds()
    site = sample_copy / "site.yml"
    save_atomically(site, site.read_text() + "theme: mytheme\n")
    eventually(lambda: server.rebuilds() > before, timeout=60)
    default = (ROOT / "themes/default/templates/credential.html").read_text()
    save_atomically(theme / "templates/credential.html", default.replace("<h1>", '<h1 data-theme="mine">', 1))
    eventually(lambda: 'data-theme="mine"' in server.get("credentials/calibrating-scorers/")[1], timeout=60)
    # And the one it no longer names is not watched: an edit there rebuilds nothing.
    save_atomically(site, site.read_text().replace("theme: mytheme\n", ""))
    eventually(lambda: 'data-theme="mine"' not in server.get("credentials/calibrating-scorers/")[1], timeout=60)
    time.sleep(1)
    settled = server.rebuilds()
    save_atomically(theme / "templates/credential.html", default)
    time.sleep(2)
    assert server.rebuilds() == settled


def test_burst_of_changes_and_editor_files_give_one_rebuild(server: Server, sample_copy: Path) -> None:
    time.sleep(0.5)
    before = server.rebuilds()
    (sample_copy / "credentials/.notes.md.swp").write_text("x")
    (sample_copy / "credentials/notes.md~").write_text("x")
    time.sleep(1.0)
    assert server.rebuilds() == before  # editor scratch files do not trigger anything
    path = sample_copy / "pages/how-to-earn.md"
    text = path.read_text()
    others = originals(sample_copy / "credentials")
    for i in range(1000):  # a thousand touches in a burst, as a branch switch or a search-and-replace makes
        others[i % len(others)].touch()
        if i % 100 == 99:
            path.write_text(text.replace("How to earn a micro-credential", f"How to earn, take {i}"))
    eventually(lambda: "How to earn, take 999" in server.get("")[1])
    time.sleep(1.0)
    assert server.rebuilds() == before + 1


@pytest.mark.parametrize(
    ("path", "temporary"),
    [
        ("content/credentials/a.md", False),
        ("content/credentials/.a.md.swp", True),
        ("content/credentials/a.md~", True),
        ("content/credentials/4913", True),
        ("content/credentials/#a.md#", True),
        ("content/credentials/a.md.tmp", True),
        ("content/.git/index", True),
    ],
)
def test_editor_temporary_files(path: str, temporary: bool) -> None:
    assert is_editor_temporary(path) is temporary


@pytest.mark.parametrize("group", [False, True], ids=["process", "process-group"])
def test_sigterm_while_idle_with_pdf_workers_stops_promptly(project: Path, tmp_path: Path, group: bool) -> None:
    """A polite kill stops the preview once its PDF workers wait for work, also when sent to the whole process
    group (a service manager, `timeout`): workers killed that way used to leave Pool.terminate waiting forever."""
    with in_own_session(serve_arguments(project, tmp_path / "cache")) as process:
        server = Server(process)
        # Pages first, then the build with the PDF: once that is done, the workers are idle.
        eventually(lambda: any("1 PDFs" in line for line in server.lines), timeout=120)
        time.sleep(1)
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0, "".join(server.lines)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopped_during_its_first_build_the_preview_stops_cleanly(tmp_path: Path, how: str) -> None:
    """The first build of a large catalog takes seconds, on forked workers: Ctrl-C (to the terminal's whole process
    group) or a polite kill then stops it and the preview, as later, without a traceback from it or its workers."""
    files = {f"credentials/c{number:03}.md": credential_md(f"Credential {number}") for number in range(80)}
    content = write_files(tmp_path / "content", {"site.yml": SITE_YML, **files})
    with in_own_session(serve_arguments(content, tmp_path / "cache", "--no-pdf")) as process:
        eventually(lambda: len(descendants(process.pid)) >= 2, timeout=60)  # its forked workers
        if how == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert "stopping" in err and "serving on" not in err
        assert "Traceback" not in err and "Error" not in err, err


def test_a_theme_folder_deleted_and_made_again_is_watched_again(tmp_path: Path) -> None:
    """As a checkout of a branch without it, then back, does. A file written beside the content folder meanwhile
    (a log of the preview's own output) gives no rebuild: only the theme folder is awaited there."""
    project = tmp_path / "project"
    content = (
        write_files(
            project,
            {
                "content/site.yml": dedent(SITE_YML) + "theme: mytheme\n",
                "content/credentials/first.md": credential_md("First"),
            },
        )
        / "content"
    )
    default = (ROOT / "themes/default/templates/credential.html").read_text()
    theme = write_files(project / "mytheme", {"templates/credential.html": default})
    with serving(*serve_arguments(content, tmp_path / "c", "--no-pdf")) as server:
        said = len(server.lines)
        shutil.rmtree(theme)
        eventually(lambda: any(line.startswith("rebuild failed") for line in server.lines[said:]), timeout=60)
        time.sleep(1.5)
        settled = server.rebuilds()
        (project / "serve.log").write_text("a log beside the content folder\n")
        time.sleep(1.5)
        assert server.rebuilds() == settled
        write_files(theme, {"templates/credential.html": default.replace("<h1>", '<h1 data-theme="back">', 1)})
        eventually(lambda: 'data-theme="back"' in server.get("credentials/first/")[1], timeout=60)

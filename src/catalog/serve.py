"""`serve`: build, serve on 127.0.0.1, watch the sources, rebuild what changed, reload the browser.

Watch callbacks only note that something changed; one loop waits for the changes
to settle, rebuilds, and bumps an epoch that open pages follow over server-sent
events. A failed rebuild keeps the last good site and shows its problems on top
of every page until a rebuild succeeds.
"""

from __future__ import annotations

import argparse
import html
import mimetypes
import posixpath
import signal
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import BuildOptions, build
from .problem import ContentError, Problem, RenderError
from .progress import Reporter
from .theme import Theme
from .validate import load_site
from .writer import UnsafeOutput

DEBOUNCE = 0.25  # seconds of quiet after the last change before rebuilding
EVENTS = "__catalog/events"
# Files editors write beside the real one while saving, which never hold content.
TEMPORARY_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", ".bak", ".orig")


def is_editor_temporary(path: str) -> bool:
    name = posixpath.basename(path.replace("\\", "/"))
    return (
        not name
        or name.startswith((".", "#"))
        or name.endswith(TEMPORARY_SUFFIXES)
        or name.isdigit()  # vim's write test file, "4913"
        or any(part.startswith(".") for part in Path(path).parts[:-1] if part not in (".", ".."))
    )


@dataclass
class SiteState:
    """What the server shows: which build it is on, and the problems of the last failed one."""

    epoch: int = 0
    problems: list[Problem] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False

    def publish(self, problems: list[Problem]) -> None:
        with self.changed:
            self.epoch += 1
            self.problems = problems
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.epoch != seen or self.stopping, timeout)
            return self.epoch


class ChangeFlag(FileSystemEventHandler):
    """The watchdog callback: it only notes the time of the last relevant change."""

    def __init__(self) -> None:
        self.pending = threading.Event()
        self.last = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        # Reads, and a folder's "modified" (its own entries' events follow anyway), change nothing.
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if all(not p or is_editor_temporary(p) for p in paths):
            return
        self.last = time.monotonic()
        self.pending.set()


def rebuild(options: BuildOptions, state: SiteState, reporter: Reporter) -> None:
    try:
        report = build(options)
    except ContentError as error:
        reporter.problems(error.problems)
        reporter.say("rebuild failed; still serving the last good site", 0)
        state.publish(error.problems)
        return
    except (RenderError, UnsafeOutput) as error:
        reporter.say(f"rebuild failed: {error}", 0)
        state.publish([Problem("build", 0, str(error))])
        return
    reporter.summary(report, "rebuilt")
    state.publish([])


def build_loop(
    options: BuildOptions, state: SiteState, flag: ChangeFlag, reporter: Reporter, stop: threading.Event
) -> None:
    """The only place builds happen, so two never run at once; a burst of changes gives one rebuild."""
    while not stop.is_set():
        if not flag.pending.wait(0.1):
            continue
        while time.monotonic() - flag.last < DEBOUNCE and not stop.is_set():
            time.sleep(0.05)
        flag.pending.clear()
        if not stop.is_set():
            rebuild(options, state, reporter)


def live_reload_snippet(base: str, state: SiteState) -> str:
    """Injected into served HTML only: reload on each new build; show the problems of a failed one."""
    overlay = ""
    if state.problems:
        items = "".join(f"<li>{html.escape(p.format_text())}</li>" for p in state.problems[:50])
        overlay = (
            '<div id="catalog-problems" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;'
            "overflow:auto;z-index:99999;background:#fff4f4;color:#5c0000;border-top:4px solid #b00020;"
            'padding:1rem 1.5rem;font:15px/1.45 monospace;box-shadow:0 -4px 16px #0003">'
            "<strong>The last rebuild failed; this is the last good version. Fix these and save:</strong>"
            f"<ul>{items}</ul></div>"
        )
    script = (
        f'<script>(function(){{var s=new EventSource("{base}{EVENTS}?epoch={state.epoch}");'
        's.addEventListener("reload",function(){s.close();location.reload();});})();</script>'
    )
    return overlay + script


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for build results, not request logs

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_GET(self) -> None:
        self.respond(head=False)

    def respond(self, head: bool) -> None:
        base = self.server.base_path
        path = urlsplit(self.path).path
        if path == base + EVENTS:
            return self.events()
        if not path.startswith(base) and path + "/" != base:
            return self.not_found(head)
        if path + "/" == base:
            return self.redirect(base)
        target = self.server.resolve(unquote(path[len(base) :]))
        if target is None:
            return self.not_found(head)
        if target.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            target = target / "index.html"
            if not target.is_file():
                return self.not_found(head)
        self.send_file(target, HTTPStatus.OK, head)

    def send_file(self, target: Path, status: HTTPStatus, head: bool) -> None:
        data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            snippet = live_reload_snippet(self.server.base_path, self.server.state).encode()
            data = data.replace(b"</body>", snippet + b"</body>", 1) if b"</body>" in data else data + snippet
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def not_found(self, head: bool) -> None:
        page = self.server.root / "404.html"
        if page.is_file():
            return self.send_file(page, HTTPStatus.NOT_FOUND, head)
        body = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"
        page_bytes = body.replace(b"</body>", live_reload_snippet(self.server.base_path, self.server.state).encode())
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page_bytes)))
        self.end_headers()
        if not head:
            self.wfile.write(page_bytes)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def events(self) -> None:
        """Server-sent events: 'reload' whenever a build newer than the page's has finished."""
        query = urlsplit(self.path).query
        seen = int(query.removeprefix("epoch=")) if query.startswith("epoch=") and query[6:].isdigit() else -1
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            current = state.epoch if seen < 0 else seen
            while not state.stopping:
                epoch = state.wait_for_change(current, 10)
                if state.stopping:
                    break
                self.wfile.write(f"event: reload\ndata: {epoch}\n\n".encode() if epoch != current else b": alive\n\n")
                self.wfile.flush()
                current = epoch
        except (BrokenPipeError, ConnectionResetError):
            pass


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, root: Path, base_path: str, state: SiteState) -> None:
        # Loopback only: the preview is for the author at this machine.
        super().__init__(("127.0.0.1", port), Handler)
        self.root = root
        self.base_path = base_path
        self.state = state

    def resolve(self, relative: str) -> Path | None:
        """The file a URL path names inside the site, or None for anything that would leave it."""
        parts = relative.split("/")
        if any(part in ("..", ".") or "\\" in part or "\0" in part for part in parts):
            return None
        root = self.root.resolve()
        target = (root / relative).resolve()
        if target != root and not target.is_relative_to(root):
            return None
        return target if target.exists() else None


def serve(args: argparse.Namespace, reporter: Reporter) -> int:
    content = Path(args.content)
    cache = args.cache or content.resolve().parent / ".catalog-cache"
    # The preview has its own output folder, so it never overwrites the dist/ that is published.
    options = BuildOptions(content, cache / "serve" / "site", args.theme, args.pdf, args.jobs, cache)
    state = SiteState()
    rebuild(options, state, reporter)
    server = PreviewServer(args.port, options.out_dir, args.base_path, state)
    flag = ChangeFlag()
    observer = Observer()
    site = load_site(content)
    watched = [content.resolve(), *Theme.with_override(args.theme or (site.theme if site else None)).roots()]
    for folder in watched:
        observer.schedule(flag, str(folder), recursive=True)
    stop = threading.Event()
    threads = [
        threading.Thread(target=build_loop, args=(options, state, flag, reporter, stop), daemon=True),
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True),
    ]
    observer.start()
    for thread in threads:
        thread.start()
    host, port = server.server_address[:2]
    reporter.say(f"serving on http://{host!s}:{port}{args.base_path} (Ctrl-C to stop)", 0)
    # Ctrl-C and a polite kill stop cleanly, even where a background launch ignored SIGINT.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda number, frame: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    finally:
        reporter.say("stopping", 0)
        stop.set()
        with state.changed:
            state.stopping = True
            state.changed.notify_all()
        server.shutdown()
        server.server_close()
        observer.stop()
        observer.join(5)
        threads[0].join(30)
    return 0

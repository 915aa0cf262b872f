"""The preview's web server: the site as the last build left it (or a page shown ahead of the rebuild), with a
script that reloads open pages on each new build and shows the problems of a failed one.

Any web page the author visits can send requests to 127.0.0.1, and can make its own
host name point there (DNS rebinding): only requests addressed to this server by a
loopback name are answered, and a malformed request gets 400, never a traceback.
"""

from __future__ import annotations

import html
import mimetypes
import posixpath
import re
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problem import Problem
from .progress import QUIET, Reporter
from .quickpage import QuickPages

EVENTS = "__catalog/events"
LOOPBACK_HOST = re.compile(r"(127\.0\.0\.1|localhost|\[::1\])(?::([0-9]{1,5}))?")
MAX_TARGET = 2048  # characters in a request's address; the site's own are far shorter
MAX_NAME = 255  # bytes in one part of a path: no file system has longer names
EPOCH_QUERY = re.compile(r"epoch=([0-9]{1,18})")


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

    def refresh(self) -> None:
        """Open pages reload: something was shown ahead of the rebuild (see quickpage.py)."""
        self.publish(self.problems)

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.epoch != seen or self.stopping, timeout)
            return self.epoch


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


def host_allowed(hosts: list[str], port: int) -> bool:
    """Whether a request's Host header names this server by a loopback name and its port.

    A page from elsewhere whose host name was made to point at 127.0.0.1 still sends its own name."""
    if len(hosts) != 1:
        return False
    match = LOOPBACK_HOST.fullmatch(hosts[0].strip().lower())
    return match is not None and int(match[2] or 80) == port


def target_problem(target: str) -> str | None:
    """What makes a request's address malformed, or None: browsers send printable ASCII, with UTF-8
    percent-encoded, and addresses far shorter than these limits."""
    if len(target) > MAX_TARGET:
        return "the address is too long"
    if not target.startswith("/") or not target.isascii() or not target.isprintable():
        return "the address holds characters that must be percent-encoded"
    if re.search(r"%(?![0-9A-Fa-f]{2})", target):
        return "the address has a malformed percent-encoding"
    try:
        path = unquote(urlsplit(target).path, errors="strict")
    except UnicodeDecodeError:
        return "the address is not UTF-8"
    if not path.isprintable():
        return "the address holds control characters"
    if any(len(part.encode()) > MAX_NAME for part in path.split("/")):
        return "a part of the address is too long"
    return None


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for build results, not request logs

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_GET(self) -> None:
        self.respond(head=False)

    def respond(self, head: bool) -> None:
        if not host_allowed(self.headers.get_all("Host", []), self.server.server_address[1]):
            return self.refuse(HTTPStatus.MISDIRECTED_REQUEST, "this preview answers only to 127.0.0.1 or localhost")
        problem = target_problem(self.path)
        if problem is not None:
            return self.refuse(HTTPStatus.BAD_REQUEST, problem)
        base = self.server.base_path
        address = urlsplit(self.path)
        path = address.path
        if path == base + EVENTS:
            seen = EPOCH_QUERY.fullmatch(address.query)
            if address.query and seen is None:
                return self.refuse(HTTPStatus.BAD_REQUEST, "the query should be epoch=<number>")
            return self.events(int(seen[1]) if seen else -1)
        if not path.startswith(base) and path + "/" != base:
            return self.not_found(head)
        if path + "/" == base:
            return self.redirect(base)
        relative = unquote(path[len(base) :])
        ahead = self.server.quick.get(relative + "index.html" if relative.endswith("/") or not relative else relative)
        if ahead is not None:
            return self.send_page(posixpath.basename(relative) or "index.html", ahead, HTTPStatus.OK, head)
        target = self.server.resolve(relative)
        if target is None:
            return self.not_found(head)
        if target.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            target = target / "index.html"
        data = _read(target)
        if data is None:
            return self.not_found(head)
        self.send_page(target.name, data, HTTPStatus.OK, head)

    def send_page(self, name: str, data: bytes, status: HTTPStatus, head: bool) -> None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
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
        page = _read(self.server.root / "404.html")
        if page is None:  # no site yet (the first build failed): the overlay still shows why
            page = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"
        self.send_page("404.html", page, HTTPStatus.NOT_FOUND, head)

    def refuse(self, status: HTTPStatus, reason: str) -> None:
        body = f"{status.value} {status.phrase}: {reason}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def events(self, seen: int) -> None:
        """Server-sent events: 'reload' whenever a build newer than the page's (`seen`) has finished."""
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


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # missing, a folder, or swapped away by a rebuild since it was found
        return None


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, port: int, root: Path, base_path: str, state: SiteState, quick: QuickPages, reporter: Reporter
    ) -> None:
        # Loopback only: the preview is for the author at this machine.
        super().__init__(("127.0.0.1", port), Handler)
        self.root = root
        self.quick = quick
        self.base_path = base_path
        self.state = state
        self.reporter = reporter

    def resolve(self, relative: str) -> Path | None:
        """The file a URL path names inside the site, or None for anything that would leave it."""
        parts = relative.split("/")
        if any(part in ("..", ".") or "\\" in part or "\0" in part for part in parts):
            return None
        try:
            root = self.root.resolve()
            target = (root / relative).resolve()
        except (OSError, RuntimeError):  # a loop of links, or a name the system refuses
            return None
        if target != root and not target.is_relative_to(root):
            return None
        return target if target.exists() else None

    def handle_error(self, request: object, client_address: object) -> None:
        """One line instead of the default traceback: a browser that went away is no news, anything else a bug."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            self.reporter.say(f"preview: a request failed: {type(error).__name__}: {error}", QUIET)

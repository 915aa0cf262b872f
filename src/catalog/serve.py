"""`serve`: build, serve on 127.0.0.1 (preview.py), watch the sources, rebuild what changed, reload the browser.

Watch callbacks only note that something changed; one loop waits for the changes
to settle, rebuilds, and bumps an epoch that open pages follow over server-sent
events. A failed rebuild keeps the last good site and shows its problems on top
of every page until a rebuild succeeds; so does a rebuild that fails for any other
reason (a bug), and the next save rebuilds again.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import posixpath
import signal
import threading
import time
import traceback
from contextlib import suppress
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from .build import BuildOptions, BuildReport, build
from .cache import BuildCache
from .preview import PreviewServer, SiteState
from .problem import ContentError, Problem, RenderError, without_suggestions
from .progress import QUIET, Reporter
from .quickpage import QuickPages
from .reading import MEMO_FILE, Readings
from .theme import Theme
from .validate import load_catalog, named_theme
from .writer import UnsafeOutput

# Seconds of quiet after the last change before rebuilding. An editor's save (a rename, or a write and a close)
# comes as events a few milliseconds apart, and the saved page is shown ahead of the rebuild anyway (quickpage.py);
# a longer burst (a checkout, a copy of many files) that outlasts it costs one rebuild more, never a wrong site.
DEBOUNCE = 0.1
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


class ChangeFlag(FileSystemEventHandler):
    """The watchdog callback: it notes the time of the last relevant change, whether the theme changed, and
    hands each Markdown file an editor has finished writing to the quick pages."""

    def __init__(self, content: Path, quick: QuickPages | None = None) -> None:
        self.pending = threading.Event()
        self.last = 0.0
        self.content, self.quick = content, quick
        self.theme_changed = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        # Reads, and a folder's "modified" (its own entries' events follow anyway), change nothing.
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if all(not p or is_editor_temporary(p) for p in paths):
            return
        # Written whole: renamed into place (most editors), or closed after writing.
        written = paths[1] if event.event_type == "moved" else paths[0] if event.event_type == "closed" else ""
        if self.quick and not event.is_directory and written.endswith(".md") and not is_editor_temporary(written):
            self.quick.saved(Path(written))
        self.changed(theme=any(p and not Path(p).is_relative_to(self.content) for p in paths))

    def changed(self, theme: bool) -> None:
        """Ask for a rebuild once the changes settle; `theme`: something outside the content folder changed."""
        self.last = time.monotonic()
        self.theme_changed = self.theme_changed or theme
        self.pending.set()


def rebuild(
    options: BuildOptions, state: SiteState, reporter: Reporter, quick: QuickPages, theme_changed: bool = False
) -> None:
    """Build once and publish the outcome; nothing a build raises ends the preview. What was shown ahead of
    this build gives way to it, even when it failed: the last good site is shown then. A new site is published
    (open pages reload) as soon as it is in place, while the build still saves its records."""
    started = time.monotonic()
    published = False

    def publish(report: BuildReport) -> None:
        nonlocal published
        reporter.summary(report, "rebuilt")
        quick.rebuilt(started, report.catalog, theme_changed)
        state.publish([])
        published = True

    try:
        report = build(options, on_wait=reporter.say, collect=False, on_published=publish)
        if not published:  # nothing had changed
            publish(report)
        gc.collect()  # the build's garbage, once the site it made is served
        return
    except ContentError as error:
        reporter.problems(error.problems)
        reporter.say("rebuild failed; still serving the last good site", 0)
        problems = without_suggestions(error.problems)
    except (RenderError, UnsafeOutput) as error:
        reporter.say(f"rebuild failed: {error}", 0)
        problems = [Problem("build", 0, str(error))]
    except Exception as error:  # a bug: shown like a problem, and the next save builds again
        reporter.say("".join(traceback.format_exception(error, limit=-3)).rstrip(), QUIET, lines=True)
        reporter.say(
            "rebuild failed: an unexpected error (above, for a bug report); still serving the last good site", 0
        )
        hint = "a bug in catalog, shown in the terminal; save a file to build again"
        problems = [Problem("build", 0, f"unexpected error: {type(error).__name__}: {error}", hint)]
    quick.rebuilt(started, None, theme_changed)
    state.publish(problems)
    gc.collect()


class Appears(FileSystemEventHandler):
    """Watches a folder for another to be made in it (or a folder on the way to it): a theme named before it is
    there, or made again after it was deleted. Nothing else made there counts: a log written beside the content
    folder would otherwise give a rebuild, which writes to the log, for ever."""

    def __init__(self, flag: ChangeFlag, watched: Path, awaited: Path) -> None:
        self.flag, self.watched, self.awaited = flag, watched, awaited

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = {str(event.src_path), str(getattr(event, "dest_path", "") or "")} - {"", str(self.watched)}
        if any(self.awaited.is_relative_to(path) for path in paths):  # not the watched folder's own "modified"
            self.flag.changed(theme=True)


class Watches:
    """The folders the preview watches: the content folder, and those of the theme it is built with, which an
    edit of site.yml may change while it runs. A theme folder that is not there (yet, or any more) is watched
    for from the nearest folder above it that is (see Appears)."""

    def __init__(self, observer: BaseObserver, flag: ChangeFlag, content: Path, theme_dir: Path | None) -> None:
        self.observer, self.flag, self.content, self.theme_dir = observer, flag, content.resolve(), theme_dir
        # (folder watched, the folder awaited in it or None for the folder itself with its subfolders) -> watch
        self.watches: dict[tuple[Path, Path | None], ObservedWatch] = {}

    def follow(self) -> None:
        """Watch the theme site.yml names now, and no longer the one it named before; while site.yml cannot be
        read, what it named last. A folder newly watched gets a rebuild of its own: the build that found it read
        it before it was watched, and an edit made in between would be missed."""
        try:
            theme = Theme.with_override(self.theme_dir or named_theme(self.content))
        except ContentError:
            if self.watches:
                return
            theme = Theme.with_override(None)  # the content folder at least, to see site.yml put right
        wanted: set[tuple[Path, Path | None]] = set()
        for folder in (self.content, *theme.roots()):
            if folder.is_dir():
                wanted.add((folder, None))
            elif (above := next((parent for parent in folder.parents if parent.is_dir()), None)) and (
                above.is_relative_to(self.content.parent)  # never a folder above the project (a theme there is refused)
            ):
                wanted.add((above, folder))
        first = not self.watches
        for gone in [key for key in self.watches if key not in wanted]:
            with suppress(KeyError, OSError):  # a watch whose folder went has ended by itself
                self.observer.unschedule(self.watches[gone])
            del self.watches[gone]
        for folder, awaited in wanted - self.watches.keys():
            handler = self.flag if awaited is None else Appears(self.flag, folder, awaited)
            with suppress(OSError):  # gone meanwhile: the next rebuild says so, and follows again
                self.watches[folder, awaited] = self.observer.schedule(handler, str(folder), recursive=not awaited)
                if not first:
                    self.flag.changed(theme=True)


def build_loop(
    options: BuildOptions,
    state: SiteState,
    flag: ChangeFlag,
    quick: QuickPages,
    reporter: Reporter,
    stop: threading.Event,
    watches: Watches,
) -> None:
    """The only place builds happen, so two never run at once; a burst of changes gives one rebuild."""
    while not stop.is_set():
        if not flag.pending.wait(0.1):
            continue
        while (quiet := DEBOUNCE - (time.monotonic() - flag.last)) > 0 and not stop.is_set():
            stop.wait(quiet)
        flag.pending.clear()
        theme_changed, flag.theme_changed = flag.theme_changed, False
        if not stop.is_set():
            rebuild(options, state, reporter, quick, theme_changed)
            watches.follow()


def serve(args: argparse.Namespace, reporter: Reporter) -> int:
    content = Path(args.content)
    cache = args.cache or content.resolve().parent / ".catalog-cache"
    # The preview has its own output folder, so it never overwrites the dist/ that is published, and it
    # shows the drafts, which a build leaves out.
    options = BuildOptions(
        content,
        cache / "serve" / "site",
        args.theme,
        args.pdf,
        args.jobs,
        cache,
        drafts=True,
        forks=False,
        own_output=True,
    )
    state = SiteState()
    quick = QuickPages(options, state.refresh)
    try:  # bound before the first build, so a port in use is said at once
        server = PreviewServer(args.port, options.out_dir, args.base_path, state, quick, reporter)
    except OSError as error:
        reporter.say(f"cannot serve on 127.0.0.1:{args.port}: {error.strerror} (choose another with --port)", 0)
        return 2
    # Pages first: with PDFs still to render (minutes for a large catalog), the pages are built and served
    # without them, no link to a PDF that is not there yet; the build with PDFs follows at once.
    # Watched from before the first build, which may take a while: a save meanwhile gets a rebuild after it.
    flag = ChangeFlag(content.resolve(), quick)
    observer = Observer()
    watches = Watches(observer, flag, content, args.theme)
    watches.follow()
    observer.start()
    stop = threading.Event()
    # Ctrl-C and a polite kill stop the first build (seconds, or minutes with PDFs) as they stop a command-line
    # build, and the preview with it; once it serves, they stop the preview cleanly between rebuilds. Both even
    # where a background launch ignored SIGINT.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)
    try:
        first = options if not options.pdf or pdfs_recorded(options) else dataclasses.replace(options, pdf=False)
        # Every core for the first build (forked.py): the quick pages' thread renders nothing before it has ended
        # (it has no catalog to render with), so nothing renders beside the forked workers.
        rebuild(dataclasses.replace(first, forks=True), state, reporter, quick)
        if quick.basis is None and not state.problems:  # nothing had changed, so nothing was read: read it now
            with suppress(ContentError):
                quick.rebuilt(0.0, load_catalog(content, Readings(cache / MEMO_FILE), drafts=True)[0], False)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda number, frame: stop.set())
    except KeyboardInterrupt:
        reporter.say("stopping", 0)
        server.server_close()
        observer.stop()
        observer.join(5)
        quick.stop()
        return 0
    if first.pdf != options.pdf:
        flag.pending.set()
    threads = [
        threading.Thread(target=build_loop, args=(options, state, flag, quick, reporter, stop, watches), daemon=True),
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True),
    ]
    for thread in threads:
        thread.start()
    host, port = server.server_address[:2]
    reporter.say(f"serving on http://{host!s}:{port}{args.base_path} (Ctrl-C to stop)", 0)
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
        quick.stop()
    return 0


def pdfs_recorded(options: BuildOptions) -> bool:
    """Whether the preview's last build made PDFs, so this one only carries them over."""
    cache = BuildCache.open(options.cache_folder, options.out_dir)
    return any(path.endswith(".pdf") for path in cache.outputs)

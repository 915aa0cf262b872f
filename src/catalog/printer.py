"""WeasyPrint, sandboxed: the only module that imports it (about a second), so
only builds that render PDFs pay for it, once per worker process.
"""

from __future__ import annotations

import atexit
import gc
import json
import mimetypes
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .cache import digest_bytes, digest_text, file_digest
from .forked import end_with_parent
from .pdf import PRELOAD_VARIABLE, SCRATCH_PREFIX, Rendered
from .problem import RenderError
from .writer import owner_ended


class SandboxedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serves files under the given folders and refuses everything else, fatally.

    WeasyPrint's own fetcher would read any file:// path and reach the network,
    and only warn when a resource fails; a PDF must never do either silently.
    """

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(fail_on_errors=True, allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.fetched: dict[str, str] = {}  # every file served -> its digest: what a PDF was made from

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FatalURLFetchingError(
                f"refused to fetch '{url}': a PDF may only use files inside the content and theme folders"
            )
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise FatalURLFetchingError(f"refused to read '{path}': it is outside the content and theme folders")
        if not path.is_file():
            raise FatalURLFetchingError(f"the resource '{path}' does not exist")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = path.read_bytes()
        self.fetched[str(path)] = digest_bytes(data)
        return URLFetcherResponse(url, data, {"Content-Type": content_type})


def with_stack_room(call: Callable[[], bytes]) -> bytes:
    """Call `call` with room reserved on the Python stack for everything it calls.

    CPython keeps a thread's Python frames in chunks of 16 KiB and, until python/cpython#142183 was
    fixed (March 2026, on the 3.13 branch and later; not in 3.11 or 3.12), unmaps a chunk as soon as
    its frames return.
    WeasyPrint's layout recurses back and forth across such a boundary thousands of times per PDF,
    and each crossing costs an mmap, a munmap and fresh page faults: 300 to 4,300 page faults and up
    to 15% of a PDF's time, depending on where the boundary happens to fall (measured on this
    catalog's PDFs by shifting the starting depth). This frame is given 512 KiB of local variables
    (below), so CPython maps one chunk of 1 MiB for it, and all of WeasyPrint's frames fit in the
    other half.
    """
    return call()


# 65,536 local variables of 8 bytes, never used. Replacing the code object's names costs 10 ms;
# compiling a function that assigns them would cost 80 ms before the first PDF can start.
_room = ("call", *(f"unused{index}" for index in range(1, 65536)))
with_stack_room.__code__ = with_stack_room.__code__.replace(co_varnames=_room, co_nlocals=len(_room))


class Printer:
    """Turns print HTML into PDF bytes, reusing one parsed stylesheet and font set."""

    def __init__(self, stylesheet: Path, roots: tuple[Path, ...]) -> None:
        self.fetcher = SandboxedFetcher(roots)
        self.fonts = FontConfiguration()
        try:
            self.css = CSS(filename=str(stylesheet), url_fetcher=self.fetcher, font_config=self.fonts)
        except FatalURLFetchingError as error:
            raise RenderError(f"{stylesheet}: {error}") from None
        # The stylesheet and its fonts are read once here, but every PDF is made from them.
        self.shared = {str(stylesheet.resolve()): file_digest(stylesheet), **self.fetcher.fetched}
        self.made_from = (stylesheet, self.fetcher.roots)

    def still_for(self, stylesheet: Path, roots: tuple[Path, ...]) -> bool:
        """Whether this printer, made earlier (in the fork server), is the one these settings would make now:
        the same stylesheet and folders, and every file it read (stylesheet, fonts) unchanged since."""
        if self.made_from != (stylesheet, tuple(root.resolve() for root in roots)):
            return False
        return all(_digest_or_none(Path(path)) == digest for path, digest in self.shared.items())

    def own_font_folder(self) -> None:
        """Write the fonts added from now on (a site's, named in the print HTML) in a folder of this process.

        WeasyPrint skips a font face whose file is already in its folder, taking it as added to *its*
        configuration: in a folder shared with the other workers (inherited from the fork server), a worker
        would skip a font another worker wrote and render without it. The fonts the stylesheet added stay
        where they are, shared, read only. Done first thing in every worker, also when it makes a printer of
        its own: WeasyPrint removes its folder when the font configuration is collected, which here would
        delete the fonts of the fork server's printer under the other workers."""
        self.fonts._folder = None  # WeasyPrint makes a new one, in tempfile's folder, at the next font face

    def render(self, html: str, base_url: str) -> Rendered:
        # A fixed identifier keeps the output byte-identical for identical input.
        identifier = digest_text(html)[:32].encode()
        self.fetcher.fetched = {}
        try:
            document = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher)
            pdf = with_stack_room(
                lambda: document.write_pdf(
                    stylesheets=[self.css],
                    font_config=self.fonts,
                    pdf_identifier=identifier,
                    # PDF/UA-1: tagged, with the language and a displayed title; form controls become fields.
                    pdf_variant="pdf/ua-1",
                    pdf_forms=True,
                    finisher=finish,
                )
            )
        except FatalURLFetchingError as error:
            raise RenderError(str(error)) from None
        return Rendered(bytes(pdf), {**self.shared, **self.fetcher.fetched})


def finish(document: Any, pdf: Any) -> None:
    """WeasyPrint's finisher: what PDF/UA and text extraction need that WeasyPrint 70 leaves out, added
    to its objects before they are written (so PDFs stay byte-identical between builds)."""
    map_drawn_glyphs_to_their_text(document, pdf)
    scope_table_headers(document)


# One entry of a ToUnicode CMap, as WeasyPrint writes it: a glyph and the UTF-16 text it stands for.
_TO_UNICODE_ENTRY = re.compile(rb"<([0-9a-f]{4})> <([0-9a-f]*)>")


def map_drawn_glyphs_to_their_text(document: Any, pdf: Any) -> None:
    """Give every glyph drawn as text its text in the font's ToUnicode map, ligatures included.

    WeasyPrint records, for each glyph it draws, the characters it was shaped from ("ff" for the ff
    ligature), and writes that into the ToUnicode map, except for a font that a form field also uses:
    that font is embedded whole, and its map is made from the font's cmap alone. A ligature glyph has no
    cmap entry (there is no character "ft"), so it got none: pdftotext and pypdf read "Offered" as
    "O ered" or "O\\x80ered" wherever the regular weight, which the scoring sheet's fields use, drew it.
    The glyphs' own text is added here, over the cmap's, as WeasyPrint does for fonts no field uses.
    """
    drawn: dict[bytes, dict[int, str]] = {}
    for font in document.fonts.values():
        drawn.setdefault(font.name, {}).update(font.to_unicode)
    for font_dictionary in pdf.objects:
        if not isinstance(font_dictionary, dict) or "ToUnicode" not in font_dictionary:
            continue
        text_of_glyph = drawn.get(font_dictionary["BaseFont"], {})
        to_unicode = pdf.objects[int(font_dictionary["ToUnicode"].split()[0])]
        lines: list[bytes] = to_unicode.stream
        start, end = lines.index(b"endcodespacerange") + 1, lines.index(b"endcmap")
        mapped = {
            int(glyph, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
            for line in lines[start:end]
            if (entry := _TO_UNICODE_ENTRY.fullmatch(line))
            for glyph, text in [entry.groups()]
        }
        if text_of_glyph.items() <= mapped.items():
            continue
        lines[start:end] = _bfchar_blocks(mapped | text_of_glyph)


def _bfchar_blocks(mapped: dict[int, str]) -> Iterator[bytes]:
    """A ToUnicode map's entries in blocks of at most 100, the limit of a CMap's bfchar block."""
    glyphs = sorted(mapped)
    for start in range(0, len(glyphs), 100):
        block = glyphs[start : start + 100]
        yield f"{len(block)} beginbfchar".encode()
        for glyph in block:
            yield f"<{glyph:04x}> <{mapped[glyph].encode('utf-16-be').hex()}>".encode()
        yield b"endbfchar"


def scope_table_headers(document: Any) -> None:
    """Give each table header cell its /Scope in the structure tree (PDF/UA-1 7.5, Matterhorn 15-003).

    WeasyPrint tags a th as /TH, and links data cells to headers by /Headers and /IDs, but never writes
    /Scope. It is taken from the HTML scope attribute the way WeasyPrint links the cells: "row" heads a
    row, anything else heads a column. The cells are found where WeasyPrint's tagging (pdf/tags.py) leaves
    each cell's structure element, on the cell's box as `mark`: internals, so
    tests/test_pdf_text.py::test_every_table_header_cell_carries_its_scope fails if they move.
    """
    for page in document.pages:
        for cell in _header_cells(page._page_box):
            scope = "/Row" if cell.element.get("scope") == "row" else "/Column"
            cell.mark["A"]["Scope"] = scope


def _header_cells(box: Any) -> Iterator[Any]:
    """Every th box that WeasyPrint's tagging made a /TH structure element (box.mark)."""
    mark = getattr(box, "mark", None)
    if mark is not None and box.element_tag == "th" and mark["S"] == "/TH":
        yield box
    for child in getattr(box, "children", ()):
        yield from _header_cells(child)


_printer: Printer | None = None


def start_worker(stylesheet: Path, roots: tuple[Path, ...]) -> None:
    """Process-pool initializer: take the printer made in the fork server if it is still the right one, else
    parse the stylesheet and load the fonts here."""
    global _printer
    _end_with_the_build()
    if _printer is not None:
        _printer.own_font_folder()
    if _printer is None or not _printer.still_for(stylesheet, roots):
        _printer = _new_printer(stylesheet, roots)
    collect_once_per_pdf()


_build = 0  # the number of the build process, which started the fork server


def _end_with_the_build() -> None:
    """A worker's parent is the fork server, which ends at once when the build does (see preload_printer): the
    worker is killed then (forked.end_with_parent), and says nothing more once the build has gone, in case its
    PDF was done first."""
    end_with_parent()
    if _build:
        sys.stderr = _WhileTheBuildRuns(sys.stderr, _build)


class _WhileTheBuildRuns:
    """A worker's standard error, silent once the build it writes for has ended."""

    def __init__(self, stream: Any, build: int) -> None:
        self.stream, self.build = stream, build

    def write(self, text: str) -> int:
        return len(text) if owner_ended(str(self.build)) else self.stream.write(text)

    def flush(self) -> None:
        if not owner_ended(str(self.build)):
            self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _new_printer(stylesheet: Path, roots: tuple[Path, ...]) -> Printer:
    # WeasyPrint turns woff2 fonts into TrueType with fontTools, which stamps each font's "modified"
    # date with the current time unless SOURCE_DATE_EPOCH is set: every PDF would carry the second its
    # worker started. A fixed date (or the one the caller set) keeps PDFs identical between builds.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    return Printer(stylesheet, roots)


def _digest_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


def preload_printer() -> None:
    """In the fork server, make the printer every worker starts with: turning the theme's woff2 fonts into
    TrueType (fontTools, in Python) costs about 0.6 s, once here instead of once per worker.

    Its fonts are written in a folder named for the build process, so that a later build removes it
    (sweep_scratch in pdf.py) should this one be killed. Nothing here may stop the fork server: on any
    failure the workers make their own printer, and report the problem as a PDF's."""
    global _printer, _build
    preload = os.environ.pop(PRELOAD_VARIABLE, None)
    if preload is None:
        return
    _build = os.getppid()
    # A session of its own, for the workers too: a signal sent to the build's whole process group (a service
    # manager's SIGTERM, `timeout`, `kill -- -PGID`) reaches the build alone, which stops its workers itself.
    # A worker killed from outside while it waits for work dies holding the pool's task-queue lock, and
    # Pool.terminate, which takes that lock first, then waits forever (Ctrl-C did not: KeyboardInterrupt
    # lets go of the lock on its way out).
    os.setsid()
    with suppress(Exception):
        settings = json.loads(preload)
        tempfile.tempdir = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getppid()}-")
        # Run when the fork server ends with the build (workers leave by os._exit, which runs nothing); then
        # out at once, without tearing down the interpreter (half a second), so that the workers end with it.
        atexit.register(os._exit, 0)
        atexit.register(shutil.rmtree, tempfile.tempdir, ignore_errors=True)
        _printer = _new_printer(Path(settings["stylesheet"]), tuple(Path(root) for root in settings["roots"]))
        collect_once_per_pdf()


preload_printer()


def collect_once_per_pdf() -> None:
    """The garbage collector's settings for a process that renders PDFs one after another, once it has
    loaded what it keeps; the process then calls gc.collect() before each PDF."""
    # Everything loaded so far (WeasyPrint, the stylesheet, the fonts, the modules inherited from the fork
    # server) lives as long as the process: the cyclic collector need not scan it again after every PDF.
    gc.freeze()
    # A PDF's boxes stay alive until it is written, so the automatic collector's passes while rendering
    # free next to nothing and rescan them each time: one full pass per PDF does the same job for about
    # half the cost (bare loop, 40 PDFs: 16 -> 8 ms of collection per PDF).
    gc.disable()


class TimeLimit(Exception):
    pass


def _out_of_time(signum: int, frame: object) -> None:
    raise TimeLimit


def render_in_worker(html: str, base_url: str, time_limit: int) -> Rendered:
    """Render in a pool worker, stopped by an alarm if it takes too long (an absurd stylesheet)."""
    assert _printer is not None, "start_worker was not called"
    gc.collect()  # what the previous PDF left, before this one grows the heap
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(time_limit)
    try:
        return _printer.render(html, base_url)
    except TimeLimit:
        raise RenderError(f"rendering took longer than the limit of {time_limit} s") from None
    finally:
        signal.alarm(0)

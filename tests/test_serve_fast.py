"""The preview's fast path, for real: a `serve` process, saves by atomic rename, HTTP polls.

Pages are served before any PDF is made; a saved credential's page is served ahead of the rebuild; once the
rebuilds settle, the served site is byte for byte a fresh build of the same content; a save with an error shows
the located error and keeps the last good site.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from contextlib import AbstractContextManager
from pathlib import Path

from test_incremental_property import PAGEFIND_UNORDERED, output_view
from test_serve import Server, eventually, save_atomically, serve_arguments, serving

from catalog.build import BuildOptions, build

SNIPPET = re.compile(rb'<script>\(function\(\)\{var s=new EventSource\("[^"]*"\);.*?</script>(?=</body>)', re.S)
CREDENTIAL = "calibrating-scorers"
PAGE = f"credentials/{CREDENTIAL}/"
PDF = f"credentials/{CREDENTIAL}/{CREDENTIAL}.pdf"


def fetch(server: Server, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def served_as_built(server: Server, folder: Path) -> list[str]:
    """The files of a built folder that the server does not serve byte for byte (its live-reload script aside);
    Pagefind's unordered files, named by their contents, are compared by what they index (see output_view)."""
    differ = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(PAGEFIND_UNORDERED)):
        relative = path.relative_to(folder).as_posix()
        status, body = fetch(server, relative)
        if status != 200 or SNIPPET.sub(b"", body) != path.read_bytes():
            differ.append(relative)
    return differ


def settled(server: Server, rebuilds: int) -> None:
    """Wait until `rebuilds` rebuilds have ended and no other follows for a moment."""
    eventually(lambda: server.rebuilds() >= rebuilds, timeout=120)
    seen = -1
    while seen != server.rebuilds():
        seen = server.rebuilds()
        time.sleep(1.5)


def start(content: Path, cache: Path, *more: str) -> AbstractContextManager[Server]:
    return serving(*serve_arguments(content, cache, *more))


def test_pages_are_served_before_any_pdf_then_the_saved_page_ahead_of_the_rebuild_and_the_site_settles_as_built(
    sample_copy: Path, tmp_path: Path
) -> None:
    with start(sample_copy, tmp_path / "cache") as server:
        # Served at once, with no PDF made yet: the page links none, and asking for the PDF finds nothing.
        status, page = fetch(server, PAGE)
        assert status == 200 and b"<h1>Calibrating Scorers for Reliability</h1>" in page
        assert b".pdf" not in page and fetch(server, PDF)[0] == 404
        assert server.rebuilds() == 1  # the pages' build; the PDFs' is under way
        # Then every page links its PDF, once it is there.
        eventually(lambda: b"download>Download the requirements" in fetch(server, PAGE)[1], timeout=300)
        status, first_pdf = fetch(server, PDF)
        assert status == 200 and first_pdf.startswith(b"%PDF")
        settled(server, 2)

        before = server.rebuilds()
        source = sample_copy / f"credentials/{CREDENTIAL}.md"
        save_atomically(source, source.read_text() + "\nA marker sentence, saved just now.\n")
        eventually(lambda: b"A marker sentence, saved just now." in fetch(server, PAGE)[1], timeout=30)
        assert server.rebuilds() == before  # shown ahead of the rebuild, which waits for the saves to settle
        eventually(lambda: (pdf := fetch(server, PDF))[0] == 200 and pdf[1] != first_pdf, timeout=60)
        settled(server, before + 1)

        fresh = tmp_path / "fresh"
        build(BuildOptions(sample_copy, fresh, cache_dir=tmp_path / "fresh-cache", drafts=True))
        assert served_as_built(server, fresh) == []
        assert output_view(tmp_path / "cache" / "serve" / "site") == output_view(fresh)


def test_a_save_with_an_error_shows_the_located_error_and_keeps_serving_the_last_good_site(
    sample_copy: Path, tmp_path: Path
) -> None:
    with start(sample_copy, tmp_path / "cache", "--no-pdf") as server:
        source = sample_copy / f"credentials/{CREDENTIAL}.md"
        good = source.read_text()
        last_good = SNIPPET.sub(b"", fetch(server, PAGE)[1])
        # An error of the file itself: nothing is shown ahead; the rebuild shows where it is.
        save_atomically(source, good.replace("title: Calibrating Scorers for Reliability", "title: [Calibrating"))
        eventually(lambda: b"catalog-problems" in fetch(server, PAGE)[1])
        page = fetch(server, PAGE)[1].decode()
        assert re.search(rf"credentials/{CREDENTIAL}\.md:\d+: YAML syntax error", page)
        assert (
            SNIPPET.sub(b"", fetch(server, PAGE)[1]).split(b'<div id="catalog-problems"')[0]
            == last_good.split(b"</body>")[0]
        )
        # An error only the whole catalog shows (a prerequisite that does not exist): the page may be shown ahead,
        # but once the rebuild has failed the last good page is back, under the located error.
        save_atomically(
            source, good.replace("requires:\n", "requires:\n  - no-such-credential\n", 1) + "\nNew words.\n"
        )
        eventually(lambda: b"no-such-credential" in fetch(server, PAGE)[1], timeout=30)
        settled(server, server.rebuilds())
        page = fetch(server, PAGE)[1].decode()
        assert "New words." not in page and "<h1>Calibrating Scorers for Reliability</h1>" in page
        assert re.search(rf"credentials/{CREDENTIAL}\.md:\d+: [^<]*no-such-credential", page)
        # Fixed: the overlay goes, and the page says what the file says.
        save_atomically(source, good + "\nFixed words.\n")
        eventually(
            lambda: b"Fixed words." in fetch(server, PAGE)[1] and b"catalog-problems" not in fetch(server, PAGE)[1]
        )

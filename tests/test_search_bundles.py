"""A large catalog's search index: bundles of pages, each re-indexed only when its pages change."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from test_incremental import changed, stamps
from test_publishing import search_index

from catalog import search
from catalog.build import BuildOptions, build

from conftest import ROOT, originals

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate

CREDENTIALS = 250  # with its 84 stacks and one free page, two bundles


def large_catalog(root: Path) -> tuple[Path, Path, BuildOptions]:
    content = root / "content"
    generate(CREDENTIALS, content)
    # A word found in one page only, in the last bundle.
    path = content / "credentials/credential-0240.md"
    path.write_text(path.read_text() + "\nThe portfolio mentions a zyzzogeton.\n")
    options = BuildOptions(content, root / "dist", pdf=False, cache_dir=root / "cache")
    build(options)
    return content, root / "dist", options


def bundle_folders(out: Path) -> list[str]:
    merged = json.loads((out / search.BUNDLE_LIST).read_text())["merge"]
    return [search.FOLDER, *(folder.rstrip("/") for folder in merged)]


def test_every_searchable_page_is_in_exactly_one_bundle_a_stack_with_its_credentials(tmp_path: Path) -> None:
    content, out, _ = large_catalog(tmp_path)
    folders = bundle_folders(out)
    assert folders == ["pagefind", "pagefind/shards/2"]
    urls = {folder: {page["url"] for page in search_index(out / folder)[0]} for folder in folders}
    assert not urls["pagefind"] & urls["pagefind/shards/2"]
    kinds = ("credentials", "stacks", "pages")
    expected = {f"/{kind}/{path.stem}/index.html" for kind in kinds for path in originals(content / kind)}
    assert urls["pagefind"] | urls["pagefind/shards/2"] == expected
    # The first stack's page and its credentials are indexed together.
    assert {"/stacks/stack-0001/index.html", "/credentials/credential-0001/index.html"} <= urls["pagefind"]
    found = [p["url"] for p in search_index(out / "pagefind/shards/2")[0] if "zyzzogeton" in p["content"]]
    assert found == ["/credentials/credential-0240/index.html"]


def test_editing_one_credential_reindexes_only_its_bundle(tmp_path: Path) -> None:
    content, out, options = large_catalog(tmp_path)
    before = stamps(out)
    path = content / "credentials/credential-0002.md"
    path.write_text(path.read_text() + "\nA note on quillwort.\n")
    report = build(options)
    # A sentence of prose: only its own page shows it (the others show its front matter), in the first bundle.
    assert report.rendered_pages == ["credentials/credential-0002/index.html"]
    search_files = {p for p in changed(before, stamps(out)) if p.startswith("pagefind/")}
    assert search_files and all(not p.startswith("pagefind/shards/") for p in search_files)
    pages, _ = search_index(out / "pagefind")
    assert [p["url"] for p in pages if "quillwort" in p["content"]] == ["/credentials/credential-0002/index.html"]


def test_a_credential_waiting_for_its_pdf_is_indexed_without_the_download_link(
    tmp_path: Path, sample_copy: Path
) -> None:
    out = tmp_path / "dist"
    build(BuildOptions(sample_copy, out, jobs=2))
    pages, _ = search_index(out / "pagefind")
    credential = next(p for p in pages if p["url"] == "/credentials/calibrating-scorers/index.html")
    assert "Download the requirements" not in credential["content"]
    assert "Calibrating" in credential["meta"]["title"]


def test_bundle_plan_keeps_groups_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PAGES_PER_BUNDLE", 5)
    groups = [[f"s{i}", f"s{i}c1", f"s{i}c2", f"s{i}c3"] for i in range(5)] + [["about"], ["index", "404"]]
    runs = search.plan(groups)
    assert [page for run in runs for page in run] == [page for group in groups for page in group]
    assert 1 < len(runs) <= round(23 / 5)
    for group in groups:
        assert sum(1 for run in runs if set(group) & set(run)) == 1  # never split

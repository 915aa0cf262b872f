"""Incremental builds give exactly the output of a fresh build, whatever sequence of changes led there."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2
from test_publishing import search_index

from catalog import search

from conftest import SITE_YML, credential_md, write_files

DOWNLOAD = 'class="download"'
# Pagefind writes its filters, and so the names of the files that list them, in hash-map order, which
# changes from one run to the next; the rest (fragments, word index, scripts) is the same byte for byte.
PAGEFIND_UNORDERED = (".pf_filter", ".pf_meta", "pagefind-entry.json")


def output_view(out: Path) -> dict[str, object]:
    """What a build published: every file's bytes, except Pagefind's unordered files, which are
    compared by what they index instead (each bundle's pages, their text and their filters)."""
    view: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if path.is_file() and not relative.endswith(PAGEFIND_UNORDERED):
            view[relative] = path.read_bytes()
    for folder in json.loads((out / search.BUNDLE_LIST).read_text())["merge"]:
        view[f"{folder} indexes"] = search_index(out / folder)
    view["pagefind indexes"] = search_index(out / search.FOLDER)
    meta = gzip.decompress(next((out / search.FOLDER).glob("pagefind.*.pf_meta")).read_bytes())
    version, fragments, words, _filter_files, *rest = cbor2.loads(meta.removeprefix(b"pagefind_dcd"))
    view["pagefind meta"] = (version, fragments, words, rest)
    entry = json.loads((out / search.FOLDER / "pagefind-entry.json").read_text())
    view["pagefind entry"] = {**entry, "languages": {k: v["page_count"] for k, v in entry["languages"].items()}}
    return view


def stack_md(slugs: list[str], name: str = "core", order: int = 1) -> str:
    listed = ", ".join(slugs)
    return f"---\ntitle: {name.title()} stack\nsummary: A stack.\norder: {order}\ncredentials: [{listed}]\n---\n"


def test_undoing_an_edit_publishes_the_page_with_its_pdf_link(cli, tmp_path: Path) -> None:
    """The page drafted while its PDF was rendered replaced the spare's copy, whose record still
    matched the page once the undo made it the same again: the draft was kept and published."""
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "stacks/core.md": stack_md(["first"])},
    )
    out, fresh = tmp_path / "dist", tmp_path / "fresh"
    source = content / "credentials/first.md"
    assert cli("build", "--content", content, "--out", out).code == 0
    original = source.read_text()
    source.write_text(original.replace("Body.", "Edited body."))
    assert cli("build", "--content", content, "--out", out).code == 0
    source.write_text(original)
    run = cli("build", "--content", content, "--out", out)
    assert run.code == 0 and "Traceback" not in run.err
    assert DOWNLOAD in (out / "credentials/first/index.html").read_text()
    assert cli("build", "--content", content, "--out", fresh, "--cache", tmp_path / "fresh-cache").code == 0
    assert output_view(out) == output_view(fresh)


def test_renaming_a_credential_file_renders_the_pages_that_link_to_it_again(cli, tmp_path: Path) -> None:
    """The pages' keys held the digests of their sources' text but not their names, so a renamed
    credential left the index linking to its old address."""
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "stacks/core.md": stack_md([])},
    )
    out, fresh = tmp_path / "dist", tmp_path / "fresh"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (content / "credentials/first.md").rename(content / "credentials/second.md")
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    assert 'href="credentials/second/index.html"' in (out / "index.html").read_text()
    assert cli("build", "--content", content, "--out", fresh, "--no-pdf", "--cache", tmp_path / "fresh-cache").code == 0
    assert output_view(out) == output_view(fresh)


def test_files_changed_by_hand_in_the_output_are_put_right_by_the_next_build(cli, tmp_path: Path) -> None:
    """A build noticed that the output folder had changed, but not which files, and carried the
    changed ones over as they were; a stray file stayed when nothing else needed writing."""
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "stacks/core.md": stack_md(["first"])},
    )
    out, fresh = tmp_path / "dist", tmp_path / "fresh"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (out / ".nojekyll").write_text("by hand")
    (out / "credentials/first/achievement.json").unlink()
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (out / "stray.html").write_text("by hand")
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    assert cli("build", "--content", content, "--out", fresh, "--no-pdf", "--cache", tmp_path / "fresh-cache").code == 0
    assert output_view(out) == output_view(fresh)


def test_an_asset_changed_and_changed_back_is_published_as_it_is_now(cli, tmp_path: Path) -> None:
    """Taken from the spare output, the asset's first version counted as reused, not written; with
    nothing written, the build did not swap the staging folder in and the output kept the second."""
    first, second = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="10"/>' for w in (10, 20))
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "assets/picture.svg": first},
    )
    out = tmp_path / "dist"
    for picture in (first, second, first):
        (content / "assets/picture.svg").write_text(picture)
        assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
        assert (out / "assets/picture.svg").read_text() == picture


def test_a_credential_removed_and_restored_is_found_by_search_again(cli, tmp_path: Path) -> None:
    """A page kept from the spare output took its search mark from the last build's record, which had
    no such page: unmarked, it was left out of the search index, whose key then matched the last
    build's, and the index without the credential was carried over."""
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML,
            "credentials/first.md": credential_md("First"),
            "credentials/second.md": credential_md("Second"),
        },
    )
    out = tmp_path / "dist"
    second = (content / "credentials/second.md").read_text()
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (content / "credentials/second.md").unlink()
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (content / "credentials/second.md").write_text(second)
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    found = {page["url"] for page in search_index(out / search.FOLDER)[0]}
    assert found == {"/credentials/first/index.html", "/credentials/second/index.html"}

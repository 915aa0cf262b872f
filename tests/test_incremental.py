"""Incremental builds: only what a change touches is rendered and written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from catalog.build import BuildOptions, BuildReport, build
from catalog.theme import default_theme_dir


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every output: both stay the same for an output that was not written."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()
    }


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@pytest.fixture
def site(sample_copy: Path, tmp_path: Path):
    """Build the sample copy with a private theme copy; return a function that rebuilds."""
    theme = tmp_path / "theme"
    shutil.copytree(default_theme_dir(), theme)
    out = tmp_path / "dist"

    def rebuild(**changes: object) -> BuildReport:
        options = BuildOptions(sample_copy, out, theme, jobs=2)
        return build(BuildOptions(**{**options.__dict__, **changes}))

    first = rebuild()
    assert len(first.rendered_pdfs) == 12
    return sample_copy, theme, out, rebuild


def test_second_build_renders_and_writes_nothing(site) -> None:
    content, _, out, rebuild = site
    before = stamps(out)
    report = rebuild()
    assert report.unchanged
    assert report.rendered_pages == [] and report.rendered_pdfs == []
    assert stamps(out) == before
    # Touching a file without changing it reads the content again, but renders and writes nothing.
    (content / "credentials/calibrating-scorers.md").touch()
    report = rebuild()
    assert not report.unchanged
    assert (report.rendered_pages, report.rendered_pdfs, report.written) == ([], [], 0)
    assert stamps(out) == before


def test_editing_one_credential_rebuilds_only_what_shows_it(site) -> None:
    content, _, out, rebuild = site
    before = stamps(out)
    path = content / "credentials/calibrating-scorers.md"
    path.write_text(path.read_text().replace("Calibrating Scorers for Reliability", "Calibrating Scorers Well"))
    report = rebuild()
    assert report.rendered_pdfs == ["calibrating-scorers"]
    # Its neighbours in its stack name it in their "previous" and "next" links.
    assert sorted(report.rendered_pages) == [
        "credentials/calibrating-scorers/index.html",
        "credentials/ensuring-validity/index.html",
        "credentials/using-performance-assessment-formatively/index.html",
        "index.html",
        "stacks/advanced-performance-assessment-design/index.html",
    ]
    assert {path for path in changed(before, stamps(out)) if not path.startswith("pagefind/")} == {
        "credentials/calibrating-scorers/calibrating-scorers.pdf",
        "credentials/calibrating-scorers/index.html",
        "credentials/ensuring-validity/index.html",
        "credentials/using-performance-assessment-formatively/index.html",
        "credentials/calibrating-scorers/achievement.json",
        "credentials/calibrating-scorers/badge.svg",
        "index.html",
        "stacks/advanced-performance-assessment-design/index.html",
        "catalog.json",
        "feed.xml",
    }
    assert "Calibrating Scorers Well" in (out / "index.html").read_text()


def test_print_template_rerenders_every_pdf_and_page_template_no_pdf(site) -> None:
    _, theme, _out, rebuild = site
    template = theme / "templates/print/credential.html"
    template.write_text(template.read_text().replace("<h1>", '<h1 class="title">'))
    report = rebuild()
    assert len(report.rendered_pdfs) == 12
    assert report.rendered_pages == []  # PDF sizes are the same, so the pages are too
    template = theme / "templates/stack.html"
    template.write_text(template.read_text().replace("The credentials, in order", "Credentials in order"))
    report = rebuild()
    assert report.rendered_pdfs == []
    assert len(report.rendered_pages) == 19


def test_removing_a_credential_removes_its_outputs(site) -> None:
    content, _, out, rebuild = site
    (content / "credentials/calibrating-scorers.md").unlink()
    stack = content / "stacks/advanced-performance-assessment-design.md"
    stack.write_text(stack.read_text().replace("  - calibrating-scorers\n", ""))
    report = rebuild()
    # Its stack-mates' PDFs say "2 of 2" now, so they are rendered again; no other PDF is.
    assert sorted(report.rendered_pdfs) == ["ensuring-validity", "using-performance-assessment-formatively"]
    assert not (out / "credentials/calibrating-scorers").exists()
    assert report.removed >= 4  # page, PDF, achievement, badge; and search index files that changed


def test_deleted_output_is_restored_from_the_cache(site) -> None:
    _, _, out, rebuild = site
    pdf = out / "credentials/calibrating-scorers/calibrating-scorers.pdf"
    data = pdf.read_bytes()
    pdf.unlink()
    report = rebuild()
    assert report.rendered_pdfs == []
    assert pdf.read_bytes() == data


def test_changed_image_rerenders_the_pdf_that_shows_it(site) -> None:
    content, _, _out, rebuild = site
    (content / "assets").mkdir(exist_ok=True)
    (content / "assets/cycle.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    path = content / "credentials/calibrating-scorers.md"
    path.write_text(path.read_text() + "\n![The calibration cycle](../assets/cycle.svg)\n")
    assert rebuild().rendered_pdfs == ["calibrating-scorers"]
    (content / "assets/cycle.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"/>')
    assert rebuild().rendered_pdfs == ["calibrating-scorers"]


@pytest.mark.parametrize("damage", ["not json", json.dumps({"format": 999, "catalog": "0"})])
def test_corrupt_or_foreign_cache_is_discarded_with_a_notice(site, damage: str) -> None:
    content, _, _, rebuild = site
    for manifest in (content.parent / ".catalog-cache").glob("manifest-*.json"):
        manifest.write_text(damage)
    report = rebuild()
    assert len(report.rendered_pdfs) == 12
    assert report.notices and "rebuilding everything" in report.notices[0]


def test_cli_summary_says_what_was_rebuilt(cli, sample_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    first = cli("build", "--content", sample_copy, "--out", out, "--no-pdf")
    assert "rendered 19 pages and 0 PDFs, reused 0 files" in first.err
    again = cli("build", "--content", sample_copy, "--out", out, "--no-pdf")
    assert "nothing changed; nothing rebuilt" in again.err
    quiet = cli("build", "--content", sample_copy, "--out", out, "--no-pdf", "--quiet")
    assert quiet.err == ""


def contents(out: Path) -> dict[str, bytes]:
    """Every output's bytes, leaving out Pagefind's files, which differ between identical builds."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and not p.relative_to(out).as_posix().startswith("pagefind/")
    }


def test_rebuilds_through_the_spare_output_equal_a_fresh_build_and_leave_the_live_output_alone(
    site, tmp_path: Path
) -> None:
    content, theme, out, rebuild = site
    spare = next((content.parent / ".catalog-cache").glob("spare-*"), None)
    assert spare is None  # the first build replaced nothing
    first, second = content / "credentials/calibrating-scorers.md", content / "credentials/ensuring-validity.md"
    first.write_text(first.read_text().replace("title: ", "title: Edited ", 1))
    rebuild()
    live = contents(out)
    second.write_text(second.read_text() + "\nOne more sentence.\n")
    rebuild()  # updates the output before last, which shares unchanged files with `live` as hard links
    spare = next((content.parent / ".catalog-cache").glob("spare-*"))
    assert contents(spare) == live  # the output it replaced was never written to
    first.write_text(first.read_text().replace("title: Edited ", "title: ", 1))
    rebuild()
    fresh = tmp_path / "fresh"
    build(BuildOptions(content, fresh, theme, jobs=2, cache_dir=tmp_path / "fresh-cache"))
    assert contents(out) == contents(fresh)


def test_a_spare_that_no_longer_matches_is_not_used(site) -> None:
    content, _, out, rebuild = site
    path = content / "credentials/calibrating-scorers.md"
    path.write_text(path.read_text() + "\nEdit one.\n")
    rebuild()
    spare = next((content.parent / ".catalog-cache").glob("spare-*"))
    (out / "index.html").write_text("edited by hand")  # the output no longer matches the cache's record
    path.write_text(path.read_text() + "\nEdit two.\n")
    rebuild()
    assert (out / "index.html").read_text() != "edited by hand"
    assert "Edit two." in (out / "credentials/calibrating-scorers/index.html").read_text()
    assert not (spare / "index.html").exists() or (spare / "index.html").read_text() == "edited by hand"


def test_documents_are_read_again_only_when_their_text_changes(site, monkeypatch: pytest.MonkeyPatch) -> None:
    from catalog import reading

    content, _, _, rebuild = site
    read = []
    original = reading.read
    # site.yml is also read, unremembered, to start the PDF workers early: only the Markdown files count.
    monkeypatch.setattr(reading, "read", lambda doc: (doc.kind != "site" and read.append(doc.slug)) or original(doc))
    path = content / "credentials/calibrating-scorers.md"
    path.write_text(path.read_text() + "\nA new sentence.\n")
    rebuild()
    assert read == ["calibrating-scorers"]
    # A damaged memo is only a slower build.
    memo = content.parent / ".catalog-cache" / reading.MEMO_FILE
    memo.write_text('{"catalog": "' + reading.__version__ + '"}\nnot json\n')
    path.write_text(path.read_text() + "\nAnother.\n")
    read.clear()
    rebuild()
    assert len(read) == len(list(content.rglob("*.md")))
    assert memo.read_text().count("\n") == len(read) + 2  # rewritten whole: a header, site.yml, one line each


def test_a_new_base_url_renders_every_page_again(site) -> None:
    _, _, out, rebuild = site
    rebuild(base_url="https://one.example.org/catalog")
    assert 'href="https://one.example.org/catalog/"' in (out / "index.html").read_text()
    report = rebuild(base_url="https://two.example.org/catalog")
    assert 'href="https://two.example.org/catalog/"' in (out / "index.html").read_text()
    assert len(report.rendered_pages) == 19

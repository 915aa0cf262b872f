"""Incremental builds: only what a change touches is rendered and written."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest
from test_incremental_property import output_view

from catalog.build import BuildOptions, BuildReport, build
from catalog.cache import OutputSnapshot
from catalog.problem import ContentError
from catalog.theme import default_theme_dir

from conftest import SAMPLE, SITE_YML, credential_md, write_files


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every output: both stay the same for an output that was not written."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()
    }


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


# The sample's 13 credentials, and the 3 translated into Spanish (the others' Spanish pages show the English PDF).
PDFS = 16
PAGES = 44  # index, 404, 1 bundle, 5 stacks, 13 credentials and 1 page, in English and in Spanish


def in_both(paths: list[str]) -> list[str]:
    """Outputs named in the default language's folder, and the same under es/."""
    return [*paths, *(f"es/{path}" for path in paths)]


@pytest.fixture
def site(sample_copy: Path, tmp_path: Path):
    """Build the sample copy with a private theme copy; return a function that rebuilds."""
    theme = tmp_path / "theme"
    shutil.copytree(default_theme_dir(), theme)
    out = tmp_path / "dist"

    def rebuild(on_published: Callable[[BuildReport], None] | None = None, **changes: object) -> BuildReport:
        options = BuildOptions(sample_copy, out, theme, jobs=2)
        return build(BuildOptions(**{**options.__dict__, **changes}), on_published=on_published)

    first = rebuild()
    assert len(first.rendered_pdfs) == PDFS
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
    # It requires this one, in both languages; calibrating-scorers has no Spanish PDF (it is not translated).
    assert sorted(report.rendered_pdfs) == ["calibrating-scorers", "selecting-anchor-work", "selecting-anchor-work.es"]
    # Every page that names it: its stacks (a pathway and a collection, and the bundle of the pathway), its
    # stack-mates (their neighbours), the credential that requires it, and the index; in English, and in Spanish,
    # whose pages show its English title.
    assert sorted(report.rendered_pages) == sorted(
        in_both(
            [
                "bundles/performance-assessment-for-learning/index.html",
                "credentials/building-an-analytic-rubric/index.html",
                "credentials/calibrating-scorers/index.html",
                "credentials/ensuring-validity/index.html",
                "credentials/selecting-anchor-work/index.html",
                "credentials/using-performance-assessment-formatively/index.html",
                "index.html",
                "stacks/advanced-performance-assessment-design/index.html",
                "stacks/scoring-student-work-together/index.html",
            ]
        )
    )
    neighbours = ["building-an-analytic-rubric", "ensuring-validity", "selecting-anchor-work"]
    neighbours += ["using-performance-assessment-formatively"]
    assert {path for path in changed(before, stamps(out)) if "pagefind/" not in path} == {
        "credentials/calibrating-scorers/calibrating-scorers.pdf",
        "es/credentials/selecting-anchor-work/selecting-anchor-work.es.pdf",
        *in_both(
            [
                "credentials/calibrating-scorers/index.html",
                "credentials/ensuring-validity/index.html",
                "credentials/using-performance-assessment-formatively/index.html",
                "credentials/calibrating-scorers/achievement.json",
                "credentials/calibrating-scorers/badgeclass.json",
                "credentials/calibrating-scorers/badge.svg",
                *(f"credentials/{slug}/index.html" for slug in neighbours),
                # Only the credential that requires it names it in its Open Badges narrative and its PDF.
                "credentials/selecting-anchor-work/achievement.json",
                "credentials/selecting-anchor-work/badgeclass.json",
                "index.html",
                "bundles/performance-assessment-for-learning/index.html",
                "stacks/advanced-performance-assessment-design/index.html",
                "stacks/scoring-student-work-together/index.html",
                "catalog.json",
                "feed.xml",
            ]
        ),
        "credentials/selecting-anchor-work/selecting-anchor-work.pdf",
    }
    assert "Calibrating Scorers Well" in (out / "index.html").read_text()


def test_editing_a_credentials_prose_renders_only_its_own_page_and_pdf(site) -> None:
    """Other pages show its front matter (title, summary, place in its stacks), never its body: the stacks, its
    neighbours, the index, catalog.json and the feed are not made again, nor written."""
    content, _, out, rebuild = site
    before = stamps(out)
    path = content / "credentials/calibrating-scorers.md"
    path.write_text(path.read_text().replace("## Research", "A sentence of new prose.\n\n## Research", 1))
    report = rebuild()
    # Its Spanish page shows the English text: it has no translation.
    assert sorted(report.rendered_pages) == in_both(["credentials/calibrating-scorers/index.html"])
    assert report.rendered_pdfs == ["calibrating-scorers"]
    assert {path for path in changed(before, stamps(out)) if "pagefind/" not in path} == {
        "credentials/calibrating-scorers/calibrating-scorers.pdf",
        *in_both(["credentials/calibrating-scorers/index.html"]),
    }
    assert "A sentence of new prose." in (out / "credentials/calibrating-scorers/index.html").read_text()
    # Its achievement.json (made again, as its sources changed) says the same, so it was carried over.
    assert "A sentence" not in (out / "credentials/calibrating-scorers/achievement.json").read_text()


def test_a_build_says_it_is_published_once_the_output_holds_the_new_site(site) -> None:
    """`serve` reloads open pages at that moment, before the build has saved its records."""
    content, _, out, rebuild = site
    path = content / "credentials/calibrating-scorers.md"
    path.write_text(path.read_text().replace("## Research", "Published prose.\n\n## Research", 1))
    seen: list[tuple[str, bool]] = []
    manifests = {p: p.stat().st_mtime_ns for p in (content.parent / ".catalog-cache").glob("manifest-*.json")}

    def published(report: BuildReport) -> None:
        page = (out / "credentials/calibrating-scorers/index.html").read_text()
        saved = {p: p.stat().st_mtime_ns for p in (content.parent / ".catalog-cache").glob("manifest-*.json")}
        seen.append((report.summary(), "Published prose." in page and saved == manifests))

    report = rebuild(on_published=published)
    assert len(seen) == 1 and seen[0][1], seen
    assert seen[0][0].startswith("rendered 2 pages and 1 PDFs") and report.rendered_pdfs == ["calibrating-scorers"]
    # A build that finds nothing changed publishes nothing new.
    rebuild(on_published=published)
    assert len(seen) == 1


def test_an_output_folder_of_its_own_is_walked_once_per_build_and_again_after_a_failure(
    site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve`'s folder is walked after each build that changes it, not also before the next; a failed build
    leaves nothing held, so the next walks it again."""
    content, theme, out, rebuild = site
    walks: list[Path] = []
    take = OutputSnapshot.take.__func__
    monkeypatch.setattr(
        OutputSnapshot, "take", classmethod(lambda cls, folder: walks.append(folder) or take(cls, folder))
    )
    path = content / "credentials/calibrating-scorers.md"
    good = path.read_text()
    assert rebuild(own_output=True).unchanged and len(walks) == 1  # nothing held yet
    path.write_text(good.replace("## Research", "Own prose.\n\n## Research", 1))
    rebuild(own_output=True)
    assert len(walks) == 2  # the new output's, after the build
    assert rebuild(own_output=True).unchanged and len(walks) == 2
    path.write_text(good.replace("title: Calibrating Scorers for Reliability", "title: [Calibrating"))
    with pytest.raises(ContentError):
        rebuild(own_output=True)
    path.write_text(good)
    rebuild(own_output=True)
    assert len(walks) == 4  # before, as nothing was held, and after
    fresh = out.parent / "fresh"
    build(BuildOptions(content, fresh, theme, jobs=2, cache_dir=out.parent / "fresh-cache"))
    assert output_view(out) == output_view(fresh)


def test_a_build_into_another_folder_with_the_same_cache_renders_no_pdf_the_first_made(site, tmp_path: Path) -> None:
    """`serve` builds into a folder of its own with the same cache as `build`: the PDFs one made, the other uses."""
    content, _, out, rebuild = site
    elsewhere = tmp_path / "preview"
    report = rebuild(out_dir=elsewhere)
    assert report.rendered_pdfs == []
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert len(pdfs) == PDFS
    assert all((elsewhere / pdf).read_bytes() == (out / pdf).read_bytes() for pdf in pdfs)
    # A credential edited since is rendered again there, and only that one.
    path = content / "credentials/calibrating-scorers.md"
    path.write_text(path.read_text().replace("## Research", "New prose.\n\n## Research", 1))
    assert rebuild(out_dir=tmp_path / "third").rendered_pdfs == ["calibrating-scorers"]


def test_print_template_rerenders_every_pdf_and_page_template_no_pdf(site) -> None:
    _, theme, _out, rebuild = site
    template = theme / "templates/print/credential.html"
    template.write_text(template.read_text().replace("<h1>", '<h1 class="title">'))
    report = rebuild()
    assert len(report.rendered_pdfs) == PDFS
    assert report.rendered_pages == []  # PDF sizes are the same, so the pages are too
    template = theme / "templates/stack.html"
    template.write_text(template.read_text().replace("The credentials, in order", "Credentials in order"))
    report = rebuild()
    assert report.rendered_pdfs == []
    assert len(report.rendered_pages) == PAGES


def test_removing_a_credential_removes_its_outputs(site) -> None:
    content, _, out, rebuild = site
    (content / "credentials/using-performance-assessment-formatively.md").unlink()
    stack = content / "stacks/advanced-performance-assessment-design.md"
    stack.write_text(stack.read_text().replace("  - using-performance-assessment-formatively\n", ""))
    report = rebuild()
    # Its stack-mates' PDFs say "of 2" now, so they are rendered again; no other PDF is.
    assert sorted(report.rendered_pdfs) == ["calibrating-scorers", "ensuring-validity"]
    assert not (out / "credentials/using-performance-assessment-formatively").exists()
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
    assert len(report.rendered_pdfs) == PDFS
    assert report.notices and "rebuilding everything" in report.notices[0]


def test_cli_summary_says_what_was_rebuilt(cli, sample_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    first = cli("build", "--content", sample_copy, "--out", out, "--no-pdf")
    assert f"rendered {PAGES} pages and 0 PDFs, reused 0 files" in first.err
    again = cli("build", "--content", sample_copy, "--out", out, "--no-pdf")
    assert "nothing changed; nothing rebuilt" in again.err
    quiet = cli("build", "--content", sample_copy, "--out", out, "--no-pdf", "--quiet")
    assert quiet.err == ""


def contents(out: Path) -> dict[str, bytes]:
    """Every output's bytes, leaving out Pagefind's files, which differ between identical builds."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and "pagefind" not in p.relative_to(out).parts
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
    assert len(report.rendered_pages) == PAGES


# A cache that cannot be stale: whatever differs from the build it recorded makes a build look again.


def build_again(cli, *args: str | Path) -> None:
    """Build through the command line; it must look at the inputs again, not report 'nothing changed'."""
    run = cli("build", *args)
    assert run.code == 0, run.err
    assert "nothing changed" not in run.err and "Traceback" not in run.err


def assert_as_fresh(cli, fresh: Path, out: Path, *args: str | Path) -> None:
    """The output equals a build of the same inputs into a fresh output folder with a fresh cache."""
    assert cli("build", *args, "--out", fresh / "dist", "--cache", fresh / "cache").code == 0
    assert output_view(out) == output_view(fresh / "dist")


def small_catalog(folder: Path, title: str, site: str = SITE_YML) -> Path:
    return write_files(folder, {"site.yml": site, "credentials/first.md": credential_md(title)})


def test_another_content_folder_built_into_the_same_output_is_not_nothing_changed(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make`, then `python build.py build --content mycatalog --out dist`: the sample stayed in dist/."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, "content")
    small_catalog(tmp_path / "mycatalog", "My own credential")
    assert cli("build", "--content", "content", "--out", "dist").code == 0  # what `make` runs
    build_again(cli, "--content", "mycatalog", "--out", "dist")
    assert "My own credential" in Path("dist/index.html").read_text()
    assert not Path("dist/credentials/calibrating-scorers").exists()
    assert_as_fresh(cli, tmp_path / "fresh", Path("dist"), "--content", "mycatalog")
    assert "nothing changed" in cli("build", "--content", "mycatalog", "--out", "dist").err  # and now it holds


def test_another_content_folder_with_a_shared_cache_and_output_is_built(cli, tmp_path: Path) -> None:
    shared = ("--out", tmp_path / "site", "--cache", tmp_path / "cache", "--no-pdf")
    first, second = small_catalog(tmp_path / "a/content", "First"), small_catalog(tmp_path / "b/content", "Second")
    assert cli("build", "--content", first, *shared).code == 0
    build_again(cli, "--content", second, *shared)
    assert_as_fresh(cli, tmp_path / "fresh", tmp_path / "site", "--content", second, "--no-pdf")


def test_a_theme_given_changed_or_dropped_on_the_command_line_is_built(cli, tmp_path: Path) -> None:
    content, out = small_catalog(tmp_path / "content", "First"), tmp_path / "dist"
    themes = {}
    for name in ("one", "two"):
        themes[name] = write_files(tmp_path / name, {"templates/404.html": f"<p>{name}</p>"})
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    for theme in ("one", "two", None):
        args = ("--content", content, "--no-pdf", *(("--theme", themes[theme]) if theme else ()))
        build_again(cli, *args, "--out", out)
        assert_as_fresh(cli, tmp_path / f"fresh-{theme}", out, *args)


def test_a_theme_named_in_site_yml_is_watched_from_the_build_that_names_it(cli, tmp_path: Path) -> None:
    content, out = small_catalog(tmp_path / "content", "First"), tmp_path / "dist"
    for name in ("one", "two"):
        write_files(tmp_path / "themes" / name, {"templates/404.html": f"<p>{name}</p>"})
    args = ("--content", content, "--no-pdf")
    assert cli("build", *args, "--out", out).code == 0
    for name in ("one", "two"):
        (content / "site.yml").write_text(dedent(SITE_YML) + f"theme: themes/{name}\n")
        build_again(cli, *args, "--out", out)
        # The theme named a moment ago is watched: a change to it is built.
        (tmp_path / "themes" / name / "templates/404.html").write_text(f"<p>{name}, edited</p>")
        build_again(cli, *args, "--out", out)
        assert f"{name}, edited" in (out / "404.html").read_text()
        assert_as_fresh(cli, tmp_path / f"fresh-{name}", out, *args)


def test_another_output_folder_is_built_in_full(cli, tmp_path: Path) -> None:
    content = small_catalog(tmp_path / "content", "First")
    assert cli("build", "--content", content, "--out", tmp_path / "one", "--no-pdf").code == 0
    build_again(cli, "--content", content, "--out", tmp_path / "two", "--no-pdf")
    assert output_view(tmp_path / "one") == output_view(tmp_path / "two")


def test_pdfs_dropped_with_no_pdf_and_brought_back_are_built(cli, tmp_path: Path) -> None:
    content, out = small_catalog(tmp_path / "content", "First"), tmp_path / "dist"
    pdf = out / "credentials/first/first.pdf"
    assert cli("build", "--content", content, "--out", out).code == 0
    build_again(cli, "--content", content, "--out", out, "--no-pdf")
    assert not pdf.exists()
    assert_as_fresh(cli, tmp_path / "fresh-no-pdf", out, "--content", content, "--no-pdf")
    build_again(cli, "--content", content, "--out", out)
    assert pdf.is_file()
    assert_as_fresh(cli, tmp_path / "fresh-pdf", out, "--content", content)


def test_a_base_url_given_changed_or_dropped_is_built(cli, tmp_path: Path) -> None:
    content, out = small_catalog(tmp_path / "content", "First"), tmp_path / "dist"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    for number, url in enumerate(("https://one.example.org/catalog/", "https://two.example.org/", None)):
        args = ("--content", content, "--no-pdf", *(("--base-url", url) if url else ()))
        build_again(cli, *args, "--out", out)
        assert (out / "sitemap.xml").exists() == bool(url)
        assert_as_fresh(cli, tmp_path / f"fresh-{number}", out, *args)


def test_a_moved_renamed_or_copied_project_is_built_again(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small_catalog(tmp_path / "project/content", "First")
    monkeypatch.chdir(tmp_path / "project")
    assert cli("build", "--no-pdf").code == 0
    # Renamed with its output and cache, and the old name given to another project.
    (tmp_path / "project").rename(tmp_path / "renamed")
    small_catalog(tmp_path / "project/content", "Another")
    monkeypatch.chdir(tmp_path / "renamed")
    build_again(cli, "--no-pdf")
    monkeypatch.chdir(tmp_path / "project")
    build_again(cli, "--no-pdf")
    assert "Another" in Path("dist/index.html").read_text()
    # With its output and cache outside it, kept as CI may keep them: copied with its files' times, then edited.
    outside = ("--out", tmp_path / "site", "--cache", tmp_path / "cache", "--no-pdf")
    assert cli("build", *outside).code == 0
    shutil.copytree(tmp_path / "project", tmp_path / "copy")
    monkeypatch.chdir(tmp_path / "copy")
    build_again(cli, *outside)
    (tmp_path / "copy/content/credentials/first.md").write_text(credential_md("Edited in the copy"))
    build_again(cli, *outside)
    assert "Edited in the copy" in (tmp_path / "site/index.html").read_text()
    # And moved.
    shutil.move(tmp_path / "copy", tmp_path / "moved")
    monkeypatch.chdir(tmp_path / "moved")
    build_again(cli, *outside)
    assert_as_fresh(cli, tmp_path / "fresh", tmp_path / "site", "--no-pdf")


def stack_md(title: str, order: int, credentials: str) -> str:
    return f"---\ntitle: {title}\nsummary: A stack.\norder: {order}\ncredentials: [{credentials}]\n---\n"


def test_files_moved_or_added_that_change_no_fact_the_output_shows_leave_it_as_a_fresh_build(
    cli, tmp_path: Path
) -> None:
    """Nothing an output shows may follow the files' places (red team): a stack with no colour takes one by its
    place among the stacks, and credentials of the same title are ordered by slug, not by file."""
    content, out = tmp_path / "content", tmp_path / "dist"
    write_files(
        content,
        {
            "site.yml": SITE_YML,
            "credentials/first.md": credential_md("First"),
            "credentials/alpha.md": credential_md("Twin"),
            "credentials/beta.md": credential_md("Twin"),
            "stacks/middle.md": stack_md("Middle", 2, "first"),
            "stacks/zeta.md": stack_md("Zeta", 3, ""),
        },
    )
    args = ("--content", content, "--no-pdf")
    assert cli("build", *args, "--out", out).code == 0
    page = (out / "credentials/first/index.html").read_text()
    changes = [
        # A stack whose file sorts first, but comes second by its order; then one that comes first.
        lambda: (content / "stacks/aaa.md").write_text(stack_md("Early", 4, "")),
        lambda: (content / "stacks/aab.md").write_text(stack_md("Earliest", 1, "")),
        # Files moved into folders: nothing they say changes.
        lambda: (
            (content / "stacks/zz").mkdir() or (content / "stacks/middle.md").rename(content / "stacks/zz/middle.md")
        ),
        lambda: (
            (content / "credentials/zz").mkdir()
            or (content / "credentials/alpha.md").rename(content / "credentials/zz/alpha.md")
        ),
    ]
    for number, change in enumerate(changes):
        change()
        build_again(cli, *args, "--out", out)
        assert_as_fresh(cli, tmp_path / f"fresh-{number}", out, *args)
    # The middle stack came second once "Earliest" came first: its colour, on its credential's page, changed.
    assert (out / "credentials/first/index.html").read_text() != page
    assert '"slug":"alpha"' in (out / "catalog.json").read_text().split('"slug":"beta"')[0]


def test_a_file_copied_over_with_its_time_kept_is_built(cli, tmp_path: Path) -> None:
    """`cp -p`, `rsync -t` or an unpacked archive: the same size and modification time, other words."""
    content, out = small_catalog(tmp_path / "content", "First"), tmp_path / "dist"
    args = ("--content", content, "--no-pdf")
    assert cli("build", *args, "--out", out).code == 0
    path = content / "credentials/first.md"
    before = path.stat()
    path.write_text(path.read_text().replace("title: First", "title: Fir5t"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    build_again(cli, *args, "--out", out)
    assert "Fir5t" in (out / "credentials/first/index.html").read_text()

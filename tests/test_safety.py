"""Safety from day one: untouched output on failure, refused output folders, a sandboxed PDF fetcher."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from catalog.printer import Printer
from catalog.problem import RenderError
from catalog.theme import default_theme_dir

from conftest import ROOT, credential_md, write_files


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_previous_output_byte_identical(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert cli("build", "--content", project, "--out", out, "--no-pdf").code == 0
    before = snapshot(out)
    (project / "credentials/broken.md").write_text("---\ntitle: [unclosed\n---\n")
    run = cli("build", "--content", project, "--out", out, "--no-pdf")
    assert run.code == 1
    assert "credentials/broken.md:3: YAML syntax error" in run.err
    assert "flow sequence that starts on line 2" in run.err
    assert "was left as it was" in run.err
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".catalog-cache", "content", "dist"]  # no staging left


def test_failed_pdf_leaves_previous_output_byte_identical(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert cli("build", "--content", project, "--out", out).code == 0
    before = snapshot(out)
    theme = write_files(
        tmp_path / "theme",
        {
            "templates/print/credential.html": '<!doctype html><html lang="en"><title>x</title>'
            '<img src="http://127.0.0.1:9/tracker.png" alt="x"></html>'
        },
    )
    run = cli("build", "--content", project, "--out", out, "--theme", theme)
    assert run.code == 1
    assert "refused to fetch 'http://127.0.0.1:9/tracker.png'" in run.err
    assert snapshot(out) == before


@pytest.mark.parametrize("where", ["/", "~", "content", "."])
def test_refuses_dangerous_output_folders(cli, project: Path, monkeypatch, where: str) -> None:
    monkeypatch.chdir(project.parent)
    run = cli("build", "--content", "content", "--out", where, "--no-pdf")
    assert run.code == 1
    assert "refusing to build into" in run.err


def test_refuses_an_output_folder_holding_the_build_cache(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    run = cli("build", "--content", project, "--out", out, "--cache", out / "cache", "--no-pdf")
    assert run.code == 1
    assert "it holds the build cache" in run.err
    assert not out.exists() or not any(out.iterdir())


def test_refuses_a_folder_it_did_not_make(cli, project: Path, tmp_path: Path) -> None:
    out = write_files(tmp_path / "docs", {"notes.txt": "precious"})
    run = cli("build", "--content", project, "--out", out, "--no-pdf")
    assert run.code == 1
    assert "holds files this tool did not make" in run.err
    assert (out / "notes.txt").read_text() == "precious"


@pytest.fixture(scope="module")
def printer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Printer, Path]:
    content = tmp_path_factory.mktemp("content")
    (content / "assets").mkdir()
    (content / "assets/ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    (content / "assets/escape.svg").symlink_to("/etc/hostname")
    theme = default_theme_dir()
    return Printer(theme / "static/css/print.css", (content, theme)), content


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("file:///etc/passwd", "refused to read '/etc/passwd': it is outside the content and theme folders"),
        ("../../../../../../etc/passwd", "refused to read '/etc/passwd': it is outside the content and theme folders"),
        ("http://example.org/logo.png", "refused to fetch 'http://example.org/logo.png'"),
        ("https://127.0.0.1/x.png", "refused to fetch 'https://127.0.0.1/x.png'"),
        ("assets/escape.svg", "it is outside the content and theme folders"),
        ("assets/missing.png", "does not exist"),
    ],
)
def test_pdf_fetcher_refuses_everything_outside_the_roots(printer, src: str, message: str) -> None:
    one, content = printer
    with pytest.raises(RenderError) as error:
        one.render(f'<p>x</p><img src="{src}" alt="x">', content.as_uri() + "/")
    assert message in str(error.value)


def test_pdf_fetcher_serves_files_inside_the_roots(printer) -> None:
    one, content = printer
    rendered = one.render('<p>x</p><img src="assets/ok.svg" alt="x">', content.as_uri() + "/")
    assert rendered.pdf.startswith(b"%PDF")
    assert str((content / "assets/ok.svg").resolve()) in rendered.deps  # what the PDF was made from


def test_author_html_and_unsafe_links_are_neutralised(cli, tmp_path: Path) -> None:
    body = (
        "<script>alert(1)</script>\n\n"
        "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](data:text/html,x) [d](vbscript:x)\n\n"
        '<img src=x onerror="alert(1)">\n'
    )
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": "title: <b>Site</b>\norganisation:\n  name: Org\nscales:\n  passing: [Passing, Not yet]\n",
            "credentials/c.md": credential_md('"<script>x()</script>"', body=body),
        },
    )
    out = tmp_path / "dist"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    html = (out / "credentials/c/index.html").read_text()
    page = BeautifulSoup(html, "html.parser")
    assert [s for s in page.find_all("script") if s.get("type") != "application/ld+json"] == []
    assert [tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)] == []
    hrefs = [a.get("href", "") for a in page.find_all("a")]
    assert [h for h in hrefs if ":" in h and not h.startswith(("http:", "https:", "mailto:"))] == []
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "&lt;b&gt;Site&lt;/b&gt;" in html


def test_every_test_security_md_cites_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text()
    cited = re.findall(r"(test_\w+\.py)::(test_\w+)", text)
    assert cited
    for module, name in cited:
        assert f"def {name}(" in (ROOT / "tests" / module).read_text(), f"SECURITY.md cites {module}::{name}"

"""Promise 3 of SECURITY.md: broken input ends in a located error, never a traceback or a half-written
output. These are the inputs that used to pass `check` and crash `build`, or crash both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SITE_YML, assert_refused, credential_md, write_files


def _build_fails_with(cli, content: Path, out: Path, expected: str, *extra: str) -> None:
    for command in (("check", "--content", content), ("build", "--content", content, "--out", out, *extra)):
        lines = assert_refused(cli, content, out, expected, *command)
        assert not any("\x1b" in line or "\x07" in line for line in lines)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # a vertical tab: XML forbids it, so the feed crashed the build while check said ok
            {"credentials/c.md": credential_md(title='"Vertical\\vtab"')},
            "credentials/c.md:2: 'title' contains the control character U+000B",
        ),
        (
            {"credentials/c.md": credential_md().replace("summary: A one-line summary.", 'summary: "Bell\\a"')},
            "credentials/c.md:3: 'summary' contains the control character U+0007",
        ),
        (  # an ANSI escape sequence would recolour or rewrite the terminal of whoever runs check
            {"credentials/c.md": credential_md(title='"\\e[2J\\e[31mRed"')},
            "credentials/c.md:2: 'title' contains the control character U+001B",
        ),
        (
            {"credentials/c.md": credential_md(title='"Lone \\ud800 surrogate"')},
            "credentials/c.md:2: YAML syntax error: found invalid Unicode character escape code",
        ),
        (
            {"credentials/c.md": credential_md(body="Fine.\n\nA form\x0cfeed here.")},
            "credentials/c.md:20: the text contains the control character U+000C",
        ),
        (
            {"credentials/c.md": credential_md().replace("      Passing: Clear.", '      "Pass\\x1bing": Clear.')},
            "credentials/c.md:15: a key in 'requirements[1].criteria[1].levels' contains the control character U+001B",
        ),
        (
            {"credentials/c.md": credential_md().replace("title: A credential", "title: A\x08credential")},
            "credentials/c.md:2: the front matter contains the control character U+0008",
        ),
        (
            {"credentials/c.md": credential_md().replace("word_limit: 200", "word_limit: " + "9" * 400)},
            "credentials/c.md:11: 'requirements[1].word_limit' is a number of 400 digits, more than the most allowed",
        ),
        (
            {"credentials/c.md": credential_md().replace("word_limit: 200", "word_limit: 100001")},
            "credentials/c.md:11: 'requirements[1].word_limit' is 100001, more than the most allowed, 100,000",
        ),
        (
            {"credentials/c.md": credential_md(extra=f"graduate_credit:\n  offered: true\n  credits: {'1' * 5000}\n")},
            "credentials/c.md:9: 'graduate_credit.credits' is a number of 5000 digits",
        ),
        (
            {"site.yml": SITE_YML + "    pdf:\n      time_limit: 99999999999999999999999999\n"},
            "site.yml:8: 'pdf.time_limit' is a number of 26 digits, more than the most allowed, 3,600",
        ),
        (
            {"credentials/" + "a" * 250 + ".md": credential_md()},
            "credentials/" + "a" * 250 + ".md: the file name is 250 characters long; a slug may have at most 100",
        ),
    ],
    ids=[
        "vertical tab in title",
        "bell in summary",
        "ANSI escape in title",
        "lone surrogate",
        "form feed in body",
        "escape in a level name",
        "raw backspace in front matter",
        "word limit of 400 digits",
        "word limit just too large",
        "credits of 5000 digits",
        "time limit of 26 digits",
        "250-character slug",
    ],
)
def test_input_that_used_to_crash_the_build_is_located(
    cli, tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    content = write_files(tmp_path / "content", {"site.yml": SITE_YML, **files})
    _build_fails_with(cli, content, tmp_path / "dist", expected, "--no-pdf")


def test_twenty_thousand_nested_tags_with_allow_html_are_located(cli, tmp_path: Path) -> None:
    body = "Intro.\n\n" + "<sup>" * 20_000 + "x" + "</sup>" * 20_000
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML + "    allow_html: true\n", "credentials/c.md": credential_md(body=body)},
    )
    # With PDFs: WeasyPrint's layout recursion is what used to overflow.
    _build_fails_with(
        cli, content, tmp_path / "dist", "credentials/c.md:20: HTML elements are nested more than 20 deep"
    )


def test_nesting_within_the_bound_still_builds(cli, tmp_path: Path) -> None:
    body = "<details><summary>More</summary>" + "<b><i>" * 5 + "deep" + "</i></b>" * 5 + "</details>"
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML + "    allow_html: true\n", "credentials/c.md": credential_md(body=body)},
    )
    run = cli("build", "--content", content, "--out", tmp_path / "dist", "--no-pdf")
    assert run.code == 0, run.err
    assert "<b><i><b><i>" in (tmp_path / "dist/credentials/c/index.html").read_text()


def test_a_write_refused_by_the_system_is_one_line_and_keeps_the_old_output(tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content", {"site.yml": SITE_YML, "credentials/c.md": credential_md(body="word " * 20_000)}
    )
    out = tmp_path / "dist"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out)]
    assert subprocess.run([*command, "--no-pdf"], capture_output=True).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "credentials/c.md").write_text(credential_md(body="other " * 40_000), encoding="utf-8")
    # A file size limit makes every write past 64 KB fail as a full disk would, in this process only.
    script = (
        "import resource, signal, sys, runpy; signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536));"
        f"sys.argv = {[*command[1:], '--no-pdf']!r}; runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "build failed:" in run.stderr and "File too large" in run.stderr
    assert f"{out} was left as it was" in run.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_full_disk_says_so_with_a_hint(cli, project: Path, tmp_path: Path, monkeypatch) -> None:
    import errno

    from catalog import writer

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "dist" / "index.html"))

    monkeypatch.setattr(writer, "_make", full)
    run = cli("build", "--content", project, "--out", tmp_path / "dist", "--no-pdf")
    assert run.code == 1
    assert "No space left on device (free some space, or build on another disk" in run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Line one\nline two", "the title must be one line"),
        ("Bell\x07 title", "the title contains the control character U+0007"),
        ("   ", "the title is empty"),
    ],
)
def test_new_refuses_titles_no_file_can_hold(cli, project: Path, title: str, message: str) -> None:
    before = sorted(project.rglob("*"))
    run = cli("new", "credential", title, "--content", project)
    assert run.code == 1
    assert message in run.err
    assert "Traceback" not in run.err
    assert sorted(project.rglob("*")) == before


def test_new_with_a_very_long_title_makes_a_short_slug_that_checks(cli, project: Path) -> None:
    run = cli("new", "credential", "Teaching " * 40, "--content", project)
    assert run.code == 0, run.err
    path = Path(run.out.strip())
    assert len(path.stem) <= 100 and not path.stem.endswith("-")
    assert cli("check", "--content", project).code == 0

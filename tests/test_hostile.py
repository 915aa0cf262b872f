"""Hostile and broken input: each case of SECURITY.md's promise, as a row of a table.

A row is (name, files written into a fresh project, the start of the expected problem line).
To add a case, add a row. Every case must end in that located message, exit code 1, and no
output folder: never a traceback, never a half-written site.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from conftest import SITE_YML, assert_refused, credential_md, write_files

SITE = textwrap.dedent(SITE_YML).lstrip()

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
BILLION_LAUGHS = "".join(
    [
        "---\n",
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n',
        *(
            f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n"
            for i in range(1, 10)
        ),
        "title: *a9\n---\n",
    ]
)


def cred(extra: str = "", body: str = "Body.", title: str = "A credential") -> str:
    return credential_md(title=title, extra=extra, body=body)


# (name, files, expected start of the problem line, after the content folder's path)
CASES: list[tuple[str, dict[str, str | bytes], str]] = [
    # YAML
    (
        "accidental boolean",
        {"credentials/c.md": cred("graduate_credit:\n  offered: yes\n")},
        "credentials/c.md:8: 'graduate_credit.offered' should be true or false, not 'yes'",
    ),
    (
        "octal-looking number",
        {"credentials/c.md": cred().replace("word_limit: 200", "word_limit: 0777")},
        "credentials/c.md:11: 'requirements[1].word_limit' should be a positive whole number, not '0777'",
    ),
    (
        "impossible date",
        {"credentials/c.md": cred().replace("2024-01-01", "2023-02-29")},
        "credentials/c.md:6: 'published' is 2023-02-29, a date that does not exist",
    ),
    (
        "duplicate key",
        {"credentials/c.md": cred("title: Again\n")},
        "credentials/c.md:7: duplicate key 'title' (already given on line 2; keep one)",
    ),
    ("alias bomb", {"credentials/c.md": BILLION_LAUGHS}, "credentials/c.md:3: YAML aliases (*name) are not allowed"),
    (
        "python tag",
        {"credentials/c.md": cred("issuer: !!python/object/apply:os.system ['id']\n")},
        "credentials/c.md:7: 'issuer' has the YAML tag 'python/object/apply:os.system'",
    ),
    (
        "tab indentation",
        {"credentials/c.md": cred().replace("    scale: passing", "\tscale: passing")},
        "credentials/c.md:9: YAML syntax error",
    ),
    (
        "second document",
        {"credentials/c.md": "---\ntitle: A\n---\n---\ntitle: B\n"},
        "credentials/c.md:2: the front matter is missing the required field 'summary'",
    ),
    (
        "second document inside",
        {"credentials/c.md": "---\ntitle: A\n...\n--- \ntitle: B\n---\n"},
        "credentials/c.md:2: the front matter is missing the required field 'summary'",
    ),
    ("empty file", {"credentials/c.md": ""}, "credentials/c.md:1: the file has no front matter"),
    ("empty front matter", {"credentials/c.md": "---\n---\nBody\n"}, "credentials/c.md:2: the front matter is empty"),
    (
        "blank line first",
        {"credentials/c.md": ("\n" + cred()).encode()},
        "credentials/c.md:2: the front matter must start on the first line",
    ),
    (
        "unclosed front matter",
        {"credentials/c.md": "---\ntitle: A\n"},
        "credentials/c.md:1: the front matter is never closed",
    ),
    (
        "not UTF-8",
        {"credentials/c.md": "---\ntitle: Café\n---\n".encode("utf-16")},
        "credentials/c.md:1: the file is not UTF-8 text",
    ),
    # Paths
    (
        "dots in slug",
        {"credentials/c..d.md": cred()},
        "credentials/c..d.md: the file name 'c..d.md' is not a valid slug",
    ),
    (
        "upper case slug",
        {"credentials/Credential.md": cred()},
        "credentials/Credential.md: the file name 'Credential.md' is not a valid slug (rename it to credential.md)",
    ),
    (
        "unicode slug",
        {"credentials/café.md": cred()},
        "credentials/café.md: the file name 'café.md' is not a valid slug (rename it to cafe.md)",
    ),
    ("reserved name", {"credentials/con.md": cred()}, "credentials/con.md: 'con' is a reserved file name on Windows"),
    (
        "same slug in subfolders",
        {"credentials/c.md": cred(), "credentials/more/c.md": cred()},
        "credentials/more/c.md: the slug 'c' is already used by",
    ),
    (
        "image outside content",
        {"credentials/c.md": cred(body="![a map](../../secret.png)"), "../secret.png": PNG},
        "credentials/c.md:18: the image '../../secret.png' points at nothing in the content folder",
    ),
    (
        "image through a link",
        {"credentials/c.md": cred(body="![a map](../assets/map.png)")},
        "assets/map.png: this asset cannot be published: it is a link to a file outside the content folder",
    ),
    (
        "missing image",
        {"credentials/c.md": cred(body="![a map](../assets/none.png)")},
        "credentials/c.md:18: the image '../assets/none.png' points at nothing in the content folder",
    ),
    (
        "empty image",
        {"credentials/c.md": cred(), "assets/empty.png": b""},
        "assets/empty.png: this asset cannot be published: the file is empty",
    ),
    (
        "image that is not one",
        {"credentials/c.md": cred(), "assets/fake.png": b"<html><script>x</script>"},
        "assets/fake.png: this asset cannot be published: the file is not a PNG image, whatever its name says",
    ),
    (
        "SVG with script",
        {
            "credentials/c.md": cred(),
            "assets/x.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        },
        "assets/x.svg:1: this asset cannot be published: the SVG contains a <script> element",
    ),
    (
        "SVG with handler",
        {"credentials/c.md": cred(), "assets/x.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'},
        "assets/x.svg:1: this asset cannot be published: the SVG has an event handler attribute (onload)",
    ),
    (
        "SVG with entities",
        {
            "credentials/c.md": cred(),
            "assets/x.svg": '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>',
        },
        "assets/x.svg:1: this asset cannot be published: the SVG declares a DOCTYPE or entities",
    ),
    (
        "SVG loading a file",
        {
            "credentials/c.md": cred(),
            "assets/x.svg": (
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                '<image xlink:href="file:///etc/passwd"/></svg>'
            ),
        },
        "assets/x.svg:1: this asset cannot be published: the SVG refers to another file or address",
    ),
    (
        "theme outside the project",
        {"site.yml": SITE + "theme: /etc\n"},
        "site.yml:7: the theme folder '/etc' is outside the project",
    ),
    (
        "unsafe resource link",
        {"credentials/c.md": cred("resources:\n  - title: x\n    url: javascript:alert(1)\n")},
        "credentials/c.md:9: 'resources[1].url' should be a web address starting with https:// or http://",
    ),
    (
        "markdown link outside",
        {"credentials/c.md": cred(body="[secret](../../../etc/passwd)")},
        "credentials/c.md:18: the link '../../../etc/passwd' points at nothing in the content folder",
    ),
    (
        "tab-hidden scheme",
        {"credentials/c.md": cred(body="[c](java&#x09;script:alert(1))")},
        "credentials/c.md:18: the link 'java%09script:alert(1)' points at nothing in the content folder",
    ),
    # Size
    (
        "20 MB Markdown",
        {"credentials/c.md": cred(body="word " * 4_000_000)},
        "credentials/c.md: the file is larger than 2 MB",
    ),
]


@pytest.mark.parametrize(("name", "files", "expected"), CASES, ids=[case[0] for case in CASES])
def test_hostile_input_gives_a_located_error_and_no_output(
    cli, tmp_path: Path, name: str, files: dict[str, str | bytes], expected: str
) -> None:
    content = tmp_path / "project" / "content"
    write_files(content, {"site.yml": SITE_YML, **files})
    if name == "image through a link":
        (content / "assets").mkdir(exist_ok=True)
        (tmp_path / "secret.png").write_bytes(PNG)
        (content / "assets/map.png").symlink_to(tmp_path / "secret.png")
    assert_refused(cli, content, tmp_path / "dist", expected)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<link rel="attachment" href="file:///etc/passwd">',
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](JAVASCRIPT:alert(1))",
        "[d](data:text/html;base64,PHNjcmlwdD4=) [e](vbscript:msgbox) [f](file:///etc/passwd)",
        "<iframe src=https://example.org></iframe><form action=x><input name=q></form>",
    ],
)
@pytest.mark.parametrize("allow_html", [False, True])
def test_markdown_cannot_inject_script_or_markup(cli, tmp_path: Path, body: str, allow_html: bool) -> None:
    from bs4 import BeautifulSoup

    site = SITE + ("allow_html: true\n" if allow_html else "")
    content = write_files(tmp_path / "content", {"site.yml": site, "credentials/c.md": cred(body=body)})
    out = tmp_path / "dist"
    assert cli("build", "--content", content, "--out", out).code == 0
    page = BeautifulSoup((out / "credentials/c/index.html").read_text(), "html.parser")
    body_html = page.select_one(".prose")
    assert body_html is not None
    assert body_html.find_all(["script", "iframe", "form", "input", "link", "style", "object", "embed"]) == []
    for tag in body_html.find_all(True):
        assert not any(attribute.startswith("on") for attribute in tag.attrs), tag
        for attribute in ("href", "src"):
            value = tag.get(attribute, "")
            assert value == "" or value.startswith(("http:", "https:", "mailto:")) or ":" not in value, tag
    pdf = (out / "credentials/c/c.pdf").read_bytes()
    assert b"/JavaScript" not in pdf and b"/JS " not in pdf and b"/Launch" not in pdf


def test_allowed_html_subset_is_kept(cli, tmp_path: Path) -> None:
    body = 'Scored by <abbr title="Performance Assessment">PA</abbr> rubric<sup>2</sup>.'
    content = write_files(
        tmp_path / "content", {"site.yml": SITE + "allow_html: true\n", "credentials/c.md": cred(body=body)}
    )
    out = tmp_path / "dist"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    html = (out / "credentials/c/index.html").read_text()
    assert '<abbr title="Performance Assessment">PA</abbr>' in html and "<sup>2</sup>" in html


def test_heading_ids_cannot_collide_or_shadow(cli, tmp_path: Path) -> None:
    body = "## Requirements\n\nA\n\n## Requirements\n\nB\n\n## forms\n\nC\n\n## main\n\nD\n"
    content = write_files(tmp_path / "content", {"site.yml": SITE_YML, "credentials/c.md": cred(body=body)})
    out = tmp_path / "dist"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    from bs4 import BeautifulSoup

    ids = [
        tag["id"]
        for tag in BeautifulSoup((out / "credentials/c/index.html").read_text(), "html.parser").find_all(id=True)
    ]
    assert len(ids) == len(set(ids))
    assert {"section-requirements", "section-requirements-1", "section-forms", "section-main"} <= set(ids)
    assert "forms" not in ids and ids.count("main") == 1


def test_deeply_nested_block_quotes_finish(cli, tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content", {"site.yml": SITE_YML, "credentials/c.md": cred(body="> " * 5000 + "x")}
    )
    out = tmp_path / "dist"
    started = time.monotonic()
    run = cli("build", "--content", content, "--out", out)
    assert time.monotonic() - started < 60
    assert run.code == 0, run.err
    assert (out / "credentials/c/c.pdf").read_bytes().startswith(b"%PDF")


def test_absurd_theme_stylesheet_stops_at_the_time_limit(cli, tmp_path: Path, project: Path) -> None:
    from catalog.theme import default_theme_dir

    css = (default_theme_dir() / "static/css/print.css").read_text()
    theme = write_files(
        tmp_path / "theme",
        {
            "static/css/print.css": css + "\n* { font-size: 4000px !important; "
            "line-height: 1; } body { columns: 1000; }\n"
        },
    )
    (project / "site.yml").write_text(SITE + "pdf:\n  time_limit: 2\n")
    (project / "credentials/first.md").write_text(cred(body="word " * 20000))
    out = tmp_path / "dist"
    started = time.monotonic()
    run = cli("build", "--content", project, "--out", out, "--theme", theme, "--jobs", "1")
    assert time.monotonic() - started < 40
    assert run.code == 1
    assert "the PDF of 'first': rendering took longer than the limit of 2 s" in run.err
    assert not out.exists()

"""Promise 1 of SECURITY.md: content never runs code. Templates are code, so a theme may not live in
the content folder, and templates run in Jinja2's sandbox as a second wall."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import write_files

EXPLOIT = "{{ cycler.__init__.__globals__.os.system('touch %s') }}"


def _exploit_theme(folder: Path, marker: Path) -> Path:
    return write_files(folder, {"templates/404.html": EXPLOIT % marker})


@pytest.mark.parametrize("where", ["x", "credentials/x", "assets/theme"])
def test_site_yml_cannot_name_a_theme_inside_the_content_folder(cli, project: Path, tmp_path: Path, where: str) -> None:
    marker = tmp_path / "pwned"
    _exploit_theme(project / where, marker)
    with (project / "site.yml").open("a") as site:
        site.write(f"theme: content/{where}\n")
    for command in (("check", "--content", project), ("build", "--content", project, "--out", tmp_path / "dist")):
        run = cli(*command)
        assert run.code == 1, run.err
        assert f"site.yml:7: the theme folder 'content/{where}' is inside the content folder" in run.err
        assert "Traceback" not in run.err
    assert not marker.exists()
    assert not (tmp_path / "dist").exists()


def test_a_theme_whose_templates_lead_into_the_content_folder_is_refused(cli, project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    _exploit_theme(project / "pages-templates", marker)
    theme = tmp_path / "themes" / "linked"
    theme.mkdir(parents=True)
    (theme / "templates").symlink_to(project / "pages-templates" / "templates")
    with (project / "site.yml").open("a") as site:
        site.write("theme: themes/linked\n")
    run = cli("build", "--content", project, "--out", tmp_path / "dist", "--no-pdf")
    assert run.code == 1
    assert "site.yml:7: the theme folder 'themes/linked' has its templates/ folder inside the content folder" in run.err
    assert not marker.exists()


def test_a_theme_file_linked_into_the_content_folder_is_refused(cli, project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (project / "notes.html").write_text(EXPLOIT % marker)
    theme = tmp_path / "themes" / "mine"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "404.html").symlink_to(project / "notes.html")
    with (project / "site.yml").open("a") as site:
        site.write("theme: themes/mine\n")
    run = cli("build", "--content", project, "--out", tmp_path / "dist", "--no-pdf")
    assert run.code == 1
    assert "has a file that leads into the content folder (templates/404.html)" in run.err
    assert not marker.exists()


def test_theme_option_inside_the_content_folder_is_refused(cli, project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    theme = _exploit_theme(project / "x", marker)
    run = cli("build", "--content", project, "--out", tmp_path / "dist", "--no-pdf", "--theme", theme)
    assert run.code == 1
    assert "is inside the content folder" in run.err
    assert "Traceback" not in run.err
    assert not marker.exists()


@pytest.mark.parametrize(
    "expression",
    [
        "cycler.__init__.__globals__.os.system('touch {m}')",
        "joiner.__init__.__globals__['os'].system('touch {m}')",
        "''.__class__.__mro__[1].__subclasses__()",
        "namespace.__init__.__globals__.os.popen('touch {m}').read()",
        "lipsum.__globals__['os'].system('touch {m}')",
        "'{{0.__class__}}'.format(site)",
        "site.__class__.__init__.__globals__",
    ],
)
def test_sandbox_refuses_python_internals_even_in_a_trusted_theme(
    cli, project: Path, tmp_path: Path, expression: str
) -> None:
    marker = tmp_path / "pwned"
    theme = write_files(tmp_path / "theme", {"templates/404.html": "{{ " + expression.format(m=marker) + " }}\n"})
    out = tmp_path / "dist"
    run = cli("build", "--content", project, "--out", out, "--no-pdf", "--theme", theme)
    assert run.code == 1, run.err
    assert f"{theme.name}/templates/404.html:1: template error:" in run.err
    assert "Traceback" not in run.err
    assert not marker.exists()
    assert not out.exists()


def test_a_theme_beside_the_content_folder_still_works(cli, project: Path, tmp_path: Path) -> None:
    write_files(tmp_path, {"themes/ok/templates/404.html": "<p>{{ site.title | upper }} lost</p>"})
    with (project / "site.yml").open("a") as site:
        site.write("theme: themes/ok\n")
    out = tmp_path / "dist"
    run = cli("build", "--content", project, "--out", out, "--no-pdf")
    assert run.code == 0, run.err
    assert (out / "404.html").read_text().strip() == "<p>TEST CATALOG lost</p>"
    assert os.path.isfile(out / "index.html")

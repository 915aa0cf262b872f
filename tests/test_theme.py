"""Themes: single-file overrides, explicit extension of the default, strict and escaped templates."""

from __future__ import annotations

from pathlib import Path

from catalog.schemadoc import reference

from conftest import ROOT, write_files


def test_theme_overrides_one_template_and_falls_back(cli, project: Path, tmp_path: Path) -> None:
    theme = write_files(
        tmp_path / "theme",
        {
            "templates/base.html": """
                {% extends "!default/base.html" %}
                {% block theme_head %}<meta name="theme" content="custom">{% endblock %}
            """,
            "static/css/extra.css": "body { color: black; }",
        },
    )
    out = tmp_path / "dist"
    run = cli("build", "--content", project, "--out", out, "--theme", theme, "--no-pdf")
    assert run.code == 0, run.err
    index = (out / "index.html").read_text()
    assert '<meta name="theme" content="custom">' in index
    assert "Only stack" in index  # the default index.html, through the overridden base
    assert (out / "static/css/extra.css").is_file()
    assert (out / "static/css/site.css").is_file()


def test_site_yml_names_the_theme(cli, project: Path, tmp_path: Path) -> None:
    write_files(tmp_path, {"mytheme/templates/404.html": "<p>{{ site.title }} lost</p>"})
    with (project / "site.yml").open("a") as site:
        site.write("theme: mytheme\n")
    out = tmp_path / "dist"
    assert cli("build", "--content", project, "--out", out, "--no-pdf").code == 0
    assert (out / "404.html").read_text().strip() == "<p>Test catalog lost</p>"


def test_undefined_variable_fails_with_template_and_line(cli, project: Path, tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, {"theme/templates/page.html": "x", "theme/templates/index.html": "<p>\n{{ sitee.title }}\n"})
    monkeypatch.chdir(tmp_path)
    run = cli("build", "--content", project, "--out", tmp_path / "dist", "--theme", "theme", "--no-pdf")
    assert run.code == 1
    assert "theme/templates/index.html:2: template error: 'sitee' is undefined" in run.err
    assert not (tmp_path / "dist").exists()


def test_template_syntax_error_is_located(cli, project: Path, tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, {"theme/templates/index.html": "<p>\n\n{% if %}\n"})
    monkeypatch.chdir(tmp_path)
    run = cli("build", "--content", project, "--out", tmp_path / "dist", "--theme", "theme", "--no-pdf")
    assert run.code == 1
    assert "theme/templates/index.html:3: template error:" in run.err


def test_templates_with_any_ending_are_escaped(cli, project: Path, tmp_path: Path) -> None:
    theme = write_files(
        tmp_path / "theme",
        {
            "templates/partials/card.html": '{% include "partials/title.jinja" %}',
            "templates/partials/title.jinja": "<h3>{{ credential.title }}</h3>",
        },
    )
    text = (project / "credentials/first.md").read_text().replace("title: First", 'title: "<em>First</em>"', 1)
    (project / "credentials/first.md").write_text(text)
    out = tmp_path / "dist"
    assert cli("build", "--content", project, "--out", out, "--theme", theme, "--no-pdf").code == 0
    assert "<h3>&lt;em&gt;First&lt;/em&gt;</h3>" in (out / "index.html").read_text()


def test_theme_without_templates_is_reported(cli, project: Path, tmp_path: Path) -> None:
    with (project / "site.yml").open("a") as site:
        site.write("theme: nowhere\n")
    run = cli("check", "--content", project)
    assert run.code == 1
    assert "site.yml:7: the theme folder 'nowhere' has no templates/ folder" in run.err


def test_authoring_reference_matches_the_schema() -> None:
    committed = (ROOT / "docs/authoring.md").read_text(encoding="utf-8")
    assert committed == reference(), "docs/authoring.md is stale: run `make docs`"

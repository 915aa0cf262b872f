"""Authoring commands: `new` scaffolds files that pass `check`; `check --strict` and its formats."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SITE_YML, credential_md, write_files


def test_new_credential_and_stack_pass_check(cli, project: Path) -> None:
    run = cli("new", "--content", project, "credential", "Leading Data Conversations: A Protocol")
    assert run.code == 0, run.err
    path = Path(run.out.strip())
    assert path == project / "credentials/leading-data-conversations-a-protocol.md"
    text = path.read_text()
    assert 'title: "Leading Data Conversations: A Protocol"' in text or "title: 'Leading Data" in text
    assert "# The credential's name." in text  # a comment for every field
    assert "scale: passing" in text and "Not yet:" in text
    run = cli("new", "--content", project, "stack", "Data Literacy")
    assert run.code == 0, run.err
    assert Path(run.out.strip()) == project / "stacks/data-literacy.md"
    check = cli("check", "--content", project)
    assert check.code == 0, check.err
    assert "lists no credentials yet" in check.err  # a warning, fine outside --strict


def test_new_refuses_to_overwrite(cli, project: Path) -> None:
    assert cli("new", "--content", project, "credential", "First").code == 1
    assert (project / "credentials/first.md").read_text().startswith("---\ntitle: First\n")


def test_new_credential_in_the_sample_builds(cli, sample_copy: Path, tmp_path: Path) -> None:
    assert cli("new", "--content", sample_copy, "credential", "Assessing Collaboration").code == 0
    run = cli("build", "--content", sample_copy, "--out", tmp_path / "dist", "--no-pdf")
    assert run.code == 0
    assert "the credential 'assessing-collaboration' is in no stack" in run.err
    assert (tmp_path / "dist/credentials/assessing-collaboration/index.html").is_file()


def test_strict_turns_warnings_into_errors(cli, tmp_path: Path) -> None:
    body = "## Method components\n\n## Research\n\nSee [](https://example.org/study).\n"
    content = write_files(tmp_path / "c", {"site.yml": SITE_YML, "credentials/alone.md": credential_md(body=body)})
    relaxed = cli("check", "--content", content)
    assert relaxed.code == 0
    strict = cli("check", "--content", content, "--strict")
    assert strict.code == 1
    lines = [line.removeprefix(f"{content}/") for line in strict.err.splitlines()]
    assert lines == [
        "credentials/alone.md: the credential 'alone' is in no stack"
        " (it is shown as standalone; add it to a stack's credentials list)",
        "credentials/alone.md:18: the section 'Method components' is empty"
        " (write something under the heading, or remove it)",
        "credentials/alone.md:22: the link to 'https://example.org/study' has no text"
        " (write what it points at between the brackets: [the research summary](...))",
        "3 error(s) in " + str(content),
    ]
    data = json.loads(cli("check", "--content", content, "--format", "json").out)
    assert [p["severity"] for p in data] == ["warning", "warning", "warning"]
    github = cli("check", "--content", content, "--format", "github").err.splitlines()
    assert github[1] == (
        f"::warning file={content}/credentials/alone.md,line=18,title=catalog check::"
        "the section 'Method components' is empty (write something under the heading, or remove it)"
    )

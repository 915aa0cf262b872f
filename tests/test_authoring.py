"""Authoring commands: `new` scaffolds files from the schema that pass `check`, whose example texts fail
`check --strict` until they are replaced; `check --strict` and its formats."""

from __future__ import annotations

import json
from pathlib import Path

from catalog import placeholder
from catalog.scaffold import NOT_SUGGESTED
from catalog.schema import CREDENTIAL

from conftest import SITE_YML, credential_md, write_files


def test_new_credential_stack_bundle_and_page_pass_check(cli, project: Path) -> None:
    run = cli("new", "--content", project, "credential", "Leading Data Conversations: A Protocol")
    assert run.code == 0, run.err
    path = Path(run.out.strip())
    assert path == project / "credentials/leading-data-conversations-a-protocol.md"
    text = path.read_text()
    assert "title: 'Leading Data Conversations: A Protocol'  # The credential's name." in text
    assert "scale: passing" in text and "Not yet:" in text
    written = {}
    for kind, title in (("stack", "Data Literacy"), ("bundle", "Everything"), ("page", "About the catalog")):
        run = cli("new", "--content", project, kind, title)
        assert run.code == 0, run.err
        written[kind] = Path(run.out.strip()).relative_to(project).as_posix()
    assert written == {
        "stack": "stacks/data-literacy.md",
        "bundle": "bundles/everything.md",
        "page": "pages/about-the-catalog.md",
    }
    assert "order: 2  # Position on the catalog's index" in (project / "stacks/data-literacy.md").read_text()
    # A bundle lists at least one stack: the first in no bundle yet.
    assert "stacks: [only]  # The stacks in this bundle" in (project / "bundles/everything.md").read_text()
    check = cli("check", "--content", project)
    assert check.code == 0, check.err
    assert check.err.splitlines()[-1] == "ok: 2 credentials, 2 stacks, 1 pages"
    assert "lists no credentials yet" in check.err  # a warning, fine outside --strict


def test_new_bundle_is_refused_when_every_stack_is_in_a_bundle(cli, project: Path) -> None:
    assert cli("new", "--content", project, "bundle", "First").code == 0
    run = cli("new", "--content", project, "bundle", "Second")
    assert run.code == 1
    assert run.err == (
        "catalog new: a bundle needs a stack that is in no bundle yet, and there is none;"
        ' make one first with `new stack "Title"`\n'
    )
    assert not (project / "bundles/second.md").exists()


def test_new_refuses_to_overwrite(cli, project: Path) -> None:
    run = cli("new", "--content", project, "credential", "First")
    assert run.code == 1
    assert run.err == (
        "catalog new: a credential with the slug 'first' already exists; choose another title or edit that file\n"
    )
    assert (project / "credentials/first.md").read_text().startswith("---\ntitle: First\n")


def test_new_refuses_a_slug_a_file_in_a_subfolder_has(cli, project: Path) -> None:
    write_files(project, {"credentials/older/second.md": credential_md("Second")})
    run = cli("new", "--content", project, "credential", "Second")
    assert run.code == 1
    assert "a credential with the slug 'second' already exists" in run.err
    assert not (project / "credentials/second.md").exists()


def uncomment(text: str, names: set[str]) -> str:
    """Turn the commented examples of these fields (with the lines under them) into front matter."""
    out: list[str] = []
    inside: str | None = None  # the indentation of the example being uncommented
    for line in text.splitlines():
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        field = body.removeprefix("# ").split(":")[0]
        if body.startswith("# ") and field in names:
            inside = indent
            out.append(indent + body.removeprefix("# "))
        elif inside is not None and line.startswith(inside + "#   "):
            out.append(inside + line[len(inside) + 2 :])
        else:
            inside = None
            out.append(line)
    return "\n".join(out) + "\n"


def test_new_shows_every_optional_field_as_a_commented_example_that_checks(cli, project: Path) -> None:
    path = Path(cli("new", "--content", project, "credential", "Assessing Talk").out.strip())
    text = path.read_text()
    commented = {line.lstrip(" #").split(":")[0] for line in text.splitlines() if line.lstrip().startswith("# ")}
    optional = {spec.name for spec in CREDENTIAL.fields if not spec.required} - NOT_SUGGESTED
    # the old graduate_credit form, import's source and a ctid (each file's own: test_ctdl.py) are never suggested
    assert optional <= commented
    assert "ctid" not in text
    assert "graduate_credit" not in text
    for nested in ("instructions", "recording", "artefacts", "looks_for"):
        assert f"    # {nested}:" in text
    # Uncommented, each example checks, but those that must name another file or a retired credential.
    naming = {"image", "requires", "recommends", "retired_on", "replaced_by"}
    path.write_text(uncomment(text, (optional | {"instructions", "recording", "artefacts", "looks_for"}) - naming))
    assert "# code:" not in path.read_text() and "  amount: 125" in path.read_text()
    check = cli("check", "--content", project)
    assert check.code == 0, check.err
    assert "error" not in check.err


def test_an_unedited_new_file_fails_check_strict_at_each_example_text(cli, project: Path) -> None:
    assert cli("new", "--content", project, "credential", "Assessing Talk").code == 0
    strict = cli("check", "--content", project, "--strict")
    assert strict.code == 1
    still = "is still the example text that `new` or `init` wrote (replace it with what is true of this credential)"
    body = "this line is still the example text that `new` or `init` wrote (replace it with your own text about"
    assert [line.removeprefix(f"{project}/") for line in strict.err.splitlines()] == [
        "credentials/assessing-talk.md: the credential 'assessing-talk' is in no stack"
        " (it is shown as standalone; add it to a stack's credentials list)",
        f"credentials/assessing-talk.md:5: 'summary' {still}",
        f"credentials/assessing-talk.md:7: 'key_method' {still}",
        f"credentials/assessing-talk.md:25: 'requirements[1].prompts[1]' {still}",
        f"credentials/assessing-talk.md:28: 'requirements[1].criteria[1].title' {still}",
        f"credentials/assessing-talk.md:31: 'requirements[1].criteria[1].levels.Passing' {still}",
        f"credentials/assessing-talk.md:32: 'requirements[1].criteria[1].levels.Not yet' {still}",
        f"credentials/assessing-talk.md:70: {body} this credential)",
        f"credentials/assessing-talk.md:74: {body} this credential)",
        f"9 error(s) in {project}",
    ]
    relaxed = cli("check", "--content", project)
    assert relaxed.code == 0
    assert f"{project}/credentials/assessing-talk.md:5: warning: 'summary' {still}" in relaxed.err.splitlines()


def test_a_new_file_passes_check_strict_once_its_example_texts_are_replaced(cli, project: Path) -> None:
    for kind, title in (("credential", "Assessing Talk"), ("stack", "Talk"), ("bundle", "All"), ("page", "About")):
        path = Path(cli("new", "--content", project, kind, title).out.strip())
        text = path.read_text()
        for number, example in enumerate(sorted(placeholder.TEXTS)):
            text = text.replace(example, f"Words of our own, number {number}.")
        path.write_text(text.replace("credentials: []", "credentials: [assessing-talk]"))
    strict = cli("check", "--content", project, "--strict")
    assert (strict.code, strict.err) == (0, "ok: 2 credentials, 2 stacks, 1 pages\n")


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

"""Untrusted content at run time: what reaches a terminal or a CI runner, the preview server under
attack or after a bug, two builds at once, and what a killed build leaves behind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import credential_md

# What a terminal or a log viewer would obey or reorder, if it came through raw.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESCAPES = "\\e[2J\\e]0;pwned\\a \\x9b31m"  # YAML escapes: clear the screen, set the window title, a C1 CSI
SHOWN = "\\x1b[2J\\x1b]0;pwned\\x07 \\x9b31m"  # how the terminal must show them


def hostile_criterion() -> str:
    """A credential whose criterion title, quoted in an error, holds terminal escape sequences."""
    return (
        credential_md("Evil")
        .replace("      - title: Clarity\n", f'      - title: "Clarity {ESCAPES}"\n')
        .replace("          Not yet: Unclear.\n", "")
    )


def assert_no_raw_controls(text: str) -> None:
    found = RAW_CONTROLS.findall(text)
    assert not found, f"raw control characters reached the output: {found!r}"


# --- 1. Nothing from the content becomes a workflow command or a terminal escape sequence ---

GITHUB_LINE = re.compile(r"::(error|warning) file=([^,:\r\n]*)(?:,line=(\d+))?,title=catalog check::([^\r\n]*)")


def github_unescape(value: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


@pytest.mark.parametrize(
    "name",
    [
        "bad\nname.md",
        "x\n::add-mask::secret.md",
        "y\r\n::warning file=fake.md::planted.md",
        "100%0Aencoded.md",
        "comma,line=1,title=x.md",
        "colon:file=evil.md",
    ],
)
def test_github_annotations_keep_a_hostile_file_name_inside_one_command(cli, project: Path, name: str) -> None:
    (project / "credentials" / name).write_text(credential_md("Hostile"))
    run = cli("check", "--content", project, "--format", "github")
    expected = json.loads(cli("check", "--content", project, "--format", "json").out)
    assert run.code == 1 and "Traceback" not in run.err
    lines = run.err.splitlines()
    assert len(lines) == len(expected)  # exactly one line, one command, per problem
    parsed = [GITHUB_LINE.fullmatch(line) for line in lines]
    assert all(parsed), lines
    # Each property comes back intact, the hostile name included, once the runner decodes it.
    assert [(github_unescape(m[2]), int(m[3] or 0)) for m in parsed if m] == [(p["path"], p["line"]) for p in expected]
    assert str(project / "credentials" / name) in [p["path"] for p in expected]
    assert "\r" not in run.err and all(line.startswith("::") for line in lines)


def test_github_annotation_messages_escape_percent_and_line_breaks(cli, project: Path) -> None:
    stack = '---\ntitle: S\nsummary: s\norder: 1\ncredentials: [first, "a\\n::add-mask::x 100%"]\n---\n'
    (project / "stacks/only.md").write_text(stack)
    run = cli("check", "--content", project, "--format", "github")
    assert run.code == 1
    [line] = run.err.splitlines()
    assert line.startswith(f"::error file={project}/stacks/only.md,line=5,title=catalog check::")
    assert "not 'a%0A::add-mask::x 100%25'" in line


def test_terminal_escapes_in_a_title_are_shown_escaped_by_check_and_build(cli, project: Path, tmp_path: Path) -> None:
    (project / "credentials/evil.md").write_text(hostile_criterion())
    expected = f"{project}/credentials/evil.md:14: the criterion 'Clarity {SHOWN}' has no description for the level"
    check = cli("check", "--content", project)
    out = tmp_path / "dist"
    build = cli("build", "--content", project, "--out", out, "--no-pdf")
    for run in (check, build):
        assert run.code == 1
        assert expected in run.err
        assert_no_raw_controls(run.err + run.out)
        assert "Traceback" not in run.err
    assert not out.exists()


def test_bidi_controls_in_a_heading_are_shown_escaped_by_check_and_build(cli, project: Path, tmp_path: Path) -> None:
    # U+202E reverses the text after it on screen; U+2066 and U+2069 isolate it.
    body = "## Evil \u202eheading\u2066x\u2069\n\n## Next\n\nText.\n"
    (project / "credentials/first.md").write_text(credential_md("First", body=body))
    expected = f"{project}/credentials/first.md:18: warning: the section 'Evil \\u202eheading\\u2066x\\u2069' is empty"
    check = cli("check", "--content", project)
    build = cli("build", "--content", project, "--out", tmp_path / "dist", "--no-pdf")
    for run in (check, build):
        assert run.code == 0
        assert expected in run.err
        assert_no_raw_controls(run.err)


def test_a_quoted_value_cannot_start_a_problem_line_of_its_own(cli, project: Path) -> None:
    stack = '---\ntitle: S\nsummary: s\norder: 1\ncredentials: [first, "a\\ncontent/x.md:1: planted"]\n---\n'
    (project / "stacks/only.md").write_text(stack)
    run = cli("check", "--content", project)
    assert run.code == 1
    unindented = [line for line in run.err.splitlines() if not line.startswith(" ")]
    assert unindented == [unindented[0], "1 error(s) in " + str(project)]
    assert unindented[0].startswith(f"{project}/stacks/only.md:5: 'credentials[2]' should be a slug")
    assert "\n  content/x.md:1: planted'" in run.err


def test_json_problems_stay_valid_json_without_raw_control_characters(cli, project: Path) -> None:
    (project / "credentials/evil.md").write_text(hostile_criterion())
    (project / "credentials/rtl\u202egnp.md").write_text(credential_md("Reversed"))
    run = cli("check", "--content", project, "--format", "json")
    assert run.code == 1
    assert_no_raw_controls(run.out)
    problems = json.loads(run.out)  # the escapes decode to exactly what the content said
    assert any("Clarity \x1b[2J\x1b]0;pwned\x07 \x9b31m" in p["message"] for p in problems)
    assert str(project / "credentials/rtl\u202egnp.md") in [p["path"] for p in problems]

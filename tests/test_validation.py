"""Validation: every rule fires with the exact file and line, all in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, SITE_YML, credential_md, write_files

BROKEN = FIXTURES / "broken"
B = "tests/fixtures/broken"

EXPECTED = [
    f"{B}/credentials/bad-level.md:10: Part 1 must pass at 'Pasing', which is not a level of the scale 'passing'"
    " (did you mean 'Passing'?)",
    f"{B}/credentials/bad-types.md:6: 'published' is 2024-02-30, a date that does not exist"
    " (check the day and the month)",
    f"{B}/credentials/bad-types.md:8: 'graduate_credit.offered' should be true or false, not 'yes'"
    " (write true or false; words like yes, no, on and off are ambiguous in YAML)",
    f"{B}/credentials/bad-types.md:13: 'requirements[1].word_limit' should be a positive whole number,"
    " not 'two hundred' (write digits only, for example 200)",
    f"{B}/credentials/duplicate-key.md:4: duplicate key 'title' (already given on line 2; keep one)",
    f"{B}/credentials/latin1.md:3: the file is not UTF-8 text (save it as UTF-8 in your editor ('Save with encoding'))",
    f"{B}/credentials/missing-field.md:2: the front matter is missing the required field 'summary'"
    " (add 'summary:' with one line of text: one line saying what the earner shows.)",
    f"{B}/credentials/more/dup.md: the slug 'dup' is already used by {B}/credentials/dup.md"
    " (file names are slugs and must be unique within credentials/, stacks/ and pages/)",
    f"{B}/credentials/no-front-matter.md:1: the file has no front matter"
    " (start the file with a line '---', the fields, then another '---')",
    f"{B}/credentials/not-a-mapping.md:2: the front matter should be a mapping of 'field: value' lines, not a list",
    f"{B}/credentials/unclosed.md:1: the front matter is never closed (add a line '---' after the last field)",
    f"{B}/credentials/unknown-field.md:7: unknown field 'tag' (did you mean 'tags'?)",
    f"{B}/credentials/yaml-syntax.md:5: YAML syntax error: did not find expected ',' or ']', while parsing a flow"
    " sequence that starts on line 4 (check the indentation and quote values that contain ': ' or start with a"
    " special character)",
    f"{B}/stacks/broken-stack.md:7: the credential 'goood-one' does not exist (did you mean 'good'?)",
    f"{B}/stacks/broken-stack.md:8: the credential 'good' is already listed earlier in this stack"
    " (a credential belongs to one stack, once)",
]


def test_broken_fixture_reports_every_problem_with_file_and_line(cli, monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES.parents[1])
    run = cli("check", "--content", B)
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert lines[:-1] == EXPECTED
    assert lines[-1] == f"{len(EXPECTED)} error(s) in {B}"


def test_build_of_broken_content_fails_without_output(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(FIXTURES.parents[1])
    run = cli("build", "--content", B, "--out", tmp_path / "dist", "--no-pdf")
    assert run.code == 1
    assert EXPECTED[0] in run.err
    assert not (tmp_path / "dist").exists()


def test_check_json_lists_problems(cli, monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES.parents[1])
    run = cli("check", "--content", B, "--format", "json")
    assert run.code == 1
    problems = json.loads(run.out)
    assert len(problems) == len(EXPECTED)
    assert problems[0] == {
        "path": f"{B}/credentials/bad-level.md",
        "line": 10,
        "message": "Part 1 must pass at 'Pasing', which is not a level of the scale 'passing'",
        "hint": "did you mean 'Passing'?",
        "severity": "error",
    }


def test_check_github_prints_annotations(cli, monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES.parents[1])
    run = cli("check", "--content", B, "--format", "github")
    assert run.code == 1
    assert (
        f"::error file={B}/credentials/unknown-field.md,line=7,title=catalog check::"
        "unknown field 'tag' (did you mean 'tags'?)"
    ) in run.err.splitlines()


def test_text_fields_keep_yaml_look_alikes_as_text(cli, tmp_path: Path) -> None:
    # The fixture's good.md says `title: yes` and `version: 1.10`: text, kept as written.
    out = tmp_path / "dist"
    content = write_files(tmp_path / "c", {"site.yml": SITE_YML, "credentials/good.md": ""})
    (content / "credentials/good.md").write_text((BROKEN / "credentials/good.md").read_text())
    run = cli("build", "--content", content, "--out", out, "--no-pdf")
    assert run.code == 0, run.err
    html = (out / "credentials/good/index.html").read_text()
    assert "<h1>yes</h1>" in html
    assert "<dd>1.10</dd>" in html


def check(cli, root: Path, files: dict[str, str | bytes]) -> list[str]:
    write_files(root, files)
    run = cli("check", "--content", root)
    return [line.removeprefix(str(root) + "/") for line in run.err.strip().splitlines()]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("image: assets/missing.png\n", "credentials/c.md:7: the image 'assets/missing.png' does not exist"),
        ("licence: CC-BY-4\n", "credentials/c.md:7: 'licence': 'CC-BY-4' is not a licence id we know; did you mean"),
        ("tags: policy\n", "credentials/c.md:7: 'tags' should be a list of one line of text, not a single value"),
        ("updated: 2024-13-01\n", "credentials/c.md:7: 'updated' is 2024-13-01, a date that does not exist"),
        ("updated: &a 2024-01-01\nissuer: *a\n", "credentials/c.md:8: YAML aliases (*name) are not allowed"),
        ("issuer: !!python/object:os.system x\n", "credentials/c.md:7: 'issuer' has the YAML tag 'python/object"),
        ("graduate_credit:\n  offered: on\n", "credentials/c.md:8: 'graduate_credit.offered' should be true or false"),
    ],
)
def test_field_rules(cli, tmp_path: Path, extra: str, expected: str) -> None:
    lines = check(cli, tmp_path, {"site.yml": SITE_YML, "credentials/c.md": credential_md(extra=extra)})
    assert any(line.startswith(expected) for line in lines), lines


def test_scale_and_level_rules(cli, tmp_path: Path) -> None:
    body = credential_md().replace("scale: passing", "scale: pasing")
    lines = check(cli, tmp_path, {"site.yml": SITE_YML, "credentials/c.md": body})
    assert lines[0] == (
        "credentials/c.md:9: Part 1 uses the scale 'pasing', which is not defined (did you mean 'passing'?)"
    )
    body = credential_md().replace("          Not yet: Unclear.\n", "          Almost: Nearly.\n")
    lines = check(cli, tmp_path, {"credentials/c.md": body})
    assert lines[:2] == [
        "credentials/c.md:14: the criterion 'Clarity' has no description for the level 'Not yet'"
        " (describe every level of the scale 'passing': Passing, Not yet)",
        "credentials/c.md:16: 'Almost' is not a level of the scale 'passing' (expected one of: Passing, Not yet)",
    ]


def test_credential_scales_add_to_the_sites(cli, tmp_path: Path) -> None:
    extra = "scales:\n  four: [Exemplary, Proficient, Developing, Beginning]\n"
    body = credential_md(extra=extra).replace("scale: passing\n    pass: Passing", "scale: four\n    pass: Proficient")
    body = body.replace(
        "          Passing: Clear.\n          Not yet: Unclear.\n",
        "          Exemplary: A.\n          Proficient: B.\n          Developing: C.\n          Beginning: D.\n",
    )
    lines = check(cli, tmp_path, {"site.yml": SITE_YML, "credentials/c.md": body})
    assert lines[-1].startswith("ok: 1 credentials")


PNG_1X1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00\x00"
    b"\nIDATx\xdac`\x00\x00\x00\x02\x00\x01\xe5'\xde\xfc\x00\x00\x00\x00IEND\xaeB`\x82"
)  # a real 1 x 1 image: assets are decoded when checked


def test_body_links_images_and_alt_text(cli, tmp_path: Path) -> None:
    body = "See [the other](other.md) and [missing](nothing.md).\n\n![](../assets/pic.png)\n"
    lines = check(
        cli,
        tmp_path,
        {
            "site.yml": SITE_YML,
            "credentials/c.md": credential_md(body=body),
            "credentials/other.md": credential_md("Other"),
            "assets/pic.png": PNG_1X1,
        },
    )
    assert lines[:2] == [
        "credentials/c.md:18: the link 'nothing.md' points at nothing in the content folder"
        " (write the path relative to this file, like ../assets/picture.png or ../credentials/other.md)",
        "credentials/c.md:20: an image has no alt text"
        " (describe the image between the brackets: ![a diagram of ...](...))",
    ]


def test_front_matter_placement(cli, tmp_path: Path) -> None:
    lines = check(cli, tmp_path, {"site.yml": SITE_YML, "credentials/c.md": ("\n\n" + credential_md()).encode()})
    assert (
        lines[0]
        == "credentials/c.md:3: the front matter must start on the first line (remove the blank lines above '---')"
    )


def test_second_yaml_document_and_tabs(cli, tmp_path: Path) -> None:
    second = credential_md().replace('version: "1.0"\n', 'version: "1.0"\n...\n---\nmore: 1\n', 1)
    lines = check(cli, tmp_path, {"site.yml": SITE_YML, "credentials/c.md": second})
    assert lines[0].startswith("credentials/c.md:")
    tabs = credential_md().replace("    scale: passing", "\tscale: passing")
    lines = check(cli, tmp_path, {"credentials/c.md": tabs})
    assert lines[0].startswith("credentials/c.md:9: YAML syntax error"), lines


def test_missing_site_yml_and_invalid_file_name(cli, tmp_path: Path) -> None:
    lines = check(cli, tmp_path, {"credentials/Bad Name.md": credential_md()})
    assert lines[:2] == [
        "credentials/Bad Name.md: the file name 'Bad Name.md' is not a valid slug (rename it to bad-name.md)",
        "site.yml: site.yml is missing (every content folder needs a site.yml; see docs/authoring.md)",
    ]


def test_standalone_credential_is_a_warning(cli, tmp_path: Path) -> None:
    lines = check(cli, tmp_path, {"site.yml": SITE_YML, "credentials/alone.md": credential_md()})
    assert lines == [
        "credentials/alone.md: warning: the credential 'alone' is in no stack"
        " (it is shown as standalone; add it to a stack's credentials list)",
        "ok: 1 credentials, 0 stacks, 0 pages",
    ]


def test_usage_errors_exit_2(cli, tmp_path: Path) -> None:
    assert cli("check", "--content", tmp_path / "nowhere").code == 2
    with pytest.raises(SystemExit) as exit_info:
        cli("build", "--jobs", "0")
    assert exit_info.value.code == 2

"""Validation: every rule fires with the exact file and line, all in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, SITE_YML, credential_md, write_files

BROKEN = FIXTURES / "broken"
B = "tests/fixtures/broken"

# Every rule, each at its line, from one run over tests/fixtures/broken/. Besides what it shows, the fixture
# proves what must NOT be reported: good.md is in two stacks (fine); free.md has a fee of 0 and no currency
# (free needs none); broken-stack.md and second-bundle.md name files whose YAML is broken (yaml-syntax.md,
# bad-kind.md), which are reported once, for themselves; old-credit.md's old form is a suggestion, shown
# only by `check --strict`.

EXPECTED = [
    f"{B}/bundles/first-bundle.md:7: the stack 'second-stak' does not exist (did you mean 'second-stack'?)",
    f"{B}/bundles/first-bundle.md:8: the stack 'broken-stack' is already listed earlier in this bundle (list it once)",
    f"{B}/bundles/second-bundle.md:4: the bundle order 1 is also used by the bundle 'first-bundle' (give "
    "each bundle its own order number)",
    f"{B}/bundles/second-bundle.md:7: the stack 'broken-stack' is already in the bundle 'first-bundle' (a "
    "stack belongs to one bundle at most)",
    f"{B}/credentials/a-draft.md:7: warning: this credential is a draft: `build` leaves it out of the "
    "site, `serve` shows it (set status: active when it is ready to publish)",
    f"{B}/credentials/bad-level.md:10: Part 1 must pass at 'Pasing', which is not a level of the scale "
    "'passing' (did you mean 'Passing'?)",
    f"{B}/credentials/bad-numbers.md:7: 'code' should be an identifier of letters, digits and . _ / -, not"
    " 'NEA RP1' (at most 40 characters and no spaces, for example NEA_RP1)",
    f"{B}/credentials/bad-numbers.md:8: 'hours' should be a positive number, not '7.255' (write digits "
    "with at most 2 after a point, for example 0.5 or 125.00)",
    f"{B}/credentials/bad-numbers.md:10: 'fee.amount' should be a number, 0 or more, not '-5' (write "
    "digits with at most 2 after a point, for example 0.5 or 125.00)",
    f"{B}/credentials/bad-numbers.md:11: 'fee.currency' should be an ISO 4217 currency code, not 'usd' "
    "(three capital letters, for example USD, EUR or CAD)",
    f"{B}/credentials/bad-numbers.md:13: 'credits[1].kind' is 'graduat', which is not one of graduate, "
    "recertification, ceu, salary, other (did you mean 'graduate'?)",
    f"{B}/credentials/bad-numbers.md:14: 'credits[1].amount' should be a positive number, not '0' (write "
    "digits with at most 2 after a point, for example 0.5 or 125.00)",
    f"{B}/credentials/bad-numbers.md:16: 'credits[2].amount' is 1001, more than the most allowed, 1,000",
    f"{B}/credentials/bad-numbers.md:17: 'status' is 'archived', which is not one of active, draft, "
    "retired (did you mean 'active'?)",
    f"{B}/credentials/bad-numbers.md:19: 'review.days' should be a positive whole number, not '0' (write "
    "digits only, for example 30)",
    f"{B}/credentials/bad-numbers.md:20: 'review.resubmissions' is 101, more than the most allowed, 100",
    f"{B}/credentials/bad-types.md:6: 'published' is 2024-02-30, a date that does not exist (check the day"
    " and the month)",
    f"{B}/credentials/bad-types.md:8: 'graduate_credit.offered' should be true or false, not 'yes' (write "
    "true or false; words like yes, no, on and off are ambiguous in YAML)",
    f"{B}/credentials/bad-types.md:13: 'requirements[1].word_limit' should be a positive whole number, not"
    " 'two hundred' (write digits only, for example 200)",
    f"{B}/credentials/code-b.md:7: the code 'NEA_RP1' is also the code of the credential 'code-a' (give "
    "each credential its own code)",
    f"{B}/credentials/cycle-a.md:7: the prerequisites form a cycle: cycle-a → cycle-b → cycle-c → cycle-a "
    "(remove one of these from requires so that a credential can be earned first)",
    f"{B}/credentials/duplicate-key.md:4: duplicate key 'title' (already given on line 2; keep one)",
    f"{B}/credentials/latin1.md:3: the file is not UTF-8 text (save it as UTF-8 in your editor ('Save with encoding'))",
    f"{B}/credentials/missing-field.md:2: the front matter is missing the required field 'summary' (add "
    "'summary:' with one line of text: one line saying what the earner shows.)",
    f"{B}/credentials/more-numbers.md:7: 'hours' is 10001, more than the most allowed, 10,000",
    f"{B}/credentials/more-numbers.md:9: 'fee.amount' should be a number, 0 or more, not '12.505' (write "
    "digits with at most 2 after a point, for example 0.5 or 125.00)",
    f"{B}/credentials/more-numbers.md:10: 'fee.currency': 'UDS' is not an ISO 4217 currency code (three capital"
    " letters, for example USD, EUR or CAD)",
    f"{B}/credentials/more-numbers.md:14: unknown field 'units' in 'credits[1]' (did you mean 'unit'? the "
    "fields here are: kind, amount, unit, provider, note, url)",
    f"{B}/credentials/more/dup.md: the slug 'dup' is already used by {B}/credentials/dup.md (file names "
    "are slugs and must be unique within credentials/, stacks/, bundles/ and pages/)",
    f"{B}/credentials/needs-draft.md:7: warning: the credential 'a-draft' is a draft, which `build` leaves"
    " out, so the published page will not name it (publish 'a-draft' (status: active) or name another "
    "credential)",
    f"{B}/credentials/no-currency.md:7: the fee names no currency, and site.yml gives no default one (add "
    "currency: USD (an ISO 4217 code) to the fee, or currency: to site.yml)",
    f"{B}/credentials/no-front-matter.md:1: the file has no front matter (start the file with a line "
    "'---', the fields, then another '---')",
    f"{B}/credentials/not-a-mapping.md:2: the front matter should be a mapping of 'field: value' lines, not a list",
    f"{B}/credentials/not-retired.md:7: 'retired_on' is only for a retired credential, and this one is "
    "active (set status: retired, or remove the field)",
    f"{B}/credentials/not-retired.md:8: 'replaced_by' is only for a retired credential, and this one is "
    "active (set status: retired, or remove the field)",
    f"{B}/credentials/prereq-missing.md:8: the credential 'goood' does not exist (did you mean 'good'?)",
    f"{B}/credentials/prereq-missing.md:9: the credential 'prereq-missing' requires itself (remove "
    "'prereq-missing' from requires)",
    f"{B}/credentials/prereq-missing.md:11: the credential 'nothing-like-this' does not exist (there is no"
    " credentials/nothing-like-this.md)",
    f"{B}/credentials/retired-missing.md:8: the credential 'god' does not exist (did you mean 'good'?)",
    f"{B}/credentials/retired-self.md:9: a credential cannot replace itself (name the credential that replaces it)",
    f"{B}/credentials/unclosed.md:1: the front matter is never closed (add a line '---' after the last field)",
    f"{B}/credentials/unknown-field.md:7: unknown field 'tag' (did you mean 'tags'? the fields here are: "
    "title, summary, issuer, key_method, version, published, updated, licence, graduate_credit, tags, "
    "image, scales, requirements, resources, alignments, code, hours, fee, apply_url, credits, requires, "
    "recommends, audience, language, status, retired_on, replaced_by, review, source, ctid)",
    f"{B}/credentials/word-range.md:11: Part 1's word limit asks for at least 300 words but at most 250 "
    "(min must not be more than max)",
    f"{B}/credentials/yaml-syntax.md:5: YAML syntax error: did not find expected ',' or ']', while parsing"
    " a flow sequence that starts on line 4 (check the indentation and quote values that contain ': ' or "
    "start with a special character)",
    f"{B}/stacks/bad-kind.md:5: 'kind' is 'pathways', which is not one of pathway, collection (did you "
    "mean 'pathway'?)",
    f"{B}/stacks/broken-stack.md:7: the credential 'goood-one' does not exist (did you mean 'good'?)",
    f"{B}/stacks/broken-stack.md:8: the credential 'good' is already listed earlier in this stack (list it"
    " once; a credential may be in several stacks, once in each)",
]
ERRORS = [line for line in EXPECTED if ": warning: " not in line]


def test_broken_fixture_reports_every_problem_with_file_and_line(cli, monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES.parents[1])
    run = cli("check", "--content", B)
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert lines[:-1] == EXPECTED
    assert lines[-1] == f"{len(ERRORS)} error(s) in {B}"


def test_build_of_broken_content_fails_without_output(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(FIXTURES.parents[1])
    run = cli("build", "--content", B, "--out", tmp_path / "dist", "--no-pdf")
    assert run.code == 1
    assert ERRORS[0] in run.err
    assert not (tmp_path / "dist").exists()


def test_check_json_lists_problems(cli, monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES.parents[1])
    run = cli("check", "--content", B, "--format", "json")
    assert run.code == 1
    problems = json.loads(run.out)
    assert len(problems) == len(EXPECTED)
    assert problems[5] == {
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
        f"::error file={B}/credentials/more-numbers.md,line=14,title=catalog check::"
        "unknown field 'units' in 'credits[1]' (did you mean 'unit'? the fields here are: kind, amount, unit, provider,"
        " note, url)"
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


STACK_OF = """
    ---
    title: Stack {name}
    summary: A stack.
    order: {order}
    {kind}credentials: [{slugs}]
    ---
"""


def stack_md(name: str, slugs: str, order: int = 1, kind: str = "") -> str:
    return STACK_OF.format(name=name, slugs=slugs, order=order, kind=f"kind: {kind}\n    " if kind else "")


def test_every_new_field_used_within_its_rules_passes_check(cli, tmp_path: Path) -> None:
    """The rules do not over-fire: a credential in two stacks (one a collection), a bundle, fractional credit
    of two kinds, a fee in the site's currency, a free one, a word range, review, a prerequisite chain, a
    retired credential with its replacement."""
    full = (
        "code: NEA_RP1\nhours: 7.5\nfee:\n  amount: 125.00\n  note: Waived for members.\n"
        "apply_url: https://example.org/apply\n"
        "credits:\n  - kind: recertification\n    amount: 0.5\n    unit: units\n  - kind: ceu\n    amount: 1.25\n"
        "requires: [basics]\nrecommends: [basics]\naudience: [Grades 6-12 teachers]\nlanguage: es\n"
        "review:\n  days: 30\n  resubmissions: 0\n"
    )
    files = {
        "site.yml": SITE_YML + "    currency: EUR\n",
        "credentials/full.md": credential_md("Full", extra=full).replace(
            "word_limit: 200", "word_limit: {min: 250, max: 300}"
        ),
        "credentials/basics.md": credential_md("Basics", extra="fee: {amount: 0}\nstatus: active\n"),
        "credentials/old.md": credential_md(
            "Old", extra="status: retired\nretired_on: 2024-06-30\nreplaced_by: full\n"
        ),
        "stacks/path.md": stack_md("path", "basics, full, old"),
        "stacks/set.md": stack_md("set", "full", order=2, kind="collection"),
        "bundles/all.md": "---\ntitle: All\nsummary: Both stacks.\norder: 1\nstacks: [path, set]\n---\n",
    }
    lines = check(cli, tmp_path, files)
    assert lines == ["ok: 3 credentials, 2 stacks, 0 pages"]


def test_a_fee_takes_site_yml_currency_which_must_be_an_iso_4217_code(cli, tmp_path: Path) -> None:
    fee = credential_md(extra="fee:\n  amount: 125\n")
    files = {"site.yml": SITE_YML + "    currency: CAD\n", "credentials/c.md": fee, "stacks/s.md": stack_md("s", "c")}
    assert check(cli, tmp_path, files) == ["ok: 1 credentials, 1 stacks, 0 pages"]
    assert check(cli, tmp_path, {"site.yml": SITE_YML + "    currency: XTS1\n"})[0] == (
        "site.yml:7: 'currency' should be an ISO 4217 currency code, not 'XTS1'"
        " (three capital letters, for example USD, EUR or CAD)"
    )
    assert check(cli, tmp_path, {"site.yml": SITE_YML + "    currency: UDS\n"})[0] == (
        "site.yml:7: 'currency': 'UDS' is not an ISO 4217 currency code"
        " (three capital letters, for example USD, EUR or CAD)"
    )


@pytest.mark.parametrize(
    ("old", "better"),
    [
        ("offered: true\n  credits: 3", "write credits: [{kind: graduate, amount: 3, unit: credit hours}] instead"),
        (
            "offered: true\n  note: Apply to a partner university.",
            "write credits: [{kind: graduate, amount: N, unit: credit hours}] instead, N the hours it gives",
        ),
        ("offered: false", "remove it: a credential that names no credits shows no credit line"),
    ],
)
def test_the_old_graduate_credit_form_is_suggested_only_by_check_strict(
    cli, tmp_path: Path, monkeypatch, old: str, better: str
) -> None:
    old = credential_md(extra=f"graduate_credit:\n  {old}\n")
    content = write_files(
        tmp_path / "c", {"site.yml": SITE_YML, "credentials/c.md": old, "stacks/s.md": stack_md("s", "c")}
    )
    relaxed = cli("check", "--content", content)
    assert (relaxed.code, relaxed.err) == (0, "ok: 1 credentials, 1 stacks, 0 pages\n")
    assert json.loads(cli("check", "--content", content, "--format", "json").out) == []
    strict = cli("check", "--content", content, "--strict")
    assert strict.code == 1
    assert strict.err.splitlines() == [
        f"{content}/credentials/c.md:7: graduate_credit is the old form of credits ({better})",
        f"1 error(s) in {content}",
    ]
    build = cli("build", "--content", content, "--out", tmp_path / "dist", "--no-pdf", "-q")
    assert (build.code, build.err) == (0, "")
    # The broken fixture's old-credit.md: absent from EXPECTED above, present with --strict.
    monkeypatch.chdir(FIXTURES.parents[1])
    assert (
        f"{B}/credentials/old-credit.md:7: graduate_credit is the old form of credits"
        " (write credits: [{kind: graduate, amount: 3, unit: credit hours}] instead)"
    ) in cli("check", "--content", B, "--strict").err.splitlines()


def test_graduate_credit_given_in_both_forms_is_an_error(cli, tmp_path: Path) -> None:
    both = credential_md(extra="graduate_credit:\n  offered: true\ncredits:\n  - kind: graduate\n    amount: 3\n")
    lines = check(cli, tmp_path, {"site.yml": SITE_YML, "credentials/c.md": both, "stacks/s.md": stack_md("s", "c")})
    assert lines == [
        "credentials/c.md:7: graduate credit is given twice, in graduate_credit and in credits"
        " (keep the entry in credits and remove graduate_credit)",
        f"1 error(s) in {tmp_path}",
    ]


def test_a_yaml_error_is_reported_once_not_again_by_what_names_the_file(cli, tmp_path: Path) -> None:
    broken = "---\ntitle: [unclosed\n---\n"
    files = {
        "site.yml": SITE_YML,
        "credentials/fine.md": credential_md("Fine", extra="requires: [broken]\n"),
        "credentials/broken.md": broken,
        "stacks/s.md": stack_md("s", "fine, broken"),
        "stacks/broken-stack.md": broken,
        "bundles/b.md": "---\ntitle: B\nsummary: Both stacks.\norder: 1\nstacks: [s, broken-stack]\n---\n",
    }
    lines = check(cli, tmp_path, files)
    assert [line.split(" YAML syntax error")[0] for line in lines] == [
        "credentials/broken.md:3:",
        "stacks/broken-stack.md:3:",
        f"2 error(s) in {tmp_path}",
    ]


def test_field_errors_and_cross_file_errors_are_reported_in_one_run(cli, tmp_path: Path) -> None:
    files = {
        "site.yml": SITE_YML,
        "credentials/a.md": credential_md("A", extra="hours: a few\n"),
        "credentials/b.md": credential_md("B", extra="requires: [c]\n"),
        "credentials/c.md": credential_md("C", extra="requires: [b]\n"),
        "stacks/s.md": stack_md("s", "a, b, c"),
    }
    assert check(cli, tmp_path, files) == [
        "credentials/a.md:7: 'hours' should be a positive number, not 'a few'"
        " (write digits with at most 2 after a point, for example 0.5 or 125.00)",
        "credentials/b.md:7: the prerequisites form a cycle: b → c → b"
        " (remove one of these from requires so that a credential can be earned first)",
        f"2 error(s) in {tmp_path}",
    ]


def test_check_lists_drafts_and_build_leaves_them_out(cli, tmp_path: Path) -> None:
    files = {
        "site.yml": SITE_YML,
        "credentials/ready.md": credential_md("Ready"),
        "credentials/unready.md": credential_md("Unready", extra="status: draft\n"),
        "stacks/s.md": stack_md("s", "ready, unready"),
    }
    draft = (
        "credentials/unready.md:7: warning: this credential is a draft: `build` leaves it out of the site,"
        " `serve` shows it (set status: active when it is ready to publish)"
    )
    assert check(cli, tmp_path / "c", files) == [draft, "ok: 1 credentials, 1 stacks, 0 pages"]
    assert cli("check", "--content", tmp_path / "c", "--strict").code == 1
    build = cli("build", "--content", tmp_path / "c", "--out", tmp_path / "dist", "--no-pdf", "-q")
    assert build.code == 0
    assert build.err.splitlines() == [f"{tmp_path}/c/{draft}"]
    assert (tmp_path / "dist/credentials/ready/index.html").is_file()
    assert not (tmp_path / "dist/credentials/unready").exists()


def test_unknown_fields_of_stacks_and_bundles_list_the_valid_ones(cli, tmp_path: Path) -> None:
    files = {
        "site.yml": SITE_YML,
        "credentials/c.md": credential_md(),
        "stacks/s.md": stack_md("s", "c").replace("order: 1", "order: 1\n    type: collection"),
        "bundles/b.md": "---\ntitle: B\nsummary: One stack.\norder: 1\nstack: [s]\n---\n",
    }
    assert check(cli, tmp_path, files)[:2] == [
        "bundles/b.md:2: the front matter is missing the required field 'stacks'"
        " (add 'stacks:' with a list of a slug (lower-case letters, digits and single hyphens):"
        " the stacks in this bundle, in order, by slug.)",
        "bundles/b.md:5: unknown field 'stack' (did you mean 'stacks'? the fields here are:"
        " title, summary, order, stacks)",
    ]
    assert check(cli, tmp_path, files)[2] == (
        "stacks/s.md:5: unknown field 'type' (the fields here are: title, summary, order, colour, kind, credentials,"
        " ctid)"
    )

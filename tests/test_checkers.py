"""Proven by outside checkers: every page the build writes is valid HTML by the W3C Nu HTML Checker, and
every workflow the project ships passes zizmor's audit of GitHub Actions.

The checkers are installed by scripts/install-test-tools (Java and the checker, vnu-jar, pinned in
tests/tools/package-lock.json) and by `make` (zizmor, a test dependency). Without them these tests are
skipped with the command to run; in CI (CI=true) a missing checker is a failure.
Each checker runs once, over everything it checks and over one known-bad control file, so a checker that
silently checks nothing cannot pass.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_publishing import search_index

from catalog.cli import main

from conftest import FIXTURES, ROOT, missing_tool, write_files

VNU = ROOT / "tests/tools/node_modules/vnu-jar/build/dist/vnu.jar"
WORKFLOWS = ROOT / ".github/workflows"
FEATURES_URL = "https://example.org/feedback/"

# A credential page's head as it was before the filters' <meta> elements had a name: vnu's one error.
UNNAMED_META = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Control</title>
<meta data-pagefind-filter="stack[content]" content="A stack">
</head><body><p>A control page.</p></body></html>
"""
UNNAMED_META_ERROR = (
    "error: Element “meta” is missing one or more of the following attributes: "
    "“http-equiv”, “itemprop”, “name”, “property”."
)

# The workflow as it first shipped, in short: an action by a movable tag, with the checkout's token kept on disk.
UNPINNED_WORKFLOW = """
    name: Control
    on: push
    permissions: {}
    concurrency:
      group: control
      cancel-in-progress: true
    jobs:
      build:
        name: Build
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
"""


@pytest.fixture(scope="module")
def features_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture catalog that uses every feature, built with PDFs and a public address (canonical links,
    sharing tags), as the Pages workflow builds it; its cache stays out of the repository."""
    scratch = tmp_path_factory.mktemp("features")
    out = scratch / "dist"
    content = FIXTURES / "features"
    args = ["build", "--content", str(content), "--out", str(out), "--cache", str(scratch / "cache")]
    assert main([*args, "--base-url", FEATURES_URL, "--quiet"]) == 0
    return out


@dataclass
class Validation:
    """What the Nu HTML Checker said: the files it checked and its messages, each as 'path:line: type: text'."""

    checked: set[Path]
    messages: list[str]

    def checked_under(self, folder: Path) -> set[Path]:
        return {path for path in self.checked if path.is_relative_to(folder)}

    def messages_under(self, folder: Path) -> list[str]:
        return [message for message in self.messages if Path(message.split(":")[0]).is_relative_to(folder)]


def nu_message(message: dict[str, object]) -> str:
    path = str(message.get("url", "")).removeprefix("file:")
    kind = "/".join(str(part) for part in (message["type"], message.get("subType")) if part)
    return f"{path}:{message.get('lastLine', 0)}: {kind}: {message['message']}"


@pytest.fixture(scope="module")
def validation(sample_dist: Path, features_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Validation:
    """One run of the checker (Java starts slowly) over every page of both built catalogs and the control."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        missing_tool("The Nu HTML Checker (Java and vnu-jar) is not installed: run scripts/install-test-tools")
    control = tmp_path_factory.mktemp("control") / "unnamed-meta.html"
    control.write_text(UNNAMED_META, encoding="utf-8")
    pages = sorted(sample_dist.rglob("*.html")) + sorted(features_dist.rglob("*.html")) + [control]
    # --verbose names each file checked on standard output; the messages come as JSON on standard error.
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--verbose", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = [nu_message(message) for message in json.loads(result.stderr)["messages"]]
    return Validation({Path(line) for line in result.stdout.splitlines()}, messages)


def test_the_html_checker_runs_and_finds_an_unnamed_meta(validation: Validation) -> None:
    control = next(path for path in validation.checked if path.name == "unnamed-meta.html")
    assert validation.messages_under(control) == [f"{control}:3: {UNNAMED_META_ERROR}"]


def test_every_page_of_the_sample_is_valid_html(validation: Validation, sample_dist: Path) -> None:
    pages = set(sample_dist.rglob("*.html"))
    # index, 404, 1 bundle, 5 stacks, 13 credentials (12 listed, 1 retired), 1 page; in English and in Spanish
    assert len(pages) == 44 and len(list((sample_dist / "es").rglob("*.html"))) == 22
    assert validation.checked_under(sample_dist) == pages
    assert validation.messages_under(sample_dist) == []  # no error, no warning, no note


def test_every_page_of_the_feature_catalog_is_valid_html(validation: Validation, features_dist: Path) -> None:
    pages = set(features_dist.rglob("*.html"))
    assert len(pages) == 7  # index, 404, 1 stack, 3 credentials (one in no stack), 1 page
    assert validation.checked_under(features_dist) == pages
    assert validation.messages_under(features_dist) == []


def test_search_filters_and_summary_still_reach_the_index(features_dist: Path) -> None:
    """The filters' <meta> elements, now named, still give Pagefind every value; values stay escaped once more
    than text (the search interface inserts them as HTML), see catalog.escape.pagefind_filter."""
    catalog = json.loads((features_dist / "catalog.json").read_text())
    stacks = {stack["slug"]: stack["title"] for stack in catalog["stacks"]}
    pages, _ = search_index(features_dist / "pagefind")
    indexed = {page["url"]: page for page in pages}
    for credential in catalog["credentials"]:
        page = indexed["/" + credential["page"]]
        expected = {"issuer": [html.escape(credential["issuer"])]}
        if credential["graduate_credit"]["offered"]:
            expected["credit"] = ["Graduate credit"]
        if credential["stack"]:
            expected["stack"] = [html.escape(stacks[credential["stack"]])]
        if credential["tags"]:
            expected["tag"] = [html.escape(tag) for tag in credential["tags"]]
        assert page["filters"] == expected
        assert page["meta"]["summary"] == credential["summary"]
    assert indexed["/credentials/affective-feedback-in-different-classrooms/index.html"]["filters"]["issuer"] == [
        "Conseil scolaire de l’Est &amp; Partners"
    ]


def zizmor_path() -> str:
    # Installed into the virtual environment that runs the tests, which need not be on PATH.
    beside = Path(sys.executable).parent / "zizmor"
    found = str(beside) if beside.is_file() else shutil.which("zizmor")
    if found is None:
        missing_tool("zizmor is not installed: run `make` (it is a test dependency in pyproject.toml)")
    return found


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """zizmor's findings, as 'audit: description' by file, for every workflow we ship and the control.

    Offline (no network here), with the pedantic persona (more than the default), and without any
    configuration file, so a finding can be silenced only by a comment in the workflow itself."""
    control = write_files(tmp_path_factory.mktemp("control"), {"unpinned.yml": UNPINNED_WORKFLOW}) / "unpinned.yml"
    inputs = [*sorted(WORKFLOWS.glob("*.y*ml")), control]
    command = [zizmor_path(), "--offline", "--no-config", "--persona", "pedantic", "--strict-collection"]
    result = subprocess.run([*command, "--format", "json", *map(str, inputs)], capture_output=True, text=True)
    assert result.returncode != 1, result.stderr  # 1 is zizmor's own failure; findings give 10 to 14
    findings: dict[str, list[str]] = {str(path): [] for path in inputs}
    for finding in json.loads(result.stdout):
        path = finding["locations"][0]["symbolic"]["key"]["Local"]["verbatim_path"]
        findings[path].append(f"{finding['ident']}: {finding['desc']}")
    return findings


def test_zizmor_runs_and_finds_an_unpinned_action(audit: dict[str, list[str]]) -> None:
    control = next(path for path in audit if path.endswith("unpinned.yml"))
    assert sorted(audit[control]) == [
        "artipacked: credential persistence through GitHub Actions artifacts",
        "unpinned-uses: unpinned action reference",
    ]


def test_every_workflow_passes_zizmor_and_says_why_it_silences_any_finding(audit: dict[str, list[str]]) -> None:
    workflows = sorted(WORKFLOWS.glob("*.y*ml"))
    assert WORKFLOWS / "pages.yml" in workflows
    assert {path.name: audit[str(path)] for path in workflows} == {path.name: [] for path in workflows}
    # The one way left to silence a finding is a '# zizmor: ignore[audit]' comment: it must say why.
    suppressions = [
        f"{path.name}:{number}: {line.strip()}"
        for path in workflows
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "zizmor:" in line
    ]
    assert [found for found in suppressions if not re.search(r"zizmor: ignore\[[^\]]+\]\s*\S{3}", found)] == []


def test_every_action_is_pinned_to_a_commit_with_its_version_named() -> None:
    """zizmor asks for a commit; a reader (and Dependabot) also needs the release it is, in the comment."""
    uses = [
        line.strip()
        for path in sorted(WORKFLOWS.glob("*.y*ml"))
        for line in path.read_text().splitlines()
        if line.strip().removeprefix("- ").startswith("uses:")
    ]
    assert len(uses) >= 6
    loose = [
        line for line in uses if not re.fullmatch(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line)
    ]
    assert loose == []

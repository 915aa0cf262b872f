"""Lighthouse's scores for every kind of page, with the mobile and the desktop preset.

Run by `make lighthouse` (which installs the pinned Lighthouse with scripts/install-lighthouse), not by
the default test run: ten audits take about three minutes. The file's name keeps pytest from
collecting it unless it is named. The sample is built as the Pages workflow builds it (with PDFs and
a site address) and served under /catalog/ on loopback; Lighthouse drives the system Chromium with
the network turned off as in tests/test_browser.py. Every score, with Lighthouse's HTML and JSON
reports, lands in test-artifacts/lighthouse/ (scores.md is the table).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.cli import main

from conftest import CHROMIUM_FLAGS, ROOT, SAMPLE, chromium_path, start_pages_server
from test_browser import ARTIFACTS, PAGES

LIGHTHOUSE = ROOT / "scripts/lighthouse/node_modules/.bin/lighthouse"
REPORTS = ARTIFACTS / "lighthouse"
# Lighthouse refuses to audit a page served with status 404, so the 404 page is audited at its own address.
AUDITED = {**PAGES, "404": "404.html"}
PRESETS = ("mobile", "desktop")
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}


def lighthouse_path() -> Path:
    if LIGHTHOUSE.exists():
        return LIGHTHOUSE
    message = "Lighthouse is not installed: run scripts/install-lighthouse (or make lighthouse)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; in CI a missing tool is a failure")
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lighthouse")
    out = root / "dist"
    out.mkdir()
    url, server = start_pages_server(out, "/catalog/")
    options = ["--out", str(out), "--cache", str(root / "cache"), "--base-url", url, "--quiet"]
    assert main(["build", "--content", str(SAMPLE), *options]) == 0
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def scores() -> Iterator[dict[tuple[str, str], dict[str, int]]]:
    """Every page's scores, written out as a table when the module is done."""
    table: dict[tuple[str, str], dict[str, int]] = {}
    yield table
    REPORTS.mkdir(parents=True, exist_ok=True)
    rows = [
        f"| {page} | {preset} | " + " | ".join(str(s[c]) for c in MINIMUM) + " |" for (page, preset), s in table.items()
    ]
    head = "| page | preset | " + " | ".join(MINIMUM) + " |\n|---|---|" + "---|" * len(MINIMUM)
    (REPORTS / "scores.md").write_text(head + "\n" + "\n".join(sorted(rows)) + "\n")
    listed = {f"{page} {preset}": s for (page, preset), s in sorted(table.items())}
    (REPORTS / "scores.json").write_text(json.dumps(listed, indent=2) + "\n")


def audit(url: str, preset: str, report: Path) -> tuple[dict[str, int], list[str]]:
    """One Lighthouse run: each category's score out of 100, and the audits that lost points."""
    flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])
    command = [str(lighthouse_path()), url, "--quiet", f"--chrome-flags={flags}", "--output=json", "--output=html"]
    command += [f"--output-path={report}", f"--only-categories={','.join(MINIMUM)}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    environment = {**os.environ, "CHROME_PATH": chromium_path()}
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    result = json.loads(report.with_suffix(".report.json").read_text())
    assert "runtimeError" not in result, result["runtimeError"]
    categories = {name: round(category["score"] * 100) for name, category in result["categories"].items()}
    lost = [
        f"{name}: {audit_id} {result['audits'][audit_id]['score']} {result['audits'][audit_id].get('displayValue', '')}"
        for name, category in result["categories"].items()
        for audit_id in (ref["id"] for ref in category["auditRefs"] if ref["weight"] > 0)
        if (result["audits"][audit_id]["score"] or 0) < 1
        and result["audits"][audit_id]["scoreDisplayMode"] != "notApplicable"
    ]
    return categories, lost


def below(categories: dict[str, int]) -> dict[str, int]:
    return {name: score for name, score in categories.items() if score < MINIMUM[name]}


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("name", sorted(AUDITED))
def test_lighthouse_scores_reach_the_minimum(
    site: str, scores: dict[tuple[str, str], dict[str, int]], name: str, preset: str
) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}-{preset}"
    runs = [audit(site + AUDITED[name], preset, report)]
    if below(runs[0][0]):
        # Performance is timed on a machine shared with other work: as Lighthouse's documentation advises
        # for variable results, a page under a minimum is audited twice more and judged by the median run.
        runs += [audit(site + AUDITED[name], preset, report) for _ in range(2)]
    median = {category: round(statistics.median(run[0][category] for run in runs)) for category in MINIMUM}
    scores[(name, preset)] = median
    assert below(median) == {}, f"{name} ({preset}): {median}; lost points: {runs[-1][1]}"

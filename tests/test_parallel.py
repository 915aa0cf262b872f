"""Parallel PDF rendering: the same bytes whatever --jobs is; Ctrl-C leaves the old output intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_safety import snapshot

from catalog.build import BuildOptions, build

from conftest import ROOT, SAMPLE


def test_output_is_identical_whatever_jobs_is(tmp_path: Path) -> None:
    outputs = {}
    for jobs in (1, 2, 3):
        out = tmp_path / f"jobs-{jobs}"
        report = build(BuildOptions(SAMPLE, out, jobs=jobs, cache_dir=tmp_path / f"cache-{jobs}"))
        assert len(report.rendered_pdfs) == 12
        outputs[jobs] = {path: data for path, data in snapshot(out).items() if not path.startswith("pagefind/")}
    assert outputs[1] == outputs[2] == outputs[3]


def build_command(content: Path, out: Path, cache: Path) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--content",
        str(content),
        "--out",
        str(out),
        "--jobs",
        "2",
        "--cache",
        str(cache),
    ]


@pytest.mark.parametrize("how", ["ctrl-c", "sigkill"])
def test_interrupted_pdf_rendering_keeps_the_old_output(tmp_path: Path, sample_copy: Path, how: str) -> None:
    out = tmp_path / "dist"
    command = build_command(sample_copy, out, tmp_path / "cache")
    subprocess.run([*command, "--no-pdf"], check=True, capture_output=True)
    before = snapshot(out)
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stderr is not None
    for line in process.stderr:  # wait until PDFs are being rendered
        if line.startswith("PDF "):
            break
    started = time.monotonic()
    if how == "ctrl-c":
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 130
        assert time.monotonic() - started < 10  # the workers stop promptly
        assert "interrupted" in process.stderr.read()
    else:
        os.killpg(process.pid, signal.SIGKILL)  # the build, its workers and their server: no chance to tidy up
        process.wait(10)
    assert snapshot(out) == before
    subprocess.run(command, check=True, capture_output=True)  # the next build succeeds
    assert len(list(out.glob("credentials/*/*.pdf"))) == 12
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist")] == []  # and nothing is left over


def test_a_build_leaves_no_temporary_files(tmp_path: Path) -> None:
    # WeasyPrint keeps each worker's fonts in a temporary folder that it removes only when the worker
    # ends normally; the build removes them all, as the workers are stopped.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = build_command(SAMPLE, tmp_path / "dist", tmp_path / "cache")
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "TMPDIR": str(scratch)})
    assert len(list((tmp_path / "dist").glob("credentials/*/*.pdf"))) == 12
    assert list(scratch.iterdir()) == []

"""Parallel PDF rendering: the same bytes whatever --jobs is; Ctrl-C leaves the old output intact."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from test_safety import snapshot
from test_serve import eventually

from catalog.build import BuildOptions, build

from conftest import ONLY_STACK, ROOT, SAMPLE, SITE_YML, credential_md, descendants, running, write_files


def test_output_is_identical_whatever_jobs_is(tmp_path: Path) -> None:
    outputs = {}
    for jobs in (1, 2, 3):
        out = tmp_path / f"jobs-{jobs}"
        report = build(BuildOptions(SAMPLE, out, jobs=jobs, cache_dir=tmp_path / f"cache-{jobs}"))
        assert len(report.rendered_pdfs) == 16  # 13 credentials, 3 of them in Spanish too
        outputs[jobs] = {path: data for path, data in snapshot(out).items() if "pagefind" not in path.split("/")}
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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers end with their parent on Linux only")
def test_a_build_killed_outright_takes_its_pdf_workers_with_it_and_prints_no_traceback(
    tmp_path: Path, sample_copy: Path
) -> None:
    """SIGKILL to the build alone, as the out-of-memory killer or `kill -9` sends it: its PDF workers, in the
    session of their fork server, went on with their PDFs, then printed a broken pipe's traceback."""
    process = subprocess.Popen(
        build_command(sample_copy, tmp_path / "dist", tmp_path / "cache"), stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    for line in process.stderr:  # wait until PDFs are being rendered
        if line.startswith("PDF "):
            break
    helpers = descendants(process.pid)  # the fork server, its workers, multiprocessing's resource tracker
    assert len(helpers) >= 3
    process.kill()
    process.wait(10)
    started = time.monotonic()
    eventually(lambda: not any(running(pid) for pid in helpers), timeout=20)
    assert time.monotonic() - started < 5  # at once, not after the PDFs they were rendering
    assert "Traceback" not in process.stderr.read()  # every process holding the pipe has ended


@pytest.mark.parametrize("how", ["ctrl-c", "sigkill"])
def test_interrupted_pdf_rendering_keeps_the_old_output(tmp_path: Path, sample_copy: Path, how: str) -> None:
    out = tmp_path / "dist"
    command = build_command(sample_copy, out, tmp_path / "cache")
    subprocess.run([*command, "--no-pdf"], check=True, capture_output=True)
    before = snapshot(out)
    # A background job inherits SIGINT ignored (a shell's `make test &`), and Python then never turns it into
    # KeyboardInterrupt: the build runs as a terminal's foreground job would, with Ctrl-C at its default.
    process = subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=partial(signal.signal, signal.SIGINT, signal.SIG_DFL),
    )
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
        os.killpg(process.pid, signal.SIGKILL)  # the build: no chance to tidy up (its PDF workers end with it)
        process.wait(10)
    assert snapshot(out) == before
    subprocess.run(command, check=True, capture_output=True)  # the next build succeeds
    assert len(list(out.glob("credentials/*/*.pdf"))) == 13
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist")] == []  # and nothing is left over


def test_a_build_leaves_no_temporary_files(tmp_path: Path) -> None:
    # WeasyPrint keeps each worker's fonts in a temporary folder that it removes only when the worker
    # ends normally; the build removes them all, as the workers are stopped.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = build_command(SAMPLE, tmp_path / "dist", tmp_path / "cache")
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "TMPDIR": str(scratch)})
    assert len(list((tmp_path / "dist").glob("credentials/*/*.pdf"))) == 13
    assert list(scratch.iterdir()) == []


def test_stack_room_keeps_deep_recursion_from_remapping_the_frame_stack() -> None:
    """WeasyPrint's layout recurses up and down across CPython's 16 KiB frame-stack chunks; before
    python/cpython#142183 was fixed, each crossing maps and unmaps a chunk (page faults, system time).
    Rendering inside with_stack_room must not fault on such a recursion."""
    from catalog.printer import with_stack_room

    def down(depth: int) -> int:
        return down(depth - 1) if depth else 0

    def bounce() -> int:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(500):
            for depth in range(150, 350, 10):  # crosses chunk boundaries whatever the starting depth
                down(depth)
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    assert with_stack_room(bounce) < 1000
    if sys.version_info < (3, 13):  # the bug is there: the same recursion without the room faults
        assert bounce() > 10_000


def test_pages_and_data_files_made_in_forked_workers_equal_those_made_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from catalog import forked

    monkeypatch.setattr(forked, "FEWEST", 2)  # the sample's 44 pages and data files go to the workers
    outputs = {}
    for forks in (True, False):
        out = tmp_path / f"forks-{forks}"
        options = BuildOptions(SAMPLE, out, pdf=False, jobs=2, cache_dir=tmp_path / f"cache-{forks}", forks=forks)
        report = build(options)
        assert len(report.rendered_pages) == 44
        outputs[forks] = {path: data for path, data in snapshot(out).items() if "pagefind" not in path.split("/")}
    assert outputs[True] == outputs[False]
    assert any(path.endswith("achievement.json") for path in outputs[True])


def test_a_template_error_in_a_forked_worker_is_located_at_its_template_line(
    tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    from catalog import forked

    monkeypatch.setattr(forked, "FEWEST", 2)
    theme = tmp_path / "theme" / "templates"
    theme.mkdir(parents=True)
    (theme / "credential.html").write_text(
        '{% extends "!default/credential.html" %}\n{% block main %}\n{{ credential.no_such_field.upper() }}\n'
        "{% endblock %}\n"
    )
    out = tmp_path / "dist"
    run = cli("build", "--content", sample_copy, "--out", out, "--theme", tmp_path / "theme", "--no-pdf")
    assert run.code == 1
    assert "credential.html:3: template error" in run.err, run.err
    assert not out.exists()


def test_documents_read_by_forked_workers_give_the_same_catalog_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from catalog import forked
    from catalog.validate import check_content

    files = {"site.yml": SITE_YML, "stacks/only.md": ONLY_STACK.replace("[first]", "[c0, c1, c2]")}
    files |= {f"credentials/c{i}.md": credential_md(f"Credential {i}") for i in range(6)}
    files["credentials/c3.md"] = credential_md("Broken", extra="tags: [unclosed\n")  # a YAML error, at its line
    files["credentials/c4.md"] = credential_md("Odd", extra="hours: many\n")  # a schema error
    content = write_files(tmp_path / "content", files)
    alone = check_content(content, workers=1)
    monkeypatch.setattr(forked, "FEWEST", 2)
    together = check_content(content, workers=2)
    assert together == alone
    assert [p.path.rsplit("/", 1)[-1] for p in alone[1] if p.severity.value == "error"] == ["c3.md", "c4.md"]

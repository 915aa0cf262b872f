"""Untrusted content at run time: what reaches a terminal or a CI runner, the preview server under
attack or after a bug, two builds at once, and what a killed build leaves behind."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from pathlib import Path

import pytest
from test_parallel import build_command
from test_serve import Server, eventually, save_atomically, serving

from catalog import writer

from conftest import ROOT, credential_md, descendants

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
    # A value holding them is refused by validation (no output can hold them); a file name holding them
    # cannot be refused before it is named, so it is named escaped.
    (project / "credentials/evil.md").write_text(hostile_criterion())
    (project / "credentials/name\x1b[2J\x1b]0;pwned\x07 \x9b31m.md").write_text(credential_md("Named"))
    refused = (
        f"{project}/credentials/evil.md:13: 'requirements[1].criteria[1].title' contains the control character U+001B"
    )
    named = f"{project}/credentials/name{SHOWN}.md: the file name 'name{SHOWN}.md' is not a valid slug"
    check = cli("check", "--content", project)
    out = tmp_path / "dist"
    build = cli("build", "--content", project, "--out", out, "--no-pdf")
    for run in (check, build):
        assert run.code == 1
        assert refused in run.err
        assert named in run.err
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
    (project / "credentials/name\x1b[2J\x1b]0;pwned\x07 \x9b31m.md").write_text(credential_md("Named"))
    (project / "credentials/rtl\u202egnp.md").write_text(credential_md("Reversed"))
    run = cli("check", "--content", project, "--format", "json")
    assert run.code == 1
    assert_no_raw_controls(run.out)
    problems = json.loads(run.out)  # the escapes decode to exactly what the content said
    assert any("name\x1b[2J\x1b]0;pwned\x07 \x9b31m.md" in p["message"] for p in problems)
    assert str(project / "credentials/rtl\u202egnp.md") in [p["path"] for p in problems]


# --- 2 and 3. The preview outlives any failed build, and answers only well-formed loopback requests ---

# serve, with a bug planted in its build: any Markdown file holding the marker makes the build raise.
PLANTED_BUG = """
import sys
from pathlib import Path

import catalog.serve
from catalog.cli import main

real_build = catalog.serve.build


def build(options, **kwargs):
    if any("RAISE-HERE" in path.read_text() for path in Path(options.content_dir).rglob("*.md")):
        raise RuntimeError("planted bug \\x1b[2J")
    return real_build(options, **kwargs)


catalog.serve.build = build
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[Path], Server]]:
    """Start `serve` on a content folder in a subprocess (with the planted bug), on a free port."""
    with ExitStack() as started:

        def start(content: Path) -> Server:
            command = [
                "serve",
                "--content",
                str(content),
                "--port",
                "0",
                "--no-pdf",
                "--cache",
                str(tmp_path / "cache"),
            ]
            return started.enter_context(serving("-c", PLANTED_BUG, *command))

        yield start


def overlay(server: Server, path: str = "") -> str:
    body = server.get(path)[1]
    match = re.search(r'<div id="catalog-problems".*?</div>', body, re.S)
    return match[0] if match else ""


def test_serve_starts_despite_a_failing_first_build_and_survives_unexpected_errors(serve, project: Path) -> None:
    first = project / "credentials/first.md"
    good = first.read_text()
    first.write_text(good.replace("Body.", "Body. RAISE-HERE"))
    server = serve(project)
    # No site yet: every address answers with the problem shown, no traceback in the page.
    status, body = server.get("")
    assert status == 404
    assert "build: unexpected error: RuntimeError: planted bug \\x1b[2J" in overlay(server)
    assert "Traceback" not in body and "\x1b" not in body
    assert any(line.startswith("rebuild failed: an unexpected error") for line in server.lines)
    assert any(line.startswith("Traceback") for line in server.lines)  # for a bug report, in the terminal
    assert_no_raw_controls("".join(server.lines))
    save_atomically(first, good.replace("Body.", "Fixed body."))
    # The page is swapped in a moment before the problems are cleared: wait for both.
    eventually(lambda: "Fixed body." in server.get("credentials/first/")[1] and not overlay(server))
    # A later failure keeps the last good site, and the save after it builds again.
    save_atomically(first, good.replace("Body.", "Body. RAISE-HERE again"))
    eventually(lambda: "planted bug" in overlay(server, "credentials/first/"))
    assert "Fixed body." in server.get("credentials/first/")[1]
    save_atomically(first, good.replace("Body.", "Fixed twice."))
    eventually(lambda: "Fixed twice." in server.get("credentials/first/")[1] and not overlay(server))


def test_serve_goes_on_rebuilding_after_a_control_character_in_a_title(serve, project: Path) -> None:
    server = serve(project)
    first = project / "credentials/first.md"
    good = first.read_text()
    before = server.rebuilds()
    save_atomically(first, good.replace("title: First", 'title: "First \\e[2J \\x9b"'))
    eventually(lambda: server.rebuilds() > before)
    save_atomically(first, good.replace("title: First", "title: First again"))
    eventually(lambda: "First again" in server.get("credentials/first/")[1])
    assert_no_raw_controls("".join(server.lines))


def port_of(server: Server) -> int:
    return int(server.url.split(":")[2].split("/")[0])


def raw_request(server: Server, target: bytes, headers: bytes | None = None) -> tuple[int, bytes]:
    """Send one request exactly as given; by default with the server's own address as its Host."""
    port = port_of(server)
    headers = f"Host: 127.0.0.1:{port}\r\n".encode() if headers is None else headers
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\n" + headers + b"Connection: close\r\n\r\n")
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    status_line, _, rest = response.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def test_serve_answers_only_to_loopback_host_names_with_its_port(serve, project: Path) -> None:
    server = serve(project)
    port = port_of(server)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert raw_request(server, b"/", f"Host: {host}\r\n".encode())[0] == 200, host
    refused = [
        "Host: evil.example\r\n",
        f"Host: evil.example:{port}\r\n",  # a rebound name: it points at 127.0.0.1 but is not ours
        f"Host: 127.0.0.1.nip.io:{port}\r\n",
        f"Host: localhost.evil.example:{port}\r\n",
        f"Host: 127.0.0.1:{port + 1}\r\n",
        "Host: 127.0.0.1\r\n",  # port 80, not this one
        f"Host: 127.0.0.1:{port}@evil.example\r\n",
        "Host: [::1]\r\n",
        "",  # no Host at all
        f"Host: 127.0.0.1:{port}\r\nHost: evil.example\r\n",  # two, one of them ours
    ]
    for headers in refused:
        for target in (b"/", b"/__catalog/events?epoch=1", b"/credentials/first/"):
            status, body = raw_request(server, target, headers.encode())
            assert status == 421, (headers, target)
            assert body == b"421 Misdirected Request: this preview answers only to 127.0.0.1 or localhost\n"
    assert "Traceback" not in "".join(server.lines)


def test_serve_answers_400_to_malformed_requests(serve, project: Path) -> None:
    server = serve(project)
    malformed = {
        b"/%zz": b"malformed percent-encoding",
        b"/credentials/%": b"malformed percent-encoding",
        b"/%ff%fe": b"not UTF-8",
        b"/a%00b": b"control characters",
        b"/a%1b[2J": b"control characters",
        b"/\x01x": b"must be percent-encoded",
        b"/\xff\xfe\xc3(": b"must be percent-encoded",
        b"/caf\xc3\xa9": b"must be percent-encoded",
        b"http://evil.example/": b"must be percent-encoded",
        b"/" + b"a" * 3000: b"too long",
        b"/" + b"a" * 300 + b"/index.html": b"too long",
        b"/__catalog/events?epoch=abc": b"epoch=<number>",
        b"/__catalog/events?epoch=%C2%B2": b"epoch=<number>",  # a superscript two: a digit to str.isdigit
        b"/__catalog/events?epoch=" + b"9" * 5000: b"too long",
        b"/__catalog/events?epoch=" + b"9" * 40: b"epoch=<number>",
        b"/__catalog/events?epoch=1&epoch=2": b"epoch=<number>",
    }
    for target, reason in malformed.items():
        status, body = raw_request(server, target)
        assert status == 400, target[:40]
        assert body.startswith(b"400 Bad Request: ") and reason in body, (target[:40], body)
    status, body = server.get("credentials/first/")  # and it goes on serving
    assert status == 200 and "First" in body
    assert "Traceback" not in "".join(server.lines)
    assert not any("request failed" in line for line in server.lines)


# --- 4. One build at a time into an output folder ---

HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, str(os.getpid()).encode())
print("locked", flush=True)
time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 120)
"""


def test_two_builds_into_one_folder_at_once_both_end_cleanly(tmp_path: Path, sample_copy: Path) -> None:
    out = tmp_path / "dist"
    command = build_command(sample_copy, out, tmp_path / "cache")
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    eventually(lambda: (tmp_path / ".dist.lock").exists() or first.poll() is not None)
    second = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    first_err, second_err = first.communicate(120)[1], second.communicate(120)[1]
    assert (first.returncode, second.returncode) == (0, 0), first_err + second_err
    assert f"waiting for process {first.pid}, which is building into {out.resolve()}" in second_err
    assert "Traceback" not in first_err + second_err
    assert "nothing changed" in second_err  # it waited, then found the first build's output current
    assert len(list(out.glob("credentials/*/*.pdf"))) == 13
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "content", "dist"]  # no lock, no staging left


def test_a_build_that_waited_too_long_stops_naming_the_other_process(
    cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = (tmp_path / "dist").resolve()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / ".dist.lock")], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        monkeypatch.setattr(writer, "LOCK_WAIT", 1.0)
        run = cli("build", "--content", project, "--out", out, "--no-pdf")
        assert run.code == 1
        assert f"waiting for process {holder.pid}, which is building into {out}\n" in run.err
        assert (
            f"build failed: process {holder.pid} is still building into {out} after 1 s of waiting; "
            f"try again when it has finished; {out} was left as it was"
        ) in run.err
        assert "Traceback" not in run.err
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    # The lock ends with the process that held it, even one killed without a chance to tidy up.
    assert cli("build", "--content", project, "--out", out, "--no-pdf").code == 0
    assert not (tmp_path / ".dist.lock").exists()


def test_the_preview_takes_the_same_lock_on_its_own_output_folder(serve, project: Path, tmp_path: Path) -> None:
    site = tmp_path / "cache/serve/site"
    site.parent.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(site.parent / ".site.lock"), "3"], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        server = serve(project)  # its first build waits for the holder to end, then builds
    finally:
        holder.kill()
        holder.wait()
    assert f"waiting for process {holder.pid}, which is building into {site}\n" in server.lines
    assert server.get("credentials/first/")[0] == 200


def test_builds_sharing_one_cache_into_two_folders_at_once_both_succeed(tmp_path: Path, sample_copy: Path) -> None:
    # The cache's temporary files (manifest, PDFs, readings) are one per process, not one per cache.
    commands = [build_command(sample_copy, tmp_path / name, tmp_path / "cache") for name in ("a", "b")]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for command in commands]
    errors = [run.communicate(120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert "Traceback" not in "".join(errors)
    for name in ("a", "b"):
        assert len(list((tmp_path / name).glob("credentials/*/*.pdf"))) == 13
    assert list((tmp_path / "cache").rglob("*.tmp")) == []


# --- 5. A killed build's PDF scratch folder is removed by the next build; a live build's is kept ---


def test_the_next_build_sweeps_a_killed_builds_scratch_folder_and_keeps_the_others(
    tmp_path: Path, sample_copy: Path
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    out = tmp_path / "dist"
    command = build_command(sample_copy, out, tmp_path / "cache")
    killed = subprocess.Popen(command, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    eventually(lambda: any(scratch.glob(f"catalog-pdf-{killed.pid}-*")), timeout=60)
    for pid in [killed.pid, *descendants(killed.pid)]:  # the build, its workers and their server: no chance to tidy up
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    killed.wait(10)
    [left] = scratch.glob(f"catalog-pdf-{killed.pid}-*")
    (left / "font.ttf").write_bytes(b"x")
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious").write_text("keep")
    kept = {
        f"catalog-pdf-{live.pid}-abc": "folder",  # a build still running
        f"catalog-pdf-{os.getpid()}-def": "folder",
        "catalog-pdf-notanumber-x": "folder",  # not named by us
        "catalog-pdf-99999999999999999999-x": "folder",  # no process has that number
        f"catalog-pdf-{killed.pid}-link": "link",  # a link, never followed or removed
        f"catalog-pdf-{killed.pid}-file": "file",
        f"other-{killed.pid}-x": "folder",
    }
    for name, kind in kept.items():
        if kind == "folder":
            (scratch / name).mkdir()
        elif kind == "link":
            (scratch / name).symlink_to(elsewhere)
        else:
            (scratch / name).write_text("x")
    try:
        run = subprocess.run(command, capture_output=True, text=True, env=env)
        assert run.returncode == 0, run.stderr
    finally:
        live.kill()
        live.wait()
    # (pymp-*: multiprocessing's own folder for its fork server's socket, which a killed build leaves
    # too; nothing in its name says whose it is, so it is not ours to remove.)
    assert sorted(p.name for p in scratch.iterdir() if not p.name.startswith("pymp-")) == sorted(kept)
    assert (elsewhere / "precious").read_text() == "keep"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist")] == []  # the lock file too


def test_serve_on_a_port_in_use_says_so_at_once(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(project), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use (choose another with --port)" in run.stderr
    assert "Traceback" not in run.stderr
    assert time.monotonic() - started < 30

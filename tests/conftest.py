"""Shared test helpers: real projects written into tmp_path, built through the CLI."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalog.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content"
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run the command line in-process, as `python build.py ...` would."""

    def run(*args: str | Path) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a project from an inline dict of relative path -> text (dedented) or bytes."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


SITE_YML = """
    title: Test catalog
    organisation:
      name: Test Organisation
    scales:
      passing: [Passing, Not yet]
      got-it: [Got it, Not yet]
"""


def credential_md(title: str = "A credential", extra: str = "", body: str = "Body.") -> str:
    """A valid credential file; `extra` adds front-matter lines."""
    return (
        "---\n"
        f"title: {title}\n"
        "summary: A one-line summary.\n"
        "key_method: The earner does one thing.\n"
        'version: "1.0"\n'
        "published: 2024-01-01\n"
        f"{extra}"
        "requirements:\n"
        "  - title: Overview\n"
        "    scale: passing\n"
        "    pass: Passing\n"
        "    word_limit: 200\n"
        "    criteria:\n"
        "      - title: Clarity\n"
        "        levels:\n"
        "          Passing: Clear.\n"
        "          Not yet: Unclear.\n"
        "---\n"
        f"{body}\n"
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal valid content folder with one stack of one credential."""
    return write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML,
            "credentials/first.md": credential_md("First"),
            "stacks/only.md": """
            ---
            title: Only stack
            summary: The one stack.
            order: 1
            credentials: [first]
            ---
        """,
        },
    )


@pytest.fixture(scope="session")
def sample_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built once, with PDFs, through the public entry point."""
    out = tmp_path_factory.mktemp("sample") / "dist"
    code = main(["build", "--content", str(SAMPLE), "--out", str(out)])
    assert code == 0
    return out


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample content to modify."""
    copy = tmp_path / "content"
    shutil.copytree(SAMPLE, copy)
    return copy

"""`init DIR [--from URL]`: a new catalog repository that checks, builds and publishes as it is.

It holds content/ (a commented site.yml, one stack, one credential, one page, written by scaffold.py
with the example texts `check --strict` points at), a .gitignore, and a GitHub Pages workflow that
installs this version of catalog and builds that content/. Everything is written into a scratch folder
beside DIR and moved in at the end, so a failure while writing leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__, placeholder
from .scaffold import ScaffoldError, new_values, site_text, write_new

DISTRIBUTION = "catalog"  # pyproject.toml's project.name: what pip installs
PACKAGE_INDEX = f"{DISTRIBUTION}=={__version__}"  # this version, from the package index
WORKFLOW = ".github/workflows/pages.yml"
# Characters a git URL needs, and none that YAML, the shell or a workflow expression (${{ }}) would act on.
GIT_URL = re.compile(r"(git\+)?(https|ssh|file)://[A-Za-z0-9._~:/@%+=-]+")


class InitError(Exception):
    pass


def git_requirement(url: str) -> str:
    """pip's requirement for catalog from a git URL, at the ref it names after '@' or else at the tag
    of this version, so that every build of the new catalog installs the same catalog."""
    if not GIT_URL.fullmatch(url):
        raise ValueError(f"'{url}' is not a git URL like https://github.com/org/catalog.git")
    url = url if url.startswith("git+") else f"git+{url}"
    if "@" not in urlsplit(url).path:
        url += f"@v{__version__}"
    return f"{DISTRIBUTION} @ {url}"


def workflow_text(requirement: str) -> str:
    source = (
        f"{__version__} from the package index"
        if requirement == PACKAGE_INDEX
        else f"from {requirement.split(' @ ')[1]}"
    )
    return _starter_file("pages.yml").replace("__SOURCE__", source).replace("__REQUIREMENT__", shlex.quote(requirement))


def _starter_file(name: str) -> str:
    return (resources.files("catalog") / "starter_files" / name).read_text(encoding="utf-8")


def _refusal(folder: Path) -> str:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return f"{folder} exists and is not a folder"
    if folder.is_dir() and any(folder.iterdir()):
        return f"{folder} is not empty; init starts a catalog in a new or empty folder"
    return ""


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def init(folder: Path, requirement: str = PACKAGE_INDEX) -> list[str]:
    """Write a new catalog repository into folder (new or empty); the paths written, relative to it."""
    if trouble := _refusal(folder):
        raise InitError(trouble)
    target = Path(os.path.abspath(folder))  # `init .` too has a parent to write the scratch folder in
    scratch = target.parent / f".{target.name}.init-{os.getpid()}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch.mkdir()  # refused if it is there: only a folder made here is ever removed
    except OSError as error:
        raise InitError(f"could not write {folder}: {error}") from error
    try:
        content = scratch / "content"
        _write(scratch, "content/site.yml", site_text())
        credential = new_values("credential", placeholder.FIRST_TITLES["credential"], content)
        written = [write_new("credential", credential, content)]
        stack = new_values("stack", placeholder.FIRST_TITLES["stack"], content)
        written.append(write_new("stack", {**stack, "credentials": [written[0].stem]}, content))
        written.append(write_new("page", new_values("page", placeholder.FIRST_TITLES["page"], content), content))
        _write(scratch, ".gitignore", _starter_file("gitignore"))
        _write(scratch, WORKFLOW, workflow_text(requirement))
        # Written in full, then moved in: three renames, each refused if something took its name meanwhile.
        # (The folder itself is not replaced: it may be the author's working folder.)
        target.mkdir(exist_ok=True)
        for entry in ("content", ".gitignore", ".github"):
            os.rename(scratch / entry, target / entry)
    except (OSError, ScaffoldError) as error:
        raise InitError(f"could not write {folder}: {error}") from error
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return ["content/site.yml", *(path.relative_to(scratch).as_posix() for path in written), ".gitignore", WORKFLOW]

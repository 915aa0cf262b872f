"""`import SOURCE...`: badge definitions and spreadsheets written as draft credential files, all or nothing.

Readers turn each source file into Imported records (badges.py, spreadsheet.py); each issuer is made to be
described one way; plans.py decides each record's file, its text and its image, in memory; then, only when no
record has an error, every file is written beside its place under a temporary name and all are renamed into place.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from . import badges
from .content import display_path, visible_files
from .imported import Imported, Origin
from .plans import Outcome, Plan, Run, place_of, problem_at
from .problem import Problem, errors_in
from .spreadsheet import read_spreadsheet
from .validate import load_site

Reader = Callable[[Path, str], tuple[list[Imported], list[Problem]]]
# Source file ending -> the function that reads such a file into records and located problems.
SOURCE_READERS: dict[str, Reader] = {".json": badges.read, ".jsonld": badges.read, ".csv": read_spreadsheet}


def source_files(sources: list[Path], problems: list[Problem]) -> list[tuple[Path, str]]:
    """Each file to read, with its display path: files as given, folders' readable files in sorted order."""
    found: list[tuple[Path, str]] = []
    endings = ", ".join(SOURCE_READERS)
    for source in sources:
        display = source.as_posix()
        if source.is_dir() and not source.is_symlink():
            found += [(p, p.as_posix()) for p in visible_files(source) if p.suffix.lower() in SOURCE_READERS]
        elif not os.path.lexists(source):
            problems.append(Problem(display, 0, "no such file or folder", "give a badge file, a folder or a CSV file"))
        elif source.suffix.lower() not in SOURCE_READERS:
            problems.append(Problem(display, 0, "not a file import reads", f"import reads files ending in {endings}"))
        else:
            found.append((source, display))
    return found


def read_sources(sources: list[Path], problems: list[Problem]) -> list[Imported]:
    records: list[Imported] = []
    for path, display in source_files(sources, problems):
        found, trouble = SOURCE_READERS[path.suffix.lower()](path, display)
        records += found
        problems += trouble
    return records


def _one_profile_per_issuer(records: list[Imported], organisation: str, problems: list[Problem]) -> None:
    """Each issuer of the run described one way, as check requires: a badge naming its issuer without url or
    email (an embedded Profile cut short, a spreadsheet's name) takes those another badge of the run gives it;
    two badges giving it different ones are an error, since only the author knows which is right."""
    described: dict[str, tuple[dict[str, str], Origin]] = {}
    for record in records:
        issuer = record.fields.get("issuer")
        if isinstance(issuer, dict) and issuer["name"] != organisation:
            first, origin = described.setdefault(issuer["name"], (issuer, record.origin))
            if first != issuer:
                problems.append(
                    problem_at(
                        record.origin,
                        f"the issuer '{issuer['name']}' is described differently in {place_of(origin)}",
                        "give it the same url and email in every badge: one Issuer Profile describes it",
                    )
                )
    for record in records:
        issuer = record.fields.get("issuer")
        if isinstance(issuer, str) and issuer in described:
            full, origin = described[issuer]
            record.fields["issuer"] = dict(full)
            record.notes.append(f"issuer: '{issuer}' has the url and email that {place_of(origin)} gives it")


def write(plans: list[Plan], outcome: Outcome) -> None:
    """Each file is written beside its place under a temporary name, then all are renamed into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in _files(plans):
            if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.import")
            # The name can be guessed, so a link planted there is removed, never written through.
            temporary.unlink(missing_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
            staged.append((temporary, target))
            with os.fdopen(fd, "wb") as file:
                file.write(data)
        for temporary, target in staged:
            os.replace(temporary, target)
    except OSError:  # no temporary file is left in the content folder, whatever failed
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    changed = {target for _, target in staged}
    for plan in plans:
        display = display_path(plan.path)
        if plan.path not in changed and (plan.image is None or plan.image[0] not in changed):
            outcome.unchanged.append(display)
        else:
            (outcome.updated if plan.updating else outcome.written).append(display)


def _files(plans: list[Plan]) -> list[tuple[Path, bytes]]:
    files = [(plan.path, plan.text.encode()) for plan in plans]
    return files + [plan.image for plan in plans if plan.image is not None]


def run(sources: list[Path], content_dir: Path) -> Outcome:
    """Read every source and write its credentials into the content folder, or nothing when any has an error."""
    job = Run(content_dir)
    outcome = job.outcome
    records = read_sources(sources, outcome.problems)
    site = load_site(content_dir)
    if site is None:
        outcome.problems.append(
            Problem(
                display_path(content_dir / "site.yml"),
                0,
                "site.yml is missing or has problems, so nothing can be imported",
                "run `python build.py check` and fix it first",
            )
        )
        return outcome
    scales = {name: scale.levels for name, scale in site.scales.items()}
    job.registering = bool(site.organisation_ctid)
    job.organisation = site.organisation.name
    _one_profile_per_issuer(records, job.organisation, outcome.problems)
    plans = [plan for record in records if (plan := job.plan(record, scales)) is not None]
    for record in records:
        outcome.notes += [f"{place_of(record.origin)}: {note}" for note in record.notes]
    if not errors_in(outcome.problems):
        write(plans, outcome)
    return outcome

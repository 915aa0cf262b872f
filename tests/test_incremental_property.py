"""Incremental builds give exactly the output of a fresh build, whatever sequence of changes led there."""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import cbor2
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from test_publishing import search_index

from catalog import search
from catalog.build import BuildOptions, build
from catalog.problem import ContentError
from catalog.theme import default_theme_dir

from conftest import SITE_YML, credential_md, write_files

DOWNLOAD = 'class="download"'
# Pagefind writes its filters, and so the names of the files that list them, in hash-map order, which
# changes from one run to the next; the rest (fragments, word index, scripts) is the same byte for byte.
PAGEFIND_UNORDERED = (".pf_filter", ".pf_meta", "pagefind-entry.json")


def output_view(out: Path) -> dict[str, object]:
    """What a build published: every file's bytes, except Pagefind's unordered files, which are
    compared by what they index instead (each bundle's pages, their text and their filters)."""
    view: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if path.is_file() and not relative.endswith(PAGEFIND_UNORDERED):
            view[relative] = path.read_bytes()
    for folder in json.loads((out / search.BUNDLE_LIST).read_text())["merge"]:
        view[f"{folder} indexes"] = search_index(out / folder)
    view["pagefind indexes"] = search_index(out / search.FOLDER)
    meta = gzip.decompress(next((out / search.FOLDER).glob("pagefind.*.pf_meta")).read_bytes())
    version, fragments, words, _filter_files, *rest = cbor2.loads(meta.removeprefix(b"pagefind_dcd"))
    view["pagefind meta"] = (version, fragments, words, rest)
    entry = json.loads((out / search.FOLDER / "pagefind-entry.json").read_text())
    view["pagefind entry"] = {**entry, "languages": {k: v["page_count"] for k, v in entry["languages"].items()}}
    return view


def stack_md(slugs: list[str], name: str = "core", order: int = 1) -> str:
    listed = ", ".join(slugs)
    return f"---\ntitle: {name.title()} stack\nsummary: A stack.\norder: {order}\ncredentials: [{listed}]\n---\n"


def test_undoing_an_edit_publishes_the_page_with_its_pdf_link(cli, tmp_path: Path) -> None:
    """The page drafted while its PDF was rendered replaced the spare's copy, whose record still
    matched the page once the undo made it the same again: the draft was kept and published."""
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "stacks/core.md": stack_md(["first"])},
    )
    out, fresh = tmp_path / "dist", tmp_path / "fresh"
    source = content / "credentials/first.md"
    assert cli("build", "--content", content, "--out", out).code == 0
    original = source.read_text()
    source.write_text(original.replace("Body.", "Edited body."))
    assert cli("build", "--content", content, "--out", out).code == 0
    source.write_text(original)
    run = cli("build", "--content", content, "--out", out)
    assert run.code == 0 and "Traceback" not in run.err
    assert DOWNLOAD in (out / "credentials/first/index.html").read_text()
    assert cli("build", "--content", content, "--out", fresh, "--cache", tmp_path / "fresh-cache").code == 0
    assert output_view(out) == output_view(fresh)


def test_renaming_a_credential_file_renders_the_pages_that_link_to_it_again(cli, tmp_path: Path) -> None:
    """The pages' keys held the digests of their sources' text but not their names, so a renamed
    credential left the index linking to its old address."""
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "stacks/core.md": stack_md([])},
    )
    out, fresh = tmp_path / "dist", tmp_path / "fresh"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (content / "credentials/first.md").rename(content / "credentials/second.md")
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    assert 'href="credentials/second/index.html"' in (out / "index.html").read_text()
    assert cli("build", "--content", content, "--out", fresh, "--no-pdf", "--cache", tmp_path / "fresh-cache").code == 0
    assert output_view(out) == output_view(fresh)


def test_files_changed_by_hand_in_the_output_are_put_right_by_the_next_build(cli, tmp_path: Path) -> None:
    """A build noticed that the output folder had changed, but not which files, and carried the
    changed ones over as they were; a stray file stayed when nothing else needed writing."""
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "stacks/core.md": stack_md(["first"])},
    )
    out, fresh = tmp_path / "dist", tmp_path / "fresh"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (out / ".nojekyll").write_text("by hand")
    (out / "credentials/first/achievement.json").unlink()
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (out / "stray.html").write_text("by hand")
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    assert cli("build", "--content", content, "--out", fresh, "--no-pdf", "--cache", tmp_path / "fresh-cache").code == 0
    assert output_view(out) == output_view(fresh)


def test_an_asset_changed_and_changed_back_is_published_as_it_is_now(cli, tmp_path: Path) -> None:
    """Taken from the spare output, the asset's first version counted as reused, not written; with
    nothing written, the build did not swap the staging folder in and the output kept the second."""
    first, second = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="10"/>' for w in (10, 20))
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "assets/picture.svg": first},
    )
    out = tmp_path / "dist"
    for picture in (first, second, first):
        (content / "assets/picture.svg").write_text(picture)
        assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
        assert (out / "assets/picture.svg").read_text() == picture


def test_a_credential_removed_and_restored_is_found_by_search_again(cli, tmp_path: Path) -> None:
    """A page kept from the spare output took its search mark from the last build's record, which had
    no such page: unmarked, it was left out of the search index, whose key then matched the last
    build's, and the index without the credential was carried over."""
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML,
            "credentials/first.md": credential_md("First"),
            "credentials/second.md": credential_md("Second"),
        },
    )
    out = tmp_path / "dist"
    second = (content / "credentials/second.md").read_text()
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (content / "credentials/second.md").unlink()
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    (content / "credentials/second.md").write_text(second)
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    found = {page["url"] for page in search_index(out / search.FOLDER)[0]}
    assert found == {"/credentials/first/index.html", "/credentials/second/index.html"}


# The random catalog: credentials come and go from this pool; there are at most four at once.
POOL = ("alpha", "beta", "gamma", "delta", "epsilon")
STACKS = ("core", "extra")
TITLES = ("Alpha Skills", "Beta Practice", "Gamma Review")
PICTURE = "![A picture](../assets/picture.svg)"
BODIES = ("Body.", "An edited body with more words.", "## Evidence\n\nA section.", PICTURE)
PICTURES = tuple(f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="10"/>' for size in (10, 20))
TEMPLATES = {  # a template the theme folder may override -> how the override changes the default's
    "credential.html": ("<h1>", '<h1 class="title">'),
    "stack.html": ("The credentials, in order", "Credentials in order"),
    "print/credential.html": ("<h1>", '<h1 class="print-title">'),
}
BASE_URL = "https://example.org/catalog"
FRESH_VIEWS: dict[str, dict[str, object]] = {}  # inputs -> a fresh build's view, shared by all sequences
RUNS = {"sequences": 0, "steps": 0, "builds with PDFs": 0, "failed builds": 0}


class EditSequence(RuleBasedStateMachine):
    """A small catalog changed step by step, built incrementally after every step and compared with a
    fresh build of the same inputs (fresh cache, fresh output folder)."""

    root: Path  # the same project folder for every sequence, so the PDF workers are started once

    def __init__(self) -> None:
        super().__init__()
        shutil.rmtree(self.root, ignore_errors=True)
        self.content, self.theme, self.out = self.root / "content", self.root / "theme", self.root / "dist"
        self.stacks = {"core": ["alpha", "beta"], "extra": []}
        files = {"site.yml": SITE_YML, "assets/picture.svg": PICTURES[0]}
        for slug in ("alpha", "beta", "gamma"):
            files[f"credentials/{slug}.md"] = credential_md(slug.title())
        write_files(self.content, files)
        self.write_stacks()
        (self.theme / "templates").mkdir(parents=True)
        self.pdf, self.base_url = True, ""
        self.history: list[tuple[dict[str, bytes], dict[str, list[str]]]] = []  # before each change
        RUNS["sequences"] += 1
        self.build_and_compare()

    def credentials(self) -> list[str]:
        return sorted(path.stem for path in (self.content / "credentials").glob("*.md"))

    def credential(self, index: int) -> str:
        found = self.credentials()
        return found[index % len(found)]

    def snapshot(self) -> dict[str, bytes]:
        """Every input file by its path in the project."""
        return {
            path.relative_to(self.root).as_posix(): path.read_bytes()
            for folder in (self.content, self.theme)
            for path in folder.rglob("*")
            if path.is_file()
        }

    def write_stacks(self) -> None:
        for name, slugs in self.stacks.items():
            kept = [slug for slug in slugs if slug in self.credentials()]
            self.stacks[name] = kept
            (self.content / f"stacks/{name}.md").parent.mkdir(exist_ok=True)
            (self.content / f"stacks/{name}.md").write_text(stack_md(kept, name, STACKS.index(name) + 1))

    def change(self, edit: Callable[[], object]) -> None:
        """Make one change to the inputs, undoably, then build."""
        self.history.append((self.snapshot(), {name: list(slugs) for name, slugs in self.stacks.items()}))
        edit()
        self.write_stacks()
        self.step()

    # The changes.

    @rule(index=st.integers(0, 3), title=st.sampled_from(TITLES), body=st.sampled_from(BODIES))
    def edit(self, index: int, title: str, body: str) -> None:
        path = self.content / f"credentials/{self.credential(index)}.md"
        self.change(lambda: path.write_text(credential_md(title, body=body)))

    @precondition(lambda self: self.history)
    @rule()
    def undo(self) -> None:
        before, self.stacks = self.history.pop()
        for path in {*self.snapshot(), *before}:
            if path not in before:
                (self.root / path).unlink()
            elif (self.root / path).exists() and (self.root / path).read_bytes() == before[path]:
                continue
            else:
                (self.root / path).parent.mkdir(parents=True, exist_ok=True)
                (self.root / path).write_bytes(before[path])
        self.step()

    @precondition(lambda self: len(self.credentials()) > 2)
    @rule(index=st.integers(0, 3))
    def delete(self, index: int) -> None:
        self.change((self.content / f"credentials/{self.credential(index)}.md").unlink)

    @precondition(lambda self: len(self.credentials()) < 4)
    @rule(name=st.sampled_from(POOL), stack=st.sampled_from((None, *STACKS)))
    def add(self, name: str, stack: str | None) -> None:
        slug = next(s for s in (name, *POOL) if s not in self.credentials())

        def edit() -> None:
            (self.content / f"credentials/{slug}.md").write_text(credential_md(slug.title()))
            if stack:
                self.stacks[stack].append(slug)

        self.change(edit)

    @rule(index=st.integers(0, 3), name=st.sampled_from(POOL))
    def rename(self, index: int, name: str) -> None:
        slug = self.credential(index)
        new = next(s for s in (name, *POOL) if s not in self.credentials())

        def edit() -> None:
            (self.content / f"credentials/{slug}.md").rename(self.content / f"credentials/{new}.md")
            self.stacks = {stack: [new if s == slug else s for s in slugs] for stack, slugs in self.stacks.items()}

        self.change(edit)

    @rule(index=st.integers(0, 3), stack=st.sampled_from((None, *STACKS)))
    def move(self, index: int, stack: str | None) -> None:
        """Take a credential out of its stack, and add it at the end of another, the same, or none."""
        slug = self.credential(index)

        def edit() -> None:
            self.stacks = {name: [s for s in slugs if s != slug] for name, slugs in self.stacks.items()}
            if stack:
                self.stacks[stack].append(slug)

        self.change(edit)

    @rule(title=st.sampled_from(TITLES))
    def site_title(self, title: str) -> None:
        self.change(lambda: (self.content / "site.yml").write_text(dedent(SITE_YML).replace("Test catalog", title)))

    @rule(picture=st.sampled_from(PICTURES))
    def picture(self, picture: str) -> None:
        """Change the image a credential's body may show (in its page and its PDF)."""
        self.change(lambda: (self.content / "assets/picture.svg").write_text(picture))

    @rule(template=st.sampled_from(sorted(TEMPLATES)))
    def template(self, template: str) -> None:
        """Override a default template in the theme folder with a changed copy, or drop the override."""
        path = self.theme / "templates" / template
        old, new = TEMPLATES[template]

        def edit() -> None:
            if path.exists():
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text((default_theme_dir() / "templates" / template).read_text().replace(old, new))

        self.change(edit)

    @rule(index=st.integers(0, 3))
    def touch(self, index: int) -> None:
        """Save a file without changing it."""
        self.change((self.content / f"credentials/{self.credential(index)}.md").touch)

    @rule()
    def toggle_pdf(self) -> None:
        self.pdf = not self.pdf
        self.step()

    @rule()
    def toggle_base_url(self) -> None:
        self.base_url = "" if self.base_url else BASE_URL
        self.step()

    @rule(index=st.integers(0, 100), how=st.sampled_from(("edit", "delete", "add")))
    def edit_output(self, index: int, how: str) -> None:
        """Someone edits, deletes or adds a published file by hand: the next build puts it right."""
        published = sorted(p for p in self.out.rglob("*") if p.is_file() and p.name != ".catalog-output")
        path = published[index % len(published)]
        if how == "delete":
            path.unlink()
        else:
            path.with_name(path.name + ".copy" if how == "add" else path.name).write_bytes(b"by hand")
        self.step()

    @rule(index=st.integers(0, 3))
    def broken_edit(self, index: int) -> None:
        """A mistake: the build fails and leaves the output as it was; the next build, fixed, is as fresh."""
        path = self.content / f"credentials/{self.credential(index)}.md"
        good = path.read_text()
        before = {p: p.read_bytes() for p in self.out.rglob("*") if p.is_file()}
        path.write_text(good.replace("scale: passing", "scale: nonexistent"))
        with pytest.raises(ContentError):
            build(self.options(self.out, None))
        RUNS["failed builds"] += 1
        assert {p: p.read_bytes() for p in self.out.rglob("*") if p.is_file()} == before
        assert sorted(p.name for p in self.root.iterdir()) == [".catalog-cache", "content", "dist", "theme"]
        path.write_text(good)
        self.step()

    # The build, and the promise.

    def options(self, out: Path, cache: Path | None) -> BuildOptions:
        return BuildOptions(
            self.content, out, self.theme, pdf=self.pdf, jobs=2, cache_dir=cache, base_url=self.base_url
        )

    def step(self) -> None:
        RUNS["steps"] += 1
        self.build_and_compare()

    def build_and_compare(self) -> None:
        build(self.options(self.out, None))  # the cache beside the content, kept from step to step
        RUNS["builds with PDFs"] += self.pdf
        inputs = json.dumps([self.pdf, self.base_url, sorted((p, d.hex()) for p, d in self.snapshot().items())])
        if inputs not in FRESH_VIEWS:
            fresh = Path(tempfile.mkdtemp(prefix="fresh-", dir=self.root))
            build(self.options(fresh / "dist", fresh / "cache"))
            FRESH_VIEWS[inputs] = output_view(fresh / "dist")
            shutil.rmtree(fresh)
        expected, actual = FRESH_VIEWS[inputs], output_view(self.out)
        assert sorted(actual) == sorted(expected)
        assert [path for path in expected if actual[path] != expected[path]] == []


SEQUENCES = 12
STEPS = 8


def test_incremental_output_equals_a_fresh_build_after_random_edit_sequences(tmp_path: Path, record_property) -> None:
    """Random sequences of edits, undos, deletions, additions, renames, stack moves, site.yml, image and
    template changes, hand edits of the output, failed builds, --no-pdf and --base-url switches: after
    every step the output equals a fresh build of the same inputs."""
    RUNS.update(dict.fromkeys(RUNS, 0))
    run_state_machine_as_test(
        type("EditSequenceInTmp", (EditSequence,), {"root": tmp_path / "project"}),
        settings=settings(
            max_examples=SEQUENCES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,  # the same sequences on every run and machine, so a failure in CI reproduces
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    for name, count in RUNS.items():
        record_property(name, count)
    print(f"incremental builds compared with fresh builds: {RUNS}")
    assert RUNS["sequences"] >= SEQUENCES and RUNS["steps"] >= SEQUENCES

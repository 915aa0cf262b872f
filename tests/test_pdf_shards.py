"""PDFs past one machine: `build --pdf-shard I/N` renders one shard's PDFs into the build cache and
publishes nothing; a build whose cache holds every shard's cache, merged, renders no PDF and publishes
the same site as a single build. Also the Pages workflow that runs the shards as a GitHub Actions matrix."""

from __future__ import annotations

import io
import re
import shlex
import shutil
import string
import subprocess
import sys
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from test_incremental_property import output_view

from catalog.cli import main
from catalog.shards import Shard

from conftest import ROOT, SITE_YML, credential_md, write_files

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate

SHARDS = 4
BASE_URL = "https://org.github.io/catalog/"  # as the workflow builds: the PDFs show the site's address
PROGRESS = re.compile(r"PDF \d+/\d+ (\S+)")  # a line per PDF rendered, when standard error is not a terminal


@dataclass(frozen=True)
class Run:
    code: int
    err: str

    @property
    def rendered(self) -> list[str]:
        """The PDFs this run rendered, by name (<slug>.pdf, <slug>.<lang>.pdf)."""
        return [f"{name}.pdf" for name in PROGRESS.findall(self.err)]


def run(*args: str | Path) -> Run:
    """The command line in-process, for module-scoped fixtures (pytest's capsys is per test)."""
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = main([str(arg) for arg in args])
    return Run(code, err.getvalue())


def build(content: Path, out: Path, cache: Path, *more: str) -> Run:
    return run("build", "--content", content, "--out", out, "--cache", cache, "--base-url", BASE_URL, *more)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five credentials in English and Spanish: ten PDFs."""
    content = tmp_path_factory.mktemp("shards") / "content"
    generate(5, content, languages=("en", "es"))
    return content


@pytest.fixture(scope="module")
def single(catalog: Path) -> tuple[Path, Run]:
    """An ordinary build, PDFs and all, on one machine."""
    out = catalog.parent / "single"
    done = build(catalog, out, catalog.parent / "single-cache")
    assert done.code == 0, done.err
    return out, done


@pytest.fixture(scope="module")
def shard_runs(catalog: Path) -> dict[int, tuple[Path, Run]]:
    """Four shard runs, each with a cache folder of its own, as four machines would run them."""
    runs = {}
    for number in range(1, SHARDS + 1):
        cache = catalog.parent / f"shard-cache-{number}"
        runs[number] = cache, build(catalog, catalog.parent / "dist", cache, "--pdf-shard", f"{number}/{SHARDS}")
        assert runs[number][1].code == 0, runs[number][1].err
    return runs


def merged(shard_runs: dict[int, tuple[Path, Run]], into: Path, numbers: list[int]) -> Path:
    """The shards' cache folders copied into one, as the workflow's final job downloads them."""
    for number in numbers:
        shutil.copytree(shard_runs[number][0], into, dirs_exist_ok=True)
    return into


def pdf_names(out: Path) -> list[str]:
    return sorted(path.name for path in out.rglob("*.pdf"))


# A shard run renders only its own PDFs, into the cache, and publishes nothing


def test_a_shard_run_renders_only_its_shards_pdfs_and_publishes_nothing(
    catalog: Path, single: tuple[Path, Run], shard_runs: dict[int, tuple[Path, Run]]
) -> None:
    paths = {path.name: path.relative_to(single[0]).as_posix() for path in single[0].rglob("*.pdf")}
    for number, (cache, done) in shard_runs.items():
        mine = sorted(name for name, path in paths.items() if Shard(number, SHARDS).holds(path))
        assert sorted(done.rendered) == mine
        assert f"shard {number}/{SHARDS}: rendered {len(mine)} PDFs into {cache}, reused 0" in done.err
        assert "nothing published: a build with every shard's cache merged publishes the site" in done.err
        # All it wrote is a folder of its own: the PDFs it rendered, by key, and its record.
        assert [path.relative_to(cache).as_posix() for path in cache.iterdir()] == ["shards"]
        assert [path.name for path in (cache / "shards").iterdir()] == [f"{number}-of-{SHARDS}"]
        assert len(list((cache / f"shards/{number}-of-{SHARDS}/pdf").glob("*.pdf"))) == len(mine)
        assert "Traceback" not in done.err
    assert not (catalog.parent / "dist").exists()


def test_the_shards_cover_every_pdf_of_every_language_exactly_once(
    single: tuple[Path, Run], shard_runs: dict[int, tuple[Path, Run]]
) -> None:
    rendered = Counter(name for _, done in shard_runs.values() for name in done.rendered)
    assert sorted(rendered) == pdf_names(single[0]) == sorted(single[1].rendered)
    assert set(rendered.values()) == {1}
    assert len([name for name in rendered if name.endswith(".es.pdf")]) == len(rendered) / 2 == 5


def test_a_shard_run_again_reuses_the_pdfs_already_in_its_cache(
    catalog: Path, shard_runs: dict[int, tuple[Path, Run]]
) -> None:
    cache, first = shard_runs[1]
    again = build(catalog, catalog.parent / "dist", cache, "--pdf-shard", f"1/{SHARDS}")
    assert again.code == 0 and again.rendered == []
    assert f"rendered 0 PDFs into {cache}, reused {len(first.rendered)}" in again.err


def test_a_pdf_stays_in_its_shard_when_credentials_are_added(
    catalog: Path, shard_runs: dict[int, tuple[Path, Run]]
) -> None:
    """A PDF's shard depends on its output path alone: with a credential more, each shard run again renders
    at most the new credential's PDFs and finds every other PDF of its shard in its cache."""
    content = catalog.parent / "grown"
    shutil.copytree(catalog, content)
    (content / "credentials/zz-new.md").write_text(credential_md("A new credential"))
    (content / "credentials/zz-new.es.md").write_text("---\ntitle: Una credencial nueva\n---\n")
    new = {"zz-new.pdf": "credentials/zz-new/zz-new.pdf", "zz-new.es.pdf": "es/credentials/zz-new/zz-new.es.pdf"}
    for number, (cache, first) in shard_runs.items():
        copy = catalog.parent / f"grown-cache-{number}"
        shutil.copytree(cache, copy)
        again = build(content, catalog.parent / "dist", copy, "--pdf-shard", f"{number}/{SHARDS}")
        assert again.code == 0, again.err
        assert again.rendered == [name for name, path in new.items() if Shard(number, SHARDS).holds(path)]
        assert f"reused {len(first.rendered)} (" in again.err


def test_the_shards_are_about_the_same_size() -> None:
    """15,000 PDFs (5,000 credentials in three languages): each in exactly one shard, none 10% off the mean
    (as a random split would be: the longest shard job is a few percent longer than an even share)."""
    paths = [
        f"{prefix}credentials/credential-{n:04}/credential-{n:04}{suffix}.pdf"
        for prefix, suffix in (("", ""), ("es/", ".es"), ("fr/", ".fr"))
        for n in range(1, 5001)
    ]
    for count in (2, 4, 8, 16):
        owners = [[number for number in range(1, count + 1) if Shard(number, count).holds(path)] for path in paths]
        assert {len(owner) for owner in owners} == {1}
        sizes = Counter(owner[0] for owner in owners).values()
        assert len(sizes) == count
        assert 0.9 < min(sizes) / (len(paths) / count) <= max(sizes) / (len(paths) / count) < 1.1, sizes


# The final build: the shards' caches merged, no PDF rendered, the same site as one build


def test_the_shards_caches_merge_without_a_conflict(shard_runs: dict[int, tuple[Path, Run]]) -> None:
    """No two shards write a file of the same name, so copying their folders into one loses nothing."""
    written = Counter(
        path.relative_to(cache).as_posix()
        for cache, _ in shard_runs.values()
        for path in cache.rglob("*")
        if path.is_file()
    )
    assert written and set(written.values()) == {1}


def test_a_build_with_every_shard_merged_renders_no_pdf_and_equals_a_single_build(
    catalog: Path, single: tuple[Path, Run], shard_runs: dict[int, tuple[Path, Run]]
) -> None:
    cache = merged(shard_runs, catalog.parent / "merged-cache", list(shard_runs))
    out = catalog.parent / "final"
    final = build(catalog, out, cache)
    assert final.code == 0, final.err
    assert final.rendered == []
    assert re.search(rf"{out}: rendered \d+ pages and 0 PDFs,", final.err)
    assert pdf_names(out) == pdf_names(single[0])
    # Every file byte for byte, Pagefind's hash-map-ordered files by what they index (test_incremental_property).
    assert output_view(out) == output_view(single[0])
    # The shards' PDFs were taken into the cache's own, and their folders removed.
    assert not (cache / "shards").exists()
    assert len(list((cache / "pdf").glob("*.pdf"))) == len(pdf_names(out))


def test_a_build_missing_one_shard_renders_just_that_shards_pdfs(
    catalog: Path, single: tuple[Path, Run], shard_runs: dict[int, tuple[Path, Run]]
) -> None:
    missing = max(shard_runs, key=lambda number: len(shard_runs[number][1].rendered))
    present = [number for number in shard_runs if number != missing]
    cache = merged(shard_runs, catalog.parent / "three-of-four", present)
    out = catalog.parent / "three"
    final = build(catalog, out, cache)
    assert final.code == 0, final.err
    assert sorted(final.rendered) == sorted(shard_runs[missing][1].rendered) != []
    assert output_view(out) == output_view(single[0])


def test_a_shards_pdf_of_a_credential_edited_since_is_rendered_again(
    catalog: Path, shard_runs: dict[int, tuple[Path, Run]]
) -> None:
    content = catalog.parent / "edited"
    shutil.copytree(catalog, content)
    for source in (content / "credentials").glob("credential-0003.*md"):  # the original and its translation
        source.write_text(source.read_text().replace("word_limit: 200", "word_limit: 250", 1))  # their PDFs show it
    cache = merged(shard_runs, catalog.parent / "edited-cache", list(shard_runs))
    final = build(content, catalog.parent / "edited-dist", cache)
    assert final.code == 0, final.err
    assert sorted(final.rendered) == ["credential-0003.es.pdf", "credential-0003.pdf"]


# What a shard run refuses


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("0/4", "'0/4': the shard's number must be from 1 to 4"),
        ("5/4", "'5/4': the shard's number must be from 1 to 4"),
        ("1/0", "'1/0': the shard's number must be from 1 to 1"),
        ("2", "'2' is not a shard like 2/4 (the second of four)"),
        ("-1/4", "'-1/4' is not a shard like 2/4 (the second of four)"),
        ("a/b", "'a/b' is not a shard like 2/4 (the second of four)"),
        ("", "'' is not a shard like 2/4 (the second of four)"),
    ],
)
def test_a_bad_pdf_shard_is_a_usage_error(project: Path, tmp_path: Path, capsys, value: str, says: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--content", str(project), "--out", str(tmp_path / "dist"), f"--pdf-shard={value}"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --pdf-shard: {says}" in err and "Traceback" not in err
    assert not (tmp_path / "dist").exists() and not (tmp_path / ".catalog-cache").exists()


def test_a_pdf_shard_without_pdfs_is_a_usage_error(cli, project: Path, tmp_path: Path) -> None:
    done = cli("build", "--content", project, "--out", tmp_path / "dist", "--pdf-shard", "1/2", "--no-pdf")
    assert done.code == 2
    assert "catalog build: --pdf-shard renders PDFs; it cannot be given with --no-pdf" in done.err
    assert not (tmp_path / "dist").exists() and not (tmp_path / ".catalog-cache").exists()


def test_a_shard_run_validates_the_catalog_like_any_build(cli, tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First", extra="hours: many\n")},
    )
    done = cli("build", "--content", content, "--out", tmp_path / "dist", "--pdf-shard", "1/1")
    assert done.code == 1
    assert f"{content}/credentials/first.md:7: 'hours' should be a positive number, not 'many' (" in done.err
    assert f"build failed: 1 error(s); {tmp_path / 'dist'} was left as it was" in done.err
    assert "Traceback" not in done.err
    assert not (tmp_path / "dist").exists()
    assert not (tmp_path / ".catalog-cache/shards").exists() and not (tmp_path / ".catalog-cache/pdf").exists()


# The Pages workflow: the shards as a matrix, off unless PDF_SHARDS asks for them


WORKFLOWS = {
    "the project's": ROOT / ".github/workflows/pages.yml",
    "the starter's": ROOT / "src/catalog/starter_files/pages.yml",
}


@pytest.mark.parametrize("which", list(WORKFLOWS))
def test_the_workflow_runs_the_shards_as_a_matrix_only_when_pdf_shards_is_set(which: str) -> None:
    workflow = yaml.safe_load(WORKFLOWS[which].read_text())
    jobs = workflow["jobs"]
    plan, pdfs, final = jobs["pdf-shards"], jobs["pdfs"], jobs["build"]
    assert plan["if"] == "vars.PDF_SHARDS != ''"
    assert pdfs["needs"] == "pdf-shards"
    assert pdfs["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.pdf-shards.outputs.shards) }}"
    (command,) = [step for step in pdfs["steps"] if str(step.get("run", "")).startswith("catalog build")]
    assert command["run"] == 'catalog build --pdf-shard "$SHARD/$SHARDS" --out dist --base-url "$BASE_URL/"'
    assert command["env"]["SHARD"] == "${{ matrix.shard }}"
    actions = [step.get("uses", "").split("@")[0] for step in pdfs["steps"]]
    # Each shard starts from the last publication's cache (read only) and uploads only its own folder.
    restore = pdfs["steps"][actions.index("actions/cache/restore")]
    assert restore["with"]["path"] == ".catalog-cache" and restore["with"]["restore-keys"] == "catalog-"
    assert (
        actions.index("actions/cache/restore") < pdfs["steps"].index(command) < actions.index("actions/upload-artifact")
    )
    upload = pdfs["steps"][actions.index("actions/upload-artifact")]
    assert upload["with"]["name"] == "pdf-shard-${{ matrix.shard }}"
    assert upload["with"]["path"] == ".catalog-cache/shards/" and upload["with"]["include-hidden-files"] is True
    # The final job waits for the shards when there are any, and merges them into its cache before building.
    assert final["needs"] == "pdfs" and "!failure()" in final["if"] and "!cancelled()" in final["if"]
    names = [step.get("uses", step.get("run", "")).split("@")[0].split()[0:2] for step in final["steps"]]
    download = names.index(["actions/download-artifact"])
    assert download < names.index(["catalog", "build"])
    step = final["steps"][download]
    assert step["if"] == "needs.pdfs.result == 'success'"
    assert step["with"] == {"pattern": "pdf-shard-*", "merge-multiple": True, "path": ".catalog-cache/shards"}
    # Left implicit, the skipped shard jobs would skip the deployment too (actions/runner#2205).
    assert jobs["deploy"]["if"] == "${{ !cancelled() && needs.build.result == 'success' }}"
    assert pdfs["permissions"] == final["permissions"] == {"contents": "read", "pages": "read"}


@pytest.mark.parametrize(("wanted", "shards"), [("4", "[1,2,3,4]"), ("2", "[1,2]"), ("1", "[1]")])
def test_the_workflows_plan_turns_pdf_shards_into_the_matrix(wanted: str, shards: str, tmp_path: Path) -> None:
    output = plan(wanted, tmp_path)
    assert output.returncode == 0, output.stderr
    assert (tmp_path / "out").read_text() == f"count={wanted}\nshards={shards}\n"


@pytest.mark.parametrize("wanted", ["0", "65", "four", "4; echo hi", "-2"])
def test_the_workflows_plan_refuses_a_pdf_shards_that_is_not_a_count(wanted: str, tmp_path: Path) -> None:
    output = plan(wanted, tmp_path)
    assert output.returncode != 0
    assert "PDF_SHARDS must be a whole number from 1 to 64" in output.stdout + output.stderr
    assert (tmp_path / "out").read_text() == ""


def plan(wanted: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """The plan step's script, run by bash as the runner runs it, with the variable in its environment."""
    jobs = yaml.safe_load(WORKFLOWS["the project's"].read_text())["jobs"]
    (step,) = jobs["pdf-shards"]["steps"]
    (folder / "out").write_text("")
    environment = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(folder / "out")}
    environment |= {name: wanted for name, value in step["env"].items() if value == "${{ vars.PDF_SHARDS }}"}
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", step["run"]], env=environment, capture_output=True, text=True
    )


def test_the_workflows_shard_jobs_and_build_job_publish_without_rendering_a_pdf_there(
    cli, sample_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    """The sample through the workflow's own commands, with PDF_SHARDS=2: each shard job on a fresh machine
    (no cache yet) uploads .catalog-cache/shards/; the build job downloads both into its cache and builds."""
    jobs = yaml.safe_load(WORKFLOWS["the project's"].read_text())["jobs"]
    (shard_step,) = [step for step in jobs["pdfs"]["steps"] if str(step.get("run", "")).startswith("catalog ")]
    final_steps = [step for step in jobs["build"]["steps"] if str(step.get("run", "")).startswith("catalog ")]
    given = {"${{ steps.pages.outputs.base_url }}": BASE_URL.removesuffix("/")}
    given["${{ needs.pdf-shards.outputs.count }}"] = "2"
    monkeypatch.chdir(sample_copy.parent)
    artifacts = tmp_path / "artifacts"
    rendered = []
    for shard in ("1", "2"):
        job = given | {"${{ matrix.shard }}": shard}
        environment = {name: job[value] for name, value in shard_step["env"].items()}
        words = [string.Template(word).substitute(environment) for word in shlex.split(shard_step["run"])]
        done = cli(*words[1:])
        assert done.code == 0 and f"shard {shard}/2: rendered" in done.err, done.err
        rendered += PROGRESS.findall(done.err)
        shutil.copytree(".catalog-cache/shards", artifacts, dirs_exist_ok=True)  # upload, and download merged
        shutil.rmtree(".catalog-cache")  # the next job runs on another machine
    assert not Path("dist").exists() and len(rendered) == len(set(rendered)) > 0
    shutil.copytree(artifacts, ".catalog-cache/shards")
    for step in final_steps:
        environment = {name: given[value] for name, value in step.get("env", {}).items()}
        done = cli(*[string.Template(word).substitute(environment) for word in shlex.split(step["run"])][1:])
        assert done.code == 0 and "::error" not in done.err, done.err
    assert "and 0 PDFs" in done.err and PROGRESS.findall(done.err) == []
    assert sorted(path.stem for path in Path("dist").rglob("*.pdf")) == sorted(rendered)

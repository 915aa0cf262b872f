"""`import`: Open Badges JSON read into draft credentials that pass `check`, written all or nothing, updated
by the next import without touching what an author added; drafts that may lack what a badge cannot say;
and our own achievement.json files read back to the same facts."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import socket
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from catalog.badgefields import IMPORT_SHAPES
from catalog.build import BuildOptions, build
from catalog.validate import load_catalog

from conftest import ROOT, SAMPLE, SITE_YML, Run, credential_md, write_files

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(out, "PNG")
    return out.getvalue()


def data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def badge_class(name: str = "Facilitating Peer Feedback", **extra: Any) -> dict[str, Any]:
    """An Open Badges 2.0 BadgeClass as Canvas Credentials (Badgr) hosts it."""
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": f"https://api.badgr.io/public/badges/{name.lower().replace(' ', '-')}",
        "name": name,
        "description": "The educator runs a peer feedback protocol.\n\nEarners plan, run and reflect on it.",
        "image": "https://api.badgr.io/public/badges/abc/image",
        "criteria": {
            "id": "https://example.org/criteria/peer-feedback",
            "narrative": "# How to earn it\n\n**Plan** and *run* a peer feedback protocol with colleagues.\n\n"
            "## Evidence\n\n- an agenda\n- notes",
        },
        "issuer": {"id": "https://example.org/issuer", "type": "Profile", "name": "Riverbend Teachers' Center"},
        "tags": ["feedback", "peer review"],
        "alignment": [
            {
                "targetName": "Standard 3: Learning Environments",
                "targetUrl": "https://example.org/standards/3",
                "targetDescription": "Creates environments that support learning.",
                "targetFramework": "InTASC",
                "targetCode": "3(a)",
            }
        ],
        **extra,
    }


ACHIEVEMENT = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "urn:uuid:5d1c7a7e-52a1-4c1f-9d1e-0c7d6a2f6b11",
    "type": ["Achievement"],
    "achievementType": "MicroCredential",
    "name": "Evaluación “auténtica” en el aula",
    "description": "La educadora diseña una tarea “auténtica” y la prueba con su grupo.",
    "criteria": {"narrative": "La educadora diseña la tarea, la aplica y analiza el trabajo del alumnado."},
    "creator": {"id": "https://example.es", "type": ["Profile"], "name": "Centro de Evaluación"},
    "humanCode": "EVA-101",
    "creditsAvailable": 2.5,
    "inLanguage": "es",
    "version": "1.10",
    "tag": ["evaluación", "tareas"],
    "resultDescription": [
        {
            "id": "urn:uuid:1",
            "type": ["ResultDescription"],
            "name": "Parte 1. Diseño",
            "resultType": "RubricCriterionLevel",
            "allowedValue": ["Todavía no", "Logrado", "Excelente"],
            "requiredValue": "Logrado",
        }
    ],
}


def catalog_with(tmp_path: Path, sources: dict[str, Any]) -> tuple[Path, Path]:
    """An empty catalog and a folder of source files (dicts and lists written as JSON, text and bytes as they are)."""
    content = write_files(tmp_path / "content", {"site.yml": SITE_YML})
    files = {k: v if isinstance(v, str | bytes) else json.dumps(v, ensure_ascii=False) for k, v in sources.items()}
    return content, write_files(tmp_path / "badges", files)


def front_matter(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]))


def lines_of(run: Run, root: Path) -> list[str]:
    return [line.replace(f"{root}/", "") for line in run.err.splitlines()]


def assert_nothing_written(content: Path, run: Run) -> None:
    assert run.code == 1
    assert "Traceback" not in run.err
    assert "nothing was written" in run.err
    assert sorted(p.name for p in content.iterdir()) == ["site.yml"]


# Reading every kind of badge


def test_a_badgeclass_with_an_embedded_image_narrative_alignments_and_ects_becomes_a_draft(cli, tmp_path) -> None:
    ects = {
        "@context": "https://openbadgespec.org/extensions/ectsExtension/context.json",
        "type": ["Extension", "extensions:ECTSExtension"],
        "ECTS": 1.5,
    }
    source = badge_class(image={"id": data_uri(png()), "caption": "badge"}, **{"extensions:ECTSExtension": ects})
    content, badges = catalog_with(tmp_path, {"peer.json": source})
    run = cli("import", "--content", content, badges / "peer.json")
    assert run.code == 0, run.err
    path = content / "credentials" / "facilitating-peer-feedback.md"
    assert run.out.splitlines()[0] == f"written: {path}"
    assert front_matter(path) == {
        "title": "Facilitating Peer Feedback",
        "summary": "The educator runs a peer feedback protocol.",
        "issuer": "Riverbend Teachers' Center",
        "key_method": "Plan and run a peer feedback protocol with colleagues.",
        "tags": ["feedback", "peer review"],
        "image": "assets/imported/facilitating-peer-feedback.png",
        "alignments": [
            {
                "name": "Standard 3: Learning Environments",
                "url": "https://example.org/standards/3",
                "framework": "InTASC",
                "code": "3(a)",
            }
        ],
        "credits": [{"kind": "other", "amount": 1.5, "unit": "ECTS credits"}],
        "status": "draft",
        "source": {"id": source["id"], "url": source["id"]},
    }
    assert (content / "assets/imported/facilitating-peer-feedback.png").read_bytes() == png()
    body = path.read_text().split("---\n", 2)[2]
    assert body == (
        "## Description\n\nEarners plan, run and reflect on it.\n\n"
        "## Criteria\n\n### How to earn it\n\n**Plan** and *run* a peer feedback protocol with colleagues.\n\n"
        "#### Evidence\n\n- an agenda\n- notes\n\n"
        "The source publishes its criteria at <https://example.org/criteria/peer-feedback>.\n"
    )
    assert "note: badges/peer.json $: alignment[0].targetDescription: an alignment has no description field; " in (
        run.err.replace(f"{tmp_path}/", "")
    )


def test_a_badgeclass_with_a_string_image_beside_it_and_criteria_as_an_address(cli, tmp_path) -> None:
    source = badge_class(image="art/badge.svg", criteria="https://example.org/criteria", issuer="https://x.org/i")
    content, badges = catalog_with(tmp_path, {"peer.json": source, "art/badge.svg": SVG})
    run = cli("import", "--content", content, badges / "peer.json")
    assert run.code == 0, run.err
    written = front_matter(content / "credentials/facilitating-peer-feedback.md")
    assert written["image"] == "assets/imported/facilitating-peer-feedback.svg"
    assert "key_method" not in written and "issuer" not in written
    assert (content / written["image"]).read_bytes() == SVG
    assert "$: issuer: given only by its address, which is not fetched; the site's organisation applies" in run.err
    check = cli("check", "--content", content)
    assert check.code == 0
    assert "facilitating-peer-feedback.md:4: warning: this draft has no 'key_method' yet;" in check.err


@pytest.mark.parametrize(
    ("description", "summary", "rest"),
    [
        ("One line.", "One line.", ""),
        ("First line.\nSecond line.\n\nMore.", "First line.", "Second line.\n\nMore."),
        ("A paragraph wrapped\nat some width.\n\nMore.", "A paragraph wrapped at some width.", "More."),
        ("Long. " + "word " * 70 + "end.", "Long.", ("word " * 70).strip() + " end."),
    ],
    ids=["one-line", "line-by-line", "wrapped", "long"],
)
def test_the_summary_is_the_descriptions_first_line_or_sentence_and_the_rest_opens_the_body(
    cli, tmp_path, description, summary, rest
) -> None:
    content, badges = catalog_with(tmp_path, {"a.json": badge_class(description=description)})
    assert cli("import", "--content", content, badges).code == 0
    path = content / "credentials/facilitating-peer-feedback.md"
    assert front_matter(path)["summary"] == summary
    body = path.read_text().split("---\n", 2)[2]
    assert body.startswith(f"## Description\n\n{rest}\n\n## Criteria" if rest else "## Criteria")


def test_an_open_badges_3_achievement_in_spanish_carries_code_credits_language_version_and_scales(
    cli, tmp_path
) -> None:
    content, badges = catalog_with(tmp_path, {"eva.json": ACHIEVEMENT})
    run = cli("import", "--content", content, badges / "eva.json")
    assert run.code == 0, run.err
    path = content / "credentials/evaluacion-autentica-en-el-aula.md"
    catalog, _ = load_catalog(content, drafts=True)
    credential = catalog.credential("evaluacion-autentica-en-el-aula")
    assert credential is not None
    assert (credential.title, credential.summary) == (ACHIEVEMENT["name"], ACHIEVEMENT["description"])
    assert credential.key_method == ACHIEVEMENT["criteria"]["narrative"]  # type: ignore[index]
    assert (credential.code, credential.language, credential.version, credential.issuer) == (
        "EVA-101",
        "es",
        "1.10",
        "Centro de Evaluación",
    )
    assert [(c.kind, c.amount, c.unit) for c in credential.credits] == [("graduate", Decimal("2.5"), "credit hours")]
    assert credential.tags == ("evaluación", "tareas")
    text = path.read_text(encoding="utf-8")
    assert "version: '1.10'\n" in text  # text, never the number 1.1
    assert "scales:\n  parte-1-diseno: [Excelente, Logrado, Todavía no]\n" in text  # best first, as ours are
    assert "- Parte 1. Diseño: scored Excelente / Logrado / Todavía no, passes at “Logrado”" in text
    assert "source:\n  id: urn:uuid:5d1c7a7e-52a1-4c1f-9d1e-0c7d6a2f6b11\n" in text


def test_an_open_badge_credential_is_read_from_the_achievement_it_holds(cli, tmp_path) -> None:
    credential = {
        "@context": ACHIEVEMENT["@context"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.es", "type": ["Profile"]},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {**ACHIEVEMENT, "image": 7}},
    }
    content, badges = catalog_with(tmp_path, {"earned.json": credential})
    run = cli("import", "--content", content, badges / "earned.json")
    assert run.code == 0, run.err
    assert front_matter(content / "credentials/evaluacion-autentica-en-el-aula.md")["code"] == "EVA-101"
    assert "earned.json $.credentialSubject.achievement: achievementType:" in run.err


def test_an_open_badges_1_badge_class_without_a_type_is_read(cli, tmp_path) -> None:
    old = {
        "name": "Mentoring New Teachers",
        "description": "Mentors a new teacher for a year.",
        "image": "https://old.example.org/badge.png",
        "criteria": "https://old.example.org/criteria.html",
        "issuer": "https://old.example.org/issuer.json",
        "alignment": [{"name": "Mentoring", "url": "https://old.example.org/std"}],
        "tags": ["mentoring"],
    }
    content, badges = catalog_with(tmp_path, {"old.json": old})
    run = cli("import", "--content", content, badges / "old.json")
    assert run.code == 0, run.err
    written = front_matter(content / "credentials/mentoring-new-teachers.md")
    assert written["alignments"] == [{"name": "Mentoring", "url": "https://old.example.org/std"}]
    assert written["source"] == {"id": f"{badges}/old.json#$", "image": "https://old.example.org/badge.png"}


def test_a_json_array_and_a_folder_are_read_in_sorted_order_skipping_issuer_profiles(cli, tmp_path) -> None:
    content, badges = catalog_with(
        tmp_path,
        {
            "b/more.json": [badge_class("Second Badge"), badge_class("Third Badge")],
            "a.json": badge_class("First Badge"),
            "b/issuer.json": {"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "name": "X"},
            "README.txt": "not a badge, and not read",
        },
    )
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    assert [line.removeprefix(f"written: {content}/credentials/") for line in run.out.splitlines()[:3]] == [
        "first-badge.md",
        "second-badge.md",
        "third-badge.md",
    ]
    assert "b/issuer.json: warning: $: skipped: an Open Badges Issuer, not a badge definition" in (
        run.err.replace(f"{tmp_path}/badges/", "")
    )


def test_json_that_holds_no_badge_is_reported_with_its_json_path(cli, tmp_path) -> None:
    content, badges = catalog_with(tmp_path, {"mixed.json": [badge_class(), 42, {"title": "no badge"}]})
    run = cli("import", "--content", content, badges / "mixed.json")
    assert lines_of(run, tmp_path)[:2] == [
        "badges/mixed.json: $[1]: a int where a badge (a JSON object) was expected",
        "badges/mixed.json: $[2]: not an Open Badges badge definition (no type BadgeClass or Achievement, and not "
        "a 1.0 badge class) (import BadgeClass (2.0) or Achievement (3.0) JSON as a badge platform exports it)",
    ]
    assert_nothing_written(content, run)


MALFORMED = [
    ('{\n  "type": "BadgeClass",\n  name: "Unquoted"\n}\n', 3, "Expecting property name enclosed in double quotes", 3),
    (
        '{\n  "type": "BadgeClass",\n  "name": "Trailing",\n}\n',
        4,
        "Expecting property name enclosed in double quotes",
        1,
    ),
    ('[\n  {"type": "BadgeClass"},\n]\n', 3, "Expecting value", 1),
    ('{\n  "type": "BadgeClass",\n  "name": "Trunc', 3, "Unterminated string starting at", 11),
]


@pytest.mark.parametrize(("text", "line", "message", "column"), MALFORMED, ids=["key", "comma", "array", "cut"])
def test_malformed_json_is_located_and_nothing_is_written(cli, tmp_path, text, line, message, column) -> None:
    content, badges = catalog_with(
        tmp_path, {"good.json": badge_class(image={"id": data_uri(png())}), "bad.json": text}
    )
    run = cli("import", "--content", content, badges)
    assert lines_of(run, tmp_path)[0] == (
        f"badges/bad.json:{line}: not valid JSON: {message} at column {column} (JSON needs double-quoted keys and "
        "strings, and no comma after the last item of a list or object)"
    )
    assert_nothing_written(content, run)


def test_a_source_that_is_missing_or_of_another_kind_is_an_error(cli, tmp_path) -> None:
    content, badges = catalog_with(tmp_path, {"list.xml": "<x/>"})
    run = cli("import", "--content", content, badges / "list.xml", badges / "gone.json")
    assert lines_of(run, tmp_path)[:2] == [
        "badges/gone.json: no such file or folder (give a badge file, a folder or a CSV file)",
        "badges/list.xml: not a file import reads (import reads files ending in .json, .jsonld, .csv)",
    ]
    assert_nothing_written(content, run)


# Writing: slugs, images, all or nothing


def test_imported_files_pass_check_with_only_draft_warnings(cli, tmp_path) -> None:
    content, badges = catalog_with(tmp_path, {"a.json": [badge_class(), ACHIEVEMENT]})
    assert cli("import", "--content", content, badges).code == 0
    check = cli("check", "--content", content)
    assert check.code == 0, check.err
    warnings = [line for line in check.err.splitlines() if ": warning: " in line]
    # Five for what the drafts lack; two because neither badge gives its issuer's url and email, which
    # Open Badges 2.0 asks of every issuer.
    drafts = [line for line in warnings if "draft" in line]
    issuers = [line for line in warnings if "has no url or email, which Open Badges 2.0 requires" in line]
    assert (len(drafts), len(issuers), len(warnings)) == (7, 2, 9), warnings
    assert cli("check", "--content", content, "--strict").code == 1


def test_slugs_are_unique_against_present_files_and_the_run(cli, tmp_path) -> None:
    content, badges = catalog_with(
        tmp_path, {"a.json": [badge_class("Same Title", id="https://x.org/1"), badge_class("Same Title", id="x:2")]}
    )
    assert cli("import", "--content", content, badges).code == 0
    write_files(badges, {"b.json": json.dumps(badge_class("Same Title", id="https://x.org/3"))})
    run = cli("import", "--content", content, badges / "b.json")
    assert run.code == 0, run.err
    assert run.out.splitlines()[0] == f"written: {content}/credentials/same-title-3.md"
    ids = {p.name: front_matter(p)["source"]["id"] for p in (content / "credentials").glob("*.md")}
    assert ids == {"same-title.md": "https://x.org/1", "same-title-2.md": "x:2", "same-title-3.md": "https://x.org/3"}


def test_a_file_an_author_made_is_never_overwritten(cli, tmp_path) -> None:
    content, badges = catalog_with(tmp_path, {"a.json": badge_class()})
    mine = write_files(content, {"credentials/facilitating-peer-feedback.md": "---\ntitle: Mine\n---\n"})
    before = (mine / "credentials/facilitating-peer-feedback.md").read_bytes()
    run = cli("import", "--content", content, badges)
    assert run.code == 1
    assert lines_of(run, tmp_path)[0] == (
        "badges/a.json: $: the badge 'Facilitating Peer Feedback' would be written as "
        "content/credentials/facilitating-peer-feedback.md, a file an author made; it is never overwritten "
        f"(if it is the same credential, add source: {{id: '{badge_class()['id']}'}} to that file so that import "
        "updates it; otherwise rename that file or the badge)"
    )
    assert (mine / "credentials/facilitating-peer-feedback.md").read_bytes() == before
    assert not (content / "assets").exists()


def test_a_remote_image_is_recorded_and_reported_never_fetched(cli, tmp_path, monkeypatch) -> None:
    def no_network(*args: object) -> None:
        raise AssertionError("import opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    content, badges = catalog_with(tmp_path, {"a.json": badge_class()})
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    written = front_matter(content / "credentials/facilitating-peer-feedback.md")
    assert written["source"]["image"] == "https://api.badgr.io/public/badges/abc/image"
    assert "image" not in written
    assert (
        "$: image: https://api.badgr.io/public/badges/abc/image is on the web; recorded as source.image and not "
        "fetched (save it in content/assets/imported/ and set image)"
    ) in run.err


def test_an_image_that_is_not_what_it_claims_is_an_error_for_its_record(cli, tmp_path) -> None:
    content, badges = catalog_with(
        tmp_path,
        {"a.json": [badge_class("Fine"), badge_class(image=data_uri(b"<html>not a png</html>"))]},
    )
    run = cli("import", "--content", content, badges)
    assert lines_of(run, tmp_path)[0] == (
        "badges/a.json: $[1]: the image cannot be published: the file is not a PNG image, whatever its name says "
        "(replace it with a real file of its type, saved inside content/assets/)"
    )
    assert_nothing_written(content, run)


def test_a_value_no_content_file_can_hold_is_located_at_its_badge(cli, tmp_path) -> None:
    content, badges = catalog_with(tmp_path, {"a.json": badge_class("Bell \u0007 badge", id="https://x.org/b")})
    run = cli("import", "--content", content, badges)
    assert lines_of(run, tmp_path)[0].startswith(
        "badges/a.json: $: cannot be written: 'title' contains the control character U+0007"
    )
    assert_nothing_written(content, run)


# Re-importing


def test_reimport_replaces_imported_fields_and_keeps_the_authors_additions_exactly(cli, tmp_path) -> None:
    content, badges = catalog_with(tmp_path, {"a.json": badge_class()})
    assert cli("import", "--content", content, badges).code == 0
    path = content / "credentials/facilitating-peer-feedback.md"
    mine = (
        "# my note on the version\n"
        'version: "2.0"\n'
        "published: 2025-02-03\n"
        "requirements:\n"
        "  - title: Plan\n"
        "    scale: passing\n"
        "    pass: Passing\n"
        "    criteria:\n"
        "      - title: Clear plan\n"
        "        levels: {Passing: Clear., Not yet: Vague.}\n"
    )
    text = path.read_text().replace("tags:", mine + "tags:", 1).replace("status: draft", "status: active")
    path.write_text(text + "\n## Facilitator notes\n\nKeep groups of three.\n")
    assert cli("check", "--content", content).code == 0
    changed = badge_class(description="A new summary.", tags=["feedback"])
    write_files(badges, {"a.json": json.dumps(changed)})
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    assert run.out.splitlines()[0] == f"updated: {path}"
    after = path.read_text()
    assert after.startswith("---\n# Imported by `catalog import`.")
    author_fields = mine.split("requirements:")
    assert author_fields[0] in after and "requirements:" + author_fields[1] in after and "status: active\n" in after
    assert after.endswith("## Facilitator notes\n\nKeep groups of three.\n")
    written = front_matter(path)
    assert (written["summary"], written["tags"]) == ("A new summary.", ["feedback"])
    assert "## Description" not in after  # the new description has no second paragraph
    check = cli("check", "--content", content)
    assert check.code == 0 and "draft" not in check.err, check.err
    again = cli("import", "--content", content, badges)
    assert again.out.splitlines()[0].startswith("0 written, 0 updated, 1 unchanged")
    assert path.read_text() == after


def test_reimport_keeps_the_scales_and_status_the_file_has(cli, tmp_path) -> None:
    content, badges = catalog_with(tmp_path, {"eva.json": ACHIEVEMENT})
    assert cli("import", "--content", content, badges).code == 0
    path = content / "credentials/evaluacion-autentica-en-el-aula.md"
    mine = "scales:\n  mine: [Sí, Todavía no]\n"
    text = path.read_text().replace("scales:\n  parte-1-diseno: [Excelente, Logrado, Todavía no]\n", mine)
    path.write_text(text.replace("status: draft", "status: retired"))
    write_files(badges, {"eva.json": json.dumps({**ACHIEVEMENT, "humanCode": "EVA-102"})})
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    after = path.read_text()
    assert mine in after and "status: retired\n" in after and "code: EVA-102\n" in after


# Drafts


DRAFT = """\
---
title: Half Done
summary: Not finished yet.
status: draft
---
Body.
"""


def test_a_draft_may_leave_out_requirements_published_key_method_and_version_with_warnings(cli, tmp_path) -> None:
    content = write_files(tmp_path / "content", {"site.yml": SITE_YML, "credentials/half-done.md": DRAFT})
    check = cli("check", "--content", content)
    assert check.code == 0, check.err
    lines = [line.removeprefix(f"{content}/") for line in check.err.splitlines()]
    for name in ("key_method", "version", "published", "requirements"):
        assert any(
            line.startswith(
                f"credentials/half-done.md:2: warning: this draft has no '{name}' yet; it is required "
                f"before the status is active (add '{name}:' with "
            )
            for line in lines
        ), name
    assert cli("check", "--content", content, "--strict").code == 1
    (content / "credentials/half-done.md").write_text(DRAFT.replace("status: draft", "status: active"))
    active = cli("check", "--content", content)
    assert active.code == 1
    assert f"{content}/credentials/half-done.md:2: the front matter is missing the required field 'published'" in (
        active.err
    )


def test_drafts_without_parts_or_dates_render_in_the_preview_and_stay_out_of_the_build(cli, tmp_path) -> None:
    content, badges = catalog_with(tmp_path, {"a.json": [badge_class(image=data_uri(png())), ACHIEVEMENT]})
    write_files(content, {"credentials/published.md": credential_md("Published")})  # a site needs one page to index
    assert cli("import", "--content", content, badges).code == 0
    preview = tmp_path / "preview"
    build(BuildOptions(content, preview, pdf=True, jobs=1, cache_dir=tmp_path / "cache", drafts=True))
    for slug in ("facilitating-peer-feedback", "evaluacion-autentica-en-el-aula"):
        folder = preview / "credentials" / slug
        page = (folder / "index.html").read_text()
        assert "The requirements are not written yet." in page and "<dt>Published</dt>" not in page
        assert (folder / f"{slug}.pdf").read_bytes().startswith(b"%PDF-")
        assert json.loads((folder / "achievement.json").read_text())["name"]
    assert (preview / "credentials/evaluacion-autentica-en-el-aula/badge.svg").exists()
    out = tmp_path / "dist"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    assert not (out / "credentials/facilitating-peer-feedback").exists()


# Round trip and shapes


@pytest.mark.parametrize("exported", ["achievement.json", "badgeclass.json"])
def test_the_samples_achievements_import_back_to_the_same_facts(cli, tmp_path, exported: str) -> None:
    dist = tmp_path / "dist"
    assert cli("build", "--content", SAMPLE, "--out", dist, "--no-pdf", "--base-url", "https://x.org/c/").code == 0
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SAMPLE / "site.yml", content / "site.yml")
    run = cli("import", "--content", content, *sorted(dist.glob(f"credentials/*/{exported}")))
    assert run.code == 0, run.err
    original, _ = load_catalog(SAMPLE)
    back, _ = load_catalog(content, drafts=True)
    by_title = {c.title: c for c in back.credentials}
    assert len(by_title) == len(original.credentials)
    for credential in original.credentials:
        found = by_title[credential.title]
        facts = ["summary", "key_method", "version", "issuer", "tags", "alignments", "issuer_url", "issuer_email"]
        assert {f: getattr(found, f) for f in facts} == {f: getattr(credential, f) for f in facts}, credential.slug
        assert found.language == (credential.language or original.site.language)
        if exported == "badgeclass.json":
            continue  # Open Badges 2.0 has no code, credit hours or results: the rest is the Achievement's
        assert found.code == credential.code
        graduate = [c.amount for c in credential.credits if c.kind == "graduate" and c.amount]
        assert [c.amount for c in found.credits] == ([max(graduate)] if graduate else [])
        own = front_matter(found.source).get("scales", {})
        scales = {s.levels for s in back.site.scales.values()} | {tuple(levels) for levels in own.values()}
        for part in credential.parts:
            assert f"scored {' / '.join(part.scale.levels)}, passes at “{part.pass_level}”" in found.body
            assert part.scale.levels in scales, credential.slug


def test_each_carried_field_is_written_from_a_badge_that_has_it(cli, tmp_path) -> None:
    old = {k: v for k, v in badge_class("Old One").items() if k not in ("@context", "type", "id", "criteria")}
    old |= {
        "criteria": "https://x.org/c",
        "issuer": "https://x.org/i",
        "alignment": [{"name": "A", "url": "https://x.org/a"}],
    }
    full = {
        "import: Open Badges 2.0": badge_class(
            image={"id": data_uri(png())},
            version="2.0",
            **{"@language": "es-MX"},
            **{"extensions:ectsExtension": {"type": ["Extension", "extensions:ectsExtension"], "ECTS": 2}},
        ),
        "import: Open Badges 3.0": {
            **ACHIEVEMENT,
            "image": {"id": data_uri(SVG, "image/svg+xml"), "type": "Image"},
            "alignment": [{"type": ["Alignment"], "targetName": "A", "targetUrl": "https://x.org/a"}],
        },
        "import: Open Badges 1.0": {**old, "image": data_uri(png())},
    }
    for shape in IMPORT_SHAPES:
        folder = tmp_path / re.sub(r"\W+", "-", shape.format)
        content, badges = catalog_with(folder, {"a.json": full[shape.format]})
        assert cli("import", "--content", content, badges).code == 0
        (path,) = (content / "credentials").glob("*.md")
        assert sorted(shape.carried) == sorted(front_matter(path).keys() - {"status"}), shape.format


def test_a_local_image_must_be_a_real_file_beside_its_source(cli, tmp_path) -> None:
    content, badges = catalog_with(
        tmp_path,
        {"a.json": [badge_class("Up", image="../secret.svg"), badge_class("Abs", image="/etc/badge.svg")]},
    )
    write_files(tmp_path, {"secret.svg": SVG})
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    assert "$[0]: image: '../secret.svg' is neither a web address nor a file beside the source; not carried" in run.err
    assert "$[1]: image: '/etc/badge.svg' is neither a web address nor a file beside the source; not carried" in run.err
    assert not (content / "assets").exists()
    (badges / "linked.svg").symlink_to(tmp_path / "secret.svg")
    write_files(badges, {"a.json": json.dumps(badge_class("Linked", image="linked.svg"))})
    linked = cli("import", "--content", content, badges)
    assert lines_of(linked, tmp_path)[0].startswith(
        "badges/a.json: $: the image badges/linked.svg: the file is a link; content files and folders"
    )
    assert linked.code == 1


# One command for every source


def test_a_spreadsheet_imports_through_the_same_command_into_drafts_that_pass_check(cli, tmp_path) -> None:
    content = write_files(tmp_path / "content", {"site.yml": SITE_YML})
    sheet = ROOT / "docs/examples/catalog.csv"
    run = cli("import", "--content", content, sheet)
    assert run.code == 0, run.err
    written = sorted(p.name for p in (content / "credentials").glob("*.md"))
    assert written == ["evaluacion-del-aprendizaje.md", "feedback-revision-and-growth.md"]
    feedback = front_matter(content / "credentials/feedback-revision-and-growth.md")
    assert (feedback["version"], feedback["status"], feedback["source"]) == ("1.10", "draft", {"id": "FRG-1"})
    assert feedback["fee"] == {"amount": 125.0, "currency": "USD"}
    check = cli("check", "--content", content)
    assert check.code == 0 and "Traceback" not in check.err
    # A bad cell anywhere stops the whole run: the two drafts above stay as they were.
    broken = write_files(tmp_path / "more", {"more.csv": "title,code,hours\nNew one,NEW-1,12h\n"})
    before = {p.name: p.read_bytes() for p in (content / "credentials").iterdir()}
    again = cli("import", "--content", content, sheet, broken / "more.csv")
    assert again.code == 1 and "more.csv:2: row 2" in again.err and "'hours'" in again.err
    assert {p.name: p.read_bytes() for p in (content / "credentials").iterdir()} == before


def test_import_gives_each_new_file_a_ctid_when_the_site_registers_and_keeps_it(cli, tmp_path) -> None:
    org = "ce-0b6e2a4c-8d1f-4e3a-9b7c-5f2d1e0a3c4b"
    site = SITE_YML + f"    url: https://example.org/catalog/\n    credential_engine:\n      organisation_ctid: {org}\n"
    content = write_files(tmp_path / "content", {"site.yml": site})
    badges = write_files(tmp_path / "badges", {"a.json": json.dumps(badge_class())})
    assert cli("import", "--content", content, badges).code == 0
    path = content / "credentials/facilitating-peer-feedback.md"
    ctid = front_matter(path)["ctid"]
    assert re.fullmatch(r"ce-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", ctid)
    assert cli("check", "--content", content).code == 0
    assert cli("import", "--content", content, badges).code == 0  # an update never changes a CTID
    assert front_matter(path)["ctid"] == ctid


def test_an_issuers_own_url_and_email_come_with_its_name_and_the_organisation_keeps_site_ymls(cli, tmp_path) -> None:
    own = {"id": "https://x.org/i", "type": "Profile", "name": "Partner University"}
    own |= {"url": "https://partner.example.edu/", "email": "badges@partner.example.edu"}
    ours = {"id": "https://x.org/o", "type": "Profile", "name": "Test Organisation", "url": "https://elsewhere.org/"}
    sources = {"a.json": [badge_class("First", issuer=own), badge_class("Second", issuer=ours)]}
    content, badges = catalog_with(tmp_path, sources)
    assert cli("import", "--content", content, badges).code == 0
    first = front_matter(content / "credentials/first.md")
    assert first["issuer"] == {"name": "Partner University", **{k: own[k] for k in ("url", "email")}}
    assert front_matter(content / "credentials/second.md")["issuer"] == "Test Organisation"
    check = cli("check", "--content", content)
    assert check.code == 0 and "url or email" not in check.err, check.err

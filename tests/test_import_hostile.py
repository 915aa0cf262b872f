"""`import` on hostile badge files and spreadsheets: imported text is untrusted, as content is. Each test
proves one promise: nothing is written outside the content folder, every bad input ends in a located error
and never a traceback, and what is written reads back exactly and passes `check`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from test_import import badge_class, data_uri, png

from conftest import SITE_YML, write_files

# Nothing is written outside the content folder


def _catalog(tmp_path: Path, badges: dict[str, Any]) -> tuple[Path, Path]:
    content = write_files(tmp_path / "content", {"site.yml": SITE_YML})
    files = {name: value if isinstance(value, str) else json.dumps(value) for name, value in badges.items()}
    return content, write_files(tmp_path / "badges", files)


def _refused(run: Any, root: Path) -> list[str]:
    assert run.code == 1, run.err
    assert "Traceback" not in run.err and "unexpected error" not in run.err, run.err
    assert "nothing was written" in run.err
    return [line.replace(f"{root}/", "") for line in run.err.splitlines()]


def test_a_credentials_folder_that_is_a_link_is_refused_and_nothing_is_written_through_it(cli, tmp_path) -> None:
    content, badges = _catalog(tmp_path, {"peer.json": badge_class()})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (content / "credentials").symlink_to(elsewhere)
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert (
        "content/credentials: this is a link; import writes only into real folders of the content folder "
        "(replace it with a folder)" in lines
    )
    assert list(elsewhere.iterdir()) == []


def test_an_imported_images_folder_that_is_a_link_is_refused(cli, tmp_path) -> None:
    content, badges = _catalog(tmp_path, {"peer.json": badge_class(image=data_uri(png()))})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (content / "assets").mkdir()
    (content / "assets/imported").symlink_to(elsewhere)
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert any(line.startswith("content/assets/imported: this is a link;") for line in lines)
    assert list(elsewhere.iterdir()) == []
    assert not (content / "credentials").exists()


def test_a_link_planted_at_the_temporary_name_is_replaced_not_written_through(cli, tmp_path) -> None:
    content, badges = _catalog(tmp_path, {"peer.json": badge_class()})
    outside = tmp_path / "outside.md"
    outside.write_text("kept\n")
    (content / "credentials").mkdir()
    # The writer's temporary name is predictable: a pull request could plant a link there.
    (content / f"credentials/.facilitating-peer-feedback.md.{os.getpid()}.import").symlink_to(outside)
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    assert outside.read_text() == "kept\n"
    assert "title: Facilitating Peer Feedback" in (content / "credentials/facilitating-peer-feedback.md").read_text()
    assert sorted(p.name for p in (content / "credentials").iterdir()) == ["facilitating-peer-feedback.md"]


def test_an_image_reached_through_a_linked_folder_beside_the_source_is_refused(cli, tmp_path) -> None:
    content, badges = _catalog(tmp_path, {"peer.json": badge_class(image="art/badge.png")})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "badge.png").write_bytes(png())
    (badges / "art").symlink_to(elsewhere)
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert (
        "badges/peer.json: $: image: 'art/badge.png' leads through 'art', a link, which can lead anywhere "
        "(put the image itself beside the badge file, or in a real folder there)" in lines
    )
    assert sorted(p.name for p in content.iterdir()) == ["site.yml"]


# Every bad input is a located error, never a traceback


def test_a_number_too_long_for_python_to_read_is_an_error_at_its_file(cli, tmp_path) -> None:
    text = json.dumps(badge_class())[:-1] + ', "version": ' + "9" * 5000 + "}"
    content, badges = _catalog(tmp_path, {"long.json": text})
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert "badges/long.json: not valid JSON: a number too long to read (no badge has such a number)" in lines


def test_a_key_given_twice_is_an_error_not_a_guess(cli, tmp_path) -> None:
    text = json.dumps(badge_class())[:-1] + ', "name": "Another Name"}'
    content, badges = _catalog(tmp_path, {"twice.json": text})
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert (
        "badges/twice.json: the key 'name' appears twice in one object "
        "(keep one of them: readers differ on which one counts)" in lines
    )
    assert sorted(p.name for p in content.iterdir()) == ["site.yml"]


# What is written reads back exactly and passes check


def test_a_badge_too_long_for_a_content_file_is_refused_at_its_badge(cli, tmp_path) -> None:
    long = badge_class(description="A long badge.\n\n" + "Word " * 500_000)
    content, badges = _catalog(tmp_path, {"long.json": long})
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert (
        "badges/long.json: $: cannot be written: its file would be larger than 2 MB, more than a content file may be "
        "(shorten its description or criteria)" in lines
    )
    assert sorted(p.name for p in content.iterdir()) == ["site.yml"]


def test_a_heading_in_a_description_cannot_replace_a_section_the_author_wrote(cli, tmp_path) -> None:
    content, badges = _catalog(tmp_path, {"peer.json": badge_class()})
    assert cli("import", "--content", content, badges).code == 0
    written = content / "credentials/facilitating-peer-feedback.md"
    written.write_text(written.read_text() + "\n## Method components\n\nThe author's own words.\n")
    description = "The educator runs a peer feedback protocol.\n\n## Method components\n\nThe badge's words."
    (badges / "peer.json").write_text(json.dumps(badge_class(description=description)))
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    text = written.read_text()
    assert "## Method components\n\nThe author's own words." in text
    assert "## Description\n\n### Method components\n\nThe badge's words.\n\n## Criteria" in text


def _issuer(name: str = "Riverbend Teachers' Center", **profile: str) -> dict[str, str]:
    return {"id": "https://example.org/issuer", "type": "Issuer", "name": name, **profile}


def test_an_issuer_given_in_full_by_one_badge_and_by_name_by_another_is_described_once(cli, tmp_path) -> None:
    full = _issuer(url="https://riverbend.example.org", email="pd@riverbend.example.org")
    content, badges = _catalog(
        tmp_path,
        {"a.json": badge_class("Peer Feedback", issuer=full), "b.json": badge_class("Data Literacy", issuer=_issuer())},
    )
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    assert (
        "note: badges/b.json $: issuer: 'Riverbend Teachers' Center' has the url and email that badges/a.json $ "
        "gives it" in run.err.replace(f"{tmp_path}/", "")
    )
    assert (
        "issuer:\n  name: Riverbend Teachers' Center\n  url: https://riverbend.example.org\n"
        in (content / "credentials/data-literacy.md").read_text()
    )
    check = cli("check", "--content", content)
    assert check.code == 0, check.err


def test_an_issuer_two_badges_describe_differently_is_an_error_at_the_second(cli, tmp_path) -> None:
    one = _issuer(url="https://riverbend.example.org", email="pd@riverbend.example.org")
    other = _issuer(url="https://riverbend.example.com", email="pd@riverbend.example.org")
    content, badges = _catalog(
        tmp_path, {"a.json": badge_class("Peer Feedback", issuer=one), "b.json": badge_class("Data", issuer=other)}
    )
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert (
        "badges/b.json: $: the issuer 'Riverbend Teachers' Center' is described differently in badges/a.json $ "
        "(give it the same url and email in every badge: one Issuer Profile describes it)" in lines
    )
    assert sorted(p.name for p in content.iterdir()) == ["site.yml"]


# A file in the way is named, and nothing is half-written


def test_an_imported_file_turned_into_a_link_is_named_as_a_link_and_never_written_through(cli, tmp_path) -> None:
    content, badges = _catalog(tmp_path, {"peer.json": badge_class()})
    assert cli("import", "--content", content, badges).code == 0
    written = content / "credentials/facilitating-peer-feedback.md"
    outside = tmp_path / "outside.md"
    outside.write_text(written.read_text())
    before = outside.read_text()
    written.unlink()
    written.symlink_to(outside)
    (badges / "peer.json").write_text(json.dumps(badge_class(description="Changed since.")))
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert (
        "badges/peer.json: $: the badge 'Facilitating Peer Feedback' would be written as "
        "content/credentials/facilitating-peer-feedback.md, which cannot be read: the file is a link; content files "
        "and folders must be real ones, as a link can lead anywhere "
        "(make it a readable file again, or rename it, then import again)" in lines
    )
    assert outside.read_text() == before
    assert written.is_symlink()


def test_a_folder_named_like_the_new_file_is_an_error_and_no_other_file_is_written(cli, tmp_path) -> None:
    content, badges = _catalog(tmp_path, {"a.json": badge_class("Aardvarks"), "z.json": badge_class("Zebras")})
    (content / "credentials/zebras.md").mkdir(parents=True)
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert (
        "badges/z.json: $: the badge 'Zebras' would be written as content/credentials/zebras.md, which is not a file "
        "(move or rename it, then import again)" in lines
    )
    assert [p.name for p in (content / "credentials").iterdir()] == ["zebras.md"]


def test_a_folder_in_the_place_of_an_updated_image_is_an_error_and_nothing_is_written(cli, tmp_path) -> None:
    content, badges = _catalog(tmp_path, {"a.json": badge_class(image=data_uri(png()))})
    assert cli("import", "--content", content, badges).code == 0
    written = content / "credentials/facilitating-peer-feedback.md"
    before = written.read_text()
    image = content / "assets/imported/facilitating-peer-feedback.png"
    image.unlink()
    image.mkdir()
    (badges / "a.json").write_text(json.dumps(badge_class(description="Changed since.", image=data_uri(png()))))
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    assert (
        "badges/a.json: $: content/assets/imported/facilitating-peer-feedback.png is in the way: it is not a file "
        "(move or rename it, then import again)" in lines
    )
    assert written.read_text() == before
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name]


def test_a_rename_the_system_refuses_is_one_line_and_leaves_no_temporary_file(cli, tmp_path, monkeypatch) -> None:
    content, badges = _catalog(tmp_path, {"a.json": badge_class("Aardvarks"), "z.json": badge_class("Zebras")})
    replace = os.replace
    calls: list[str] = []

    def refuse_the_second(source: Any, target: Any) -> None:
        calls.append(str(target))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", refuse_the_second)
    run = cli("import", "--content", content, badges)
    assert run.code == 1
    assert run.err.splitlines()[-1] == (
        "import failed: No space left on device (free some space, or build on another disk with --out and --cache)"
    )
    assert not [p.name for p in (content / "credentials").iterdir() if p.name.startswith(".")]


# Broken text is located at its key


def test_half_a_character_escaped_in_json_is_an_error_naming_its_key(cli, tmp_path) -> None:
    text = json.dumps(badge_class(tags=["ok", "SURROGATE"]))
    content, badges = _catalog(
        tmp_path,
        {
            "name.json": text.replace('"name": "Facilitating', r'"name": "\udfffFacilitating'),
            "tags.json": text.replace("SURROGATE", r"broken \ud800 text"),
        },
    )
    lines = _refused(cli("import", "--content", content, badges), tmp_path)
    hint = "(the program that wrote it cut a character: export it again)"
    for name in ("name", "tags"):
        message = f"'{name}' holds half of a character (an escaped lone surrogate such as \\ud800)"
        assert f"badges/{name}.json: {message} {hint}" in lines


def test_a_data_uri_saying_base64_in_capitals_is_decoded_as_base64(cli, tmp_path) -> None:
    uri = data_uri(png()).replace(";base64,", ";BASE64,")
    content, badges = _catalog(tmp_path, {"peer.json": badge_class(image=uri)})
    run = cli("import", "--content", content, badges)
    assert run.code == 0, run.err
    assert (content / "assets/imported/facilitating-peer-feedback.png").read_bytes() == png()

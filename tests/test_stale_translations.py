"""Stale translations: `translated_from:` records what a translation was made from; `check` warns, at that line,
with both files and what changed, when the original changes after it; `check --fix-translations` and
`new translation SLUG LANG` write it."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SITE_YML, credential_md, write_files

ORIGINAL = "credentials/first.md"
TRANSLATION = "credentials/first.es.md"
FIX_HINT = "(update the translation, then run `python build.py check --fix-translations`)"
BODY = "Intro line.\n\n## Method components\n\nHow it is done.\n\n## Research\n\nWhat is known."


def bilingual(tmp_path: Path, original: str | None = None) -> Path:
    """A catalog in en and es whose one credential has a Spanish translation written by `new translation`."""
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML + "    languages: [en, es]\n",
            ORIGINAL: original or credential_md("First", body=BODY),
            "stacks/only.md": "---\ntitle: Only\nsummary: The one stack.\norder: 1\ncredentials: [first]\n---\n",
        },
    )
    return content


def translate(cli, content: Path) -> Path:
    """`new translation` of the stack and the credential, then Spanish words in place of some English ones."""
    for slug in ("only", "first"):
        run = cli("new", "translation", slug, "es", "--content", content)
        assert run.code == 0, run.err
    path = content / TRANSLATION
    text = path.read_text(encoding="utf-8")
    for english, spanish in (
        ("title: First", "title: Primera"),
        ("summary: A one-line summary.", "summary: Un resumen de una línea."),
        ("## Research\n\nWhat is known.", "## Investigación\n\nLo que se sabe."),
    ):
        assert english in text
        text = text.replace(english, spanish)
    path.write_text(text, encoding="utf-8")
    return path


def edit(path: Path, *changes: tuple[str, str]) -> None:
    text = path.read_bytes().decode("utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_bytes(text.encode("utf-8"))


def line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def problem_lines(run, content: Path) -> list[str]:
    """The located problems a run printed (not what the fixer says it wrote)."""
    assert "Traceback" not in run.err
    return [line for line in run.err.splitlines() if re.match(rf"{re.escape(str(content))}/\S+:\d+: ", line)]


# --- check warns at translated_from, with both files and what changed ---------------------------------------------


def test_an_edited_field_and_section_of_the_original_are_named_with_both_files(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translation = translate(cli, content)
    edit(content / ORIGINAL, ("title: First", "title: First steps"), ("What is known.", "What is known today."))
    run = cli("check", "--content", content)
    assert run.code == 0, run.err  # a warning: the build goes on, showing the older translation
    assert problem_lines(run, content) == [
        f"{content}/{TRANSLATION}:{line_of(translation, 'translated_from:')}: warning: title and section 'Research' "
        f"changed in {content}/{ORIGINAL} since this translation {FIX_HINT}"
    ]
    assert cli("check", "--content", content, "--strict").code == 1


def test_a_text_inside_the_requirements_is_named_by_its_path(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translation = translate(cli, content)
    edit(
        content / ORIGINAL,
        ("      - title: Clarity", "      - title: Clear writing"),
        ("Passing: Clear.", "Passing: Clear and brief."),
    )
    run = cli("check", "--content", content)
    assert problem_lines(run, content) == [
        f"{content}/{TRANSLATION}:{line_of(translation, 'translated_from:')}: warning: "
        "requirements[1].criteria[1].levels.Passing and requirements[1].criteria[1].title changed in "
        f"{content}/{ORIGINAL} since this translation {FIX_HINT}"
    ]


def test_texts_and_sections_added_or_removed_are_named(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translate(cli, content)
    edit(
        content / ORIGINAL,
        ('version: "1.0"\n', 'version: "1.0"\ntags: [design]\n'),
        ("## Method components\n\nHow it is done.\n\n", ""),
        ("What is known.", "What is known.\n\n## Resources\n\nA list."),
        ("    word_limit: 200\n", "    word_limit: 200\n    prompts: [Why?]\n"),
    )
    run = cli("check", "--content", content)
    [line] = problem_lines(run, content)
    assert line.endswith(
        ": warning: requirements changed; tags and section 'Resources' added; section 'Method components' removed "
        f"in {content}/{ORIGINAL} since this translation {FIX_HINT}"
    )


# --- and stays quiet when what a translator translates did not change ---------------------------------------------


def test_an_unchanged_original_gives_no_warning(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translate(cli, content)
    run = cli("check", "--content", content, "--strict")
    assert run.code == 0, run.err
    assert problem_lines(run, content) == []


def test_yaml_formatting_structural_fields_and_line_endings_of_the_original_change_nothing(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translate(cli, content)
    original = content / ORIGINAL
    edit(
        original,
        ("title: First\n", "# a comment\ntitle: 'First'\n"),
        ("summary: A one-line summary.\n", "summary: >-\n  A one-line\n  summary.\n"),
        ("published: 2024-01-01\n", "published: 2025-02-03\nhours: 12\ncode: X-1\n"),
        ("    word_limit: 200\n", "    word_limit: 300\n"),
        ("key_method: The earner does one thing.\n", ""),
        ("requirements:\n", "key_method: The earner does one thing.\nrequirements:\n"),
        ("How it is done.", "How it is done.   "),
    )
    original.write_bytes(original.read_bytes().replace(b"\n", b"\r\n"))
    run = cli("check", "--content", content, "--strict")
    assert run.code == 0, run.err
    assert problem_lines(run, content) == []


def test_a_field_or_body_the_translation_leaves_to_the_original_is_not_its_to_follow(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translation = translate(cli, content)
    text = translation.read_text(encoding="utf-8")
    translation.write_text(text[: text.rindex("---\n") + 4].replace("key_method: The earner does one thing.\n", ""))
    edit(content / ORIGINAL, ("The earner does one thing.", "The earner does two things."), ("known.", "known now."))
    run = cli("check", "--content", content)
    assert problem_lines(run, content) == []
    # A text it gives is still followed.
    edit(content / ORIGINAL, ("summary: A one-line summary.", "summary: Another summary."))
    [line] = problem_lines(cli("check", "--content", content), content)
    assert ": warning: summary changed in " in line


def test_many_changed_texts_are_counted_after_the_first_seven(cli, tmp_path: Path) -> None:
    levels = "".join(f"          L{i}: Level {i}.\n" for i in range(10))
    scale = "  passing: [" + ", ".join(f"L{i}" for i in range(10)) + "]\n"
    original = (
        credential_md("First", body=BODY)
        .replace("          Passing: Clear.\n          Not yet: Unclear.\n", levels)
        .replace("    pass: Passing\n", "    pass: L0\n")
    )
    content = bilingual(tmp_path, original)
    (content / "site.yml").write_text(
        (content / "site.yml").read_text(encoding="utf-8").replace("  passing: [Passing, Not yet]\n", scale)
    )
    translate(cli, content)
    edit(content / ORIGINAL, *((f"Level {i}.", f"Level {i}!") for i in range(10)))
    [line] = problem_lines(cli("check", "--content", content), content)
    named = ", ".join(f"requirements[1].criteria[1].levels.L{i}" for i in range(7))
    assert f": warning: {named} and 3 more changed in {content}/{ORIGINAL} since this translation" in line


# --- a translation without translated_from -----------------------------------------------------------------------


def test_a_translation_without_translated_from_is_a_suggestion_to_run_the_fixer(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    (content / TRANSLATION).write_text("---\ntitle: Primera\n---\nCuerpo.\n", encoding="utf-8")
    assert problem_lines(cli("check", "--content", content), content) == []
    run = cli("check", "--content", content, "--strict")
    assert run.code == 1
    assert (
        f"{content}/{TRANSLATION}:2: this translation has no translated_from, so check cannot tell when "
        f"{content}/{ORIGINAL} changes (once it says what the original says, run "
        "`python build.py check --fix-translations`)"
    ) in problem_lines(run, content)


def test_a_translated_from_that_is_not_what_the_fixer_writes_is_an_error_at_its_line(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    (content / TRANSLATION).write_text(
        "---\ntitle: Primera\ntranslated_from:\n  digest: nothex\n---\nCuerpo.\n", encoding="utf-8"
    )
    run = cli("check", "--content", content)
    assert run.code == 1
    assert (
        f"{content}/{TRANSLATION}:4: 'translated_from.digest' should be 12 hexadecimal digits, not 'nothex'"
    ) in problem_lines(run, content)


def test_a_hostile_translated_from_is_a_located_error_that_the_fixer_replaces(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translation = content / TRANSLATION
    for value in (
        "yes",
        "[1, 2]",
        "{digest: 5c1e9a0b7d3f, fields: {title: zz}}",
        '{digest: 5c1e9a0b7d3f, sections: {"\\e[2J": abc}}',
        "{digest: 5c1e9a0b7d3f, fields: {title: " + "abcd" * 100_000 + "}}",  # not three digits a text
    ):
        translation.write_text(f"---\ntitle: Primera\ntranslated_from: {value}\n---\nCuerpo.\n", encoding="utf-8")
        run = cli("check", "--content", content)
        assert run.code == 1, value[:60]
        lines = problem_lines(run, content)
        assert lines and all(line.startswith(f"{content}/{TRANSLATION}:3: ") for line in lines), lines
        assert "\x1b" not in run.err
        fixed = cli("check", "--content", content, "--fix-translations")
        assert fixed.code == 0, fixed.err
        assert f"{content}/{TRANSLATION}: updated translated_from (" in fixed.err
        assert problem_lines(fixed, content) == []
    # An alias is refused where the translation is read, and the fixer leaves the file as it was.
    aliased = "---\ntitle: &t Primera\nsummary: *t\ntranslated_from: yes\n---\nCuerpo.\n"
    translation.write_text(aliased, encoding="utf-8")
    run = cli("check", "--content", content, "--fix-translations")
    assert run.code == 1
    assert f"{content}/{TRANSLATION}: left as it was: its front matter does not read" in run.err
    assert translation.read_text(encoding="utf-8") == aliased


# --- check --fix-translations ------------------------------------------------------------------------------------


def test_fix_translations_writes_translated_from_and_check_is_quiet_after(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translation = content / TRANSLATION
    translation.write_text("---\ntitle: Primera\n# the Spanish summary\nsummary: Un resumen.\n---\nCuerpo.\n")
    run = cli("check", "--content", content, "--fix-translations")
    assert run.code == 0, run.err
    assert problem_lines(run, content) == []
    [said] = [line for line in run.err.splitlines() if "translated_from" in line]
    assert re.fullmatch(rf"{content}/{TRANSLATION}: wrote translated_from \([0-9a-f]{{12}}\)", said)
    text = translation.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Primera\n# the Spanish summary\nsummary: Un resumen.\ntranslated_from:\n")
    assert text.endswith("\n---\nCuerpo.\n")
    # Nothing changed since: a second run writes nothing.
    again = cli("check", "--content", content, "--fix-translations")
    assert "translated_from" not in again.err
    assert translation.read_text(encoding="utf-8") == text


def test_fix_translations_updates_the_block_in_place_keeping_crlf_and_every_other_byte(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translation = translate(cli, content)
    translation.write_bytes(translation.read_bytes().replace(b"\n", b"\r\n"))
    before = translation.read_bytes()
    edit(content / ORIGINAL, ("What is known.", "What is known today."))
    assert len(problem_lines(cli("check", "--content", content), content)) == 1
    run = cli("check", "--content", content, "--fix-translations")
    assert f"{content}/{TRANSLATION}: updated translated_from (" in run.err
    assert problem_lines(run, content) == []
    after = translation.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    start = before.index(b"translated_from:")
    end = before.index(b"\r\n---\r\n", start)
    assert after[:start] == before[:start]
    assert after[after.index(b"\r\n---\r\n", start) :] == before[end:]
    assert after[start:].count(b"translated_from:") == 1


def test_fix_translations_leaves_the_translation_of_a_broken_original_as_it_was(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    translation = translate(cli, content)
    edit(content / ORIGINAL, ("What is known.", "What is known today."))
    edit(content / ORIGINAL, ("summary: A one-line summary.\n", "summary: [broken\n"))
    before = translation.read_bytes()
    run = cli("check", "--content", content, "--fix-translations")
    assert run.code == 1
    assert f"{content}/{TRANSLATION}: left as it was: {content}/{ORIGINAL} has errors" in run.err
    assert translation.read_bytes() == before


# --- new translation SLUG LANG -----------------------------------------------------------------------------------


def test_new_translation_holds_the_originals_texts_and_body_and_passes_check(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    assert cli("new", "translation", "only", "es", "--content", content).code == 0
    run = cli("new", "translation", "first", "es", "--content", content)
    assert run.code == 0, run.err
    path = content / TRANSLATION
    assert run.out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# A translation into es of credentials/first.md.\n")
    for line in ("title: First", "summary: A one-line summary.", "  - title: Overview", "          Passing: Clear."):
        assert f"\n{line}\n" in text
    for fact in ("version:", "published:", "scale:", "pass:", "word_limit:"):
        assert fact not in text
    assert text.endswith("\n---\n" + BODY + "\n")
    assert line_of(path, "translated_from:") > line_of(path, "requirements:")
    check = cli("check", "--content", content, "--strict")
    assert check.code == 0, check.err
    assert problem_lines(check, content) == []


def test_new_translation_refuses_an_existing_file_an_unknown_slug_and_another_language(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    assert cli("new", "translation", "first", "es", "--content", content).code == 0
    for args, said in (
        (("first", "es"), f"catalog new: {content}/{TRANSLATION} already exists; edit it, or delete it to start again"),
        (("second", "es"), "catalog new: there is no credential, stack, bundle or page with the slug 'second'"),
        (
            ("first", "fr"),
            "catalog new: 'fr' is not one of site.yml's other languages (es); add it to languages: [en, es, fr] first",
        ),
        (("first", "en"), "catalog new: 'en' is not one of site.yml's other languages (es)"),
        (("first", "../x"), "catalog new: '../x' is not a language tag; give one like es, fr or pt-BR"),
        (("../first", "es"), "catalog new: '../first' is not a slug"),
    ):
        run = cli("new", "translation", *args, "--content", content)
        assert run.code == 1, run.err
        assert run.err.startswith(said), run.err
        assert "Traceback" not in run.err
    usage = cli("new", "translation", "first", "--content", content)
    assert usage.code == 2
    assert "a translation needs a slug and a language" in usage.err
    assert sorted(p.name for p in (content / "credentials").iterdir()) == ["first.es.md", "first.md"]
    assert not (content / "stacks/only.es.md").exists()


def test_new_translation_in_a_catalog_of_one_language_says_how_to_add_one(cli, project: Path) -> None:
    run = cli("new", "translation", "first", "es", "--content", project)
    assert run.code == 1
    assert run.err == (
        "catalog new: 'es' is not one of site.yml's other languages (none yet); add it to languages: [en, es] first\n"
    )
    assert not (project / TRANSLATION).exists()


def test_new_translation_of_a_stack_and_a_page(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    write_files(content, {"pages/about.md": "---\ntitle: About\n---\nWho we are.\n"})
    for slug, written, fields in (
        ("only", "stacks/only.es.md", "title: Only\nsummary: The one stack.\n"),
        ("about", "pages/about.es.md", "title: About\n"),
    ):
        assert cli("new", "translation", slug, "es", "--content", content).code == 0
        text = (content / written).read_text(encoding="utf-8")
        assert fields + "translated_from:\n" in text
        assert "order:" not in text and "credentials:" not in text
    assert cli("new", "translation", "first", "es", "--content", content).code == 0
    run = cli("check", "--content", content, "--strict")
    assert run.code == 0, run.err


def test_new_translation_quotes_texts_and_level_names_yaml_would_misread(cli, tmp_path: Path) -> None:
    original = (
        credential_md("First", body=BODY)
        .replace("scale: passing\n    pass: Passing\n", "scale: mixed\n    pass: 'Got it: yes'\n")
        .replace("Passing: Clear.", "'Got it: yes': 'yes'")
        .replace(
            "    word_limit: 200\n", "    word_limit: 200\n    prompts: ['#1: why?', '- a dash', \"it's 'quoted'\"]\n"
        )
    )
    content = bilingual(tmp_path, original)
    site = content / "site.yml"
    edit(site, ("  got-it: [Got it, Not yet]\n", "  got-it: [Got it, Not yet]\n  mixed: ['Got it: yes', Not yet]\n"))
    assert cli("new", "translation", "only", "es", "--content", content).code == 0
    assert cli("new", "translation", "first", "es", "--content", content).code == 0
    run = cli("check", "--content", content, "--strict")
    assert run.code == 0, run.err
    edit(content / ORIGINAL, ("'#1: why?'", "'#1: why not?'"))
    [line] = problem_lines(cli("check", "--content", content), content)
    assert ": warning: requirements[1].prompts[1] changed in " in line


def test_new_translation_of_a_slug_two_kinds_share_takes_its_folder(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    write_files(content, {"pages/first.md": "---\ntitle: First page\n---\nText.\n"})
    run = cli("new", "translation", "first", "es", "--content", content)
    assert run.code == 1
    assert run.err == (
        f"catalog new: the slug 'first' names more than one file ({content}/{ORIGINAL}, {content}/pages/first.md); "
        "give its folder too, like credentials/first\n"
    )
    assert cli("new", "translation", "pages/first", "es", "--content", content).code == 0
    assert (content / "pages/first.es.md").read_text(encoding="utf-8").count("title: First page\n") == 1
    assert not (content / TRANSLATION).exists()

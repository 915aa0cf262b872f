"""The site's own words in each of its languages: site.yml's title and description given per language (on every
page, in the feed and in catalog.json of that language), the tool's words in Arabic and Japanese from their
shipped message catalogs, and site.yml's fonts checked at the line of each entry."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ONLY_STACK, credential_md, write_files

SITE = """
    title:
      en: Teaching in Two Languages
      es: Enseñar en dos idiomas
    description:
      en: Micro-credentials for bilingual educators.
      es: Microcredenciales para docentes bilingües.
    url: https://example.org/catalog/
    organisation: {name: Lakeside Network, url: "https://example.org/", email: hello@example.org}
    languages: [en, es]
    scales:
      passing: {levels: [Passing, Not yet], es: [Aprobado, Aún no]}
"""


def bilingual(root: Path, site: str = SITE) -> Path:
    return write_files(
        root / "content",
        {"site.yml": site, "credentials/first.md": credential_md("First"), "stacks/only.md": ONLY_STACK},
    )


def built(cli, content: Path, out: Path, *more: str) -> Path:  # type: ignore[no-untyped-def]
    run = cli("build", "--content", content, "--out", out, "--no-pdf", *more)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_names(page: BeautifulSoup) -> dict[str, str]:
    """Everywhere a page names the site: its <title>, description, Open Graph site name and header link."""
    title, link = page.title, page.select_one("a.site-title")
    description = page.select_one('meta[name="description"]')
    og = page.select_one('meta[property="og:site_name"]')
    assert title is not None and link is not None and description is not None and og is not None
    return {
        "title": title.get_text(),
        "description": str(description["content"]),
        "og": str(og["content"]),
        "header": link.get_text(strip=True),
    }


def refused(cli, content: Path, out: Path) -> list[str]:  # type: ignore[no-untyped-def]
    run = cli("build", "--content", content, "--out", out, "--no-pdf")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert not out.exists()
    return [line.removeprefix(f"{content}/") for line in run.err.splitlines()]


# Promise: site.yml's title and description, given per language, are each language's on its pages and data.


def test_a_title_and_description_given_per_language_name_each_languages_index_and_pages(cli, tmp_path: Path) -> None:
    out = built(cli, bilingual(tmp_path), tmp_path / "dist")
    assert site_names(soup(out / "index.html")) == {
        "title": "Teaching in Two Languages",
        "description": "Micro-credentials for bilingual educators.",
        "og": "Teaching in Two Languages",
        "header": "Teaching in Two Languages",
    }
    assert site_names(soup(out / "es/index.html")) == {
        "title": "Enseñar en dos idiomas",
        "description": "Microcredenciales para docentes bilingües.",
        "og": "Enseñar en dos idiomas",
        "header": "Enseñar en dos idiomas",
    }
    index = soup(out / "es/index.html")
    assert [h.get_text(strip=True) for h in index.select("h1")] == ["Enseñar en dos idiomas"]
    assert index.select_one("p.lead").get_text(strip=True) == "Microcredenciales para docentes bilingües."
    for page in ("es/credentials/first/index.html", "es/stacks/only/index.html", "es/404.html"):
        names = site_names(soup(out / page))
        assert names["title"].endswith(" · Enseñar en dos idiomas") and names["og"] == "Enseñar en dos idiomas", page
        assert "Teaching in Two Languages" not in (out / page).read_text(encoding="utf-8"), page
    for page in ("credentials/first/index.html", "stacks/only/index.html", "404.html"):
        assert site_names(soup(out / page))["title"].endswith(" · Teaching in Two Languages"), page


def test_each_languages_feed_and_catalog_data_carry_its_title_and_description(cli, tmp_path: Path) -> None:
    out = built(cli, bilingual(tmp_path), tmp_path / "dist")
    spanish = json.loads((out / "es/catalog.json").read_text(encoding="utf-8"))
    english = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert (spanish["title"], spanish["description"]) == (
        "Enseñar en dos idiomas",
        "Microcredenciales para docentes bilingües.",
    )
    assert (english["title"], english["description"]) == (
        "Teaching in Two Languages",
        "Micro-credentials for bilingual educators.",
    )
    feed = BeautifulSoup((out / "es/feed.xml").read_text(encoding="utf-8"), "xml")
    assert feed.feed.find("title", recursive=False).get_text() == (
        "Enseñar en dos idiomas: microcredenciales nuevas y actualizadas"
    )
    default_feed = BeautifulSoup((out / "feed.xml").read_text(encoding="utf-8"), "xml")
    assert default_feed.feed.find("title", recursive=False).get_text() == (
        "Teaching in Two Languages: new and changed micro-credentials"
    )


def test_a_plain_title_is_the_same_in_every_language_and_strict_does_not_list_it(cli, tmp_path: Path) -> None:
    site = SITE.replace(
        "title:\n      en: Teaching in Two Languages\n      es: Enseñar en dos idiomas\n", "title: Lakeside\n"
    )
    content = bilingual(tmp_path, site)
    out = built(cli, content, tmp_path / "dist")
    index = soup(out / "es/index.html")
    assert site_names(index)["title"] == "Lakeside" and not index.select_one("h1").has_attr("lang")
    run = cli("check", "--content", content, "--strict")
    assert "stacks/only.md: this stack has no translation into 'es'" in run.err  # strict does list what it should
    assert "site.yml" not in run.err


# Promise: a language left out shows the default's, and check --strict lists it; a wrong one is a located error.


def test_a_language_left_out_shows_the_default_languages_words_and_check_strict_lists_it(cli, tmp_path: Path) -> None:
    site = SITE.replace("      es: Microcredenciales para docentes bilingües.\n", "")
    content = bilingual(tmp_path, site)
    out = built(cli, content, tmp_path / "dist")
    assert site_names(soup(out / "es/index.html"))["description"] == "Micro-credentials for bilingual educators."
    assert site_names(soup(out / "es/index.html"))["title"] == "Enseñar en dos idiomas"
    # The English shown on a Spanish page says it is English; the Spanish title does not.
    index = soup(out / "es/index.html")
    assert index.select_one("p.lead")["lang"] == "en" and not index.select_one("h1").has_attr("lang")
    assert not index.select_one("a.site-title").has_attr("lang")
    plain = cli("check", "--content", content)
    assert plain.code == 0 and "site.yml" not in plain.err, plain.err
    strict = cli("check", "--content", content, "--strict")
    assert strict.code == 1
    lines = [line.removeprefix(f"{content}/") for line in strict.err.splitlines()]
    assert (
        "site.yml:4: 'description' is not given in 'es': pages in 'es' show the default language's "
        "(add es: with the description in that language)"
    ) in lines
    assert not any(line.startswith("site.yml:1:") for line in lines), lines


def test_a_title_in_a_language_the_site_does_not_have_is_an_error_at_its_line(cli, tmp_path: Path) -> None:
    site = SITE.replace("      es: Enseñar en dos idiomas\n", "      es: Enseñar en dos idiomas\n      fr: Enseigner\n")
    lines = refused(cli, bilingual(tmp_path, site), tmp_path / "dist")
    assert "site.yml:4: 'fr' is not one of the site's languages (site.yml's languages lists them: en, es)" in lines


def test_a_title_without_the_default_language_is_an_error_at_the_title(cli, tmp_path: Path) -> None:
    site = SITE.replace("      en: Teaching in Two Languages\n", "")
    lines = refused(cli, bilingual(tmp_path, site), tmp_path / "dist")
    assert (
        "site.yml:1: 'title' is not given in 'en', the default language "
        "(add en: with the title in the default language, beside the others)"
    ) in lines


def test_a_title_given_as_a_list_is_an_error_naming_both_forms(cli, tmp_path: Path) -> None:
    site = SITE.replace(
        "title:\n      en: Teaching in Two Languages\n      es: Enseñar en dos idiomas\n",
        "title: [Teaching, Enseñar]\n",
    )
    lines = refused(cli, bilingual(tmp_path, site), tmp_path / "dist")
    assert any(line.startswith("site.yml:1: 'title'") for line in lines), lines


# Promise: the tool's own words in Arabic and Japanese, from the shipped catalogs, with Arabic's plural forms.

ARABIC_SITE = """
    title: شهادات مصغّرة للمعلمين
    organisation:
      name: شبكة البحيرة
    language: {language}
    scales:
      passing: [ناجح, ليس بعد]
"""


def one_language(root: Path, language: str, hours: str) -> Path:
    credential = credential_md("الأولى", f"hours: {hours}\n").replace("pass: Passing", "pass: ناجح")
    credential = credential.replace("Passing: Clear.", "ناجح: Clear.").replace("Not yet: Unclear.", "ليس بعد: No.")
    return write_files(
        root / "content",
        {
            "site.yml": ARABIC_SITE.format(language=language),
            "credentials/first.md": credential,
            "stacks/only.md": ONLY_STACK,
        },
    )


def test_an_arabic_catalog_says_the_tools_words_in_arabic_with_a_plural_form_for_each_count(
    cli, tmp_path: Path
) -> None:
    for hours, said in (
        ("1", "ساعة واحدة تقريبًا"),
        ("2", "ساعتان تقريبًا"),
        ("3", "3 ساعات تقريبًا"),
        ("12.5", "12.5 ساعة تقريبًا"),
    ):
        out = built(cli, one_language(tmp_path / hours, "ar", hours), tmp_path / hours / "dist")
        page = soup(out / "credentials/first/index.html")
        assert page.html is not None and (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
        text = " ".join(page.get_text(" ").split())
        assert said in text, hours
    for words in ("دليل التقييم", "متطلبات التقديم", "الطريقة الأساسية", "حد أقصى", "انتقل إلى المحتوى"):
        assert words in text.replace("حدًّا أقصى", "حد أقصى"), words
    assert "Scoring guide" not in text and "Key method" not in text


def test_a_japanese_catalog_says_the_tools_words_in_japanese(cli, tmp_path: Path) -> None:
    out = built(cli, one_language(tmp_path, "ja", "12.5"), tmp_path / "dist")
    page = soup(out / "credentials/first/index.html")
    assert page.html is not None and page.html["lang"] == "ja" and not page.has_attr("dir")
    text = " ".join(page.get_text(" ").split())
    for words in ("評価ガイド", "提出要件", "中心となる手法", "約 12.5 時間", "各回答 200 語以内", "本文へスキップ"):
        assert words in text, words
    assert "Scoring guide" not in text and "Key method" not in text


# Promise: a language with a region or script (pt-BR, es-419, zh-Hant) is named in its own words wherever a page
# links its versions, and in the reader's words where a credential says its language.

REGIONAL_SITE = """
    title: Teaching Everywhere
    organisation: {name: Lakeside Network, url: "https://example.org/", email: hello@example.org}
    languages: [en, pt-BR, es-419, zh-Hant]
    scales:
      passing:
        levels: [Passing, Not yet]
        pt-BR: [Aprovado, Ainda não]
        es-419: [Aprobado, Aún no]
        zh-Hant: [通過, 尚未]
"""


def test_languages_with_a_region_or_script_are_named_in_their_own_words(cli, tmp_path: Path) -> None:
    out = built(cli, bilingual(tmp_path, REGIONAL_SITE), tmp_path / "dist")
    for page in ("index.html", "pt-BR/index.html", "pt-BR/credentials/first/index.html"):
        links = soup(out / page).select("nav.languages a")
        named = {str(link["hreflang"]): link.get_text(strip=True) for link in links}
        assert named == {
            "en": "English",
            "pt-BR": "português (Brasil)",
            "es-419": "español (Latinoamérica)",
            "zh-Hant": "中文 (繁體)",
        }, page
    # The credential is shown untranslated: the notice names both languages in the reader's words.
    for language, said in (("pt-BR", "português (Brasil)"), ("es-419", "español (Latinoamérica)")):
        notice = soup(out / language / "credentials/first/index.html").select_one(".translation-notice")
        assert notice is not None and said in notice.get_text(), language
        assert "English" not in notice.get_text(), language


# Promise: a font problem in site.yml's fonts is reported at the line of the bad entry.


def test_each_bad_font_is_reported_at_its_own_line_not_at_fonts(cli, tmp_path: Path) -> None:
    site = SITE + "    fonts:\n      - assets/fonts/Missing.woff2\n      - assets/fonts/Fake.ttf\n"
    content = bilingual(tmp_path, site)
    write_files(content, {"assets/fonts/Fake.ttf": b"<script>not a font</script>"})
    lines = refused(cli, content, tmp_path / "dist")
    assert (
        "site.yml:13: the font 'assets/fonts/Missing.woff2' does not exist "
        "(put the file in content/assets/ and give its path from the content folder)"
    ) in lines
    assert (
        "site.yml:14: the font 'assets/fonts/Fake.ttf' cannot be published: the file is not a TTF file, whatever its "
        "name says (replace it with a real file of its type, saved inside content/assets/)"
    ) in lines
    assert not any(line.startswith("site.yml:12:") for line in lines), lines

"""Catalogs in several languages: site.yml's languages, translation files (<slug>.<lang>.md) laid over their
originals, every output per language under /<lang>/, the switcher, hreflang and the sitemap's alternates, the
fallback notice, PDFs per language, search and open data per language, and incremental builds."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf

from catalog.build import BuildOptions, build

from conftest import SAMPLE, assert_refused, write_files

URL = "https://example.org/catalog/"

SITE = """
    title: Test catalog
    url: https://example.org/catalog/
    organisation:
      name: Test Organisation
    languages: [en, es]
    scales:
      passing: {levels: [Passing, Not yet], es: [Aprobado, Aún no]}
"""

FIRST = """
    ---
    title: First
    summary: The first summary.
    key_method: The earner does one thing.
    version: "1.0"
    published: 2024-01-01
    hours: 5
    requirements:
      - title: Overview
        scale: passing
        pass: Passing
        word_limit: 200
        prompts: [What is it?, Why?]
        criteria:
          - title: Clarity
            levels:
              Passing: Clear.
              Not yet: Unclear.
    ---
    The body, with [a link](second.md).
"""

FIRST_ES = """
    ---
    title: Primera
    summary: El primer resumen.
    key_method: Quien la obtiene hace una cosa.
    version: "1.0"
    requirements:
      - title: Resumen
        prompts: [¿Qué es?, ¿Por qué?]
        criteria:
          - title: Claridad
            levels:
              Passing: Claro.
              Not yet: Poco claro.
    ---
    El cuerpo, con [un enlace](second.md).
"""

SECOND = """
    ---
    title: Second
    summary: The second summary.
    key_method: The earner does two things.
    version: "2.1"
    published: 2024-03-01
    requirements:
      - title: Overview
        scale: passing
        pass: Passing
        criteria:
          - title: Depth
            levels:
              Passing: Deep.
              Not yet: Shallow.
    ---
    Second body.
"""

STACK = """
    ---
    title: Only stack
    summary: The one stack.
    order: 1
    credentials: [first, second]
    ---
    The stack's story.
"""

STACK_ES = """
    ---
    title: La única pila
    ---
"""

PAGE = """
    ---
    title: About
    summary: What this is.
    ---
    About us.
"""

PAGE_ES = """
    ---
    title: Acerca de
    summary: Qué es esto.
    ---
    Sobre nosotros.
"""


def bilingual(root: Path, **extra: str) -> Path:
    """A catalog in en and es: one credential, the page and (in part) the stack translated, one credential not."""
    files = {
        "site.yml": SITE,
        "credentials/first.md": FIRST,
        "credentials/first.es.md": FIRST_ES,
        "credentials/second.md": SECOND,
        "stacks/only.md": STACK,
        "stacks/only.es.md": STACK_ES,
        "pages/about.md": PAGE,
        "pages/about.es.md": PAGE_ES,
    }
    return write_files(root / "content", {**files, **extra})


def build_html(cli, content: Path, out: Path, *more: str) -> None:
    run = cli("build", "--content", content, "--out", out, "--no-pdf", *more)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str]]] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = found.get("lang", "")
        for name in ("href", "src"):
            if name in found:
                self.links.append((tag, {**found, "target": found[name]}))


def parsed(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def resolve(out: Path, page: Path, target: str) -> Path | None:
    """The file a link from `page` leads to, or None for a link away from the site."""
    parts = urlsplit(target)
    if parts.scheme in ("mailto",):
        return None
    if parts.scheme or parts.netloc:
        if not target.startswith(URL):
            return None
        found = out / unquote(parts.path.removeprefix(urlsplit(URL).path))
    elif not parts.path:
        return page
    elif parts.path.startswith("/"):  # the root's 404 page, which Pages serves at any depth, links from the root
        found = out / unquote(parts.path.removeprefix(urlsplit(URL).path))
    else:
        found = page.parent / unquote(parts.path)
    found = Path(os.path.normpath(found))
    return found / "index.html" if target.endswith("/") or found.is_dir() else found


# Promise: every page links its versions in the other languages, and every such link resolves.


def test_every_link_switcher_and_hreflang_of_every_language_resolves(cli, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_html(cli, bilingual(tmp_path), out)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 2 * 6  # index, 404, a stack, two credentials and a page, in each language
    for page in pages:
        links = parsed(page)
        relative = page.relative_to(out).as_posix()
        spanish = relative.startswith("es/")
        assert links.lang == ("es" if spanish else "en"), relative
        for tag, attrs in links.links:
            target = resolve(out, page, attrs["target"])
            assert target is None or target.is_file(), f"{relative}: {tag} {attrs['target']}"
        alternates = {a["hreflang"]: a["href"] for t, a in links.links if t == "link" and "hreflang" in a}
        switcher = {a["hreflang"]: a["href"] for t, a in links.links if t == "a" and "hreflang" in a}
        assert set(alternates) == {"en", "es", "x-default"} and set(switcher) == {"en", "es"}, relative
        own = relative.removeprefix("es/")
        assert alternates["en"] == alternates["x-default"] == URL + own.removesuffix("index.html")
        assert alternates["es"] == URL + "es/" + own.removesuffix("index.html")
        for language, href in switcher.items():
            assert resolve(out, page, href) == out / (("es/" if language == "es" else "") + own), relative
    html = (out / "credentials/first/index.html").read_text()
    assert '<a href="index.html" hreflang="en" lang="en" aria-current="page">English</a>' in html
    assert '<a href="../../es/credentials/first/index.html" hreflang="es" lang="es">español</a>' in html


def test_the_default_language_keeps_its_addresses_and_each_other_language_has_its_own_under_its_tag(
    cli, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    build_html(cli, bilingual(tmp_path), out)
    for own in ("index.html", "404.html", "feed.xml", "catalog.json", "credentials/first/index.html"):
        assert (out / own).is_file() and (out / "es" / own).is_file(), own
    assert (out / "credentials/first/achievement.json").is_file()
    assert (out / "es/credentials/first/achievement.json").is_file()
    assert (out / "es/credentials/first/badge.svg").is_file()  # the generated badge names it in Spanish
    assert not (out / "es/static").exists()  # the theme's files and the assets are shared
    sitemap = (out / "sitemap.xml").read_text()
    assert (
        f"<url><loc>{URL}es/credentials/first/</loc><lastmod>2024-01-01</lastmod>"
        f'<xhtml:link rel="alternate" hreflang="en" href="{URL}credentials/first/"/>'
        f'<xhtml:link rel="alternate" hreflang="es" href="{URL}es/credentials/first/"/>'
        f'<xhtml:link rel="alternate" hreflang="x-default" href="{URL}credentials/first/"/></url>'
    ) in sitemap
    assert sitemap.count("<url>") == 10 and not (out / "es/sitemap.xml").exists()


# Promise: a translation's words replace its original's, facts come from the original, and what a
# translation leaves out (or a missing translation) is shown in the default language with a notice.


def test_a_translated_page_is_in_its_language_with_the_scale_named_in_it(cli, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_html(cli, bilingual(tmp_path), out)
    html = (out / "es/credentials/first/index.html").read_text()
    for words in ("<h1>Primera</h1>", "El primer resumen.", "Claridad", "Poco claro.", "¿Por qué?", "Aún no"):
        assert words in html, words
    assert "Aprobado" in html and "Passing" not in html
    assert "translation-notice" not in html
    assert '<a href="../second/index.html">un enlace</a>' in html  # a link to a page: its Spanish version
    assert "Unas 5 horas" in html  # a fact from the original, in Spanish words
    stack = (out / "es/stacks/only/index.html").read_text()
    assert "<h1>La única pila</h1>" in stack and "The one stack." in stack  # the summary not translated yet
    assert "<p>The stack's story.</p>" in stack  # no body of its own: the original's


def test_a_page_with_no_translation_is_shown_in_the_default_language_with_a_notice_in_the_readers(
    cli, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    build_html(cli, bilingual(tmp_path), out)
    html = (out / "es/credentials/second/index.html").read_text()
    assert (
        '<p class="status-notice translation-notice">Esta página aún no está traducida al español, '
        "por eso se muestra en inglés.</p>"
    ) in html
    assert '<html lang="es">' in html
    assert '<article class="credential" style="--stack: #1f6f8b" lang="en" data-pagefind-body>' in html
    assert "<h1>Second</h1>" in html
    # The default language's pages have no notice.
    assert "translation-notice" not in (out / "credentials/second/index.html").read_text()


# Promise: a translation that contradicts its original, or that has no place in the site, is a located error.


def test_a_translation_giving_another_fact_is_an_error_at_its_own_line(cli, tmp_path: Path) -> None:
    changed = FIRST_ES.replace('version: "1.0"', 'version: "2.0"').replace(
        "- title: Resumen", "- title: Resumen\n        scale: other"
    )
    lines = assert_refused(
        cli,
        bilingual(tmp_path, **{"credentials/first.es.md": changed}),
        tmp_path / "dist",
        "credentials/first.es.md:5: 'version'",
    )
    assert (
        "credentials/first.es.md:5: 'version' is '2.0' here but '1.0' in first.md "
        "(a translation repeats its original's facts or leaves them out: change them in the original)"
    ) in lines
    assert (
        "credentials/first.es.md:8: 'requirements[1].scale' is 'other' here but 'passing' in first.md "
        "(a translation repeats its original's facts or leaves them out: change them in the original)"
    ) in lines


def test_a_translated_list_of_another_length_is_an_error(cli, tmp_path: Path) -> None:
    shorter = FIRST_ES.replace("prompts: [¿Qué es?, ¿Por qué?]", "prompts: [¿Qué es?]")
    lines = assert_refused(
        cli,
        bilingual(tmp_path, **{"credentials/first.es.md": shorter}),
        tmp_path / "dist",
        "credentials/first.es.md:8: 'requirements[1].prompts'",
    )
    assert (
        "credentials/first.es.md:8: 'requirements[1].prompts' has 1 item(s) here and 2 in first.md "
        "(a translation gives the same items in the same order; leave the list out to show the original's)"
    ) in lines


def test_a_level_renamed_in_a_translation_is_an_error(cli, tmp_path: Path) -> None:
    renamed = FIRST_ES.replace("Passing: Claro.", "Aprobado: Claro.")
    lines = assert_refused(
        cli,
        bilingual(tmp_path, **{"credentials/first.es.md": renamed}),
        tmp_path / "dist",
        "credentials/first.es.md:12: 'Aprobado'",
    )
    assert (
        "credentials/first.es.md:12: 'Aprobado' is not a level name in first.md "
        "(keep the original's names: Passing, Not yet)"
    ) in lines


def test_a_translation_into_a_language_the_site_does_not_have_is_an_error(cli, tmp_path: Path) -> None:
    lines = assert_refused(
        cli,
        bilingual(tmp_path, **{"credentials/first.fr.md": STACK_ES}),
        tmp_path / "dist",
        "credentials/first.fr.md: 'fr'",
    )
    assert (
        "credentials/first.fr.md: 'fr' is not one of the site's other languages "
        "(add 'fr' to languages in site.yml (its other languages: es); if the file is not a translation, rename it "
        "to first-fr.md)"
    ) in lines


def test_a_translation_without_its_original_is_an_error(cli, tmp_path: Path) -> None:
    lines = assert_refused(
        cli,
        bilingual(tmp_path, **{"credentials/thrid.es.md": STACK_ES}),
        tmp_path / "dist",
        "credentials/thrid.es.md: this translation",
    )
    assert (
        "credentials/thrid.es.md: this translation has no original: there is no credentials/thrid.md "
        "(name a translation after its original's file, <slug>.<lang>.md, beside it)"
    ) in lines


def test_site_languages_and_scale_names_that_disagree_are_errors(cli, tmp_path: Path) -> None:
    site = SITE.replace("languages: [en, es]", "language: fr\n    languages: [en, es]").replace(
        "es: [Aprobado, Aún no]", "es: [Aprobado, Aún no, Nunca], de: [Bestanden, Noch nicht]"
    )
    lines = assert_refused(
        cli, bilingual(tmp_path, **{"site.yml": site}), tmp_path / "dist", "site.yml:5: language is 'fr'"
    )
    assert (
        "site.yml:5: language is 'fr' but languages starts with 'en' "
        "(the first of languages is the default language: remove language, or make them agree)"
    ) in lines
    assert (
        "site.yml:8: the scale 'passing' has 2 levels but 3 names in 'es' (name every level, in the same order)"
        in lines
    )
    assert "site.yml:8: 'de' is not one of the site's other languages (site.yml's languages lists them: es)" in lines


# Promise: check --strict lists what is not translated yet; a plain check and build do not fail on it.


def test_check_strict_lists_missing_translations_and_untranslated_fields(cli, tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    # Each translation says what it was translated from (test_stale_translations.py proves what that does).
    assert cli("check", "--content", content, "--fix-translations").code == 0
    run = cli("check", "--content", content, "--strict")
    assert run.code == 1
    lines = [line.removeprefix(f"{content}/") for line in run.err.splitlines()]
    assert any(
        line.startswith("credentials/second.md: this credential has no translation into 'es' (pages in 'es' show it")
        for line in lines
    ), lines
    assert any(
        line.startswith("stacks/only.es.md: the translation into 'es' leaves summary, the body in the original's")
        for line in lines
    ), lines
    assert not any(line.startswith(("credentials/first", "pages/about")) for line in lines), lines


def test_a_field_whose_original_holds_no_words_is_not_counted_untranslated(cli, tmp_path: Path) -> None:
    # The original's review gives days only: the translation has no words of it to give.
    first = FIRST.replace("    hours: 5\n", "    hours: 5\n    review:\n      days: 21\n")
    content = bilingual(tmp_path, **{"credentials/first.md": first})
    assert cli("check", "--content", content, "--fix-translations").code == 0  # it says what it was translated from
    run = cli("check", "--content", content, "--strict")
    assert not [line for line in run.err.splitlines() if "first.es.md" in line], run.err
    noted = first.replace("      days: 21\n", "      days: 21\n      note: Reviewers are teachers.\n")
    content = bilingual(tmp_path / "noted", **{"credentials/first.md": noted})
    run = cli("check", "--content", content, "--strict")
    assert "credentials/first.es.md: the translation into 'es' leaves review in the original's language" in run.err


# Promise: one PDF per credential per language, in that language.


def pdf_text(path: Path) -> tuple[str, pypdf.PdfReader]:
    reader = pypdf.PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_each_language_has_its_own_pdf_in_that_language(cli, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    run = cli("build", "--content", bilingual(tmp_path), "--out", out)
    assert run.code == 0, run.err
    text, reader = pdf_text(out / "es/credentials/first/first.es.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert reader.metadata is not None and reader.metadata.title == "Primera: requisitos y guía de evaluación"
    for words in ("Primera", "Claridad", "Aprobado", "Aún no", "Guía de evaluación"):
        assert words in text, words
    english, reader = pdf_text(out / "credentials/first/first.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "en" and "Passing" in english and "Aprobado" not in english
    page = (out / "es/credentials/first/index.html").read_text()
    assert 'href="first.es.pdf" download' in page
    # Not translated: its Spanish page links the English PDF, marked as English, rather than a copy of it.
    assert not list((out / "es/credentials/second").glob("*.pdf"))
    page = (out / "es/credentials/second/index.html").read_text()
    assert 'href="../../../credentials/second/second.pdf" hreflang="en" download' in page
    assert "Depth" in pdf_text(out / "credentials/second/second.pdf")[0]


# Promise: search and open data per language.


def test_search_feed_catalog_data_and_badges_exist_in_each_language(cli, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_html(cli, bilingual(tmp_path), out)
    entry = json.loads((out / "es/pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["es"]
    assert list(json.loads((out / "pagefind/pagefind-entry.json").read_text())["languages"]) == ["en"]
    index = (out / "es/index.html").read_text()
    assert 'href="pagefind/pagefind-ui.css"' in index
    data = json.loads((out / "es/catalog.json").read_text())
    assert data["language"] == "es"
    first, second = data["credentials"]
    assert (first["title"], first["page"], first["pdf"]) == (
        "Primera",
        "es/credentials/first/index.html",
        "es/credentials/first/first.es.pdf",
    )
    assert second["title"] == "Second" and second["language"] == "en"
    assert json.loads((out / "catalog.json").read_text())["credentials"][0]["title"] == "First"
    achievement = json.loads((out / "es/credentials/first/achievement.json").read_text())
    assert achievement["id"] == URL + "es/credentials/first/achievement.json"
    assert achievement["inLanguage"] == "es" and achievement["name"] == "Primera"
    # Its criteria narrative in Spanish too, the tool's words as well as the author's; the same in the BadgeClass.
    narrative = achievement["criteria"]["narrative"]
    assert narrative.startswith("**Método clave.**") and "cada parte debe alcanzar su nivel de aprobado" in narrative
    assert "Key method" not in narrative and "Part 1" not in narrative
    default = json.loads((out / "credentials/first/achievement.json").read_text())
    assert default["id"] == URL + "credentials/first/achievement.json" and default["inLanguage"] == "en"
    badgeclass = json.loads((out / "es/credentials/first/badgeclass.json").read_text())
    assert badgeclass["name"] == "Primera" and badgeclass["issuer"] == URL + "issuer.json"
    assert badgeclass["criteria"]["narrative"] == narrative
    assert (out / "issuer.json").is_file() and not (out / "es/issuer.json").exists()  # one Profile per issuer
    feed = (out / "es/feed.xml").read_text()
    assert (
        "<title>Nueva: Primera (versión 1.0)</title>" in feed and "<title>Nueva: Second (versión 2.1)</title>" in feed
    )
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es">' in feed
    page = (out / "es/credentials/first/index.html").read_text()
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert ld is not None and json.loads(ld.group(1))["inLanguage"] == "es"


# Promise: editing one translation renders that language's pages that show it, and its PDF, only.


def test_editing_one_translation_renders_only_its_language_page_and_pdf(tmp_path: Path) -> None:
    content = bilingual(tmp_path)
    out = tmp_path / "dist"
    options = BuildOptions(content, out, jobs=2)
    first = build(options)
    assert sorted(first.rendered_pdfs) == ["first", "first.es", "second"]  # second has no Spanish translation
    path = content / "credentials/first.es.md"
    path.write_text(path.read_text().replace("El primer resumen.", "Un resumen nuevo."))
    report = build(options)
    assert report.rendered_pdfs == ["first.es"]
    assert all(page.startswith("es/") for page in report.rendered_pages), report.rendered_pages
    assert "es/credentials/first/index.html" in report.rendered_pages
    assert "Un resumen nuevo." in (out / "es/credentials/first/index.html").read_text()
    assert build(options).unchanged


# Promise: a catalog in one language is built exactly as before languages existed.


def without_language_lines(text: str) -> str:
    """A page of a two-language site without what only such a site has: its alternates and its switcher."""
    text = re.sub(r'<link rel="alternate" hreflang="[^"]+" href="[^"]+">\n', "", text)
    return re.sub(r'    <nav class="languages".*?</nav>\n', "", text, flags=re.S)


def test_a_one_language_catalog_is_unchanged_by_languages(cli, tmp_path: Path) -> None:
    """The sample in English only, built with `language: en` and with `languages: [en]`, is the same; and a
    second language (with no translation at all) adds to the default language's pages only the alternates and
    the switcher."""
    plain, listed = tmp_path / "plain", tmp_path / "listed"
    for copy, languages in ((plain, "language: en"), (listed, "languages: [en]")):
        shutil.copytree(SAMPLE, copy, ignore=lambda _, names: [n for n in names if n.endswith(".es.md")])
        site = copy / "site.yml"
        text = re.sub(r"^languages: \[en, es\]$", languages, site.read_text(), flags=re.M)
        site.write_text(re.sub(r", es: \[[^]]*\]", "", text))  # the scales' Spanish names
    assert ", es" not in (plain / "site.yml").read_text()
    build_html(cli, plain, tmp_path / "a")
    build_html(cli, listed, tmp_path / "b")

    def outputs(out: Path) -> set[Path]:
        # Pagefind names its filter files differently on each run, whatever the pages.
        return {p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.relative_to(out).parts[0] != "pagefind"}

    files = outputs(tmp_path / "a")
    assert files == outputs(tmp_path / "b")
    for relative in files:
        assert (tmp_path / "a" / relative).read_bytes() == (tmp_path / "b" / relative).read_bytes(), relative
    assert not any("hreflang" in p.read_text() for p in (tmp_path / "a").rglob("*.html"))
    site.write_text(site.read_text().replace("languages: [en]", "languages: [en, es]"))
    build_html(cli, listed, tmp_path / "c")
    for page in (tmp_path / "a").rglob("*.html"):
        relative = page.relative_to(tmp_path / "a")
        assert without_language_lines((tmp_path / "c" / relative).read_text()) == page.read_text(), relative
        assert (tmp_path / "c/es" / relative).is_file()


# Promise: the search on a language's index searches that language's pages, in a real browser.


def test_the_spanish_index_searches_spanish_pages_and_the_switcher_leads_back(page, pages_server, tmp_path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    url = pages_server(out, "/catalog/")
    assert build(BuildOptions(bilingual(tmp_path), out, pdf=False, base_url=url)).rendered_pages
    page.goto(url + "es/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.locator("#search input").fill("cuerpo")  # only in the Spanish body of the first credential
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=15000)
    assert results.all_inner_texts() == ["Primera"]
    results.first.click()
    page.wait_for_url("**/catalog/es/credentials/first/index.html")
    page.get_by_role("navigation", name="Idiomas").get_by_role("link", name="English").click()
    page.wait_for_url("**/catalog/credentials/first/index.html")
    assert page.locator("h1").inner_text() == "First"


# Promise: a right-to-left language's pages run right to left, and English shown in them runs left to right.


def test_an_arabic_edition_runs_right_to_left_around_english_it_shows_untranslated(cli, tmp_path: Path) -> None:
    site = SITE.replace("languages: [en, es]", "languages: [en, es, ar]")
    out = tmp_path / "dist"
    build_html(cli, bilingual(tmp_path, **{"site.yml": site}), out)
    html = (out / "ar/credentials/first/index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="credential" style="--stack: #1f6f8b" lang="en" dir="ltr" data-pagefind-body>' in html
    english = (out / "credentials/first/index.html").read_text()
    assert 'hreflang="ar" lang="ar" dir="rtl">العربية</a>' in english
    assert '<div data-pagefind-body lang="en" dir="ltr">' in (out / "ar/pages/about/index.html").read_text()

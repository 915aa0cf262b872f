"""The multilingual fixture (tests/fixtures/multilingual: English, Spanish in full, Arabic and Japanese in part)
built once with its PDFs, with the Arabic and Japanese fonts its site.yml names copied in from Debian's Noto
packages, and served under /catalog/: every language's pages in Chromium with axe-core, the PDFs' text in each
language, a crawl of every link between the languages, and the English shown where a translation is missing.

Without Chromium, poppler or the Noto fonts these tests skip locally with the command that installs them, and
fail in CI (conftest.missing_tool).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf
import pytest
import yaml
from babel import Locale
from bs4 import BeautifulSoup, Tag
from test_look import axe_violations
from test_pdf_text import READERS, pdftotext
from test_scripts import embedded_fonts, layout, platform_fonts

from catalog.cli import main

from conftest import FIXTURES, multilingual_content, start_pages_server
from test_browser import ARTIFACTS

FIXTURE = FIXTURES / "multilingual"
LANGUAGES = ("en", "es", "ar", "ja")
SITE = yaml.safe_load((FIXTURE / "site.yml").read_text(encoding="utf-8"))
KINDS = ("credentials", "stacks", "pages")
# The credential each language's pages are looked at through: one translated into that language.
CREDENTIAL = {
    "en": "planning-a-bilingual-lesson",
    "es": "planning-a-bilingual-lesson",
    "ar": "planning-a-bilingual-lesson",
    "ja": "assessing-in-the-home-language",
}
PAGES = {
    "index": "",
    "stack": "stacks/teaching-in-two-languages/",
    "credential": "credentials/{credential}/",
    "page": "pages/about/",
}


def prefix(language: str) -> str:
    """Where a language's pages live: the default language at the root, the others under /<lang>/."""
    return "" if language == LANGUAGES[0] else f"{language}/"


def front_matter(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(data, dict)
    return data


def translations(language: str, kind: str) -> list[str]:
    """The slugs of the fixture's files of a kind translated into a language."""
    return sorted(path.name.split(".")[0] for path in (FIXTURE / kind).glob(f"*.{language}.md"))


def originals(kind: str) -> list[str]:
    return sorted(path.stem for path in (FIXTURE / kind).glob("*.md") if "." not in path.stem)


TRANSLATED_PDFS = [(language, slug) for language in LANGUAGES[1:] for slug in translations(language, "credentials")]
UNTRANSLATED = [
    (language, kind, slug)
    for language in LANGUAGES[1:]
    for kind in KINDS
    for slug in originals(kind)
    if slug not in translations(language, kind)
]


@dataclass(frozen=True)
class Built:
    out: Path
    url: str  # the address the site is served at, and was built for (--base-url)


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The fixture with its two fonts, built once with its PDFs as the Pages workflow builds, served under
    /catalog/ (the build is slow: every test of this file shares it)."""
    root = tmp_path_factory.mktemp("multilingual")
    content = multilingual_content(root / "content")
    out = root / "dist"
    out.mkdir()
    url, server = start_pages_server(out, "/catalog/")
    command = ["build", "--content", content, "--out", out, "--cache", root / "cache", "--base-url", url, "--quiet"]
    assert main([str(part) for part in command]) == 0
    yield Built(out, url)
    server.shutdown()
    server.server_close()


def address(language: str, name: str) -> str:
    return prefix(language) + PAGES[name].format(credential=CREDENTIAL[language])


# Promise: every language's pages pass axe-core, at desktop and phone widths, and Arabic's run right to left.


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_passes_axe_on_index_stack_credential_and_page_and_arabic_is_mirrored(
    browser,  # type: ignore[no-untyped-def]
    multilingual: Built,
    language: str,
    width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    for name in PAGES:
        tab.goto(multilingual.url + address(language, name))
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("document.documentElement.lang") == language, name
        assert tab.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else ""), name
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{language} {name} overflows by {overflow}px at {width}px"
        assert axe_violations(tab) == [], f"{language} {name} at {width}px"
    # The credential page again: its layout, the fonts it is drawn in, and a screenshot for the closing note.
    tab.goto(multilingual.url + address(language, "credential"))
    tab.wait_for_load_state("networkidle")
    side = "right" if language == "ar" else "left"
    assert layout(tab) == {"title": side, "breadcrumb": side, "bar": side}
    # The title's letters in site.yml's fonts, never in one of the machine's; the spaces in the shipped font.
    drawn = {"ar": {"Noto Naskh Arabic", "Source Sans 3 ExtraLight"}, "ja": {"Noto Sans CJK JP"}}
    assert platform_fonts(tab, "h1") == drawn.get(language, {"Source Sans 3 ExtraLight"})
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"multilingual-{language}-credential-{width}.png"), full_page=True)
    context.close()


# Promise: each translated credential's PDF is in its language: text, level names, /Lang, title and fonts.


def level_names(slug: str, language: str) -> list[str]:
    """The level names, in a language, of the scales the credential's requirements are scored on."""
    scales = {part["scale"] for part in front_matter(FIXTURE / "credentials" / f"{slug}.md")["requirements"]}  # type: ignore[attr-defined]
    return [name for scale in sorted(scales) for name in SITE["scales"][scale][language]]


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize(
    ("language", "slug"), TRANSLATED_PDFS, ids=[f"{lang}-{slug}" for lang, slug in TRANSLATED_PDFS]
)
def test_a_translated_credentials_pdf_has_its_title_and_level_names_in_its_language(
    multilingual: Built, language: str, slug: str, reader: str
) -> None:
    pdf = multilingual.out / prefix(language) / "credentials" / slug / f"{slug}.{language}.pdf"
    text = READERS[reader](pdf)
    title = front_matter(FIXTURE / "credentials" / f"{slug}.{language}.md")["title"]
    assert isinstance(title, str)
    assert title in text
    for name in level_names(slug, language):
        assert name in text, name


@pytest.mark.parametrize(
    ("language", "slug"), TRANSLATED_PDFS, ids=[f"{lang}-{slug}" for lang, slug in TRANSLATED_PDFS]
)
def test_a_translated_credentials_pdf_declares_its_language_and_title_and_embeds_only_the_sites_fonts(
    multilingual: Built, language: str, slug: str
) -> None:
    pdf = multilingual.out / prefix(language) / "credentials" / slug / f"{slug}.{language}.pdf"
    reader = pypdf.PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == language
    title = front_matter(FIXTURE / "credentials" / f"{slug}.{language}.md")["title"]
    assert reader.metadata is not None and reader.metadata.title is not None
    # The title, then the tool's words in that language (": requirements and scoring guide", "：要件と評価ガイド").
    assert reader.metadata.title.startswith(title) and len(reader.metadata.title) > len(title)
    fonts = embedded_fonts(pdf)
    # site.yml's fonts are "Site font 1" (Arabic) and "Site font 2" (Japanese), in the order it names them.
    needed = {"ar": "Site-font-1", "ja": "Site-font-2"}
    if language in needed:
        assert needed[language] in fonts, fonts
    # Nothing drawn in a font of the machine's: the output does not depend on the fonts installed.
    assert all(name.startswith(("Source-Sans-3", "Site-font-")) for name in fonts), fonts


# Promise: every link between the languages, and every link to a file of the site, resolves.


def soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def target(out: Path, url: str, page: Path, link: str) -> Path | None:
    """The output file a link from `page` leads to, or None for one away from the site."""
    parts = urlsplit(link)
    if parts.scheme == "mailto" or ((parts.scheme or parts.netloc) and not link.startswith(url)):
        return None
    if parts.scheme or parts.path.startswith("/"):  # the site's absolute addresses; the 404 pages' root paths
        found = out / unquote(parts.path.removeprefix(urlsplit(url).path))
    elif not parts.path:
        return page
    else:
        found = page.parent / unquote(parts.path)
    found = Path(os.path.normpath(found))
    return found / "index.html" if found.is_dir() else found


def alternates(out: Path, url: str, page: Path) -> dict[str, Path | None]:
    """A page's hreflang alternates, x-default included: language -> the output file it names."""
    found = {}
    for link in soup(page).select("link[rel=alternate][hreflang]"):
        found[str(link["hreflang"])] = target(out, url, page, str(link["href"]))
    return found


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_link_to_a_file_of_the_site_resolves_from_every_page_of_every_language(multilingual: Built) -> None:
    out, url = multilingual.out, multilingual.url
    pages = html_pages(out)
    assert len(pages) == len(LANGUAGES) * (3 + 2 + 4)  # index, 404 and the page; two stacks; four credentials
    checked = 0
    for page in pages:
        for element in soup(page).find_all(href=True) + soup(page).find_all(src=True):
            link = str(element.get("href") or element.get("src"))
            found = target(out, url, page, link)
            assert found is None or found.is_file(), f"{page.relative_to(out)}: {link}"
            checked += found is not None
    assert checked > 1000
    # Every language's PDF downloads are among them.
    for language in LANGUAGES:
        for slug in originals("credentials"):
            page = out / prefix(language) / "credentials" / slug / "index.html"
            download = soup(page).select_one(".download a")
            assert download is not None
            assert str(download["href"]).endswith(".pdf")
            assert target(out, url, page, str(download["href"])).is_file()  # type: ignore[union-attr]


def test_the_switcher_and_hreflang_alternates_name_every_language_and_are_reciprocal(multilingual: Built) -> None:
    out, url = multilingual.out, multilingual.url
    for page in html_pages(out):
        if page.name == "404.html":
            continue
        relative = page.relative_to(out).as_posix()
        own = next((lang for lang in LANGUAGES[1:] if relative.startswith(f"{lang}/")), LANGUAGES[0])
        versions = alternates(out, url, page)
        assert list(versions) == [*LANGUAGES, "x-default"], relative
        assert versions[own] == page, relative  # a page names itself among its versions
        assert versions["x-default"] == versions[LANGUAGES[0]], relative
        for language, other in versions.items():
            assert other is not None and other.is_file(), (relative, language)
            assert alternates(out, url, other) == versions, (relative, language)  # reciprocal
        # The switcher names each language in itself and links the same versions.
        switcher = soup(page).select("nav.languages a")
        assert [str(a["hreflang"]) for a in switcher] == list(LANGUAGES), relative
        for link in switcher:
            assert link["lang"] == link["hreflang"]
            assert link.get_text() == Locale.parse(str(link["lang"])).get_display_name(str(link["lang"]))
            assert target(out, url, page, str(link["href"])) == versions[str(link["hreflang"])], relative


def test_the_sitemap_lists_every_page_with_the_same_alternates_as_the_page(multilingual: Built) -> None:
    out, url = multilingual.out, multilingual.url
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = {}
    for entry in ElementTree.parse(out / "sitemap.xml").getroot().findall("s:url", namespaces):
        location = entry.findtext("s:loc", namespaces=namespaces)
        assert location is not None and location.startswith(url)
        page = target(out, url, out / "index.html", location)
        assert page is not None and page.is_file(), location
        listed[page] = {
            str(link.get("hreflang")): target(out, url, out / "index.html", str(link.get("href")))
            for link in entry.findall("x:link[@rel='alternate']", namespaces)
        }
    assert sorted(listed) == [page for page in html_pages(out) if page.name != "404.html"]
    for page, versions in listed.items():
        assert versions == alternates(out, url, page), page.relative_to(out)


# Promise: a page with no translation shows a notice and marks its English as English, for screen readers.


def language_of(element: Tag) -> str:
    """The language an element's text is read in: its own lang, or its nearest ancestor's."""
    while element.get("lang") is None:
        assert element.parent is not None
        element = element.parent
    return str(element["lang"])


@pytest.mark.parametrize(
    ("language", "kind", "slug"), UNTRANSLATED, ids=[f"{lang}-{kind}-{slug}" for lang, kind, slug in UNTRANSLATED]
)
def test_a_page_missing_in_a_language_shows_the_notice_and_marks_its_english_text_as_english(
    multilingual: Built, language: str, kind: str, slug: str
) -> None:
    page = soup(multilingual.out / prefix(language) / kind / slug / "index.html")
    root = page.find("html")
    assert isinstance(root, Tag) and root["lang"] == language
    notice = page.select(".translation-notice")
    assert len(notice) == 1
    assert Locale("en").get_display_name(language) in notice[0].get_text()  # names the original's language
    original = front_matter(FIXTURE / kind / f"{slug}.md")
    h1 = page.find("h1")
    assert isinstance(h1, Tag) and h1.get_text(strip=True) == original["title"]
    assert language_of(h1) == "en"
    body = page.select_one("article.credential, [data-pagefind-body]")
    assert body is not None and body["lang"] == "en"
    assert body.get("dir") == ("ltr" if language == "ar" else None)  # English runs left to right inside Arabic
    for paragraph in body.select(".lead, .prose p, .summary"):
        assert language_of(paragraph) == "en", paragraph


def test_a_translated_page_has_no_notice(multilingual: Built) -> None:
    for language in LANGUAGES[1:]:
        for kind in KINDS:
            for slug in translations(language, kind):
                page = soup(multilingual.out / prefix(language) / kind / slug / "index.html")
                assert page.select(".translation-notice") == [], (language, kind, slug)


# The first page of the Spanish and Arabic PDFs, for the closing note.


@pytest.mark.parametrize("language", ["es", "ar"])
def test_first_page_of_the_spanish_and_arabic_pdfs_rendered_for_the_closing_note(
    multilingual: Built, language: str
) -> None:
    pdftoppm = shutil.which("pdftoppm")
    pdftotext()  # poppler installed, or the skip (or CI failure) that says how to install it
    assert pdftoppm is not None
    slug = CREDENTIAL[language]
    pdf = multilingual.out / prefix(language) / "credentials" / slug / f"{slug}.{language}.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    image = ARTIFACTS / f"multilingual-{language}-pdf"
    subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, image], check=True)
    assert image.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


# Promise: the tool's own sentences, English where the reader's language has no messages (Persian here: no
# catalog ships for it), keep their words in order in a right-to-left page and PDF ("400-word limit", never
# "word limit-400"); in a right-to-left language that has its messages (Arabic), nothing is added.


def test_the_tools_english_sentences_run_left_to_right_in_a_right_to_left_page_and_pdf(
    multilingual: Built, tmp_path: Path
) -> None:
    slug = CREDENTIAL["ar"]
    sentences = ".limits li, .requirements > p, .rubric caption, .licence p, .site-footer p"
    arabic = soup(multilingual.out / "ar" / "credentials" / slug / "index.html")
    assert len(arabic.select(sentences)) == 6  # passing levels, a word limit, two captions, the licence, the footer
    assert all(element.get("dir") is None for element in arabic.select(sentences))
    # The same translation as Persian's, which has no message catalog: the tool's sentences stay English.
    content = multilingual_content(tmp_path / "content")
    for path in content.rglob("*.ar.md"):
        path.rename(path.with_name(path.name.replace(".ar.md", ".fa.md")))
    for path in [*content.rglob("*.es.md"), *content.rglob("*.ja.md")]:
        path.unlink()
    site = content / "site.yml"
    text = site.read_text(encoding="utf-8").replace("[en, es, ar, ja]", "[en, fa]").replace("    ar: [", "    fa: [")
    kept = (line for line in text.splitlines(keepends=True) if not line.startswith(("    es:", "    ja:")))
    site.write_text("".join(kept), encoding="utf-8")
    out = tmp_path / "dist"
    command = ["build", "--content", content, "--out", out, "--base-url", multilingual.url, "--quiet"]
    assert main([str(part) for part in command]) == 0
    persian = soup(out / "fa" / "credentials" / slug / "index.html")
    assert persian.html is not None and persian.html.get("dir") == "rtl"
    found = persian.select(sentences)
    assert len(found) == 6 and all(element.get("dir") == "ltr" for element in found), found
    # Its own text is not marked: it runs right to left with its page.
    assert persian.select(".requirements .part > p")[0].get("dir") is None
    # Where the sentences are in the page's own direction (English), nothing is added.
    english = soup(out / "credentials" / slug / "index.html")
    assert all(element.get("dir") is None for element in english.select(sentences))
    text = READERS["pdftotext"](out / "fa" / "credentials" / slug / f"{slug}.fa.pdf")
    assert "400-word limit for each response" in text
    assert f"{multilingual.url}fa/credentials/{slug}/" in text  # the page's address, never mirrored

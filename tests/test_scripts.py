"""Scripts beyond Latin: the shipped fonts draw Latin Extended, Greek, Cyrillic and Vietnamese on the site and
in the PDFs; site.yml's `fonts:` adds font files for other scripts (Arabic, Japanese here); right-to-left
languages get dir="rtl" and a mirrored layout, in the browser and in the PDF.

The Arabic and Japanese fonts are Debian's (scripts/install-fonts); without them, Chromium or poppler these
tests skip locally with the command that installs them, and fail in CI (conftest.missing_tool).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from test_look import axe_violations
from test_pdf_text import read_with_pdftotext

from catalog.theme import Theme

from conftest import (
    ARABIC_FONT,
    ROOT,
    SITE_YML,
    Run,
    credential_md,
    japanese_font,
    missing_tool,
    system_font,
    write_files,
)
from test_browser import ARTIFACTS

GREEK = "Αξιολόγηση μάθησης"
CYRILLIC = "Оценивание обучения"
VIETNAMESE = "Đánh giá việc học tập"
ARABIC_TITLE = "تصميم مهمة أداء"
ARABIC_STACK = "التقييم القائم على الأداء"
JAPANESE_TITLE = "パフォーマンス課題の設計"


def catalog(root: Path, title: str, body: str, site: str = "", stack_title: str = "Only stack") -> Path:
    """A content folder of one stack of two credentials, the first titled `title`; `site` adds site.yml lines."""
    return write_files(
        root,
        {
            "site.yml": SITE_YML + "".join(f"    {line}\n" for line in site.splitlines()),
            "credentials/first.md": credential_md(title, body=body),
            "credentials/second.md": credential_md("Second"),
            "stacks/only.md": f"---\ntitle: {stack_title}\nsummary: The one stack.\norder: 1\n"
            "credentials: [first, second]\n---\n",
        },
    )


def built(cli, content: Path, *options: str) -> Path:  # type: ignore[no-untyped-def]
    out = content.parent / "dist"
    run: Run = cli("build", "--content", content, "--out", out, *options)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return out


def arabic_catalog(root: Path, language: str = "ar") -> Path:
    content = catalog(
        root,
        ARABIC_TITLE,
        "## الأساليب\n\nيصمم المعلم مهمة أداء ويقيّم عمل الطلاب بدليل تقدير.",
        f"language: {language}\nfonts: [assets/fonts/{ARABIC_FONT.name}]",
        ARABIC_STACK,
    )
    (content / "assets" / "fonts").mkdir(parents=True)
    shutil.copy(system_font(ARABIC_FONT), content / "assets" / "fonts")
    return content


def embedded_fonts(pdf: Path) -> set[str]:
    """The names of the fonts a PDF embeds (their subset prefix left off), read by pypdf."""
    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            if any(key in descendant["/FontDescriptor"] for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]).split("+", 1)[-1].rstrip(","))
    return names


def platform_fonts(tab, selector: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The fonts Chromium really drew an element's own text with (DevTools' "Rendered fonts"), by the names in
    the font files: a web font's, or a font of the machine's marked "(system)"."""
    session = tab.context.new_cdp_session(tab)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"] + ("" if font["isCustomFont"] else " (system)") for font in fonts}


# Shipped fonts: Latin Extended, Greek, Cyrillic and Vietnamese in the theme's own font.


def test_shipped_fonts_embed_greek_cyrillic_and_vietnamese_in_the_pdf_and_give_the_text_back(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    title = f"{GREEK} {CYRILLIC}"
    out = built(cli, catalog(tmp_path / "content", title, f"{VIETNAMESE}. Łódź, Ærøskøbing, Şişli."))
    pdf = out / "credentials" / "first" / "first.pdf"
    fonts = embedded_fonts(pdf)
    for script in ("Greek", "Cyrillic", "Vietnamese", "Latin-Extended"):
        assert any(name.startswith(f"Source-Sans-3-{script}") for name in fonts), (script, fonts)
    assert all(name.startswith("Source-Sans-3") for name in fonts), fonts  # no font of the machine's
    text = read_with_pdftotext(pdf)
    for words in (GREEK, CYRILLIC, VIETNAMESE, "Łódź, Ærøskøbing, Şişli"):
        assert words in text


def test_shipped_fonts_draw_greek_cyrillic_and_vietnamese_on_the_page(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
    pages_server,  # type: ignore[no-untyped-def]
) -> None:
    content = catalog(tmp_path / "content", GREEK, f"{CYRILLIC}\n\n{VIETNAMESE}")
    site = pages_server(built(cli, content, "--no-pdf"), "/")
    tab = browser.new_page()
    tab.goto(site + "credentials/first/")
    tab.wait_for_load_state("networkidle")
    for selector in ("h1", ".prose p:first-of-type", ".prose p:last-of-type"):
        # Fontsource's files name their family "Source Sans 3 ExtraLight" (cut from the variable font).
        assert platform_fonts(tab, selector) == {"Source Sans 3 ExtraLight"}, selector
    assert tab.locator(".prose").inner_text().split("\n")[0] == CYRILLIC
    tab.close()


# site.yml's fonts: files in content/assets/fonts/, checked, used on the site and embedded in the PDFs.


def test_site_fonts_that_are_missing_or_not_fonts_are_located_errors(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    content = catalog(
        tmp_path / "content", "First", "Body.", "fonts:\n  - assets/fonts/Missing.woff2\n  - assets/fonts/Fake.ttf"
    )
    write_files(content, {"assets/fonts/Fake.ttf": b"<script>not a font</script>"})
    out = tmp_path / "dist"
    run = cli("build", "--content", content, "--out", out, "--no-pdf")
    assert run.code == 1
    assert "Traceback" not in run.err
    assert not out.exists()
    lines = [line.removeprefix(f"{content}/") for line in run.err.splitlines()]
    assert (
        "site.yml:8: the font 'assets/fonts/Missing.woff2' does not exist "
        "(put the file in content/assets/ and give its path from the content folder)"
    ) in lines
    assert (
        "site.yml:9: the font 'assets/fonts/Fake.ttf' cannot be published: the file is not a TTF file, whatever its "
        "name says (replace it with a real file of its type, saved inside content/assets/)"
    ) in lines


@pytest.mark.parametrize(
    "path",
    ["assets/Noto.ttf", "assets/fonts/../site.ttf", "assets/fonts/noto.svg", "assets/fonts/a b.ttf", "/etc/x.ttf"],
)
def test_site_fonts_outside_assets_fonts_or_of_another_type_are_refused_at_their_line(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    path: str,
) -> None:
    content = catalog(tmp_path / "content", "First", "Body.", f"fonts:\n  - {path}")
    out = tmp_path / "dist"
    run = cli("check", "--content", content)
    assert run.code == 1
    assert f"site.yml:8: 'fonts[1]' should be a font file's path inside content/assets/fonts/, not '{path}'" in run.err
    assert "Traceback" not in run.err
    assert not out.exists()


# Right to left: the direction follows the language tag wherever a lang attribute is written.


@pytest.mark.parametrize(
    ("language", "root"),
    [
        ("ar", '<html lang="ar" dir="rtl">'),
        ("he", '<html lang="he" dir="rtl">'),
        ("fa", '<html lang="fa" dir="rtl">'),
        ("ar-EG", '<html lang="ar-EG" dir="rtl">'),
        ("ur", '<html lang="ur" dir="rtl">'),
        ("ja", '<html lang="ja">'),
        ("en", '<html lang="en">'),
    ],
)
def test_right_to_left_languages_get_dir_rtl_on_every_page(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    language: str,
    root: str,
) -> None:
    out = built(cli, catalog(tmp_path / "content", "First", "Body.", f"language: {language}"), "--no-pdf")
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        assert page.read_text(encoding="utf-8").splitlines()[1] == root, page


def test_a_credential_in_another_direction_than_its_catalog_gets_its_own_dir(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    content = catalog(tmp_path / "content", "First", "Body.")
    write_files(content, {"credentials/second.md": credential_md(ARABIC_TITLE, "language: ar\n")})
    out = built(cli, content, "--no-pdf")
    page = (out / "credentials" / "second" / "index.html").read_text(encoding="utf-8")
    assert '<article class="credential" style="--stack: #1f6f8b" lang="ar" dir="rtl"' in page
    stack = (out / "stacks" / "only" / "index.html").read_text(encoding="utf-8")
    assert f'<h3 lang="ar" dir="rtl"><a href="../../credentials/second/index.html">{ARABIC_TITLE}</a></h3>' in stack
    english = (out / "credentials" / "first" / "index.html").read_text(encoding="utf-8")
    assert " dir=" not in english.replace('<span lang="ar" dir="rtl">', "")


def layout(tab) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Which side of the page things sit on: the title's text, a part's colour bar, the breadcrumb."""
    return tab.evaluate(
        """() => {
        const main = document.querySelector('main').getBoundingClientRect();
        const middle = (main.left + main.right) / 2;
        const side = (rect) => (rect.left + rect.right) / 2 > middle ? 'right' : 'left';
        const text = (selector) => { const range = document.createRange();
            range.selectNodeContents(document.querySelector(selector)); return range.getBoundingClientRect(); };
        const part = getComputedStyle(document.querySelector('.part'));
        return {
            title: side(text('h1')),
            breadcrumb: side(text('.breadcrumb')),
            bar: part.borderRightWidth !== '0px' && part.borderLeftWidth === '0px' ? 'right'
                : part.borderLeftWidth !== '0px' && part.borderRightWidth === '0px' ? 'left' : 'both',
        };
    }"""
    )


def stack_layout(tab) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Where a pathway's step numbers sit beside their titles."""
    return tab.evaluate(
        """() => {
        const number = document.querySelector('.step-number').getBoundingClientRect();
        const title = document.querySelector('.path-step h3').getBoundingClientRect();
        return {steps: number.left > title.left ? 'right' : 'left'};
    }"""
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_an_arabic_catalog_is_mirrored_in_chromium_and_passes_axe(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
    pages_server,  # type: ignore[no-untyped-def]
    width: int,
) -> None:
    sites = {
        "ar": pages_server(built(cli, arabic_catalog(tmp_path / "ar" / "content"), "--no-pdf"), "/"),
        "en": pages_server(built(cli, arabic_catalog(tmp_path / "en" / "content", "en"), "--no-pdf"), "/"),
    }
    seen = {}
    for language, site in sites.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        tab = context.new_page()
        tab.goto(site + "credentials/first/")
        tab.wait_for_load_state("networkidle")
        seen[language] = layout(tab)
        if language == "ar":
            assert tab.evaluate("() => document.documentElement.dir") == "rtl"
            # The letters in site.yml's font; the spaces between the words in the shipped one.
            assert platform_fonts(tab, "h1") == {"Noto Naskh Arabic", "Source Sans 3 ExtraLight"}
            assert axe_violations(tab) == [], f"Arabic credential page, {width} px"
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / f"arabic-credential-{width}.png"), full_page=True)
        tab.goto(site + "stacks/only/")
        tab.wait_for_load_state("networkidle")
        seen[language] |= stack_layout(tab)
        if language == "ar":
            assert axe_violations(tab) == [], f"Arabic stack page, {width} px"
        context.close()
    assert seen["en"] == {"title": "left", "breadcrumb": "left", "bar": "left", "steps": "left"}
    assert seen["ar"] == {"title": "right", "breadcrumb": "right", "bar": "right", "steps": "right"}


HEADINGS = ("Key method", "Submission requirements", "Scoring guide")


def heading_starts(pdf: Path, language: str) -> dict[str, float]:
    """Where each of the first page's HEADINGS starts, across the page, as pypdf reads the text's position; the
    headings are in the PDF's language (the shipped catalogs' words), named here in English."""
    messages = Theme.with_override(None).messages(language)
    said = {messages.gettext(heading): heading for heading in HEADINGS}
    starts = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip() in said:
            starts[said[text.strip()]] = tm[4]

    pypdf.PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return starts


def test_an_arabic_credential_pdf_is_right_to_left_with_its_title_and_the_site_font_embedded(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    out = built(cli, arabic_catalog(tmp_path / "content"))
    pdf = out / "credentials" / "first" / "first.pdf"
    assert "Site-font-1" in embedded_fonts(pdf)
    text = read_with_pdftotext(pdf)
    assert ARABIC_TITLE in text
    assert ARABIC_STACK in text
    assert pypdf.PdfReader(pdf).trailer["/Root"]["/Lang"] == "ar"
    # Mirrored: the headings start far to the right of where the same catalog's English PDF starts them.
    english = built(cli, arabic_catalog(tmp_path / "en" / "content", "en")) / "credentials" / "first" / "first.pdf"
    arabic_x, english_x = heading_starts(pdf, "ar"), heading_starts(english, "en")
    for heading in HEADINGS:
        assert arabic_x[heading] > 2 * english_x[heading], heading
    pdftoppm = shutil.which("pdftoppm") or missing_tool(
        "poppler's pdftoppm is not installed: run scripts/install-poppler"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(ARTIFACTS / "arabic-pdf")],
        check=True,
    )


# Japanese: a Noto CJK font, cut down to the characters the catalog uses as a site would ship it.


def japanese_catalog(root: Path) -> Path:
    body = "## 方法\n\n教師はパフォーマンス課題を設計し、評価基準で評価します。"
    content = catalog(root, JAPANESE_TITLE, body, "language: ja\nfonts: [assets/fonts/NotoSansJP-subset.otf]")
    japanese_font(content / "assets" / "fonts" / "NotoSansJP-subset.otf", JAPANESE_TITLE + body)
    return content


def test_a_japanese_catalog_with_noto_cjk_renders_and_its_pdf_text_extracts(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
    pages_server,  # type: ignore[no-untyped-def]
) -> None:
    out = built(cli, japanese_catalog(tmp_path / "content"))
    page = (out / "credentials" / "first" / "index.html").read_text(encoding="utf-8")
    assert page.splitlines()[1] == '<html lang="ja">'
    assert re.search(r'src: url\("\.\./\.\./assets/fonts/NotoSansJP-subset\.otf"\)', page)
    pdf = out / "credentials" / "first" / "first.pdf"
    assert "Site-font-1" in embedded_fonts(pdf)
    text = read_with_pdftotext(pdf)
    assert JAPANESE_TITLE in text
    assert "教師はパフォーマンス課題を設計し" in text
    tab = browser.new_page()
    tab.goto(pages_server(out, "/") + "credentials/first/")
    tab.wait_for_load_state("networkidle")
    assert platform_fonts(tab, "h1") == {"Noto Sans CJK JP"}  # a font of the machine's would say "(system)"
    assert axe_violations(tab) == []
    tab.close()


def test_a_site_font_is_read_through_the_pdf_sandbox_and_replacing_it_renders_the_pdfs_again(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    content = arabic_catalog(tmp_path / "content")
    built(cli, content)
    again = cli("build", "--content", content, "--out", tmp_path / "dist")
    assert "nothing changed; nothing rebuilt" in again.err
    font = content / "assets" / "fonts" / ARABIC_FONT.name
    font.write_bytes(system_font(ARABIC_FONT.with_name("NotoSansArabic-Regular.ttf")).read_bytes())
    changed = cli("build", "--content", content, "--out", tmp_path / "dist")
    assert changed.code == 0, changed.err
    # Both PDFs again, drawn with the new font by fresh workers: the workers of the builds before (this process
    # keeps them, as `serve` does) had loaded the font it replaced, and would have drawn that one.
    assert re.search(r"rendered \d+ pages and 2 PDFs", changed.err), changed.err
    fresh = tmp_path / "fresh"
    command = [
        sys.executable,
        ROOT / "build.py",
        "build",
        "--content",
        content,
        "--out",
        fresh,
        "--cache",
        fresh.with_name("c"),
    ]
    subprocess.run(command, check=True, capture_output=True)
    pdfs = sorted(path.relative_to(fresh) for path in fresh.rglob("*.pdf"))
    assert len(pdfs) == 2
    assert all((tmp_path / "dist" / pdf).read_bytes() == (fresh / pdf).read_bytes() for pdf in pdfs)

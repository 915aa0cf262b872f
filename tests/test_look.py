"""How the catalog looks and reads: the author's words kept in every generated text, badge artwork
that people can read, and pages that pass axe-core in light and dark colours at desktop and phone
widths, with scoring tables that stay whole on a phone.

The browser tests drive the system's Chromium as tests/test_browser.py does: without it they are
skipped with the command that installs it, and in CI (CI=true) a missing browser fails.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from catalog.cli import main

from conftest import FIXTURES, ROOT, SAMPLE, SITE_YML, credential_md, start_pages_server, write_files
from test_browser import ARTIFACTS, PAGES, WCAG

SVG = "{http://www.w3.org/2000/svg}"
FEATURES = FIXTURES / "features"
FONT = ROOT / "themes/default/static/fonts/source-sans-3-latin-700-normal.woff2"
BASE_URL = "https://example.org/catalog/"


def built(root: Path, content: Path, *options: str) -> Path:
    """Content built through the command line's entry point into root/dist (its cache in root too, never
    beside a fixture in the repository)."""
    out = root / "dist"
    arguments = ["build", "--content", str(content), "--out", str(out), "--cache", str(root / "cache"), "--quiet"]
    assert main([*arguments, *options]) == 0
    return out


# --- Open data keeps the author's words --------------------------------------------------------

# Key methods whose first word must keep its capitals, and a summary whose first letter is small.
AUTHORED = {
    "ai-literacy": (
        "AI Literacy for Educators",
        "AI literacy grows when the educator tests a chatbot's answers with students and records what they find.",
        "iPad workflows for checking a chatbot's answers in class.",
    ),
    "software-carpentry": (
        "Software Carpentry Instructor",
        "Software Carpentry lessons are taught live: the educator types every command alongside the learners.",
        "eLearning that follows the Software Carpentry way of teaching.",
    ),
}


def authored_credential(title: str, key_method: str, summary: str) -> str:
    text = credential_md(title)
    text = text.replace("key_method: The earner does one thing.", f"key_method: {json.dumps(key_method)}")
    return text.replace("summary: A one-line summary.", f"summary: {json.dumps(summary)}")


@pytest.fixture(scope="module")
def authored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two credentials whose sentences start with capitals that matter, built with PDFs and an address."""
    root = tmp_path_factory.mktemp("authored")
    files = {"site.yml": SITE_YML}
    for slug, (title, key_method, summary) in AUTHORED.items():
        files[f"credentials/{slug}.md"] = authored_credential(title, key_method, summary)
    files["stacks/teaching.md"] = """
        ---
        title: Teaching with data
        summary: Two credentials.
        order: 1
        credentials: [ai-literacy, software-carpentry]
        ---
    """
    return built(root, write_files(root / "content", files), "--base-url", BASE_URL)


def test_open_badges_narrative_quotes_the_key_method_as_written(authored: Path) -> None:
    for slug, (_, key_method, _) in AUTHORED.items():
        narrative = json.loads((authored / f"credentials/{slug}/achievement.json").read_text())["criteria"]["narrative"]
        assert narrative.startswith(f"**Key method.** {key_method}\n\n")
        assert "To earn this micro-credential, every part must reach its passing level: Part 1 “Passing”." in narrative
    narrative = json.loads((authored / "credentials/ai-literacy/achievement.json").read_text())["criteria"]["narrative"]
    assert "aI literacy" not in narrative


def test_fixture_narratives_keep_every_key_method_as_written(tmp_path: Path) -> None:
    out = built(tmp_path, FEATURES, "--no-pdf")
    catalog = json.loads((out / "catalog.json").read_text())
    assert len(catalog["credentials"]) == 3
    for credential in catalog["credentials"]:
        achievement = json.loads((out / credential["achievement"]).read_text())
        assert f"**Key method.** {credential['key_method']}\n" in achievement["criteria"]["narrative"]
        assert achievement["name"] == credential["title"]
        assert achievement["description"] == credential["summary"]


def test_json_ld_feed_catalog_and_pdf_metadata_keep_titles_and_summaries_as_written(authored: Path) -> None:
    import pypdf

    feed = ElementTree.parse(authored / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = {e.findtext(f"{atom}summary"): e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")}
    catalog = {c["slug"]: c for c in json.loads((authored / "catalog.json").read_text())["credentials"]}
    for slug, (title, key_method, summary) in AUTHORED.items():
        page = BeautifulSoup((authored / f"credentials/{slug}/index.html").read_text(), "html.parser")
        ld = json.loads(page.find("script", type="application/ld+json").string)
        assert (ld["name"], ld["description"]) == (title, summary)
        assert entries[summary] == f"New: {title} (version 1.0)"
        assert (catalog[slug]["title"], catalog[slug]["summary"], catalog[slug]["key_method"]) == (
            title,
            summary,
            key_method,
        )
        metadata = pypdf.PdfReader(authored / f"credentials/{slug}/{slug}.pdf").metadata
        assert metadata is not None
        assert metadata.title == f"{title}: requirements and scoring guide"
        assert metadata.subject == summary


# --- Badge artwork people can read --------------------------------------------------------------

FIXTURE_LONG_TITLE = "Offering Affective, Effective Feedback After Assessment in Different Classrooms Today"
BADGE_TITLES = [
    "X",
    "AI",
    "Calibrating Scorers for Reliability",
    "Building a Performance Assessment Learning Community",
    "Universal Design for Performance Tasks",
    "Évaluer en français et en anglais — a bilingual credential",
    "Intercultural Competence Assessment Through Collaborative Performance Tasks Worl",  # exactly 80
    "OFFERING AFFECTIVE, EFFECTIVE FEEDBACK AFTER ASSESSMENT IN DIFFERENT CLASSROOMS",  # 79 capitals
    FIXTURE_LONG_TITLE,  # 85
]
MIN_PIXELS = 9  # the smallest title text, in pixels, when the badge is shown at 120 px


@pytest.fixture(scope="module")
def badges(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The generated badge of a credential for each title, built through the command line."""
    root = tmp_path_factory.mktemp("badges")
    files = {"site.yml": SITE_YML}
    for number, title in enumerate(BADGE_TITLES):
        files[f"credentials/badge-{number}.md"] = credential_md(json.dumps(title, ensure_ascii=False))
    out = built(root, write_files(root / "content", files), "--no-pdf")
    return {title: out / f"credentials/badge-{number}/badge.svg" for number, title in enumerate(BADGE_TITLES)}


def ring(svg: ElementTree.Element) -> list[tuple[float, float]]:
    """The white ring inside the coloured hexagon: the shape that all text must stay inside."""
    polygons = svg.findall(f"{SVG}polygon")
    assert len(polygons) == 2 and polygons[1].get("fill") == "none"
    return [(float(x), float(y)) for x, y in (p.split(",") for p in polygons[1].get("points", "").split())]


def inside(polygon: list[tuple[float, float]], x: float, y: float) -> bool:
    """Whether a point is inside a convex polygon (on the same side of every edge)."""
    sides = []
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        sides.append((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) >= 0)
    return all(sides) or not any(sides)


def texts(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return list(svg.iter(f"{SVG}text"))


def test_badge_is_an_accessible_svg_named_by_the_whole_title(badges: dict[str, Path]) -> None:
    for title, path in badges.items():
        svg = ElementTree.parse(path).getroot()
        assert svg.get("role") == "img"
        name = svg.find(f"{SVG}title")
        assert name is not None and name.get("id") == svg.get("aria-labelledby")
        assert name.text == f"{title}: micro-credential badge"


def test_badge_shows_titles_of_up_to_85_characters_whole_at_9_pixels_or_more(badges: dict[str, Path]) -> None:
    for title, path in badges.items():
        label, *lines = texts(ElementTree.parse(path).getroot())
        assert label.text == "MICRO-CREDENTIAL"
        shown = [line.text or "" for line in lines]
        assert " ".join(shown) == title, "the title is wrapped at spaces, never shortened or re-worded"
        assert not any("…" in line for line in shown)
        for line in lines:
            assert float(line.get("font-size", 0)) * 120 / 240 >= MIN_PIXELS, (title, line.text)


def test_badge_title_wraps_over_lines_and_short_titles_are_large(badges: dict[str, Path]) -> None:
    sizes = {
        title: float(texts(ElementTree.parse(path).getroot())[1].get("font-size", 0)) for title, path in badges.items()
    }
    lines = {title: len(texts(ElementTree.parse(path).getroot())) - 1 for title, path in badges.items()}
    assert lines[FIXTURE_LONG_TITLE] >= 4
    assert lines["AI"] == 1
    assert sizes["AI"] > sizes["Calibrating Scorers for Reliability"] > sizes[FIXTURE_LONG_TITLE]


@pytest.fixture(scope="module")
def theme_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The theme's bold font as TrueType, which Pillow reads (its WOFF2 needs the conversion)."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONT)
    font.flavor = None
    path = tmp_path_factory.mktemp("font") / "source-sans-3-bold.ttf"
    font.save(path)
    return path


def test_badge_text_in_the_theme_font_fits_inside_the_ring_unsqueezed(
    badges: dict[str, Path], theme_font: Path
) -> None:
    from PIL import ImageFont

    for title, path in badges.items():
        svg = ElementTree.parse(path).getroot()
        shape = ring(svg)
        for text in texts(svg):
            font = ImageFont.truetype(str(theme_font), float(text.get("font-size", 0)))
            content = text.text or ""
            spacing = float(text.get("letter-spacing", 0)) * (len(content) - 1)
            natural = font.getlength(content) + spacing
            length = float(text.get("textLength", 0))
            # The line is drawn at its textLength: the theme's font must need no squeezing to get there.
            assert natural <= length + 0.5, (title, content, natural, length)
            x, y = float(text.get("x", 0)), float(text.get("y", 0))
            _, top, _, bottom = font.getbbox(content, anchor="ms")
            for corner_x in (x - length / 2, x + length / 2):
                for corner_y in (y + top, y + bottom):
                    assert inside(shape, corner_x, corner_y), (title, content, corner_x, corner_y)


def test_badge_text_boxes_in_chromium_stay_inside_the_ring_and_screenshots(browser, badges: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    # Chromium has no Source Sans 3 here (an SVG shown as an image cannot load the theme's font), so this
    # measures the badge in a fallback font, as most readers see it.
    tab = browser.new_page()
    for title, path in badges.items():
        svg = path.read_text()
        tab.set_content(f"<!doctype html><body style='margin:0'>{svg}</body>")
        boxes = tab.evaluate(
            "() => [...document.querySelectorAll('text')].map(t => { const b = t.getBBox();"
            " return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height]; })"
        )
        shape = ring(ElementTree.fromstring(svg))
        for content, left, top, right, bottom in boxes:
            for corner in ((left, top), (right, top), (left, bottom), (right, bottom)):
                assert inside(shape, *corner), (title, content, corner)
    # As the credential page shows them: images 120 px wide.
    images = "".join(f'<img src="{path.as_uri()}" alt="" width="120" height="120">' for path in badges.values())
    gallery = next(iter(badges.values())).parents[2] / "gallery.html"
    gallery.write_text(f"<!doctype html><body style='margin:8px;display:flex;flex-wrap:wrap;gap:8px'>{images}</body>")
    tab.set_viewport_size({"width": 680, "height": 280})
    tab.goto(gallery.as_uri())
    tab.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "badges.png"))
    tab.close()


# --- Dark mode and phones ---------------------------------------------------------------------------

FEATURE_CREDENTIAL = "credentials/affective-feedback-in-different-classrooms/index.html"
WIDTHS = (1280, 375)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The sample (with PDFs, as published) and the every-feature fixture, each served under /catalog/."""
    urls = {}
    servers = []
    for name, content, options in (("sample", SAMPLE, ()), ("features", FEATURES, ("--no-pdf",))):
        root = tmp_path_factory.mktemp(name)
        (root / "dist").mkdir()
        url, server = start_pages_server(root / "dist", "/catalog/")
        servers.append(server)
        built(root, content, "--base-url", url, *options)
        urls[name] = url
    yield urls
    for server in servers:
        server.shutdown()
        server.server_close()


def axe_violations(tab) -> list[str]:  # type: ignore[no-untyped-def]
    import axe_playwright_python

    tab.add_script_tag(content=(Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text())
    result = tab.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG,
    )
    assert result["passes"], "axe ran no checks"
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in result["violations"]
    ]


def luminance(colour: str) -> float:
    """WCAG relative luminance of a computed 'rgb(r, g, b)' colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_colour_scheme_follows_the_system_setting(browser, sites: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    seen = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        tab = context.new_page()
        tab.goto(sites["sample"] + PAGES["credential"])
        seen[scheme] = tab.evaluate(
            "() => { const s = getComputedStyle(document.body);"
            " return [s.backgroundColor, s.color, getComputedStyle(document.documentElement).colorScheme]; }"
        )
        context.close()
    (light_paper, light_ink, scheme), (dark_paper, dark_ink, _) = seen["light"], seen["dark"]
    assert scheme == "light dark"  # form controls and scroll bars follow too
    assert luminance(light_paper) > 0.9 and luminance(light_ink) < 0.05
    assert luminance(dark_paper) < 0.02 and luminance(dark_ink) > 0.7


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", [*sorted(PAGES), "feature credential"])
def test_no_wcag_violations_in_either_colour_scheme_at_desktop_and_phone_widths(
    browser,  # type: ignore[no-untyped-def]
    sites: dict[str, str],
    name: str,
    scheme: str,
) -> None:
    address = sites["features"] + FEATURE_CREDENTIAL if name == "feature credential" else sites["sample"] + PAGES[name]
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        tab = context.new_page()
        tab.goto(address)
        tab.wait_for_load_state("networkidle")
        if name == "index":  # Pagefind's results and filters, drawn in the page's colours
            tab.get_by_role("textbox", name="Search").fill("educator")
            tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
        assert axe_violations(tab) == [], f"{name}, {scheme}, {width} px"
        if name in ("index", "credential", "feature credential"):
            ARTIFACTS.mkdir(exist_ok=True)
            shot = f"{name.replace(' ', '-')}-{scheme}-{width}.png"
            tab.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        context.close()


def test_scoring_tables_reflow_at_phone_width_with_no_cell_clipped(browser, sites: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.goto(sites["features"] + FEATURE_CREDENTIAL)
    cells = tab.evaluate(
        "() => [...document.querySelectorAll('.rubric tbody th, .rubric td')].map(c => {"
        " const r = c.getBoundingClientRect();"
        " return {text: c.textContent.trim(), left: r.left, right: r.right, width: r.width,"
        " overflow: c.scrollWidth - c.clientWidth, level: c.dataset.level || null,"
        " label: getComputedStyle(c, '::before').content}; })"
    )
    assert len(cells) == 5 * 2 + 5 + 3  # two 4-level criteria, one on the four-step scale, one pass/fail
    page_width = tab.evaluate("document.documentElement.clientWidth")
    assert tab.evaluate("document.documentElement.scrollWidth") <= page_width
    for cell in cells:
        assert cell["left"] >= 0 and cell["right"] <= page_width, cell
        assert cell["overflow"] <= 0, cell  # nothing hidden inside the cell either
        assert cell["width"] > page_width / 2, cell  # a cell is a line of its own, not a squeezed column
        if cell["level"]:  # each description is shown under its level's name
            assert cell["label"].startswith(json.dumps(cell["level"], ensure_ascii=False)), cell
    # Still a table to a screen reader, without the level name read twice.
    tree = tab.locator("table.rubric").first.aria_snapshot()
    assert 'columnheader "Exemplary"' in tree
    assert 'cell "Shows, with quotations, how feedback shifted a student’s confidence and effort."' in tree
    context.close()


def test_scoring_tables_are_tables_on_a_desktop(browser, sites: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(sites["features"] + FEATURE_CREDENTIAL)
    rows = tab.evaluate(
        "() => [...document.querySelectorAll('.rubric tr')].map(r => [getComputedStyle(r).display,"
        " new Set([...r.children].map(c => Math.round(c.getBoundingClientRect().top))).size])"
    )
    assert rows and all(row == ["table-row", 1] for row in rows)  # every row's cells side by side
    assert tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()


def test_pages_ask_for_the_fonts_at_once_without_a_chain_of_imports(sites: dict[str, str], browser) -> None:  # type: ignore[no-untyped-def]
    tab = browser.new_page()
    for name in ("index", "credential", "404"):
        tab.goto(sites["sample"] + PAGES[name])
        tab.wait_for_load_state("networkidle")
        # (file, what asked for it): 'link' is the page's own head, 'css' a stylesheet found in another.
        requests = tab.evaluate(
            "async () => { await document.fonts.ready; return performance.getEntriesByType('resource')"
            ".filter(e => /[.](css|woff2)$/.test(e.name)).map(e => [e.name.split('/').pop(), e.initiatorType]); }"
        )
        assert [file for file, by in requests if by != "link"] == [], name
        fonts = sorted(file for file, _ in requests if file.endswith(".woff2"))
        assert fonts == ["source-sans-3-latin-400-normal.woff2", "source-sans-3-latin-700-normal.woff2"], name
        used = tab.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.weight + ' ' + f.style)")
        assert sorted(used) == ["400 normal", "700 normal"], name  # the two preloaded, and no others
    tab.close()

"""The sample catalog, built for real: pages, sections, PDFs and links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import SAMPLE


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


STACKS = sorted(
    (front_matter(p) | {"slug": p.stem} for p in (SAMPLE / "stacks").glob("*.md")), key=lambda s: s["order"]
)
CREDENTIALS = {p.stem: front_matter(p) for p in (SAMPLE / "credentials").glob("*.md")}


def test_index_lists_four_stacks_and_twelve_credentials_in_order(sample_dist: Path) -> None:
    page = soup(sample_dist / "index.html")
    sections = page.select("section.stack")
    assert [s.h2.get_text(strip=True) for s in sections] == [s["title"] for s in STACKS]
    assert len(STACKS) == 4
    for section, stack in zip(sections, STACKS, strict=True):
        titles = [a.get_text(strip=True) for a in section.select(".card-title a")]
        assert titles == [CREDENTIALS[slug]["title"] for slug in stack["credentials"]]
    assert len(page.select(".card")) == 12
    assert len(page.find_all("h1")) == 1


def test_stack_pages_list_their_credentials_in_order(sample_dist: Path) -> None:
    for stack in STACKS:
        page = soup(sample_dist / "stacks" / stack["slug"] / "index.html")
        assert page.h1.get_text(strip=True) == stack["title"]
        steps = [li.h3.get_text(strip=True) for li in page.select("ol.path > li")]
        assert steps == [CREDENTIALS[slug]["title"] for slug in stack["credentials"]]


@pytest.mark.parametrize("slug", sorted(CREDENTIALS))
def test_credential_page_has_every_section(sample_dist: Path, slug: str) -> None:
    data = CREDENTIALS[slug]
    page = soup(sample_dist / "credentials" / slug / "index.html")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == data["title"]
    assert data["summary"] in text
    facts = {
        dt.get_text(strip=True): dd.get_text(" ", strip=True)
        for dt, dd in zip(page.select(".facts dt"), page.select(".facts dd"), strict=True)
    }
    assert facts["Issuer"] == "Riverbend Center for Performance Assessment"
    assert facts["Version"] == str(data["version"])
    # Credit is shown only when the credential says something about it.
    if data.get("graduate_credit", {}).get("offered"):
        assert facts["Credit"].startswith("Graduate credit")
    elif not data.get("credits"):
        assert "Credit" not in facts
    ids = {"key-method", "requirements", "scoring-guide", "licence"}
    assert ids <= {tag["id"] for tag in page.find_all(id=True)}
    for heading in re.findall(r"^## (.+)$", (SAMPLE / "credentials" / f"{slug}.md").read_text(), re.M):
        assert page.find("h2", string=heading) is not None, heading
    assert data["key_method"] in text
    assert "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International" in text
    # Requirements by part, with their limits.
    for number, part in enumerate(data["requirements"], 1):
        section = page.find(id=f"part-{number}")
        assert section.h3.get_text(strip=True) == f"Part {number}. {part['title']}"
        limits = [li.get_text(strip=True) for li in section.select(".limits li")]
        if "word_limit" in part:
            assert f"{part['word_limit']:,}-word limit for each response" in limits
        if "recording" in part:
            r = part["recording"]
            assert any(f"{r['min_minutes']} to {r['max_minutes']} minutes" in limit for limit in limits)
        for item in part.get("prompts", []) + part.get("artefacts", []):
            assert item in section.get_text(" ", strip=True)
    # The scoring guide as real tables: one per part, a header per level, a row per criterion.
    tables = page.select("table.rubric")
    assert len(tables) == len(data["requirements"])
    for table, part in zip(tables, data["requirements"], strict=True):
        levels = (
            data.get("scales", {}).get(part["scale"])
            or {"passing": ["Passing", "Not yet"], "got-it": ["Got it", "Not yet"]}[part["scale"]]
        )
        assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Criterion", *levels]
        rows = table.select("tbody tr")
        assert len(rows) == len(part["criteria"])
        for row, criterion in zip(rows, part["criteria"], strict=True):
            assert row.th["scope"] == "row"
            assert row.th.get_text(" ", strip=True).startswith(criterion["title"])
            assert [td.get_text(strip=True) for td in row.select("td")] == [criterion["levels"][lv] for lv in levels]
    # The download link names the PDF and its size.
    link = page.select_one(".download a")
    assert link["href"] == f"{slug}.pdf"
    assert re.search(r"\(PDF, \d+ KB\)", link.get_text())


@pytest.mark.parametrize("slug", sorted(CREDENTIALS))
def test_pdf_holds_title_parts_and_criteria(sample_dist: Path, slug: str) -> None:
    data = CREDENTIALS[slug]
    reader = PdfReader(sample_dist / "credentials" / slug / f"{slug}.pdf")
    assert 2 <= len(reader.pages) <= 8
    meta = reader.metadata
    assert meta.title == f"{data['title']}: requirements and scoring guide"
    assert meta.author == "Riverbend Center for Performance Assessment"
    assert meta.subject == data["summary"]
    assert "micro-credential" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [612, 792]  # Letter, as site.yml says
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert data["title"] in text
    assert f"Page 1 of {len(reader.pages)}" in text
    for number, part in enumerate(data["requirements"], 1):
        assert f"Part {number}. {part['title']}" in text
        for criterion in part["criteria"]:
            assert criterion["title"] in text
    # Reading order: the key method comes before the requirements, which come before the scoring guide.
    assert text.index("Key method") < text.index("Submission requirements") < text.index("Scoring guide")


def test_pdf_fonts_are_the_theme_fonts_embedded(sample_dist: Path) -> None:
    reader = PdfReader(next((sample_dist / "credentials").glob("*/*.pdf")))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("Source-Sans-3") for name in fonts)


def test_every_internal_link_resolves(sample_dist: Path) -> None:
    checked = 0
    ids: dict[Path, set[str]] = {}
    for html in sample_dist.rglob("*.html"):
        page = soup(html)
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src")):
            for element in page.find_all(tag):
                url = element.get(attr)
                if not url or re.match(r"^[a-z]+:", url):
                    continue
                path, _, fragment = url.partition("#")
                assert not path.startswith("/"), f"{html}: {url} is not relative"
                target = (html.parent / path).resolve() if path else html
                assert target.is_file(), f"{html.relative_to(sample_dist)}: {url} points at nothing"
                if fragment:
                    if target not in ids:
                        ids[target] = {e["id"] for e in soup(target).find_all(id=True)}
                    assert fragment in ids[target], f"{html}: #{fragment} missing in {target}"
                checked += 1
    assert checked > 200


def test_site_files_for_static_hosting(sample_dist: Path) -> None:
    assert (sample_dist / ".nojekyll").is_file()
    page = soup(sample_dist / "404.html")
    assert page.h1.get_text(strip=True) == "Page not found"
    assert (sample_dist / "pages" / "how-to-earn" / "index.html").is_file()
    assert (sample_dist / "static" / "fonts" / "OFL.txt").is_file()


def test_builds_are_byte_identical(sample_dist: Path, tmp_path: Path, cli) -> None:
    again = tmp_path / "again"
    assert cli("build", "--content", SAMPLE, "--out", again).code == 0

    # Pagefind writes its filter tables in an order of its own; everything else is ours and must not vary.
    def ours(folder: Path) -> dict[Path, bytes]:
        return {
            p.relative_to(folder): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file()
            and not (
                p.parent.name == "filter"
                or p.name.startswith("pagefind.")
                or (p.suffix == ".json" and p.parent.name == "pagefind")
            )
        }

    first, second = ours(sample_dist), ours(again)
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []
    assert any(p.parts[:2] == ("pagefind", "fragment") for p in first)  # the search pages are compared too

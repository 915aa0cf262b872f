"""The sample catalog, built for real: pages, sections, PDFs and links, and the shapes real catalogs have."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import SAMPLE, originals


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def by_order(folder: str) -> list[dict]:
    return sorted((front_matter(p) | {"slug": p.stem} for p in originals(SAMPLE / folder)), key=lambda s: s["order"])


STACKS = by_order("stacks")
BUNDLES = by_order("bundles")
PAGES = by_order("pages")
CREDENTIALS = {p.stem: front_matter(p) for p in originals(SAMPLE / "credentials")}
# Built into the site: everything but drafts. Listed on the index and in the stacks: the active ones.
PUBLISHED = {slug: data for slug, data in CREDENTIALS.items() if data.get("status") != "draft"}
LISTED = {slug: data for slug, data in CREDENTIALS.items() if data.get("status", "active") == "active"}
DRAFTS = sorted(set(CREDENTIALS) - set(PUBLISHED))
RETIRED = sorted(set(PUBLISHED) - set(LISTED))
ORGANISATION = "Riverbend Center for Performance Assessment"


def sequence(stack: dict) -> list[str]:
    """A stack's credentials as the site shows them: drafts and retired credentials leave the sequence."""
    return [slug for slug in stack["credentials"] if slug in LISTED]


def linked(dist: Path, page: str, folder: str) -> list[str]:
    """The slugs of the credentials, stacks or bundles a built page's main content links to, in order of first
    link. `page` is the page's path in the output, such as 'stacks/x/index.html'."""
    found = []
    for a in soup(dist / page).select("main a[href]"):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), a["href"].partition("#")[0]))
        match = re.fullmatch(rf"{folder}/([a-z0-9-]+)(?:/index\.html)?", target)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


# --- The sample shows the shapes real catalogs have ----------------------------------------------------------


def test_sample_content_has_every_shape_of_a_real_catalog() -> None:
    """Each shape the catalog supports is in the shipped sample, so its pages and PDFs show it."""
    stacks_of: dict[str, list[str]] = {}
    for stack in STACKS:
        for slug in stack["credentials"]:
            stacks_of.setdefault(slug, []).append(stack["slug"])
    assert any(len(stacks) >= 2 for slug, stacks in stacks_of.items() if slug in LISTED)
    assert {stack.get("kind", "pathway") for stack in STACKS} == {"pathway", "collection"}
    assert BUNDLES and all(set(b["stacks"]) <= {s["slug"] for s in STACKS} for b in BUNDLES)
    assert RETIRED and all(CREDENTIALS[s]["replaced_by"] in LISTED and CREDENTIALS[s]["retired_on"] for s in RETIRED)
    assert DRAFTS
    with_fee = [c for c in CREDENTIALS.values() if "fee" in c]
    assert {c["fee"]["amount"] for c in with_fee} >= {0, 125}
    assert front_matter_of_site()["currency"] == "USD"
    assert all(c["hours"] > 0 for c in CREDENTIALS.values())
    codes = [c["code"] for c in CREDENTIALS.values()]
    assert len(set(codes)) == len(codes) == len(CREDENTIALS)
    credits = [credit for c in CREDENTIALS.values() for credit in c.get("credits", [])]
    assert {credit["kind"] for credit in credits} >= {"graduate", "recertification"}
    assert 0.5 in {credit["amount"] for credit in credits}
    assert not [slug for slug, c in CREDENTIALS.items() if "graduate_credit" in c]  # every one in the new form
    # A chain of prerequisites: a credential that requires one that itself requires another.
    requires = {slug: c.get("requires", []) for slug, c in CREDENTIALS.items()}
    assert any(requires.get(first) for slugs in requires.values() for first in slugs)
    assert any(c.get("recommends") for c in CREDENTIALS.values())
    assert all(c.get("audience") for c in CREDENTIALS.values())
    assert all(c.get("review") and c.get("apply_url") for c in LISTED.values())
    ranges = [p["word_limit"] for c in PUBLISHED.values() for p in c["requirements"] if "word_limit" in p]
    assert {"min": 250, "max": 300} in ranges
    assert sum(bool(c.get("alignments")) for c in LISTED.values()) >= 5


def front_matter_of_site() -> dict:
    return yaml.safe_load((SAMPLE / "site.yml").read_text(encoding="utf-8"))


def sample_problems(out: str) -> list[dict]:
    """`check --format json`'s problems, each path as the sample names it."""
    problems = json.loads(out)
    for problem in problems:
        problem["path"] = Path(problem["path"]).resolve().relative_to(SAMPLE).as_posix()
    return problems


def test_check_reports_only_the_draft_and_strict_fails_only_for_it_and_the_untranslated_files(cli) -> None:
    (draft,) = DRAFTS
    source = (SAMPLE / "credentials" / f"{draft}.md").read_text(encoding="utf-8").splitlines()
    status_line = source.index("status: draft") + 1
    run = cli("check", "--content", SAMPLE, "--format", "json")
    assert run.code == 0, run.err
    problems = sample_problems(run.out)
    assert [(p["path"], p["line"], p["severity"]) for p in problems] == [
        (f"credentials/{draft}.md", status_line, "warning")
    ]
    assert "draft" in problems[0]["message"]
    # --strict also lists each file the sample has not translated into Spanish yet; nothing else.
    untranslated = {
        f"{folder}/{path.name}"
        for folder in ("credentials", "stacks", "bundles", "pages")
        for path in originals(SAMPLE / folder)
        if not path.with_suffix(".es.md").exists() and path.stem != draft
    }
    assert (
        "credentials/ensuring-validity.md" in untranslated
        and "stacks/scoring-student-work-together.md" not in untranslated
    )
    run = cli("check", "--content", SAMPLE, "--format", "json", "--strict")
    assert run.code == 1, run.err
    problems = sample_problems(run.out)
    assert (f"credentials/{draft}.md", status_line, "error") in [
        (p["path"], p["line"], p["severity"]) for p in problems
    ]
    said = {p["path"] for p in problems if p["message"].endswith("has no translation into 'es'")}
    assert said == untranslated and len(problems) == len(untranslated) + 1
    assert "Traceback" not in run.err


def test_draft_is_left_out_of_every_output(sample_dist: Path) -> None:
    for slug in DRAFTS:
        assert not (sample_dist / "credentials" / slug).exists()
        title = CREDENTIALS[slug]["title"]
        for path in sample_dist.rglob("*"):
            if path.suffix in {".html", ".json", ".xml", ".txt", ".svg"}:
                text = path.read_text(encoding="utf-8")
                assert title not in text, path
                if path.suffix == ".html":
                    assert f"/{slug}/" not in text, path


def test_retired_credential_keeps_its_page_and_pdf_but_leaves_the_lists(sample_dist: Path) -> None:
    for slug in RETIRED:
        page = soup(sample_dist / "credentials" / slug / "index.html")
        assert page.h1.get_text(strip=True) == CREDENTIALS[slug]["title"]
        assert (sample_dist / "credentials" / slug / f"{slug}.pdf").read_bytes().startswith(b"%PDF")
        # Its replacement is linked from its page, and resolves.
        replacement = CREDENTIALS[slug]["replaced_by"]
        assert replacement in linked(sample_dist, f"credentials/{slug}/index.html", "credentials")
        assert (sample_dist / "credentials" / replacement / "index.html").is_file()
        # Neither the index nor any stack lists it.
        assert slug not in linked(sample_dist, "index.html", "credentials")
        for stack in STACKS:
            assert slug not in linked(sample_dist, f"stacks/{stack['slug']}/index.html", "credentials")


def test_bundle_pages_list_their_stacks_in_order(sample_dist: Path) -> None:
    assert BUNDLES
    for bundle in BUNDLES:
        page = soup(sample_dist / "bundles" / bundle["slug"] / "index.html")
        assert page.h1.get_text(strip=True) == bundle["title"]
        assert bundle["summary"] in page.get_text(" ", strip=True)
        assert linked(sample_dist, f"bundles/{bundle['slug']}/index.html", "stacks") == bundle["stacks"]


# --- Pages, sections, PDFs and links --------------------------------------------------------------------------


def test_index_links_every_stack_in_order_and_every_listed_credential(sample_dist: Path) -> None:
    page = soup(sample_dist / "index.html")
    text = page.get_text(" ", strip=True)
    # Stacks in a bundle come first, in the bundle's order, then the others: the sample's orders agree.
    assert [s["slug"] for s in STACKS] == [slug for b in BUNDLES for slug in b["stacks"]] + [
        s["slug"] for s in STACKS if not any(s["slug"] in b["stacks"] for b in BUNDLES)
    ]
    assert linked(sample_dist, "index.html", "stacks") == [s["slug"] for s in STACKS]
    assert len(STACKS) == 5
    for stack in STACKS:
        assert stack["title"] in text
    assert sorted(linked(sample_dist, "index.html", "credentials")) == sorted(LISTED)
    assert len(LISTED) == 12
    assert len(page.find_all("h1")) == 1


def test_stack_pages_list_their_credentials_in_order(sample_dist: Path) -> None:
    for stack in STACKS:
        page = soup(sample_dist / "stacks" / stack["slug"] / "index.html")
        assert page.h1.get_text(strip=True) == stack["title"]
        assert linked(sample_dist, f"stacks/{stack['slug']}/index.html", "credentials") == sequence(stack)
        text = page.get_text(" ", strip=True)
        assert all(CREDENTIALS[slug]["title"] in text for slug in sequence(stack))


def test_a_credential_in_two_stacks_is_listed_by_both(sample_dist: Path) -> None:
    shared = [slug for slug in LISTED if sum(slug in sequence(s) for s in STACKS) >= 2]
    assert shared
    for slug in shared:
        listing = [
            s["slug"] for s in STACKS if slug in linked(sample_dist, f"stacks/{s['slug']}/index.html", "credentials")
        ]
        assert listing == [s["slug"] for s in STACKS if slug in sequence(s)]


@pytest.mark.parametrize("slug", sorted(PUBLISHED))
def test_credential_page_has_every_section(sample_dist: Path, slug: str) -> None:
    data = CREDENTIALS[slug]
    page = soup(sample_dist / "credentials" / slug / "index.html")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == data["title"]
    assert data["summary"] in text
    assert ORGANISATION in text  # the issuer
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
        words = part.get("word_limit")
        if isinstance(words, dict):
            assert f"{words['min']:,} to {words['max']:,} words for each response" in limits
        elif words:
            assert f"{words:,}-word limit for each response" in limits
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
    link = page.find("a", href=f"{slug}.pdf")
    assert link is not None
    assert re.search(r"\(PDF, \d+ KB\)", link.get_text())


@pytest.mark.parametrize("slug", sorted(PUBLISHED))
def test_pdf_holds_title_parts_and_criteria(sample_dist: Path, slug: str) -> None:
    data = CREDENTIALS[slug]
    reader = PdfReader(sample_dist / "credentials" / slug / f"{slug}.pdf")
    assert 2 <= len(reader.pages) <= 8
    meta = reader.metadata
    assert meta.title == f"{data['title']}: requirements and scoring guide"
    assert meta.author == ORGANISATION
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

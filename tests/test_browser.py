"""The built sample in a real browser (Playwright driving the system's Chromium), served under /catalog/.

Without Chromium these tests are skipped with the command that installs it; in CI (CI=true)
a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_sample_build import STACKS, sequence

from catalog.cli import main

from conftest import ROOT, SAMPLE, start_pages_server

ARTIFACTS = ROOT / "test-artifacts"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CARDS = sum(len(sequence(stack)) for stack in STACKS)  # a card in each stack a credential belongs to: 15
PAGES = {
    "index": "",
    "stack": "stacks/basic-performance-assessment-design/index.html",
    "credential": "credentials/calibrating-scorers/index.html",
    "page": "pages/how-to-earn/index.html",
    "bundle": "bundles/performance-assessment-for-learning/index.html",
    "collection": "stacks/scoring-student-work-together/index.html",
    "retired": "credentials/performance-assessment-for-english-learners/index.html",
    "404": "no/such/page",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample, built with PDFs as the Pages workflow builds it, served under /catalog/."""
    out = tmp_path_factory.mktemp("browser") / "dist"
    out.mkdir()
    url, server = start_pages_server(out, "/catalog/")
    assert main(["build", "--content", str(SAMPLE), "--out", str(out), "--base-url", url, "--quiet"]) == 0
    yield url
    server.shutdown()
    server.server_close()


def test_index_shows_every_stack_and_credential(page, site: str) -> None:
    page.goto(site)
    stacks = page.locator("section.stack > h2, section.stack > h3")  # a stack in a bundle has an h3
    assert stacks.all_inner_texts() == [
        "Basic Performance Assessment Design",
        "Advanced Performance Assessment Design",
        "Leading a Performance Assessment Community",
        "Performance Assessment for Equity",
        "Scoring Student Work Together",
    ]
    cards = page.locator(".card-title a")
    assert cards.count() == CARDS
    assert all(card.is_visible() for card in cards.all())


def test_search_finds_a_word_from_one_body_and_opens_it(page, site: str) -> None:
    page.goto(site)
    box = page.get_by_role("textbox", name="Search")
    box.fill("seniority")
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=15000)
    assert results.all_inner_texts() == ["Calibrating Scorers for Reliability"]
    results.first.click()
    page.wait_for_url("**/credentials/calibrating-scorers/index.html")
    assert page.locator("h1").inner_text() == "Calibrating Scorers for Reliability"


def test_stack_filter_narrows_the_results(page, site: str) -> None:
    page.goto(site)
    page.get_by_role("textbox", name="Search").fill("educator")
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=15000)
    page.get_by_role("checkbox", name="Basic Performance Assessment Design").check()
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__result-link').length === 3", timeout=15000)
    assert sorted(results.all_inner_texts()) == [
        "Aligning Performance Tasks to Competencies",
        "Building an Analytic Rubric",
        "Designing a Performance Task",
    ]


def focus_ring(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {style: s.outlineStyle, width: s.outlineWidth, text: document.activeElement.textContent.trim()}; }"
    )


def tab_to(page, predicate: str, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_keyboard_reaches_a_credential_and_its_pdf(page, site: str) -> None:
    page.goto(site)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()  # shown when focused
    tab_to(page, "e.closest('.card-title') !== null")
    ring = focus_ring(page)
    assert ring["style"] != "none" and float(ring["width"].removesuffix("px")) >= 2
    title = ring["text"]
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    tab_to(page, "e.closest('.download') !== null")
    ring = focus_ring(page)
    assert ring["style"] != "none" and float(ring["width"].removesuffix("px")) >= 2
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_pdf_link_returns_a_pdf(page, site: str) -> None:
    page.goto(site + PAGES["credential"])
    href = page.locator(".download a").get_attribute("href")
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_404_works_under_the_subpath(page, site: str) -> None:
    response = page.goto(site + "credentials/gone/away/index.html")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Source Sans 3"')  # styled
    page.get_by_role("link", name="Go to the catalog").click()
    page.wait_for_url(site + "index.html")
    assert page.locator(".card").count() == CARDS


@pytest.mark.parametrize("name", ["index", "stack", "credential"])
def test_phone_width_has_no_horizontal_overflow_and_screenshots(browser, site: str, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in (("desktop", 1280), ("phone", 375)):
        context = browser.new_context(viewport={"width": width, "height": 800})
        tab = context.new_page()
        tab.goto(site + PAGES[name])
        tab.wait_for_load_state("networkidle")
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} overflows by {overflow}px at {width}px"
        tab.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_wcag_21_aa_violations(page, site: str, name: str) -> None:
    import axe_playwright_python

    axe_source = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    page.goto(site + PAGES[name])
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG,
    )
    violations = [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in result["violations"]
    ]
    assert violations == []
    assert result["passes"], "axe ran no checks"


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A catalog large enough for two search bundles, served under /catalog/."""
    from test_search_bundles import large_catalog

    root = tmp_path_factory.mktemp("large")
    (root / "dist").mkdir()
    url, server = start_pages_server(root / "dist", "/catalog/")
    large_catalog(root)
    yield url
    server.shutdown()
    server.server_close()


def test_search_merges_the_bundles_of_a_large_catalog(page, large_site: str) -> None:
    page.goto(large_site)
    page.get_by_role("textbox", name="Search").fill("zyzzogeton")  # only in a page of the second bundle
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=15000)
    assert results.count() == 1
    results.first.click()
    page.wait_for_url("**/catalog/credentials/credential-0240/index.html")
    # A word from the first bundle's pages is found too, with the stack filter of both bundles.
    page.goto(large_site)
    page.get_by_role("textbox", name="Search").fill("portfolio")
    results.first.wait_for(timeout=15000)
    for stack in ("Stack 1", "Stack 84"):  # a label also shows a count: "Stack 1 (3)"
        assert page.get_by_role("checkbox", name=re.compile(rf"^{stack}\b(?!\d)")).count() == 1

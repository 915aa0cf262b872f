"""The shapes real catalogs have, on the pages, the PDFs and in search: a credential in several stacks,
pathways and collections, bundles, cards and facts (code, hours, fee, credits, audience, review, language,
prerequisites, alignments, where to apply), drafts shown only by the preview, retired credentials.

tests/fixtures/shapes/ has every one of them, and is built for real through the command line, with PDFs and
a site address, as the Pages workflow builds it. tests/fixtures/plain/ has none of them: its pages must be
the pages catalog made before (tests/fixtures/plain/pages/, see test_a_catalog_without_the_new_fields_...).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from pypdf import PdfReader
from test_checkers import VNU, nu_message
from test_look import WIDTHS, axe_violations
from test_pdf_text import missing_words, page_text, read_with_pypdf, words
from test_publishing import search_index
from test_serve import Server, serving

from catalog.build import BuildOptions, build
from catalog.cli import main

from conftest import FIXTURES, ROOT, SITE_YML, credential_md, missing_tool, start_pages_server, write_files

SHAPES = FIXTURES / "shapes"
PLAIN = FIXTURES / "plain"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The shapes catalog built with PDFs and a site address (as published), served under /catalog/."""
    root = tmp_path_factory.mktemp("shapes")
    out = root / "dist"
    out.mkdir()
    url, server = start_pages_server(out, "/catalog/")
    command = ["build", "--content", str(SHAPES), "--out", str(out), "--cache", str(root / "cache")]
    assert main([*command, "--base-url", url, "--quiet"]) == 0
    yield url, out
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def dist(site: tuple[str, Path]) -> Path:
    return site[1]


def soup(dist: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((dist / page).read_text(encoding="utf-8"), "html.parser")


def credential_page(dist: Path, slug: str) -> BeautifulSoup:
    return soup(dist, f"credentials/{slug}/index.html")


def text(element: Tag | None) -> str:
    """The text as a reader meets it, its line breaks and runs of spaces as one space (no-break spaces kept)."""
    assert element is not None
    return re.sub(r"[ \t\r\n]+", " ", element.get_text()).strip()


def texts(elements: list[Tag]) -> list[str]:
    return [text(element) for element in elements]


def facts(page: BeautifulSoup) -> dict[str, str]:
    """The facts block, a list's items joined by " | "."""
    return {
        text(dt): " | ".join(texts(dd.select("li"))) if dd.select("li") else text(dd)
        for dt, dd in zip(page.select(".facts dt"), page.select(".facts dd"), strict=True)
    }


def pdf_text(dist: Path, slug: str) -> str:
    return read_with_pypdf(dist / "credentials" / slug / f"{slug}.pdf")


def pdf_links(dist: Path, slug: str) -> list[str]:
    reader = PdfReader(dist / "credentials" / slug / f"{slug}.pdf")
    annotations = (a.get_object() for page in reader.pages for a in page.get("/Annots", []))
    return [str(a["/A"]["/URI"]) for a in annotations if "/A" in a and "/URI" in a["/A"]]


def assert_pdf_says(dist: Path, slug: str, *sayings: str) -> None:
    """Every word of each saying is in the PDF's text (the layout breaks lines, so words are compared)."""
    read = words(pdf_text(dist, slug))
    for saying in sayings:
        assert not missing_words(words(saying), read), f"{slug}'s PDF does not say: {saying}"


# 1. A credential in several stacks: its place in each, breadcrumbs, previous and next, the stack filter


def test_a_credential_in_two_pathways_shows_its_place_in_each(dist: Path) -> None:
    """The draft in Early-Career Foundations is not published and the retired credential in Restorative
    Practices has left it, so neither counts; a build with a site address lists each stack once."""
    page = credential_page(dist, "restorative-circles")
    assert texts(page.select("ul.eyebrow.memberships li")) == [
        "Early-Career Foundations · credential 2 of 3",
        "Restorative Practices · credential 1 of 2",
    ]
    crumbs = page.select("nav.breadcrumb a")
    assert texts(crumbs) == ["Catalog", "Early-Career Foundations", "Restorative Practices"]
    assert [a["href"] for a in crumbs[1:]] == [
        "../../stacks/early-career-foundations/index.html",
        "../../stacks/restorative-practices/index.html",
    ]
    assert text(page.select_one("nav.breadcrumb [aria-current=page]")) == "Restorative Circles"


def test_a_credential_in_one_stack_keeps_todays_eyebrow(dist: Path) -> None:
    page = credential_page(dist, "minutos-de-atencion-plena")
    assert text(page.select_one("p.eyebrow")) == "Wellbeing Toolkit · collection of 2 credentials"
    assert texts(page.select("nav.breadcrumb a")) == ["Catalog", "Wellbeing Toolkit"]


def test_previous_and_next_follow_each_pathway(dist: Path) -> None:
    page = credential_page(dist, "restorative-circles")
    nav = page.select_one("nav.sequence")
    assert nav is not None and nav["aria-label"] == "Previous and next in its stacks"
    places = nav.select(".sequence-stack")
    assert texts([p.select_one(".sequence-place") for p in places]) == [
        "Early-Career Foundations · credential 2 of 3",
        "Restorative Practices · credential 1 of 2",
    ]
    links = [[(a["rel"][0], a["href"], text(a)) for a in place.select("a[rel]")] for place in places]
    assert links == [
        [
            ("prev", "../welcoming-classrooms/index.html", "Previous Welcoming Classrooms"),
            ("next", "../repairing-harm/index.html", "Next Repairing Harm"),
        ],
        [("next", "../repairing-harm/index.html", "Next Repairing Harm")],
    ]
    # The last of both pathways has only a way back in each.
    last = credential_page(dist, "repairing-harm").select("nav.sequence a[rel]")
    assert [(a["rel"][0], a["href"]) for a in last] == [
        ("prev", "../restorative-circles/index.html"),
        ("prev", "../restorative-circles/index.html"),
    ]


def test_the_stack_filter_lists_every_membership(dist: Path) -> None:
    page = credential_page(dist, "restorative-circles")
    assert [m["content"] for m in page.select('meta[name="catalog:stack"]')] == [
        "Early-Career Foundations",
        "Restorative Practices",
    ]
    _, filters = search_index(dist / "pagefind")
    assert filters["stack"] == {
        "Early-Career Foundations": [
            "/credentials/repairing-harm/index.html",
            "/credentials/restorative-circles/index.html",
            "/credentials/welcoming-classrooms/index.html",
        ],
        "Restorative Practices": [
            "/credentials/repairing-harm/index.html",
            "/credentials/restorative-circles/index.html",
        ],
        "Wellbeing Toolkit": [
            "/credentials/minutos-de-atencion-plena/index.html",
            "/credentials/welcoming-classrooms/index.html",
        ],
    }


# 2. Pathways keep today's wording; collections have no numbers, no "builds on", no previous or next


def test_a_pathway_keeps_todays_wording_and_numbers(dist: Path) -> None:
    page = soup(dist, "stacks/early-career-foundations/index.html")
    assert text(page.select_one(".stack-head .eyebrow")) == "Stack of 3 micro-credentials"
    assert page.find("h2", string="The credentials, in order") is not None
    assert texts(page.select("ol.path .step-number")) == ["1", "2", "3"]
    assert texts(page.select("ol.path h3")) == ["Welcoming Classrooms", "Restorative Circles", "Repairing Harm"]
    assert texts(page.select(".builds-on")) == ["Builds on: Welcoming Classrooms", "Builds on: Restorative Circles"]


def test_a_collection_has_no_numbers_no_builds_on_and_no_previous_or_next(dist: Path) -> None:
    page = soup(dist, "stacks/wellbeing-toolkit/index.html")
    assert text(page.select_one(".stack-head .eyebrow")) == "A collection of 2 credentials"
    assert page.find("h2", string="The credentials, in any order") is not None
    assert texts(page.select("ul.path.collection h3")) == ["Minutos de atención plena", "Welcoming Classrooms"]
    assert page.select(".step-number, .builds-on, ol.path") == []
    assert credential_page(dist, "minutos-de-atencion-plena").select_one("nav.sequence") is None
    overview = soup(dist, "index.html").select_one('.overview-stack:has(a[href="#stack-wellbeing-toolkit"])')
    assert overview is not None and overview.select(".mini-step") == []
    assert overview.select_one("ul.mini-set")["aria-label"] == "Wellbeing Toolkit, in any order"
    note = text(soup(dist, "index.html").select_one(".overview-note"))
    assert note.startswith("A pathway is a path: take its credentials in order")


# 3. Bundles: a page each, above their stacks on the index; a catalog without them looks as it did


def test_a_bundle_has_a_page_with_its_stacks_in_order(dist: Path) -> None:
    page = soup(dist, "bundles/new-educator-bundle/index.html")
    assert text(page.h1) == "New Educator Bundle"
    assert text(page.select_one(".eyebrow")) == "Bundle of 2 stacks"
    assert text(page.select_one(".prose")) == "Start with the foundations, then pick from the toolkit."
    stacks = page.select("li.bundle-stack")
    assert texts([s.h3 for s in stacks]) == ["Early-Career Foundations", "Wellbeing Toolkit"]
    assert texts([s.select_one(".bundle-stack-kind") for s in stacks]) == [
        "A pathway of 3 micro-credentials, taken in order:",
        "A collection of 2 credentials, taken in any order:",
    ]
    assert [s.select_one(".bundle-credentials").name for s in stacks] == ["ol", "ul"]
    assert texts(stacks[0].select(".bundle-credentials a")) == [
        "Welcoming Classrooms",
        "Restorative Circles",
        "Repairing Harm",
    ]


def test_the_index_shows_each_bundle_above_its_stacks_and_a_stack_in_no_bundle_as_before(dist: Path) -> None:
    page = soup(dist, "index.html")
    bundle = page.select_one("main > section.bundle")
    assert bundle is not None and bundle["id"] == "bundle-new-educator-bundle"
    assert text(bundle.h2) == "New Educator Bundle"
    assert bundle.h2.a["href"] == "bundles/new-educator-bundle/index.html"
    assert texts(bundle.select("section.stack > h3")) == ["Early-Career Foundations", "Wellbeing Toolkit"]
    assert texts(bundle.select("section.stack .card-title")) == [
        "Welcoming Classrooms",
        "Restorative Circles",
        "Repairing Harm",
        "Minutos de atención plena",
        "Welcoming Classrooms",
    ]
    assert [h.name for h in bundle.select(".card-title")] == ["h4"] * 5  # headings nest under the bundle's
    alone = page.select("main > section.stack")
    assert texts([s.h2 for s in alone]) == ["Restorative Practices"]
    assert texts(alone[0].select("h3.card-title")) == ["Restorative Circles", "Repairing Harm"]
    assert texts(page.select(".overview-bundle")) == ["New Educator Bundle", "Other stacks"]
    assert text(page.select_one(".intro p:last-child")) == "4 micro-credentials in 3 stacks."


def test_a_stack_in_a_bundle_names_it_in_its_breadcrumb(dist: Path) -> None:
    page = soup(dist, "stacks/wellbeing-toolkit/index.html")
    assert texts(page.select("nav.breadcrumb a")) == ["Catalog", "New Educator Bundle"]
    assert page.select("nav.breadcrumb a")[1]["href"] == "../../bundles/new-educator-bundle/index.html"
    assert texts(soup(dist, "stacks/restorative-practices/index.html").select("nav.breadcrumb a")) == ["Catalog"]


# What pages may differ in from the ones made before: the version that made them, the graduate-credit line
# (shown now only when a credential offers credit, as one of its credits), and the new previous and next.
GENERATOR = re.compile(r'<meta name="generator" content="catalog [^"]*">')
GRADUATE_CREDIT_BEFORE = re.compile(
    r'<meta name="catalog:graduate-credit" [^>]*>\n|      <div><dt>Graduate credit</dt><dd>.*</dd></div>\n'
)
CREDIT_NOW = re.compile(
    r'<meta name="catalog:credit" [^>]*>\n|      <div><dt>Credit</dt><dd><ul class="fact-list">.*</ul></dd></div>\n'
)
SEQUENCE_NOW = re.compile(r'<nav class="sequence" .*?</nav>\n', re.S)


def test_a_catalog_without_the_new_fields_builds_the_pages_it_built_before(tmp_path: Path) -> None:
    """tests/fixtures/plain/pages/ holds every page of tests/fixtures/plain/content/ as catalog built them
    before issue 14 (commit 349da59, `build --no-pdf`: a PDF's size would tie the pages to the print
    template), and they are kept as they were made. The same content must still make them, byte for byte,
    but for the differences named above."""
    out = tmp_path / "dist"
    command = ["build", "--content", str(PLAIN / "content"), "--out", str(out), "--cache", str(tmp_path / "cache")]
    assert main([*command, "--no-pdf", "--quiet"]) == 0
    before = {p.relative_to(PLAIN / "pages") for p in (PLAIN / "pages").rglob("*.html")}
    now = {p.relative_to(out) for p in out.rglob("*.html") if p.parts[len(out.parts)] != "pagefind"}
    assert now == before and len(before) == 11
    credited = Path("credentials/writing-success-criteria/index.html")
    for page in sorted(before):
        old = GRADUATE_CREDIT_BEFORE.sub("", GENERATOR.sub("", (PLAIN / "pages" / page).read_text()))
        new = GENERATOR.sub("", (out / page).read_text())
        # Only the credential that offers graduate credit says so, in the credit line.
        assert len(CREDIT_NOW.findall(new)) == (2 if page == credited else 0), page
        assert SEQUENCE_NOW.sub("", CREDIT_NOW.sub("", new)) == old, page
    credit = credential_page(out, "writing-success-criteria")
    assert facts(credit)["Credit"] == "Graduate credit. Apply to a partner university after you earn it."
    assert text(soup(out, "index.html").select_one(".tag")) == "Graduate credit"  # the card, as before


# 4. Cards and the facts block


def card(page: BeautifulSoup, title: str) -> Tag:
    found = [c for c in page.select("article.card") if text(c.select_one(".card-title")) == title]
    assert found, title
    return found[0]


def test_cards_show_code_hours_fee_and_one_credit_badge_per_kind(dist: Path) -> None:
    index = soup(dist, "index.html")
    circles = card(index, "Restorative Circles")
    assert texts(circles.select(".card-facts li")) == ["Code: NEA_RP1", "Time to earn: 10 hours", "Fee: $125.00"]
    assert texts(circles.select(".card-meta .tag")) == [
        "Graduate credit: 1 credit hour",
        "Recertification credit: 0.5 recertification units",
    ]
    welcoming = card(index, "Welcoming Classrooms")
    assert texts(welcoming.select(".card-facts li")) == ["Code: NEA_WC1", "Time to earn: 3 hours", "Fee: €40.00"]
    assert texts(welcoming.select(".tag")) == ["Salary advancement credit: 15 salary-advancement hours"]
    assert texts(card(index, "Repairing Harm").select(".card-facts li"))[-1] == "Fee: Free"
    minutos = card(index, "Minutos de atención plena")
    assert texts(minutos.select(".card-facts li")) == ["Time to earn: 12 hours"]  # no code, no fee: not shown
    assert minutos.select_one(".card-title")["lang"] == "es"
    assert index.select(".status-tag") == []  # no draft, no retired credential among the index's cards


def test_the_facts_block_says_every_fact(dist: Path) -> None:
    assert facts(credential_page(dist, "restorative-circles")) == {
        "Issuer": "State Educator Agency",
        "Version": "1.0",
        "Published": "September 1, 2025",
        "Code": "NEA_RP1",
        "Time to earn": "About 10 hours",
        "Fee": "$125.00. Districts may pay for their staff",
        "Credit": "Graduate credit: 1 credit hour, from Riverbend University. Apply within a year of earning the "
        "credential | Recertification credit: 0.5 recertification units",
        "For": "Grades 6-12 teachers | School counsellors",
        "Review": "About 14 days to review. Up to 2 resubmissions. Reviewers are trained practitioners.",
        "Aligned to": "Building relationships (2.B, State Teaching Standards)",
    }
    page = credential_page(dist, "restorative-circles")
    assert page.select_one(".facts a[href='https://example.org/riverbend-credit']").text == "Graduate credit"
    assert page.select_one(".facts a[href='https://example.org/standards/2b']").text == "Building relationships"
    assert facts(credential_page(dist, "repairing-harm"))["Review"] == "No resubmissions."
    assert facts(credential_page(dist, "welcoming-classrooms"))["Fee"] == "€40.00. Waived for district staff"
    assert facts(credential_page(dist, "minutos-de-atencion-plena"))["Language"] == "Spanish"


def test_prerequisites_link_to_their_pages_and_a_draft_not_shown_is_left_out(dist: Path) -> None:
    page = credential_page(dist, "repairing-harm")
    found = facts(page)
    assert found["Requires"] == "Restorative Circles"
    assert found["Recommended first"] == "Welcoming Classrooms"  # trauma-informed-drafting is an unpublished draft
    assert "trauma-informed-drafting" not in str(page)
    links = page.select(".facts dd a")
    assert [(a.text, a["href"]) for a in links] == [
        ("Restorative Circles", "../restorative-circles/index.html"),
        ("Welcoming Classrooms", "../welcoming-classrooms/index.html"),
    ]


def test_the_apply_link_is_the_call_to_action_beside_the_download(dist: Path) -> None:
    actions = credential_page(dist, "restorative-circles").select_one(".credential-head .actions")
    assert actions is not None
    assert [p["class"][0] for p in actions.find_all("p")] == ["apply", "download"]
    assert actions.select_one(".apply a")["href"] == "https://apply.example.org/nea-rp1"
    assert text(actions.select_one(".apply a")) == "Apply or submit"
    assert credential_page(dist, "repairing-harm").select_one(".actions") is None  # no apply_url: as before


def test_a_credentials_language_marks_its_article_and_its_pdf(dist: Path) -> None:
    page = credential_page(dist, "minutos-de-atencion-plena")
    assert page.html["lang"] == "en"  # the site's navigation stays in the site's language
    assert page.select_one("article.credential")["lang"] == "es"
    reader = PdfReader(dist / "credentials/minutos-de-atencion-plena/minutos-de-atencion-plena.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert PdfReader(dist / "credentials/repairing-harm/repairing-harm.pdf").trailer["/Root"]["/Lang"] == "en"
    assert "lang" not in credential_page(dist, "repairing-harm").select_one("article.credential").attrs


def test_money_numbers_and_dates_are_written_in_the_sites_language(tmp_path: Path, cli) -> None:
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": textwrap.dedent(SITE_YML) + "language: fr\ncurrency: EUR\n",
            "credentials/a.md": credential_md(
                "Un titre",
                "hours: 7.5\nfee:\n  amount: 1250.5\ncredits:\n  - kind: ceu\n    amount: 1.25\n    unit: UEC\n"
                "status: retired\nretired_on: 2026-03-01\n",
            ),
            "credentials/b.md": credential_md("Autre", "fee:\n  amount: 30\n  currency: USD\n"),
        },
    )
    result = cli("build", "--content", content, "--out", tmp_path / "dist", "--no-pdf")
    assert result.code == 0, result.err
    found = facts(credential_page(tmp_path / "dist", "a"))
    # The words are French too (tests/test_messages.py proves each language's words).
    assert found["Durée d’obtention"] == "Environ 7,5 heures"
    assert found["Coût"] == "1\u202f250,50\xa0€"
    assert found["Crédits"] == "Unités d’éducation continue: 1,25 UEC"
    notice = text(credential_page(tmp_path / "dist", "a").select_one(".status-notice"))
    assert notice == "Retirée le 1 mars 2026\xa0: cette microcertification n’est plus offerte."
    assert facts(credential_page(tmp_path / "dist", "b"))["Coût"] == "30,00\xa0$US"


# 5. The PDF's title block says the same facts


def test_the_pdf_title_block_holds_the_same_facts(dist: Path) -> None:
    assert_pdf_says(
        dist,
        "restorative-circles",
        "MICRO-CREDENTIAL · EARLY-CAREER FOUNDATIONS, 2 OF 3 · RESTORATIVE PRACTICES, 1 OF 2",  # in capitals
        "Code NEA_RP1",
        "Time to earn About 10 hours",
        "Fee $125.00. Districts may pay for their staff",
        "Credit Graduate credit: 1 credit hour, from Riverbend University. Apply within a year of earning the "
        "credential",
        "Recertification credit: 0.5 recertification units",
        "For Grades 6-12 teachers School counsellors",
        "Review About 14 days to review. Up to 2 resubmissions. Reviewers are trained practitioners.",
        "Aligned to Building relationships (2.B, State Teaching Standards)",
        "Apply or submit https://apply.example.org/nea-rp1",
    )
    assert_pdf_says(
        dist,
        "repairing-harm",
        "Requires Restorative Circles",
        "Recommended first Welcoming Classrooms",
        "Fee Free",
    )
    assert_pdf_says(dist, "minutos-de-atencion-plena", "Language Spanish", "MICRO-CREDENTIAL · WELLBEING TOOLKIT")
    # A PDF is read away from the site: prerequisites link to their pages' full addresses.
    url = credential_page(dist, "repairing-harm").select_one('link[rel="canonical"]')["href"]
    base = url.removesuffix("credentials/repairing-harm/")
    links = pdf_links(dist, "repairing-harm")
    assert f"{base}credentials/restorative-circles/" in links
    assert f"{base}credentials/welcoming-classrooms/" in links
    assert "https://apply.example.org/nea-rp1" in pdf_links(dist, "restorative-circles")


@pytest.mark.parametrize("slug", sorted(p.stem for p in (SHAPES / "credentials").glob("*.md") if "draft" not in p.stem))
def test_every_word_of_each_page_is_in_its_pdf(dist: Path, slug: str) -> None:
    folder = dist / "credentials" / slug
    missing = missing_words(words(page_text(folder / "index.html")), words(pdf_text(dist, slug)))
    assert not missing, f"the PDF of {slug} lacks these words of its page: {missing}"


# 6. Drafts only in the preview; retired credentials keep their page and PDF with a notice


def test_a_draft_is_left_out_of_the_build(dist: Path) -> None:
    assert not (dist / "credentials/trauma-informed-drafting").exists()
    everything = "".join(p.read_text() for p in dist.rglob("*.html"))
    assert "Trauma-Informed Drafting" not in everything
    assert "credentials/trauma-informed-drafting/" not in everything


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`serve` on a copy of the shapes catalog, as an author runs it."""
    root = tmp_path_factory.mktemp("preview")
    content = root / "content"
    shutil.copytree(SHAPES, content)
    with serving(str(ROOT / "build.py"), "serve", "--content", str(content), "--port", "0", "--no-pdf") as running:
        yield running


def test_serve_shows_a_draft_with_its_banner_on_its_page_and_card(preview: Server) -> None:
    status, body = preview.get("credentials/trauma-informed-drafting/")
    assert status == 200, preview.lines
    page = BeautifulSoup(body, "html.parser")
    assert text(page.select_one(".status-notice.status-draft")) == (
        "Draft: not published yet. Only the preview shows this micro-credential."
    )
    assert text(page.select_one("p.eyebrow")) == "Early-Career Foundations · credential 3 of 4"
    _, body = preview.get("")
    draft = card(BeautifulSoup(body, "html.parser"), "Trauma-Informed Drafting")
    assert "card-draft" in draft["class"]
    assert text(draft.select_one(".status-tag")) == "Draft"
    _, body = preview.get("stacks/early-career-foundations/")
    steps = BeautifulSoup(body, "html.parser").select("ol.path li")
    assert text(steps[2].h3) == "Trauma-Informed Drafting" and text(steps[2].select_one(".status-tag")) == "Draft"


def test_a_retired_credential_keeps_its_page_and_pdf_with_a_notice_and_leaves_the_lists(dist: Path) -> None:
    page = credential_page(dist, "circles-first-edition")
    notice = page.select_one(".status-notice.status-retired")
    assert text(notice) == (
        "Retired on August 31, 2025: this micro-credential is no longer offered. It is replaced by Restorative Circles."
    )
    assert notice.time["datetime"] == "2025-08-31"
    assert notice.a["href"] == "../restorative-circles/index.html"
    assert page.select(".eyebrow, nav.sequence") == []  # in no stack's sequence any more
    assert_pdf_says(
        dist,
        "circles-first-edition",
        "Retired on August 31, 2025: this micro-credential is no longer offered. "
        "It is replaced by Restorative Circles.",
    )
    index = soup(dist, "index.html")
    assert "Circles, First Edition" not in text(index.select_one("main"))
    stack = soup(dist, "stacks/restorative-practices/index.html")
    assert texts(stack.select("ol.path h3")) == ["Restorative Circles", "Repairing Harm"]
    pages, _ = search_index(dist / "pagefind")
    assert "/credentials/circles-first-edition/index.html" not in {p["url"] for p in pages}


# 7. Search filters: stack, tag, issuer, credit kind, free or paid, audience, hours in bands


def test_search_filters_read_back_from_the_index(dist: Path) -> None:
    _, filters = search_index(dist / "pagefind")
    circles = "/credentials/restorative-circles/index.html"
    welcoming = "/credentials/welcoming-classrooms/index.html"
    repairing = "/credentials/repairing-harm/index.html"
    minutos = "/credentials/minutos-de-atencion-plena/index.html"
    assert {name: values for name, values in filters.items() if name != "stack"} == {
        "issuer": {"State Educator Agency": [minutos, repairing, circles, welcoming]},
        "tag": {
            "circles": [circles],
            "community": [circles],
            "routines": [welcoming],
            "conferences": [repairing],
            "bienestar": [minutos],
        },
        "credit": {
            "Graduate credit": [circles],
            "Recertification credit": [circles],
            "Continuing education units": [repairing],
            "Salary advancement credit": [welcoming],
            "Other credit": [minutos],
        },
        "cost": {"Paid": [circles, welcoming], "Free": [repairing]},
        "audience": {
            "Grades 6-12 teachers": [circles],
            "School counsellors": [circles],
            "New teachers": [welcoming],
            "Docentes de primaria": [minutos],
        },
        # 3, 10 (the top of its band), 12 and 25 hours.
        "time to earn": {
            "Under 5 hours": [welcoming],
            "5 to 10 hours": [circles],
            "10 to 20 hours": [minutos],
            "Over 20 hours": [repairing],
        },
    }


def test_every_filter_meta_is_named_and_escaped_once_more_than_the_page_needs(tmp_path: Path, cli) -> None:
    """An audience, the one new filter value an author writes, holding markup: Pagefind decodes a filter
    value twice and its interface inserts it as HTML (catalog.escaping.pagefind_filter), so the index must
    hold it escaped once."""
    hostile = "<img src=x onerror=alert(1)> & teachers"
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML,
            "credentials/a.md": credential_md("A", f'audience: ["{hostile}"]\nhours: 4\nfee:\n  amount: 0\n'),
        },
    )
    assert cli("build", "--content", content, "--out", tmp_path / "dist", "--no-pdf").code == 0
    page = credential_page(tmp_path / "dist", "a")
    filtered = page.select("meta[data-pagefind-filter]")
    assert all(m.get("name", "").startswith("catalog:") for m in filtered)
    assert page.select_one('meta[name="catalog:audience"]')["content"] == html.escape(html.escape(hostile))
    _, filters = search_index(tmp_path / "dist" / "pagefind")
    assert list(filters["audience"]) == [html.escape(hostile)]
    assert list(filters["cost"]) == ["Free"] and list(filters["time to earn"]) == ["Under 5 hours"]


# 8. A page is made again when anything it shows changes


def test_a_change_to_a_credential_remakes_the_pages_that_name_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SHAPES, content)
    options = BuildOptions(content, tmp_path / "dist", pdf=False, cache_dir=tmp_path / "cache")
    build(options)
    circles = content / "credentials/restorative-circles.md"
    circles.write_text(circles.read_text().replace("title: Restorative Circles", "title: Community Circles"))
    report = build(options)
    assert "credentials/circles-first-edition/index.html" in report.rendered_pages  # it is replaced by it
    assert "credentials/repairing-harm/index.html" in report.rendered_pages  # it requires it
    assert "bundles/new-educator-bundle/index.html" in report.rendered_pages  # one of its stacks lists it
    assert "pages/about/index.html" not in report.rendered_pages
    retired = credential_page(tmp_path / "dist", "circles-first-edition")
    assert retired.select_one(".status-notice a").text == "Community Circles"


# 9. Outside checkers: valid HTML, and no WCAG 2.1 A or AA violation in either colour scheme


def test_every_page_of_the_shapes_catalog_is_valid_html(dist: Path, preview: Server, tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        missing_tool("The Nu HTML Checker (Java and vnu-jar) is not installed: run scripts/install-test-tools")
    _, draft = preview.get("credentials/trauma-informed-drafting/")  # as the preview serves it
    (tmp_path / "draft.html").write_text(draft)
    pages = [*sorted(dist.rglob("*.html")), tmp_path / "draft.html"]
    assert len(pages) == 13  # index, 404, a bundle, 3 stacks, 5 credentials, a page; and the draft
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", *map(str, pages)], capture_output=True, text=True, timeout=300
    )
    assert [nu_message(message) for message in json.loads(result.stderr)["messages"]] == []


AXE_PAGES = {
    "index": "",
    "bundle": "bundles/new-educator-bundle/index.html",
    "collection": "stacks/wellbeing-toolkit/index.html",
    "two stacks": "credentials/restorative-circles/index.html",
    "retired": "credentials/circles-first-edition/index.html",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_violations_on_the_new_kinds_of_page(browser, site: tuple[str, Path], scheme: str) -> None:
    url, _ = site
    for name, path in AXE_PAGES.items():
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            tab = context.new_page()
            tab.goto(url + path)
            tab.wait_for_load_state("networkidle")
            assert axe_violations(tab) == [], f"{name}, {scheme}, {width} px"
            if name in ("index", "two stacks"):
                ARTIFACTS.mkdir(exist_ok=True)
                shot = ARTIFACTS / f"shapes-{name.replace(' ', '-')}-{scheme}-{width}.png"
                tab.screenshot(path=str(shot), full_page=True)
            context.close()

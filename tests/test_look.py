"""How the catalog looks and reads: the author's words kept in every generated text, badge artwork
that people can read, and pages that pass axe-core in light and dark colours at desktop and phone
widths, with scoring tables that stay whole on a phone.

The browser tests drive the system's Chromium as tests/test_browser.py does: without it they are
skipped with the command that installs it, and in CI (CI=true) a missing browser fails.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from catalog.cli import main

from conftest import FIXTURES, SITE_YML, credential_md, write_files

FEATURES = FIXTURES / "features"
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

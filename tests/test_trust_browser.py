"""Promise 2 of SECURITY.md in a real browser: author text never becomes script, not even where
Pagefind's search interface inserts indexed values as HTML (filters, titles, excerpts)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.cli import main

from conftest import credential_md, start_pages_server, write_files


def payload(where: str) -> str:
    return f"<img src=x onerror=\"window.pwned=(window.pwned||[]).concat('{where}')\">"


def hostile_files() -> dict[str, str | bytes]:
    site = (
        "title: Hostile catalog\n"
        "organisation:\n"
        f"  name: {json.dumps('Org ' + payload('org'))}\n"
        "scales:\n"
        "  passing: [Passing, Not yet]\n"
    )
    extra = (
        f"issuer: {json.dumps('Issuer ' + payload('issuer'))}\ntags: [{json.dumps('zebra ' + payload('tag'))}, plain]\n"
    )
    credential = credential_md(
        title=json.dumps("Zebra <!--<script> " + payload("title")),
        extra=extra,
        body=f"Zebra text {payload('body')} and `{payload('code')}`.\n\n## Zebra {payload('heading')}\n\nMore.",
    ).replace("summary: A one-line summary.", f"summary: {json.dumps('Zebra summary ' + payload('summary'))}")
    stack = (
        "---\n"
        f"title: {json.dumps('Zebra stack ' + payload('stack'))}\n"
        "summary: Stack summary.\n"
        "order: 1\n"
        "credentials: [zebra]\n"
        "---\n"
        "Zebra stack body.\n"
    )
    return {"site.yml": site, "credentials/zebra.md": credential, "stacks/zebra-stack.md": stack}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile")
    content = write_files(root / "content", hostile_files())
    out = root / "dist"
    out.mkdir()
    url, server = start_pages_server(out, "/")
    assert main(["build", "--content", str(content), "--out", str(out), "--base-url", url, "--quiet", "--no-pdf"]) == 0
    yield url
    server.shutdown()
    server.server_close()


def test_search_results_and_filters_show_author_text_as_text(page, hostile_site: str) -> None:
    page.goto(hostile_site)
    page.get_by_role("textbox", name="Search").fill("zebra")
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=15000)
    page.locator(".pagefind-ui__filter-panel summary, .pagefind-ui__filter-name").first.wait_for(timeout=5000)
    for summary in page.locator("details.pagefind-ui__filter-block").all():
        summary.evaluate("element => { element.open = true; }")
    # Pagefind fills the filters in as its index loads, later on a busy machine: wait for all three, up to 10 s.
    wanted = [payload(name) for name in ("tag", "issuer", "stack")]
    deadline = time.monotonic() + 10
    while True:
        labels = page.locator(".pagefind-ui__filter-label").all_inner_texts()
        if all(any(text in label for label in labels) for text in wanted) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    assert any(payload("tag") in label for label in labels), labels
    assert any(payload("issuer") in label for label in labels), labels
    assert any(payload("stack") in label for label in labels), labels
    assert page.evaluate("window.pwned === undefined"), page.evaluate("window.pwned")
    assert page.locator("img[src='x']").count() == 0


def test_credential_page_with_script_in_its_title_keeps_all_its_content(page, hostile_site: str) -> None:
    page.goto(hostile_site + "credentials/zebra/")
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned === undefined"), page.evaluate("window.pwned")
    # A title with "<!--<script>" must not make the JSON-LD element swallow the rest of the page.
    assert page.locator("h1").inner_text().startswith("Zebra <!--<script>")
    assert page.locator("footer").count() == 1
    data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert data["name"].startswith("Zebra <!--<script>")


def test_built_pages_hold_no_raw_payload_and_data_keeps_the_words(tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", hostile_files())
    out = tmp_path / "dist"
    assert main(["build", "--content", str(content), "--out", str(out), "--no-pdf", "--quiet"]) == 0
    for path in out.rglob("*"):
        if path.suffix in (".html", ".xml", ".svg"):
            text = path.read_text(encoding="utf-8")
            assert "<img src=x" not in text, path
            assert "<!--<script>" not in text, path
    # Data files are served as JSON, never as HTML: they keep the author's words exactly.
    data = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert data["credentials"][0]["title"] == "Zebra <!--<script> " + payload("title")

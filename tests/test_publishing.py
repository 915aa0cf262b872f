"""Publishing: a site that works under any base path, search, and open data for badge platforms."""

from __future__ import annotations

import gzip
import json
import shlex
import string
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import cbor2
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from referencing import Registry, Resource

from conftest import ROOT, SAMPLE

SCHEMAS = Path(__file__).parent / "schemas"
BASE_URL = "https://example.org/catalog/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built as the Pages workflow builds it: with a public URL (PDFs included)."""
    from catalog.cli import main

    out = tmp_path_factory.mktemp("published") / "dist"
    assert main(["build", "--content", str(SAMPLE), "--out", str(out), "--base-url", BASE_URL, "--quiet"]) == 0
    return out


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def crawl(start: str) -> dict[str, int]:
    """Every internal page, asset and download reachable from the start page, with its status."""
    seen: dict[str, int] = {}
    queue = [start]
    origin = urlsplit(start)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, body, kind = fetch(url)
        seen[url] = status
        if status != 200 or "html" not in kind:
            continue
        page = BeautifulSoup(body, "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src")):
            for element in page.find_all(tag):
                target = element.get(attr)
                if not target or target.startswith(("mailto:", "#")):
                    continue
                absolute = urljoin(url, target).split("#")[0]
                if urlsplit(absolute).netloc == origin.netloc:
                    queue.append(absolute)
    return seen


@pytest.mark.parametrize("prefix", ["/", "/catalog/"])
def test_zero_broken_links_at_root_and_under_a_subpath(sample_dist: Path, pages_server, prefix: str) -> None:
    start = pages_server(sample_dist, prefix)
    seen = crawl(start)
    broken = {url: status for url, status in seen.items() if status != 200}
    assert broken == {}
    assert len(seen) >= 19 + 12 + 12  # pages, PDFs, badges, and the assets they use
    assert any(url.endswith(".pdf") for url in seen) and any("/pagefind/" in url for url in seen)


def test_404_page_works_at_any_depth_under_the_subpath(published: Path, pages_server) -> None:
    start = pages_server(published, "/catalog/")
    status, body, _ = fetch(start + "credentials/no-such-credential/deeper/page")
    assert status == 404
    page = BeautifulSoup(body, "html.parser")
    where = start + "credentials/no-such-credential/deeper/page"
    targets = [a["href"] for a in page.find_all("a") if not a["href"].startswith("#")]
    targets += [link["href"] for link in page.find_all("link", rel="stylesheet")]
    links = [urljoin(where, t) for t in targets if urlsplit(urljoin(where, t)).netloc == urlsplit(start).netloc]
    assert len(links) >= 3
    assert {link: fetch(link)[0] for link in links} == dict.fromkeys(links, 200)


def test_output_follows_the_pages_rules(published: Path) -> None:
    files = [p for p in published.rglob("*")]
    assert not [p for p in files if p.is_symlink()]
    sizes = [p.stat().st_size for p in files if p.is_file()]
    assert max(sizes) < 100 * 1024 * 1024 and sum(sizes) < 1024 * 1024 * 1024
    assert (published / ".nojekyll").is_file() and (published / "404.html").is_file()


def test_canonical_links_and_sharing_tags(published: Path, sample_dist: Path) -> None:
    page = BeautifulSoup((published / "credentials/calibrating-scorers/index.html").read_text(), "html.parser")
    assert page.find("link", rel="canonical")["href"] == BASE_URL + "credentials/calibrating-scorers/"
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.find_all("meta")}
    assert meta["og:title"] == "Calibrating Scorers for Reliability · Performance Assessment Micro-credentials"
    assert meta["og:description"].startswith("The educator runs a calibration session")
    assert meta["og:image"] == BASE_URL + "credentials/calibrating-scorers/badge.svg"
    assert meta["twitter:card"] == "summary"
    # Without a URL, nothing claims an address and every link stays relative.
    plain = BeautifulSoup((sample_dist / "credentials/calibrating-scorers/index.html").read_text(), "html.parser")
    assert plain.find("link", rel="canonical") is None
    assert plain.find("meta", property="og:image")["content"] == "badge.svg"


def achievement_validator() -> jsonschema.protocols.Validator:
    document = json.loads((SCHEMAS / "openbadges-3.0/achievementcredential.json").read_text())
    resource = Resource.from_contents(document)
    registry = Registry().with_resource(document["$id"], resource)
    schema = {"$schema": document["$schema"], "$ref": document["$id"] + "#/$defs/Achievement"}
    return jsonschema.Draft201909Validator(schema, registry=registry)


@pytest.mark.parametrize("built", ["published", "sample_dist"])
def test_achievements_are_valid_open_badges(request: pytest.FixtureRequest, built: str) -> None:
    out: Path = request.getfixturevalue(built)
    validator = achievement_validator()
    catalog = json.loads((out / "catalog.json").read_text())
    for credential in catalog["credentials"]:
        data = json.loads((out / credential["achievement"]).read_text())
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], credential["slug"]
        assert data["achievementType"] == "MicroCredential"
        assert data["creator"]["name"] == "Riverbend Center for Performance Assessment"
        assert (out / credential["image"]).is_file()
        assert [r["requiredValue"] for r in data["resultDescription"]] == [
            p["pass"] for p in credential["requirements"]
        ]
        for part in credential["requirements"]:
            assert f"Part {part['number']}. {part['title']}" in data["criteria"]["narrative"]
        if credential["graduate_credit"]["credits"]:
            assert data["creditsAvailable"] == credential["graduate_credit"]["credits"]
        if credential["alignments"]:
            assert [a["targetName"] for a in data["alignment"]] == [a["name"] for a in credential["alignments"]]
    community = json.loads(
        (out / "credentials/building-a-performance-assessment-learning-community" / "achievement.json").read_text()
    )
    assert community["alignment"][0]["targetCode"] == "TL-1"
    if built == "published":
        assert (
            community["id"]
            == BASE_URL + "credentials/building-a-performance-assessment-learning-community/achievement.json"
        )
    else:
        assert community["id"].startswith("urn:uuid:")


def test_catalog_json_matches_its_published_schema(published: Path) -> None:
    schema = json.loads((ROOT / "docs/catalog.schema.json").read_text())
    data = json.loads((published / "catalog.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert [s["title"] for s in data["stacks"]] == [
        "Basic Performance Assessment Design",
        "Advanced Performance Assessment Design",
        "Leading a Performance Assessment Community",
        "Performance Assessment for Equity",
    ]
    assert len(data["credentials"]) == 12
    assert data["url"] == BASE_URL


def test_json_ld_feed_sitemap_and_robots(published: Path) -> None:
    page = BeautifulSoup((published / "credentials/calibrating-scorers/index.html").read_text(), "html.parser")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "EducationalOccupationalCredential"
    assert data["name"] == "Calibrating Scorers for Reliability"
    assert data["url"] == BASE_URL + "credentials/calibrating-scorers/"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(published / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 12
    updated = [e.find(f"{atom}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    assert (
        entries[0].find(f"{atom}title").text
        == "Updated: Building a Performance Assessment Learning Community (version 1.2)"
    )
    sitemap = ElementTree.parse(published / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE_URL in locations and BASE_URL + "credentials/calibrating-scorers/" in locations
    assert len(locations) == 18  # every page but the 404
    assert f"Sitemap: {BASE_URL}sitemap.xml" in (published / "robots.txt").read_text()


def test_no_sitemap_or_robots_without_a_url(sample_dist: Path) -> None:
    assert not (sample_dist / "sitemap.xml").exists() and not (sample_dist / "robots.txt").exists()
    assert (sample_dist / "feed.xml").is_file()


def test_generated_badges_are_accessible_svg(sample_dist: Path) -> None:
    svg = ElementTree.parse(sample_dist / "credentials/calibrating-scorers/badge.svg").getroot()
    assert svg.get("role") == "img"
    assert svg.find("{http://www.w3.org/2000/svg}title").text.startswith("Calibrating Scorers for Reliability")


def read_pagefind(folder: Path, name: str) -> object:
    data = gzip.decompress((folder / name).read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return data[len(b"pagefind_dcd") :]


def search_index(folder: Path) -> tuple[list[dict], dict[str, dict[str, list[str]]]]:
    """The pages of a built Pagefind bundle, and its filters as {filter: {value: [page urls]}}."""
    meta = cbor2.loads(read_pagefind(folder, next(folder.glob("pagefind.*.pf_meta")).name))
    pages = [json.loads(read_pagefind(folder, f"fragment/{hash_}.pf_fragment")) for hash_, _ in meta[1]]
    filters: dict[str, dict[str, list[str]]] = {}
    for path in (folder / "filter").glob("*.pf_filter"):
        name, values = cbor2.loads(read_pagefind(folder, f"filter/{path.name}"))
        filters[name] = {value: sorted(pages[i]["url"] for i in numbers) for value, numbers in values}
    return pages, filters


def test_search_finds_a_word_from_one_body_and_filters_by_stack(sample_dist: Path) -> None:
    pages, filters = search_index(sample_dist / "pagefind")
    # "seniority" appears only in the body of the calibration credential.
    found = [page["url"] for page in pages if "seniority" in page["content"].lower()]
    assert found == ["/credentials/calibrating-scorers/index.html"]
    assert {p["url"] for p in pages} >= {
        "/stacks/basic-performance-assessment-design/index.html",
        "/pages/how-to-earn/index.html",
    }
    for path in (SAMPLE / "stacks").glob("*.md"):
        stack = yaml.safe_load(path.read_text().split("---\n")[1])
        expected = sorted(f"/credentials/{slug}/index.html" for slug in stack["credentials"])
        assert filters["stack"][stack["title"]] == expected
    assert {"stack", "tag", "issuer", "credit"} <= set(filters)
    assert len(filters["credit"]["Graduate credit"]) == 9


def test_workflow_builds_then_deploys_with_pages_permissions(sample_copy: Path, monkeypatch, cli) -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    # Each job gets only what it uses: only the deploy job may write to Pages or ask for an identity token.
    assert workflow["permissions"] == {}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    actions = [step["uses"].split("@")[0] for step in build["steps"] if "uses" in step]
    assert actions[-1] == "actions/upload-pages-artifact"  # only after the build succeeded
    assert "actions/cache" in actions
    assert build["steps"][0]["with"]["persist-credentials"] is False
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].split("@")[0] == "actions/deploy-pages"
    # Every catalog command the workflow runs, run here as it runs them: from the top of a checkout, with
    # the address configure-pages gives (no trailing slash) passed through the step's environment.
    outputs = {"${{ steps.pages.outputs.base_url }}": BASE_URL.removesuffix("/")}
    commands = [step for step in build["steps"] if str(step.get("run", "")).startswith("catalog ")]
    assert [step["run"].split()[:2] for step in commands] == [["catalog", "check"], ["catalog", "build"]]
    monkeypatch.chdir(sample_copy.parent)
    for step in commands:
        environment = {name: outputs[value] for name, value in step.get("env", {}).items()}
        words = [string.Template(word).substitute(environment) for word in shlex.split(step["run"])]
        run = cli(*words[1:])
        assert run.code == 0 and "::error" not in run.err, run.err
    page = BeautifulSoup((sample_copy.parent / "dist/index.html").read_text(), "html.parser")
    assert page.find("link", rel="canonical")["href"] == BASE_URL

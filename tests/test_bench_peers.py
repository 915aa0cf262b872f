"""bench/peers.py's conversion: the Hugo and MkDocs sites it writes hold every page of the catalog.

Only the conversion is tested here: installing Hugo and MkDocs and timing them is the benchmark's work.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from catalog.model import Catalog, Credential, Part
from catalog.validate import load_catalog

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate
from peers import convert

CREDENTIALS = 7  # three stacks, the last with one credential, and the About page
PIPE = "Either this | or that, in one cell"
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, Path, Path]:
    root = tmp_path_factory.mktemp("peers")
    content = root / "content"
    generate(CREDENTIALS, content)
    first = content / "credentials/credential-0001.md"
    first.write_text(re.sub(r'looks_for: "[^"]*"', f'looks_for: "{PIPE}"', first.read_text(), count=1))
    catalog, _ = load_catalog(content)
    hugo, mkdocs = convert(content, root / "peers")
    return catalog, hugo, mkdocs


def credential_pages(hugo: Path, mkdocs: Path, credential: Credential) -> list[str]:
    return [
        (hugo / "content/credentials" / f"{credential.slug}.md").read_text(),
        (mkdocs / "docs/credentials" / f"{credential.slug}.md").read_text(),
    ]


def scoring_table(text: str, part: Part) -> list[list[str]]:
    """The cells of each row of a part's scoring guide, the header row first."""
    section = text.split(f"### Part {part.number}: {part.title}\n", 1)[1]
    lines = section.split(f"#### Scoring guide (to pass: {part.pass_level})\n", 1)[1].lstrip("\n").splitlines()
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        if not set(line) <= set("|-"):  # the separator row
            rows.append([cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


# Every page of the catalog is in both sites.


def test_every_credential_has_a_page_in_both_sites_with_a_scoring_table_for_each_part(
    converted: tuple[Catalog, Path, Path],
) -> None:
    catalog, hugo, mkdocs = converted
    assert len(catalog.credentials) == CREDENTIALS
    for credential in catalog.credentials:
        for text in credential_pages(hugo, mkdocs, credential):
            assert f"# {credential.title}\n\n{credential.summary}\n" in text
            assert credential.key_method in text
            assert credential.body.strip() in text
            for part in credential.parts:
                assert f"### Part {part.number}: {part.title}\n\n{part.instructions}\n" in text
                rows = scoring_table(text, part)
                assert rows[0] == ["Criterion", "Looks for", *part.scale.levels]
                assert rows[1:] == [
                    [c.title, c.looks_for, *(dict(c.levels)[level] for level in part.scale.levels)]
                    for c in part.criteria
                ]
            for resource in credential.resources:
                assert f"- [{resource.title}]({resource.url}): {resource.note}" in text


def test_hugo_pages_carry_their_title_in_front_matter_and_mkdocs_pages_in_their_first_heading(
    converted: tuple[Catalog, Path, Path],
) -> None:
    catalog, hugo, mkdocs = converted
    for credential in catalog.credentials:
        hugo_text, mkdocs_text = credential_pages(hugo, mkdocs, credential)
        assert yaml.safe_load(hugo_text.split("---\n")[1]) == {"title": credential.title}
        assert mkdocs_text.startswith(f"# {credential.title}\n")


def test_every_stack_and_free_page_has_a_page_and_the_index_links_every_stack_and_credential(
    converted: tuple[Catalog, Path, Path],
) -> None:
    catalog, hugo, mkdocs = converted
    hugo_index, mkdocs_index = (hugo / "content/_index.md").read_text(), (mkdocs / "docs/index.md").read_text()
    for stack in catalog.stacks:
        members = catalog.credentials_of(stack)
        for folder, link in (
            (hugo / "content", f"/stacks/{stack.slug}/"),
            (mkdocs / "docs", f"stacks/{stack.slug}.md"),
        ):
            text = (folder / "stacks" / f"{stack.slug}.md").read_text()
            assert f"# {stack.title}\n\n{stack.summary}\n" in text
            assert [line.split("](")[0] for line in text.splitlines() if re.match(r"\d+\. \[", line)] == [
                f"{number}. [{credential.title}" for number, credential in enumerate(members, 1)
            ]
            assert f"[{stack.title}]({link})" in (hugo_index if folder.parent == hugo else mkdocs_index)
    for credential in catalog.credentials:
        assert f"[{credential.title}](/credentials/{credential.slug}/)" in hugo_index
        assert f"[{credential.title}](credentials/{credential.slug}.md)" in mkdocs_index
    assert [page.slug for page in catalog.pages] == ["about"]
    for path in (hugo / "content/pages/about.md", mkdocs / "docs/pages/about.md"):
        assert "# About\n\n" in path.read_text()


def test_every_link_between_pages_leads_to_a_page_of_the_same_site(converted: tuple[Catalog, Path, Path]) -> None:
    _, hugo, mkdocs = converted
    checked = 0
    for source in sorted((hugo / "content").rglob("*.md")):
        for target in LINK.findall(source.read_text()):
            if target.startswith("/"):
                path = "_index.md" if target == "/" else target.strip("/") + ".md"
                assert (hugo / "content" / path).is_file(), f"{source}: {target}"
                checked += 1
    for source in sorted((mkdocs / "docs").rglob("*.md")):
        for target in LINK.findall(source.read_text()):
            if not target.startswith("https://"):
                assert (source.parent / target).resolve().is_file(), f"{source}: {target}"
                checked += 1
    assert checked > 4 * CREDENTIALS  # stack, neighbours and index links of every credential, in both


# What would break a page or change what is compared.


def test_a_pipe_in_a_criterion_stays_inside_its_table_cell(converted: tuple[Catalog, Path, Path]) -> None:
    catalog, hugo, mkdocs = converted
    credential = catalog.credentials[0]
    part = credential.parts[0]
    assert part.criteria[0].looks_for == PIPE
    for text in credential_pages(hugo, mkdocs, credential):
        assert "| Either this \\| or that, in one cell |" in text
        rows = scoring_table(text, part)
        assert rows[1][1] == PIPE
        assert {len(row) for row in rows} == {2 + len(part.scale.levels)}


def test_the_peers_write_no_search_index_feed_sitemap_or_lists_the_catalog_is_not_compared_on(
    converted: tuple[Catalog, Path, Path],
) -> None:
    _, hugo, mkdocs = converted
    config = tomllib.loads((hugo / "hugo.toml").read_text())
    assert config["title"] == "Generated catalog"
    assert set(config["disableKinds"]) == {"taxonomy", "term", "RSS", "sitemap", "robotsTXT", "section", "404"}
    for layout in ("layouts/_default/single.html", "layouts/index.html"):
        assert "{{ .Content }}" in (hugo / layout).read_text()
    settings = yaml.safe_load((mkdocs / "mkdocs.yml").read_text())
    assert settings == {
        "site_name": "Generated catalog",
        "theme": {"name": "mkdocs"},
        "plugins": [],  # no search index
        "nav": [{"Home": "index.md"}, {"About": "pages/about.md"}],  # not every credential on every page
    }

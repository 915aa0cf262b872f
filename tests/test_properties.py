"""Property-based tests: whatever an author types, the result is a model or located problems, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog import markdown
from catalog.content import split_front_matter, suggest_slug
from catalog.kinds import SLUG_RE
from catalog.paths import content_target, relative_url
from catalog.problem import Problem
from catalog.validate import check_content

from conftest import SITE_YML, credential_md, write_files

FRONT_MATTER_PIECES = st.sampled_from(
    [
        "---\n",
        "...\n",
        "\n",
        "title: x\n",
        "title: [\n",
        "  - a\n",
        "key: &a 1\n",
        "b: *a\n",
        "? x\n",
        "!!python/x y\n",
        "\t- tab\n",
        "published: 2024-02-30\n",
        "---\n---\n",
        "\ufeff",
        "# comment\n",
        "a: b: c\n",
        "'\n",
        '"\n',
    ]
)


@given(st.lists(FRONT_MATTER_PIECES | st.text(max_size=40), max_size=12))
@settings(max_examples=300, deadline=None)
def test_front_matter_splitting_never_raises(pieces: list[str]) -> None:
    problems: list[Problem] = []
    result = split_front_matter("".join(pieces), "c.md", problems)
    if result is None:
        assert problems and all(p.path == "c.md" and p.line >= 1 for p in problems)
    else:
        yaml_text, yaml_line, body, body_line = result
        assert yaml_line == 2 and body_line >= 3
        # The front matter never swallows its closing line, and the body is what follows it.
        assert not any(line.rstrip() in ("---", "...") for line in yaml_text.split("\n"))
        assert "".join(pieces).replace("\r\n", "\n").endswith(body)


@given(st.lists(FRONT_MATTER_PIECES | st.text(max_size=40), max_size=12))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_credential_file_gives_a_model_or_located_problems(tmp_path_factory, pieces: list[str]) -> None:
    content = tmp_path_factory.mktemp("c")
    write_files(content, {"site.yml": SITE_YML})
    (content / "credentials").mkdir()
    (content / "credentials/c.md").write_text("".join(pieces), encoding="utf-8", errors="surrogatepass")
    catalog, problems = check_content(content)
    assert (catalog is None) == any(p.severity == "error" for p in problems)
    for problem in problems:
        assert problem.path.endswith(("credentials/c.md", "site.yml"))
        assert problem.line >= 0 and problem.message


@given(st.text(max_size=60))
def test_suggested_slugs_are_always_valid(title: str) -> None:
    assert SLUG_RE.match(suggest_slug(title))


@given(st.text(max_size=80))
@settings(max_examples=300)
def test_link_handling_never_raises_and_never_leaves_the_content(url: str) -> None:
    content = Path("/srv/project/content")
    found = content_target(content, content / "credentials/c.md", url)
    if found is not None:
        target, _ = found
        assert not target.startswith(("/", "..")) and ".." not in target.split("/")
    if markdown.is_safe_url(url):
        squeezed = "".join(ch for ch in url if ch > " " and ch != "\x7f").lower()
        assert not squeezed.startswith(("javascript:", "vbscript:", "data:", "file:"))


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_markdown_output_never_carries_script(body: str) -> None:
    for allow_html in (False, True):
        html = markdown.render(body, lambda url, is_image: "x", allow_html)
        lowered = html.lower()
        assert "<script" not in lowered and "javascript:" not in lowered.replace("&amp;", "&").split('href="')[0]
        assert " onerror=" not in lowered and " onload=" not in lowered


@given(
    st.lists(st.from_regex(r"[a-z]{1,3}", fullmatch=True), min_size=1, max_size=4),
    st.lists(st.from_regex(r"[a-z]{1,3}", fullmatch=True), min_size=1, max_size=4),
)
def test_relative_urls_resolve_back(a: list[str], b: list[str]) -> None:
    import posixpath

    here, there = "/".join([*a, "index.html"]), "/".join([*b, "page.html"])
    link = relative_url(here, there)
    assert posixpath.normpath(posixpath.join(posixpath.dirname(here), link)) == there


def test_a_valid_file_still_gives_a_model(tmp_path: Path) -> None:
    write_files(tmp_path, {"site.yml": SITE_YML, "credentials/c.md": credential_md()})
    catalog, problems = check_content(tmp_path)
    assert catalog is not None and [p for p in problems if p.severity == "error"] == []

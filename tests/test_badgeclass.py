"""Open Badges 2.0 BadgeClasses and the issuers' Profiles: every key is an OB 2.0 term, every required property
is there, every id is an absolute IRI that the build wrote, and each issuer says the same thing everywhere, with
only its own url and email (a credential's issuer never borrows the site organisation's)."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup
from PIL import Image
from referencing import Registry, Resource
from test_publishing import achievement_validator

from conftest import SAMPLE, SITE_YML, credential_md, write_files

SCHEMAS = Path(__file__).parent / "schemas"
BASE_URL = "https://example.org/catalog/"
SPEC = "https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html"

# Required properties, from the specification (SPEC): the bold rows of the BadgeClass table (#BadgeClass), and
# "A note on required properties" under Profile (#Profile): "When used as a badge issuer, the following
# properties are required: id, type, name, url, email".
BADGECLASS_REQUIRED = ("id", "type", "name", "description", "image", "criteria", "issuer")
ISSUER_REQUIRED = ("id", "type", "name", "url", "email")
# AlignmentObject (#Alignment): "targetName is required ... targetUrl is required".
ALIGNMENT_REQUIRED = ("targetName", "targetUrl")

# The keywords of JSON-LD 1.0 (https://www.w3.org/TR/2014/REC-json-ld-20140116/#syntax-tokens-and-keywords).
JSON_LD_KEYWORDS = {
    "@context",
    "@id",
    "@type",
    "@value",
    "@language",
    "@index",
    "@list",
    "@set",
    "@reverse",
    "@graph",
    "@vocab",
    "@base",
}
OB2_TERMS = set(json.loads((SCHEMAS / "openbadges-2.0/context.json").read_text(encoding="utf-8"))["@context"])

ORGANISATION = "Test Organisation"
SITE_WITH_CONTACT = SITE_YML  # the organisation gives its url and email
SITE_WITHOUT_CONTACT = SITE_YML.replace(
    '{name: Test Organisation, url: "https://test.example.org/", email: hello@test.example.org}',
    "{name: Test Organisation}",
)
assert SITE_WITHOUT_CONTACT != SITE_WITH_CONTACT
PARTNER = """issuer:
  name: Partner University
  url: https://partner.example.edu/
  email: badges@partner.example.edu
"""

# Five issuers' worth of credentials: the organisation by default, by name and as a record; an issuer given as a
# bare name; a partner given as a record by two credentials; a retired credential naming its replacement.
SEVERAL_ISSUERS = {
    "site.yml": SITE_WITH_CONTACT,
    "credentials/ours.md": credential_md(
        "Ours",
        "tags: [circles, trust]\n"
        "alignments:\n"
        "  - name: Builds a positive classroom climate\n"
        "    url: https://standards.example.org/2b\n"
        "    framework: State Teaching Standards\n"
        "    code: STS-2B\n",
    ),
    "credentials/ours-by-name.md": credential_md("Ours by name", f"issuer: {ORGANISATION}\n"),
    "credentials/ours-as-record.md": credential_md(
        "Ours as record", f"issuer:\n  name: {ORGANISATION}\n  url: https://test.example.org/\n"
    ),
    "credentials/other.md": credential_md("Other", "issuer: Other Org\n"),
    "credentials/partner-one.md": credential_md("Partner one", PARTNER),
    "credentials/partner-two.md": credential_md("Partner two", PARTNER),
    "credentials/old.md": credential_md(
        "Old", "status: retired\nretired_on: 2025-01-01\nreplaced_by: partner-one\n" + PARTNER
    ),
    "stacks/all.md": """
        ---
        title: All
        summary: Every credential.
        order: 1
        credentials: [ours, ours-by-name, ours-as-record, other, partner-one, partner-two]
        ---
        """,
}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def build(cli, content: Path, out: Path, *args: str) -> str:
    """Build through the command line; the warnings it printed."""
    run = cli("build", "--content", content, "--out", out, "--no-pdf", *args)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run.err


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("several") / "content", SEVERAL_ISSUERS)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, several: Path) -> dict[str, Path]:
    """The sample and the several-issuers catalog, each built with and without a public URL."""
    from catalog.cli import main

    root = tmp_path_factory.mktemp("builds")
    found = {}
    for name, content in (("sample", SAMPLE), ("several", several)):
        for url in ("", BASE_URL):
            out = root / f"{name}-{'url' if url else 'plain'}"
            given = ["--base-url", url] if url else []
            args = ["build", "--content", str(content), "--out", str(out), "--cache", str(out) + "-cache"]
            assert main([*args, "--no-pdf", "-q", *given]) == 0
            found[f"{name} {'with' if url else 'without'} a URL"] = out
    return found


BUILDS = ["sample with a URL", "sample without a URL", "several with a URL", "several without a URL"]


def badgeclasses(out: Path) -> dict[str, dict[str, Any]]:
    return {path.parent.name: load(path) for path in sorted(out.glob("credentials/*/badgeclass.json"))}


def profiles(out: Path, name: str = "issuer.json") -> list[Path]:
    return [out / name, *sorted(out.glob(f"issuers/*/{name}"))]


def keys(value: Any, where: str = "") -> list[tuple[str, str]]:
    """Every key of every object, nested ones included, with where it is."""
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in keys(item, f"{where}[{i}]")]
    if not isinstance(value, dict):
        return []
    found = []
    for key, item in value.items():
        found.append((f"{where}.{key}", key))
        if key != "@context":
            found += keys(item, f"{where}.{key}")
    return found


def served(out: Path, address: str) -> Path:
    """The file of the built site an address of BASE_URL names (a folder's address names its index.html)."""
    assert address.startswith(BASE_URL), address
    path = out / address.removeprefix(BASE_URL)
    return path / "index.html" if address.endswith("/") else path


# --- Every key is an Open Badges 2.0 term, and every required property is there --------------------------------


@pytest.mark.parametrize("built", BUILDS)
def test_every_key_of_every_badgeclass_and_issuer_profile_is_an_ob2_term_or_a_json_ld_keyword(
    builds: dict[str, Path], built: str
) -> None:
    out = builds[built]
    documents = [*badgeclasses(out).values(), *(load(path) for path in profiles(out))]
    assert len(documents) >= 3
    for data in documents:
        assert data["@context"] == "https://w3id.org/openbadges/v2"
        unknown = [where for where, key in keys(data) if key not in OB2_TERMS | JSON_LD_KEYWORDS]
        assert unknown == [], data["id"]
        assert data["type"] in OB2_TERMS  # BadgeClass, Issuer: types the context names


@pytest.mark.parametrize("built", BUILDS)
def test_every_property_open_badges_2_requires_is_present(builds: dict[str, Path], built: str) -> None:
    out = builds[built]
    for slug, data in badgeclasses(out).items():
        assert [name for name in BADGECLASS_REQUIRED if data.get(name) in (None, "", [], {})] == [], slug
        assert data["type"] == "BadgeClass"
        assert data["criteria"]["narrative"]
        for alignment in data.get("alignment", []):
            assert all(alignment[name] for name in ALIGNMENT_REQUIRED)
    for path in profiles(out):
        data = load(path)
        assert data["type"] == "Issuer"
        missing = [name for name in ISSUER_REQUIRED if not data.get(name)]
        # Only an issuer the content gives no url or email lacks them (a warning says so: see below).
        assert missing == ([] if data["name"] != "Other Org" else ["url", "email"]), path


def test_the_sample_has_one_issuer_with_every_required_property(builds: dict[str, Path]) -> None:
    out = builds["sample with a URL"]
    assert profiles(out) == [out / "issuer.json"]
    assert load(out / "issuer.json") == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": BASE_URL + "issuer.json",
        "name": "Riverbend Center for Performance Assessment",
        "url": "https://example.org/riverbend",
        "email": "credentials@example.org",
    }


def test_a_badgeclass_says_what_the_spec_offers_that_the_credential_has(builds: dict[str, Path]) -> None:
    out = builds["several with a URL"]
    ours = load(out / "credentials/ours/badgeclass.json")
    assert ours["criteria"]["id"] == BASE_URL + "credentials/ours/"
    assert ours["image"] == BASE_URL + "credentials/ours/badge.svg"
    assert ours["tags"] == ["circles", "trust"]
    assert ours["@language"] == "en"
    assert ours["version"] == "1.0"
    assert ours["alignment"] == [
        {
            "targetName": "Builds a positive classroom climate",
            "targetUrl": "https://standards.example.org/2b",
            "targetFramework": "State Teaching Standards",
            "targetCode": "STS-2B",
        }
    ]
    old = load(out / "credentials/old/badgeclass.json")
    assert old["related"] == [
        {"id": BASE_URL + "credentials/partner-one/badgeclass.json", "@language": "en", "version": "1.0"}
    ]
    # Without a URL there is no page address to give: criteria is the narrative alone.
    plain = load(builds["several without a URL"] / "credentials/ours/badgeclass.json")
    assert list(plain["criteria"]) == ["narrative"]
    assert plain["image"] == "credentials/ours/badge.svg"


# --- Ids are absolute IRIs, and each resolves to a file the build wrote -----------------------------------------


def ids(out: Path) -> list[tuple[str, str]]:
    """(where, IRI) for each identifier the BadgeClasses, Profiles and Achievements give."""
    found = []
    for slug, data in badgeclasses(out).items():
        found += [(f"{slug} id", data["id"]), (f"{slug} issuer", data["issuer"])]
        found += [(f"{slug} related", r["id"]) for r in data.get("related", [])]
        found += [(f"{slug} criteria", data["criteria"]["id"])] if "id" in data["criteria"] else []
        achievement = load(out / f"credentials/{slug}/achievement.json")
        found += [(f"{slug} creator", achievement["creator"]["id"])]
    for path in [*profiles(out), *profiles(out, "issuer.ob3.json")]:
        found.append((str(path.relative_to(out)), load(path)["id"]))
    return found


@pytest.mark.parametrize("name", ["sample", "several"])
def test_ids_are_absolute_iris_that_resolve_to_files_the_build_wrote(builds: dict[str, Path], name: str) -> None:
    out = builds[f"{name} with a URL"]
    for where, iri in ids(out):
        assert served(out, iri).is_file(), where
    for data in badgeclasses(out).values():
        assert served(out, data["image"]).is_file()
    for path in profiles(out):
        assert served(out, load(path)["id"]) == path
        assert served(out, load(path.with_name("issuer.ob3.json"))["id"]) == path.with_name("issuer.ob3.json")
    for slug, data in badgeclasses(out).items():
        assert served(out, data["id"]) == out / f"credentials/{slug}/badgeclass.json"


@pytest.mark.parametrize("name", ["sample", "several"])
def test_without_a_url_every_id_is_a_stable_urn_uuid(builds: dict[str, Path], name: str) -> None:
    out = builds[f"{name} without a URL"]
    found = ids(out)
    assert all(iri.startswith("urn:uuid:") and len(iri) == len("urn:uuid:") + 36 for _, iri in found)
    documents = [iri for where, iri in found if where.endswith((" id", ".json"))]
    assert len(set(documents)) == len(documents)  # each BadgeClass and Profile has its own


# --- One issuer, the same everywhere; no mixing ---------------------------------------------------------------


def pick(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: data[name] for name in names if name in data}


def contact(data: dict[str, Any]) -> tuple[str, str | None, str | None]:
    return data["name"], data.get("url"), data.get("email")


@pytest.mark.parametrize("built", BUILDS)
def test_badgeclass_issuer_profiles_and_achievement_creator_agree(builds: dict[str, Path], built: str) -> None:
    out = builds[built]
    profile_of = {load(path)["id"]: load(path) for path in profiles(out)}
    ob3_of = {load(path)["id"]: load(path) for path in profiles(out, "issuer.ob3.json")}
    assert len(profile_of) == len(ob3_of)
    for slug, badge in badgeclasses(out).items():
        achievement = load(out / f"credentials/{slug}/achievement.json")
        issuer = profile_of[badge["issuer"]]
        creator = achievement["creator"]
        assert contact(issuer) == contact(creator), slug
        # The creator embeds the 3.0 Profile published at its id, word for word.
        assert {k: v for k, v in ob3_of[creator["id"]].items() if k != "@context"} == creator
        # The same folder holds an issuer's two versions.
        assert profiles(out).index(next(p for p in profiles(out) if load(p)["id"] == badge["issuer"])) == [
            load(p)["id"] for p in profiles(out, "issuer.ob3.json")
        ].index(creator["id"])
        assert (badge["name"], badge["description"]) == (achievement["name"], achievement["description"])
        assert badge["criteria"]["narrative"] == achievement["criteria"]["narrative"]
        assert badge.get("criteria", {}).get("id") == achievement["criteria"].get("id")


def test_each_issuer_has_its_own_profile_with_only_its_own_url_and_email(builds: dict[str, Path]) -> None:
    out = builds["several with a URL"]
    assert {str(p.relative_to(out)): contact(load(p)) for p in profiles(out)} == {
        "issuer.json": (ORGANISATION, "https://test.example.org/", "hello@test.example.org"),
        "issuers/other-org/issuer.json": ("Other Org", None, None),
        "issuers/partner-university/issuer.json": (
            "Partner University",
            "https://partner.example.edu/",
            "badges@partner.example.edu",
        ),
    }
    issuer_of = {slug: load(served(out, data["issuer"]))["name"] for slug, data in badgeclasses(out).items()}
    assert issuer_of == {
        "ours": ORGANISATION,
        "ours-by-name": ORGANISATION,  # given by the organisation's name: it IS the organisation
        "ours-as-record": ORGANISATION,
        "other": "Other Org",
        "partner-one": "Partner University",
        "partner-two": "Partner University",
        "old": "Partner University",
    }


@pytest.mark.parametrize("built", ["several with a URL", "several without a URL"])
def test_no_mixing_another_issuer_never_carries_the_site_organisations_url_or_email(
    builds: dict[str, Path], built: str
) -> None:
    out = builds[built]
    site_contact = {"https://test.example.org/", "hello@test.example.org"}
    for slug in ("other", "partner-one"):
        badge = load(out / f"credentials/{slug}/badgeclass.json")
        creator = load(out / f"credentials/{slug}/achievement.json")["creator"]
        profile = load(next(p for p in profiles(out) if load(p)["id"] == badge["issuer"]))
        for data in (creator, profile):
            assert not {data.get("url"), data.get("email")} & site_contact, (slug, data)
        page = BeautifulSoup((out / f"credentials/{slug}/index.html").read_text(encoding="utf-8"), "html.parser")
        recognized = json.loads(page.find("script", type="application/ld+json").string)["recognizedBy"]
        assert recognized == {"@type": "Organization", "name": profile["name"], **pick(profile, "url")}
    other = load(out / "credentials/other/achievement.json")["creator"]
    assert contact(other) == ("Other Org", None, None)  # a text issuer has no url or email


# --- The Open Badges 3.0 side stays valid ---------------------------------------------------------------------


def profile_validator() -> jsonschema.protocols.Validator:
    document = json.loads((SCHEMAS / "openbadges-3.0/profile.json").read_text())
    registry = Registry().with_resource(document["$id"], Resource.from_contents(document))
    return jsonschema.Draft201909Validator(document, registry=registry)


@pytest.mark.parametrize("built", BUILDS)
def test_ob3_profiles_and_achievements_are_valid_against_1edtechs_schemas(builds: dict[str, Path], built: str) -> None:
    out = builds[built]
    for path in profiles(out, "issuer.ob3.json"):
        data = load(path)
        assert [e.message for e in profile_validator().iter_errors(data)] == [], path
        assert data["@context"][1] == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    for path in out.glob("credentials/*/achievement.json"):
        assert [e.message for e in achievement_validator().iter_errors(load(path))] == [], path


# --- Checks: an issuer described once, with what Open Badges 2.0 requires -------------------------------------


def test_what_open_badges_2_requires_and_the_content_lacks_is_a_located_warning(
    cli, several: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(several.parent)
    run = cli("check", "--content", several)
    assert run.code == 0
    assert [line for line in run.err.splitlines() if line.startswith("content/")] == [
        "content/credentials/other.md:7: warning: the issuer 'Other Org' has no url or email, which Open Badges "
        "2.0 requires of an issuer (write issuer: {name: Other Org, url: https://..., email: ...} in every credential "
        f"naming it ({SPEC}#Profile))",
    ]


def test_an_issuer_lacking_url_and_email_is_said_once_at_the_first_credential_naming_it(cli, tmp_path: Path) -> None:
    stack = "---\ntitle: S\nsummary: A stack.\norder: 1\ncredentials: [a, b, c]\n---\n"
    files = {"site.yml": SITE_YML, "stacks/s.md": stack}
    for slug in "abc":
        files[f"credentials/{slug}.md"] = credential_md(slug.upper(), extra="issuer: Example Center\n")
    content = write_files(tmp_path / "content", files)
    run = cli("check", "--content", content)
    assert run.code == 0
    said = [line for line in run.err.splitlines() if "'Example Center' has no url or email" in line]
    assert len(said) == 1 and said[0].startswith(f"{content}/credentials/a.md:"), run.err


def test_an_organisation_without_url_and_email_is_a_warning_at_site_yml_and_still_builds(
    cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (project / "site.yml").write_text(textwrap.dedent(SITE_WITHOUT_CONTACT).lstrip("\n"), encoding="utf-8")
    warnings = build(cli, project, tmp_path / "dist")
    assert (
        "content/site.yml:2: warning: the organisation has no url or email, which Open Badges 2.0 requires of an "
        f"issuer (add url:, email: to organisation in site.yml ({SPEC}#Profile))"
    ) in warnings.splitlines()
    assert contact(load(tmp_path / "dist/issuer.json")) == ("Test Organisation", None, None)
    assert cli("check", "--content", project, "--strict").code == 1


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from tmp_path, so that problems name content/... as an author sees them."""
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("in_tmp")
def test_badge_artwork_open_badges_2_does_not_accept_is_a_located_warning(cli, tmp_path: Path) -> None:
    data = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(data, "JPEG")
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_WITH_CONTACT,
            "credentials/c.md": credential_md("C", "image: assets/c.jpg\n"),
            "assets/c.jpg": data.getvalue(),
        },
    )
    warnings = build(cli, content, tmp_path / "dist")
    assert (
        "content/credentials/c.md:7: warning: Open Badges 2.0 requires a PNG or SVG badge image, and "
        "badgeclass.json names this one as it is (save the artwork as .png or .svg)"
    ) in warnings.splitlines()
    assert load(tmp_path / "dist/credentials/c/badgeclass.json")["image"] == "assets/c.jpg"


def refused(cli, tmp_path: Path, files: dict[str, str], expected: list[str]) -> None:
    """check and build both fail with exactly these errors, and no output folder appears."""
    content = write_files(tmp_path / "content", files)
    for command in (("check",), ("build", "--out", tmp_path / "dist", "--no-pdf")):
        run = cli(*command, "--content", content)
        assert run.code == 1
        assert [line for line in run.err.splitlines() if line.startswith("content/")] == expected
        assert "Traceback" not in run.err
    assert not (tmp_path / "dist").exists()


@pytest.mark.usefixtures("in_tmp")
def test_an_issuer_named_as_the_organisation_cannot_give_another_url_or_email(cli, tmp_path: Path) -> None:
    refused(
        cli,
        tmp_path,
        {
            "site.yml": SITE_WITH_CONTACT,
            "credentials/c.md": credential_md(
                "C", f"issuer:\n  name: {ORGANISATION}\n  url: https://elsewhere.example.org/\n  email: a@b.org\n"
            ),
        },
        [
            "content/credentials/c.md:9: the issuer 'Test Organisation' is the site's organisation, whose url in "
            "site.yml is 'https://test.example.org/' (remove url here, or change the organisation's url in site.yml)",
            "content/credentials/c.md:10: the issuer 'Test Organisation' is the site's organisation, whose email in "
            "site.yml is 'hello@test.example.org' (remove email here, or change the organisation's email in "
            "site.yml)",
        ],
    )


@pytest.mark.usefixtures("in_tmp")
def test_one_issuer_described_two_ways_is_an_error_at_the_second(cli, tmp_path: Path) -> None:
    refused(
        cli,
        tmp_path,
        {
            "site.yml": SITE_WITH_CONTACT,
            "credentials/a.md": credential_md("A", PARTNER),
            "credentials/b.md": credential_md("B", PARTNER.replace("badges@", "other@")),
            "credentials/c.md": credential_md("C", "issuer: Partner University\n"),
        },
        [
            "content/credentials/b.md:7: the issuer 'Partner University' is described differently in "
            "content/credentials/a.md (give it the same url and email in every credential: one Issuer Profile "
            "describes it)",
            "content/credentials/c.md:7: the issuer 'Partner University' is described differently in "
            "content/credentials/a.md (give it the same url and email in every credential: one Issuer Profile "
            "describes it)",
        ],
    )


@pytest.mark.usefixtures("in_tmp")
def test_two_issuers_whose_names_make_the_same_address_are_an_error(cli, tmp_path: Path) -> None:
    refused(
        cli,
        tmp_path,
        {
            "site.yml": SITE_WITH_CONTACT,
            "credentials/a.md": credential_md("A", PARTNER),
            "credentials/b.md": credential_md("B", PARTNER.replace("Partner University", "Partner university!")),
        },
        [
            "content/credentials/b.md:7: the issuers 'Partner University' and 'Partner university!' would share "
            "the address issuers/partner-university/issuer.json (write an issuer's name the same way in every "
            "credential, or give them names that differ in letters)",
        ],
    )


@pytest.mark.usefixtures("in_tmp")
@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        (
            "issuer:\n  url: https://a.example.org/\n",
            "content/credentials/c.md:8: 'issuer' is missing the required field 'name'",
        ),
        ("issuer:\n  name: A\n  phone: '1'\n", "content/credentials/c.md:9: unknown field 'phone' in 'issuer'"),
        (
            "issuer:\n  name: A\n  email: nobody\n",
            "content/credentials/c.md:9: 'issuer.email' should be an email address, not 'nobody'",
        ),
        ("issuer: [A, B]\n", "content/credentials/c.md:7: 'issuer' should be one line of text, not a list"),
    ],
)
def test_a_malformed_issuer_record_is_a_located_error(cli, tmp_path: Path, issuer: str, expected: str) -> None:
    content = write_files(
        tmp_path / "content", {"site.yml": SITE_WITH_CONTACT, "credentials/c.md": credential_md("C", issuer)}
    )
    run = cli("build", "--content", content, "--out", tmp_path / "dist", "--no-pdf")
    assert run.code == 1
    assert run.err.startswith(expected), run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "dist").exists()


# --- Incremental builds keep the Profiles and BadgeClasses right ----------------------------------------------


def test_an_incremental_build_follows_an_issuers_edit_and_removes_a_profile_nobody_names(cli, tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", SEVERAL_ISSUERS)
    out = tmp_path / "dist"
    build(cli, content, out, "--base-url", BASE_URL)
    for slug in ("partner-one", "partner-two", "old"):
        path = content / f"credentials/{slug}.md"
        path.write_text(path.read_text().replace("badges@partner", "registrar@partner"))
    (content / "credentials/other.md").unlink()
    (content / "stacks/all.md").write_text((content / "stacks/all.md").read_text().replace(" other,", ""))
    build(cli, content, out, "--base-url", BASE_URL)
    profile = load(out / "issuers/partner-university/issuer.json")
    assert profile["email"] == "registrar@partner.example.edu"
    assert load(out / "issuers/partner-university/issuer.ob3.json")["email"] == "registrar@partner.example.edu"
    assert load(out / "credentials/partner-two/achievement.json")["creator"]["email"] == profile["email"]
    assert not (out / "issuers/other-org").exists()
    fresh = tmp_path / "fresh"
    build(cli, content, fresh, "--base-url", BASE_URL, "--cache", tmp_path / "fresh-cache")
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.json") if "pagefind" not in p.parts)
    assert written == sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*.json") if "pagefind" not in p.parts)
    assert all((out / p).read_bytes() == (fresh / p).read_bytes() for p in written)

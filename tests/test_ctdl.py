"""CTDL for the Credential Engine Registry: ctdl.json per credential and stack, the CTID rules, `check --fix-ctids`,
`new` writing a CTID, and the optional publishing job in the Pages workflows."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog.cli import main
from catalog.ctids import add_ctids, new_ctid

from conftest import ROOT, SAMPLE, SITE_YML, credential_md, originals, write_files

ORG = "ce-0b6e2a4c-8d1f-4e3a-9b7c-5f2d1e0a3c4b"
ENGINE = f"url: https://example.org/catalog/\ncredential_engine:\n  organisation_ctid: {ORG}\n"
CTID_RE = re.compile(r"ce-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
REGISTRY = "https://credentialengineregistry.org/resources/"

# The Registry's minimum data for a credential, from its Minimum Data Policy
# (https://credreg.net/registry/policy#mindata): type, CTID, name, description, subject webpage, owner or offerer,
# credential status and language. The publish action also needs an @id on every resource of the graph
# (documentIsAGraph in credential-registry-publish-action's src/graphs.ts).
CREDENTIAL_MINIMUM = (
    "@id",
    "@type",
    "ceterms:ctid",
    "ceterms:name",
    "ceterms:description",
    "ceterms:subjectWebpage",
    "ceterms:ownedBy",
    "ceterms:offeredBy",
    "ceterms:inLanguage",
    "ceterms:credentialStatusType",
)
# A collection's: type, CTID, name, description, owner, subject webpage, members (same policy, "Collection").
COLLECTION_MINIMUM = (
    "@id",
    "@type",
    "ceterms:ctid",
    "ceterms:name",
    "ceterms:description",
    "ceterms:ownedBy",
    "ceterms:subjectWebpage",
    "ceterms:hasMember",
)

# Every term the CTDL files use, each confirmed in CTDL's schema, https://credreg.net/ctdl/schema/encoding/json
# (the copy Credential Engine checked into credential-registry-publish-action, src/ctdl-schema.json before
# commit 768c9ed); each is described at https://credreg.net/ctdl/terms/<name without its prefix>.
CTDL_TERMS = {
    # classes
    "ceterms:MicroCredential",  # https://credreg.net/ctdl/terms/MicroCredential
    "ceterms:Collection",  # https://credreg.net/ctdl/terms/Collection
    "ceterms:CollectionMember",  # https://credreg.net/ctdl/terms/CollectionMember
    "ceterms:ConditionProfile",  # https://credreg.net/ctdl/terms/ConditionProfile
    "ceterms:CostProfile",  # https://credreg.net/ctdl/terms/CostProfile
    "ceterms:CredentialAlignmentObject",  # https://credreg.net/ctdl/terms/CredentialAlignmentObject
    "ceterms:DurationProfile",  # https://credreg.net/ctdl/terms/DurationProfile
    "ceterms:IdentifierValue",  # https://credreg.net/ctdl/terms/IdentifierValue
    "ceterms:ValueProfile",  # https://credreg.net/ctdl/terms/ValueProfile
    # properties
    "ceterms:availableOnlineAt",
    "ceterms:codedNotation",
    "ceterms:costDetails",
    "ceterms:credentialStatusType",
    "ceterms:creditUnitType",
    "ceterms:creditValue",
    "ceterms:ctid",
    "ceterms:currency",
    "ceterms:dateEffective",
    "ceterms:description",
    "ceterms:directCostType",
    "ceterms:estimatedCost",
    "ceterms:estimatedDuration",
    "ceterms:exactDuration",
    "ceterms:expirationDate",
    "ceterms:framework",
    "ceterms:frameworkName",
    "ceterms:hasMember",
    "ceterms:identifier",
    "ceterms:identifierTypeName",
    "ceterms:identifierValueCode",
    "ceterms:image",
    "ceterms:inLanguage",
    "ceterms:isAdvancedStandingFor",
    "ceterms:keyword",
    "ceterms:name",
    "ceterms:offeredBy",
    "ceterms:ownedBy",
    "ceterms:price",
    "ceterms:proxyFor",
    "ceterms:recommends",
    "ceterms:requires",
    "ceterms:subjectWebpage",
    "ceterms:supersededBy",
    "ceterms:targetCompetency",
    "ceterms:targetCredential",
    "ceterms:targetNode",
    "ceterms:targetNodeName",
    "ceterms:versionIdentifier",
    "schema:description",  # CTDL's schema lists it for ceterms:ValueProfile
    "schema:value",  # likewise
    # concepts: https://credreg.net/ctdl/terms/CredentialStatus, .../CostType, .../CreditUnit
    "credentialStat:Active",
    "credentialStat:Deprecated",
    "costType:AggregateCost",
    "creditUnit:DegreeCredit",
    "creditUnit:ContinuingEducationUnit",
}
PREFIXES = ("ceterms:", "ceasn:", "credentialStat:", "costType:", "creditUnit:", "qdata:", "schema:")


def terms_in(value: Any) -> set[str]:
    """Every prefixed key, @type value and concept (a targetNode that is not an address), at any depth."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key.startswith(PREFIXES):
                found.add(key)
            if key == "@type" or (key == "ceterms:targetNode" and item.startswith(PREFIXES)):
                found.add(item)
            found |= terms_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= terms_in(item)
    return found


def content_with_engine(root: Path) -> Path:
    """A copy of the sample content whose site.yml publishes to the Registry."""
    content = root / "content"
    shutil.copytree(SAMPLE, content)
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + ENGINE, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def registry_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample with credential_engine, after `check --fix-ctids`, built: (content, output)."""
    root = tmp_path_factory.mktemp("ctdl")
    content = content_with_engine(root)
    assert main(["check", "--content", str(content), "--fix-ctids"]) == 0
    out = root / "dist"
    assert main(["build", "--content", str(content), "--out", str(out), "--no-pdf", "-q"]) == 0
    return content, out


def graph(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def front_matter(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return data


def problems(cli, content: Path, *more: str) -> tuple[int, list[str]]:
    run = cli("check", "--content", content, *more)
    assert "Traceback" not in run.err
    return run.code, [line.removeprefix(f"{content}/") for line in run.err.strip().splitlines()]


def engine_site(extra: str = ENGINE) -> str:
    return SITE_YML + "".join(f"    {line}\n" for line in extra.splitlines())


def stack(ctid: str = "", members: str = "first") -> str:
    own = f"ctid: {ctid}\n" if ctid else ""
    return f"---\ntitle: Only stack\n{own}summary: The one stack.\norder: 1\ncredentials: [{members}]\n---\n"


# --- The graphs: the Registry's minimum data, CTDL's terms, the shape the publish action reads -----------------


def test_every_published_credential_and_stack_has_a_ctdl_graph_with_the_registrys_minimum_data(
    registry_sample: tuple[Path, Path],
) -> None:
    content, out = registry_sample
    for source in originals(content / "credentials"):
        written = out / f"credentials/{source.stem}/ctdl.json"
        if front_matter(source).get("status") == "draft":
            assert not written.exists()  # a draft is not published, so not registered either
            continue
        document = graph(written)
        assert document["@context"] == "https://credreg.net/ctdl/schema/context/json"
        credential = document["@graph"][0]
        assert [key for key in CREDENTIAL_MINIMUM if not credential.get(key)] == [], source.name
        ctid = front_matter(source)["ctid"]
        assert document["@id"] == f"https://credentialengineregistry.org/graph/{ctid}"
        assert credential["@id"] == REGISTRY + ctid
        assert credential["@type"] == "ceterms:MicroCredential"
        assert credential["ceterms:ctid"] == ctid
        assert credential["ceterms:ownedBy"] == credential["ceterms:offeredBy"] == [REGISTRY + ORG]
        assert credential["ceterms:subjectWebpage"] == f"https://example.org/catalog/credentials/{source.stem}/"
        assert credential["ceterms:inLanguage"] == ["en"]
        assert credential["ceterms:name"] == {"en": front_matter(source)["title"]}
    for source in originals(content / "stacks"):
        collection = graph(out / f"stacks/{source.stem}/ctdl.json")["@graph"][0]
        assert [key for key in COLLECTION_MINIMUM if not collection.get(key)] == [], source.name
        assert collection["@type"] == "ceterms:Collection"
        assert collection["ceterms:ctid"] == front_matter(source)["ctid"]


def test_every_term_in_every_graph_is_a_ctdl_term(registry_sample: tuple[Path, Path]) -> None:
    _, out = registry_sample
    used: set[str] = set()
    for path in sorted(out.glob("*/*/ctdl.json")):
        used |= terms_in(graph(path)["@graph"])
    assert used - CTDL_TERMS == set()
    # The sample uses most of them; the rest are proved by test_a_retired_credential_with_every_field_maps_each.
    assert {"ceterms:requires", "ceterms:targetCredential", "ceterms:hasMember", "credentialStat:Active"} <= used


def test_references_name_registry_resources_that_the_build_describes(registry_sample: tuple[Path, Path]) -> None:
    """Prerequisites and members are named by their Registry address, each the @id of another graph written."""
    _, out = registry_sample
    described = {graph(path)["@graph"][0]["@id"] for path in out.glob("*/*/ctdl.json")}
    named: set[str] = set()
    for path in out.glob("*/*/ctdl.json"):
        resource = graph(path)["@graph"][0]
        for condition in resource.get("ceterms:requires", []) + resource.get("ceterms:recommends", []):
            named |= set(condition.get("ceterms:targetCredential", []))
        named |= {member["ceterms:proxyFor"] for member in resource.get("ceterms:hasMember", [])}
    assert named and named <= described
    calibrating = graph(out / "credentials/calibrating-scorers/ctdl.json")["@graph"][0]
    assert [c["ceterms:targetCredential"] for c in calibrating["ceterms:requires"][1:]] != []


def test_a_retired_credential_with_every_field_maps_each_to_its_ctdl_property(cli, tmp_path: Path) -> None:
    ctids = {name: new_ctid() for name in ("old", "new", "first", "stack")}
    old = credential_md(
        "Old Circles",
        f"ctid: {ctids['old']}\nstatus: retired\nretired_on: 2025-03-01\nreplaced_by: new\ncode: OC-1\n"
        "hours: 12.5\nfee: {amount: 40, currency: EUR, note: Waived for staff.}\ntags: [circles]\n"
        "requires: [first]\nrecommends: [first]\n"
        "credits:\n  - {kind: graduate, amount: 3, unit: credit hours, provider: Hill College}\n"
        "  - {kind: ceu, amount: 0.5}\n  - {kind: salary, amount: 10, unit: salary hours}\n"
        "alignments:\n  - {name: Climate, url: 'https://standards.example.org/2b', framework: State, code: S-2B}\n",
    )
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": engine_site(),
            "credentials/old.md": old,
            "credentials/new.md": credential_md("New Circles", f"ctid: {ctids['new']}\n"),
            "credentials/first.md": credential_md("First", f"ctid: {ctids['first']}\n"),
            "stacks/only.md": stack(ctids["stack"], "first, new, old"),
        },
    )
    assert cli("build", "--content", content, "--out", tmp_path / "dist", "--no-pdf", "-q").code == 0
    data = graph(tmp_path / "dist/credentials/old/ctdl.json")["@graph"][0]
    assert terms_in(data) - CTDL_TERMS == set()
    assert data["ceterms:credentialStatusType"]["ceterms:targetNode"] == "credentialStat:Deprecated"
    assert data["ceterms:expirationDate"] == "2025-03-01"
    assert data["ceterms:supersededBy"] == REGISTRY + ctids["new"]
    assert data["ceterms:identifier"][0]["ceterms:identifierValueCode"] == "OC-1"
    assert data["ceterms:estimatedDuration"] == [
        {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "PT12H30M"}
    ]
    cost = data["ceterms:estimatedCost"][0]
    assert (cost["ceterms:price"], cost["ceterms:currency"]) == (40, "EUR")
    assert cost["ceterms:directCostType"]["ceterms:targetNode"] == "costType:AggregateCost"
    assert cost["ceterms:description"] == {"en": "The fee to submit “Old Circles”. Waived for staff."}
    assert data["ceterms:keyword"] == {"en": ["circles"]}
    submission, prerequisites = data["ceterms:requires"]
    assert submission["ceterms:targetCompetency"] == [
        {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:targetNodeName": {"en": "Climate"},
            "ceterms:targetNode": "https://standards.example.org/2b",
            "ceterms:codedNotation": "S-2B",
            "ceterms:frameworkName": {"en": "State"},
        }
    ]
    assert "Part 1. Overview (passes at “Passing”)" in submission["ceterms:description"]["en"]
    assert prerequisites["ceterms:targetCredential"] == [REGISTRY + ctids["first"]]
    assert data["ceterms:recommends"][0]["ceterms:targetCredential"] == [REGISTRY + ctids["first"]]
    values = [c["ceterms:creditValue"][0] for c in data["ceterms:isAdvancedStandingFor"]]
    assert [v["schema:value"] for v in values] == [3, 0.5, 10]
    units = [[u["ceterms:targetNode"] for u in v.get("ceterms:creditUnitType", [])] for v in values]
    assert units == [["creditUnit:DegreeCredit"], ["creditUnit:ContinuingEducationUnit"], []]
    assert data["ceterms:isAdvancedStandingFor"][0]["ceterms:description"] == {
        "en": "3 credit hours from Hill College."
    }
    # A retired credential leaves its stack's page, and so the collection.
    members = graph(tmp_path / "dist/stacks/only/ctdl.json")["@graph"][0]["ceterms:hasMember"]
    assert [m["ceterms:proxyFor"] for m in members] == [REGISTRY + ctids["first"], REGISTRY + ctids["new"]]


def test_without_credential_engine_no_ctdl_is_written(sample_dist: Path) -> None:
    assert list(sample_dist.rglob("ctdl.json")) == []
    data = json.loads((sample_dist / "catalog.json").read_text(encoding="utf-8"))
    assert {c["ctid"] for c in data["credentials"]} == {None}


# --- CTID rules ------------------------------------------------------------------------------------------------


def test_a_missing_ctid_is_an_error_at_the_files_title_when_the_site_registers(cli, tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content",
        {"site.yml": engine_site(), "credentials/first.md": credential_md("First"), "stacks/only.md": stack()},
    )
    hint = "(run `python build.py check --fix-ctids`)"
    why = "has no ctid, which site.yml's credential_engine needs to publish it to the Registry"
    assert problems(cli, content) == (
        1,
        [
            f"credentials/first.md:2: this credential {why} {hint}",
            f"stacks/only.md:2: this stack {why} {hint}",
            "2 error(s) in " + str(content),
        ],
    )
    out = tmp_path / "dist"
    build = cli("build", "--content", content, "--out", out, "--no-pdf")
    assert build.code == 1 and "Traceback" not in build.err and not out.exists()


@pytest.mark.parametrize(
    ("ctid", "why"),
    [
        ("ce-4a7c3f1e-2b9d-1e8a-9c1f-6d5e4b3a2f10", "version 1, not 4"),
        ("ce-4a7c3f1e-2b9d-4e8a-7c1f-6d5e4b3a2f10", "variant nibble 7"),
        ("ce-4A7C3F1E-2B9D-4E8A-9C1F-6D5E4B3A2F10", "upper case"),
        ("4a7c3f1e-2b9d-4e8a-9c1f-6d5e4b3a2f10", "no ce- prefix"),
    ],
)
def test_a_malformed_ctid_is_an_error_at_its_line_with_or_without_the_registry(
    cli, tmp_path: Path, ctid: str, why: str
) -> None:
    for site in (SITE_YML, engine_site()):
        content = write_files(
            tmp_path / "content",
            {"site.yml": site, "credentials/first.md": credential_md("First", f"ctid: {ctid}\n")},
        )
        code, lines = problems(cli, content)
        assert code == 1, why
        assert lines[0] == (
            f"credentials/first.md:7: 'ctid' should be a CTID: ce- and a version 4 UUID in lower case, not '{ctid}' "
            "(leave it out and run `python build.py check --fix-ctids` to have one written; a UUID v4 has 4 as the "
            "first digit of its third group and 8, 9, a or b as the first of its fourth, like "
            "ce-4a7c3f1e-2b9d-4e8a-9c1f-6d5e4b3a2f10)"
        ), why


def test_a_ctid_used_twice_is_reported_at_the_second_file_naming_the_first(cli, tmp_path: Path) -> None:
    ctid = new_ctid()
    for site in (SITE_YML, engine_site()):
        content = write_files(
            tmp_path / "content",
            {
                "site.yml": site,
                "credentials/first.md": credential_md("First", f"ctid: {ctid}\n"),
                "stacks/only.md": stack(ctid),
            },
        )
        code, lines = problems(cli, content)
        assert code == 1
        assert lines[0] == (
            f"stacks/only.md:3: the ctid {ctid} is also the ctid of {content}/credentials/first.md (each "
            "credential and stack needs its own: delete this line and run `python build.py check --fix-ctids`)"
        )


def test_the_organisations_own_ctid_is_refused_for_a_credential(cli, tmp_path: Path) -> None:
    own = "ce-0b6e2a4c-8d1f-4e3a-9b7c-5f2d1e0a3c4b"  # a version 4 UUID, so only this rule catches it
    content = write_files(
        tmp_path / "content",
        {"site.yml": engine_site(), "credentials/first.md": credential_md("First", f"ctid: {own}\n")},
    )
    assert problems(cli, content)[1][0] == (
        f"credentials/first.md:7: the ctid {own} is the organisation's own (site.yml's "
        "credential_engine.organisation_ctid) (delete this line and run `python build.py check --fix-ctids`, "
        "which writes a ctid of its own)"
    )


def test_credential_engine_without_the_sites_url_is_an_error_at_credential_engine(cli, tmp_path: Path) -> None:
    engine = f"credential_engine:\n  organisation_ctid: {ORG}\n"
    content = write_files(
        tmp_path / "content",
        {"site.yml": engine_site(engine), "credentials/first.md": credential_md("First", f"ctid: {new_ctid()}\n")},
    )
    assert problems(cli, content)[1][0] == (
        "site.yml:7: credential_engine needs the site's public address: the Registry links each credential to its "
        "page (add url: https://... (the address the catalog is published at) to site.yml)"
    )
    out = tmp_path / "dist"
    build = cli("build", "--content", content, "--out", out, "--no-pdf")
    assert build.code == 1 and "Traceback" not in build.err and not out.exists()


def test_a_malformed_organisation_ctid_is_an_error_at_its_line(cli, tmp_path: Path) -> None:
    engine = "url: https://example.org/\ncredential_engine:\n  organisation_ctid: ce-123\n"
    content = write_files(tmp_path / "content", {"site.yml": engine_site(engine)})
    assert problems(cli, content)[1][0].startswith(
        "site.yml:9: 'credential_engine.organisation_ctid' should be a CTID: ce- and a UUID in lower case, not 'ce-123'"
    )


def test_without_credential_engine_ctids_are_optional(cli, tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content",
        {"site.yml": SITE_YML, "credentials/first.md": credential_md("First"), "stacks/only.md": stack(new_ctid())},
    )
    assert problems(cli, content)[0] == 0


# --- check --fix-ctids -----------------------------------------------------------------------------------------


def test_fix_ctids_writes_each_missing_ctid_once_and_never_changes_one(cli, tmp_path: Path) -> None:
    content = content_with_engine(tmp_path)
    before = {path: path.read_text(encoding="utf-8") for path in content.glob("*/*.md")}
    first = cli("check", "--content", content, "--fix-ctids")
    assert first.code == 0, first.err
    wrote = [line for line in first.err.splitlines() if ": wrote ctid: " in line]
    given = [*originals(content / "credentials"), *originals(content / "stacks")]
    assert len(wrote) == len(given)
    assert any("." in path.stem for path in content.glob("*/*.md")), "the sample has translations"
    after = {path: path.read_text(encoding="utf-8") for path in content.glob("*/*.md")}
    for path, text in after.items():
        if path not in given:  # a translation takes its original's CTID; the other kinds have none
            assert text == before[path]
            continue
        # One line more, right after the title, and every other line as it was.
        lines, old = text.split("\n"), before[path].split("\n")
        assert lines[1].startswith("title: ") and CTID_RE.fullmatch(lines[2].removeprefix("ctid: ")), path
        assert lines[:2] + lines[3:] == old
        assert f"{path}: wrote {lines[2]}" in wrote
    second = cli("check", "--content", content, "--fix-ctids")
    assert second.code == 0 and ": wrote ctid: " not in second.err
    assert {path: path.read_text(encoding="utf-8") for path in content.glob("*/*.md")} == after
    ctids = [front_matter(path)["ctid"] for path in given]
    assert len(set(ctids)) == len(ctids)


def test_fix_ctids_keeps_crlf_line_endings_and_a_multi_line_title(tmp_path: Path) -> None:
    crlf = credential_md("First").replace("\n", "\r\n").encode()
    folded = credential_md("First").replace("title: First\n", "title: >-\n  A folded\n  title\n")
    content = write_files(tmp_path / "content", {"credentials/crlf.md": crlf, "credentials/folded.md": folded})
    written = dict(add_ctids([content / "credentials/crlf.md", content / "credentials/folded.md"]))
    crlf_ctid, folded_ctid = written[content / "credentials/crlf.md"], written[content / "credentials/folded.md"]
    assert (content / "credentials/crlf.md").read_bytes() == crlf.replace(
        b"title: First\r\n", f"title: First\r\nctid: {crlf_ctid}\r\n".encode()
    )
    assert (content / "credentials/folded.md").read_text() == folded.replace(
        "  title\n", f"  title\nctid: {folded_ctid}\n"
    )
    assert front_matter(content / "credentials/folded.md")["title"] == "A folded title"


def test_add_ctids_leaves_a_file_that_has_a_ctid_as_it_was(tmp_path: Path) -> None:
    """What the importer calls: a file with a CTID, even a malformed or empty one, is never given another."""
    files = {
        f"credentials/{name}.md": credential_md(name.title(), f"ctid: {value}\n")
        for name, value in (("good", new_ctid()), ("bad", "ce-123"), ("empty", '""'))
    }
    content = write_files(tmp_path / "content", files)
    before = {path: path.read_bytes() for path in content.rglob("*.md")}
    assert add_ctids(sorted(before)) == []
    assert {path: path.read_bytes() for path in content.rglob("*.md")} == before


def test_fix_ctids_writes_nothing_when_the_content_has_other_errors(cli, tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": engine_site(),
            "credentials/first.md": credential_md("First"),
            "credentials/broken.md": credential_md("Broken", "hours: many\n"),
        },
    )
    before = {path: path.read_bytes() for path in content.rglob("*.md")}
    code, lines = problems(cli, content, "--fix-ctids")
    assert code == 1
    assert lines[0].startswith("credentials/broken.md:7: 'hours' should be a positive number, not 'many'")
    assert lines[-1] == f"--fix-ctids wrote nothing: 1 other error(s) in {content}; fix them first"
    assert {path: path.read_bytes() for path in content.rglob("*.md")} == before


# --- new --------------------------------------------------------------------------------------------------------


def test_new_writes_a_ctid_when_the_site_registers_and_none_otherwise(cli, tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", {"site.yml": engine_site()})
    for kind in ("credential", "stack"):
        path = Path(cli("new", "--content", content, kind, f"A new {kind}").out.strip())
        assert CTID_RE.fullmatch(front_matter(path)["ctid"]), kind
    assert problems(cli, content)[0] == 0
    plain = write_files(tmp_path / "plain", {"site.yml": SITE_YML})
    path = Path(cli("new", "--content", plain, "credential", "Plain").out.strip())
    assert "ctid" not in path.read_text()


# --- Publishing with Credential Engine's action: optional, off by default, pinned --------------------------------


@pytest.mark.parametrize(
    "workflow", [ROOT / ".github/workflows/pages.yml", ROOT / "src/catalog/starter_files/pages.yml"]
)
def test_the_registry_job_is_off_by_default_dry_runs_first_and_reads_the_key_from_a_secret(workflow: Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    build, job = data["jobs"]["build"], data["jobs"]["registry"]
    # After a deployment only, said outright: the skipped PDF shard jobs would otherwise skip it (actions/runner#2205).
    assert (
        job["if"]
        == "${{ !cancelled() && needs.deploy.result == 'success' && vars.CREDENTIAL_ENGINE_PUBLISH == 'true' }}"
    )
    assert job["needs"] == ["build", "deploy"]  # the files it reads are the deployed ones
    assert job["permissions"] == {} and job["environment"] == "credential-engine"
    (step,) = job["steps"]
    action, commit = step["uses"].split("@")
    assert action == "CredentialEngine/credential-registry-publish-action"
    assert re.fullmatch(r"[0-9a-f]{40}", commit)
    assert step["with"] == {
        "urls": "${{ needs.build.outputs.ctdl_urls }}",
        "registry_env": "${{ vars.CREDENTIAL_ENGINE_REGISTRY || 'sandbox' }}",
        "organization_ctid": "${{ vars.CREDENTIAL_ENGINE_ORGANIZATION_CTID }}",
        "registry_api_key": "${{ secrets.CREDENTIAL_ENGINE_API_KEY }}",
        "dry_run": "${{ vars.CREDENTIAL_ENGINE_DRY_RUN || 'true' }}",
    }
    assert build["outputs"]["ctdl_urls"] == "${{ steps.ctdl.outputs.urls }}"


def test_the_workflows_list_of_ctdl_addresses_names_every_file_the_build_wrote(
    registry_sample: tuple[Path, Path], tmp_path: Path
) -> None:
    """The step that lists the URLs for the registry job, run as the workflow runs it."""
    data = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    (step,) = [step for step in data["jobs"]["build"]["steps"] if step.get("id") == "ctdl"]
    _, out = registry_sample
    shutil.copytree(out, tmp_path / "dist")
    output = tmp_path / "github_output"
    environment = {"BASE_URL": "https://org.github.io/catalog", "GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=environment, check=True)
    urls = output.read_text().strip().removeprefix("urls=").split(",")
    assert urls == sorted(f"https://org.github.io/catalog/{p.relative_to(out)}" for p in out.glob("*/*/ctdl.json"))

"""The shapes real catalogs have, as data: catalog.json, the Open Badges 3.0 Achievement, the page's JSON-LD
and the feed carry every new field, or say in their Shape why not, and the data stays exact and valid."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from test_publishing import achievement_validator

from catalog import schema
from catalog.cli import main
from catalog.feeds import atom_feed
from catalog.formatdoc import FORMATS
from catalog.jsonld import iso_duration
from catalog.messages import english
from catalog.opendata import SHAPES
from catalog.validate import load_catalog

from conftest import FIXTURES, ROOT, SITE_YML, credential_md, write_files

BASE_URL = "https://example.org/catalog/"
ATOM = "{http://www.w3.org/2005/Atom}"

SHAPED = """
---
title: Restorative Practices in the Classroom
ctid: ce-dd8a78d4-8a2b-4e24-935a-87a50ac3f37d
summary: The educator uses restorative circles to repair harm and rebuild trust.
issuer: State Education Agency
key_method: The educator plans, runs and reflects on three restorative circles.
version: "2.1"
published: 2024-05-01
updated: 2025-02-01
licence: CC-BY-4.0
code: NEA_RP1
hours: 12.50
fee:
  amount: 125.00
  note: Waived for district staff.
apply_url: https://apply.example.org/rp1
credits:
  - kind: graduate
    amount: 1
    unit: credit hours
    provider: Riverbend University
    url: https://riverbend.example.edu/credit
  - kind: graduate
    amount: 3
    unit: credit hours
    provider: Hill College
  - kind: recertification
    amount: 0.5
    unit: recertification credit
    note: Counts toward licence renewal.
  - kind: ceu
    amount: 0.1
requires: [circles-basics]
recommends: [listening, future-draft]
audience: [K-12 teachers, "Counsellors & deans </script>"]
review:
  days: 21
  resubmissions: 2
  note: Reviewers are trained educators.
tags: [restorative practices, circles]
image: assets/badge.svg
scales:
  three-step: [Demonstrated, Progressing, Not Met]
alignments:
  - name: Builds a positive classroom climate
    url: https://standards.example.org/2b
    framework: State Teaching Standards
    code: STS-2B
resources:
  - title: The little book of circle processes
    url: https://books.example.org/circles
    note: A short guide.
requirements:
  - title: Plan the circles
    scale: three-step
    pass: Demonstrated
    word_limit: {min: 250, max: 300}
    prompts: ["Why circles, and why now?"]
    criteria:
      - title: Purpose
        levels:
          Demonstrated: Names the harm to repair.
          Progressing: Names a general aim.
          Not Met: No purpose.
---
Body.
"""

FILES: dict[str, str | bytes] = {
    "site.yml": """
        title: Restorative catalog
        organisation:
          name: State Education Agency
          url: https://agency.example.org/
        url: https://example.org/catalog/
        language: en
        currency: USD
        credential_engine:
          organisation_ctid: ce-0b6e2a4c-8d1f-4e3a-9b7c-5f2d1e0a3c4b
        scales:
          passing: [Passing, Not yet]
    """,
    "assets/badge.svg": (FIXTURES / "features/assets/feedback-badge.svg").read_bytes(),
    "credentials/restorative-practices.md": SHAPED,
    "credentials/circles-basics.md": credential_md(
        "Círculos restaurativos",
        "ctid: ce-22d76c14-0538-450e-9dbd-9cbd651d75ad\ncode: NEA_RP0\nhours: 0.1\nfee: {amount: 0}\nlanguage: es-mx\n",
    ),
    "credentials/listening.md": credential_md(
        "Listening to Students",
        "ctid: ce-6354a4d2-572f-4c39-b9c4-586f205c085a\n"
        "graduate_credit: {offered: true, credits: 2, note: Through Riverbend University.}\n",
    ),
    "credentials/old-circles.md": credential_md(
        "Old Circles",
        "ctid: ce-e988c08d-e353-4659-a308-5cc213bb37a2\n"
        "fee: {amount: 40, currency: EUR}\nstatus: retired\nretired_on: 2025-03-01\n"
        "replaced_by: restorative-practices\n",
    ),
    "credentials/future-draft.md": credential_md(
        "Unpublished Future Work", "status: draft\nctid: ce-e8f4450d-c41c-43a7-b1b0-1dd1b39d4c61\n"
    ),
    "stacks/pathway-a.md": """
        ---
        title: Restorative Pathway
        ctid: ce-5f4cc04b-9978-493b-b9af-e09e5bcf3f70
        summary: Each credential builds on the one before.
        order: 1
        kind: pathway
        colour: "#2e7d4f"
        credentials: [old-circles, circles-basics, restorative-practices]
        ---
    """,
    "stacks/collection-b.md": """
        ---
        title: Classroom Climate Collection
        ctid: ce-aa70410f-1fd5-486b-9f7c-504004ef002d
        summary: A set to take in any order.
        order: 2
        kind: collection
        credentials: [listening, restorative-practices, future-draft]
        ---
    """,
    "bundles/restorative-bundle.md": """
        ---
        title: Restorative Bundle
        summary: Two stacks for a restorative school.
        order: 1
        stacks: [pathway-a, collection-b]
        ---
        A bundle.
    """,
}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("shapes") / "content", FILES)


@pytest.fixture(scope="module")
def built(content: Path) -> Path:
    """The catalog built through the command line with a public address, as the Pages workflow builds it."""
    out = content.parent / "dist"
    code = main(["build", "--content", str(content), "--out", str(out), "--base-url", BASE_URL, "--no-pdf", "-q"])
    assert code == 0
    return out


def catalog_json(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    return data


def credential_json(out: Path, slug: str) -> dict[str, Any]:
    return next(c for c in catalog_json(out)["credentials"] if c["slug"] == slug)


def achievement(out: Path, slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / f"credentials/{slug}/achievement.json").read_text(encoding="utf-8"))
    return data


def json_ld(out: Path, slug: str) -> dict[str, Any]:
    page = BeautifulSoup((out / f"credentials/{slug}/index.html").read_text(encoding="utf-8"), "html.parser")
    data: dict[str, Any] = json.loads(page.find("script", type="application/ld+json").string)
    return data


def front_matter(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return data


# --- One place for the shapes: no format forgets a field ----------------------------------------------------

RECORDS = {"credential": schema.CREDENTIAL, "stack": schema.STACK, "bundle": schema.BUNDLE}
FOLDERS = {"credential": "credentials", "stack": "stacks", "bundle": "bundles"}


def resolve(value: Any, path: str) -> list[Any]:
    """The values at a Shape's path: keys joined by '.', '[]' for every item of a list."""
    values = [value]
    for step in path.split("."):
        key = step.removesuffix("[]")
        values = [v[key] for v in values if isinstance(v, dict) and key in v]
        if step.endswith("[]"):
            values = [item for v in values for item in v]
    return values


def outputs(out: Path, shape_format: str, record: str, slug: str) -> Any:
    if shape_format == "catalog.json":
        return next(x for x in catalog_json(out)[FOLDERS[record]] if x["slug"] == slug)
    if shape_format in ("achievement.json", "badgeclass.json"):
        return json.loads((out / f"credentials/{slug}/{shape_format}").read_text(encoding="utf-8"))
    if shape_format == "ctdl.json":
        return json.loads((out / f"{FOLDERS[record]}/{slug}/ctdl.json").read_text(encoding="utf-8"))["@graph"][0]
    assert shape_format == "JSON-LD"
    return json_ld(out, slug)


def test_every_schema_field_is_carried_or_excused_by_each_format() -> None:
    formats = {(s.format, s.record) for s in SHAPES}
    assert formats == {
        ("catalog.json", "credential"),
        ("catalog.json", "stack"),
        ("catalog.json", "bundle"),
        ("achievement.json", "credential"),
        ("badgeclass.json", "credential"),
        ("JSON-LD", "credential"),
        ("ctdl.json", "credential"),
        ("ctdl.json", "stack"),
    }
    for shape in FORMATS:  # every format registered, outputs and importers alike
        fields = [f.name for f in RECORDS[shape.record].fields]
        assert set(shape.carried) & set(shape.not_carried) == set(), shape.format
        assert sorted(shape.carried.keys() | shape.not_carried.keys()) == sorted(fields), (shape.format, shape.record)
        assert all(len(why) > 20 for why in shape.not_carried.values()), shape.format


def test_each_carried_field_is_filled_where_its_shape_says_in_a_real_build(built: Path, content: Path) -> None:
    for shape in SHAPES:
        given: set[str] = set()
        for path in sorted((content / FOLDERS[shape.record]).glob("*.md")):
            written = front_matter(path)
            if written.get("status") == "draft":
                continue  # not published: no output to look in
            given |= written.keys()
            data = outputs(built, shape.format, shape.record, path.stem)
            for field in shape.carried.keys() & written.keys():
                found = resolve(data, shape.carried[field])
                assert [v for v in found if v not in (None, "", [], {})], (shape.format, path.stem, field)
        # The catalog above sets every field of every file at least once, so no carried field goes untested.
        assert given >= shape.carried.keys(), (shape.format, shape.carried.keys() - given)


# --- catalog.json ------------------------------------------------------------------------------------------


def test_catalog_json_matches_its_published_schema_with_every_new_field(built: Path) -> None:
    published = json.loads((ROOT / "docs/catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(published)
    validator = jsonschema.Draft202012Validator(published, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(catalog_json(built))] == []


def test_catalog_json_carries_each_new_credential_field_as_written(built: Path) -> None:
    data = credential_json(built, "restorative-practices")
    assert data["code"] == "NEA_RP1"
    assert data["hours"] == 12.5
    assert data["fee"] == {"amount": 125, "currency": "USD", "note": "Waived for district staff.", "free": False}
    assert data["apply_url"] == "https://apply.example.org/rp1"
    assert data["credits"] == [
        {
            "kind": "graduate",
            "amount": 1,
            "unit": "credit hours",
            "provider": "Riverbend University",
            "note": "",
            "url": "https://riverbend.example.edu/credit",
        },
        {"kind": "graduate", "amount": 3, "unit": "credit hours", "provider": "Hill College", "note": "", "url": ""},
        {
            "kind": "recertification",
            "amount": 0.5,
            "unit": "recertification credit",
            "provider": "",
            "note": "Counts toward licence renewal.",
            "url": "",
        },
        {"kind": "ceu", "amount": 0.1, "unit": "", "provider": "", "note": "", "url": ""},
    ]
    assert data["requires"] == ["circles-basics"]
    assert data["audience"] == ["K-12 teachers", "Counsellors & deans </script>"]
    assert data["review"] == {"days": 21, "resubmissions": 2, "note": "Reviewers are trained educators."}
    assert (data["status"], data["retired_on"], data["replaced_by"], data["language"]) == ("active", None, None, None)
    assert data["requirements"][0]["word_minimum"] == 250 and data["requirements"][0]["word_limit"] == 300
    assert data["requirements"][0]["levels"] == ["Demonstrated", "Progressing", "Not Met"]
    # Format 1's view, read from credits: graduate credit is offered, the first one's amount.
    assert data["graduate_credit"] == {"offered": True, "note": "", "credits": 1}
    basics = credential_json(built, "circles-basics")
    assert basics["fee"] == {"amount": 0, "currency": "USD", "note": "", "free": True}
    assert (basics["language"], basics["hours"], basics["code"]) == ("es-mx", 0.1, "NEA_RP0")
    old = credential_json(built, "old-circles")
    assert (old["status"], old["retired_on"], old["replaced_by"]) == ("retired", "2025-03-01", "restorative-practices")
    assert old["fee"]["currency"] == "EUR"
    # The old graduate_credit form is one graduate credit, without a unit the author did not give.
    listening = credential_json(built, "listening")
    assert listening["credits"] == [
        {
            "kind": "graduate",
            "amount": 2,
            "unit": "credit hours",
            "provider": "",
            "note": "Through Riverbend University.",
            "url": "",
        }
    ]
    assert listening["graduate_credit"] == {"offered": True, "note": "Through Riverbend University.", "credits": 2}


def test_catalog_json_decimals_are_exact_json_numbers(built: Path) -> None:
    text = (built / "catalog.json").read_text(encoding="utf-8")
    # 12.50 and 125.00 are the numbers 12.5 and 125; 0.1 is written 0.1, never a binary fraction's digits.
    assert '"hours":12.5,' in text and '"amount":125,' in text and '"amount":0.1,' in text
    data = json.loads(text, parse_float=Decimal)
    amounts = [c["amount"] for c in credential_json(built, "restorative-practices")["credits"]]
    assert amounts == [1, 3, 0.5, 0.1]
    shaped = next(c for c in data["credentials"] if c["slug"] == "restorative-practices")
    assert [c["amount"] for c in shaped["credits"]] == [1, 3, Decimal("0.5"), Decimal("0.1")]


def test_catalog_json_lists_every_membership_stack_kinds_and_bundles(built: Path) -> None:
    data = catalog_json(built)
    assert data["format"] == 2 and data["currency"] == "USD"
    shaped = credential_json(built, "restorative-practices")
    assert shaped["memberships"] == [
        {"stack": "pathway-a", "position": 2, "of": 2, "previous": "circles-basics", "next": None},
        {"stack": "collection-b", "position": 2, "of": 2, "previous": None, "next": None},
    ]
    assert shaped["stack"] == "pathway-a"  # format 1's view: the first membership
    assert credential_json(built, "old-circles")["memberships"] == []  # retired: it left its stack
    stacks = {s["slug"]: s for s in data["stacks"]}
    assert (stacks["pathway-a"]["kind"], stacks["collection-b"]["kind"]) == ("pathway", "collection")
    # A stack's credentials are its sequence: neither the retired one nor the draft.
    assert stacks["pathway-a"]["credentials"] == ["circles-basics", "restorative-practices"]
    assert stacks["collection-b"]["credentials"] == ["listening", "restorative-practices"]
    assert data["bundles"] == [
        {
            "slug": "restorative-bundle",
            "title": "Restorative Bundle",
            "summary": "Two stacks for a restorative school.",
            "order": 1,
            "page": "bundles/restorative-bundle/index.html",
            "stacks": ["pathway-a", "collection-b"],
        }
    ]


def test_a_draft_is_named_nowhere_in_the_published_output(built: Path) -> None:
    assert not (built / "credentials/future-draft").exists()
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".html", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "future-draft" not in text and "Unpublished Future Work" not in text, path
    # Even where a published credential recommends it.
    assert credential_json(built, "restorative-practices")["recommends"] == ["listening"]


# --- The Open Badges 3.0 Achievement ------------------------------------------------------------------------


def test_achievements_with_every_new_field_are_valid_open_badges(built: Path) -> None:
    validator = achievement_validator()
    for credential in catalog_json(built)["credentials"]:
        data = achievement(built, credential["slug"])
        assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)] == [], credential["slug"]


def test_achievement_carries_code_credit_language_alignments_and_version(built: Path) -> None:
    data = achievement(built, "restorative-practices")
    assert data["humanCode"] == "NEA_RP1"
    # Credit hours only, and the largest offer: 1 or 3 graduate credit hours, not the recertification or CEU.
    assert data["creditsAvailable"] == 3.0 and isinstance(data["creditsAvailable"], float)
    assert data["inLanguage"] == "en"
    assert data["version"] == "2.1"
    assert data["alignment"] == [
        {
            "type": ["Alignment"],
            "targetName": "Builds a positive classroom climate",
            "targetUrl": "https://standards.example.org/2b",
            "targetFramework": "State Teaching Standards",
            "targetCode": "STS-2B",
        }
    ]
    assert "related" not in data  # a prerequisite is not the same achievement
    narrative = data["criteria"]["narrative"]
    assert "Requires: “Círculos restaurativos”.\n" in narrative
    assert "Recommended first: “Listening to Students”.\n" in narrative  # the draft it recommends is left out
    assert "*250 to 300 words for each response*" in narrative
    # Its own language tag in the case Open Badges' pattern asks for.
    assert achievement(built, "circles-basics")["inLanguage"] == "es-MX"
    assert achievement(built, "listening")["creditsAvailable"] == 2.0


def test_a_retired_achievement_names_its_replacement_as_related(built: Path) -> None:
    assert achievement(built, "old-circles")["related"] == [
        {
            "id": BASE_URL + "credentials/restorative-practices/achievement.json",
            "type": ["Related"],
            "inLanguage": "en",
            "version": "2.1",
        }
    ]


@pytest.mark.parametrize(
    ("tag", "expected"), [("pt-br", "pt-BR"), ("zh-hant-tw", "zh-Hant-TW"), ("de-CH-1996", "de-CH")]
)
def test_achievement_language_tags_fit_the_open_badges_pattern(tmp_path: Path, tag: str, expected: str) -> None:
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML + f"    language: {tag}\n",
            "credentials/one.md": credential_md("One"),
        },
    )
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "dist"), "--no-pdf", "-q"]) == 0
    data = achievement(tmp_path / "dist", "one")
    assert data["inLanguage"] == expected
    assert [e.message for e in achievement_validator().iter_errors(data)] == []
    assert json_ld(tmp_path / "dist", "one")["inLanguage"] == tag  # schema.org takes any BCP 47 tag as written


# --- schema.org JSON-LD -------------------------------------------------------------------------------------


def test_json_ld_carries_time_offer_prerequisites_audience_language_and_code(built: Path) -> None:
    data = json_ld(built, "restorative-practices")
    assert data["timeRequired"] == "PT12H30M"
    assert data["offers"] == {
        "@type": "Offer",
        "price": 125,
        "priceCurrency": "USD",
        "description": "Waived for district staff.",
        "url": "https://apply.example.org/rp1",
    }
    assert data["competencyRequired"] == [
        {
            "@type": "DefinedTerm",
            "name": "Círculos restaurativos",
            "termCode": "NEA_RP0",
            "url": BASE_URL + "credentials/circles-basics/",
        }
    ]
    assert data["audience"] == [
        {"@type": "EducationalAudience", "audienceType": "K-12 teachers"},
        {"@type": "EducationalAudience", "audienceType": "Counsellors & deans </script>"},
    ]
    assert (data["identifier"], data["inLanguage"], data["educationalLevel"]) == (
        "NEA_RP1",
        "en",
        "Professional development",
    )
    basics = json_ld(built, "circles-basics")
    assert basics["offers"] == {"@type": "Offer", "price": 0, "priceCurrency": "USD"}  # free
    assert (basics["timeRequired"], basics["inLanguage"]) == ("PT6M", "es-mx")
    old = json_ld(built, "old-circles")
    assert (old["creativeWorkStatus"], old["expires"]) == ("Obsolete", "2025-03-01")
    assert old["offers"] == {"@type": "Offer", "price": 40, "priceCurrency": "EUR"}


def test_json_ld_stays_inside_its_script_element(built: Path) -> None:
    html = (built / "credentials/restorative-practices/index.html").read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script is not None and "<" not in script[1] and "&" not in script[1]
    assert json.loads(script[1])["audience"][1]["audienceType"] == "Counsellors & deans </script>"


def test_json_ld_and_achievement_of_a_credential_without_new_fields_keep_their_old_keys(built: Path) -> None:
    assert list(json_ld(built, "listening")) == [
        "@context",
        "@type",
        "name",
        "description",
        "credentialCategory",
        "educationalLevel",
        "inLanguage",
        "version",
        "datePublished",
        "dateModified",
        "keywords",
        "license",
        "recognizedBy",
        "url",
    ]
    assert list(achievement(built, "listening")) == [
        "@context",
        "id",
        "type",
        "achievementType",
        "name",
        "description",
        "criteria",
        "creator",
        "image",
        "tag",
        "version",
        "inLanguage",
        "resultDescription",
        "creditsAvailable",
    ]


@pytest.mark.parametrize(
    ("hours", "duration"),
    [("12.5", "PT12H30M"), ("0.75", "PT45M"), ("1.01", "PT1H36S"), ("100", "PT100H"), ("0.01", "PT36S")],
)
def test_hours_are_iso_8601_durations(hours: str, duration: str) -> None:
    assert iso_duration(Decimal(hours)) == duration


# --- The feed -----------------------------------------------------------------------------------------------


def test_feed_announces_a_retirement_once_and_never_a_draft(built: Path) -> None:
    feed = ElementTree.parse(built / "feed.xml").getroot()
    entries = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    titles = sorted(e.findtext(f"{ATOM}title") for e in entries.values())
    assert titles == [
        "New: Círculos restaurativos (version 1.0)",
        "New: Listening to Students (version 1.0)",
        "Retired: Old Circles (version 1.0)",
        "Updated: Restorative Practices in the Classroom (version 2.1)",
    ]
    retired = entries[BASE_URL + "credentials/old-circles/#retired"]
    assert retired.findtext(f"{ATOM}summary") == "Replaced by Restorative Practices in the Classroom."
    assert retired.findtext(f"{ATOM}updated") == "2025-03-01T00:00:00+00:00"
    # The newest news first: the retirement of 2025-03-01 is after the update of 2025-02-01.
    first = feed.find(f"{ATOM}entry")
    assert first is not None and first.findtext(f"{ATOM}title") == "Retired: Old Circles (version 1.0)"
    assert feed.findtext(f"{ATOM}updated") == "2025-03-01T00:00:00+00:00"


def test_the_preview_catalog_holds_the_draft_but_its_feed_does_not(content: Path) -> None:
    catalog, _ = load_catalog(content, drafts=True)
    assert "future-draft" in [c.slug for c in catalog.credentials]
    feed = atom_feed(catalog, english()).decode()
    assert "future-draft" not in feed and "Unpublished Future Work" not in feed

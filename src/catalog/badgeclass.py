"""Open Badges 2.0: the BadgeClass of each credential (credentials/<slug>/badgeclass.json) and the Issuer Profile
of each issuer (issuers.py says where), for the badge platforms that still read 2.0 beside the 3.0 Achievement.

Every key is a term of the Open Badges 2.0 context (https://w3id.org/openbadges/v2) or a JSON-LD keyword, and
the BadgeClass says what the Achievement says: the same name, description, criteria narrative and issuer.
Choices the specification (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html)
leaves to us:

- criteria.id is the credential's page, which only a site with a URL has; the narrative is always there.
- related "identifies another entity of the same type that should be considered the same for most purposes
  ... alternate language editions or previous versions of BadgeClasses": as in the Achievement, a retired
  credential names its replacement's BadgeClass there.
- @language is the JSON-LD keyword the specification's internationalization examples use, with the BCP 47 tag
  the credential is written in.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from .addresses import absolute, badge_path, identifier
from .issuers import issuer_of, profile_path
from .model import Catalog, Credential, Organisation
from .problem import Problem, Severity
from .references import Located
from .shapes import Shape, language, named

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
# "image ... This must be a PNG or SVG image." (the specification's BadgeClass table)
OB2_IMAGE_TYPES = (".png", ".svg")

SHAPE = Shape(
    "badgeclass.json",
    "credential",
    carried={
        "title": "name",
        "summary": "description",
        "issuer": "issuer",
        "key_method": "criteria.narrative",
        "version": "version",
        "tags": "tags",
        "image": "image",
        "requirements": "criteria.narrative",
        "alignments": "alignment[].targetName",
        "requires": "criteria.narrative",
        "recommends": "criteria.narrative",
        "language": "@language",
        "replaced_by": "related[].id",
    },
    not_carried={
        "published": "a BadgeClass has no dates; a badge platform dates the Assertions it issues",
        "updated": "a BadgeClass has no dates; version says which edition this is",
        "licence": "a BadgeClass has no licence property; catalog.json and the page carry it",
        "graduate_credit": "a BadgeClass has no credit property (2.0 has no creditsAvailable); the Achievement has it",
        "credits": "a BadgeClass has no credit property (2.0 has no creditsAvailable); the Achievement has it",
        "code": "a BadgeClass has no human code (2.0 has no humanCode); the Achievement has it",
        "scales": "a BadgeClass has no result descriptions; the narrative names each part's passing level",
        "resources": "a BadgeClass has no reading list; the page and the PDF carry it",
        "hours": "a BadgeClass has no time to earn; the page's JSON-LD has timeRequired",
        "fee": "a BadgeClass describes what is earned, not an offer; the page's JSON-LD has offers",
        "apply_url": "a BadgeClass has no place to apply; criteria.id links the page, which links it",
        "audience": "a BadgeClass has no audience property (2.0's audience is an Endorsement's); the page has it",
        "status": "a BadgeClass has no status; a retired one names its replacement in related",
        "retired_on": "a BadgeClass has no dates; the context's expires is an Assertion's",
        "review": "a BadgeClass does not say how review works; the page and the PDF do",
        "source": "where an import read the credential is a fact of its authoring, not of the badge",
        "ctid": "a BadgeClass has no place for a Registry identifier; ctdl.json carries it",
    },
)


def image_problems(credentials: dict[str, tuple[Located, Credential]]) -> Iterable[Problem]:
    """Badge artwork Open Badges 2.0 does not accept: a warning, as the page and the Achievement still use it."""
    for located, credential in credentials.values():
        if credential.image and PurePosixPath(credential.image).suffix.lower() not in OB2_IMAGE_TYPES:
            yield located.problem(
                "image",
                "Open Badges 2.0 requires a PNG or SVG badge image, and badgeclass.json names this one as it is",
                "save the artwork as .png or .svg",
                Severity.WARNING,
            )


def badgeclass_path(credential: Credential) -> str:
    return f"{credential.prefix}credentials/{credential.slug}/badgeclass.json"


def issuer_profile(catalog: Catalog, issuer: Organisation) -> dict[str, Any]:
    """The issuer's Open Badges 2.0 Issuer Profile, published at its id: its own url and email only."""
    return {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": identifier(catalog, profile_path(catalog.site, issuer)),
        "name": issuer.name,
        **({"url": issuer.url} if issuer.url else {}),
        **({"email": issuer.email} if issuer.email else {}),
    }


def badgeclass(catalog: Catalog, credential: Credential, narrative: str) -> dict[str, Any]:
    """An Open Badges 2.0 BadgeClass describing the credential; `narrative` is its criteria_narrative."""
    data: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": identifier(catalog, badgeclass_path(credential)),
        "@language": language(catalog, credential),
        "name": credential.title,
        "description": credential.summary,
        "image": absolute(catalog, badge_path(credential)) or badge_path(credential),
        "criteria": {"narrative": narrative},
        "issuer": identifier(catalog, profile_path(catalog.site, issuer_of(catalog.site, credential))),
        "tags": list(credential.tags),
        "version": credential.version,
    }
    if page := absolute(catalog, credential.page_path):
        data["criteria"] = {"id": page, **data["criteria"]}
    if credential.alignments:
        data["alignment"] = [
            {
                "targetName": a.name,
                "targetUrl": a.url,
                **({"targetFramework": a.framework} if a.framework else {}),
                **({"targetCode": a.code} if a.code else {}),
            }
            for a in credential.alignments
        ]
    replacements = named(catalog, (credential.replaced_by,)) if credential.replaced_by else []
    if replacements:
        data["related"] = [
            {
                "id": identifier(catalog, badgeclass_path(other)),
                "@language": language(catalog, other),
                "version": other.version,
            }
            for other in replacements
        ]
    return data

"""schema.org JSON-LD for each credential page: an EducationalOccupationalCredential.

A fact is written only when the author gave it, so a catalog that uses none of the newer fields gets
the same JSON-LD as before them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .addresses import absolute
from .escaping import script_json
from .issuers import issuer_of
from .model import Catalog, Credential
from .shapes import Shape, json_number, language, named

SHAPE = Shape(
    "JSON-LD",
    "credential",
    carried={
        "title": "name",
        "summary": "description",
        "issuer": "recognizedBy.name",
        "version": "version",
        "published": "datePublished",
        "updated": "dateModified",
        "licence": "license",
        "tags": "keywords",
        "code": "identifier",
        "hours": "timeRequired",
        "fee": "offers.price",
        "apply_url": "offers.url",
        "requires": "competencyRequired[].name",
        "audience": "audience[].audienceType",
        "language": "inLanguage",
        "status": "creativeWorkStatus",
        "retired_on": "expires",
    },
    not_carried={
        "source": "where an import read the credential serves the next import; schema.org readers need not know",
        "key_method": "schema.org has no property for it; the description is the summary",
        "graduate_credit": "schema.org gives a credential no credit (numberOfCredits is for courses and programs)",
        "credits": "schema.org gives a credential no credit (numberOfCredits is for courses and programs)",
        "image": "the page's Open Graph and Twitter tags name the badge image",
        "alignments": "the Achievement carries them, with their codes, which schema.org's AlignmentObject cannot",
        "scales": "schema.org has no scoring guide; the page shows it",
        "requirements": "schema.org has no submission requirements; the page shows them",
        "resources": "the page links them; schema.org has no reading list for a credential",
        "recommends": "competencyRequired is for what is required; a recommendation is shown on the page",
        "replaced_by": "schema.org has no successor of a creative work; the retired page links its replacement",
        "review": "schema.org has no review process for a credential; the page shows it",
        "ctid": "identifier holds the issuer's code; the Registry's identifier is in ctdl.json and catalog.json",
    },
)

# creativeWorkStatus: the words schema.org suggests for a work's stage in its life.
WORK_STATUS = {"draft": "Draft", "retired": "Obsolete"}


def iso_duration(hours: Decimal) -> str:
    """Hours as an ISO 8601 duration: 12.5 is PT12H30M, 0.75 is PT45M, 1.01 is PT1H36S."""
    seconds = hours * 3600
    whole, minutes_left = divmod(seconds, 3600)
    minutes, rest = divmod(minutes_left, 60)
    parts = [(whole, "H"), (minutes, "M"), (rest, "S")]
    return "PT" + "".join(f"{json_number(value)}{unit}" for value, unit in parts if value)


def json_ld(catalog: Catalog, credential: Credential) -> str:
    """schema.org JSON-LD for the credential page, safe to place inside a <script> element."""
    issuer = issuer_of(catalog.site, credential)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": credential.title,
        "description": credential.summary,
        "credentialCategory": "Micro-credential",
        "educationalLevel": "Professional development",
        "inLanguage": language(catalog, credential),
        "version": credential.version,
        # A draft in the preview may have no date yet.
        **({"datePublished": credential.published.isoformat()} if credential.published else {}),
        **({"dateModified": changed.isoformat()} if (changed := credential.last_changed) else {}),
        "keywords": list(credential.tags),
        "license": credential.licence.url or credential.licence.spdx,
        "recognizedBy": {
            "@type": "Organization",
            "name": issuer.name,
            **({"url": issuer.url} if issuer.url else {}),
        },
    }
    if url := absolute(catalog, credential.page_path):
        data["url"] = url
    if credential.code:
        data["identifier"] = credential.code
    if status := WORK_STATUS.get(credential.status):
        data["creativeWorkStatus"] = status
    if credential.retired_on:
        data["expires"] = credential.retired_on.isoformat()
    if credential.hours is not None:
        data["timeRequired"] = iso_duration(credential.hours)
    if credential.fee or credential.apply_url:
        data["offers"] = _offer(credential)
    if required := named(catalog, credential.requires):
        data["competencyRequired"] = [
            {
                "@type": "DefinedTerm",
                "name": other.title,
                **({"termCode": other.code} if other.code else {}),
                **({"url": link} if (link := absolute(catalog, other.page_path)) else {}),
            }
            for other in required
        ]
    if credential.audience:
        data["audience"] = [{"@type": "EducationalAudience", "audienceType": who} for who in credential.audience]
    return script_json(json.dumps(data, ensure_ascii=False, indent=1))


def _offer(credential: Credential) -> dict[str, Any]:
    """What it costs (price 0 when free) and where to apply."""
    fee = credential.fee
    offer: dict[str, Any] = {"@type": "Offer"}
    if fee:
        offer["price"] = json_number(fee.amount)
        if fee.currency:
            offer["priceCurrency"] = fee.currency
        if fee.note:
            offer["description"] = fee.note
    if credential.apply_url:
        offer["url"] = credential.apply_url
    return offer

"""CTDL for the Credential Engine Registry: credentials/<slug>/ctdl.json and stacks/<slug>/ctdl.json.

Written when site.yml has credential_engine. Each file is one graph document as the Registry's publish API takes
it (its GraphInput) and as Credential Engine's credential-registry-publish-action reads it from a URL:
{"@context": the CTDL context, "@id": the Registry's graph address, "@graph": [the resource]}. Every resource is
named by its Registry address (https://credentialengineregistry.org/resources/<ctid>), which the action maps to
the environment it publishes to, sandbox or production. Choices the terms left to us:

- Every credential is a ceterms:MicroCredential: a catalog of micro-credentials has no other kind, so there is
  no field to name a type.
- Text is a language map keyed by the credential's language (or the site's); inLanguage lists that language.
- Concepts (status, cost type, credit unit) are CredentialAlignmentObjects naming the concept and its scheme,
  the form the Registry publishes them in.
- What an earner submits (the requirement parts, with the key method) is the description of the condition
  profile in ceterms:requires, which also holds the alignments (targetCompetency); prerequisites are a second
  condition profile naming them (targetCredential), recommended credentials one in ceterms:recommends.
- Credit is not a property of a credential in CTDL (ceterms:creditValue belongs to condition profiles, courses
  and assessments): each credit an earner can receive is a condition profile in ceterms:isAdvancedStandingFor
  ("reduces the time or cost required to earn" what gives the credit), with its ValueProfile. Graduate credit
  hours are creditUnit:DegreeCredit and CEUs creditUnit:ContinuingEducationUnit; the other kinds have no
  concept of their own and are described in words.
- A fee is the whole cost of earning it: costType:AggregateCost ("sum of direct costs").
- The issuer's code is an IdentifierValue (ceterms:identifier): codedNotation is not a property of credentials.
- A stack is a ceterms:Collection; its members are CollectionMembers (hasMember takes no credential directly)
  whose proxyFor is the credential's Registry address. A retired credential leaves the collection as it leaves
  the stack's page.
"""

from __future__ import annotations

from typing import Any

from .achievement import ob_language
from .addresses import absolute, badge_path
from .ctids import registry_uri
from .jsonld import iso_duration
from .model import Catalog, Credential, Credit, Stack
from .shapes import Shape, json_number, language, named

CONTEXT = "https://credreg.net/ctdl/schema/context/json"
REGISTRY_GRAPHS = "https://credentialengineregistry.org/graph/"

SHAPE = Shape(
    "ctdl.json",
    "credential",
    carried={
        "ctid": "ceterms:ctid",
        "title": "ceterms:name",
        "summary": "ceterms:description",
        "key_method": "ceterms:requires[].ceterms:description",
        "version": "ceterms:versionIdentifier[].ceterms:identifierValueCode",
        "published": "ceterms:dateEffective",
        "graduate_credit": "ceterms:isAdvancedStandingFor[].ceterms:creditValue",
        "tags": "ceterms:keyword",
        "image": "ceterms:image",
        "requirements": "ceterms:requires[].ceterms:description",
        "alignments": "ceterms:requires[].ceterms:targetCompetency[].ceterms:targetNodeName",
        "code": "ceterms:identifier[].ceterms:identifierValueCode",
        "hours": "ceterms:estimatedDuration[].ceterms:exactDuration",
        "fee": "ceterms:estimatedCost[].ceterms:price",
        "apply_url": "ceterms:availableOnlineAt",
        "credits": "ceterms:isAdvancedStandingFor[].ceterms:creditValue",
        "requires": "ceterms:requires[].ceterms:targetCredential",
        "recommends": "ceterms:recommends[].ceterms:targetCredential",
        "language": "ceterms:inLanguage",
        "status": "ceterms:credentialStatusType.ceterms:targetNode",
        "retired_on": "ceterms:expirationDate",
        "replaced_by": "ceterms:supersededBy",
    },
    not_carried={
        "issuer": "ownedBy and offeredBy name the organisation by its Registry address; an issuer's name has no CTID",
        "updated": "CTDL dates when a credential takes effect, not its edits; the Registry dates each publication",
        "licence": "CTDL has no licence of a credential's description; catalog.json and the page carry it",
        "scales": "a CTDL rubric (ceasn:Rubric) is a Registry resource of its own; the page and the PDF carry it",
        "resources": "CTDL has no reading list for a credential; the page and the PDF carry it",
        "audience": "ceterms:audienceType takes concepts of CTDL's Audience scheme, and our audience is free text",
        "review": "ceterms:reviewProcess is how the credential itself is reviewed, not how a submission is",
        "source": "where an import read the credential is a fact of its authoring, not of the credential",
    },
)
STACK_SHAPE = Shape(
    "ctdl.json",
    "stack",
    carried={
        "ctid": "ceterms:ctid",
        "title": "ceterms:name",
        "summary": "ceterms:description",
        "credentials": "ceterms:hasMember[].ceterms:proxyFor",
    },
    not_carried={
        "order": "the order of stacks on the catalog's index is not a fact about the collection",
        "colour": "a colour belongs to the theme, not to the collection's description",
        "kind": "ceterms:collectionType takes funding and approval lists (ETPL, GI Bill...), not pathway or set",
    },
)

# Concepts, by the scheme that defines them (https://credreg.net/ctdl/terms/<scheme>).
STATUS = {"active": "credentialStat:Active", "retired": "credentialStat:Deprecated"}
STATUS_NAMES = {"credentialStat:Active": "Active", "credentialStat:Deprecated": "Deprecated"}
CREDIT_UNITS = {
    "graduate": ("creditUnit:DegreeCredit", "Degree Credit"),
    "ceu": ("creditUnit:ContinuingEducationUnit", "Continuing Education Unit"),
}


def ctdl_path(item: Credential | Stack) -> str:
    folder = "credentials" if isinstance(item, Credential) else "stacks"
    return f"{folder}/{item.slug}/ctdl.json"


def _graph(ctid: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"@context": CONTEXT, "@id": REGISTRY_GRAPHS + ctid, "@graph": [resource]}


def _concept(scheme: str, scheme_name: str, term: str, name: str, lang: str) -> dict[str, Any]:
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": f"https://credreg.net/ctdl/terms/{scheme}",
        "ceterms:frameworkName": {lang: scheme_name},
        "ceterms:targetNode": term,
        "ceterms:targetNodeName": {lang: name},
    }


def _organisation(catalog: Catalog) -> list[str]:
    return [registry_uri(catalog.site.organisation_ctid)]


def credential_graph(catalog: Catalog, credential: Credential) -> dict[str, Any]:
    """The credential as the Registry's graph document; the site must have credential_engine and a url."""
    lang = ob_language(language(catalog, credential))
    status = STATUS["retired" if credential.retired else "active"]
    data: dict[str, Any] = {
        "@id": registry_uri(credential.ctid),
        "@type": "ceterms:MicroCredential",
        "ceterms:ctid": credential.ctid,
        "ceterms:name": {lang: credential.title},
        "ceterms:description": {lang: credential.summary},
        "ceterms:subjectWebpage": absolute(catalog, credential.page_path),
        "ceterms:ownedBy": _organisation(catalog),
        "ceterms:offeredBy": _organisation(catalog),
        "ceterms:inLanguage": [lang],
        "ceterms:credentialStatusType": _concept(
            "CredentialStatus", "Credential Status", status, STATUS_NAMES[status], lang
        ),
        "ceterms:versionIdentifier": [_identifier("Version", credential.version, lang)],
        "ceterms:image": absolute(catalog, badge_path(credential)),
        "ceterms:requires": _requires(catalog, credential, lang),
    }
    if credential.published:  # a draft in the preview may have no date yet
        data["ceterms:dateEffective"] = credential.published.isoformat()
    if credential.tags:
        data["ceterms:keyword"] = {lang: list(credential.tags)}
    if credential.code:
        data["ceterms:identifier"] = [_identifier(f"{credential.issuer} code", credential.code, lang)]
    if credential.hours is not None:
        data["ceterms:estimatedDuration"] = [
            {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": iso_duration(credential.hours)}
        ]
    if credential.fee:
        data["ceterms:estimatedCost"] = [_cost(catalog, credential, lang)]
    if credential.apply_url:
        data["ceterms:availableOnlineAt"] = [credential.apply_url]
    if credited := [_credit(credit, lang) for credit in credential.credits]:
        data["ceterms:isAdvancedStandingFor"] = credited
    if recommended := named(catalog, credential.recommends):
        data["ceterms:recommends"] = [_condition(f"Recommended first: {_titles(recommended)}.", recommended, lang)]
    if credential.retired_on:
        data["ceterms:expirationDate"] = credential.retired_on.isoformat()
    if credential.replaced_by and (replacement := catalog.credential(credential.replaced_by)):
        data["ceterms:supersededBy"] = registry_uri(replacement.ctid)
    return _graph(credential.ctid, data)


def _identifier(kind: str, value: str, lang: str) -> dict[str, Any]:
    return {
        "@type": "ceterms:IdentifierValue",
        "ceterms:identifierTypeName": {lang: kind},
        "ceterms:identifierValueCode": value,
    }


def _titles(credentials: list[Credential]) -> str:
    return ", ".join(f"“{c.title}”" for c in credentials)


def _condition(description: str, credentials: list[Credential], lang: str) -> dict[str, Any]:
    return {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": {lang: description},
        "ceterms:targetCredential": [registry_uri(c.ctid) for c in credentials],
    }


def _requires(catalog: Catalog, credential: Credential, lang: str) -> list[dict[str, Any]]:
    """What the earner submits, the parts and their passing levels, and prerequisites if any."""
    parts = "; ".join(f"Part {p.number}. {p.title} (passes at “{p.pass_level}”)" for p in credential.parts)
    submission: dict[str, Any] = {
        "@type": "ceterms:ConditionProfile",
        "ceterms:name": {lang: "Submission"},
        "ceterms:description": {
            lang: f"{credential.key_method} Every part of the submission must reach its passing level: {parts}."
        },
        "ceterms:subjectWebpage": absolute(catalog, credential.page_path),
    }
    if credential.alignments:
        submission["ceterms:targetCompetency"] = [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNodeName": {lang: a.name},
                "ceterms:targetNode": a.url,
                **({"ceterms:codedNotation": a.code} if a.code else {}),
                **({"ceterms:frameworkName": {lang: a.framework}} if a.framework else {}),
            }
            for a in credential.alignments
        ]
    found = [submission]
    if required := named(catalog, credential.requires):
        found.append(_condition(f"Earn first: {_titles(required)}.", required, lang))
    return found


def _cost(catalog: Catalog, credential: Credential, lang: str) -> dict[str, Any]:
    fee = credential.fee
    assert fee is not None
    words = "Free." if fee.free else f"The fee to submit “{credential.title}”."
    return {
        "@type": "ceterms:CostProfile",
        "ceterms:directCostType": _concept("CostType", "Cost Type", "costType:AggregateCost", "Aggregate Cost", lang),
        "ceterms:price": json_number(fee.amount),
        **({"ceterms:currency": fee.currency} if fee.currency else {}),
        "ceterms:description": {lang: f"{words} {fee.note}".strip()},
        "ceterms:costDetails": credential.apply_url or absolute(catalog, credential.page_path),
    }


def _credit(credit: Credit, lang: str) -> dict[str, Any]:
    """One credit an earner can receive, from its provider."""
    value: dict[str, Any] = {"@type": "ceterms:ValueProfile"}
    if credit.amount is not None:
        value["schema:value"] = json_number(credit.amount)
    if unit := CREDIT_UNITS.get(credit.kind):
        value["ceterms:creditUnitType"] = [_concept("CreditUnit", "Credit Unit", unit[0], unit[1], lang)]
    said = credit.unit or f"{credit.kind} credit"
    value["schema:description"] = {lang: said}
    amount = f"{json_number(credit.amount)} {said}" if credit.amount is not None else said.capitalize()
    words = " ".join(
        w for w in (f"{amount} from {credit.provider}." if credit.provider else f"{amount}.", credit.note) if w
    )
    profile: dict[str, Any] = {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": {lang: words},
        "ceterms:creditValue": [value],
    }
    if credit.url:
        profile["ceterms:subjectWebpage"] = credit.url
    return profile


def stack_graph(catalog: Catalog, stack: Stack) -> dict[str, Any]:
    """The stack as a Collection of its credentials, by their Registry addresses."""
    lang = ob_language(catalog.site.language)
    data: dict[str, Any] = {
        "@id": registry_uri(stack.ctid),
        "@type": "ceterms:Collection",
        "ceterms:ctid": stack.ctid,
        "ceterms:name": {lang: stack.title},
        "ceterms:description": {lang: stack.summary},
        "ceterms:ownedBy": _organisation(catalog),
        "ceterms:subjectWebpage": absolute(catalog, stack.page_path),
        "ceterms:inLanguage": [lang],
        "ceterms:hasMember": [
            {
                "@type": "ceterms:CollectionMember",
                "ceterms:name": {lang: member.title},
                "ceterms:proxyFor": registry_uri(member.ctid),
            }
            for member in catalog.credentials_of(stack)
        ],
    }
    return _graph(stack.ctid, data)

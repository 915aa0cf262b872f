"""catalog.json: the whole catalog as data, its fields named as in the front matter.

Its schema, docs/catalog.schema.json, is generated from schema.py's Records (dataschema) and the Output
declared beside each writer below: what it writes otherwise than the front matter, and what it adds.
Decimal values (hours, amounts) are JSON numbers that read back exactly; a field the author left out is
null (or an empty list, or blank text inside a record), never a guess.
"""

from __future__ import annotations

from typing import Any

from . import schema, values
from .addresses import achievement_path, badge_path
from .dataschema import JsonSchema, Output, document, field_kind, kind_schema, nullable, output_schema
from .model import Bundle, Catalog, Credential, Credit, Membership, Part, Stack
from .shapes import Shape, json_number, named

# 2: a credential may be in several stacks (memberships), credits of several kinds, bundles, and the fields
# of "The shapes real catalogs have"; format 1's `stack` and `graduate_credit` stay, read from the new ones.
CATALOG_FORMAT = 2
SCHEMA_TITLE = "Micro-credential catalog"
SCHEMA_DESCRIPTION = (
    "The whole catalog as data (catalog.json at the site's root): its bundles and stacks in order, and every "
    "published credential (retired ones included, with their status; drafts never) with its submission "
    "requirements and scoring guide. Field names are those of the front matter, and so are their descriptions; "
    "every property is always present. Paths are relative to the site's root. Decimal values (hours, amounts) "
    "are JSON numbers with the value the author wrote (125.00 is 125, 0.5 is 0.5). Format 2 adds memberships in "
    "several stacks, stack kinds, bundles, codes, hours, fees, credits of several kinds, prerequisites, audience, "
    "language, status and review; format 1's stack and graduate_credit stay, read from memberships and credits. "
    "A site in several languages has one catalog.json for each, in this format: the default language's at the "
    "root, each other's at <lang>/catalog.json, its texts in that language (those not translated yet in the "
    "default language's, the credential's language saying so) and its paths under <lang>/."
)

SLUG = kind_schema(values.SLUG)
PATH: JsonSchema = {"type": "string", "minLength": 1}  # relative to the site's root

CREDENTIAL_SHAPE = Shape(
    "catalog.json",
    "credential",
    carried={
        "title": "title",
        "summary": "summary",
        "issuer": "issuer",
        "key_method": "key_method",
        "version": "version",
        "published": "published",
        "updated": "updated",
        "licence": "licence",
        "graduate_credit": "credits[].kind",  # read as one graduate credit; also format 1's graduate_credit
        "tags": "tags",
        "image": "image",
        "scales": "requirements[].levels",  # each part names its scale and lists its levels
        "requirements": "requirements[].criteria",
        "resources": "resources",
        "alignments": "alignments",
        "code": "code",
        "ctid": "ctid",
        "hours": "hours",
        "fee": "fee.currency",
        "apply_url": "apply_url",
        "credits": "credits[].amount",
        "requires": "requires",
        "recommends": "recommends",
        "audience": "audience",
        "language": "language",
        "status": "status",
        "retired_on": "retired_on",
        "replaced_by": "replaced_by",
        "review": "review.days",
    },
    not_carried={"source": "where an import read the credential serves the next import; it tells a reader nothing"},
)
STACK_SHAPE = Shape(
    "catalog.json",
    "stack",
    carried={
        "title": "title",
        "summary": "summary",
        "order": "order",
        "colour": "colour",
        "kind": "kind",
        "ctid": "ctid",
        "credentials": "credentials",
    },
    not_carried={},
)
BUNDLE_SHAPE = Shape(
    "catalog.json",
    "bundle",
    carried={"title": "title", "summary": "summary", "order": "order", "stacks": "stacks"},
    not_carried={},
)


# A count of words as the front matter gives it: word_limit's single form, a whole number.
WORD_COUNT = nullable(kind_schema(field_kind(values.PART, "word_limit"))["oneOf"][0])
PART_DATA = Output(
    values.PART,
    reshaped={"word_limit": WORD_COUNT},  # the most words; a range's fewest is word_minimum
    notes={"word_limit": "The most words for each response; null when the part sets no limit."},
    added={
        "number": {"type": "integer", "minimum": 1, "description": "Its number: Part 1, Part 2, ..."},
        "levels": {
            "type": "array",
            "minItems": 2,
            "items": {"type": "string", "minLength": 1},
            "description": "The levels of its scale, best first.",
        },
        "word_minimum": {**WORD_COUNT, "description": "The fewest words, when the limit is a range {min, max}."},
    },
)


def _part(part: Part) -> dict[str, Any]:
    return {
        "number": part.number,
        "title": part.title,
        "instructions": part.instructions,
        "scale": part.scale.name,
        "levels": list(part.scale.levels),
        "pass": part.pass_level,
        "word_limit": part.word_limit,
        "word_minimum": part.word_minimum,
        "recording": {"min_minutes": part.recording.min_minutes, "max_minutes": part.recording.max_minutes}
        if part.recording
        else None,
        "prompts": list(part.prompts),
        "artefacts": list(part.artefacts),
        "criteria": [{"title": c.title, "looks_for": c.looks_for, "levels": dict(c.levels)} for c in part.criteria],
    }


CREDIT_DATA = Output(
    values.CREDIT,
    null=("amount",),
    notes={"amount": "How much credit; null only for graduate_credit: {offered: true} without credits."},
)


def _credit(credit: Credit) -> dict[str, Any]:
    return {
        "kind": credit.kind,
        "amount": json_number(credit.amount) if credit.amount is not None else None,
        "unit": credit.unit,
        "provider": credit.provider,
        "note": credit.note,
        "url": credit.url,
    }


GRADUATE_CREDIT_DATA = Output(
    values.GRADUATE_CREDIT,
    reshaped={"credits": nullable(kind_schema(field_kind(values.CREDIT, "amount")))},
    notes={"credits": "The first graduate credit's amount, when it has one."},
)


def _graduate_credit(credential: Credential) -> dict[str, Any]:
    """Format 1's graduate_credit, read from credits so that it never contradicts them."""
    first = next((c for c in credential.credits if c.kind == "graduate"), None)
    if first is None:
        return {"offered": False, "note": credential.graduate_credit.note, "credits": None}
    return {
        "offered": True,
        "note": first.note,
        "credits": json_number(first.amount) if first.amount is not None else None,
    }


def _slug_or_null(description: str) -> JsonSchema:
    return {**nullable(SLUG), "description": description}


MEMBERSHIP: JsonSchema = {
    "type": "object",
    "required": ["stack", "position", "of", "previous", "next"],
    "additionalProperties": False,
    "properties": {
        "stack": SLUG,
        "position": {
            "type": "integer",
            "minimum": 1,
            "description": "Its place in the stack's sequence, from 1 (in a collection, only the order of listing).",
        },
        "of": {"type": "integer", "minimum": 1, "description": "How many credentials the sequence holds."},
        "previous": _slug_or_null("The credential before it in a pathway; null in a collection."),
        "next": _slug_or_null("The credential after it in a pathway; null in a collection."),
    },
}


def _membership(membership: Membership) -> dict[str, Any]:
    return {
        "stack": membership.stack.slug,
        "position": membership.position,
        "of": membership.of,
        "previous": membership.previous.slug if membership.previous else None,
        "next": membership.next.slug if membership.next else None,
    }


FEE_DATA = Output(
    values.FEE,
    null=("currency",),
    notes={
        "currency": "The fee's own currency or site.yml's; null only for a free credential in a catalog "
        "without a currency."
    },
    added={"free": {"type": "boolean", "description": "true when the amount is 0."}},
)
CREDENTIAL_DATA = Output(
    schema.CREDENTIAL,
    blank=None,
    defaulted=("issuer", "licence", "status", "graduate_credit"),
    # each part lists its scale's levels; where an import read the credential is a fact of its authoring
    left_out=("scales", "source"),
    null=("published",),
    reshaped={"image": PATH},
    notes={
        "issuer": "Who awards it: its own issuer, or the site's organisation.",
        "published": "The date it was first published; null only in serve's preview, for a draft without one.",
        "licence": "SPDX licence id: its own, or the site's.",
        "image": "The badge image: the author's artwork, or the badge the build drew.",
        "graduate_credit": "Format 1's view, kept for its readers: the first graduate credit of credits.",
        "credits": "Credit of every kind an earner can receive; graduate_credit in the front matter is read as "
        "one graduate credit.",
        "requires": "Credentials to earn first (prerequisites), by slug; published ones only.",
        "recommends": "Credentials recommended first, by slug; published ones only.",
        "language": "Its own language tag, when not the catalog's language; null otherwise.",
    },
    nested={
        "requirements": PART_DATA,
        "fee": FEE_DATA,
        "credits": CREDIT_DATA,
        "graduate_credit": GRADUATE_CREDIT_DATA,
    },
    added={
        "slug": SLUG,
        "stack": _slug_or_null(
            "Format 1's view: the first stack of memberships (it gives the credential its colour); null when in none."
        ),
        "memberships": {
            "type": "array",
            "items": MEMBERSHIP,
            "description": "Every stack whose sequence holds it, in the catalog's order of stacks; empty for a "
            "standalone or retired credential.",
        },
        "page": PATH,
        "pdf": PATH,
        "achievement": {**PATH, "description": "The Open Badges 3.0 Achievement JSON."},
    },
)


def credential_data(catalog: Catalog, credential: Credential) -> dict[str, Any]:
    memberships = catalog.memberships(credential)
    fee, review = credential.fee, credential.review
    replacement = named(catalog, (credential.replaced_by,)) if credential.replaced_by else []
    return {
        "slug": credential.slug,
        "title": credential.title,
        "summary": credential.summary,
        "issuer": credential.issuer,
        "key_method": credential.key_method,
        "version": credential.version,
        "published": credential.published.isoformat() if credential.published else None,  # None: a draft's
        "updated": credential.updated.isoformat() if credential.updated else None,
        "licence": credential.licence.spdx,
        "code": credential.code or None,
        "ctid": credential.ctid or None,
        "status": credential.status,
        "retired_on": credential.retired_on.isoformat() if credential.retired_on else None,
        "replaced_by": replacement[0].slug if replacement else None,
        "language": credential.language or None,
        "hours": json_number(credential.hours) if credential.hours is not None else None,
        "fee": {
            "amount": json_number(fee.amount),
            "currency": fee.currency or None,
            "note": fee.note,
            "free": fee.free,
        }
        if fee
        else None,
        "apply_url": credential.apply_url or None,
        "credits": [_credit(c) for c in credential.credits],
        "graduate_credit": _graduate_credit(credential),
        "requires": [c.slug for c in named(catalog, credential.requires)],
        "recommends": [c.slug for c in named(catalog, credential.recommends)],
        "audience": list(credential.audience),
        "review": {"days": review.days, "resubmissions": review.resubmissions, "note": review.note} if review else None,
        "tags": list(credential.tags),
        "stack": memberships[0].stack.slug if memberships else None,
        "memberships": [_membership(m) for m in memberships],
        "alignments": [
            {"name": a.name, "url": a.url, "framework": a.framework, "code": a.code} for a in credential.alignments
        ],
        "page": credential.page_path,
        "pdf": credential.pdf_path,
        "achievement": achievement_path(credential),
        "image": badge_path(credential),
        "requirements": [_part(p) for p in credential.parts],
        "resources": [{"title": r.title, "url": r.url, "note": r.note} for r in credential.resources],
    }


STACK_DATA = Output(
    schema.STACK,
    defaulted=("colour", "kind"),
    null=("ctid",),
    notes={
        "ctid": "Its identifier in the Credential Engine Registry; null when it has none.",
        "colour": "The stack's colour: its own, or the theme's.",
        "credentials": "Its sequence: the published credentials it lists that are not retired, in the stack's order.",
    },
    added={"slug": SLUG, "page": PATH},
)


def _stack(catalog: Catalog, stack: Stack) -> dict[str, Any]:
    return {
        "slug": stack.slug,
        "title": stack.title,
        "summary": stack.summary,
        "order": stack.order,
        "colour": stack.colour,
        "kind": stack.kind,
        "ctid": stack.ctid or None,
        "page": stack.page_path,
        # Its sequence: a retired credential keeps its page but leaves the stack, and a draft is not published.
        "credentials": [c.slug for c in catalog.credentials_of(stack)],
    }


BUNDLE_DATA = Output(schema.BUNDLE, added={"slug": SLUG, "page": PATH})


def _bundle(catalog: Catalog, bundle: Bundle) -> dict[str, Any]:
    return {
        "slug": bundle.slug,
        "title": bundle.title,
        "summary": bundle.summary,
        "order": bundle.order,
        "page": bundle.page_path,
        "stacks": [s.slug for s in catalog.stacks_in(bundle)],
    }


CATALOG_DATA = Output(
    schema.SITE,
    null=("url", "currency"),
    defaulted=("language",),
    # settings of the build, not catalog facts; the organisation's CTID is in each ctdl.json; each of the site's
    # languages has a catalog.json of its own (SCHEMA_DESCRIPTION), whose language says which
    left_out=("licence", "theme", "pdf", "allow_html", "scales", "credential_engine", "fonts", "languages"),
    # Written in this catalog.json's language (site.yml may give them per language).
    reshaped={
        "title": kind_schema(schema.SITE_TITLE),
        "description": {"anyOf": [kind_schema(schema.SITE_DESCRIPTION), {"const": ""}]},
    },
    notes={
        "title": "The catalog's name, in this file's language.",
        "description": "One line under the title, in this file's language; empty when the site has none.",
        "url": "The public address, when the site has one.",
        "currency": "site.yml's currency: the currency of fees that name none.",
    },
    added={
        "format": {"const": CATALOG_FORMAT, "description": "The version of this format."},
        "bundles": {
            "type": "array",
            "items": output_schema(BUNDLE_DATA),
            "description": "Groups of stacks, in their order.",
        },
        "stacks": {"type": "array", "items": output_schema(STACK_DATA), "description": "The stacks, in order."},
        "credentials": {"type": "array", "items": output_schema(CREDENTIAL_DATA)},
    },
)


def json_schema() -> JsonSchema:
    """docs/catalog.schema.json: the schema of what catalog_data writes."""
    return document(CATALOG_DATA, "catalog.schema.json", SCHEMA_TITLE, SCHEMA_DESCRIPTION)


def catalog_data(catalog: Catalog) -> dict[str, Any]:
    site = catalog.site
    return {
        "format": CATALOG_FORMAT,
        "title": site.title,
        "description": site.description,
        "url": site.url or None,
        "language": site.language,
        "currency": site.currency or None,
        "organisation": {
            "name": site.organisation.name,
            "url": site.organisation.url,
            "email": site.organisation.email,
        },
        "bundles": [_bundle(catalog, b) for b in catalog.bundles],
        "stacks": [_stack(catalog, s) for s in catalog.stacks],
        "credentials": [credential_data(catalog, c) for c in catalog.credentials],
    }

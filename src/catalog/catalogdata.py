"""catalog.json: the whole catalog as data, its fields named as in the front matter.

Its schema is published as docs/catalog.schema.json. Decimal values (hours, amounts) are JSON numbers
that read back exactly; a field the author left out is null (or an empty list), never a guess.
"""

from __future__ import annotations

from typing import Any

from .addresses import achievement_path, badge_path
from .model import Bundle, Catalog, Credential, Credit, Membership, Part, Stack
from .shapes import Shape, json_number, named

# 2: a credential may be in several stacks (memberships), credits of several kinds, bundles, and the fields
# of "The shapes real catalogs have"; format 1's `stack` and `graduate_credit` stay, read from the new ones.
CATALOG_FORMAT = 2

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


def _credit(credit: Credit) -> dict[str, Any]:
    return {
        "kind": credit.kind,
        "amount": json_number(credit.amount) if credit.amount is not None else None,
        "unit": credit.unit,
        "provider": credit.provider,
        "note": credit.note,
        "url": credit.url,
    }


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


def _membership(membership: Membership) -> dict[str, Any]:
    return {
        "stack": membership.stack.slug,
        "position": membership.position,
        "of": membership.of,
        "previous": membership.previous.slug if membership.previous else None,
        "next": membership.next.slug if membership.next else None,
    }


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


def _stack(catalog: Catalog, stack: Stack) -> dict[str, Any]:
    return {
        "slug": stack.slug,
        "title": stack.title,
        "summary": stack.summary,
        "order": stack.order,
        "colour": stack.colour,
        "kind": stack.kind,
        "page": stack.page_path,
        # Its sequence: a retired credential keeps its page but leaves the stack, and a draft is not published.
        "credentials": [c.slug for c in catalog.credentials_of(stack)],
    }


def _bundle(catalog: Catalog, bundle: Bundle) -> dict[str, Any]:
    return {
        "slug": bundle.slug,
        "title": bundle.title,
        "summary": bundle.summary,
        "order": bundle.order,
        "page": bundle.page_path,
        "stacks": [s.slug for s in catalog.stacks_in(bundle)],
    }


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
